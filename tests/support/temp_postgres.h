// A throw-away PostgreSQL 15 cluster for tests and benches (recipe: docs POSTGRES.md): initdb in a
// temporary folder, the server on a unix socket in that folder only (no TCP), trust
// authentication, fsync off; stopped and removed in the destructor, and stopped too when the
// program crashes or is interrupted (Ctrl-C, ctest's timeout). As root the server binaries run as
// the postgres user (initdb refuses root). The extensions asked for (e.g. {"postgis"} or
// {"pgrouting"}, created WITH CASCADE) go into a template database, so that newDatabase() is a
// cheap copy that has them. Header-only, plain libpq: used by tests/layers/pgstore (PostGIS) and
// tests/geo/network + bench/network (pgRouting).
#pragma once

#include <libpq-fe.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace veldwacht::testing {

class TempPostgres {
 public:
  static constexpr const char* kBin = "/usr/lib/postgresql/15/bin";
  static constexpr const char* kTemplate = "vw_template";

  /// True when the PostgreSQL 15 server binaries and every extension in `extensions` are
  /// installed.
  static bool available(const std::vector<std::string>& extensions = {}) {
    if (!std::filesystem::exists(std::string(kBin) + "/initdb")) return false;
    for (const auto& e : extensions)
      if (!std::filesystem::exists("/usr/share/postgresql/15/extension/" + e + ".control"))
        return false;
    return true;
  }

  /// Starts the cluster and makes the template database with `extensions`.
  explicit TempPostgres(const std::vector<std::string>& extensions = {}, int maxConnections = 40) {
    char tmpl[] = "/tmp/veldwacht_pg_XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    asPostgres_ = geteuid() == 0;
    if (asPostgres_) sh("chown postgres '" + dir_ + "' && chmod 755 '" + dir_ + "'");
    sh(server("initdb") + " -D '" + dir_ + "/data' -A trust -U postgres --no-sync >'" + dir_ +
       "/initdb.log' 2>&1");
    sh(server("pg_ctl") + " -D '" + dir_ + "/data' -o \"-k " + dir_ +
       " -c listen_addresses='' -c fsync=off -c max_connections=" + std::to_string(maxConnections) +
       "\" -l '" + dir_ + "/log' -w start >/dev/null");
    started_ = true;
    watchSignals();
    try {
      admin("CREATE DATABASE " + std::string(kTemplate));
      for (const auto& e : extensions)
        query(kTemplate, "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS \"" +
                             e + "\" CASCADE");
    } catch (...) {
      stop();  // no destructor runs for a constructor that throws
      throw;
    }
  }
  ~TempPostgres() { stop(); }
  TempPostgres(const TempPostgres&) = delete;
  TempPostgres& operator=(const TempPostgres&) = delete;

  /// A libpq URL for database `db` as `user`.
  std::string url(const std::string& db, const std::string& user = "postgres") const {
    return "postgresql://" + user + "@/" + db + "?host=" + dir_;
  }
  /// Creates database `name` as a copy of the template (with the extensions); returns its URL.
  std::string newDatabase(const std::string& name) {
    admin("CREATE DATABASE \"" + name + "\" TEMPLATE " + kTemplate + " STRATEGY FILE_COPY");
    return url(name);
  }
  /// Runs SQL (one or more statements) on database `db` as postgres on a connection of its own;
  /// returns the last statement's rows as text ("" for NULL). Throws std::runtime_error with the
  /// server's message.
  std::vector<std::vector<std::string>> query(const std::string& db, const std::string& sql) const {
    Conn c(url(db));
    return c.exec(sql);
  }
  /// query("postgres", sql): CREATE DATABASE, roles.
  void admin(const std::string& sql) const { query("postgres", sql); }
  const std::string& dir() const { return dir_; }

  /// One libpq connection, closed by its destructor.
  class Conn {
   public:
    explicit Conn(const std::string& conninfo) : c_(PQconnectdb(conninfo.c_str())) {
      if (PQstatus(c_.get()) != CONNECTION_OK)
        throw std::runtime_error("libpq: " + std::string(PQerrorMessage(c_.get())));
    }
    std::vector<std::vector<std::string>> exec(const std::string& sql) {
      std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(c_.get(), sql.c_str()), &PQclear);
      const auto st = PQresultStatus(r.get());
      if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        throw std::runtime_error("SQL failed: " + std::string(PQerrorMessage(c_.get())) + " in " +
                                 sql.substr(0, 200));
      std::vector<std::vector<std::string>> rows(std::size_t(PQntuples(r.get())));
      for (int i = 0; i < PQntuples(r.get()); ++i)
        for (int j = 0; j < PQnfields(r.get()); ++j)
          rows[std::size_t(i)].push_back(PQgetvalue(r.get(), i, j));
      return rows;
    }
    PGconn* get() const { return c_.get(); }

   private:
    struct Finish {
      void operator()(PGconn* c) const noexcept { PQfinish(c); }
    };
    std::unique_ptr<PGconn, Finish> c_;
  };

 private:
  /// The postmasters of this process, for the signal handler (SIGQUIT = immediate shutdown).
  static std::array<pid_t, 8>& postmasters() {
    static std::array<pid_t, 8> pids{};
    return pids;
  }
  static void onSignal(int sig) {
    for (pid_t p : postmasters())
      if (p > 0) ::kill(p, SIGQUIT);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
  static void forget(pid_t pid) {
    for (pid_t& p : postmasters())
      if (p == pid) p = 0;
  }
  void watchSignals() {
    std::ifstream pidFile(dir_ + "/data/postmaster.pid");
    long pid = 0;
    if (!(pidFile >> pid)) return;
    postmaster_ = pid_t(pid);
    for (pid_t& p : postmasters())
      if (p == 0) {
        p = postmaster_;
        break;
      }
    for (int sig : {SIGINT, SIGTERM, SIGABRT, SIGSEGV, SIGBUS, SIGFPE}) std::signal(sig, onSignal);
  }
  std::string server(const std::string& tool) const {
    const std::string bin = std::string(kBin) + "/" + tool;
    return asPostgres_ ? "runuser -u postgres -- " + bin : bin;
  }
  void stop() {
    if (started_) {
      forget(postmaster_);
      (void)std::system(
          (server("pg_ctl") + " -D '" + dir_ + "/data' -m immediate stop >/dev/null 2>&1").c_str());
      started_ = false;
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  static void sh(const std::string& cmd) {
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("command failed: " + cmd);
  }
  std::string dir_;
  bool asPostgres_ = false;
  bool started_ = false;
  pid_t postmaster_ = 0;
};

}  // namespace veldwacht::testing
