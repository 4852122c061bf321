#include "geo/clustering/hdbscan.h"

#include "geo/clustering/hdbscan_detail.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/task_arena.h>

#include "geo/clustering/dbscan.h"
#include "geo/clustering/density_core.h"
#include "geo/core/error.h"
#include "geo/core/threads.h"
#include "geo/index/kdtree.h"

namespace veldwacht::geo {

void HdbscanOptions::validate() const {
  if (minClusterSize < 2) throw OptionError("minClusterSize", "must be at least 2");
  if (!(clusterSelectionEpsilon >= 0.0) || !std::isfinite(clusterSelectionEpsilon))
    throw OptionError("clusterSelectionEpsilon", "must be a non-negative number of metres");
  checkThreads(threads);
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Distances below a millimetre (the precision of RD coordinates) count as one millimetre, so
// exact duplicates — several signals geocoded to one address — get a large but finite lambda
// instead of infinity, and stabilities, probabilities and GLOSH scores stay finite.
constexpr double kMinDistance = 1e-3;

using detail::MstEdge;
using Edge = MstEdge;

// Distance to the k-th nearest neighbour (the point itself is the first), in parallel.
std::vector<double> coreDistances(std::span<const Point> points, std::size_t k,
                                  Progress& progress) {
  const KdTree tree(points);
  std::vector<double> core(points.size());
  std::atomic<std::size_t> done{0};
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, points.size(), 512),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      progress.checkCancelled();
                      std::vector<std::uint32_t> idx;
                      std::vector<double> dist;
                      for (std::size_t i = r.begin(); i != r.end(); ++i) {
                        tree.nearest(points[i], k, idx, dist);
                        core[i] = dist.back();
                      }
                      const std::size_t d = done.fetch_add(r.size()) + r.size();
                      progress.setFraction(0.1 * double(d) / double(points.size()));
                    });
  progress.checkCancelled();
  return core;
}

struct Candidate {
  double value = std::numeric_limits<double>::infinity();
  std::uint32_t id = std::numeric_limits<std::uint32_t>::max();
  std::size_t slot = 0;
  bool before(const Candidate& o) const {
    return value < o.value || (value == o.value && id < o.id);
  }
};
struct Merge {
  std::uint32_t left;
  std::uint32_t right;
  double distance;
  std::uint32_t size;
};

// Single-linkage dendrogram: merge i creates node n + i.
std::vector<Merge> singleLinkage(std::size_t n, std::vector<Edge> edges) {
  std::sort(edges.begin(), edges.end(), [](const Edge& e, const Edge& f) {
    if (e.weight != f.weight) return e.weight < f.weight;
    const auto el = std::min(e.a, e.b), fl = std::min(f.a, f.b);
    if (el != fl) return el < fl;
    return std::max(e.a, e.b) < std::max(f.a, f.b);
  });
  std::vector<std::uint32_t> parent(2 * n - 1), size(2 * n - 1, 1);
  std::iota(parent.begin(), parent.end(), 0u);
  auto find = [&](std::uint32_t x) {
    std::uint32_t r = x;
    while (parent[r] != r) r = parent[r];
    while (parent[x] != r) {
      const std::uint32_t next = parent[x];
      parent[x] = r;
      x = next;
    }
    return r;
  };
  std::vector<Merge> merges;
  merges.reserve(edges.size());
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const std::uint32_t a = find(edges[i].a), b = find(edges[i].b);
    const std::uint32_t node = std::uint32_t(n + i);
    merges.push_back({a, b, edges[i].weight, size[a] + size[b]});
    parent[a] = parent[b] = node;
    size[node] = size[a] + size[b];
  }
  return merges;
}

struct Condensed {
  std::vector<CondensedTreeRow> rows;
  std::size_t clusterNodes = 0;  // cluster ids are n .. n + clusterNodes - 1
};

