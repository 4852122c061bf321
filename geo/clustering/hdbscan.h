// HDBSCAN: hierarchical density-based clustering with cluster extraction by stability
// (Campello, Moulavi, Sander, "Density-based clustering based on hierarchical density
// estimates", PAKDD 2013; McInnes & Healy, "Accelerated hierarchical density clustering",
// ICDMW 2017; GLOSH outlier scores: Campello, Moulavi, Zimek, Sander, TKDD 10(1), 2015).
//
// Why: DBSCAN needs one eps for the whole map, but signals in a village centre and on a remote
// dead-end road live at very different densities. HDBSCAN builds DBSCAN* for every eps at once
// and keeps the clusters that persist longest, so the analyst sets only a minimum cluster size.
//
// Steps (and their cost for n points):
//   1. core distance of each point: distance to its minSamples-th nearest neighbour, the point
//      itself counted (scikit-learn's convention; the `hdbscan` package's min_samples=m is our
//      m+1). k-d tree kNN, O(n log n), parallel.
//   2. minimum spanning tree of the mutual reachability graph,
//      mreach(a, b) = max(core(a), core(b), d(a, b)), by Prim's algorithm on the implicit dense
//      graph: O(n^2) time, O(n) memory (about 0.2 s for 20 000 points, 5 s for 100 000; not for
//      millions — McInnes & Healy's dual-tree Boruvka would be O(n log n)-ish and is not done).
//   3. single-linkage dendrogram from the sorted MST edges (union-find), O(n log n).
//   4. condensed tree: walking down from the root, a split where both sides hold at least
//      minClusterSize points makes two new clusters; a smaller side "falls out" as points.
//      lambda = 1 / distance. O(n).
//   5. stability of each cluster, sum over its points of (lambda_p - lambda_birth), and
//      selection: excess of mass (a cluster is kept unless its descendants together are more
//      stable) or leaf (the leaves of the cluster tree). The root is not a candidate unless
//      allowSingleCluster.
//   6. labels, membership probabilities (lambda_p / max lambda of the cluster, capped at 1) and
//      GLOSH outlier scores (1 - lambda_p / max lambda of the subtree under the point's parent).
// Labels are numbered in the order of the condensed tree (breadth first from the root), as the
// `hdbscan` package and scikit-learn do.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "geo/clustering/labels.h"
#include "geo/core/progress.h"
#include "geo/core/types.h"

namespace veldwacht::geo {

enum class ClusterSelection {
  ExcessOfMass,  ///< "eom": the most persistent clusters (default)
  Leaf,          ///< "leaf": the finest clusters of the condensed tree, more and smaller
};

struct HdbscanOptions {
  /// The smallest group of points that counts as a cluster. >= 2.
  std::size_t minClusterSize = 5;
  /// Neighbours, the point itself included, that define the core distance; 0 means
  /// minClusterSize (as scikit-learn). Larger values make the clustering more conservative.
  std::size_t minSamples = 0;
  ClusterSelection selection = ClusterSelection::ExcessOfMass;
  /// Allow the root (everything in one cluster) to be selected.
  bool allowSingleCluster = false;
  /// Metres; 0 = off. Clusters that split at a distance below this are not split: a selected
  /// cluster born below it is replaced by its nearest ancestor born above it (scikit-learn's
  /// cluster_selection_epsilon, Malzer & Baum 2020). Useful where dense spots would otherwise
  /// break into many micro-clusters.
  double clusterSelectionEpsilon = 0.0;
  /// Worker threads for the core distances; 0 uses all cores. Same result for any value.
  int threads = 0;

  void validate() const;
};

/// One row of the condensed tree: `child` is a point index (< n) or a cluster node (>= n; the
/// root is n). lambda = 1 / distance at which the child left `parent`.
struct CondensedTreeRow {
  std::uint32_t parent = 0;
  std::uint32_t child = 0;
  double lambda = 0.0;
  std::uint32_t childSize = 0;
};

struct HdbscanResult {
  /// Per point: cluster in [0, clusterCount) or kNoise (-1).
  std::vector<std::int32_t> labels;
  /// Per point: strength of membership in its cluster, 0 for noise, 1 at the cluster's heart.
  std::vector<double> probabilities;
  /// Per point: GLOSH outlier score in [0, 1]; high is more outlying.
  std::vector<double> outlierScores;
  /// Per point: the core distance in metres.
  std::vector<double> coreDistances;
  /// Per cluster label: the stability (excess of mass) of the selected cluster.
  std::vector<double> clusterStability;
  std::vector<CondensedTreeRow> condensedTree;
  std::size_t clusterCount = 0;
};

/// Throws OptionError, CancelledError.
HdbscanResult hdbscan(std::span<const Point> points, const HdbscanOptions& options,
                      Progress& progress = nullProgress());

}  // namespace veldwacht::geo
