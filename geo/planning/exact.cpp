#include "geo/planning/exact.h"

#include <Cbc_C_Interface.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

namespace veldwacht::geo {

namespace {

struct CbcDeleter {
  void operator()(Cbc_Model* m) const { Cbc_deleteModel(m); }
};
using CbcPtr = std::unique_ptr<Cbc_Model, CbcDeleter>;

class Model {
 public:
  Model() : m_(Cbc_newModel()) {}
  int addBinary(double obj) {
    Cbc_addCol(m_.get(), "", 0.0, 1.0, obj, 1, 0, nullptr, nullptr);
    return cols_++;
  }
  int addContinuous(double lb, double ub) {
    Cbc_addCol(m_.get(), "", lb, ub, 0.0, 0, 0, nullptr, nullptr);
    return cols_++;
  }
  void addRow(const std::vector<int>& cols, const std::vector<double>& coefs, char sense,
              double rhs) {
    Cbc_addRow(m_.get(), "", int(cols.size()), cols.data(), coefs.data(), sense, rhs);
  }
  Cbc_Model* get() { return m_.get(); }

 private:
  CbcPtr m_;
  int cols_ = 0;
};

}  // namespace

ExactPlanResult solvePlanExact(const TravelTimes& matrix, std::span<const PlanSite> sites,
                               std::span<const PlanRoute> routes, double timeLimitSeconds) {
  validatePlanInput(matrix, sites, routes);
  const std::size_t n = sites.size(), nr = routes.size();
  Model model;
  // Node ids per route: 0..n-1 sites, n = start depot, n + 1 = end depot.
  const std::size_t start = n, end = n + 1;
  std::vector<std::vector<int>> y(nr, std::vector<int>(n, -1)), s = y;
  struct Arc {
    std::size_t k, a, b;
    int col;
  };
  std::vector<Arc> arcs;
  auto nodeOf = [&](std::size_t k, std::size_t v) {
    return v == start ? routes[k].startNode : v == end ? routes[k].endNode : sites[v].node;
  };
  // Earliest and latest start of service per route and site (tight bounds make tight big-Ms).
  std::vector<std::vector<double>> lb(nr, std::vector<double>(n)), ub = lb;
  for (std::size_t k = 0; k < nr; ++k) {
    const auto& r = routes[k];
    const double rEnd = std::min(r.end, r.start + r.maxDuration);
    for (std::size_t j = 0; j < n; ++j) {
      if ((sites[j].skills & ~r.skills) != 0) continue;
      if (std::find(r.excluded.begin(), r.excluded.end(), j) != r.excluded.end()) continue;
      const double there = matrix.at(r.startNode, sites[j].node);
      const double back = matrix.at(sites[j].node, r.endNode);
      if (!std::isfinite(there) || !std::isfinite(back)) continue;
      lb[k][j] = std::max(sites[j].open, r.start + there);
      ub[k][j] = std::min(sites[j].close, rEnd - sites[j].service - back);
      if (ub[k][j] < lb[k][j] - 1e-9) continue;
      y[k][j] = model.addBinary(sites[j].score);
      s[k][j] = model.addContinuous(lb[k][j], std::max(lb[k][j], ub[k][j]));
    }
    auto usable = [&](std::size_t v) { return v >= n || y[k][v] >= 0; };
    for (std::size_t a = 0; a < n + 1; ++a) {
      if (a == end || !usable(a)) continue;
      for (std::size_t b = 0; b < n + 2; ++b) {
        if (b == start || b == a || !usable(b)) continue;
        const double t = matrix.at(nodeOf(k, a), nodeOf(k, b));
        if (a == start && b == end) {
          arcs.push_back(Arc{k, a, b, model.addBinary(0.0)});
          continue;
        }
        if (!std::isfinite(t)) continue;
        const double earliest = (a == start ? r.start : lb[k][a] + sites[a].service) + t;
        const double latest = b == end ? rEnd : ub[k][b];
        if (earliest > latest + 1e-9) continue;
        arcs.push_back(Arc{k, a, b, model.addBinary(0.0)});
      }
    }
  }
  // Flow: one path per route from its start to its end through the visited sites.
  for (std::size_t k = 0; k < nr; ++k) {
    std::vector<int> outStart, inEnd;
    std::vector<std::vector<int>> in(n), out(n);
    for (const auto& arc : arcs) {
      if (arc.k != k) continue;
      if (arc.a == start)
        outStart.push_back(arc.col);
      else
        out[arc.a].push_back(arc.col);
      if (arc.b == end)
        inEnd.push_back(arc.col);
      else
        in[arc.b].push_back(arc.col);
    }
    model.addRow(outStart, std::vector<double>(outStart.size(), 1.0), 'E', 1.0);
    model.addRow(inEnd, std::vector<double>(inEnd.size(), 1.0), 'E', 1.0);
    for (std::size_t j = 0; j < n; ++j) {
      if (y[k][j] < 0) continue;
      for (auto* side : {&in[j], &out[j]}) {
        std::vector<int> cols = *side;
        std::vector<double> coefs(cols.size(), 1.0);
        cols.push_back(y[k][j]);
        coefs.push_back(-1.0);
        model.addRow(cols, coefs, 'E', 0.0);
      }
    }
  }
  // Valid inequalities: the shift holds the travel and dwell of its arcs (a knapsack), and no
  // two sites follow each other both ways.
  for (std::size_t k = 0; k < nr; ++k) {
    const auto& r = routes[k];
    const double rEnd = std::min(r.end, r.start + r.maxDuration);
    std::vector<int> cols;
    std::vector<double> coefs;
    for (const auto& arc : arcs) {
      if (arc.k != k || (arc.a == start && arc.b == end)) continue;
      cols.push_back(arc.col);
      coefs.push_back(matrix.at(nodeOf(k, arc.a), nodeOf(k, arc.b)) +
                      (arc.a == start ? 0.0 : sites[arc.a].service));
    }
    model.addRow(cols, coefs, 'L', rEnd - r.start);
  }
  {
    std::vector<int> arcIndex((n + 2) * (n + 2) * std::max<std::size_t>(nr, 1), -1);
    for (const auto& arc : arcs) arcIndex[(arc.k * (n + 2) + arc.a) * (n + 2) + arc.b] = arc.col;
    for (std::size_t k = 0; k < nr; ++k)
      for (std::size_t a = 0; a < n; ++a)
        for (std::size_t b = a + 1; b < n; ++b) {
          const int ab = arcIndex[(k * (n + 2) + a) * (n + 2) + b];
          const int ba = arcIndex[(k * (n + 2) + b) * (n + 2) + a];
          if (ab >= 0 && ba >= 0) model.addRow({ab, ba, y[k][a]}, {1.0, 1.0, -1.0}, 'L', 0.0);
        }
  }
  // Each site at most once (exactly once when mandatory).
  for (std::size_t j = 0; j < n; ++j) {
    std::vector<int> cols;
    for (std::size_t k = 0; k < nr; ++k)
      if (y[k][j] >= 0) cols.push_back(y[k][j]);
    if (cols.empty()) {
      if (sites[j].mandatory) return ExactPlanResult{false, true, 0.0, {}};
      continue;
    }
    model.addRow(cols, std::vector<double>(cols.size(), 1.0), sites[j].mandatory ? 'E' : 'L', 1.0);
  }
  // Alternatives: at most one site of a group.
  {
    std::map<std::int64_t, std::vector<int>> groups;
    for (std::size_t j = 0; j < n; ++j)
      if (sites[j].group >= 0)
        for (std::size_t k = 0; k < nr; ++k)
          if (y[k][j] >= 0) groups[sites[j].group].push_back(y[k][j]);
    for (const auto& [g, cols] : groups)
      model.addRow(cols, std::vector<double>(cols.size(), 1.0), 'L', 1.0);
  }
  // Time along the arcs (big-M, tight per arc).
  for (const auto& arc : arcs) {
    const auto& r = routes[arc.k];
    const double rEnd = std::min(r.end, r.start + r.maxDuration);
    const double t = matrix.at(nodeOf(arc.k, arc.a), nodeOf(arc.k, arc.b));
    if (arc.a == start && arc.b == end) continue;
    if (arc.a == start) {
      // s_b >= start + t  when x = 1:  s_b - (start + t - open_b) x >= open_b
      const double low = lb[arc.k][arc.b];
      const double lift = r.start + t - low;
      if (lift > 0.0) model.addRow({s[arc.k][arc.b], arc.col}, {1.0, -lift}, 'G', low);
    } else if (arc.b == end) {
      // s_a + service_a + t <= rEnd when x = 1:  s_a + M x <= rEnd - service_a - t + M
      const double bigM = ub[arc.k][arc.a] + sites[arc.a].service + t - rEnd;
      if (bigM > 0.0)
        model.addRow({s[arc.k][arc.a], arc.col}, {1.0, bigM}, 'L',
                     rEnd - sites[arc.a].service - t + bigM);
    } else {
      // s_b - s_a - M x >= service_a + t - M
      const double bigM = ub[arc.k][arc.a] + sites[arc.a].service + t - lb[arc.k][arc.b];
      if (bigM > 0.0)
        model.addRow({s[arc.k][arc.b], s[arc.k][arc.a], arc.col}, {1.0, -1.0, -bigM}, 'G',
                     sites[arc.a].service + t - bigM);
    }
  }
  Cbc_setObjSense(model.get(), -1.0);
  Cbc_setLogLevel(model.get(), 0);
  Cbc_setAllowableGap(model.get(), 1e-7);
  Cbc_setAllowableFractionGap(model.get(), 1e-9);
  Cbc_setMaximumSeconds(model.get(), timeLimitSeconds);
  Cbc_solve(model.get());

  ExactPlanResult result;
  result.infeasible = Cbc_isProvenInfeasible(model.get()) != 0;
  result.optimal = Cbc_isProvenOptimal(model.get()) != 0;
  const double* x = Cbc_getColSolution(model.get());
  if (result.infeasible || x == nullptr) return result;
  result.routes.resize(nr);
  for (std::size_t k = 0; k < nr; ++k) {
    std::size_t at = start;
    for (std::size_t steps = 0; steps <= n && at != end; ++steps) {
      std::size_t next = end;
      for (const auto& arc : arcs)
        if (arc.k == k && arc.a == at && x[arc.col] > 0.5) next = arc.b;
      if (next != end) {
        result.routes[k].push_back(next);
        result.score += sites[next].score;
      }
      at = next;
    }
  }
  return result;
}

}  // namespace veldwacht::geo