Condensed condenseTree(std::size_t n, const std::vector<Merge>& merges, std::size_t minSize) {
  Condensed out;
  const std::uint32_t root = std::uint32_t(2 * n - 2);
  std::vector<std::uint32_t> relabel(2 * n - 1, 0);
  std::vector<std::uint8_t> ignore(2 * n - 1, 0);
  auto sizeOf = [&](std::uint32_t node) { return node < n ? 1u : merges[node - n].size; };
  relabel[root] = std::uint32_t(n);
  std::uint32_t nextLabel = std::uint32_t(n + 1);

  std::vector<std::uint32_t> sub;
  auto fallOut = [&](std::uint32_t top, std::uint32_t parentLabel, double lambda) {
    sub.assign(1, top);
    for (std::size_t k = 0; k < sub.size(); ++k) {
      const std::uint32_t s = sub[k];
      ignore[s] = 1;
      if (s < n) {
        out.rows.push_back({parentLabel, s, lambda, 1});
      } else {
        sub.push_back(merges[s - n].left);
        sub.push_back(merges[s - n].right);
      }
    }
  };

  std::vector<std::uint32_t> queue{root};
  for (std::size_t q = 0; q < queue.size(); ++q) {
    const std::uint32_t node = queue[q];
    if (node < n) continue;
    const Merge& mg = merges[node - n];
    queue.push_back(mg.left);
    queue.push_back(mg.right);
    if (ignore[node]) continue;
    const double lambda = 1.0 / std::max(mg.distance, kMinDistance);
    const std::uint32_t lc = sizeOf(mg.left), rc = sizeOf(mg.right);
    const std::uint32_t label = relabel[node];
    if (lc >= minSize && rc >= minSize) {
      relabel[mg.left] = nextLabel++;
      out.rows.push_back({label, relabel[mg.left], lambda, lc});
      relabel[mg.right] = nextLabel++;
      out.rows.push_back({label, relabel[mg.right], lambda, rc});
    } else if (lc < minSize && rc < minSize) {
      fallOut(mg.left, label, lambda);
      fallOut(mg.right, label, lambda);
    } else if (lc < minSize) {
      relabel[mg.right] = label;
      fallOut(mg.left, label, lambda);
    } else {
      relabel[mg.left] = label;
      fallOut(mg.right, label, lambda);
    }
  }
  out.clusterNodes = nextLabel - n;
  return out;
}

}  // namespace

