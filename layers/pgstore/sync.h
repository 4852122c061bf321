// `veldwacht sync LAPTOP.gpkg "postgresql://…"`: a GeoPackage taken into the field and the shared
// PostGIS store brought together. New signals go up (laptop -> server); new register rows (every
// other domain layer) and new analysis results come down (server -> laptop). A row is matched by
// its layer's natural key (LayerDef::key; a layer without one by its whole content). Same key with
// different content is a conflict: reported row by row with the fields that differ, and that row
// is left as it is on both sides. Each direction is all or nothing: the signals go up in one
// append (one server transaction), the register rows come down in one append (one GeoPackage
// transaction) and the results in one result set; a refusal (a reference the other side lacks, a
// bad value) names the source store, layer, row (its fid there) and field, and writes nothing of
// that part. Both stores must be of this schema version (opening them for writing migrates).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "geo/core/progress.h"
#include "layers/store/store.h"

namespace veldwacht::layers::pgstore {

struct SyncOptions {
  /// Only compare and report; write nothing.
  bool dryRun = false;
  /// Layers whose new rows go up; the other domain layers come down.
  std::vector<std::string> upLayers = {"signalen"};

  /// Throws geo::OptionError for an unknown or key-less up layer.
  void validate() const;
};

/// One row present on both sides with the same key and different content.
struct SyncConflict {
  std::string layer;
  std::string keyField;
  std::string key;
  std::int64_t laptopRow = 0;  ///< fid in the laptop store
  std::int64_t serverRow = 0;  ///< fid in the server store
  /// "status: 'nieuw' on the laptop, 'afgesloten' on the server", one per differing field
  /// ("geometry" for the geometry).
  std::vector<std::string> differences;

  /// "signalen signaal_id 'S-1' (laptop row 12, server row 40): status: …; geometry differs"
  std::string describe() const;
};

struct SyncReport {
  std::map<std::string, std::int64_t> up;    ///< rows sent up per layer
  std::map<std::string, std::int64_t> down;  ///< rows brought down per layer
  std::vector<std::string> resultsDown;      ///< result layers written into the laptop
  std::vector<SyncConflict> conflicts;
  /// Things the user should know (a newer result on the laptop kept, …).
  std::vector<std::string> notes;
};

/// Syncs `laptop` (any store, normally a GeoPackage) with `server` (normally PostGIS). Both must
/// be open for writing (unless dryRun). Throws ValidationError (nothing of that direction
/// written) when the receiving store refuses rows.
SyncReport syncStores(Store& laptop, Store& server, const SyncOptions& options = {},
                      geo::Progress& progress = geo::nullProgress());

}  // namespace veldwacht::layers::pgstore
