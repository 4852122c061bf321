#include "layers/importers/register_update.h"

#include <sqlite3.h>

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "geo/core/error.h"
#include "layers/schema/key_text.h"
#include "layers/store/batch_writer.h"
#include "layers/store/ogr_values.h"
#include "layers/store/sqlite_sql.h"
#include "layers/store/statement.h"
#include "layers/store/store.h"
#include "layers/store/store_internal.h"

namespace veldwacht::layers {

namespace geo = veldwacht::geo;
using sqlite::ident;
using sqlite::literal;

namespace {

/// The WKB of a GeoPackage geometry blob in SQL: the bytes after the 8-byte header and the
/// envelope, whose size the flags byte (4th) gives in its bits 1-3 (0, 32, 48, 48, 64 bytes).
std::string wkbOf(const std::string& column) {
  const std::string flags = "unicode(CAST(substr(" + column + ", 4, 1) AS TEXT))";
  return "substr(" + column + ", 9 + CASE (" + flags +
         " / 2) % 8 WHEN 1 THEN 32 WHEN 2 THEN 48 WHEN 3 THEN 48 WHEN 4 THEN 64 ELSE 0 END)";
}

std::string shownKeys(std::int64_t n, const std::vector<std::string>& keys) {
  if (n == 0 || keys.empty()) return {};
  std::string s = " (";
  s += std::int64_t(keys.size()) < n ? "e.g. " : "";
  for (std::size_t i = 0; i < keys.size(); ++i) s += (i ? ", " : "") + keys[i];
  return s + (std::int64_t(keys.size()) < n ? ", \u2026)" : ")");
}

}  // namespace

std::string RegisterUpdateSummary::str() const {
  std::string s =
      fmt::format("update of {} by {}: {} added{}, {} changed{}, {} removed{}, {} unchanged", layer,
                  key, added, shownKeys(added, addedKeys), changed, shownKeys(changed, changedKeys),
                  removed, shownKeys(removed, removedKeys), unchanged);
  for (const auto& d : derivedEmptied) s += "\n  derived table emptied: " + d;
  return s;
}

struct RegisterUpdate::Impl {
  GDALDataset& ds;
  const LayerDef& def;
  sqlite3* db = nullptr;
  std::string rowsTable, keysTable;
  std::vector<std::size_t> compared;  // fields compared and copied (all but import_id)
  bool hasGeometry = false;
  std::int32_t srsId = 28992;
  std::vector<std::string> files;  // index in the keys table -> file
  RegisterUpdateSummary summary;
  OGREnvelope extent;
  bool anyExtent = false;
  std::vector<std::uint8_t> blob;

  Impl(GDALDataset& d, const LayerDef& l) : ds(d), def(l) {}

  [[noreturn]] void fail(int rc, const std::string& what) {
    const std::string message = sqlite3_errmsg(db);
    if (const auto storage = storageFailure(ds, true, message)) throw storageError(*storage);
    throw geo::LibraryError("cannot update layer '" + def.name + "' (" + what +
                            "): " + sqlite3_errstr(rc) + ": " + message);
  }

  std::string keyCol() const { return ident(def.key); }

  /// "<stored>.f IS NOT s.f OR ..." over the compared fields and the geometry's WKB.
  std::string differs(const std::string& stored) const {
    std::string c;
    for (std::size_t i : compared) {
      const std::string f = ident(def.fields[i].name);
      c += (c.empty() ? "" : " OR ") + (stored + "." + f + " IS NOT s." + f);
    }
    if (hasGeometry) {
      const std::string g = ident(kGeometryColumn);
      c += (c.empty() ? "" : " OR ") + wkbOf(stored + "." + g) + " IS NOT " + wkbOf("s." + g);
    }
    return c.empty() ? "0" : c;
  }

  int fileIndex(const std::string& file) {
    auto it = std::find(files.begin(), files.end(), file);
    if (it != files.end()) return int(it - files.begin());
    files.push_back(file);
    return int(files.size() - 1);
  }