namespace detail {

// Prim's algorithm on the implicit complete graph of mutual reachability distances. The
// vertices not yet in the tree are kept compacted in structure-of-arrays form so the inner
// loop streams through memory; ties go to the lowest point index, so the tree is unique.
std::vector<MstEdge> mutualReachabilityMst(std::span<const Point> points,
                                           std::span<const double> core, Progress& progress,
                                           std::size_t parallelThreshold) {
  const std::size_t n = points.size();
  std::vector<double> xs(n), ys(n), core2(n), best(n, kInf);
  std::vector<std::uint32_t> id(n), from(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    xs[i] = points[i].x;
    ys[i] = points[i].y;
    core2[i] = core[i] * core[i];
    id[i] = std::uint32_t(i);
  }
  std::vector<MstEdge> edges;
  edges.reserve(n ? n - 1 : 0);
  ProgressStep step(progress, 0.1, 0.85, "minimum spanning tree");
  // Start from point 0: move it out of the active range [0, m).
  std::size_t m = n;
  auto removeAt = [&](std::size_t k) {
    --m;
    std::swap(xs[k], xs[m]);
    std::swap(ys[k], ys[m]);
    std::swap(core2[k], core2[m]);
    std::swap(best[k], best[m]);
    std::swap(id[k], id[m]);
    std::swap(from[k], from[m]);
  };
  if (n == 0) return edges;
  double cx = xs[0], cy = ys[0], cc = core2[0];
  std::uint32_t cur = id[0];
  removeAt(0);
  while (m > 0) {
    step.tick(n - m, n);
    // Relax every remaining vertex against the newest tree vertex and find the nearest one,
    // in one pass. The minimum of (distance, point index) is a total order, so the parallel
    // reduction gives the same vertex for any split.
    auto scan = [&](std::size_t begin, std::size_t end) {
      Candidate c;
      for (std::size_t k = begin; k < end; ++k) {
        const double dx = xs[k] - cx, dy = ys[k] - cy;
        const double d2 = std::max(dx * dx + dy * dy, std::max(cc, core2[k]));
        if (d2 < best[k]) {
          best[k] = d2;
          from[k] = cur;
        }
        if (best[k] < c.value || (best[k] == c.value && id[k] < c.id)) c = {best[k], id[k], k};
      }
      return c;
    };
    Candidate winner;
    if (m < parallelThreshold) {
      winner = scan(0, m);
    } else {
      winner = tbb::parallel_reduce(
          tbb::blocked_range<std::size_t>(0, m, std::max<std::size_t>(parallelThreshold / 4, 16)),
          Candidate{},
          [&](const tbb::blocked_range<std::size_t>& r, Candidate c) {
            const Candidate local = scan(r.begin(), r.end());
            return local.before(c) ? local : c;
          },
          [](const Candidate& a, const Candidate& b) { return a.before(b) ? a : b; });
    }
    const std::size_t arg = winner.slot;
    edges.push_back({from[arg], id[arg], std::sqrt(best[arg])});
    cx = xs[arg];
    cy = ys[arg];
    cc = core2[arg];
    cur = id[arg];
    removeAt(arg);
  }
  return edges;
}

}  // namespace detail

namespace {

/// Step 3: the cluster tree read from the condensed tree: per cluster node its birth, death
/// (max lambda of its direct children), stability, parent and children; per point the cluster
/// node it falls out of and at which lambda.
struct ClusterTree {
  std::size_t n = 0;   ///< points; cluster node c has id n + c
  std::size_t nc = 0;  ///< cluster nodes
  std::vector<double> birth, stability, death;
  std::vector<std::int64_t> parentCluster;
  std::vector<std::vector<std::uint32_t>> children;
  std::vector<std::uint32_t> parentOfPoint;
  std::vector<double> lambdaOfPoint;

