// Shared by the fault-injection tests (fault VFS: writes and syncs; malloc shim: allocations):
// the base store, the operations tried (an import and each kind of result write) and the checks
// made after every failure (integrity_check, rtreecheck, R-tree entries against rows, the
// content digest that must equal the old or the new content exactly).
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "geo/core/output_file.h"
#include "layers/results/results.h"
#include "layers/store/batch_writer.h"
#include "layers/store/store.h"
#include "tests/layers/store/fixtures.h"

namespace veldwacht::layers::testing {

/// A raw connection for the checks (run with no fault armed), closed on scope exit.
class Db {
 public:
  explicit Db(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + path + ": " + sqlite3_errmsg(db_));
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  /// Rows as text, columns separated by \x1f; NULL as \x1e.
  std::vector<std::vector<std::string>> rows(const std::string& sql,
                                             const std::vector<std::string>& maskColumns = {}) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    std::vector<std::vector<std::string>> out;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const std::string name = sqlite3_column_name(st, i);
        if (std::find(maskColumns.begin(), maskColumns.end(), name) != maskColumns.end()) {
          row.emplace_back("*");
          continue;
        }
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
        row.emplace_back(text ? std::string(text, std::size_t(sqlite3_column_bytes(st, i)))
                              : std::string("\x1e"));
      }
      out.push_back(std::move(row));
    }
    const std::string err = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db_);
    sqlite3_finalize(st);
    if (!err.empty()) throw std::runtime_error(sql + ": " + err);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

/// Everything in the database except times that differ between two runs of one operation.
inline std::string contentDigest(Db& db) {
  static const std::vector<std::string> kVolatile = {"last_change", "timestamp", "gestart_op",
                                                     "geschreven_op"};
  std::string digest;
  for (const auto& t : db.rows(
           "SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index', 'trigger') AND "
           "name NOT LIKE 'sqlite_stat%' ORDER BY type, name")) {
    digest += t[0] + "|" + t[1] + "\n";
  }
  for (const auto& t : db.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                               "LIKE 'sqlite_stat%' AND sql NOT LIKE 'CREATE VIRTUAL%' "
                               "ORDER BY name")) {
    digest += "## " + t[0] + "\n";
    for (const auto& r : db.rows("SELECT * FROM \"" + t[0] + "\" ORDER BY 1", kVolatile)) {
      for (const auto& v : r) digest += v + "\x1f";
      digest += "\n";
    }
  }
  return digest;
}

/// Integrity problems of the store at `path`; empty when it is sound.
inline std::string integrityProblems(const std::string& path) {
  Db db(path);
  std::string problems;
  const auto ic = db.rows("PRAGMA integrity_check");
  if (ic.size() != 1 || ic[0][0] != "ok") problems += "integrity_check: " + ic[0][0] + "\n";
  for (const auto& r : db.rows("SELECT table_name, column_name FROM gpkg_extensions WHERE "
                               "extension_name = 'gpkg_rtree_index'")) {
    const std::string rtree = "rtree_" + r[0] + "_" + r[1];
    const auto check = db.rows("SELECT rtreecheck('" + rtree + "')");
    if (check[0][0] != "ok") problems += rtree + ": " + check[0][0] + "\n";
    const auto orphans = db.rows("SELECT COUNT(*) FROM \"" + rtree + "\" WHERE id NOT IN (SELECT " +
                                 "fid FROM \"" + r[0] + "\")");
    if (orphans[0][0] != "0") problems += rtree + ": " + orphans[0][0] + " entries without a row\n";
    const auto missing =
        db.rows("SELECT COUNT(*) FROM \"" + r[0] + "\" WHERE \"" + r[1] +
                "\" IS NOT NULL AND fid NOT IN (SELECT id FROM \"" + rtree + "\")");
    if (missing[0][0] != "0") problems += rtree + ": " + missing[0][0] + " rows not indexed\n";
  }
  return problems;
}

inline std::string digestOf(const std::string& path) {
  Db db(path);
  return contentDigest(db);
}

/// The first line where `a` and `b` differ, for messages.
inline std::string firstDifference(const std::string& a, const std::string& b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  const std::size_t from = a.rfind('\n', i) == std::string::npos ? 0 : a.rfind('\n', i) + 1;
  const std::size_t fromB = b.rfind('\n', i) == std::string::npos ? 0 : b.rfind('\n', i) + 1;
  return "'" + a.substr(from, 160) + "' instead of '" + b.substr(fromB, 160) + "'";
}

