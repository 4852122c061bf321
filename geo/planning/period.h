// A period plan (a week, a month): each high-priority site visited k times at varied,
// unpredictable moments (the Koper method works through uncertainty), the others at most once.
//
// The period is cut into k slots (equal, each inner boundary jittered by up to a quarter slot);
// every time window of a site that meets a slot becomes one copy of the site for that slot, and
// the copies of one (site, slot) form one group of alternatives (PlanSite::group), so the solver
// visits a site at most once per slot. Each copy's window is then shrunk to a random part
// (`varyFraction`) of itself, so repeated visits do not fall at the same hour. Run solvePlan on
// the copies with all shifts of the period as routes; `origin` maps a copy back to its site.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "geo/planning/plan.h"

namespace veldwacht::geo {

struct TimeWindow {
  double open = 0.0;
  double close = 0.0;
};

struct PeriodOptions {
  double periodStart = 0.0;
  double periodEnd = 7.0 * 24.0 * 60.0;  ///< a week in minutes
  std::size_t visits = 3;                ///< k visits for high-priority sites (>= 1)
  double highPriority = 0.0;             ///< sites with score >= this get k visits
  double varyFraction = 0.5;             ///< share of a window a copy keeps, in (0, 1]
  std::uint64_t seed = 1;
  void validate() const;
};

struct PeriodSites {
  std::vector<PlanSite> sites;      ///< the copies, to pass to solvePlan
  std::vector<std::size_t> origin;  ///< input site of each copy
  std::vector<std::size_t> slot;    ///< slot of each copy (0 for sites visited once)
  std::vector<double> slotBounds;   ///< k + 1 slot boundaries
};

/// `windows[i]` lists site i's windows in the period (start of service); empty = the site's own
/// [open, close] clipped to the period. Sites keep node, score, dwell, skills and mandatory.
PeriodSites periodVisits(std::span<const PlanSite> sites,
                         const std::vector<std::vector<TimeWindow>>& windows,
                         const PeriodOptions& options);

}  // namespace veldwacht::geo