  std::size_t ci(std::uint32_t node) const { return std::size_t(node - n); }
};

ClusterTree clusterTree(std::size_t n, const Condensed& ct) {
  ClusterTree t;
  t.n = n;
  t.nc = ct.clusterNodes;
  t.birth.assign(t.nc, 0.0);
  t.stability.assign(t.nc, 0.0);
  t.death.assign(t.nc, 0.0);
  t.parentCluster.assign(t.nc, -1);
  t.children.resize(t.nc);
  t.parentOfPoint.assign(n, std::uint32_t(n));
  t.lambdaOfPoint.assign(n, 0.0);
  for (const auto& r : ct.rows) {
    if (r.child >= n) {
      t.birth[t.ci(r.child)] = r.lambda;
      t.parentCluster[t.ci(r.child)] = std::int64_t(t.ci(r.parent));
      t.children[t.ci(r.parent)].push_back(r.child);
    } else {
      t.parentOfPoint[r.child] = r.parent;
      t.lambdaOfPoint[r.child] = r.lambda;
    }
    t.death[t.ci(r.parent)] = std::max(t.death[t.ci(r.parent)], r.lambda);
  }
  for (const auto& r : ct.rows) {
    const double b = t.birth[t.ci(r.parent)];
    if (r.lambda > b) t.stability[t.ci(r.parent)] += (r.lambda - b) * double(r.childSize);
  }
  return t;
}

/// Step 4: which cluster nodes are selected — excess of mass (the most stable set) or the
/// leaves. Children always have larger ids than their parent (breadth-first labels).
std::vector<std::uint8_t> selectClusters(const ClusterTree& t, const HdbscanOptions& options) {
  const std::size_t nc = t.nc;
  std::vector<std::uint8_t> selected(nc, 0);
  const std::size_t firstCandidate = options.allowSingleCluster ? 0 : 1;
  if (options.selection == ClusterSelection::ExcessOfMass) {
    std::vector<double> s = t.stability;
    for (std::size_t c = firstCandidate; c < nc; ++c) selected[c] = 1;
    for (std::size_t c = nc; c-- > firstCandidate;) {
      double sub = 0.0;
      for (std::uint32_t ch : t.children[c]) sub += s[t.ci(ch)];
      if (!t.children[c].empty() && sub > s[c]) {
        selected[c] = 0;
        s[c] = sub;
      } else {
        std::vector<std::uint32_t> stack(t.children[c].begin(), t.children[c].end());
        while (!stack.empty()) {
          const std::uint32_t x = stack.back();
          stack.pop_back();
          selected[t.ci(x)] = 0;
          stack.insert(stack.end(), t.children[t.ci(x)].begin(), t.children[t.ci(x)].end());
        }
      }
    }
  } else {
    bool any = false;
    for (std::size_t c = 1; c < nc; ++c)
      if (t.children[c].empty()) selected[c] = 1, any = true;
    if (!any && options.allowSingleCluster) selected[0] = 1;
  }
  return selected;
}

/// Step 5: cluster selection epsilon (Malzer & Baum, "A hybrid approach to hierarchical
/// density-based cluster selection", 2020; scikit-learn's cluster_selection_epsilon): a
/// selected cluster born at a distance below epsilon is replaced by its nearest ancestor born
/// above it, so clusters closer than epsilon are not split. Processed in node order, as
/// scikit-learn.
std::vector<std::uint8_t> applySelectionEpsilon(const ClusterTree& t,
                                                std::vector<std::uint8_t> selected,
                                                const HdbscanOptions& options) {
  if (!(options.clusterSelectionEpsilon > 0.0)) return selected;
  const std::size_t nc = t.nc;
  const double eps = options.clusterSelectionEpsilon;
  auto birthDistance = [&](std::size_t c) { return t.birth[c] > 0.0 ? 1.0 / t.birth[c] : kInf; };
  std::vector<std::uint8_t> processed(nc, 0), chosen(nc, 0);
  for (std::size_t c = 1; c < nc; ++c) {
    if (!selected[c]) continue;
    if (birthDistance(c) >= eps) {
      chosen[c] = 1;
      continue;
    }
    if (processed[c]) continue;
    std::size_t up = c;
    for (;;) {
      const auto p = std::size_t(t.parentCluster[up]);
      if (p == 0) {
        up = options.allowSingleCluster ? 0 : up;
        break;
      }
      if (birthDistance(p) > eps) {
        up = p;
        break;
      }
      up = p;
    }
    chosen[up] = 1;
    std::vector<std::uint32_t> stack(t.children[up].begin(), t.children[up].end());
    while (!stack.empty()) {
      const std::uint32_t x = stack.back();
      stack.pop_back();
      processed[t.ci(x)] = 1;
      stack.insert(stack.end(), t.children[t.ci(x)].begin(), t.children[t.ci(x)].end());
    }
  }
  if (selected[0]) chosen[0] = 1;
  return chosen;
}

/// Step 6: labels (in cluster-node order), membership probabilities and GLOSH outlier scores.
void labelPoints(const ClusterTree& t, const std::vector<std::uint8_t>& selected,
                 const HdbscanOptions& options, HdbscanResult& res) {
  const std::size_t n = t.n, nc = t.nc;
  std::vector<std::int32_t> labelOfNode(nc, kNoise);
  std::int32_t next = 0;
  for (std::size_t c = 0; c < nc; ++c)
    if (selected[c]) {
      labelOfNode[c] = next++;
      res.clusterStability.push_back(t.stability[c]);
    }
  res.clusterCount = std::size_t(next);
  // The selected cluster above each cluster node (top-down: parents come first).
  std::vector<std::int64_t> selectedAbove(nc, -1);
  for (std::size_t c = 0; c < nc; ++c) {
    if (selected[c])
      selectedAbove[c] = std::int64_t(c);
    else if (t.parentCluster[c] >= 0)
      selectedAbove[c] = selectedAbove[std::size_t(t.parentCluster[c])];
  }
  // GLOSH uses the largest lambda in the whole subtree; children after parents, so go back.
  std::vector<double> subtreeDeath = t.death;
  for (std::size_t c = nc; c-- > 1;)
    if (t.parentCluster[c] >= 0)
      subtreeDeath[std::size_t(t.parentCluster[c])] =
          std::max(subtreeDeath[std::size_t(t.parentCluster[c])], subtreeDeath[c]);

  const bool onlyRoot = res.clusterCount == 1 && selected[0];
  for (std::size_t p = 0; p < n; ++p) {
    const std::size_t pc = t.ci(t.parentOfPoint[p]);
    const double lambda = t.lambdaOfPoint[p];
    const std::int64_t sc = selectedAbove[pc];
    if (sc >= 0) {
      const std::size_t c = std::size_t(sc);
      bool member = true;
      if (onlyRoot)  // scikit-learn's single-cluster rule
        member = options.clusterSelectionEpsilon > 0.0
                     ? lambda >= 1.0 / options.clusterSelectionEpsilon
                     : lambda >= t.death[0];
      if (member) {
        res.labels[p] = labelOfNode[c];
        const double maxLambda = t.death[c];
        res.probabilities[p] = (maxLambda == 0.0 || !std::isfinite(lambda))
                                   ? 1.0
                                   : std::min(lambda, maxLambda) / maxLambda;
      }
    }
    const double lmax = subtreeDeath[pc];
    res.outlierScores[p] = (lmax == 0.0 || !std::isfinite(lambda)) ? 0.0 : (lmax - lambda) / lmax;
  }
}

}  // namespace

