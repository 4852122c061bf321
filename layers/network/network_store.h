// The road network of a store: built from its NWB layer `wegvakken`, kept in the store in its
// own table `veldwacht_netwerk` (one row: the network's arrays as BLOBs, the import ids of the
// roads it came from, the speed table, and a SHA-256 of the roads and the speed table), and
// loaded back in milliseconds while that checksum still matches. Any change to the roads (a new
// import, an edit in QGIS, a removed import) or to the speed table changes the checksum, and the
// next use rebuilds the network.
#pragma once

#include <string>
#include <vector>

#include "geo/core/progress.h"
#include "geo/network/graph.h"
#include "layers/store/store.h"

namespace veldwacht::layers {

inline constexpr const char* kNetworkTable = "veldwacht_netwerk";

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

}  // namespace veldwacht::layers
