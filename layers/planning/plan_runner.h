// Patrol and schouw plans as coordinators run them (`veldwacht plan`, Processing "plan"):
// sites from any point layer of the store or a point result table (the address-check list),
// each with its own priority, bevoegdheid, window, dwell and mandatory flag when the layer has
// those fields (PlanRequest::SiteFields); the partners layer with its bases, bevoegdheden,
// day/night availability and werkgebied_km, each partner with its own travel mode and matrix;
// shifts generated for a period (or read from a CSV partner_id,datum,start,eind[,vervoer],
// several per partner); the travel-time matrices over the store's road network, and the period
// plan of geo/planning (each high-priority site k times at varied moments).
//
// Result tables (a contract with the fieldwork reader, route cards and the plugin):
//   <output>_routes     lines along the roads, one per partner and shift with visits:
//                       partner_id, dienst, datum, start, eind, n_bezoeken, reistijd_min,
//                       afstand_km, prioriteit_totaal, vervoer
//   <output>_bezoeken   points at the sites: partner_id, dienst, volgorde, site_laag, site_id,
//                       aankomst, vertrek, verblijf_min, prioriteit, vaardigheid, dag_nacht
//   <output>_vervallen  points: site_laag, site_id, prioriteit, verplicht, reden (Dutch)
//
// Times are Dutch local time on the store's naive clock (layers/analyses/inputs.h); inside the
// solver they are minutes after 00:00 of the period's first day. Day and night windows follow
// the sun at each site (geo/planning/sun.h): "dag" = sunrise..sunset, "nacht" = end of civil
// dusk..start of civil dawn. A generated day shift starts at a fixed hour; a night shift at the
// end of civil dusk at the partner's base.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "geo/network/shortest_paths.h"
#include "geo/network/snap.h"
#include "geo/planning/period.h"
#include "geo/planning/plan.h"
#include "layers/analyses/analysis_result.h"
#include "layers/analyses/description.h"
#include "layers/network/network_analyses.h"

namespace veldwacht::layers {

/// When a site may be visited.
enum class SiteWindow { Altijd, Dag, Nacht };
const char* siteWindowName(SiteWindow w);  ///< altijd, dag, nacht

struct PlanRequest {
  /// The sites; `weightField` is the priority field (numeric, >= 0).
  PointSelection sites{"vab", "", ""};
  double priority = 1.0;       ///< every site's priority when there is no priority field
  double dwellMinutes = 12.0;  ///< time at each site (the Koper method: 10-15 min)
  SiteWindow window = SiteWindow::Altijd;
  std::string skill = "signaleren";  ///< a bevoegdheid of the partners layer
  bool mandatory = false;
  /// Per-site fields of the site layer, read when the layer has a field of that name (an empty
  /// name: not read); sites whose value is NULL, and layers without the field, take the
  /// request-wide value above. Bad values are refused naming the layer, row and field.
  struct SiteFields {
    /// Numeric priority, used when `sites.weightField` is empty (the address-check list's
    /// `prioriteit` = its score).
    std::string priority = "prioriteit";
    std::string skill = "vaardigheid";  ///< a bevoegdheid (signaleren, adrescontrole, ...)
    /// dag | nacht | altijd | HH:MM-HH:MM (every day; past midnight when the end is earlier) |
    /// YYYY-MM-DDTHH:MM/YYYY-MM-DDTHH:MM (once): when the visit may take place.
    std::string window = "venster";
    std::string dwell = "verblijf_min";   ///< minutes, 0..1440
    std::string mandatory = "verplicht";  ///< 1/0, true/false, ja/nee
  } siteFields;
  std::string partnersWhere;  ///< filter on the partners layer
  /// Keep each partner to its werkgebied: a site farther (straight line) than the partner's
  /// `werkgebied_km` from its base is not assigned to that partner (NULL or 0: no limit).
  bool werkgebied = true;
  /// Travel mode per partner, "P01=fiets,P02=landbouw" (auto, landbouw, fiets, lopen); partners
  /// not named travel by `network.mode`, or by the partners layer's `vervoer` field when the
  /// schema has one. Each mode used gets its own travel-time matrix over the road network. A
  /// shifts CSV may also give `vervoer` per shift.
  std::string partnerModes;
  /// First and last day, `YYYY-MM-DD/YYYY-MM-DD` (inclusive, at most 62 days).
  std::string period = "2026-12-07/2026-12-13";
  /// Shifts from this CSV (partner_id,datum,start,eind) instead of generating them.
  std::string shiftsCsv;
  double dayShiftStart = 10.0;  ///< hour a generated day shift starts
  double shiftHours = 3.0;      ///< length of a generated shift
  /// Generated shifts per partner in the period (alternating day and night when the partner is
  /// available for both, on seeded random days); 0 = every day and night it is available.
  std::int64_t shiftsPerPartner = 2;
  geo::PeriodOptions visits{};  ///< visits = k, highPriority, varyFraction (start/end: period)
  geo::PlanOptions solver{};
  NetworkCommon network{};
  std::uint64_t seed = 1;  ///< seeds the shift days, the period's slots and the solver