// The steps: 1 core distances, 2 mutual-reachability MST and single linkage, then the condensed
// tree; 3 the cluster tree; 4 selection; 5 selection epsilon; 6 labels and scores.
HdbscanResult hdbscan(std::span<const Point> points, const HdbscanOptions& options,
                      Progress& progress) {
  options.validate();
  detail::checkFinite(points);
  const std::size_t n = points.size();
  HdbscanResult res;
  res.labels.assign(n, kNoise);
  res.probabilities.assign(n, 0.0);
  res.outlierScores.assign(n, 0.0);
  progress.checkCancelled();
  if (n == 0) return res;
  if (n == 1) {
    res.coreDistances.assign(1, 0.0);
    progress.setFraction(1.0);
    return res;
  }
  const std::size_t k =
      std::min(n, options.minSamples == 0 ? options.minClusterSize : options.minSamples);

  progress.setPhase("core distances");
  std::vector<Edge> mst;
  auto parallelPart = [&] {
    res.coreDistances = coreDistances(points, k, progress);
    mst = detail::boruvkaMst(points, res.coreDistances, progress);
  };
  if (options.threads > 0) {
    tbb::task_arena arena(options.threads);
    arena.execute(parallelPart);
  } else {
    parallelPart();
  }

  auto merges = singleLinkage(n, std::move(mst));
  ProgressStep step(progress, 0.85, 1.0, "condensed tree");
  Condensed ct = condenseTree(n, merges, options.minClusterSize);
  merges.clear();
  step.tick(1, 4);

  const ClusterTree tree = clusterTree(n, ct);
  const std::vector<std::uint8_t> selected =
      applySelectionEpsilon(tree, selectClusters(tree, options), options);
  labelPoints(tree, selected, options, res);
  res.condensedTree = std::move(ct.rows);
  step.done();
  return res;
}

}  // namespace veldwacht::geo