inline void copyStore(const std::string& from, const std::string& to) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code ec;
    std::filesystem::remove(to + suffix, ec);
    if (std::filesystem::exists(from + suffix))
      std::filesystem::copy_file(from + suffix, to + suffix);
  }
}

/// The base store: a few rows in a point layer, two partners and an old result pair.
inline std::string baseStore(const TempDir& dir) {
  const auto path = dir.file("base.gpkg");
  auto store = Store::create(path);
  auto b =
      batchList(batchOf(layerDef("verblijfsobjecten"), 1, 20), batchOf(layerDef("partners"), 1, 2));
  store->append(b);
  return path;
}

inline FieldDef fieldOf(const std::string& name, FieldType type) {
  FieldDef f;
  f.name = name;
  f.type = type;
  return f;
}

inline ResultLayer pointResult(const std::string& name, int n, int tag) {
  ResultLayer r;
  r.name = name;
  r.geometry = GeometryKind::Point;
  r.fields = {fieldOf("cluster_id", FieldType::Integer), fieldOf("label", FieldType::Text)};
  for (int i = 0; i < n; ++i) {
    Record rec;
    rec.values = {std::int64_t{i % 7}, "run " + std::to_string(tag)};
    rec.geometry = geometryFor(GeometryKind::Point, i + tag);
    r.records.push_back(std::move(rec));
  }
  r.metadata.algorithm = "dbscan";
  r.metadata.parametersJson = "{\"run\":" + std::to_string(tag) + "}";
  r.metadata.inputLayer = "verblijfsobjecten";
  r.metadata.inputRows = n;
  r.metadata.startedAt = "2024-06-0" + std::to_string(tag) + "T10:00:00";
  return r;
}

inline ResultLayer hullResult(const std::string& name, int n, int tag) {
  ResultLayer r = pointResult(name, 0, tag);
  r.geometry = GeometryKind::MultiPolygon;
  for (int i = 0; i < n; ++i) {
    Record rec;
    rec.values = {std::int64_t{i}, "hull " + std::to_string(tag)};
    rec.geometry = geometryFor(GeometryKind::MultiPolygon, i + 3 * tag);
    r.records.push_back(std::move(rec));
  }
  return r;
}

inline ResultLayer tableResult(const std::string& name, int n, int tag) {
  ResultLayer r = pointResult(name, 0, tag);
  r.geometry = GeometryKind::None;
  r.fields = {fieldOf("statistiek", FieldType::Text), fieldOf("waarde", FieldType::Real)};
  for (int i = 0; i < n; ++i) {
    Record rec;
    rec.values = {"stat " + std::to_string(i), 0.25 * i + tag};
    r.records.push_back(std::move(rec));
  }
  return r;
}

inline std::vector<ResultLayer> clusterPair(int tag, int n) {
  std::vector<ResultLayer> v;
  v.push_back(pointResult("c_punten", n, tag));
  v.push_back(hullResult("c_clusters", n / 5 + 1, tag));
  return v;
}

inline std::vector<ResultLayer> globalTables(int tag, int n) {
  std::vector<ResultLayer> v;
  v.push_back(tableResult("g_globaal", 3, tag));
  v.push_back(tableResult("g_ripley", n, tag));
  return v;
}

/// clusterPair's point table held column by column (PointColumns), as the clustering builder
/// gives it: written straight from the columns by the own GeoPackage writer.
inline void writeClusterColumns(Store& s, int tag, int n) {
  std::vector<ResultLayer> v = clusterPair(tag, n);
  PointColumns c;
  c.layer = v[0].name;
  std::vector<std::int32_t> ids;
  TextColumn labels;
  for (const Record& r : v[0].records) {
    const auto* p = r.geometry->toPoint();
    c.points.push_back({p->getX(), p->getY()});
    ids.push_back(std::int32_t(std::get<std::int64_t>(r.values[0])));
    labels.push_back(std::get<std::string>(r.values[1]));
  }
  v[0].records.clear();
  c.columns = {std::move(ids), std::move(labels)};
  std::vector<PointColumns> cols;
  cols.push_back(std::move(c));
  writeResultSet(s, std::move(v), std::move(cols), {});
}

