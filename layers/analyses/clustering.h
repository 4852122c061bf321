// Clustering as users run it: points of a store layer in, two styled result layers out.
//   <output>_punten   every input point with its cluster (bron_id, cluster_id, cluster_grootte,
//                     kernpunt; HDBSCAN adds lidmaatschap and uitbijterscore) — clusters_points
//   <output>_clusters one hull per cluster (cluster_id, aantal, van, tot, categorie_mix,
//                     bronnen, oppervlakte_m2, opmerking) — clusters_hulls
// The core Options structs are carried unchanged; this file only converts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "geo/clustering/dbscan.h"
#include "geo/clustering/hdbscan.h"
#include "geo/clustering/kmeans.h"
#include "geo/clustering/st_dbscan.h"
#include "geo/clustering/summary.h"
#include "layers/analyses/analysis_result.h"
#include "layers/analyses/description.h"
#include "layers/analyses/report.h"

namespace veldwacht::layers {

enum class ClusterMethod { Dbscan, DbscanStar, StDbscan, Hdbscan, Kmeans };

/// "dbscan", "dbscan*", "st-dbscan", "hdbscan", "kmeans".
std::string_view clusterMethodName(ClusterMethod m);
/// The inverse; throws OptionError("method").
ClusterMethod parseClusterMethod(std::string_view name);

struct ClusteringRequest {
  PointSelection input;
  /// Prefix of the result layers: <output>_punten and <output>_clusters.
  std::string output = "clusters";
  ClusterMethod method = ClusterMethod::Dbscan;
  geo::DbscanOptions dbscan;  ///< dbscan and dbscan* (borderPointsAreNoise is set for dbscan*)
  geo::StDbscanOptions stDbscan;
  /// ST-DBSCAN on observation windows (van..tot) rather than on the start moments.
  bool timeWindows = true;
  geo::HdbscanOptions hdbscan;
  geo::KmeansOptions kmeans;
  geo::ClusterSummaryOptions summary;
  /// Hulls of one or two distinct points (or collinear points) are buffered by this many
  /// metres so that they show as polygons; the hull's `opmerking` says so. > 0.
  double degenerateBuffer = 25.0;
  std::string stylesDir;  ///< empty = the default styles directory

  void validate() const;
};

/// What the clustering core gives for one input (step 2 of runClustering).
struct ClusteringOutput {
  std::vector<std::int32_t> labels;                  ///< per point; -1 = noise
  std::vector<std::uint8_t> core;                    ///< per point (DBSCAN family); empty otherwise
  std::vector<double> probabilities, outlierScores;  ///< HDBSCAN only
  std::size_t clusterCount = 0;
  std::optional<std::int64_t> seed;  ///< k-means
  geo::ClusterSummaryResult summary;
};

/// Step 2: the core algorithm and the cluster summary (hulls). Throws OptionError when
/// ST-DBSCAN gets points without times.
ClusteringOutput computeClustering(const PointInput& in, const ClusteringRequest& request,
                                   geo::Progress& progress = geo::nullProgress());

/// Step 3: the result tables <output>_punten and <output>_clusters (fields as in the
/// description's results "OUTPUT" and "HULLS") and the summary lines. The per-point vectors of
/// `out` (labels, core, HDBSCAN's scores) are moved into the point table, so none is held twice
/// while the table is built.
AnalysisResult buildClusteringResult(const PointInput& in, const ClusteringRequest& request,
                                     ClusteringOutput&& out, const RunClock& clock);

/// Steps 2 and 3 for a host that read the points itself (the plugin): validates the request,
/// computes, builds. Nothing is written.
AnalysisResult buildClustering(const PointInput& in, const ClusteringRequest& request,
                               geo::Progress& progress = geo::nullProgress());

/// The whole run for the CLI: validate, read the points from the store (step 1, 0–10 % of the
/// bar), compute and build (10–80 %), write into the store (step 4, 80–100 %).
RunReport runClustering(Store& store, const ClusteringRequest& request,
                        geo::Progress& progress = geo::nullProgress());

namespace describe {
/// dbscan (methods dbscan, dbscan*), stdbscan (st-dbscan), hdbscan, kmeans — command cluster.
const std::vector<Analysis<ClusteringRequest>>& clusteringAnalyses();
/// One of them by id; throws OptionError("method").
const Analysis<ClusteringRequest>& clusteringAnalysis(std::string_view id);
}  // namespace describe

}  // namespace veldwacht::layers
