// Pieces that several descriptions share (inputs, threads, result fields). Internal to
// layers/analyses; hosts use description.h and the per-family accessors.
#pragma once

#include "geo/aggregation/grid.h"
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
  addOption(a, "shape", "SHAPE", OptionKind::Choice,
            choiceField(grid, &geo::GridOptions::shape,
                        std::vector<std::pair<std::string, geo::GridShape>>{
                            {"hexagon", geo::GridShape::HexagonPointyTop},
                            {"hexagon-flat", geo::GridShape::HexagonFlatTop},
                            {"square", geo::GridShape::Square}}),
            {"hexagon", "hexagon-flat", "square"})
      .label("Cell shape", "Celvorm")
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
