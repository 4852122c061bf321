// Exact minimum spanning tree of the mutual reachability graph by Boruvka's algorithm over a
// k-d tree (the single-tree form of McInnes & Healy 2017's dual-tree Boruvka; March, Ram & Gray,
// KDD 2010, for the Euclidean case). Each round, every point looks for its nearest point in
// another component under mreach(a, b) = max(core(a), core(b), d(a, b)), pruning
//   - subtrees whose points all belong to the point's own component, and
//   - subtrees whose lower bound max(core(p), min core in box, d(p, box)) exceeds the best
//     edge found so far for the point or for its whole component;
// then each component adds its lightest outgoing edge. Components at least halve each round,
// so there are at most log2(n) rounds, each close to O(n log n) on spatial data.
// Edges are compared by (weight, lower index, higher index), a total order: the tree is unique
// and the same for any thread count, and Boruvka cannot create a cycle on ties.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "geo/clustering/hdbscan_detail.h"

namespace veldwacht::geo::detail {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint32_t kLeafSize = 16;

struct Node {
  double minX, minY, maxX, maxY;
  double minCore2;
  std::uint32_t begin, end;
  std::int32_t left = -1, right = -1;
};

struct Cand {
  double w2 = kInf;
  std::uint32_t lo = kNone, hi = kNone;
  bool operator<(const Cand& o) const {
    if (w2 != o.w2) return w2 < o.w2;
    if (lo != o.lo) return lo < o.lo;
    return hi < o.hi;
  }
};

class Tree {
 public:
  Tree(std::span<const Point> pts, std::span<const double> core) : n_(pts.size()) {
    id.resize(n_);
    std::iota(id.begin(), id.end(), 0u);
    nodes.reserve(2 * (n_ / kLeafSize + 1) * 2);
    build(pts, 0, std::uint32_t(n_));
    x.resize(n_);
    y.resize(n_);
    core2.resize(n_);
    for (std::size_t s = 0; s < n_; ++s) {
      x[s] = pts[id[s]].x;
      y[s] = pts[id[s]].y;
      core2[s] = core[id[s]] * core[id[s]];
    }
    // Min core per node, bottom-up (children come after their parent).
    for (std::size_t k = nodes.size(); k-- > 0;) {
      Node& nd = nodes[k];
      if (nd.left < 0) {
        nd.minCore2 = kInf;
        for (std::uint32_t s = nd.begin; s < nd.end; ++s)
          nd.minCore2 = std::min(nd.minCore2, core2[s]);
      } else {
        nd.minCore2 =
            std::min(nodes[std::size_t(nd.left)].minCore2, nodes[std::size_t(nd.right)].minCore2);
      }
    }
  }

  std::vector<Node> nodes;
  std::vector<std::uint32_t> id;  // point index of each slot
  std::vector<double> x, y, core2;

 private:
  std::int32_t build(std::span<const Point> pts, std::uint32_t begin, std::uint32_t end) {
    const auto me = std::int32_t(nodes.size());
    nodes.push_back({});
    Node nd;
    nd.begin = begin;
    nd.end = end;
    nd.minX = nd.minY = kInf;
    nd.maxX = nd.maxY = -kInf;
    for (std::uint32_t s = begin; s < end; ++s) {
      const Point& p = pts[id[s]];
      nd.minX = std::min(nd.minX, p.x);
      nd.maxX = std::max(nd.maxX, p.x);
      nd.minY = std::min(nd.minY, p.y);
      nd.maxY = std::max(nd.maxY, p.y);
    }
    if (end - begin > kLeafSize) {
      const bool splitX = nd.maxX - nd.minX >= nd.maxY - nd.minY;
      const std::uint32_t mid = begin + (end - begin) / 2;
      std::nth_element(id.begin() + begin, id.begin() + mid, id.begin() + end,
                       [&](std::uint32_t a, std::uint32_t b) {
                         const double va = splitX ? pts[a].x : pts[a].y;
                         const double vb = splitX ? pts[b].x : pts[b].y;
                         return va < vb || (va == vb && a < b);
                       });
      nd.left = build(pts, begin, mid);
      nd.right = build(pts, mid, end);
    }
    nodes[std::size_t(me)] = nd;
    return me;
  }
  std::size_t n_;
};

double boxDist2(const Node& nd, double px, double py) {
  const double dx = std::max({nd.minX - px, 0.0, px - nd.maxX});
  const double dy = std::max({nd.minY - py, 0.0, py - nd.maxY});
  return dx * dx + dy * dy;
}

void atomicMin(std::atomic<double>& a, double v) {
  double cur = a.load(std::memory_order_relaxed);
  while (v < cur && !a.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
  }
}

}  // namespace

