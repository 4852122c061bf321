#include "geo/planning/areas_exact.h"

#include <Cbc_C_Interface.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <string>

#include "geo/core/error.h"
#include "geo/planning/areas.h"

namespace veldwacht::geo {

namespace {

struct CbcDeleter {
  void operator()(Cbc_Model* m) const { Cbc_deleteModel(m); }
};
using CbcPtr = std::unique_ptr<Cbc_Model, CbcDeleter>;

double sq(double v) { return v * v; }
double d2(const Point& a, const Point& b) { return sq(a.x - b.x) + sq(a.y - b.y); }

/// The model of the header; `tolerance < 0` makes D a variable to minimise.
ExactAreasResult solve(std::span<const double> w, std::span<const Point> c,
                       const std::vector<std::vector<std::size_t>>& adjacency, std::size_t k,
                       double tolerance, double timeLimitSeconds) {
  const std::size_t n = w.size();
  if (c.size() != n)
    throw InputError({"units", std::nullopt, "centroid"}, "one centroid per unit expected (" +
                                                              std::to_string(n) + "), got " +
                                                              std::to_string(c.size()));
  if (k < 1 || k > n)
    throw OptionError("areas", "must lie in 1.." + std::to_string(n) + " (one unit per area)");
  const auto adj = symmetricAdjacency(n, adjacency);
  const bool minimiseD = tolerance < 0.0;
  const double mean = std::accumulate(w.begin(), w.end(), 0.0) / double(k);
  const double cap = double(n - k);

  CbcPtr model(Cbc_newModel());
  int cols = 0;
  auto addCol = [&](double lb, double ub, double obj, bool integer) {
    Cbc_addCol(model.get(), "", lb, ub, obj, integer ? 1 : 0, 0, nullptr, nullptr);
    return cols++;
  };
  auto addRow = [&](const std::vector<int>& idx, const std::vector<double>& coef, char sense,
                    double rhs) {
    Cbc_addRow(model.get(), "", int(idx.size()), idx.data(), coef.data(), sense, rhs);
  };
  // x[u][c]
  std::vector<std::vector<int>> x(n, std::vector<int>(n));
  // With D as the objective any member can label its area: the lowest-numbered one does
  // (x[u][c] = 0 for u < c), which removes the symmetric copies of every split.
  for (std::size_t u = 0; u < n; ++u)
    for (std::size_t cc = 0; cc < n; ++cc)
      x[u][cc] =
          addCol(0.0, minimiseD && u < cc ? 0.0 : 1.0, minimiseD ? 0.0 : d2(c[u], c[cc]), true);
  const int dCol = minimiseD ? addCol(0.0, std::numeric_limits<double>::max(), 1.0, false) : -1;

  for (std::size_t u = 0; u < n; ++u) {
    std::vector<int> idx(x[u].begin(), x[u].end());
    addRow(idx, std::vector<double>(n, 1.0), 'E', 1.0);
    for (std::size_t cc = 0; cc < n; ++cc)
      if (cc != u) addRow({x[u][cc], x[cc][cc]}, {1.0, -1.0}, 'L', 0.0);
  }
  {
    std::vector<int> idx;
    for (std::size_t cc = 0; cc < n; ++cc) idx.push_back(x[cc][cc]);
    addRow(idx, std::vector<double>(n, 1.0), 'E', double(k));
  }
  // Balance.
  for (std::size_t cc = 0; cc < n; ++cc) {
    std::vector<int> idx;
    std::vector<double> coef;
    for (std::size_t u = 0; u < n; ++u) {
      idx.push_back(x[u][cc]);
      coef.push_back(u == cc ? w[u] - mean : w[u]);
    }
    // W_c - m x_cc - D m <= 0
    auto upper = idx;
    auto upperCoef = coef;
    // m x_cc - W_c - D m <= 0
    auto lower = idx;
    std::vector<double> lowerCoef;
    for (double v : coef) lowerCoef.push_back(-v);
    if (minimiseD) {
      upper.push_back(dCol);
      upperCoef.push_back(-mean);
      lower.push_back(dCol);
      lowerCoef.push_back(-mean);
      addRow(upper, upperCoef, 'L', 0.0);
      addRow(lower, lowerCoef, 'L', 0.0);
    } else {
      addRow(upper, upperCoef, 'L', tolerance * mean);
      addRow(lower, lowerCoef, 'L', tolerance * mean);
    }
  }
  // Contiguity: flow towards every centre.
  for (std::size_t cc = 0; cc < n && cap > 0.0; ++cc) {
    // f[u -> v] for u != cc (nothing leaves the centre).
    std::vector<std::vector<std::pair<std::size_t, int>>> out(n), in(n);
    for (std::size_t u = 0; u < n; ++u) {
      if (u == cc) continue;
      for (std::size_t v : adj[u]) {
        const int f = addCol(0.0, cap, 0.0, false);
        out[u].push_back({v, f});
        in[v].push_back({u, f});
        addRow({f, x[u][cc]}, {1.0, -cap}, 'L', 0.0);
        addRow({f, x[v][cc]}, {1.0, -cap}, 'L', 0.0);
      }
    }
    for (std::size_t u = 0; u < n; ++u) {
      if (u == cc) continue;
      std::vector<int> idx;
      std::vector<double> coef;
      for (const auto& [v, f] : out[u]) {
        idx.push_back(f);
        coef.push_back(1.0);
      }
      for (const auto& [v, f] : in[u]) {
        idx.push_back(f);
        coef.push_back(-1.0);
      }
      idx.push_back(x[u][cc]);
      coef.push_back(-1.0);
      addRow(idx, coef, 'E', 0.0);
      // Valid: a member other than the centre has a neighbour in its area.
      std::vector<int> nb{x[u][cc]};
      std::vector<double> nbCoef{1.0};
      for (std::size_t v : adj[u]) {
        nb.push_back(x[v][cc]);
        nbCoef.push_back(-1.0);
      }
      addRow(nb, nbCoef, 'L', 0.0);
    }
  }
  Cbc_setObjSense(model.get(), 1.0);
  Cbc_setLogLevel(model.get(), 0);
  Cbc_setAllowableGap(model.get(), minimiseD ? 1e-9 : 1e-7);
  Cbc_setAllowableFractionGap(model.get(), 1e-9);
  Cbc_setMaximumSeconds(model.get(), timeLimitSeconds);
  Cbc_solve(model.get());

  ExactAreasResult r;
  r.infeasible = Cbc_isProvenInfeasible(model.get()) != 0;
  r.optimal = Cbc_isProvenOptimal(model.get()) != 0;
  const double* sol = Cbc_getColSolution(model.get());
  if (r.infeasible || sol == nullptr || Cbc_numberSavedSolutions(model.get()) < 1) return r;
  r.objective = Cbc_getObjValue(model.get());
  for (std::size_t cc = 0; cc < n; ++cc)
    if (sol[x[cc][cc]] > 0.5) r.centre.push_back(cc);
  r.areaOf.assign(n, 0);
  for (std::size_t u = 0; u < n; ++u)
    for (std::size_t a = 0; a < r.centre.size(); ++a)
      if (sol[x[u][r.centre[a]]] > 0.5) r.areaOf[u] = a;
  return r;
}

}  // namespace

ExactAreasResult bestBalanceExact(std::span<const double> workload,
                                  std::span<const Point> centroids,
                                  const std::vector<std::vector<std::size_t>>& adjacency,
                                  std::size_t areas, double timeLimitSeconds) {
  return solve(workload, centroids, adjacency, areas, -1.0, timeLimitSeconds);
}

ExactAreasResult compactAreasExact(std::span<const double> workload,
                                   std::span<const Point> centroids,
                                   const std::vector<std::vector<std::size_t>>& adjacency,
                                   std::size_t areas, double tolerance, double timeLimitSeconds) {
  if (!(tolerance >= 0.0) || !std::isfinite(tolerance))
    throw OptionError("tolerance", "must be finite and >= 0");
  return solve(workload, centroids, adjacency, areas, tolerance, timeLimitSeconds);
}

double hessInertia(std::span<const std::size_t> areaOf, std::span<const Point> centroids,
                   std::size_t areas) {
  double total = 0.0;
  for (std::size_t a = 0; a < areas; ++a) {
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t cc = 0; cc < areaOf.size(); ++cc) {
      if (areaOf[cc] != a) continue;
      double s = 0.0;
      for (std::size_t u = 0; u < areaOf.size(); ++u)
        if (areaOf[u] == a) s += d2(centroids[u], centroids[cc]);
      best = std::min(best, s);
    }
    if (std::isfinite(best)) total += best;
  }
  return total;
}

}  // namespace veldwacht::geo
