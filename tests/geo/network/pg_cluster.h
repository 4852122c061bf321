// A throw-away PostgreSQL 15 cluster with pgRouting for comparison tests and benches
// (docs: /work/shared/docs/POSTGRES.md): initdb in a temporary folder, the server listening on a
// unix socket in that folder only (no TCP), one database; stopped and removed in the destructor.
// As root the server binaries run as the postgres user (initdb refuses root).
#pragma once

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "geo/network/shortest_paths.h"

namespace veldwacht::geo::testing {

class TempPostgres {
 public:
  static constexpr const char* kBin = "/usr/lib/postgresql/15/bin";

  /// True when the PostgreSQL 15 server binaries and pgRouting are installed.
  static bool available() {
    return std::filesystem::exists(std::string(kBin) + "/initdb") &&
           std::filesystem::exists("/usr/share/postgresql/15/extension/pgrouting.control");
  }

  TempPostgres() {
    char tmpl[] = "/tmp/veldwacht_pg_XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    asPostgres_ = geteuid() == 0;
    if (asPostgres_) sh("chown postgres '" + dir_ + "' && chmod 755 '" + dir_ + "'");
    sh(server("initdb") + " -D '" + dir_ + "/data' -A trust -U postgres >'" + dir_ +
       "/initdb.log' 2>&1");
    sh(server("pg_ctl") + " -D '" + dir_ + "/data' -o \"-k " + dir_ +
       " -c listen_addresses='' -c fsync=off\" -l '" + dir_ + "/log' -w start >/dev/null");
    started_ = true;
    sh(server("createdb") + " -h '" + dir_ + "' -U postgres vw");
    conn_ = PQconnectdb(("host=" + dir_ + " dbname=vw user=postgres").c_str());
    if (PQstatus(conn_) != CONNECTION_OK)
      throw std::runtime_error(std::string("libpq: ") + PQerrorMessage(conn_));
    exec("set client_min_messages = warning");
    exec("create extension pgrouting cascade");
  }
  ~TempPostgres() {
    if (conn_) PQfinish(conn_);
    if (started_)
      (void)std::system(
          (server("pg_ctl") + " -D '" + dir_ + "/data' -m immediate stop >/dev/null 2>&1").c_str());
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TempPostgres(const TempPostgres&) = delete;
  TempPostgres& operator=(const TempPostgres&) = delete;

  /// Runs SQL; returns its rows as text (empty string for NULL).
  std::vector<std::vector<std::string>> exec(const std::string& sql) {
    std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn_, sql.c_str()), &PQclear);
    const auto st = PQresultStatus(r.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
      throw std::runtime_error("SQL failed: " + std::string(PQerrorMessage(conn_)) + " in " +
                               sql.substr(0, 200));
    std::vector<std::vector<std::string>> rows(std::size_t(PQntuples(r.get())));
    for (int i = 0; i < PQntuples(r.get()); ++i)
      for (int j = 0; j < PQnfields(r.get()); ++j)
        rows[std::size_t(i)].push_back(PQgetvalue(r.get(), i, j));
    return rows;
  }

  /// Loads the usable wegvakken of `g` as pgRouting edges (id = wegvak + 1, vertices = node + 1,
  /// cost / reverse_cost = the arc cost, -1 where the direction is not allowed), with COPY.
  void loadEdges(const SearchGraph& g, const std::string& table = "edges") {
    exec(
        "drop table if exists " + table + "; create table " + table +
        " (id bigint primary key, source bigint, target bigint, cost float8, reverse_cost float8)");
    const RoadNetwork& net = g.network();
    std::ostringstream copy;
    copy.precision(17);
    for (std::uint32_t w = 0; w < net.wegvakCount(); ++w) {
      if (!g.usable(w)) continue;
      const double c = g.costPerMetre(w) * net.length(w);
      copy << (w + 1) << '\t' << (net.from(w) + 1) << '\t' << (net.to(w) + 1) << '\t'
           << (g.forwardAllowed(w) ? c : -1.0) << '\t' << (g.backwardAllowed(w) ? c : -1.0) << '\n';
    }
    std::unique_ptr<PGresult, decltype(&PQclear)> r(
        PQexec(conn_, ("copy " + table + " from stdin").c_str()), &PQclear);
    if (PQresultStatus(r.get()) != PGRES_COPY_IN) throw std::runtime_error(PQerrorMessage(conn_));
    const std::string data = copy.str();
    if (PQputCopyData(conn_, data.data(), int(data.size())) != 1 ||
        PQputCopyEnd(conn_, nullptr) != 1)
      throw std::runtime_error(PQerrorMessage(conn_));
    std::unique_ptr<PGresult, decltype(&PQclear)> done(PQgetResult(conn_), &PQclear);
    if (PQresultStatus(done.get()) != PGRES_COMMAND_OK)
      throw std::runtime_error(PQerrorMessage(conn_));
    exec("analyze " + table);
  }

  const std::string& dir() const { return dir_; }
  /// The server process of this connection (for reading its CPU time in /proc).
  int backendPid() const { return PQbackendPID(conn_); }

 private:
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
  PGconn* conn_ = nullptr;
};

/// "array[1,2,3]" of node + 1.
inline std::string vertexArray(const std::vector<std::uint32_t>& nodes) {
  std::string s = "array[";
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(nodes[i] + 1);
  }
  s += "]::bigint[]";
  return s;
}

}  // namespace veldwacht::geo::testing
