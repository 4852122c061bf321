#include "geo/index/grid_index.h"

#include <algorithm>
#include <numeric>
#include <utility>

namespace veldwacht::geo {

GridIndex::GridIndex(std::span<const Point> points, double cellSize) : cell_(cellSize) {
  const std::size_t n = points.size();
  if (n == 0) return;
  Extent e;
  for (const auto& p : points) e.include(p);
  minX_ = e.minX;
  minY_ = e.minY;
  // Keep the number of rows (memory) and columns (32-bit) bounded for huge extents.
  cell_ = std::max({cell_, e.height() / double(1 << 22), e.width() / double(1 << 30)});
  cols_ = col(e.maxX) + 1;
  rows_ = row(e.maxY) + 1;

  // Sort (cell key, index) pairs: ties keep index order, so the layout is deterministic.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed(n);
  for (std::size_t i = 0; i < n; ++i)
    keyed[i] = {std::uint64_t(row(points[i].y)) << 32 | std::uint64_t(col(points[i].x)),
                std::uint32_t(i)};
  std::sort(keyed.begin(), keyed.end());
  ids_.resize(n);
  xs_.resize(n);
  ys_.resize(n);
  cellOfSlot_.resize(n);
  rowStart_.assign(std::size_t(rows_) + 1, 0);
  for (std::size_t k = 0; k < n; ++k) {
    const auto [key, i] = keyed[k];
    ids_[k] = i;
    xs_[k] = points[i].x;
    ys_[k] = points[i].y;
    if (k == 0 || key != keyed[k - 1].first) {
      cellCol_.push_back(std::int32_t(key & 0xffffffffu));
      rowOfCell_.push_back(std::int32_t(key >> 32));
      cellStart_.push_back(std::uint32_t(k));
      ++rowStart_[std::size_t(key >> 32) + 1];
    }
    cellOfSlot_[k] = std::uint32_t(cellCol_.size() - 1);
  }
  cellStart_.push_back(std::uint32_t(n));
  std::partial_sum(rowStart_.begin(), rowStart_.end(), rowStart_.begin());
}

void GridIndex::withinRadius(const Point& q, double radius, std::vector<std::uint32_t>& out) const {
  out.clear();
  forEachWithin(q, radius, [&](std::uint32_t i) {
    out.push_back(i);
    return true;
  });
}

std::size_t GridIndex::countWithinRadius(const Point& q, double radius) const {
  std::size_t count = 0;
  forEachWithin(q, radius, [&](std::uint32_t) {
    ++count;
    return true;
  });
  return count;
}

}  // namespace veldwacht::geo
