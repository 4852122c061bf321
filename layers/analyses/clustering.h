// Clustering as users run it: points of a store layer in, two styled result layers out.
//   <output>_punten   every input point with its cluster (bron_id, cluster_id, cluster_grootte,
//                     kernpunt; HDBSCAN adds lidmaatschap and uitbijterscore) — clusters_points
//   <output>_clusters one hull per cluster (cluster_id, aantal, van, tot, categorie_mix,
//                     bronnen, oppervlakte_m2, opmerking) — clusters_hulls
// The core Options structs are carried unchanged; this file only converts.
#pragma once

#include <string>
#include <string_view>

#include "geo/clustering/dbscan.h"
#include "geo/clustering/hdbscan.h"
#include "geo/clustering/kmeans.h"
#include "geo/clustering/st_dbscan.h"
#include "geo/clustering/summary.h"
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

RunReport runClustering(Store& store, const ClusteringRequest& request,
                        geo::Progress& progress = geo::nullProgress());

}  // namespace veldwacht::layers
