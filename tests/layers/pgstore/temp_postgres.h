// A throw-away PostgreSQL 15 cluster with PostGIS for the pgstore tests (recipe:
// docs POSTGRES.md; same approach as tests/geo/network/pg_cluster.h): initdb in a temporary
// folder, the server on a unix socket in that folder only (no TCP), trust authentication, stopped
// and removed in the destructor. As root the server binaries run as the postgres user.
// Each test makes its own database with newDatabase().
#pragma once

#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "layers/pgstore/pg.h"

namespace veldwacht::layers::testing {

class TempPostgres {
 public:
  static constexpr const char* kBin = "/usr/lib/postgresql/15/bin";

  /// True when the PostgreSQL 15 server binaries and PostGIS are installed.
  static bool available() {
    return std::filesystem::exists(std::string(kBin) + "/initdb") &&
           std::filesystem::exists("/usr/share/postgresql/15/extension/postgis.control");
  }

  TempPostgres() {
    char tmpl[] = "/tmp/veldwacht_pgstore_XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    asPostgres_ = geteuid() == 0;
    if (asPostgres_) sh("chown postgres '" + dir_ + "' && chmod 755 '" + dir_ + "'");
    sh(server("initdb") + " -D '" + dir_ + "/data' -A trust -U postgres --no-sync >'" + dir_ +
       "/initdb.log' 2>&1");
    sh(server("pg_ctl") + " -D '" + dir_ + "/data' -o \"-k " + dir_ +
       " -c listen_addresses='' -c fsync=off -c max_connections=40\" -l '" + dir_ +
       "/log' -w start >/dev/null");
    started_ = true;
    watchSignals();
    // A template with PostGIS, so that each test's database is a cheap copy.
    admin("CREATE DATABASE vw_template");
    pg::Connection t(url("vw_template"));
    t.exec("CREATE EXTENSION postgis");
  }
  ~TempPostgres() {
    if (started_)
      (void)std::system(
          (server("pg_ctl") + " -D '" + dir_ + "/data' -m immediate stop >/dev/null 2>&1").c_str());
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TempPostgres(const TempPostgres&) = delete;
  TempPostgres& operator=(const TempPostgres&) = delete;

  /// A libpq URL for `db` as `user`.
  std::string url(const std::string& db, const std::string& user = "postgres") const {
    return "postgresql://" + user + "@/" + db + "?host=" + dir_;
  }
  /// Creates database `name` with PostGIS (from the template) and returns its URL.
  std::string newDatabase(const std::string& name) {
    admin("CREATE DATABASE " + pg::ident(name) + " TEMPLATE vw_template STRATEGY FILE_COPY");
    return url(name);
  }
  void admin(const std::string& sql) {
    pg::Connection c(url("postgres"));
    c.exec(sql);
  }
  const std::string& dir() const { return dir_; }

 private:
  /// The postmaster's pid, for the signal handler: a test that crashes or is interrupted
  /// (Ctrl-C, ctest's timeout) stops the server too (SIGQUIT = immediate shutdown).
  static pid_t& postmaster() {
    static pid_t pid = 0;
    return pid;
  }
  static void onSignal(int sig) {
    if (postmaster() > 0) ::kill(postmaster(), SIGQUIT);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
  void watchSignals() {
    std::ifstream pidFile(dir_ + "/data/postmaster.pid");
    long pid = 0;
    if (pidFile >> pid) postmaster() = pid_t(pid);
    for (int sig : {SIGINT, SIGTERM, SIGABRT, SIGSEGV, SIGBUS, SIGFPE}) std::signal(sig, onSignal);
  }
  std::string server(const std::string& tool) const {
    const std::string bin = std::string(kBin) + "/" + tool;
    return asPostgres_ ? "runuser -u postgres -- " + bin : bin;
  }
  static void sh(const std::string& cmd) {
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("command failed: " + cmd);
  }
  std::string dir_;
  bool asPostgres_ = false;
  bool started_ = false;
};

/// One cluster per test binary, started on first use and stopped at exit.
inline TempPostgres& cluster() {
  static TempPostgres pg;
  return pg;
}

}  // namespace veldwacht::layers::testing
