// Plan versus done: which planned visits of a plan (its `<naam>_bezoeken` table) were made, as
// the schouw results in the store show, per partner and per site, for a period.
//
// A planned visit counts as done when a schouw result of the same partner for the same site
// (site_laag and site_id) falls in the visit's shift — start..eind of the partner's route for
// that dienst in `<naam>_routes`, a night shift ending the next day — or, when the routes table
// does not name the shift, on the planned day; both widened by the tolerance. Each schouw result
// makes at most one visit done: per partner and site the visits are taken by the end of their
// window and each takes the earliest unused result inside it (this greedy gives the largest
// possible number of done visits; the test checks it against exhaustive matching). Results not
// used for a planned visit and inside the period are unplanned visits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "geo/core/progress.h"
#include "layers/results/results.h"
#include "layers/store/store.h"

namespace veldwacht::layers {

struct PlanVsDoneOptions {
  std::string plan;           ///< the plan's name: reads <plan>_bezoeken (and <plan>_routes)
  std::string from;           ///< first day of the period (YYYY-MM-DD); empty = plan's first
  std::string to;             ///< last day (inclusive); empty = plan's last
  double toleranceHours = 2;  ///< widens each shift (or planned day) on both sides
  std::string output;         ///< prefix of the result tables; empty = <plan>_gedaan
  /// Throws geo::OptionError.
  void validate() const;
  std::string outputName() const { return output.empty() ? plan + "_gedaan" : output; }
};

/// One planned visit and what became of it, or one unplanned visit.
struct VisitOutcome {
  std::string partnerId, dienst, siteLaag, siteId;
  std::int64_t volgorde = 0;  ///< 0 for unplanned visits
  std::string aankomst;       ///< planned arrival; empty for unplanned visits
  std::string status;         ///< "gedaan", "gemist" or "ongepland"
  std::string schouwId, tijdstip, bevinding, signaalId;  ///< of the matching schouw result
  double x = 0, y = 0;
};

/// Counts for one partner, one site, or everything.
struct Tally {
  std::string partnerId;         ///< per partner (empty otherwise)
  std::string siteLaag, siteId;  ///< per site (empty otherwise)
  std::int64_t gepland = 0, gedaan = 0, gemist = 0, ongepland = 0;
  std::int64_t bevindingen = 0;  ///< schouw results (done or unplanned) with a bevinding
  std::int64_t signalen = 0;     ///< of which made into a signal
  /// gedaan / gepland in percent; 0 when nothing was planned.
  double percentDone() const { return gepland ? 100.0 * double(gedaan) / double(gepland) : 0.0; }
};

struct PlanVsDone {
  std::string plan, from, to;
  std::vector<VisitOutcome> visits;  ///< planned (in plan order), then unplanned (by time)
  std::vector<Tally> perPartner;     ///< sorted by partner_id
  std::vector<Tally> perSite;        ///< sorted by site_laag, site_id
  Tally total;
  bool shiftsFromRoutes = false;  ///< whether <plan>_routes gave the shift windows
};

/// Compares the plan with the schouw results. Throws geo::InputError when the plan's tables are
/// missing or lack the contract's fields, or when a planned time cannot be read (row named).
PlanVsDone comparePlanWithDone(Store& store, const PlanVsDoneOptions& options,
                               geo::Progress& progress = geo::nullProgress());

/// The result tables: <out>_bezoeken (Point, one row per visit outcome), <out>_partners and
/// <out>_plekken (tables of tallies, the total as partner/site "totaal").
std::vector<ResultLayer> planVsDoneLayers(const PlanVsDone& result,
                                          const PlanVsDoneOptions& options);

/// The printed report: period, totals, per partner and per site, and the missed visits.
std::string formatPlanVsDone(const PlanVsDone& result);

/// The tallies as CSV (`;`-separated, decimal comma for Dutch Excel): niveau (partner, plek,
/// totaal), partner_id, site_laag, site_id, gepland, gedaan, gemist, ongepland, pct_gedaan,
/// bevindingen, signalen.
std::string planVsDoneCsv(const PlanVsDone& result);

/// The matching used above, exposed for tests: windows [begin, end] and event times (any unit);
/// returns for each window the index of its event, or -1. Maximises the number of matches.
std::vector<int> matchWindows(const std::vector<std::pair<double, double>>& windows,
                              const std::vector<double>& times);

/// Minutes since 1970-01-01T00:00 of an ISO date-time (YYYY-MM-DD[THH:MM[:SS]]), or nullopt.
std::optional<double> isoMinutes(const std::string& iso);

}  // namespace veldwacht::layers
