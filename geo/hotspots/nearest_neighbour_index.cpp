#include "geo/hotspots/nearest_neighbour_index.h"

#include <cmath>
#include <string>
#include <vector>

#include "geo/core/error.h"
#include "geo/core/got.h"
#include "geo/hotspots/inference.h"
#include "geo/index/kdtree.h"

namespace veldwacht::geo {

void NearestNeighbourIndexOptions::validate() const {
  if (!(area >= 0.0) || !std::isfinite(area))
    throw OptionError("area", "must be a finite area >= 0 (0 = bounding rectangle)" + got(area));
}

NearestNeighbourIndexResult nearestNeighbourIndex(std::span<const Point> points,
                                                  const NearestNeighbourIndexOptions& options,
                                                  Progress& progress) {
  options.validate();
  if (points.size() < 2)
    throw InputError({}, "the nearest neighbour index needs at least 2 points, got " +
                             std::to_string(points.size()));
  NearestNeighbourIndexResult out;
  out.n = points.size();
  out.area = options.area;
  if (out.area == 0.0) {
    Extent e;
    for (const Point& p : points) e.include(p);
    out.area = e.width() * e.height();
    if (!(out.area > 0.0))
      throw InputError({}, "the points are collinear: give the study area explicitly");
  }
  KdTree tree(points);
  ProgressStep step(progress, 0.0, 1.0, "nearest neighbours");
  std::vector<std::uint32_t> idx;
  std::vector<double> dist;
  double sum = 0.0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    tree.nearest(points[i], 2, idx, dist);
    sum += dist[1];
    step.tick(i + 1, points.size());
  }
  const double n = static_cast<double>(out.n);
  out.observedMean = sum / n;
  out.expectedMean = 0.5 / std::sqrt(n / out.area);
  out.ratio = out.observedMean / out.expectedMean;
  out.standardError = 0.26136 / std::sqrt(n * n / out.area);
  out.z = (out.observedMean - out.expectedMean) / out.standardError;
  out.p = twoSidedNormalP(out.z);
  return out;
}

}  // namespace veldwacht::geo
