// A throw-away PostgreSQL 15 cluster with pgRouting for comparison tests and benches: the shared
// helper tests/support/temp_postgres.h (unix socket in a temporary folder, stopped and removed in
// the destructor and on a crash) with pgRouting, one database "vw" and its edges loader.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "../../support/temp_postgres.h"
#include "geo/network/shortest_paths.h"

namespace veldwacht::geo::testing {

/// The shared temporary cluster (tests/support/temp_postgres.h) with pgRouting, and one
/// database "vw" with a connection kept open for exec() and loadEdges().
class TempPostgres : public veldwacht::testing::TempPostgres {
 public:
  /// True when the PostgreSQL 15 server binaries and pgRouting are installed.
  static bool available() { return veldwacht::testing::TempPostgres::available({"pgrouting"}); }

  TempPostgres() : veldwacht::testing::TempPostgres({"pgrouting"}), conn_(newDatabase("vw")) {
    exec("set client_min_messages = warning");
  }

  /// Runs SQL; returns its rows as text (empty string for NULL).
  std::vector<std::vector<std::string>> exec(const std::string& sql) { return conn_.exec(sql); }

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
        PQexec(conn_.get(), ("copy " + table + " from stdin").c_str()), &PQclear);
    if (PQresultStatus(r.get()) != PGRES_COPY_IN)
      throw std::runtime_error(PQerrorMessage(conn_.get()));
    const std::string data = copy.str();
    if (PQputCopyData(conn_.get(), data.data(), int(data.size())) != 1 ||
        PQputCopyEnd(conn_.get(), nullptr) != 1)
      throw std::runtime_error(PQerrorMessage(conn_.get()));
    std::unique_ptr<PGresult, decltype(&PQclear)> done(PQgetResult(conn_.get()), &PQclear);
    if (PQresultStatus(done.get()) != PGRES_COMMAND_OK)
      throw std::runtime_error(PQerrorMessage(conn_.get()));
    exec("analyze " + table);
  }

  /// The server process of this connection (for reading its CPU time in /proc).
  int backendPid() const { return PQbackendPID(conn_.get()); }

 private:
  Conn conn_;
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