  void stage(std::span<const Record> records, const std::vector<bool>& skip) {
    runSql(ds, "DELETE FROM " + ident(rowsTable));
    std::string cols = "rowid, veldwacht_rij", vals = "?, ?";
    if (hasGeometry) {
      cols += ", " + ident(kGeometryColumn);
      vals += ", ?";
    }
    for (std::size_t i : compared) {
      const FieldDef& f = def.fields[i];
      cols += ", " + ident(f.name);
      vals += f.defaultValue.empty() ? ", ?" : ", COALESCE(?, " + f.defaultValue + ")";
    }
    const std::string sql =
        "INSERT INTO " + ident(rowsTable) + " (" + cols + ") VALUES (" + vals + ")";
    sqlite3_stmt* st = nullptr;
    if (int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr); rc != SQLITE_OK)
      fail(rc, "prepare");
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(st, sqlite3_finalize);
    auto check = [&](int rc) {
      if (rc != SQLITE_OK) fail(rc, "bind");
    };
    for (std::size_t r = 0; r < records.size(); ++r) {
      if (skip[r]) continue;
      const Record& rec = records[r];
      sqlite3_reset(st);
      sqlite3_clear_bindings(st);
      int p = 1;
      check(sqlite3_bind_int64(st, p++, std::int64_t(r) + 1));
      check(sqlite3_bind_int64(st, p++, rec.sourceRow));
      if (hasGeometry) {
        if (rec.geometry) {
          const geo::GeometryPtr g = geometryForLayer(*rec.geometry, def.geometry);
          OGREnvelope env;
          bool has = false;
          encodeGpkgGeometry(*g, srsId, blob, env, has);
          if (has) {
            if (!anyExtent)
              extent = env;
            else
              extent.Merge(env);
            anyExtent = true;
          }
          check(sqlite3_bind_blob(st, p, blob.data(), int(blob.size()), SQLITE_TRANSIENT));
        }
        ++p;
      }
      for (std::size_t i : compared) {
        const int at = p++;
        if (i >= rec.values.size() || isNull(rec.values[i])) continue;
        const Value& v = rec.values[i];
        const FieldType t = def.fields[i].type;
        if (const auto* s = std::get_if<std::string>(&v)) {
          const std::string text = t == FieldType::DateTime ? gpkgDateTime(*s) : *s;
          check(sqlite3_bind_text(st, at, text.data(), int(text.size()), SQLITE_TRANSIENT));
        } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
          check(t == FieldType::Real ? sqlite3_bind_double(st, at, double(*n))
                                     : sqlite3_bind_int64(st, at, *n));
        } else if (const auto* d = std::get_if<double>(&v)) {
          check(sqlite3_bind_double(st, at, *d));
        }
      }
      if (int rc = sqlite3_step(st); rc != SQLITE_DONE) fail(rc, "stage");
    }
  }

  std::vector<std::pair<std::int64_t, std::string>> rowsAndKeys(const std::string& sql) {
    std::vector<std::pair<std::int64_t, std::string>> out;
    Statement q(ds, sql);
    while (q.step()) out.emplace_back(q.columnInteger(0), q.columnText(1));
    return out;
  }

  void sample(std::vector<std::string>& keys, const std::string& key) {
    if (keys.size() < RegisterUpdateSummary::kShownKeys) keys.push_back(key);
  }
};

