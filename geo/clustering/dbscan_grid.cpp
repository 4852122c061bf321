#include "geo/clustering/dbscan_grid.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <utility>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "geo/clustering/labels.h"
#include "geo/core/memory.h"

namespace veldwacht::geo::detail {

namespace {

/// The occupied cells of the grid, row by row (CSR), and the points sorted by cell.
struct FineGrid {
  double side = 1.0, minX = 0.0, minY = 0.0;
  std::int64_t rows = 0, cols = 0;
  std::vector<std::uint32_t> rowStart;   ///< rows + 1 offsets into the cells
  std::vector<std::int32_t> cellCol;     ///< per occupied cell, ascending within a row
  std::vector<std::int32_t> cellRow;     ///< per occupied cell
  std::vector<std::uint32_t> cellStart;  ///< cells + 1 offsets into the slots
  std::vector<std::uint32_t> coreEnd;    ///< per cell: its core slots are [cellStart, coreEnd)
  std::vector<double> xs, ys;            ///< per slot
  std::vector<std::uint32_t> ids;        ///< per slot: the point's index

  std::size_t cells() const { return cellCol.size(); }
};

/// forEach(c, f): f(d) for every occupied cell d at most two rows and two columns from cell c
/// (c too), i.e. every cell that can hold a point within eps of a point of c; row by row, each
/// row by column. For cells visited in increasing order, as overCells visits a chunk: in each of
/// the five rows around, the first cell at or after column k - 2 is found by walking on from the
/// previous cell's position (a binary search only when the row changes).
class NearWalker {
 public:
  explicit NearWalker(const FineGrid& g) : g_(g) {}

  template <class F>
  void forEach(std::size_t c, F&& f) {
    const std::int64_t r = g_.cellRow[c], k = g_.cellCol[c];
    if (r != row_ || k < col_) {
      row_ = r;
      for (std::size_t i = 0; i < 5; ++i) {
        const std::int64_t rr = r - 2 + std::int64_t(i);
        if (rr < 0 || rr >= g_.rows) {
          pos_[i] = end_[i] = 0;
          continue;
        }
        const auto begin = g_.cellCol.begin() + g_.rowStart[std::size_t(rr)];
        end_[i] = g_.rowStart[std::size_t(rr) + 1];
        pos_[i] =
            std::size_t(std::lower_bound(begin, g_.cellCol.begin() + end_[i], std::int32_t(k - 2)) -
                        g_.cellCol.begin());
      }
    } else {
      for (std::size_t i = 0; i < 5; ++i)
        while (pos_[i] < end_[i] && g_.cellCol[pos_[i]] < k - 2) ++pos_[i];
    }
    col_ = k;
    for (std::size_t i = 0; i < 5; ++i)
      for (std::size_t d = pos_[i]; d < end_[i] && g_.cellCol[d] <= k + 2; ++d) f(d);
  }

 private:
  const FineGrid& g_;
  std::int64_t row_ = -1, col_ = 0;
  std::array<std::size_t, 5> pos_{}, end_{};
};

/// The occupied cells around one cell (at most 5 x 5), in NearWalker's order.
class NearCells {
 public:
  void push(std::size_t d) { cells_[size_++] = std::uint32_t(d); }
  std::span<const std::uint32_t> cells() const { return {cells_.data(), size_}; }

