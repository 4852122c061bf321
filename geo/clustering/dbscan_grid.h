// DBSCAN on a grid of cells just under eps/sqrt(2) wide (Gunawan 2013; Gan & Tao, SIGMOD 2015).
// Any two points of one cell are within eps of each other, so
//  * a cell holding minPts points (or that much weight) is all core, without a distance test;
//  * the core points of one cell belong to one cluster: clusters are joined cell to cell
//    (union-find over the occupied cells; one core pair within eps joins two cells, and a pair
//    of cells already joined is not looked at again);
//  * a border point takes the lowest cluster among the 5 x 5 cells around it, one test per cell;
//  * a cell whose 5 x 5 neighbourhood holds less than minPts (weight) has no core point.
// The cells around a cell are found once per cell, walking along the five rows around from the
// previous cell's position (cells are visited in row, column order within a chunk).
// The labels are exactly those of detail::clusterByDensity (scikit-learn's): the same core
// points, clusters numbered by their lowest core point index, a border point in the lowest
// numbered cluster that reaches it. Internal to geo/clustering.
#pragma once

#include <optional>
#include <span>

#include "geo/clustering/density_core.h"
#include "geo/core/progress.h"
#include "geo/core/types.h"

namespace veldwacht::geo::detail {

/// DBSCAN of `points` (finite; weights empty or one per point) with the grid above. nullopt
/// when the grid does not fit (an eps tiny against the extent or the coordinates' magnitude);
/// the caller then takes the GridIndex path. Throws CancelledError.
std::optional<DensityLabels> gridDbscan(std::span<const Point> points,
                                        std::span<const double> weights, double eps,
                                        const DensityParams& params, Progress& progress);

}  // namespace veldwacht::geo::detail
