// The descriptions of the aggregation analyses (command `aggregate`): gridcount, and
// polygoncount when a polygon layer is given. Texts in English and Dutch (plugin/i18n).
#include "layers/analyses/aggregation.h"
#include "layers/analyses/describe_common.h"

namespace veldwacht::layers::describe {

namespace {

using R = AggregationRequest;

void addRateOptions(Analysis<R>& a) {
  addOption(a, "min-denominator", "MIN_DENOMINATOR", OptionKind::Real,
            field(&R::rate, &geo::RateOptions::minDenominator))
      .label("Minimum denominator", "Minimale noemer")
      .help("Rates with a smaller denominator stay empty.",
            "Verhoudingen met een kleinere noemer blijven leeg.")
      .atLeast(0)
      .atMost(1e12)
      .group("Denominator")
      .advanced();
  addOption(a, "scale", "SCALE", OptionKind::Real, field(&R::rate, &geo::RateOptions::scale))
      .label("Rate multiplier", "Vermenigvuldiger van de verhouding")
      .help("Rate multiplier, e.g. 1000 for per 1000 addresses.",
            "Vermenigvuldiger, bijv. 1000 voor per 1000 adressen.")
      .greaterThan(0)
      .atMost(1e12)
      .group("Denominator")
      .advanced();
}

/// The fields of the count layer; which of them appear depends on the run (see meanings).
ResultTable countsTable(bool polygons) {
  ResultTable t;
  t.processing = "OUTPUT";
  t.geometry = GeometryKind::MultiPolygon;
  t.style = "grid_counts";
  t.meaning = {polygons ? "One row per polygon (style parks_incident_rate for bedrijventerreinen)."
                        : "One row per grid cell.",
               polygons ? "Eén rij per polygoon (stijl parks_incident_rate voor "
                          "bedrijventerreinen)."
                        : "Eén rij per cel."};
  if (polygons) {
    t.fields = {resultFieldOf("bron_id", FieldType::Text, "natural key of the polygon",
                              "natuurlijke sleutel van de polygoon"),
                resultFieldOf("naam", FieldType::Text,
                              "name of the polygon (plan_naam for bedrijventerreinen)",
                              "naam van de polygoon (plan_naam voor bedrijventerreinen)")};
  } else {
    t.fields = {resultFieldOf("cel_id", FieldType::Text, "cell id (column_row)", "cel-id")};
  }
  t.fields.push_back(
      resultFieldOf("aantal", FieldType::Integer, "points in the unit", "aantal punten"));
  t.fields.push_back(resultFieldOf("oppervlakte_ha", FieldType::Real, "area in hectares",
                                   "oppervlakte in hectare"));
  t.fields.push_back(
      resultFieldOf("per_ha", FieldType::Real, "points per hectare", "aantal per hectare"));
  if (polygons)
    t.fields.push_back(resultFieldOf("incidenten_per_ha", FieldType::Real,
                                     "bedrijventerreinen only: incidents per hectare",
                                     "alleen bedrijventerreinen: incidenten per hectare"));
  t.fields.push_back(resultFieldOf("gewogen", FieldType::Real, "with a weight field: weight sum",
                                   "met een gewichtsveld: som van de gewichten"));
  t.fields.push_back(resultFieldOf("noemer", FieldType::Real,
                                   "with a denominator: its count (or weight sum)",
                                   "met een noemer: het aantal (of de gewichtssom)"));
  t.fields.push_back(resultFieldOf("per_noemer", FieldType::Real,
                                   "with a denominator: aantal / noemer × scale",
                                   "met een noemer: aantal / noemer × vermenigvuldiger"));
  return t;
}

Analysis<R> base(std::string id, Text title, Text help) {
  std::vector<std::string> methods = {id};
  return analysisOf<R>({"aggregate", "aggregation", {"Aggregation", "Aggregatie"}}, std::move(id),
                       std::move(methods), std::move(title), std::move(help));
}

Analysis<R> gridCountDescription() {
  auto a = base(
      "gridcount", {"Count points in a grid", "Punten tellen in een raster"},
      {"Counts points (or sums a weight) in square or hexagonal cells. Hexagons have six equal "
       "neighbours and smaller edge effects (Birch, Oom & Beecham 2007). An optional mask (study "
       "area, or where it can happen) limits the cells; cells can be kept whole or clipped. "
       "Output cells carry aantal, the cell area and the count per hectare. Cells are the basis "
       "of hotspot statistics and of privacy-safe maps.",
       "Telt punten (of somt een gewicht) in vierkante of zeshoekige cellen. Zeshoeken hebben "
       "zes gelijke buren en kleinere randeffecten (Birch, Oom & Beecham 2007). Een optioneel "
       "masker (studiegebied, of waar het kan gebeuren) begrenst de cellen; cellen blijven heel "
       "of worden afgesneden. De cellen krijgen aantal, de oppervlakte en het aantal per "
       "hectare. Cellen zijn de basis van hotspotstatistiek en van privacyveilige kaarten."});
  a.inputs = {pointInput(true), maskInput(), denominatorInput()};
  for (Input& in : a.inputs) in.keys = false;  // counted per unit: no per-point rows
  addGridOptions(a, &R::grid);
  addOption(a, "drop-empty", "DROP_EMPTY", OptionKind::Boolean, field(&R::dropEmpty))
      .label("Leave empty cells out", "Lege cellen weglaten")
      .help("Leave cells without points (and without denominator) out of the layer.",
            "Cellen zonder punten (en zonder noemer) weglaten.")
      .group("Grid")
      .advanced();
  addRateOptions(a);
  a.results = {countsTable(false)};
  return a;
}

Analysis<R> polygonCountDescription() {
  auto a = base(
      "polygoncount", {"Count points in polygons", "Punten tellen in polygonen"},
      {"Counts points (or sums a weight) in each polygon, e.g. incidents per business park or "
       "signals per neighbourhood, and the count per hectare. A point on a shared boundary counts "
       "in every polygon that covers it, only in the first one, or in none (interior only).",
       "Telt punten (of somt een gewicht) in elke polygoon, bijv. incidenten per "
       "bedrijventerrein of signalen per buurt, en het aantal per hectare. Een punt op een "
       "gedeelde grens telt in elke polygoon die het bedekt, alleen in de eerste, of in geen "
       "(alleen binnenkant)."});
  Input polygons = polygonInput({"Polygons", "Polygonen"},
                                {"Polygons to count in (buurten, bedrijventerreinen …).",
                                 "Polygonen om in te tellen (buurten, bedrijventerreinen …)."});
  polygons.optional = false;
  polygons.defaultLayer = "buurten";
  a.inputs = {pointInput(true), polygons, denominatorInput()};
  for (Input& in : a.inputs) in.keys = false;  // counted per unit: no per-point rows
  a.makeDefaults = [] {
    R r;
    r.polygonLayer = "buurten";
    return r;
  };
  addOption(a, "boundary", "BOUNDARY", OptionKind::Choice,
            choiceField(&R::polygonCounts, &geo::PolygonCountOptions::boundary,
                        std::vector<std::pair<std::string, geo::BoundaryRule>>{
                            {"all-covering", geo::BoundaryRule::AllCovering},
                            {"first-covering", geo::BoundaryRule::FirstCovering},
                            {"interior-only", geo::BoundaryRule::InteriorOnly}}),
            {"all-covering", "first-covering", "interior-only"})
      .label("Points on a boundary", "Punten op een grens")
      .help("Count in every covering polygon, only in the first, or not at all (interior only).",
            "Tellen in elke bedekkende polygoon, alleen in de eerste, of niet (alleen "
            "binnenkant).")
      .advanced();
  addRateOptions(a);
  a.results = {countsTable(true)};
  return a;
}

}  // namespace

const std::vector<Analysis<AggregationRequest>>& aggregationAnalyses() {
  static const std::vector<Analysis<AggregationRequest>> all =
      finishAll<R>({gridCountDescription(), polygonCountDescription()});
  return all;
}

const Analysis<AggregationRequest>& aggregationAnalysis(std::string_view id) {
  return findAnalysis(aggregationAnalyses(), id, "aggregation");
}

}  // namespace veldwacht::layers::describe