/// A result raster written as analyses write one (prepareRasterFile): "d.qml" and "d.tif"
/// beside the store, each through a temporary file whose move is journaled in the result set's
/// transaction and done after its COMMIT; with `withTable` a table "r_factoren" in the same set
/// (as risk writes it: the store is reopened after the COMMIT). The files hold "<what> run
/// <tag>", the registry row's parameters {"run":<tag>}.
inline void writeJournaledRaster(Store& s, const TempDir& dir, int tag, bool withTable) {
  const std::string tif = dir.file("d.tif");
  cleanUpResultFile(s, tif);  // as prepareRasterFile: finish recorded moves, drop stale temporaries
  geo::OutputFileOptions target;
  target.isOwnResult = [](const std::string&) { return true; };
  auto qml = std::make_shared<geo::OutputFile>(dir.file("d.qml"), target);
  qml->write("style run " + std::to_string(tag));
  auto out = std::make_shared<geo::OutputFile>(tif, target);
  out->write("raster run " + std::to_string(tag));
  ResultFile f;
  f.path = tif;
  f.metadata.algorithm = "kde";
  f.metadata.parametersJson = "{\"run\":" + std::to_string(tag) + "}";
  f.metadata.startedAt = "2024-06-0" + std::to_string(tag) + "T10:00:00";
  f.outputs = {qml, out};  // the sidecar first, the raster last
  std::vector<ResultFile> files;
  files.push_back(std::move(f));
  std::vector<ResultLayer> layers;
  if (withTable) layers.push_back(tableResult("r_factoren", 4, tag));
  writeResultSet(s, std::move(layers), {}, std::move(files));
}