RegisterUpdate::RegisterUpdate(GDALDataset& ds, const LayerDef& layer)
    : impl_(std::make_unique<Impl>(ds, layer)) {
  Impl& m = *impl_;
  if (layer.key.empty())
    throw geo::Error("layer '" + layer.name + "' has no key: it cannot be updated by key");
  m.db = EQUAL(ds.GetDriverName(), "GPKG") ? sqliteHandle(ds) : nullptr;
  if (!m.db) throw geo::Error("updating a register by key needs a GeoPackage store");
  m.hasGeometry = layer.geometry != GeometryKind::None;
  m.summary.layer = layer.name;
  m.summary.key = layer.key;
  for (std::size_t i = 0; i < layer.fields.size(); ++i)
    if (layer.fields[i].name != "import_id") m.compared.push_back(i);
  if (m.hasGeometry) {
    const auto srs = runQuery(
        ds, "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = " + literal(layer.name));
    if (!srs.empty() && srs[0][0]) m.srsId = std::int32_t(std::stol(*srs[0][0]));
  }
  m.rowsTable = "veldwacht_werk_" + layer.name + "_rijen";
  m.keysTable = "veldwacht_werk_" + layer.name + "_sleutels";
  std::string cols = "veldwacht_rij INTEGER";
  if (m.hasGeometry) cols += ", " + ident(kGeometryColumn) + " BLOB";
  for (std::size_t i : m.compared) cols += ", " + ident(layer.fields[i].name);
  const bool numericKey = layer.field(layer.key)->type == FieldType::Integer;
  runSql(ds, "DROP TABLE IF EXISTS " + ident(m.rowsTable));
  runSql(ds, "DROP TABLE IF EXISTS " + ident(m.keysTable));
  runSql(ds, "CREATE TABLE " + ident(m.rowsTable) + " (" + cols + ")");
  runSql(ds, "CREATE INDEX " + ident(m.rowsTable + "_k") + " ON " + ident(m.rowsTable) + " (" +
                 m.keyCol() + ")");
  runSql(ds, "CREATE TABLE " + ident(m.keysTable) + " (k " + (numericKey ? "INTEGER" : "TEXT") +
                 " PRIMARY KEY, bron INTEGER, rij INTEGER) WITHOUT ROWID");
}

RegisterUpdate::~RegisterUpdate() = default;

const RegisterUpdateSummary& RegisterUpdate::summary() const { return impl_->summary; }

RegisterUpdate::Chunk RegisterUpdate::apply(std::span<const Record> records, std::int64_t importId,
                                            const std::string& file) {
  Impl& m = *impl_;
  Chunk out;
  if (records.empty()) return out;
  const int keyIndex = m.def.fieldIndex(m.def.key);
  // A key twice in this chunk: the later ones are refused (earlier chunks and files: below).
  std::vector<bool> skip(records.size(), false);
  {
    std::map<std::string, std::size_t> seen;
    for (std::size_t r = 0; r < records.size(); ++r) {
      const std::string k = keyText(records[r].values[std::size_t(keyIndex)]);
      auto [it, fresh] = seen.emplace(k, r);
      if (!fresh) {
        out.duplicates.push_back({r, k, file, records[it->second].sourceRow});
        skip[r] = true;
      }
    }
  }
  m.stage(records, skip);
  const std::string rows = ident(m.rowsTable), keys = ident(m.keysTable), layer = ident(m.def.name),
                    key = m.keyCol();
  // Keys already met in an earlier chunk or file of this update.
  for (const auto& [rowid, k] :
       m.rowsAndKeys("SELECT s.rowid, s." + key + " FROM " + rows + " s JOIN " + keys +
                     " k ON k.k = s." + key + " ORDER BY s.rowid")) {
    const std::size_t r = std::size_t(rowid - 1);
    Statement q(m.ds, "SELECT bron, rij FROM " + keys + " WHERE k = (SELECT " + key + " FROM " +
                          rows + " WHERE rowid = " + std::to_string(rowid) + ")");
    IncomingDuplicate d{r, k, file, 0};
    if (q.step()) {
      const auto f = std::size_t(q.columnInteger(0));
      d.otherFile = f < m.files.size() ? m.files[f] : file;
      d.otherRow = q.columnInteger(1);
    }
    out.duplicates.push_back(std::move(d));
    runSql(m.ds, "DELETE FROM " + rows + " WHERE rowid = " + std::to_string(rowid));
  }
  std::sort(
      out.duplicates.begin(), out.duplicates.end(),
      [](const IncomingDuplicate& a, const IncomingDuplicate& b) { return a.record < b.record; });
  runSql(m.ds, "INSERT INTO " + keys + " (k, bron, rij) SELECT " + key + ", " +
                   std::to_string(m.fileIndex(file)) + ", veldwacht_rij FROM " + rows);
  const std::int64_t staged = [&] {
    const auto n = runQuery(m.ds, "SELECT COUNT(*) FROM " + rows);
    return n.empty() || !n[0][0] ? std::int64_t(0) : std::stoll(*n[0][0]);
  }();
  // New keys: handed back for the BatchWriter.
  for (const auto& [rowid, k] :
       m.rowsAndKeys("SELECT s.rowid, s." + key + " FROM " + rows + " s WHERE NOT EXISTS " +
                     "(SELECT 1 FROM " + layer + " l WHERE l." + key + " = s." + key +
                     ") ORDER BY s.rowid")) {
    out.added.push_back(std::size_t(rowid - 1));
    m.sample(m.summary.addedKeys, k);
  }
  // Changed rows: updated in place, one statement.
  if (m.summary.changedKeys.size() < RegisterUpdateSummary::kShownKeys)
    for (const auto& [rowid, k] : m.rowsAndKeys(
             "SELECT s.rowid, s." + key + " FROM " + rows + " s JOIN " + layer + " l ON l." + key +
             " = s." + key + " WHERE " + m.differs("l") + " ORDER BY s.rowid LIMIT " +
             std::to_string(RegisterUpdateSummary::kShownKeys)))
      m.sample(m.summary.changedKeys, k);
  std::string set;
  for (std::size_t i : m.compared) {
    const std::string f = ident(m.def.fields[i].name);
    set += f + " = s." + f + ", ";
  }
  if (m.hasGeometry) set += ident(kGeometryColumn) + " = s." + ident(kGeometryColumn) + ", ";
  set += "import_id = " + std::to_string(importId);
  // UPDATE ... FROM names the target by its table name (no alias).
  runSql(m.ds, "UPDATE " + layer + " SET " + set + " FROM " + rows + " s WHERE " + layer + "." +
                   key + " = s." + key + " AND (" + m.differs(layer) + ")");
  const std::int64_t changed = sqlite3_changes(m.db);
  m.summary.changed += changed;
  m.summary.added += std::int64_t(out.added.size());
  m.summary.unchanged += staged - std::int64_t(out.added.size()) - changed;
  return out;
}

