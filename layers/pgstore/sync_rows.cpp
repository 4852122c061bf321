#include "layers/pgstore/sync_rows.h"

#include <algorithm>
#include <cstdlib>

#include "geo/core/error.h"
#include "geo/core/gdal.h"
#include "layers/pgstore/pg.h"
#include "layers/pgstore/pg_store.h"
#include "layers/pgstore/pg_values.h"
#include "layers/store/ogr_values.h"

namespace veldwacht::layers::pgstore {

namespace {

constexpr std::size_t kFetch = 2000;  // rows per FETCH / per fid chunk

/// fids[from, from + kFetch) as "1,2,3".
std::string fidList(std::span<const std::int64_t> fids, std::size_t from) {
  std::string list;
  for (std::size_t j = from; j < std::min(fids.size(), from + kFetch); ++j) {
    if (j > from) list += ',';  // not `const char* + std::string&&`: GCC 12 -O3 -Wrestrict
    list += std::to_string(fids[j]);
  }
  return list;
}

bool integerKey(const LayerDef& def) {
  const FieldDef* f = def.field(def.key);
  return f && f->type == FieldType::Integer;
}

/// PostGIS: a cursor in a read-only transaction, FETCH kFetch rows at a time.
class PgCursor : public RowCursor {
 public:
  PgCursor(pg::Connection& c, const LayerDef& def)
      : c_(c), def_(def), transaction_(c, "BEGIN READ ONLY") {
    c_.exec("DECLARE veldwacht_sync NO SCROLL CURSOR FOR SELECT " + recordColumns(def) + " FROM " +
            pg::ident(def.name) + " ORDER BY " +
            // The table's column, not the select list's text of it (ORDER BY finds that first).
            pg::ident(def.name) + "." + pg::ident(def.key) +
            (integerKey(def) ? "" : " COLLATE \"C\""));
  }
  ~PgCursor() override = default;  // the transaction rolls back: it only read
  const Record* next() override {
    if (at_ >= rows_.size()) {
      if (done_) return nullptr;
      rows_ = c_.query("FETCH FORWARD " + std::to_string(kFetch) + " FROM veldwacht_sync");
      at_ = 0;
      done_ = rows_.size() < kFetch;
      if (rows_.empty()) return nullptr;
    }
    current_ = recordOfRow(def_, rows_[at_]);
    rows_[at_++].clear();
    return &current_;
  }

 private:
  pg::Connection& c_;
  const LayerDef& def_;
  pg::Transaction transaction_;
  pg::Rows rows_;
  std::size_t at_ = 0;
  bool done_ = false;
  Record current_;
};

class PgSource : public RowSource {
 public:
  explicit PgSource(PgStore& s) : s_(s) {}
  std::unique_ptr<RowCursor> ordered(const LayerDef& def) override {
    return std::make_unique<PgCursor>(s_.connection(), def);
  }
  std::vector<Record> byFid(const LayerDef& def, std::span<const std::int64_t> fids) override {
    std::vector<Record> out;
    for (std::size_t i = 0; i < fids.size(); i += kFetch) {
      std::string list = "{";
      list += fidList(fids, i);
      for (const auto& row :
           s_.connection().query("SELECT " + recordColumns(def) + " FROM " + pg::ident(def.name) +
                                     " WHERE " + pg::ident(kFidColumn) + " = ANY ($1::bigint[])",
                                 {list + "}"}))
        out.push_back(recordOfRow(def, row));
    }
    return out;
  }

 private:
  PgStore& s_;
};

/// A result set of SQL on a GDAL dataset, released with it.
class GdalRows {
 public:
  GdalRows(GDALDataset& ds, const std::string& sql) : ds_(ds) {
    geo::GdalErrorCapture capture;
    CPLErrorReset();
    rows_ = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (!rows_ || CPLGetLastErrorType() >= CE_Failure) {
      if (rows_) ds.ReleaseResultSet(rows_);
      throw geo::LibraryError("cannot read the store for sync (" + sql +
                              "): " + geo::lastGdalError());
    }
  }
  ~GdalRows() { ds_.ReleaseResultSet(rows_); }
  GdalRows(const GdalRows&) = delete;
  GdalRows& operator=(const GdalRows&) = delete;
  OGRLayer& layer() { return *rows_; }

