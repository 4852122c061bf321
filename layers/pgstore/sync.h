// `veldwacht sync LAPTOP.gpkg "postgresql://…"`: a GeoPackage taken into the field and the shared
// PostGIS store brought together. A row is matched by its layer's natural key (LayerDef::key; a
// layer without one by its whole content, new rows down only).
//
// Three-way: the laptop keeps, per server, the content of every keyed row as it was when the two
// stores last agreed on it (table veldwacht_sync_basis: server, layer, key, SHA-256 of the
// content). Against that basis:
// - new signals (the up layers) go up; new register rows (every other domain layer) come down;
// - a row changed on one side only goes to the other side (a signal changed on the laptop goes
//   up, a row changed on the server comes down); a register row changed on the laptop is not
//   sent up (the registers are the server's) and is noted;
// - a row deleted on one side only is deleted on the other (a signal deleted on the laptop is
//   deleted on the server; a row deleted on the server is deleted on the laptop);
// - a row changed on both sides since the last sync (or deleted on one and changed on the
//   other, or different on both sides with no basis yet) is a conflict: reported row by row with
//   its key and every differing field with both values, and left as it is on both sides, or
//   resolved by taking one side's version (SyncOptions::take, `--take laptop|server`) in the
//   same transactions, the audit row counting what was taken from which side;
// - under a login that sees only part of the server (a partner: row-level security), a laptop
//   row whose key is on the server but out of the login's sight is left alone on both sides:
//   not sent up as new, not deleted on the laptop; a layer it may not read at all comes not
//   down and stays on the laptop as it is; rows the login may not write (no privilege, or
//   refused by its policies, e.g. a signal outside its area) are refused before anything is
//   written, naming the login, its role, the layer and the row (sync_access.h).
// Each layer is compared streamed (sync_rows.h): both stores and the basis in key order, merged;
// rows coming down are kept as fids and the new basis as changes in a temporary file, so memory
// does not grow with a register's size (what goes up is held whole). Each write is all or
// nothing: everything going up in ONE server transaction (new rows, changes and deletions, the
// audit row), everything coming down (new rows through the streaming import writer, changes,
// deletions, the new basis) in ONE laptop transaction, the results in one result set. A refusal
// (a reference the other side lacks, a row still referenced, a bad value) names the source
// store, layer, row (its fid there) and field, and writes nothing of that part; a sync stopped
// between two parts leaves rows that are either fully synced or untouched, and the next sync
// finishes it (rows equal on both sides always become the basis). Both stores must be of this
// schema version (opening them for writing migrates).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "geo/core/progress.h"
#include "layers/store/store.h"

namespace veldwacht::layers::pgstore {

/// A side of a sync.
enum class SyncSide { Laptop, Server };

/// `--take laptop|server[:LAYER[:KEY]]`: resolve the conflicts of every layer, of one layer or
/// of one row by taking that side's version.
struct TakeRule {
  SyncSide side = SyncSide::Server;
  std::string layer;  ///< empty: every layer
  std::string key;    ///< empty: every row of the layer

  /// "laptop", "server", "server:signalen", "laptop:signalen:SIG-1" (the key is the rest, so it
  /// may hold ':'). Throws geo::OptionError("take") for anything else.
  static TakeRule parse(const std::string& text);
};

struct SyncOptions {
  /// Only compare and report; write nothing.
  bool dryRun = false;
  /// Layers whose new rows go up; the other domain layers come down.
  std::vector<std::string> upLayers = {"signalen"};
  /// How conflicts are resolved; none = listed and left alone. The most specific rule that
  /// matches a row wins (layer and key, then layer, then every layer).
  std::vector<TakeRule> take;

  /// Throws geo::OptionError for an unknown or key-less up layer, a take rule of an unknown or
  /// key-less layer, or two rules for the same rows that take different sides.
  void validate() const;
  /// The side to take for a conflict on `layer` `key`, or nullopt.
  std::optional<SyncSide> takeFor(const std::string& layer, const std::string& key) const;
};

/// One row present on both sides with the same key and different content.
struct SyncConflict {
  std::string layer;
  std::string keyField;
  std::string key;
  std::int64_t laptopRow = 0;  ///< fid in the laptop store
  std::int64_t serverRow = 0;  ///< fid in the server store
  /// "status: 'nieuw' on the laptop, 'afgesloten' on the server", one per differing field
  /// ("the geometry differs"); a deletion on one side: "deleted on the laptop, changed on the
  /// server since the last sync" followed by the server's values.
  std::vector<std::string> differences;
  /// The side whose version was taken (--take), or nullopt: left alone on both sides.
  std::optional<SyncSide> taken;

  /// "signalen signaal_id 'S-1' (laptop row 12, server row 40): status: …; geometry differs"
  std::string describe() const;
};

/// Name of the laptop's table with the basis of the three-way comparison.
inline constexpr const char* kSyncBasisTable = "veldwacht_sync_basis";

struct SyncReport {
  std::map<std::string, std::int64_t> up;                    ///< new rows sent up per layer
  std::map<std::string, std::int64_t> down;                  ///< new rows brought down per layer
  std::map<std::string, std::int64_t> changedUp, deletedUp;  ///< per layer
  std::map<std::string, std::int64_t> changedDown, deletedDown;  ///< per layer
  std::vector<std::string> resultsDown;  ///< result layers written into the laptop
  std::vector<SyncConflict> conflicts;   ///< left as they are on both sides
  std::vector<SyncConflict> taken;       ///< resolved by --take (SyncConflict::taken)
  /// Layers the server's login may not read: nothing came down, the laptop kept them as they are.
  std::vector<std::string> unreadable;
  /// Things the user should know (a newer result on the laptop kept, …).
  std::vector<std::string> notes;
};

/// SHA-256 of a row's content as sync and register updates compare it: every field but import_id
/// (NULL apart from any text, reals to 15 digits, date-times to seconds) and the geometry's WKB.
std::string rowContent(const LayerDef& def, const Record& r);

/// Syncs `laptop` (any store, normally a GeoPackage) with `server` (normally PostGIS). Both must
/// be open for writing (unless dryRun). Throws ValidationError (nothing of that direction
/// written) when the receiving store refuses rows.
SyncReport syncStores(Store& laptop, Store& server, const SyncOptions& options = {},
                      geo::Progress& progress = geo::nullProgress());

}  // namespace veldwacht::layers::pgstore
