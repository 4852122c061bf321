// Patrol and schouw plans: the team orienteering problem with time windows (TOPTW), extended with
// skills, dwell (service) times, priorities, optional and mandatory visits and routes that each
// have their own start and end depot (a partner's base), shift times and skills, on a travel-time
// matrix.
//
// The solver is an adaptive large-neighbourhood search (Ropke & Pisinger 2006) whose repair step is
// the greedy insertion of Vansteenwegen, Souffriau, Vanden Berghe & Van Oudheusden (2009, "Iterated
// local search for the team orienteering problem with time windows", Computers & OR 36): each
// candidate insertion is checked in O(1) with the "MaxShift" (forward time slack) of the visit
// after it, and ranked by score² / shift. Destroy steps remove random, consecutive, related (Shaw
// 1998) or worst visits; a local search (2-opt and or-opt inside a route, relocate between routes)
// shortens the routes to make room; a threshold acceptance with restarts from the best plan drives
// the search. See docs/algorithms/planning.md.
//
// Objective, as VROOM orders it: first the number of mandatory visits planned, then the total
// priority (score) of the visited sites, then the number of visits, then the least travel time.
// With `lexicographic = false` the middle three are one weighted sum (ObjectiveWeights).
//
// Time is in the unit of the matrix (seconds or minutes: any, as long as all inputs agree). A route
// leaves its start depot at its shift start; service at a site starts in [open, close] (the window
// is for the start of service, as in Solomon's instances); arriving early means waiting. The route
// reaches its end depot by min(end, start + maxDuration).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "geo/core/progress.h"

