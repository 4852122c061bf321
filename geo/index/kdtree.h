// A 2-D k-d tree over a span of points (nanoflann), shared by every neighbour query of the
// core: DBSCAN family, HDBSCAN core distances, Gi*/Moran weights, nearest-neighbour index.
// Distances are plain metres in the API; squared distances stay inside.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "geo/core/types.h"

namespace veldwacht::geo {

class KdTree {
 public:
  /// Builds the tree; `points` must outlive the KdTree.
  explicit KdTree(std::span<const Point> points);
  ~KdTree();
  KdTree(KdTree&&) noexcept;
  KdTree& operator=(KdTree&&) noexcept;

  std::size_t size() const { return points_.size(); }
  std::span<const Point> points() const { return points_; }

  /// Indices of all points within `radius` metres of `q`, the boundary included (d <= radius),
  /// in no particular order. `out` is cleared first.
  void withinRadius(const Point& q, double radius, std::vector<std::uint32_t>& out) const;

  /// Same, with the distances (metres) of each neighbour.
  void withinRadius(const Point& q, double radius,
                    std::vector<std::pair<std::uint32_t, double>>& out) const;

  /// Number of points within `radius` (d <= radius), without materialising them.
  std::size_t countWithinRadius(const Point& q, double radius) const;

  /// The k nearest points to `q` (including a point at q itself), nearest first, with
  /// distances in metres. Fewer than k when the tree is smaller.
  void nearest(const Point& q, std::size_t k, std::vector<std::uint32_t>& indices,
               std::vector<double>& distances) const;

 private:
  struct Impl;
  std::span<const Point> points_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace veldwacht::geo
