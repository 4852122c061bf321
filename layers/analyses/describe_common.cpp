#include "layers/analyses/describe_common.h"

namespace veldwacht::layers::describe {

Input pointInput(bool weightField, std::string defaultLayer) {
  Input in;
  in.cli = "layer";
  in.processing = "INPUT";
  in.kind = InputKind::Points;
  in.weightField = weightField;
  in.defaultLayer = std::move(defaultLayer);
  in.label = {"Input point layer", "Invoerlaag (punten)"};
  in.help = {"Layer with the points (polygons count at their centroid), with an optional filter" +
                 std::string(weightField ? " and a numeric weight field." : "."),
             "Laag met de punten (vlakken tellen op hun zwaartepunt), met een optioneel filter" +
                 std::string(weightField ? " en een numeriek gewichtsveld." : ".")};
  return in;
}

Input maskInput() {
  Input in;
  in.cli = "mask-layer";
  in.processing = "MASK";
  in.kind = InputKind::Polygons;
  in.optional = true;
  in.label = {"Mask (study area)", "Masker (studiegebied)"};
  in.help = {
      "Polygons limiting the analysis (e.g. gemeenten, or bedrijventerreinen where it can "
      "happen).",
      "Vlakken die de analyse begrenzen (bijv. gemeenten, of bedrijventerreinen waar het "
      "kan gebeuren)."};
  return in;
}

Input denominatorInput() {
  Input in;
  in.cli = "denominator-layer";
  in.processing = "DENOMINATOR";
  in.kind = InputKind::Points;
  in.optional = true;
  in.weightField = true;
  in.label = {"Denominator points (addresses)", "Punten in de noemer (adressen)"};
  in.help = {"Points to divide by, e.g. verblijfsobjecten: a rate instead of a count.",
             "Punten om door te delen, bijv. verblijfsobjecten: een verhouding in plaats van een "
             "aantal."};
  return in;
}

Input polygonInput(const Text& label, const Text& help) {
  Input in;
  in.cli = "polygon-layer";
  in.processing = "POLYGONS";
  in.kind = InputKind::Polygons;
  in.optional = true;
  in.label = label;
  in.help = help;
  return in;
}

ResultField resultFieldOf(std::string name, FieldType type, std::string en, std::string nl) {
  return {std::move(name), type, {std::move(en), std::move(nl)}};
}

ResultTable polygonTable(std::string style, Text meaning, std::vector<ResultField> fields) {
  ResultTable t;
  t.processing = "OUTPUT";
  t.geometry = GeometryKind::MultiPolygon;
  t.style = std::move(style);
  t.meaning = std::move(meaning);
  t.fields = std::move(fields);
  return t;
}

std::vector<std::pair<std::string, geo::GridShape>> gridShapeChoices() {
  return {{"hexagon", geo::GridShape::HexagonPointyTop},
          {"hexagon-flat", geo::GridShape::HexagonFlatTop},
          {"square", geo::GridShape::Square}};
}

std::vector<std::pair<std::string, geo::Correction>> correctionChoices() {
  return {{"fdr", geo::Correction::Fdr},
          {"bonferroni", geo::Correction::Bonferroni},
          {"none", geo::Correction::None}};
}

}  // namespace veldwacht::layers::describe