namespace veldwacht::geo {

/// One bit per skill (signaleren, schouwen, adrescontrole, handhaven, ...). A route may serve a
/// site when it has every bit the site needs.
using SkillMask = std::uint64_t;

inline constexpr double kPlanInfinity = std::numeric_limits<double>::infinity();

/// A dense travel-time matrix over matrix nodes (sites and depots), row-major:
/// times[from * size + to]. +infinity (or any non-finite value) = unreachable. May be asymmetric.
struct TravelTimes {
  std::size_t size = 0;
  std::span<const double> times{};
  double at(std::size_t from, std::size_t to) const { return times[from * size + to]; }
};

struct PlanSite {
  std::size_t node = 0;          ///< its row/column in the matrix
  double score = 1.0;            ///< priority (risk score, z-score, or by hand); >= 0
  double service = 0.0;          ///< dwell time at the site; >= 0
  double open = 0.0;             ///< earliest start of service
  double close = kPlanInfinity;  ///< latest start of service
  SkillMask skills = 0;          ///< skills needed (0 = anyone: signaleren)
  bool mandatory = false;        ///< must be planned, or reported as impossible with the reason
  /// Alternatives: of the sites with the same group (>= 0) at most one is visited. One site with
  /// several time windows (each night of a week) is one copy per window in one group.
  std::int64_t group = -1;
};

/// One partner's shift: a route from its base and back (or to another end depot).
struct PlanRoute {
  std::size_t startNode = 0;
  std::size_t endNode = 0;
  double start = 0.0;                  ///< departure from the start depot
  double end = kPlanInfinity;          ///< latest arrival at the end depot
  double maxDuration = kPlanInfinity;  ///< end depot reached by start + maxDuration at the latest
  SkillMask skills = ~SkillMask{0};    ///< what the partner may do (bevoegdheden)
  /// Which travel-time matrix the route travels on (its travel mode: car, tractor, bicycle,
  /// on foot); an index into the matrices given to solvePlan. 0 with a single matrix.
  std::size_t matrix = 0;
  /// Sites (indexes into the sites span) this route may not visit, e.g. farther from the
  /// partner's base than its werkgebied. Dropped for that reason: OutsideArea.
  std::vector<std::size_t> excluded{};
  /// The partner making this shift (>= 0; several shifts of one partner share it), for the
  /// balanced workload; -1 = a partner of its own.
  std::int64_t partner = -1;
};

struct ObjectiveWeights {
  double priority = 1.0;  ///< per unit of score
  double visit = 0.0;     ///< per visit
  double travel = 0.0;    ///< per unit of travel time (subtracted)
};

struct PlanOptions {
  std::uint64_t seed = 1;
  /// Wall-clock limit for the whole solve, seconds (> 0). Runs stop at the limit with the best
  /// plan so far. Repeatable results need the iteration budget to end the runs first.
  double timeLimitSeconds = 10.0;
  /// Measure the time limit in CPU time of each run's thread instead of wall-clock time (for
  /// benchmarks on a shared machine).
  bool cpuTimeLimit = false;
  /// LNS iterations per run (>= 1).
  std::size_t iterations = 20000;
  /// Independent runs, each with its own seed derived from `seed` and its run number; the best
  /// plan wins (ties: lowest run number). Results do not depend on `threads`.
  std::size_t runs = 1;
  /// Worker threads for the runs; 0 = hardware concurrency.
  std::size_t threads = 1;
  /// Lexicographic objective (mandatory, priority, visits, -travel) or a weighted sum after the
  /// mandatory count.
  bool lexicographic = true;
  ObjectiveWeights weights{};
  /// A further goal after the visits: balance the workload (travel plus dwell) between partners
  /// (PlanRoute::partner). After the search, visits move and swap between routes of different
  /// partners while the largest workload drops (then the next largest, ..., then travel); the
  /// mandatory count, the priority and the visits stay the same, travel may grow.
  bool balanceWorkload = false;
  void validate() const;
};

/// Why a site is not in the plan.
enum class DropReason {
  AlternativeVisited,  ///< another site of its group is in the plan
  NoSkill,             ///< no route has every skill it needs
  OutsideArea,         ///< every route with the skill excludes it (outside each werkgebied)
  Unreachable,         ///< no route with the skill can travel there and back (matrix)
  DwellTooLong,        ///< its dwell time is longer than every shift that may visit it
  TooFar,              ///< no shift with the skill is long enough to go there, dwell and return
  NoShiftInWindow,     ///< a shift could fit the trip, but none can be there within its time window
  OutOfTime,           ///< it fits a route on its own, but the plan used the time for better visits
};
const char* dropReasonName(DropReason reason);

struct PlannedVisit {
  std::size_t site = 0;  ///< index into the sites span
  double arrival = 0.0;
  double wait = 0.0;
  double serviceStart = 0.0;
  double departure = 0.0;
};

struct PlannedRoute {
  std::size_t route = 0;  ///< index into the routes span
  std::vector<PlannedVisit> visits;
  double departure = 0.0;  ///< from the start depot (= route start)
  double arrival = 0.0;    ///< at the end depot
  double travelTime = 0.0;
  double score = 0.0;
};

struct DroppedSite {
  std::size_t site = 0;
  DropReason reason = DropReason::OutOfTime;
  bool mandatory = false;
};

struct PlanResult {
  std::vector<PlannedRoute> routes;  ///< one per input route, same order (empty visits allowed)
  std::vector<DroppedSite> dropped;  ///< every site not visited, in site order, with why
  double totalScore = 0.0;
  std::size_t visits = 0;
  std::size_t mandatoryVisits = 0;
  double travelTime = 0.0;
  std::size_t iterations = 0;  ///< LNS iterations done over all runs
  std::size_t bestRun = 0;
  std::vector<std::string> warnings;  ///< e.g. mandatory sites that could not be planned
};

/// Validates the inputs (InputError naming the site or route row and field), then plans.
PlanResult solvePlan(const TravelTimes& matrix, std::span<const PlanSite> sites,
                     std::span<const PlanRoute> routes, const PlanOptions& options,
                     Progress& progress = nullProgress());
/// The same with one matrix per travel mode (all of one size, over the same nodes); each route
/// travels on matrices[route.matrix].
PlanResult solvePlan(std::span<const TravelTimes> matrices, std::span<const PlanSite> sites,
                     std::span<const PlanRoute> routes, const PlanOptions& options,
                     Progress& progress = nullProgress());

/// Checks the inputs; throws InputError (table "sites"/"routes"/"matrix", 1-based row, field).
void validatePlanInput(const TravelTimes& matrix, std::span<const PlanSite> sites,
                       std::span<const PlanRoute> routes);
void validatePlanInput(std::span<const TravelTimes> matrices, std::span<const PlanSite> sites,
                       std::span<const PlanRoute> routes);

/// An independent feasibility check of a plan: recomputes every time from the matrix and lists
/// every violation (window, skill, excluded site, shift end, duplicate or unknown site, wrong
/// totals). Empty = OK.
std::vector<std::string> checkPlan(const TravelTimes& matrix, std::span<const PlanSite> sites,
                                   std::span<const PlanRoute> routes, const PlanResult& plan);
std::vector<std::string> checkPlan(std::span<const TravelTimes> matrices,
                                   std::span<const PlanSite> sites,
                                   std::span<const PlanRoute> routes, const PlanResult& plan);

}  // namespace veldwacht::geo
