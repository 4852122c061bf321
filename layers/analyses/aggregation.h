// Counting points per cell of a hexagonal or square grid, or per polygon of a store layer
// (buurten, bedrijventerreinen), with an optional denominator (another point selection, e.g.
// verblijfsobjecten or vab) and rates. Writes one styled polygon layer:
//   grid / polygons: aantal (points), gewogen (weight sum, with a weight field), noemer and
//   per_noemer (with a denominator), oppervlakte_ha, per_ha — style grid_counts;
//   bedrijventerreinen: also plan_naam and incidenten_per_ha — style parks_incident_rate.
#pragma once

#include <optional>

#include "geo/aggregation/grid.h"
#include "geo/aggregation/polygon_counts.h"
#include "layers/analyses/analysis_result.h"
#include "layers/analyses/description.h"
#include "layers/analyses/point_stream.h"
#include "layers/analyses/report.h"

namespace veldwacht::layers {

struct AggregationRequest {
  PointSelection input;
  std::optional<PointSelection> denominator;
  std::string output = "aantallen";
  /// Count per polygon of this layer instead of per grid cell (e.g. buurten).
  std::string polygonLayer;
  std::string polygonWhere;
  geo::PolygonCountOptions polygonCounts;
  /// The grid (its maskWkb is filled from maskLayer; an empty extent becomes the points' extent
  /// grown by one cell when there is no mask).
  geo::GridOptions grid;
  std::string
      maskLayer;  ///< e.g. gemeenten (study area) or bedrijventerreinen (where it can happen)
  std::string maskWhere;
  /// Rates per denominator (minDenominator, scale, e.g. 1000 for "per 1000 addresses").
  geo::RateOptions rate;
  /// Leave cells without any point (and without denominator) out of the layer.
  bool dropEmpty = false;
  std::string stylesDir;

  void validate() const;
};

/// Step 1 for the CLI: the points, the denominator and the polygons (or the mask) from the store.
AnalysisInputs readAggregationInputs(Store& store, const AggregationRequest& request,
                                     geo::Progress& progress = geo::nullProgress());

/// Steps 2 and 3 for any host: the counts per polygon or grid cell and the result table
/// (the description's "OUTPUT"). `inputs.points` is required, `inputs.polygons` with a polygon
/// layer; `inputs.mask` limits the grid. Nothing is written.
AnalysisResult buildAggregation(const AnalysisInputs& inputs, const AggregationRequest& request,
                                geo::Progress& progress = geo::nullProgress());

/// Whether buildAggregationStreamed takes `request`: no denominator.
bool aggregationStreams(const AggregationRequest& request);

/// Step 2 for a host that streams its input points (the plugin reading a GeoPackage): the same
/// counts, table, report and metadata as buildAggregation, counted as `points.read` hands the
/// points over, so that they are never held. Polygons: the index first, then each point counted
/// as it comes. Grid: with a mask or an extent the grid is made first and each point counted as
/// it comes; else the points go into a geo::PointSpill (16 bytes a point on disk, 24 weighted)
/// for their extent, and are counted in one pass over it. `units` holds the mask or the polygons
/// as for buildAggregation (its points are not used). Throws std::logic_error when
/// !aggregationStreams(request).
AnalysisResult buildAggregationStreamed(const PointStream& points, const AnalysisInputs& units,
                                        const AggregationRequest& request,
                                        geo::Progress& progress = geo::nullProgress());

/// The whole run for the CLI: read (0–20 %), build (20–80 %), write into the store (80–100 %).
RunReport runAggregation(Store& store, const AggregationRequest& request,
                         geo::Progress& progress = geo::nullProgress());

namespace describe {
/// gridcount, and polygoncount when a polygon layer is given (command aggregate).
const std::vector<Analysis<AggregationRequest>>& aggregationAnalyses();
const Analysis<AggregationRequest>& aggregationAnalysis(std::string_view id);
}  // namespace describe

/// The grid's extent when none is given: the points' bounding box grown by one cell.
geo::Extent paddedExtent(std::span<const geo::Point> points, double margin);
/// `extent` grown by `margin` on every side.
geo::Extent paddedExtent(geo::Extent extent, double margin);

/// A grid cell's polygon as an OGR geometry (the clipped part when it was clipped).
geo::GeometryPtr cellGeometry(const geo::GridCell& cell);

}  // namespace veldwacht::layers
