// Register updates (issue 13): importing a newer version of a register (BAG panden and
// verblijfsobjecten by bag_id, NWB wegvakken by wvk_id, CBS gemeenten/wijken/buurten by code,
// IBIS bedrijventerreinen by rin_nummer) over an older one, with `veldwacht import --update`.
//
// The files are the register's new version, whole: a key in the files and not in the store is
// added, a key in both whose fields or geometry differ is changed (updated in place: same fid,
// this import's import_id), a key in the store and in none of the files is removed. Everything
// happens inside the import's ONE transaction (importFiles), so a refusal leaves the store as
// it was.
//
// Streaming, set-based: each chunk of checked records is written to a work table
// (veldwacht_werk_<layer>_rijen), compared with the layer in SQL (fields with IS NOT, geometry by
// its WKB after the GeoPackage header), changed rows are updated with one UPDATE ... FROM, the
// keys go to a second work table (veldwacht_werk_<layer>_sleutels, which also finds a key twice
// in the files) and the records of new keys are handed back for the BatchWriter to insert. Memory
// holds one chunk; the work tables live in the store file (inside the transaction, dropped
// before it ends), so they are bounded by SQLite's page cache, not by the register's size.
//
// Removed rows that other layers still refer to: the update is REFUSED, naming the referring
// rows (a declared reference such as incidenten.rin_nummer; bag_pand_id of Veldwacht's own
// layers vab, signalen, incidenten; a schouwresultaat's site). Registers referring to registers
// (verblijfsobjecten.bag_pand_id) do not block: they are updated from the same register.
// Derived tables of the layer (schema.h derivedTables(): the road network of wegvakken) are
// emptied when anything was added, changed or removed, and the summary says so.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "geo/core/gdal.h"
#include "layers/schema/validate.h"

namespace veldwacht::layers {

/// What an update did to one layer.
struct RegisterUpdateSummary {
  std::string layer;
  std::string key;
  std::int64_t added = 0, changed = 0, unchanged = 0, removed = 0;
  /// The first few keys of each (kShownKeys), in the order met (removed: sorted).
  std::vector<std::string> addedKeys, changedKeys, removedKeys;
  /// Derived tables emptied, each with how it is rebuilt.
  std::vector<std::string> derivedEmptied;
  static constexpr std::size_t kShownKeys = 5;
  /// "update of panden by bag_id: 2 added (e.g. …), 1 changed (…), 1 removed (…), 7 unchanged"
  std::string str() const;
};

/// A field of another layer whose rows refer to `def`'s rows and so block their removal by an
/// update (both stores): a declared reference from a layer that is not a register
/// (incidenten.rin_nummer), bag_pand_id of Veldwacht's own layers for panden, a
/// schouwresultaat's site_id (counting only rows whose site_laag is `def`).
struct RemovalBlocker {
  const LayerDef* layer = nullptr;
  const FieldDef* field = nullptr;
  bool bySiteLayer = false;  ///< only rows with site_laag = def.name refer to `def`
};
std::vector<RemovalBlocker> removalBlockers(const LayerDef& def);

/// The refusal for one row (`referrerId`: its key, or fid when its layer has none) that still
/// refers to the removed `key`.
std::string removalBlockedMessage(const LayerDef& def, const std::string& key,
                                  const RemovalBlocker& by, const std::string& referrerId);

/// A key that came twice in the update's files.
struct IncomingDuplicate {
  std::size_t record = 0;  ///< index in the chunk
  std::string key;
  std::string otherFile;
  std::int64_t otherRow = 0;
};

class RegisterUpdate {
 public:
  /// Starts the update of `layer` (a register, a GeoPackage store) on the dataset of a running
  /// Store::transaction(): creates the two work tables. Throws geo::Error for a layer without a
  /// key or a store that is not a GeoPackage.
  RegisterUpdate(GDALDataset& ds, const LayerDef& layer);
  ~RegisterUpdate();
  RegisterUpdate(const RegisterUpdate&) = delete;
  RegisterUpdate& operator=(const RegisterUpdate&) = delete;

  struct Chunk {
    std::vector<std::size_t> added;             ///< records to insert (key not stored)
    std::vector<IncomingDuplicate> duplicates;  ///< refused: key already in the files
  };
  /// Compares checked `records` of `file` with the store: changed rows are updated now (their
  /// import_id becomes `importId`), unchanged ones left alone, new ones returned in `added`.
  Chunk apply(std::span<const Record> records, std::int64_t importId, const std::string& file);

  /// Once every file is written: the rows whose key was in none of the files. When other layers
  /// still refer to any of them, returns one problem per referring row (at most 20; nothing is
  /// deleted; the caller refuses the import); else deletes them, empties the derived tables when
  /// anything changed, and drops the work tables. `file` locates the problems.
  std::vector<Problem> finish(const std::string& file);

  const RegisterUpdateSummary& summary() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace veldwacht::layers
