// The road network of a store: built from its NWB layer `wegvakken`, kept in the store in its
// own table `veldwacht_netwerk` (one row: the network's arrays as BLOBs, the import ids of the
// roads it came from, the speed table, and a SHA-256 of the roads and the speed table), and
// loaded back in milliseconds while that checksum still matches. Any change to the roads (a new
// import, an edit in QGIS, a removed import) or to the speed table changes the checksum, and the
// next use rebuilds the network.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "geo/core/progress.h"
#include "geo/network/contraction.h"
#include "geo/network/graph.h"
#include "layers/store/store.h"

namespace veldwacht::layers {

inline constexpr const char* kNetworkTable = "veldwacht_netwerk";
/// Contraction hierarchies of the stored network, one row per (modus, kosten), tied to the
/// network's checksum; dropped when the network is rebuilt.
inline constexpr const char* kHierarchyTable = "veldwacht_netwerk_ch";

struct NetworkSource {
  /// Speed table; `speedsJson` is what the user gave (part of the checksum), empty = defaults.
  std::string speedsJson;
  /// Optional NDW speed-limit CSV (columns wvk_id and maxsnelheid / max_speed in km/h; `;` or
  /// `,`), whose limits win over the table.
  std::string speedLimitsCsv;
  /// Treat every wegvak inside the built-up area (NWB has no such field); default outside.
  bool builtUp = false;
};

struct LoadedNetwork {
  geo::RoadNetwork network;
  std::string checksum;
  std::string importIds;  ///< comma-joined import_id values of the roads
  bool rebuilt = false;   ///< false when loaded from veldwacht_netwerk
  double seconds = 0.0;
  std::vector<std::string> warnings;
};

/// The records of `wegvakken` (all rows) as WegvakRecords. Throws InputError when the layer is
/// empty; limits from `speedLimitsCsv` are joined on WVK_ID.
std::vector<geo::WegvakRecord> readWegvakken(Store& store, const NetworkSource& source,
                                             std::vector<std::string>& warnings);

/// SHA-256 over every row of wegvakken (ids, junctions, direction, authority, BST code,
/// geometry) plus the speed settings.
std::string roadsChecksum(Store& store, const NetworkSource& source);

/// Loads the stored network when its checksum matches; otherwise builds it from wegvakken and
/// (when the store is updatable) stores it, replacing an older one.
LoadedNetwork networkForStore(Store& store, const NetworkSource& source = {},
                              geo::Progress& progress = geo::nullProgress());

/// Builds the network and writes it to veldwacht_netwerk now (the store must be updatable).
LoadedNetwork rebuildNetwork(Store& store, const NetworkSource& source = {},
                             geo::Progress& progress = geo::nullProgress());

struct LoadedHierarchy {
  geo::ContractionHierarchy hierarchy;
  bool rebuilt = false;  ///< false when loaded from veldwacht_netwerk_ch
  bool stored = false;   ///< kept in the store (false for a read-only store)
  double seconds = 0.0;
};

/// The contraction hierarchy of `network` for the mode and cost of `graph` (a SearchGraph on
/// network.network): loaded from veldwacht_netwerk_ch when it was stored for this checksum,
/// mode and cost; otherwise built and, when the store is updatable, stored (rows of other
/// checksums are removed then).
LoadedHierarchy hierarchyForStore(Store& store, const LoadedNetwork& network,
                                  const geo::SearchGraph& graph,
                                  geo::Progress& progress = geo::nullProgress());

/// The stored hierarchy for this checksum and the graph's mode and cost, if any.
std::optional<geo::ContractionHierarchy> storedHierarchy(Store& store, const std::string& checksum,
                                                         const geo::SearchGraph& graph);

}  // namespace veldwacht::layers