std::vector<MstEdge> boruvkaMst(std::span<const Point> points,
                                std::span<const double> coreDistances, Progress& progress) {
  const std::size_t n = points.size();
  std::vector<MstEdge> edges;
  if (n < 2) return edges;
  edges.reserve(n - 1);
  const Tree tree(points, coreDistances);
  const auto& nodes = tree.nodes;

  // Union-find over point indices; a component is named by its root.
  std::vector<std::uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  auto find = [&](std::uint32_t a) {
    while (parent[a] != a) a = parent[a] = parent[parent[a]];
    return a;
  };

  std::vector<std::uint32_t> comp(n);  // per slot
  std::vector<std::int64_t> nodeComp(nodes.size());
  std::vector<Cand> bestOfSlot(n), bestOfComp(n);
  std::unique_ptr<std::atomic<double>[]> bound(new std::atomic<double>[n]);

  ProgressStep step(progress, 0.1, 0.85, "minimum spanning tree");
  while (edges.size() + 1 < n) {
    step.tick(edges.size(), n - 1);
    for (std::size_t s = 0; s < n; ++s) comp[s] = find(tree.id[s]);
    for (std::size_t k = nodes.size(); k-- > 0;) {
      const Node& nd = nodes[k];
      if (nd.left < 0) {
        std::int64_t c = comp[nd.begin];
        for (std::uint32_t s = nd.begin + 1; s < nd.end && c >= 0; ++s)
          if (comp[s] != comp[nd.begin]) c = -1;
        nodeComp[k] = c;
      } else {
        const std::int64_t l = nodeComp[std::size_t(nd.left)], r = nodeComp[std::size_t(nd.right)];
        nodeComp[k] = (l >= 0 && l == r) ? l : -1;
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      bound[i].store(kInf, std::memory_order_relaxed);
      bestOfComp[i] = Cand{};
    }

    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, n, 256), [&](const tbb::blocked_range<std::size_t>& r) {
          progress.checkCancelled();
          std::vector<std::uint32_t> stack;
          for (std::size_t s = r.begin(); s != r.end(); ++s) {
            const std::uint32_t cs = comp[s];
            const double px = tree.x[s], py = tree.y[s], pc2 = tree.core2[s];
            const std::uint32_t pid = tree.id[s];
            Cand best;
            stack.assign(1, 0u);
            while (!stack.empty()) {
              const Node& nd = nodes[stack.back()];
              const std::size_t k = stack.back();
              stack.pop_back();
              if (nodeComp[k] == std::int64_t(cs)) continue;
              const double lb = std::max({pc2, nd.minCore2, boxDist2(nd, px, py)});
              if (lb > best.w2 || lb > bound[cs].load(std::memory_order_relaxed)) continue;
              if (nd.left < 0) {
                for (std::uint32_t t = nd.begin; t < nd.end; ++t) {
                  if (comp[t] == cs) continue;
                  const double dx = tree.x[t] - px, dy = tree.y[t] - py;
                  const Cand c{std::max({pc2, tree.core2[t], dx * dx + dy * dy}),
                               std::min(pid, tree.id[t]), std::max(pid, tree.id[t])};
                  if (c < best) best = c;
                }
              } else {
                // Visit the nearer child first: push it last.
                const auto l = std::uint32_t(nd.left), rr = std::uint32_t(nd.right);
                const bool leftNearer = boxDist2(nodes[l], px, py) <= boxDist2(nodes[rr], px, py);
                stack.push_back(leftNearer ? rr : l);
                stack.push_back(leftNearer ? l : rr);
              }
            }
            bestOfSlot[s] = best;
            atomicMin(bound[cs], best.w2);
          }
        });
    progress.checkCancelled();

    // Each component's lightest outgoing edge (total order: independent of thread timing).
    for (std::size_t s = 0; s < n; ++s)
      if (bestOfSlot[s] < bestOfComp[comp[s]]) bestOfComp[comp[s]] = bestOfSlot[s];
    for (std::uint32_t c = 0; c < n; ++c) {
      const Cand& e = bestOfComp[c];
      if (e.lo == kNone) continue;
      const std::uint32_t a = find(e.lo), b = find(e.hi);
      if (a == b) continue;  // the same edge chosen by both of its components
      parent[std::max(a, b)] = std::min(a, b);
      edges.push_back({e.lo, e.hi, std::sqrt(e.w2)});
    }
  }
  return edges;
}

}  // namespace veldwacht::geo::detail
