// Pieces that several descriptions share (inputs, threads, result fields). Internal to
// layers/analyses; hosts use description.h and the per-family accessors.
#pragma once

#include "geo/aggregation/grid.h"
#include "geo/hotspots/inference.h"
#include "layers/analyses/description.h"

namespace veldwacht::layers::describe {

/// The most threads an option accepts: more than any machine Veldwacht runs on, far below what
/// breaks the thread pool (65537 crashed TBB).
inline constexpr int kMaxThreads = 256;

/// The point layer every analysis reads: --layer/--where/--weight-field, INPUT.
Input pointInput(bool weightField, std::string defaultLayer = "signalen");
/// A polygon mask: --mask-layer/--mask-where, MASK.
Input maskInput();
/// A denominator point selection: --denominator-layer/-where/-weight-field, DENOMINATOR.
Input denominatorInput();
/// Polygon units with a value field or to count in: --polygon-layer/--polygon-where, POLYGONS.
Input polygonInput(const Text& label, const Text& help);

ResultField resultFieldOf(std::string name, FieldType type, std::string en, std::string nl);

/// The command and Processing group a family of analyses shares.
struct Family {
  std::string command;  ///< "cluster"
  std::string group;    ///< "clustering"
  Text name;            ///< {"Clustering", "Clustering"}
};

/// An analysis of `family` with its id, --method names, title and help. It starts from a
/// default request and choosing a method changes nothing; families with several methods set
/// makeDefaults and selectMethod afterwards.
template <class Request>
Analysis<Request> analysisOf(const Family& family, std::string id, std::vector<std::string> methods,
                             Text title, Text help) {
  Analysis<Request> a;
  a.id = std::move(id);
  a.command = family.command;
  a.methods = std::move(methods);
  a.group = family.group;
  a.groupName = family.name;
  a.title = std::move(title);
  a.help = std::move(help);
  a.makeDefaults = [] { return Request{}; };
  a.selectMethod = [](Request&, std::string_view) {};
  return a;
}

/// `all`, each finished (defaults read back and checked): what a family's accessor keeps.
template <class Request>
std::vector<Analysis<Request>> finishAll(std::vector<Analysis<Request>> all) {
  for (auto& a : all) finish(a);
  return all;
}

/// The analysis `id` of `all`; OptionError on "method" naming the family ("clustering")
/// otherwise.
template <class Request>
const Analysis<Request>& findAnalysis(const std::vector<Analysis<Request>>& all,
                                      std::string_view id, std::string_view family) {
  for (const auto& a : all)
    if (a.id == id) return a;
  throw geo::OptionError("method",
                         "no " + std::string(family) + " analysis '" + std::string(id) + "'");
}

/// One polygon row per unit (grid cell, bin, polygon): Processing OUTPUT, MultiPolygon.
ResultTable polygonTable(std::string style, Text meaning, std::vector<ResultField> fields);

/// The cell shapes of the grids and the space-time cube.
std::vector<std::pair<std::string, geo::GridShape>> gridShapeChoices();
/// The multiple-testing corrections.
std::vector<std::pair<std::string, geo::Correction>> correctionChoices();

/// --shape / SHAPE bound to a GridShape (choices gridShapeChoices()); the caller adds help and
/// group.
template <class Request>
OptionRef addShape(Analysis<Request>& a, Binding<Request> binding) {
  return addOption(a, "shape", "SHAPE", OptionKind::Choice, std::move(binding),
                   {"hexagon", "hexagon-flat", "square"})
      .label("Cell shape", "Celvorm");
}

/// --permutations / PERMUTATIONS: 0..99999, advanced; the caller adds help and group.
template <class Request>
OptionRef addPermutations(Analysis<Request>& a, Binding<Request> binding) {
  return addOption(a, "permutations", "PERMUTATIONS", OptionKind::Integer, std::move(binding))
      .label("Permutations (0 = analytic only)", "Permutaties (0 = alleen analytisch)")
      .atLeast(0)
      .atMost(99999)
      .advanced();
}

/// --seed / SEED: >= 0, advanced; the caller adds help and group.
template <class Request>
OptionRef addSeed(Analysis<Request>& a, Binding<Request> binding) {
  return addOption(a, "seed", "SEED", OptionKind::Integer, std::move(binding))
      .label("Random seed", "Startwaarde toeval (seed)")
      .atLeast(0)
      .advanced();
}

/// --correction / CORRECTION bound to a geo::Correction (choices correctionChoices()),
/// advanced; the caller adds the group.
template <class Request>
OptionRef addCorrection(Analysis<Request>& a, Binding<Request> binding) {
  return addOption(a, "correction", "CORRECTION", OptionKind::Choice, std::move(binding),
                   {"fdr", "bonferroni", "none"})
      .label("Multiple-testing correction", "Correctie voor meervoudig toetsen")
      .help("fdr, bonferroni or none.", "fdr, bonferroni of geen (none).")
      .advanced();
}

/// --threads / THREADS bound to `binding`: 0 = all cores, at most kMaxThreads.
template <class Request>
void addThreads(Analysis<Request>& a, Binding<Request> binding) {
  addOption(a, "threads", "THREADS", OptionKind::Integer, std::move(binding))
      .label("Threads (0 = all cores)", "Threads (0 = alle kernen)")
      .help("Worker threads; 0 uses all cores. The result is the same for any value.",
            "Aantal threads; 0 gebruikt alle kernen. De uitkomst is voor elke waarde gelijk.")
      .atLeast(0)
      .atMost(kMaxThreads)
      .advanced();
}

/// --shape, --cell-size, --clip-mode bound to the request's GridOptions.
template <class Request>
void addGridOptions(Analysis<Request>& a, geo::GridOptions Request::*grid) {
  addShape(a, choiceField(grid, &geo::GridOptions::shape, gridShapeChoices()))
      .help("hexagon (pointy top), hexagon-flat or square.",
            "zeshoek (punt boven), zeshoek met vlakke bovenkant, of vierkant.")
      .group("Grid");
  addOption(a, "cell-size", "CELL_SIZE", OptionKind::Real, field(grid, &geo::GridOptions::cellSize))
      .label("Cell size", "Celgrootte")
      .help("Square side, or hexagon width across flats (centre distance).",
            "Zijde van het vierkant, of breedte van de zeshoek tussen de vlakke zijden (afstand "
            "tussen middelpunten).")
      .unit("m")
      .greaterThan(0)
      .atMost(geo::kMaxCellSize)
      .group("Grid");
  addOption(a, "clip-mode", "CLIP_MODE", OptionKind::Choice,
            choiceField(grid, &geo::GridOptions::clipMode,
                        std::vector<std::pair<std::string, geo::ClipMode>>{
                            {"intersects", geo::ClipMode::Intersects},
                            {"centre-inside", geo::ClipMode::CentreInside},
                            {"clip", geo::ClipMode::Clip}}),
            {"intersects", "centre-inside", "clip"})
      .label("Cells at the mask's edge", "Cellen aan de rand van het masker")
      .help(
          "intersects: keep every cell that touches the mask; centre-inside: cells whose "
          "centre is inside; clip: clip cells to the mask.",
          "intersects: elke cel behouden die het masker raakt; centre-inside: cellen met het "
          "middelpunt erbinnen; clip: cellen afsnijden op het masker.")
      .group("Grid")
      .advanced();
}

}  // namespace veldwacht::layers::describe
