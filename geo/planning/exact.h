// Exact optima of small planning problems with COIN-OR CBC, to measure the heuristic against.
// A standard TOPTW formulation (cf. Vansteenwegen, Souffriau & Van Oudheusden 2011, "The
// orienteering problem: a survey", EJOR 209), one copy per route because each route has its own
// depots, shift and skills:
//   x[k][a][b] = 1 when route k drives from a to b (a in {start} + sites, b in sites + {end});
//   y[k][j]    = 1 when route k visits site j (only routes with every skill site j needs);
//   s[k][j]    = start of service, in [open_j, close_j];
//   out of start = into end = 1;  into j = out of j = y[k][j];  sum_k y[k][j] <= 1;
//   s[k][b] >= s[k][a] + service_a + t_ab - M_ab (1 - x[k][a][b])  (also removes subtours
//   when every site has a positive dwell or travel time);  end reached by the shift end;
//   mandatory sites: sum_k y[k][j] = 1 (infeasible model = no plan visits them all);
//   alternatives: sum over a group's sites and all routes of y <= 1;
//   maximise sum score_j y[k][j];
// plus valid inequalities: the travel and dwell on a route's arcs fit its shift (a knapsack), and
// x[k][a][b] + x[k][b][a] <= y[k][a].
// Only for small cases (tests: up to 15 sites, 1–3 routes).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "geo/planning/plan.h"

namespace veldwacht::geo {

struct ExactPlanResult {
  bool optimal = false;     ///< CBC proved optimality within the time limit
  bool infeasible = false;  ///< no plan satisfies the model (e.g. mandatory sites)
  double score = 0.0;       ///< best total score found
  std::vector<std::vector<std::size_t>> routes;  ///< site sequence per route
};

/// Requires a matrix with the triangle inequality (shortest-path travel times have it; bounds on
/// the start of service use the direct trip from the base and back) and a positive dwell or travel
/// time along every cycle of sites (no zero-time subtours). `timeLimitSeconds` caps CBC.
ExactPlanResult solvePlanExact(const TravelTimes& matrix, std::span<const PlanSite> sites,
                               std::span<const PlanRoute> routes, double timeLimitSeconds = 60.0);

}  // namespace veldwacht::geo
