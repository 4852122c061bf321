// Internal to geo/planning: the search engine behind solvePlan (one seeded run).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "geo/planning/plan.h"

namespace veldwacht::geo::planning_detail {

/// Times above this are "no limit"; matrix entries that are not finite become kUnreachable.
inline constexpr double kNoLimit = 1e29;
inline constexpr double kUnreachable = 1e30;
inline constexpr double kTimeEps = 1e-7;

/// The inputs in flat arrays, with the effective route end and the skill table.
struct Instance {
  std::size_t nodes = 0;
  /// One nodes x nodes block per matrix, unreachable = kUnreachable.
  std::vector<double> travel;
  std::vector<std::size_t> offset;  ///< per route: where its matrix starts in `travel`
  std::size_t nSites = 0;
  std::size_t nRoutes = 0;
  std::vector<std::size_t> node;
  std::vector<double> score, service, open, close;
  std::vector<char> mandatory;
  std::vector<int> group;  ///< dense group id, -1 = none
  std::size_t nGroups = 0;
  std::vector<double>
      profit;  ///< what the insertion ratio ranks (score, plus a bonus if mandatory)
  std::vector<std::size_t> startNode, endNode;
  std::vector<double> routeStart, routeEnd;  ///< routeEnd = min(end, start + maxDuration)
  std::vector<char> skillOk;                 ///< [route * nSites + site]
  std::vector<char> areaOk;                  ///< [route * nSites + site]: not excluded
  std::vector<char> aloneOk;  ///< [route * nSites + site]: a route with only this site is feasible
  bool lexicographic = true;
  ObjectiveWeights weights{};

  /// Travel time on the first matrix (for relatedness, which no route owns).
  double t(std::size_t a, std::size_t b) const { return travel[a * nodes + b]; }
  /// Travel time of route k.
  double tk(std::size_t k, std::size_t a, std::size_t b) const {
    return travel[offset[k] + a * nodes + b];
  }
  bool can(std::size_t k, std::size_t j) const { return aloneOk[k * nSites + j] != 0; }
};

Instance makeInstance(std::span<const TravelTimes> matrices, std::span<const PlanSite> sites,
                      std::span<const PlanRoute> routes, const PlanOptions& options);

/// One route with its schedule: arrival, start of service and MaxShift per position.
struct RouteState {
  std::vector<int> seq;
  std::vector<double> arrival, start, maxShift;
  double endArrival = 0.0;
  double travel = 0.0;
  double score = 0.0;
  int mandatory = 0;
};

struct Solution {
  std::vector<RouteState> routes;
  std::vector<int> routeOf;    ///< route of each site, -1 = not visited
  std::vector<int> groupUsed;  ///< visits per group (0 or 1)
  int mandatory = 0;
  double score = 0.0;
  int visits = 0;
  double travel = 0.0;
};

/// -1, 0, +1: is a worse, equal or better than b under the instance's objective.
int compareSolutions(const Instance& in, const Solution& a, const Solution& b);

struct RunLimits {
  std::size_t iterations = 0;
  double seconds = 1.0;   ///< time limit of the run
  bool cpuClock = false;  ///< measure it in CPU time of the run's thread, not wall-clock
};

struct RunOutput {
  Solution best;
  std::size_t iterations = 0;
};

/// A per-iteration hook: returns false to stop (cancel). Called with the iterations done.
class RunMonitor {
 public:
  virtual ~RunMonitor() = default;
  virtual bool keepGoing(std::size_t iterationsDone) = 0;
};

/// Seconds on the wall clock (steady) or the calling thread's CPU clock.
double clockSeconds(bool cpu);

/// One seeded LNS run. Deterministic for a given seed when the iteration limit ends it.
RunOutput runSearch(const Instance& in, std::uint64_t seed, const RunLimits& limits,
                    RunMonitor& monitor);

/// Feasibility (windows, shift end) and travel of route k visiting `seq` in order.
bool sequenceFeasible(const Instance& in, std::size_t k, std::span<const int> seq,
                      double* travelOut);

/// Balances the workload (travel plus dwell) between partners: moves and swaps visits between
/// routes of different partners while that lowers the largest workload, then the next largest
/// and so on (sorted workloads compared lexicographically), then the travel. Every visit stays
/// in the plan, so the mandatory count, the priority and the visits do not change; only feasible
/// routes result. `partnerOf[k]` = dense partner index of route k. Deterministic.
void balanceWorkload(const Instance& in, std::span<const std::size_t> partnerOf, Solution& s);

/// Recomputes the schedule of route k from its sequence (no feasibility check).
void recomputeRoute(const Instance& in, std::size_t k, RouteState& r);

}  // namespace veldwacht::geo::planning_detail