std::vector<RemovalBlocker> removalBlockers(const LayerDef& def) {
  std::vector<RemovalBlocker> out;
  for (const LayerDef& other : layerDefs()) {
    if (other.name == def.name) continue;
    for (const FieldDef& f : other.fields) {
      const bool declared = f.reference == def.name + "." + def.key && !isRegisterLayer(other.name);
      const bool pandLink =
          def.name == "panden" && f.name == "bag_pand_id" && !isRegisterLayer(other.name);
      const bool site = other.name == "schouwresultaten" && f.name == "site_id";
      if (declared || pandLink || site) out.push_back({&other, &f, site});
    }
  }
  return out;
}

std::string removalBlockedMessage(const LayerDef& def, const std::string& key,
                                  const RemovalBlocker& by, const std::string& referrerId) {
  const LayerDef& other = *by.layer;
  return fmt::format(
      "{} '{}' is in none of the files of this update (it would be removed), but {} {} '{}' "
      "still refers to it in {}; expected every removed row to be unreferenced: keep it in the "
      "file, or change or remove that {} row first",
      def.key, key, other.name, other.key.empty() ? "fid" : other.key, referrerId, by.field->name,
      other.name);
}

std::vector<Problem> RegisterUpdate::finish(const std::string& file) {
  Impl& m = *impl_;
  const std::string keys = ident(m.keysTable), layer = ident(m.def.name), key = m.keyCol();
  // NOT EXISTS (not NOT IN): probes the keys table's primary key row by row instead of copying
  // every key into a temporary table first (memory, with temp_store = MEMORY).
  const std::string gone = key + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + keys +
                           " WHERE k = " + layer + "." + key + ")";
  std::vector<Problem> problems;
  // Rows of other layers that still refer to a removed row.
  constexpr std::size_t kShown = 20;
  for (const RemovalBlocker& by : removalBlockers(m.def)) {
    const LayerDef& other = *by.layer;
    if (runQuery(m.ds, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = " +
                           literal(other.name))
            .empty())
      continue;
    const std::string id = other.key.empty() ? "CAST(r.fid AS INTEGER)" : "r." + ident(other.key);
    const std::string extra = by.bySiteLayer ? " AND r.site_laag = " + literal(m.def.name) : "";
    for (const auto& row :
         runQuery(m.ds, "SELECT " + id + ", r." + ident(by.field->name) + " FROM " +
                            ident(other.name) + " r WHERE r." + ident(by.field->name) +
                            " IN (SELECT " + key + " FROM " + layer + " WHERE " + gone + ")" +
                            extra + " ORDER BY 1 LIMIT " + std::to_string(kShown))) {
      if (problems.size() >= kShown) break;
      problems.push_back(
          {{file, std::nullopt, m.def.key},
           removalBlockedMessage(m.def, row[1].value_or(""), by, row[0].value_or(""))});
    }
  }
  if (!problems.empty()) return problems;
  for (const auto& row :
       runQuery(m.ds, "SELECT " + key + " FROM " + layer + " WHERE " + gone + " ORDER BY 1 LIMIT " +
                          std::to_string(RegisterUpdateSummary::kShownKeys)))
    if (row[0]) m.summary.removedKeys.push_back(*row[0]);
  // Deleted a window of fids at a time: one DELETE over the whole layer keeps the original of
  // every page it touches in the statement journal (in memory during an import), and removed
  // rows are spread over all pages (measured: 1M verblijfsobjecten peaked at 285 MiB).
  const auto range = runQuery(m.ds,
                              "SELECT CAST(COALESCE(MIN(fid), 0) AS INTEGER), "
                              "CAST(COALESCE(MAX(fid), 0) AS INTEGER) FROM " +
                                  layer);
  const std::int64_t lo = range.empty() || !range[0][0] ? 0 : std::stoll(*range[0][0]);
  const std::int64_t hi = range.empty() || !range[0][1] ? 0 : std::stoll(*range[0][1]);
  constexpr std::int64_t kWindow = 20000;
  for (std::int64_t from = lo; from <= hi; from += kWindow) {
    runSql(m.ds, "DELETE FROM " + layer + " WHERE fid >= " + std::to_string(from) + " AND fid < " +
                     std::to_string(from + kWindow) + " AND " + gone);
    m.summary.removed += sqlite3_changes(m.db);
  }
  if (m.anyExtent && m.summary.changed > 0) {
    const auto num = [](double v) { return sqlite::valueLiteral(Value{v}); };
    runSql(m.ds, "UPDATE gpkg_contents SET min_x = MIN(COALESCE(min_x, " + num(m.extent.MinX) +
                     "), " + num(m.extent.MinX) + "), min_y = MIN(COALESCE(min_y, " +
                     num(m.extent.MinY) + "), " + num(m.extent.MinY) +
                     "), max_x = MAX(COALESCE(max_x, " + num(m.extent.MaxX) + "), " +
                     num(m.extent.MaxX) + "), max_y = MAX(COALESCE(max_y, " + num(m.extent.MaxY) +
                     "), " + num(m.extent.MaxY) + ") WHERE table_name = " + literal(m.def.name));
  }
  if (m.summary.added + m.summary.changed + m.summary.removed > 0) {
    for (const DerivedTable& d : derivedTables()) {
      if (d.source != m.def.name) continue;
      if (runQuery(m.ds, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = " +
                             literal(d.table))
              .empty())
        continue;
      runSql(m.ds, "DELETE FROM " + ident(d.table));
      m.summary.derivedEmptied.push_back(d.table + " (" + d.rebuild + ")");
    }
  }
  // The keys table holds every key of the update (10M keys: ~200 MB of pages). It was made in
  // this transaction, yet a statement journals the original of every page it changes that existed
  // when the statement began, and during an import that journal is in memory: one DROP TABLE
  // freeing all its pages peaked at 421 MiB at 10M rows (heaptrack at 2M: sqlite3BtreeClearTable
  // under DROP TABLE). Emptied a window of keys at a time, each statement journals a few hundred
  // pages; the DROP of the empty table then frees one page.
  const std::string emptyWindow = "DELETE FROM " + keys + " WHERE k IN (SELECT k FROM " + keys +
                                  " LIMIT " + std::to_string(kWindow) + ")";
  do runSql(m.ds, emptyWindow);
  while (sqlite3_changes(m.db) > 0);
  runSql(m.ds, "DROP TABLE " + ident(m.rowsTable));
  runSql(m.ds, "DROP TABLE " + keys);
  return problems;
}

}  // namespace veldwacht::layers
