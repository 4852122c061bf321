// The requests of the risk terrain model and the address-check list, and their descriptions
// (layers/analyses/describe_risk.cpp: CLI flags, docs/options.md, Processing parameters).
// Header-only apart from validate(), so the description registry in layers_analyses can build
// default requests without linking layers_risk (which links layers_analyses).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "geo/risk/influence.h"
#include "geo/risk/risk_terrain.h"
#include "layers/analyses/description.h"
#include "layers/analyses/inputs.h"
#include "layers/risk/address_list.h"

namespace veldwacht::layers {

/// How a risk factor's features are found and turned into candidates (docs/algorithms/risk.md).
enum class FactorKind {
  /// Points of a layer (polygon layers: their boundary and the cells inside); proximity and
  /// density candidates.
  Features,
  /// Points of a layer; 1 where none lies within d (e.g. no dwelling: nobody sees it).
  Remoteness,
  /// Network travel time (auto) from the cell's nearest road to the nearest provincial road,
  /// rijksweg or motorway ramp (NWB WEGBEHSRT P/R, BST AF/OP/VB*); 1 within t minutes.
  /// Skipped with a message when the store has no roads.
  RoadAccess,
  /// Dead-end roads: wegvakken (cars may use) with an end junction that no other such wegvak
  /// meets, densified; proximity and density candidates. Skipped without roads.
  DeadEnds,
  /// Farm tracks and other minor roads: wegvakken of a waterschap or other authority (WEGBEHSRT
  /// W/T) and unnamed carriageways, densified; proximity and density. Skipped without roads.
  FarmTracks,
  /// CBS buurt context: 1 where the cell lies in a buurt with fewer than d inwoners per km² of
  /// land (aantal_inwoners / oppervlakte_land_ha). Skipped without buurten.
  SparseBuurt,
  /// Earlier signals, time-decayed (near repeats): the signals before the response period
  /// within d metres, each weighing 0.5^(age / half-life), together at least 1/2; candidates
  /// for every distance and half-life. `category` empty: the same selection as the modelled
  /// signals; else the signals of that category (of the modelled signals' layer). Using one
  /// splits time: the model counts the signals from RiskRequest::responseFrom on and takes
  /// the earlier ones as the factor; the map applies it to all signals up to the day after
  /// the last one (a forecast of the next period).
  EarlierSignals,
};

/// A risk factor from the store.
struct RiskFactorSource {
  std::string name;  ///< as shown in the factor table, e.g. "vab"
  std::string layer;
  std::string where;
  FactorKind kind = FactorKind::Features;
  std::string category{};  ///< EarlierSignals only: one category, empty = the modelled ones
};

/// Name of the earlier-signals factor; "eerder:<CATEGORIE>" takes one category.
inline constexpr std::string_view kEarlierSignalsFactor = "eerder";

/// Length of the response period when RiskRequest::responseFrom is not given (days).
inline constexpr double kDefaultResponseDays = 365.0;

/// Every factor the model knows, by name: vab, bedrijventerrein, afgelegen (verblijfsobjecten),
/// wegtoegang, doodlopend, veldweg (wegvakken), buurt (buurten). Not in it, so not a default
/// (it splits time): eerder and eerder:<CATEGORIE> (earlierSignalsFactor).
inline const std::vector<RiskFactorSource>& riskFactorCatalogue() {
  static const std::vector<RiskFactorSource> c = {
      {"vab", "vab", "", FactorKind::Features},
      {"bedrijventerrein", "bedrijventerreinen", "", FactorKind::Features},
      {"afgelegen", "verblijfsobjecten", "", FactorKind::Remoteness},
      {"wegtoegang", "wegvakken", "", FactorKind::RoadAccess},
      {"doodlopend", "wegvakken", "", FactorKind::DeadEnds},
      {"veldweg", "wegvakken", "", FactorKind::FarmTracks},
      {"buurt", "buurten", "", FactorKind::SparseBuurt}};
  return c;
}

/// The earlier-signals factor: `category` empty = the modelled signals themselves.
inline RiskFactorSource earlierSignalsFactor(const std::string& category = {}) {
  RiskFactorSource f;
  f.name = category.empty() ? std::string(kEarlierSignalsFactor)
                            : std::string(kEarlierSignalsFactor) + ":" + category;
  f.kind = FactorKind::EarlierSignals;
  f.category = category;
  return f;
}

/// The whole catalogue.
inline std::vector<RiskFactorSource> defaultRiskFactors() { return riskFactorCatalogue(); }

/// Travel-time thresholds (minutes) of the road-access candidates.
inline const std::vector<double>& roadAccessMinutes() {
  static const std::vector<double> m{1, 2, 3, 4, 6, 8};
  return m;
}
/// Population-density thresholds (inwoners per km²) of the buurt candidates.
inline const std::vector<double>& sparseBuurtThresholds() {
  static const std::vector<double> t{25, 50, 100, 250, 500};
  return t;
}

struct RiskRequest {
  PointSelection events{};
  /// Study area polygons (e.g. gemeenten); cells whose centre lies inside are modelled.
  std::string studyAreaLayer = "gemeenten";
  std::string studyAreaWhere{};
  double cellSize = 100.0;
  std::vector<RiskFactorSource> factors = defaultRiskFactors();
  geo::InfluenceOptions influence{};
  geo::RiskTerrainOptions model{};
  /// With an earlier-signals factor: the first moment of the response period (signals from it
  /// on are counted, earlier ones are the factor); 0 = kDefaultResponseDays before the day
  /// after the latest signal. Ignored without such a factor.
  geo::TimeSeconds responseFrom = 0;
  std::string output = "risico";
  std::string directory{};  ///< folder for the GeoTIFF; empty = the store's folder
  std::string stylesDir{};
  bool overwrite = false;  ///< replace a GeoTIFF that this store did not write
  void validate() const;
};

/// Where the list's candidates come from.
enum class CandidateSource {
  /// BAG panden (label: the address of a verblijfsobject in it), with the VAB data of the same
  /// pand (leegstand, laatste_bezoek); VAB objects whose pand is not in the store are added.
  Panden,
  /// BAG verblijfsobjecten (addresses), with their pand's and VAB's data.
  Verblijfsobjecten,
  /// The VAB layer only.
  Vab,
};

struct AddressListRequest {
  CandidateSource candidates = CandidateSource::Panden;
  std::string
      candidatesWhere{};  ///< filter on the candidate layer (panden / verblijfsobjecten / vab)
  std::string vabWhere{};
  std::string signalsWhere{};
  /// Area filter: only candidates inside these polygons (e.g. buurten, gemeenten); empty = all.
  std::string areaLayer{};
  std::string areaWhere{};
  /// A relative-risk raster (runRisk's GeoTIFF); empty = no risk-cell part.
  std::string riskRaster{};
  /// Options; referenceTime 0 = one day after the latest signal (reproducible, unlike "now").
  AddressListOptions list{};
  std::string output = "adreslijst";
  /// The sheets for the handhavers; empty = not written. Existing files are refused unless
  /// `overwrite`.
  std::string csvPath{};
  std::string xlsxPath{};
  bool overwrite = false;
  void validate() const;
};

}  // namespace veldwacht::layers

namespace veldwacht::layers::describe {

/// `veldwacht risk` (id risk_terrain).
const std::vector<Analysis<RiskRequest>>& riskAnalyses();
/// `veldwacht adreslijst` (id address_list).
const std::vector<Analysis<AddressListRequest>>& addressListAnalyses();

}  // namespace veldwacht::layers::describe