 private:
  GDALDataset& ds_;
  OGRLayer* rows_ = nullptr;
};

/// "SELECT CAST(fid AS INTEGER) AS veldwacht_fid, * FROM layer" (GDAL hides a bare fid).
std::string gdalSelect(const LayerDef& def) {
  return "SELECT CAST(" + pg::ident(kFidColumn) + " AS INTEGER) AS veldwacht_fid, * FROM " +
         pg::ident(def.name);
}

/// Reads the rows of a GDAL result set as Records, as the GeoPackage store's read() does.
class GdalReader {
 public:
  GdalReader(OGRLayer& rows, const LayerDef& def)
      : def_(def),
        idx_(ogrFieldIndexes(*rows.GetLayerDefn(), def.fields)),
        fid_(rows.GetLayerDefn()->GetFieldIndex("veldwacht_fid")) {}
  Record read(OGRFeature& f) const {
    Record r;
    r.values.reserve(def_.fields.size());
    for (std::size_t i = 0; i < def_.fields.size(); ++i)
      r.values.push_back(getOgrField(f, idx_[i], def_.fields[i].type));
    r.geometry.reset(f.StealGeometry());
    r.sourceRow = fid_ >= 0 ? f.GetFieldAsInteger64(fid_) : f.GetFID();
    return r;
  }

 private:
  const LayerDef& def_;
  std::vector<int> idx_;
  int fid_;
};

class GdalCursor : public RowCursor {
 public:
  GdalCursor(GDALDataset& ds, const LayerDef& def)
      : rows_(ds, gdalSelect(def) + " ORDER BY " + pg::ident(def.key)),
        reader_(rows_.layer(), def) {}
  const Record* next() override {
    geo::FeaturePtr f(rows_.layer().GetNextFeature());
    if (!f) return nullptr;
    current_ = reader_.read(*f);
    return &current_;
  }

 private:
  GdalRows rows_;
  GdalReader reader_;
  Record current_;
};

class GdalSource : public RowSource {
 public:
  explicit GdalSource(Store& s) : s_(s) {}
  std::unique_ptr<RowCursor> ordered(const LayerDef& def) override {
    return std::make_unique<GdalCursor>(s_.dataset(), def);
  }
  std::vector<Record> byFid(const LayerDef& def, std::span<const std::int64_t> fids) override {
    std::vector<Record> out;
    for (std::size_t i = 0; i < fids.size(); i += kFetch) {
      GdalRows rows(s_.dataset(), gdalSelect(def) + " WHERE " + pg::ident(kFidColumn) + " IN (" +
                                      fidList(fids, i) + ")");
      const GdalReader reader(rows.layer(), def);
      for (geo::FeaturePtr f(rows.layer().GetNextFeature()); f;
           f.reset(rows.layer().GetNextFeature()))
        out.push_back(reader.read(*f));
    }
    return out;
  }

 private:
  Store& s_;
};

}  // namespace

bool keyLess(FieldType keyType, const std::string& a, const std::string& b) {
  if (keyType == FieldType::Integer)
    return std::strtoll(a.c_str(), nullptr, 10) < std::strtoll(b.c_str(), nullptr, 10);
  return a < b;  // char_traits<char> compares as unsigned char: bytewise
}

std::unique_ptr<RowSource> rowSource(Store& store) {
  if (auto* pg = dynamic_cast<PgStore*>(&store)) return std::make_unique<PgSource>(*pg);
  return std::make_unique<GdalSource>(store);
}

BasisCursor::BasisCursor(Store& laptop, const std::string& table, const std::string& server,
                         const LayerDef& def) {
  if (!laptop.hasTable(table)) return;
  ds_ = &laptop.dataset();
  const std::string sql = "SELECT sleutel, inhoud FROM " + pg::ident(table) +
                          " WHERE server = " + pg::literal(server) +
                          " AND laag = " + pg::literal(def.name) + " ORDER BY " +
                          (integerKey(def) ? "CAST(sleutel AS INTEGER)" : "sleutel");
  rows_ = ds_->ExecuteSQL(sql.c_str(), nullptr, nullptr);
  if (!rows_) throw geo::LibraryError("cannot read the sync basis: " + geo::lastGdalError());
}

BasisCursor::~BasisCursor() {
  if (rows_) ds_->ReleaseResultSet(rows_);
}

const std::pair<std::string, std::string>* BasisCursor::next() {
  if (!rows_) return nullptr;
  geo::FeaturePtr f(rows_->GetNextFeature());
  if (!f) return nullptr;
  current_ = {f->GetFieldAsString(0), f->GetFieldAsString(1)};
  return &current_;
}

}  // namespace veldwacht::layers::pgstore
