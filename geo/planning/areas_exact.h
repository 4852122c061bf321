// Exact balanced areas for small cases with COIN-OR CBC: the anchor for geo::balancedAreas
// (tests and bench/planning_areas only; ArcGIS's Build Balanced Zones is commercial and PySAL's
// spopt is not packaged here).
//
// The model is Hess et al.'s districting model (Hess, Weaver, Siegfeldt, Whelan & Zitlau 1965,
// "Nonpartisan political redistricting by computer", Operations Research 13) with contiguity by
// single-commodity flow (Shirabe 2009, "Districting modeling with exact contiguity constraints",
// Environment and Planning B 36):
//   x[u][c] = 1 when unit u belongs to the area centred on unit c; x[c][c] = 1 opens centre c;
//   sum_c x[u][c] = 1;  x[u][c] <= x[c][c];  sum_c x[c][c] = k;
//   balance: with W_c = sum_u w_u x[u][c] and mean m = sum w / k,
//            W_c - m x[c][c] <= D m  and  m x[c][c] - W_c <= D m;
//   contiguity: every member u != c of area c sends one unit of flow towards c along arcs between
//            members: out_u - in_u = x[u][c], f[u->v][c] <= (n - k) x[u][c], f <= (n - k) x[v][c],
//            no flow leaves c (the area is connected exactly when this flow exists).
// Two questions, two objectives:
//   - bestBalanceExact: minimise D (the smallest largest deviation any contiguous split reaches);
//   - compactAreasExact: D fixed to the tolerance, minimise the Hess inertia
//            sum_{u,c} d(u,c)^2 x[u][c] (squared distances of unit centroids to their area's
//            centre unit; unweighted, like AreaResult::compactness).
// Only for small cases (4 x 4 to 5 x 5 cells, 2-3 areas: seconds each).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "geo/core/types.h"

namespace veldwacht::geo {

struct ExactAreasResult {
  bool optimal = false;     ///< CBC proved optimality within the time limit
  bool infeasible = false;  ///< no contiguous split satisfies the model
  double objective = 0.0;   ///< D (bestBalanceExact) or the Hess inertia (compactAreasExact)
  std::vector<std::size_t> areaOf;  ///< area 0..k-1 of every unit (ordered by centre)
  std::vector<std::size_t> centre;  ///< centre unit of every area
};

/// The smallest largest relative deviation |W_a - mean| / mean over all splits of the units into
/// `areas` contiguous areas. Adjacency as for balancedAreas (symmetrised here).
ExactAreasResult bestBalanceExact(std::span<const double> workload,
                                  std::span<const Point> centroids,
                                  const std::vector<std::vector<std::size_t>>& adjacency,
                                  std::size_t areas, double timeLimitSeconds = 60.0);

/// The most compact (least Hess inertia) split into `areas` contiguous areas whose workloads lie
/// within ±tolerance of the mean; `infeasible` when no such split exists.
ExactAreasResult compactAreasExact(std::span<const double> workload,
                                   std::span<const Point> centroids,
                                   const std::vector<std::vector<std::size_t>>& adjacency,
                                   std::size_t areas, double tolerance,
                                   double timeLimitSeconds = 60.0);

/// The Hess inertia of any split: per area, the least sum of squared distances of its unit
/// centroids to one of its own units, summed over the areas.
double hessInertia(std::span<const std::size_t> areaOf, std::span<const Point> centroids,
                   std::size_t areas);

}  // namespace veldwacht::geo