 private:
  std::array<std::uint32_t, 25> cells_{};
  std::size_t size_ = 0;
};

/// The grid, or nullopt when it would not fit or the cell's margin would drown in rounding.
std::optional<FineGrid> buildGrid(std::span<const Point> points, double eps) {
  FineGrid g;
  const std::size_t n = points.size();
  Extent e;
  double magnitude = 0.0;
  for (const auto& p : points) {
    e.include(p);
    magnitude = std::max({magnitude, std::abs(p.x), std::abs(p.y)});
  }
  // A cell a hair under eps / sqrt(2): the margin covers the rounding of (x - minX) / side
  // (a few ulps of the coordinates) and of the distance test, so two points of one cell are
  // within eps by the same test the queries use.
  const double slack = 1e-12 * magnitude + 1e-9 * eps;
  g.side = eps / std::sqrt(2.0) - 4.0 * slack;
  if (!(g.side > 0.5 * eps / std::sqrt(2.0))) return std::nullopt;
  g.minX = e.minX;
  g.minY = e.minY;
  const double rows = std::floor(e.height() / g.side) + 1,
               cols = std::floor(e.width() / g.side) + 1;
  if (rows > double(4 * n + (1u << 20)) || cols > double(1u << 30)) return std::nullopt;
  g.rows = std::int64_t(rows);
  g.cols = std::int64_t(cols);
  auto rowOf = [&](const Point& p) {
    return std::size_t(std::min<std::int64_t>(g.rows - 1, std::int64_t((p.y - g.minY) / g.side)));
  };
  auto colOf = [&](const Point& p) {
    return std::uint64_t(std::min<std::int64_t>(g.cols - 1, std::int64_t((p.x - g.minX) / g.side)));
  };
  // The points in (row, column, index) order, as a sort of (cell key, index) pairs would give
  // them, without an array of n pairs: a counting sort by row (stable, so each row keeps the
  // index order), then each row sorted by (column, index).
  resizeLarge(g.ids, n);
  {
    std::vector<std::uint32_t> next(std::size_t(g.rows) + 1, 0);
    for (const Point& p : points) ++next[rowOf(p) + 1];
    std::partial_sum(next.begin(), next.end(), next.begin());
    for (std::size_t i = 0; i < n; ++i) g.ids[next[rowOf(points[i])]++] = std::uint32_t(i);
    std::vector<std::uint64_t> row;  // (column << 32 | index) of one row
    for (std::size_t r = 0, begin = 0; r < std::size_t(g.rows); ++r) {
      const std::size_t end = next[r];  // after the scatter: the start of row r + 1
      if (end - begin > 1) {
        row.clear();
        for (std::size_t k = begin; k < end; ++k)
          row.push_back(colOf(points[g.ids[k]]) << 32 | g.ids[k]);
        std::sort(row.begin(), row.end());
        for (std::size_t k = begin; k < end; ++k) g.ids[k] = std::uint32_t(row[k - begin]);
      }
      begin = end;
    }
  }
  auto cellKey = [&](const Point& p) { return std::uint64_t(rowOf(p)) << 32 | colOf(p); };
  resizeLarge(g.xs, n);
  resizeLarge(g.ys, n);
  // At most one cell per point: reserved once (only what is written is ever touched).
  reserveLarge(g.cellCol, n);
  reserveLarge(g.cellRow, n);
  reserveLarge(g.cellStart, n + 1);
  g.rowStart.assign(std::size_t(g.rows) + 1, 0);
  std::uint64_t previous = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint32_t i = g.ids[k];
    const std::uint64_t key = cellKey(points[i]);
    g.xs[k] = points[i].x;
    g.ys[k] = points[i].y;
    if (k == 0 || key != previous) {
      g.cellCol.push_back(std::int32_t(key & 0xffffffffu));
      g.cellRow.push_back(std::int32_t(key >> 32));
      g.cellStart.push_back(std::uint32_t(k));
      ++g.rowStart[std::size_t(key >> 32) + 1];
    }
    previous = key;
  }
  g.cellStart.push_back(std::uint32_t(n));
  std::partial_sum(g.rowStart.begin(), g.rowStart.end(), g.rowStart.begin());
  return g;
}

/// body(c, near) for every cell in parallel chunks, near a NearWalker of the chunk; progress on
/// [begin, end), cancel per chunk.
template <class Body>
void overCells(const FineGrid& g, Progress& progress, double begin, double end, Body&& body) {
  const std::size_t cells = g.cells();
  std::atomic<std::size_t> done{0};
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, cells, 256),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      progress.checkCancelled();
                      NearWalker near(g);
                      for (std::size_t c = r.begin(); c != r.end(); ++c) body(c, near);
                      const std::size_t d = done.fetch_add(r.size()) + r.size();
                      progress.setFraction(begin + (end - begin) * double(d) / double(cells));
                    });
  progress.checkCancelled();
}

}  // namespace