inline std::string slurpFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "(missing)";
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// The files beside the store that belong to a journaled result: "d.*" (temporaries included).
inline std::vector<std::string> resultFilesIn(const TempDir& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    const std::string n = e.path().filename().string();
    if (n.rfind("d.", 0) == 0) out.push_back(n);
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// The content of the result files as `prepare` left them, to restore before every trial.
struct ResultFiles {
  std::vector<std::pair<std::string, std::string>> files;  // name, bytes
  static ResultFiles of(const TempDir& dir) {
    ResultFiles r;
    for (const auto& n : resultFilesIn(dir)) r.files.emplace_back(n, slurpFile(dir.file(n)));
    return r;
  }
  void restore(const TempDir& dir) const {
    for (const auto& n : resultFilesIn(dir)) std::filesystem::remove(dir.file(n));
    for (const auto& [n, bytes] : files) std::ofstream(dir.file(n), std::ios::binary) << bytes;
  }
};

/// The content digest without the records of journaled moves (bestandswissel:<file>), which
/// a failure after the COMMIT may leave (harmless: their moves are done or redone by the next
/// reader, and the next write deletes them).
inline std::string digestWithoutMoveRecords(const std::string& path, const TempDir& dir) {
  const std::string copy = dir.file("digest-copy.gpkg");
  copyStore(path, copy);
  std::string digest;
  {
    Db db(copy);
    db.rows("DELETE FROM veldwacht_meta WHERE key LIKE 'bestandswissel:%' RETURNING key");
    digest = contentDigest(db);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(copy + suffix);
  return digest;
}

/// How a journaled result write ended, as its caller saw it.
enum class WriteOutcome {
  Succeeded,
  StorageError,    ///< before the COMMIT: "nothing was changed"
  WrittenNotMoved  ///< after the COMMIT: the result is in the store, its file not yet in place
};

/// Whether `e` is the error of a journaled result write whose COMMIT was made but whose file
/// could not be moved into place at once.
inline bool isWrittenNotMoved(const std::exception& e) {
  return std::string(e.what()).find("the result was written to the store") != std::string::npos;
}

/// After a trial of a journaled result write (tag 2 over tag 1): what the next commands see.
/// (1) The next reader (listResults, as `veldwacht info`) finishes the move: the registry row
/// and both files are of the same run, the new one when the COMMIT was made (the caller was
/// told so, or nothing failed) and the old one when a StorageError said nothing was changed; no
/// temporary file is left, and a move record that is left has nothing more to move. (2) The
/// store equals the old or the new content (move records aside). (3) The next raster write
/// (tag 3) works and leaves exactly its raster, its row, no temporary file and no record.
inline std::string journalProblems(const std::string& work, const TempDir& dir, bool withTable,
                                   WriteOutcome outcome, const std::string& oldDigest,
                                   const std::string& newDigest) {
  std::string problems;
  auto rowRun = [](Store& s) -> std::string {
    for (const auto& r : listResults(s))
      if (r.layer == "d.tif") return r.metadata.parametersJson;
    return "(no row)";
  };
  auto temporaries = [&] {
    std::string t;
    for (const auto& n : resultFilesIn(dir))
      if (n.find(".tmp-") != std::string::npos) t += " " + n;
    return t;
  };
  auto records = [](Store& s) {
    return s.query("SELECT value FROM veldwacht_meta WHERE key LIKE 'bestandswissel:%'").size();
  };
  auto sameRun = [&](const std::string& row, int tag) {
    std::string p;
    if (row != "{\"run\":" + std::to_string(tag) + "}")
      p += "the registry row is " + row + ", expected run " + std::to_string(tag) + "\n";
    if (slurpFile(dir.file("d.tif")) != "raster run " + std::to_string(tag))
      p += "d.tif holds '" + slurpFile(dir.file("d.tif")) + "' under the row " + row + "\n";
    if (slurpFile(dir.file("d.qml")) != "style run " + std::to_string(tag))
      p += "d.qml holds '" + slurpFile(dir.file("d.qml")) + "' under the row " + row + "\n";
    return p;
  };
  {
    auto store = Store::open(work, false);  // info opens the store read-only
    const std::string row = rowRun(*store);
    const int expected = row == "{\"run\":2}" ? 2 : 1;
    problems += sameRun(row, expected);
    if (outcome == WriteOutcome::StorageError && expected != 1)
      problems += "a StorageError said nothing was changed, yet the row is the new one\n";
    if (outcome != WriteOutcome::StorageError && expected != 2)
      problems += "the write was reported as committed, yet the row is the old one\n";
    if (!temporaries().empty()) problems += "temporary files after info:" + temporaries() + "\n";
  }
  const std::string now = digestWithoutMoveRecords(work, dir);
  if (now != oldDigest && now != newDigest)
    problems +=
        "neither the old nor the new content:\n  vs old: " + firstDifference(now, oldDigest) +
        "\n  vs new: " + firstDifference(now, newDigest) + "\n";
  {
    auto store = Store::open(work, true);
    writeJournaledRaster(*store, dir, 3, withTable);
    problems += sameRun(rowRun(*store), 3);
    if (records(*store) != 0) problems += "a move record is left after the next write\n";
    if (!temporaries().empty())
      problems += "temporary files after the next write:" + temporaries() + "\n";
  }
  return problems;
}

struct Case {
  std::string name;
  /// Prepares `path` once (closed afterwards); the operation runs on a copy.
  std::function<void(const std::string& path, const TempDir& dir)> prepare;
  std::function<void(Store&, const TempDir& dir)> operation;
  /// A journaled result file write ("raster_journal", "risk_journal"): the files beside the
  /// store are restored before every trial, and journalProblems is checked after it.
  bool journaled = false;
  bool withTable = false;
};

/// What the commands after a trial of `c` see, whether the trial failed or not: a sound store
/// that holds the old or the new content (a journaled case: journalProblems), and a next import
/// that works and leaves a sound store. Empty when all is well.
inline std::string afterTrialProblems(const std::string& work, const TempDir& dir, const Case& c,
                                      WriteOutcome outcome, const std::string& oldDigest,
                                      const std::string& newDigest) {
  std::string failure;
  try {
    failure += integrityProblems(work);
    if (c.journaled) {
      failure += journalProblems(work, dir, c.withTable, outcome, oldDigest, newDigest);
    } else {
      // The digest includes GDAL's feature-count triggers: a write that lost them fails here.
      const std::string now = digestOf(work);
      if (now != oldDigest && now != newDigest)
        failure +=
            "neither the old nor the new content:\n  vs old: " + firstDifference(now, oldDigest) +
            "\n  vs new: " + firstDifference(now, newDigest) + "\n";
    }
    {
      auto store = Store::open(work, true);
      auto b = batchList(batchOf(layerDef("verblijfsobjecten"), 500, 3));
      store->append(b);
    }
    failure += integrityProblems(work);
  } catch (const std::exception& e) {
    failure += std::string("check failed: ") + e.what() + "\n";
  }
  return failure;
}

inline Case caseNamed(const std::string& name) {
  if (name == "import")
    return {name, [](const std::string&, const TempDir&) {},
            [](Store& s, const TempDir&) {
              auto b = batchList(batchOf(layerDef("verblijfsobjecten"), 100, 40),
                                 batchOf(layerDef("partners"), 10, 2));
              s.append(b);
            }};
  if (name == "cluster")
    return {name,
            [](const std::string& path, const TempDir&) {
              auto store = Store::open(path, true);
              writeResultSet(*store, clusterPair(1, 15));
            },
            [](Store& s, const TempDir&) { writeResultSet(s, clusterPair(2, 25)); }};
  if (name == "cluster_gdal")
    // The same through GDAL's per-feature path (what SpatiaLite stores and layers with a coded
    // field domain still take).
    return {name,
            [](const std::string& path, const TempDir&) {
              auto store = Store::open(path, true);
              writeResultSet(*store, clusterPair(1, 15));
            },
            [](Store& s, const TempDir&) {
              struct ViaGdal {
                ViaGdal() { setResultTableWriter(ResultTableWriter::Gdal); }
                ~ViaGdal() { setResultTableWriter(ResultTableWriter::OwnSql); }
              } viaGdal;
              writeResultSet(s, clusterPair(2, 25));
            }};
  if (name == "cluster_columns")
    return {name,
            [](const std::string& path, const TempDir&) {
              auto store = Store::open(path, true);
              writeClusterColumns(*store, 1, 15);
            },
            [](Store& s, const TempDir&) { writeClusterColumns(s, 2, 25); }};
  if (name == "stream_import")
    // import14's streaming import: BatchWriter chunks inside one Store::transaction.
    return {name, [](const std::string&, const TempDir&) {},
            [](Store& s, const TempDir&) {
              const ImportBatch b = batchOf(layerDef("verblijfsobjecten"), 100, 40);
              s.transaction([&](GDALDataset& ds) {
                BatchWriter w(ds, b, "2024-06-02T10:00:00");
                const std::span<const Record> all(b.records);
                if (!w.write(all.subspan(0, 25)).empty() || !w.write(all.subspan(25)).empty())
                  throw std::runtime_error("unexpected key conflict");
                w.finish();
                if (!w.missingReferences().empty())
                  throw std::runtime_error("unexpected missing reference");
              });
            }};
  if (name == "stream_import_new")
    // The same into a layer without rows: the BatchWriter packs its R-tree at finish().
    return {name, [](const std::string&, const TempDir&) {},
            [](Store& s, const TempDir&) {
              const ImportBatch b = batchOf(layerDef("gemeenten"), 1, 30);
              s.transaction([&](GDALDataset& ds) {
                BatchWriter w(ds, b, "2024-06-02T10:00:00");
                const std::span<const Record> all(b.records);
                if (!w.write(all.subspan(0, 15)).empty() || !w.write(all.subspan(15)).empty())
                  throw std::runtime_error("unexpected key conflict");
                w.finish();
              });
            }};
  if (name == "global")
    return {name,
            [](const std::string& path, const TempDir&) {
              auto store = Store::open(path, true);
              writeResultSet(*store, globalTables(1, 10));
            },
            [](Store& s, const TempDir&) { writeResultSet(s, globalTables(2, 20)); }};
  if (name == "raster_journal" || name == "risk_journal") {
    const bool withTable = name == "risk_journal";
    return {
        name,
        [withTable](const std::string& path, const TempDir& dir) {
          writeJournaledRaster(*Store::open(path, true), dir, 1, withTable);
        },
        [withTable](Store& s, const TempDir& dir) { writeJournaledRaster(s, dir, 2, withTable); },
        true, withTable};
  }
  // raster registration
  return {name,
          [](const std::string& path, const TempDir& dir) {
            std::ofstream(dir.file("d.tif")) << "raster";
            ResultMetadata m;
            m.algorithm = "kde";
            m.startedAt = "2024-06-01T10:00:00";
            registerResultFile(*Store::open(path, true), dir.file("d.tif"), m);
          },
          [](Store& s, const TempDir& dir) {
            ResultMetadata m;
            m.algorithm = "kde";
            m.inputRows = 7;
            m.startedAt = "2024-06-02T10:00:00";
            registerResultFile(s, dir.file("d.tif"), m);
          }};
}

}  // namespace veldwacht::layers::testing