  PlanRequest();
  void validate() const;
};

/// One shift of one partner (a route of the solver).
struct PlanShift {
  std::size_t partner = 0;  ///< index into PlanInput::partnerIds
  std::string id;           ///< dienst, e.g. "P01-2026-12-08-nacht"
  std::string date;         ///< YYYY-MM-DD
  double start = 0.0;       ///< minutes after the period's start
  double end = 0.0;
  bool night = false;
  std::size_t mode = 0;  ///< index into PlanInput::modes
};

/// Everything read from the store and the network, before solving.
struct PlanInput {
  /// The sites: a point or area layer of the schema, or a point result table of the store
  /// (e.g. the address-check list of `veldwacht adreslijst`: key `sleutel`).
  PointInput sites;
  std::vector<double> priority;         ///< per site
  std::vector<std::string> skill;       ///< per site: the bevoegdheid it needs
  std::vector<double> dwell;            ///< per site, minutes
  std::vector<char> mandatory;          ///< per site
  std::vector<std::string> windowText;  ///< per site: dag, nacht, altijd, or the explicit window
  /// The per-site fields that were read (e.g. "vaardigheid"), for the report.
  std::vector<std::string> fieldsRead;
  std::vector<std::int64_t> siteRow;  ///< per site: its row (feature id) in the layer
  std::vector<std::string> partnerIds;
  std::vector<geo::Point> bases;  ///< per partner
  std::vector<geo::SkillMask> partnerSkills;
  std::vector<double> werkgebiedKm;      ///< per partner; 0 = no limit
  std::vector<std::size_t> partnerMode;  ///< per partner: index into `modes`
  /// The travel modes in use; modes[0] = the request's mode. One matrix and graph per mode.
  std::vector<geo::TravelMode> modes;
  std::vector<PlanShift> shifts;
  geo::TimeSeconds periodStart = 0;  ///< naive seconds of 00:00 of the first day
  int days = 0;
  /// Matrix nodes: the snapped sites, then the bases. siteNode[i] = -1: not near a road.
  std::vector<std::int64_t> siteNode;
  std::vector<std::size_t> baseNode;
  std::vector<geo::NetworkLocation> locations;  ///< per node, on the roads of modes[0]
  /// Per mode, per node: sites and bases snap to the roads of the mode that travels to them
  /// (geo::ModeSnappers); NetworkLocation::nowhere() where a node is too far from that mode's
  /// roads.
  std::vector<std::vector<geo::NetworkLocation>> modeLocations;
  std::size_t nodes = 0;
  /// Per mode: nodes x nodes travel time in minutes (inf = unreachable), and length in metres.
  std::vector<std::vector<double>> minutes;
  std::vector<std::vector<double>> metres;
  /// Per site: the windows (start of service) in solver minutes; empty = the whole period
  /// (when windowed[i] is 0) or no window in the period (windowed[i] = 1: never open).
  std::vector<std::vector<geo::TimeWindow>> windows;
  std::vector<char> windowed;
  std::shared_ptr<const LoadedNetwork> network;
  std::vector<std::shared_ptr<const geo::SearchGraph>> graphs;  ///< per mode
  std::vector<std::string> warnings;
  std::vector<std::string> lines;
};

/// Reads sites, partners and shifts, snaps them and computes the matrix. Throws InputError
/// naming the row for a partner without a base, a base far from the roads, a bad shift row, a
/// dwell longer than every shift, and OptionError for a bad period or skill.
PlanInput readPlanInput(Store& store, const PlanRequest& request,
                        geo::Progress& progress = geo::nullProgress());

/// The solved plan over the input's copies of the sites (geo::periodVisits).
struct PlanOutput {
  geo::PeriodSites copies;
  std::vector<geo::PlanRoute> routes;  ///< parallel to PlanInput::shifts
  geo::PlanResult result;
};
PlanOutput computePlan(const PlanInput& in, const PlanRequest& request,
                       geo::Progress& progress = geo::nullProgress());

/// The three result tables (named and typed as the description's results).
AnalysisResult buildPlanResult(const PlanInput& in, const PlanRequest& request,
                               const PlanOutput& out, const RunClock& clock);

/// read → compute → build → write in one transaction.
RunReport runPlan(Store& store, const PlanRequest& request,
                  geo::Progress& progress = geo::nullProgress());

/// Dutch reason for a dropped site, e.g. "geen partner met bevoegdheid adrescontrole".
std::string dropReasonDutch(geo::DropReason reason, const std::string& skill);

namespace describe {
/// plan (command plan).
const std::vector<Analysis<PlanRequest>>& planningAnalyses();
}  // namespace describe

}  // namespace veldwacht::layers