std::optional<DensityLabels> gridDbscan(std::span<const Point> points,
                                        std::span<const double> weights, double eps,
                                        const DensityParams& params, Progress& progress) {
  const std::size_t n = points.size();
  DensityLabels out;
  if (n == 0) return out;
  progress.setPhase("indexing");
  std::optional<FineGrid> built = buildGrid(points, eps);
  if (!built) return std::nullopt;
  FineGrid& g = *built;
  const std::size_t cells = g.cells();
  assignLarge(out.labels, n, kNoise);
  assignLarge(out.core, n, std::uint8_t{0});
  const double eps2 = eps * eps;
  const bool weighted = !weights.empty();
  auto within = [&](std::size_t a, std::size_t b) {
    const double dx = g.xs[a] - g.xs[b], dy = g.ys[a] - g.ys[b];
    return dx * dx + dy * dy <= eps2;
  };

  auto run = [&] {
    // 1. Core points. A cell that alone weighs minWeight is all core; a cell whose
    //    neighbourhood (the cells around and itself) weighs less has no core point. Otherwise
    //    each point counts its neighbours in the cells around (its own cell: all of them),
    //    stopping as soon as it is core. The cells around are looked up once per cell. Then
    //    each cell's core points are moved to its front.
    progress.setPhase("core points");
    g.coreEnd.assign(cells, 0);
    overCells(g, progress, 0.0, 0.4, [&](std::size_t c, NearWalker& walker) {
      const std::uint32_t b = g.cellStart[c], e = g.cellStart[c + 1];
      double own = 0.0;
      for (std::uint32_t k = b; k < e; ++k) own += weighted ? weights[g.ids[k]] : 1.0;
      if (own >= params.minWeight) {
        for (std::uint32_t k = b; k < e; ++k) out.core[g.ids[k]] = 1;
        return;
      }
      // What a point of c can weigh at most: all of the cells around, added in the order the
      // points add them (with weights >= 0 a sum of fewer terms in that order is never larger,
      // rounding included), so "less than minWeight" here means no core point in c.
      NearCells near;
      double most = own;
      walker.forEach(c, [&](std::size_t d) {
        if (d == c) return;
        near.push(d);
        if (!weighted)
          most += double(g.cellStart[d + 1] - g.cellStart[d]);
        else
          for (std::uint32_t m = g.cellStart[d]; m < g.cellStart[d + 1]; ++m)
            most += weights[g.ids[m]];
      });
      if (most < params.minWeight) return;  // out.core is 0 already
      for (std::uint32_t k = b; k < e; ++k) {
        double w = own;
        for (const std::uint32_t d : near.cells()) {
          for (std::uint32_t m = g.cellStart[d]; m < g.cellStart[d + 1]; ++m)
            if (within(k, m)) {
              w += weighted ? weights[g.ids[m]] : 1.0;
              if (w >= params.minWeight) break;
            }
          if (w >= params.minWeight) break;
        }
        out.core[g.ids[k]] = w >= params.minWeight ? 1 : 0;
      }
    });
    // (a pass of its own: the counting above reads the neighbouring cells' slots)
    overCells(g, progress, 0.4, 0.4, [&](std::size_t c, NearWalker&) {
      const std::uint32_t b = g.cellStart[c], e = g.cellStart[c + 1];
      std::uint32_t front = b;  // core slots first (the order within a cell does not matter)
      for (std::uint32_t k = b; k < e; ++k)
        if (out.core[g.ids[k]]) {
          std::swap(g.xs[k], g.xs[front]);
          std::swap(g.ys[k], g.ys[front]);
          std::swap(g.ids[k], g.ids[front]);
          ++front;
        }
      g.coreEnd[c] = front;
    });

    // 2. Cells whose core points are within eps of each other share a cluster.
    progress.setPhase("connecting core points");
    ConcurrentUnionFind uf(cells);
    overCells(g, progress, 0.4, 0.8, [&](std::size_t c, NearWalker& walker) {
      if (g.coreEnd[c] == g.cellStart[c]) return;
      walker.forEach(c, [&](std::size_t d) {
        if (d <= c || g.coreEnd[d] == g.cellStart[d]) return;
        if (uf.find(std::uint32_t(c)) == uf.find(std::uint32_t(d))) return;
        for (std::uint32_t k = g.cellStart[c]; k < g.coreEnd[c]; ++k)
          for (std::uint32_t m = g.cellStart[d]; m < g.coreEnd[d]; ++m)
            if (within(k, m)) {
              uf.unite(std::uint32_t(c), std::uint32_t(d));
              return;
            }
      });
    });

    // 3. Number the clusters by their lowest core point index: each root's lowest core point,
    //    the roots in that order (no cell per point held: 4 bytes a point less).
    ProgressStep step(progress, 0.8, 0.85, "labelling");
    std::vector<std::pair<std::uint32_t, std::uint32_t>> roots;  // (lowest core point, root)
    {
      constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
      std::vector<std::uint32_t> lowest(cells, kNone);  // per root
      for (std::size_t c = 0; c < cells; ++c) {
        step.tick(c, 2 * cells);
        if (g.coreEnd[c] == g.cellStart[c]) continue;
        std::uint32_t& low = lowest[uf.find(std::uint32_t(c))];
        for (std::uint32_t k = g.cellStart[c]; k < g.coreEnd[c]; ++k) low = std::min(low, g.ids[k]);
      }
      for (std::size_t r = 0; r < cells; ++r)
        if (lowest[r] != kNone) roots.emplace_back(lowest[r], std::uint32_t(r));
    }
    std::sort(roots.begin(), roots.end());
    std::vector<std::int32_t> idOfRoot(cells, -1);
    for (std::size_t j = 0; j < roots.size(); ++j) idOfRoot[roots[j].second] = std::int32_t(j);
    for (std::size_t c = 0; c < cells; ++c) {
      step.tick(cells + c, 2 * cells);
      if (g.coreEnd[c] == g.cellStart[c]) continue;
      const std::int32_t label = idOfRoot[uf.find(std::uint32_t(c))];
      for (std::uint32_t k = g.cellStart[c]; k < g.coreEnd[c]; ++k) out.labels[g.ids[k]] = label;
    }
    out.clusterCount = roots.size();

    // 4. Border points: the lowest cluster among the cells around with a core point within
    //    eps (DBSCAN*: noise). All core points of a cell share its cluster; a cell's own core
    //    points are within eps of all its points.
    if (!params.borderPointsAreNoise) {
      progress.setPhase("border points");
      std::vector<std::int32_t> cellLabel(cells, -1);
      for (std::size_t c = 0; c < cells; ++c)
        if (g.coreEnd[c] > g.cellStart[c]) cellLabel[c] = idOfRoot[uf.find(std::uint32_t(c))];
      overCells(g, progress, 0.85, 1.0, [&](std::size_t c, NearWalker& walker) {
        if (g.coreEnd[c] == g.cellStart[c + 1]) return;  // no border candidate
        NearCells near;  // the cells around with a core point, looked up once per cell
        walker.forEach(c, [&](std::size_t d) {
          if (d != c && cellLabel[d] >= 0) near.push(d);
        });
        for (std::uint32_t k = g.coreEnd[c]; k < g.cellStart[c + 1]; ++k) {
          std::int32_t best = cellLabel[c];
          for (const std::uint32_t d : near.cells()) {
            const std::int32_t l = cellLabel[d];
            if (best >= 0 && l >= best) continue;
            for (std::uint32_t m = g.cellStart[d]; m < g.coreEnd[d]; ++m)
              if (within(k, m)) {
                best = l;
                break;
              }
          }
          out.labels[g.ids[k]] = best;
        }
      });
    }
    progress.setFraction(1.0);
  };

  if (params.threads > 0) {
    tbb::task_arena arena(params.threads);
    arena.execute(run);
  } else {
    run();
  }
  return out;
}

}  // namespace veldwacht::geo::detail
