// The rows sync compares, streamed (layers/pgstore/sync.h): a layer of either store in the order
// of its key, one row at a time, so that two stores of a BAG-size register are compared in
// bounded memory; and the few rows that move, fetched again by fid when they are written.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "layers/store/store.h"

namespace veldwacht::layers::pgstore {

/// The order RowSource::ordered gives: an Integer key numerically, any other bytewise (SQLite's
/// BINARY collation, PostgreSQL's "C"). Keys as sync spells them (decimal for integers).
bool keyLess(FieldType keyType, const std::string& a, const std::string& b);

/// One layer's rows in key order.
class RowCursor {
 public:
  virtual ~RowCursor() = default;
  /// The next row (fid as sourceRow), or nullptr after the last. Valid until the next call.
  virtual const Record* next() = 0;
};

/// One store's rows for sync.
class RowSource {
 public:
  virtual ~RowSource() = default;
  /// Every row of `def` in key order (keyLess), read a few thousand at a time: a PostGIS store
  /// through a cursor in a read-only transaction (no other transaction on that connection while
  /// it is open), a GeoPackage through SQLite. `def` must have a key.
  virtual std::unique_ptr<RowCursor> ordered(const LayerDef& def) = 0;
  /// The rows of `def` with these fids, in any order.
  virtual std::vector<Record> byFid(const LayerDef& def, std::span<const std::int64_t> fids) = 0;
};

/// The source for `store`: libpq for a PostGIS store, its GDAL dataset for any other.
std::unique_ptr<RowSource> rowSource(Store& store);

/// The laptop's basis of one layer for one server (sync.h) in key order: (key, digest).
class BasisCursor {
 public:
  /// No rows when the laptop has no basis table yet.
  BasisCursor(Store& laptop, const std::string& table, const std::string& server,
              const LayerDef& def);
  ~BasisCursor();
  BasisCursor(const BasisCursor&) = delete;
  BasisCursor& operator=(const BasisCursor&) = delete;
  const std::pair<std::string, std::string>* next();

 private:
  GDALDataset* ds_ = nullptr;
  OGRLayer* rows_ = nullptr;
  std::pair<std::string, std::string> current_;
};

}  // namespace veldwacht::layers::pgstore
