// Streaming imports: one import's records written in batches inside Store::transaction(), so
// that an import of any size holds one batch in memory, not the whole file (issue 13).
//
// The caller checks every record first (validateRecord, as Store::append does). The database
// checks what needs the whole table: a UNIQUE value already stored, or written earlier in the
// same transaction, makes its record come back as a UniqueConflict (nothing else is written for
// it); references to other layers are checked with one query per field once every file of the
// transaction is written (missingReferences), so files may come in any order. Refusing is the
// caller's throw inside transaction(): everything rolls back and the file is as it was.
//
// On a GeoPackage the rows go straight into SQLite through one prepared INSERT (GeoPackage
// geometry blobs, GDAL's own R-tree and feature-count triggers keep the index and the count);
// other stores (SpatiaLite) through GDAL's CreateFeature. The fid of a written record is
// fidBase() + its sourceRow, so that a conflict can name the row it conflicts with.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "geo/core/gdal.h"
#include "layers/store/store.h"

namespace veldwacht::layers {

/// A GeoPackage geometry blob (GeoPackage 1.2 §2.1.3) as the BatchWriter (and GDAL) write it:
/// header, envelope (none for points), ISO WKB little endian; `env` and `hasEnvelope` give the
/// geometry's extent. Throws geo::LibraryError when the geometry cannot be encoded.
void encodeGpkgGeometry(const OGRGeometry& g, std::int32_t srsId, std::vector<std::uint8_t>& out,
                        OGREnvelope& env, bool& hasEnvelope);

/// A record the database refused because the value of a UNIQUE field is already there.
struct UniqueConflict {
  std::size_t record = 0;  ///< index in the span given to BatchWriter::write
  std::string field;
  Value value;
  std::int64_t otherFid = 0;       ///< the row that holds it
  std::int64_t otherImportId = 0;  ///< that row's import (0 when unknown)
  /// That row was committed by another user's import while this one was running (PostGIS:
  /// its import is newer than every import committed when this one began).
  bool concurrent = false;
};

/// A written row whose reference field names a row that does not exist.
struct MissingReference {
  std::int64_t fid = 0;
  std::string field;
  std::string value;
};

/// One file's rows of one layer in a streaming import (importFiles), written chunk by chunk
/// inside the store's Store::importTransaction(): BatchWriter below on a GeoPackage or
/// SpatiaLite store, pgstore::PgImportWriter on PostGIS (COPY). Store::importWriter() makes it.
class ImportWriter {
 public:
  virtual ~ImportWriter() = default;
  /// Writes the records (sorted by sourceRow); those refused because the value of a UNIQUE
  /// field is already there (stored, or written earlier in the transaction) are skipped and
  /// returned. Any other failure throws.
  virtual std::vector<UniqueConflict> write(std::span<const Record> records) = 0;
  /// Completes this writer's import (its row count in veldwacht_imports, indexes).
  virtual void finish() = 0;
  /// Rows of this import whose references name no row, at most `limit`; call after every
  /// writer of the transaction has finished.
  virtual std::vector<MissingReference> missingReferences(std::size_t limit) = 0;
  virtual std::int64_t rows() const = 0;
  virtual std::int64_t importId() const = 0;
  /// The source row of a row this writer wrote, from its fid (UniqueConflict::otherFid,
  /// MissingReference::fid).
  virtual std::int64_t sourceRowOf(std::int64_t fid) const = 0;
};

class BatchWriter final : public ImportWriter {
 public:
  /// Starts one import of `info.layer` (info.records are not used) on the dataset of a running
  /// Store::transaction(): its veldwacht_imports row, the prepared INSERT; the layer's per-row
  /// check trigger is suspended until finish(). Throws geo::LibraryError for an unknown layer.
  BatchWriter(GDALDataset& ds, const ImportBatch& info, const std::string& startedAt);
  ~BatchWriter() override;
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  /// Writes the records; those refused by a UNIQUE constraint are skipped and returned. Any
  /// other failure throws (StorageError for the storage, geo::LibraryError otherwise).
  std::vector<UniqueConflict> write(std::span<const Record> records) override;
  /// Completes the import: its row count, the layer's extent in gpkg_contents, the check
  /// trigger and indexes re-created.
  void finish() override;
  /// Rows of this import whose references name no row, at most `limit`; call after every
  /// writer of the transaction has finished.
  std::vector<MissingReference> missingReferences(std::size_t limit = 1000) override;

  std::int64_t rows() const override;
  std::int64_t importId() const override;
  /// fid of a written record = fidBase() + its sourceRow.
  std::int64_t fidBase() const;
  std::int64_t sourceRowOf(std::int64_t fid) const override { return fid - fidBase(); }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace veldwacht::layers
