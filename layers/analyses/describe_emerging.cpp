// The description of Emerging Hot Spot Analysis (command `emerging`): emerginghotspots.
// Texts in English and Dutch (Dutch as in plugin/i18n/veldwacht_nl.ts).
#include "layers/analyses/describe_common.h"
#include "layers/analyses/emerging.h"

namespace veldwacht::layers::describe {

namespace {

using R = EmergingRequest;

/// The space-time cube: cell shape and size, time step unit, length and alignment.
void addCubeOptions(Analysis<R>& a) {
  addShape(a, choiceField(&R::cube, &geo::SpaceTimeCubeOptions::shape, gridShapeChoices()))
      .help("Bin shape.", "Vorm van de cellen.")
      .group("Space-time cube");
  addOption(a, "bin-size", "BIN_SIZE", OptionKind::Real,
            field(&R::cube, &geo::SpaceTimeCubeOptions::binSize))
      .label("Cell size (0 = from the data)", "Celgrootte (0 = uit de data)")
      .help("Bin size in metres; 0 = suggested from the data.",
            "Celgrootte in meters; 0 = voorgesteld uit de data.")
      .unit("m")
      .atLeast(0)
      .atMost(geo::kMaxCellSize)
      .group("Space-time cube");
  addOption(a, "time-unit", "TIME_UNIT", OptionKind::Choice,
            choiceField(&R::cube, &geo::SpaceTimeCubeOptions::timeUnit,
                        std::vector<std::pair<std::string, geo::TimeUnit>>{
                            {"days", geo::TimeUnit::Days}, {"months", geo::TimeUnit::Months}}),
            {"days", "months"})
      .label("Time step unit", "Eenheid van de tijdstap")
      .help("days or months.", "dagen of maanden.")
      .group("Space-time cube");
  addOption(a, "time-step", "TIME_STEP", OptionKind::Integer,
            field(&R::cube, &geo::SpaceTimeCubeOptions::timeStep))
      .label("Time step length", "Lengte van de tijdstap")
      .help("Steps of this many days or months (3 = quarter).",
            "Stappen van zoveel dagen of maanden (3 = kwartaal).")
      .atLeast(1)
      .atMost(3660)
      .group("Space-time cube");
  addOption(
      a, "alignment", "ALIGNMENT", OptionKind::Choice,
      choiceField(&R::cube, &geo::SpaceTimeCubeOptions::alignment,
                  std::vector<std::pair<std::string, geo::TimeAlignment>>{
                      {"end", geo::TimeAlignment::End}, {"start", geo::TimeAlignment::Start}}),
      {"end", "start"})
      .label("Time alignment", "Uitlijning in de tijd")
      .help("end: the last step ends at the latest point; start: the first starts at the first.",
            "end: de laatste stap eindigt bij het laatste punt; start: de eerste begint bij het "
            "eerste.")
      .group("Space-time cube")
      .advanced();
}

/// The analysis: neighbourhood in space and time, significance, correction, permutations.
void addAnalysisOptions(Analysis<R>& a) {
  addOption(a, "neighbourhood-distance", "DISTANCE", OptionKind::Real,
            field(&R::emerging, &geo::EmergingHotSpotOptions::neighbourhoodDistance))
      .label("Neighbourhood distance (0 = from the data)", "Buurtafstand (0 = uit de data)")
      .help("Metres; 0 = the contiguous bins.", "Meters; 0 = de aangrenzende cellen.")
      .unit("m")
      .atLeast(0)
      .atMost(1e6)
      .group("Analysis");
  addOption(a, "neighbourhood-time-step", "NEIGHBOUR_STEPS", OptionKind::Integer,
            field(&R::emerging, &geo::EmergingHotSpotOptions::neighbourhoodTimeStep))
      .label("Neighbourhood time steps", "Tijdstappen in de buurt")
      .help("Previous time steps in the neighbourhood.", "Eerdere tijdstappen in de buurt.")
      .atLeast(0)
      .atMost(1000)
      .group("Analysis");
  addOption(a, "alpha", "ALPHA", OptionKind::Real,
            field(&R::emerging, &geo::EmergingHotSpotOptions::alpha))
      .label("Significance of a hot/cold bin", "Significantie van een hete/koude cel")
      .help("Significance of a hot or cold bin (after the correction).",
            "Significantie van een hete of koude cel (na de correctie).")
      .greaterThan(0)
      .lessThan(1)
      .group("Analysis")
      .advanced();
  addOption(a, "trend-alpha", "TREND_ALPHA", OptionKind::Real,
            field(&R::emerging, &geo::EmergingHotSpotOptions::trendAlpha))
      .label("Significance of the trend", "Significantie van de trend")
      .help("Significance of the Mann-Kendall trend.", "Significantie van de Mann-Kendall-trend.")
      .greaterThan(0)
      .lessThan(1)
      .group("Analysis")
      .advanced();
  addCorrection(
      a, choiceField(&R::emerging, &geo::EmergingHotSpotOptions::correction, correctionChoices()))
      .group("Analysis");
  addPermutations(a, field(&R::emerging, &geo::EmergingHotSpotOptions::permutations))
      .help("Conditional permutations per bin; 0 = analytic p-values.",
            "Conditionele permutaties per cel; 0 = analytische p-waarden.")
      .group("Analysis");
  addSeed(a, field(&R::emerging, &geo::EmergingHotSpotOptions::seed))
      .help("Seed of the permutations.", "Startwaarde van de permutaties.")
      .group("Analysis");
  addThreads(a, field(&R::emerging, &geo::EmergingHotSpotOptions::threads));
}

Analysis<R> emergingDescription() {
  auto a = analysisOf<R>(
      {"emerging", "hotspots", {"Hot spots", "Hotspots"}}, "emerginghotspots", {"emerging"},
      {"Emerging hot spots", "Opkomende hotspots"},
      {"Where hot spots appear, grow, persist or fade over time (as ArcGIS's Emerging Hot Spot "
       "Analysis): incidents are counted in a space-time cube of cells and time steps, Gi* is "
       "computed for every cell and step with space-time neighbours, and the Mann-Kendall trend of "
       "each cell's z-scores decides the category (new, consecutive, intensifying, persistent, "
       "diminishing, sporadic, oscillating, historical hot or cold spot).",
       "Waar hotspots ontstaan, groeien, blijven of verdwijnen in de tijd (zoals Emerging Hot Spot "
       "Analysis van ArcGIS): incidenten worden geteld in een ruimte-tijdkubus van cellen en "
       "tijdstappen, Gi* wordt berekend voor elke cel en stap met buren in ruimte en tijd, en de "
       "Mann-Kendall-trend van de z-scores van elke cel bepaalt de categorie (nieuwe, "
       "opeenvolgende, toenemende, blijvende, afnemende, sporadische, wisselende of historische "
       "hot- of coldspot)."});
  Input in = pointInput(false, "incidenten");
  in.label = {"Incident points", "Incidentpunten"};
  in.keys = false;  // counted per cell and time step: no per-point rows
  a.inputs = {in};
  addCubeOptions(a);
  addAnalysisOptions(a);

  a.results = {polygonTable(
      "emerging_hotspots",
      {"One polygon per analysed bin location.", "Eén vlak per geanalyseerde cel."},
      {resultFieldOf("cel_id", FieldType::Text, "bin id", "cel-id"),
       resultFieldOf("categorie", FieldType::Text, "ArcGIS pattern name (English)",
                     "ArcGIS-patroon (Engels)"),
       resultFieldOf("aantal", FieldType::Integer, "points in the bin over all steps",
                     "aantal punten in de cel over alle stappen"),
       resultFieldOf("stappen_heet", FieldType::Integer, "significantly hot steps",
                     "significant hete stappen"),
       resultFieldOf("stappen_koud", FieldType::Integer, "significantly cold steps",
                     "significant koude stappen"),
       resultFieldOf("laatste_gi_z", FieldType::Real, "Gi* z of the last step",
                     "Gi* z van de laatste stap"),
       resultFieldOf("laatste_gi_bin", FieldType::Integer, "Gi* bin (−3…+3) of the last step",
                     "Gi*-klasse (−3…+3) van de laatste stap"),
       resultFieldOf("trend_z", FieldType::Real, "Mann-Kendall z of the Gi* z-scores",
                     "Mann-Kendall z van de Gi* z-scores"),
       resultFieldOf("trend_p", FieldType::Real, "p of the trend", "p van de trend"),
       resultFieldOf("trend_tau", FieldType::Real, "Kendall's tau", "Kendalls tau")})};
  return a;
}

}  // namespace

const std::vector<Analysis<EmergingRequest>>& emergingAnalyses() {
  static const std::vector<Analysis<EmergingRequest>> all = finishAll<R>({emergingDescription()});
  return all;
}

}  // namespace veldwacht::layers::describe
