// The input points as a host streams them once to a builder that counts them as they come
// (buildAggregationStreamed), never holding them all.
#pragma once

#include <functional>
#include <string>

#include "geo/core/point_sink.h"
#include "geo/core/progress.h"
#include "layers/analyses/inputs.h"

namespace veldwacht::layers {

/// The input points as a host reads them once, never all held (the plugin counting a GeoPackage):
/// `read(sink, progress)` hands every point (with its weight when `weighted`, else 1) to `sink`
/// in input order when the builder asks for them; `about` as StreamedPoints::about.
struct PointStream {
  std::function<void(geo::PointSink& sink, geo::Progress& progress)> read;
  bool weighted = false;
  PointInput about;
  /// Where a builder that needs the points twice keeps them meanwhile (geo::PointSpill); empty:
  /// the system's temporary folder.
  std::string spillDirectory;
};

}  // namespace veldwacht::layers
