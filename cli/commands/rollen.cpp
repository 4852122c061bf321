// veldwacht rollen STORE — the roles of a shared PostGIS store (layers/pgstore/roles.h): who
// has analist, partner or publiek, and which layers each role reads; --grant ROLE LOGIN and
// --revoke ROLE LOGIN change that (recorded in the store's audit table when it has one);
// --install creates the roles or brings their grants up to date. A login's password comes from
// an environment variable (--password-env NAME) or the terminal (--password-prompt), never from
// the command line, and is sent to the server only as a SCRAM verifier.
#include <fcntl.h>
#include <fmt/core.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <optional>

#include "cli/commands.h"
#include "layers/pgstore/backend.h"
#include "layers/pgstore/pg_store.h"
#include "layers/pgstore/roles.h"
#include "layers/privacy/audit.h"

namespace veldwacht::cli {

namespace {

namespace pgs = layers::pgstore;

const char* roleHelp(pgs::Role role) {
  switch (role) {
    case pgs::Role::Analist:
      return "reads and writes every layer, writes results and styles";
    case pgs::Role::Partner:
      return "signals in its own area in full (adds its own there), the rest aggregated; "
             "its own areas and inspections; the open layers and the category list";
    case pgs::Role::Publiek:
      return "only the open layers";
  }
  return "";
}

std::string auditSql(const std::string& action, const std::string& login, pgs::Role role,
                     const std::string& partnerId, const std::string& by,
                     bool withPassword = false) {
  layers::AuditEntry e;
  e.action = action;
  e.layer = pgs::kUsersTable;
  e.sensitivity = layers::Sensitivity::Confidential;
  e.remark = "login '" + login + "', rol " + pgs::roleName(role) +
             (partnerId.empty() ? "" : " (partner " + partnerId + ")") + ", door login '" + by +
             "'" + (withPassword ? ", wachtwoord gezet" : "");
  return layers::auditInsertSql(e);
}

/// A refusal for lack of rights while reading the role tables, said in words.
template <class Work>
auto readingRoles(pgs::PgStore& store, Work&& work) {
  try {
    return work();
  } catch (const layers::pg::PgError& e) {
    if (e.permissionDenied())
      throw geo::Error("login '" + store.connection().user() +
                       "' may not read the store's roles (" + e.what() +
                       "); log in as an analist or as the store's owner");
    throw;
  }
}

/// A password typed on the terminal without echo (asked twice); geo::OptionError when there is
/// no terminal or the two differ.
std::string promptPassword(const std::string& login) {
  const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0)
    throw geo::OptionError("password-prompt",
                           "there is no terminal to type the password on; use --password-env");
  struct Closer {
    int fd;
    termios old;
    bool restore = false;
    ~Closer() {
      if (restore) ::tcsetattr(fd, TCSANOW, &old);
      ::close(fd);
    }
  } tty{fd, {}};
  if (::tcgetattr(fd, &tty.old) != 0)
    throw geo::OptionError("password-prompt", "/dev/tty is not a terminal; use --password-env");
  termios quiet = tty.old;
  quiet.c_lflag &= ~tcflag_t(ECHO);
  tty.restore = ::tcsetattr(fd, TCSANOW, &quiet) == 0;
  auto ask = [&](const std::string& question) {
    if (::write(fd, question.data(), question.size()) < 0) return std::string();
    std::string line;
    char ch = 0;
    while (::read(fd, &ch, 1) == 1 && ch != '\n') line += ch;
    if (::write(fd, "\n", 1) < 0) return line;
    return line;
  };
  const std::string first = ask("Password for login '" + login + "': ");
  const std::string again = ask("The same password again: ");
  if (first != again) throw geo::OptionError("password-prompt", "the two passwords differ");
  return first;
}

}  // namespace

void addRollenCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "rollen",
      "The roles of a shared PostGIS store: who is analist, partner or publiek, and what each\n"
      "reads. --grant/--revoke ROLE LOGIN change them (audited); --install creates the roles");
  struct Args {
    std::string store, partner, prefix, passwordEnv;
    std::vector<std::string> grant, revoke;
    bool install = false, passwordPrompt = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("store", args->store, "The store: a PostgreSQL URL")->required();
  auto* grant = cmd->add_option("--grant", args->grant,
                                "Give ROLE (analist, partner, publiek) to LOGIN; the login is "
                                "created when it does not exist (without a password unless "
                                "--password-env or --password-prompt)")
                    ->expected(2)
                    ->type_name("ROLE LOGIN");
  auto* revoke = cmd->add_option("--revoke", args->revoke, "Take ROLE from LOGIN")
                     ->expected(2)
                     ->type_name("ROLE LOGIN");
  grant->excludes(revoke);
  auto* passwordEnv =
      cmd->add_option("--password-env", args->passwordEnv,
                      "With --grant: set the login's password from this environment variable "
                      "(e.g. --password-env VELDWACHT_WACHTWOORD); never give it on the command "
                      "line")
          ->type_name("NAME");
  auto* passwordPrompt = cmd->add_flag("--password-prompt", args->passwordPrompt,
                                       "With --grant: type the login's password on the terminal");
  passwordEnv->excludes(passwordPrompt);
  cmd->add_option("--partner", args->partner,
                  "With --grant partner: the partner (partners.partner_id) the login acts for");
  auto* install = cmd->add_flag("--install", args->install,
                                "Create the group roles, grants and policies, or bring them up "
                                "to date (the store's owner, with CREATEROLE)");
  install->excludes(grant)->excludes(revoke);
  cmd->add_option("--prefix", args->prefix,
                  "With --install: prefix of the group roles (default veldwacht_)");
  cmd->callback([args, &session] {
    if (!layers::isDatabaseStore(args->store))
      throw geo::OptionError("store", "'" + args->store +
                                          "' is a GeoPackage: roles are PostgreSQL roles and "
                                          "exist only in a PostGIS store (postgresql://…)");
    if (!args->partner.empty() &&
        (args->grant.empty() || args->grant[0] != pgs::roleName(pgs::Role::Partner)))
      throw geo::OptionError("partner", "--partner goes with --grant partner LOGIN");
    if (!args->prefix.empty() && !args->install)
      throw geo::OptionError("prefix", "--prefix goes with --install");
    if ((!args->passwordEnv.empty() || args->passwordPrompt) && args->grant.empty())
      throw geo::OptionError("password", "--password-env and --password-prompt go with --grant");
    std::optional<std::string> password;
    if (!args->passwordEnv.empty()) {
      const char* value = std::getenv(args->passwordEnv.c_str());
      if (!value)
        throw geo::OptionError("password-env", "the environment variable " + args->passwordEnv +
                                                   " is not set; expected the login's password "
                                                   "in it");
      if (!*value)
        throw geo::OptionError("password-env",
                               "the environment variable " + args->passwordEnv +
                                   " is empty; expected the login's password in it");
      password = value;
    }
    auto store = pgs::PgStore::open(args->store, /*update=*/args->install);
    auto& c = store->connection();

    if (args->install) {
      auto options =
          readingRoles(*store, [&] { return pgs::installedRoles(c); }).value_or(pgs::RoleOptions{});
      if (!args->prefix.empty()) options.prefix = args->prefix;
      try {
        pgs::installRoles(c, options);
      } catch (const layers::pg::PgError& e) {
        if (e.permissionDenied())
          throw geo::Error("login '" + c.user() + "' may not install the roles (" + e.what() +
                           "); the store's owner with CREATEROLE (or a superuser) must; nothing "
                           "was changed");
        throw;
      }
      if (!session.quiet)
        fmt::print("Roles {}analist, {}partner, {}publiek installed (grants version {})\n",
                   options.prefix, options.prefix, options.prefix, pgs::kGrantsVersion);
      return;
    }

    int grantsVersion = 0;
    const auto options =
        readingRoles(*store, [&] { return pgs::installedRoles(c, &grantsVersion); });
    if (!options)
      throw geo::Error("no Veldwacht roles are installed in " + store->path() +
                       "; let the store's owner install them: veldwacht rollen STORE --install");
    if (!args->grant.empty() || !args->revoke.empty()) {
      const bool granting = !args->grant.empty();
      const auto& pair = granting ? args->grant : args->revoke;
      const pgs::Role role = pgs::parseRole(pair[0]);
      const std::string& login = pair[1];
      const std::string by = c.user();
      if (granting && args->passwordPrompt) password = promptPassword(login);
      if (granting)
        pgs::grantRole(
            c, role, login, args->partner, *options,
            auditSql("rol-toekennen", login, role, args->partner, by, password.has_value()),
            password);
      else
        pgs::revokeRole(c, role, login, *options, auditSql("rol-intrekken", login, role, "", by));
      if (!session.quiet)
        fmt::print("{} {} {} {}{}\n", granting ? "Gave" : "Took", pair[0], granting ? "to" : "from",
                   login, password ? " (password set)" : "");
      return;
    }

    const auto members = readingRoles(*store, [&] { return pgs::roleMembers(c, *options); });
    fmt::print("Roles of {} (group roles {}analist/partner/publiek, grants version {})\n",
               store->path(), options->prefix, grantsVersion);
    for (pgs::Role r : {pgs::Role::Analist, pgs::Role::Partner, pgs::Role::Publiek}) {
      fmt::print("\n{} ({}): {}\n", pgs::roleName(r), options->groupRole(r), roleHelp(r));
      int n = 0;
      for (const auto& m : members)
        if (m.role == pgs::roleName(r)) {
          fmt::print("  {}{}{}\n", m.login, m.partnerId.empty() ? "" : "  partner " + m.partnerId,
                     m.canLogin ? "" : "  (no login)");
          ++n;
        }
      if (n == 0) fmt::print("  (nobody)\n");
    }
    std::map<pgs::Sharing, std::vector<std::string>> byClass;
    for (const auto& def : layers::layerDefs()) byClass[pgs::sharingOf(def)].push_back(def.name);
    fmt::print("\nLayers by class:\n");
    for (const auto& [sharing, names] : byClass) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      fmt::print("  {:<14} {}\n", pgs::sharingName(sharing), list);
    }
    if (grantsVersion < pgs::kGrantsVersion)
      fmt::print(
          "\nThe grants are of an older Veldwacht (version {} < {}); the store's owner brings "
          "them up to date with: veldwacht rollen STORE --install\n",
          grantsVersion, pgs::kGrantsVersion);
  });
}

}  // namespace veldwacht::cli
