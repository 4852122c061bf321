#include "geo/index/kdtree.h"

#include <cmath>

#include <nanoflann.hpp>

namespace veldwacht::geo {

namespace {

struct PointCloud {
  std::span<const Point> pts;
  std::size_t kdtree_get_point_count() const { return pts.size(); }
  double kdtree_get_pt(std::size_t i, std::size_t dim) const {
    return dim == 0 ? pts[i].x : pts[i].y;
  }
  template <class BBox>
  bool kdtree_get_bbox(BBox&) const {
    return false;
  }
};

using Tree = nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<double, PointCloud>,
                                                 PointCloud, 2, std::uint32_t>;

// nanoflann's RadiusResultSet keeps d < r; we want d <= r (as scikit-learn and QGIS do), so the
// callbacks widen the search radius by one ulp and test the exact bound themselves.
template <class Sink>
struct InclusiveRadiusSet {
  double radiusSq;
  Sink sink;
  std::size_t count = 0;
  void init() {}
  void clear() { count = 0; }
  std::size_t size() const { return count; }
  bool full() const { return true; }
  bool addPoint(double distSq, std::uint32_t index) {
    if (distSq <= radiusSq) {
      sink(index, distSq);
      ++count;
    }
    return true;
  }
  double worstDist() const { return std::nextafter(radiusSq, INFINITY); }
};

}  // namespace

struct KdTree::Impl {
  explicit Impl(std::span<const Point> p)
      : cloud{p}, tree(2, cloud, nanoflann::KDTreeSingleIndexAdaptorParams(16)) {
    tree.buildIndex();
  }
  PointCloud cloud;
  Tree tree;
};

KdTree::KdTree(std::span<const Point> points)
    : points_(points), impl_(std::make_unique<Impl>(points)) {}
KdTree::~KdTree() = default;
KdTree::KdTree(KdTree&&) noexcept = default;
KdTree& KdTree::operator=(KdTree&&) noexcept = default;

void KdTree::withinRadius(const Point& q, double radius, std::vector<std::uint32_t>& out) const {
  out.clear();
  const double query[2] = {q.x, q.y};
  auto sink = [&out](std::uint32_t i, double) { out.push_back(i); };
  InclusiveRadiusSet<decltype(sink)> set{radius * radius, sink};
  impl_->tree.findNeighbors(set, query, nanoflann::SearchParams(32, 0, false));
}

void KdTree::withinRadius(const Point& q, double radius,
                          std::vector<std::pair<std::uint32_t, double>>& out) const {
  out.clear();
  const double query[2] = {q.x, q.y};
  auto sink = [&out](std::uint32_t i, double d2) { out.emplace_back(i, std::sqrt(d2)); };
  InclusiveRadiusSet<decltype(sink)> set{radius * radius, sink};
  impl_->tree.findNeighbors(set, query, nanoflann::SearchParams(32, 0, false));
}

std::size_t KdTree::countWithinRadius(const Point& q, double radius) const {
  const double query[2] = {q.x, q.y};
  auto sink = [](std::uint32_t, double) {};
  InclusiveRadiusSet<decltype(sink)> set{radius * radius, sink};
  impl_->tree.findNeighbors(set, query, nanoflann::SearchParams(32, 0, false));
  return set.count;
}

void KdTree::nearest(const Point& q, std::size_t k, std::vector<std::uint32_t>& indices,
                     std::vector<double>& distances) const {
  k = std::min(k, points_.size());
  indices.resize(k);
  distances.resize(k);
  if (k == 0) return;
  const double query[2] = {q.x, q.y};
  const std::size_t found = impl_->tree.knnSearch(query, k, indices.data(), distances.data());
  indices.resize(found);
  distances.resize(found);
  for (double& d : distances) d = std::sqrt(d);
}

}  // namespace veldwacht::geo
