// Fault injection as SQLite tests itself: every write / sync / truncate of an operation is made
// to fail in turn (SQLITE_FULL, SQLITE_IOERR), through a wrapper of the default VFS that GDAL's
// GeoPackage driver uses too. After every failure the store must be intact (integrity_check,
// rtreecheck, every R-tree entry has its row and every row its entry), hold either exactly the
// old content or exactly the new one (never a mix), the error must be a StorageError (never a
// row blamed), and the next import must work.
//
// By default every k-th n is tried so that the unit label stays fast (k chosen for at most
// ~kDefaultTrials trials per case); VELDWACHT_FAULT_ALL=1 tries every n (label reliability).
// Each case prints "fault-injection <case> trials N failures F wal-left W".
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>

#include "geo/core/error.h"
#include "layers/results/results.h"
#include "layers/store/store.h"
#include "tests/layers/store/fault_vfs.h"
#include "tests/layers/store/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace fs = std::filesystem;

namespace {

// Installed before GDAL opens anything (static initialisation of this test binary).
FaultVfs& gVfs = FaultVfs::install();

constexpr std::int64_t kDefaultTrials = 6;

/// A raw read connection (through the fault VFS, disarmed), closed on scope exit.
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
std::string contentDigest(Db& db) {
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
std::string integrityProblems(const std::string& path) {
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

std::string digestOf(const std::string& path) {
  Db db(path);
  return contentDigest(db);
}

/// The first line where `a` and `b` differ, for messages.
std::string firstDifference(const std::string& a, const std::string& b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  const std::size_t from = a.rfind('\n', i) == std::string::npos ? 0 : a.rfind('\n', i) + 1;
  const std::size_t fromB = b.rfind('\n', i) == std::string::npos ? 0 : b.rfind('\n', i) + 1;
  return "'" + a.substr(from, 160) + "' instead of '" + b.substr(fromB, 160) + "'";
}

void copyStore(const std::string& from, const std::string& to) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code ec;
    fs::remove(to + suffix, ec);
    if (fs::exists(from + suffix)) fs::copy_file(from + suffix, to + suffix);
  }
}

/// The base store: a few rows in a point layer, two partners and an old result pair.
std::string baseStore(const TempDir& dir) {
  const auto path = dir.file("base.gpkg");
  auto store = Store::create(path);
  auto b =
      batchList(batchOf(layerDef("verblijfsobjecten"), 1, 20), batchOf(layerDef("partners"), 1, 2));
  store->append(b);
  return path;
}

FieldDef fieldOf(const std::string& name, FieldType type) {
  FieldDef f;
  f.name = name;
  f.type = type;
  return f;
}

ResultLayer pointResult(const std::string& name, int n, int tag) {
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

ResultLayer hullResult(const std::string& name, int n, int tag) {
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

ResultLayer tableResult(const std::string& name, int n, int tag) {
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

std::vector<ResultLayer> clusterPair(int tag, int n) {
  std::vector<ResultLayer> v;
  v.push_back(pointResult("c_punten", n, tag));
  v.push_back(hullResult("c_clusters", n / 5 + 1, tag));
  return v;
}

std::vector<ResultLayer> globalTables(int tag, int n) {
  std::vector<ResultLayer> v;
  v.push_back(tableResult("g_globaal", 3, tag));
  v.push_back(tableResult("g_ripley", n, tag));
  return v;
}

struct Case {
  std::string name;
  /// Prepares `path` once (closed afterwards); the operation runs on a copy.
  std::function<void(const std::string& path, const TempDir& dir)> prepare;
  std::function<void(Store&, const TempDir& dir)> operation;
};

struct Figures {
  std::int64_t trials = 0;
  std::int64_t failures = 0;
  std::int64_t walLeft = 0;
  std::int64_t thrown = 0;
};

/// Runs `c` once without faults (for the counts and the "new" digest), then with the n-th
/// operation of kind `op` failing for n = 1.. count (every stride-th).
Figures runCase(const Case& c, FaultOp op, int code, bool persistent) {
  TempDir dir;
  const std::string base = baseStore(dir);
  c.prepare(base, dir);
  const std::string oldDigest = digestOf(base);
  const std::string work = dir.file("work.gpkg");

  copyStore(base, work);
  gVfs.reset();
  {
    auto store = Store::open(work, true);
    c.operation(*store, dir);
  }
  const FaultCounts clean = gVfs.counts();
  const std::string newDigest = digestOf(work);
  EXPECT_NE(oldDigest, newDigest) << c.name << ": the operation changed nothing";
  const std::int64_t total = op == FaultOp::Write  ? clean.writes
                             : op == FaultOp::Sync ? clean.syncs
                                                   : clean.truncates;
  const bool all = std::getenv("VELDWACHT_FAULT_ALL") != nullptr;
  const std::int64_t stride = all ? 1 : std::max<std::int64_t>(1, total / kDefaultTrials);

  Figures fig;
  std::int64_t first = 1;
  if (const char* only = std::getenv("VELDWACHT_FAULT_ONLY")) first = std::atoll(only);
  for (std::int64_t n = first; n <= total; n += stride) {
    ++fig.trials;
    copyStore(base, work);
    std::string failure;
    {
      std::unique_ptr<Store> store = Store::open(work, true);
      if (std::getenv("VELDWACHT_FAULT_TRACE")) {
        auto* db = static_cast<sqlite3*>(store->dataset().GetInternalHandle("SQLITE_HANDLE"));
        sqlite3_trace_v2(
            db, SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE,
            [](unsigned type, void*, void* p, void* x) -> int {
              auto* st = static_cast<sqlite3_stmt*>(p);
              if (type == SQLITE_TRACE_STMT)
                std::fprintf(stderr, "sql: %.150s [autocommit %d]\n", static_cast<const char*>(x),
                             sqlite3_get_autocommit(sqlite3_db_handle(st)));
              return 0;
            },
            nullptr);
      }
      gVfs.arm(op, n, code, persistent);
      try {
        c.operation(*store, dir);
      } catch (const StorageError& e) {
        ++fig.thrown;
        if (std::getenv("VELDWACHT_FAULT_TRACE")) std::fprintf(stderr, "thrown: %s\n", e.what());
        const std::string what = e.what();
        if (what.find("the store could not be written") == std::string::npos)
          failure += "unclear message: " + what + "\n";
      } catch (const std::exception& e) {
        failure += std::string("not a StorageError: ") + typeid(e).name() + ": " + e.what() + "\n";
      }
      store.reset();  // closing may write too (checkpoint): still armed
      gVfs.disarm();
    }
    if (fs::exists(work + "-wal")) ++fig.walLeft;
    try {
      failure += integrityProblems(work);
      const std::string now = digestOf(work);
      if (now != oldDigest && now != newDigest)
        failure +=
            "neither the old nor the new content:\n  vs old: " + firstDifference(now, oldDigest) +
            "\n  vs new: " + firstDifference(now, newDigest) + "\n";
      // The next import works and leaves a sound store.
      {
        auto store = Store::open(work, true);
        auto b = batchList(batchOf(layerDef("verblijfsobjecten"), 500, 3));
        store->append(b);
      }
      failure += integrityProblems(work);
    } catch (const std::exception& e) {
      failure += std::string("check failed: ") + e.what() + "\n";
    }
    if (!failure.empty()) {
      ++fig.failures;
      ADD_FAILURE() << c.name << ", fault at operation " << n << ":\n" << failure;
    }
  }
  return fig;
}

const char* opName(FaultOp op) {
  return op == FaultOp::Write ? "write" : op == FaultOp::Sync ? "sync" : "truncate";
}

struct Param {
  const char* caseName;
  FaultOp op;
  int code;
  bool persistent;
};

Case caseNamed(const std::string& name) {
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
  if (name == "global")
    return {name,
            [](const std::string& path, const TempDir&) {
              auto store = Store::open(path, true);
              writeResultSet(*store, globalTables(1, 10));
            },
            [](Store& s, const TempDir&) { writeResultSet(s, globalTables(2, 20)); }};
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

class FaultInjection : public ::testing::TestWithParam<Param> {};

}  // namespace

TEST_P(FaultInjection, EveryFailedOperationLeavesTheOldOrTheNewStoreAndTheNextImportWorks) {
  const Param& p = GetParam();
  const Figures fig = runCase(caseNamed(p.caseName), p.op, p.code, p.persistent);
  std::printf(
      "fault-injection %s %s %s%s trials %lld failures %lld storage-errors %lld wal-left "
      "%lld\n",
      p.caseName, opName(p.op), p.code == SQLITE_FULL ? "SQLITE_FULL" : "SQLITE_IOERR",
      p.persistent ? " persistent" : "", static_cast<long long>(fig.trials),
      static_cast<long long>(fig.failures), static_cast<long long>(fig.thrown),
      static_cast<long long>(fig.walLeft));
  EXPECT_GT(fig.trials, 0);
  EXPECT_GT(fig.thrown, 0) << "no injected fault reached the caller";
  EXPECT_EQ(fig.failures, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Store, FaultInjection,
    ::testing::Values(Param{"import", FaultOp::Write, SQLITE_FULL, true},
                      Param{"import", FaultOp::Write, SQLITE_IOERR_WRITE, false},
                      Param{"import", FaultOp::Sync, SQLITE_IOERR_FSYNC, false},
                      Param{"cluster", FaultOp::Write, SQLITE_FULL, true},
                      Param{"cluster", FaultOp::Write, SQLITE_IOERR_WRITE, false},
                      Param{"cluster", FaultOp::Sync, SQLITE_IOERR_FSYNC, false},
                      Param{"global", FaultOp::Write, SQLITE_FULL, true},
                      Param{"global", FaultOp::Write, SQLITE_IOERR_WRITE, false},
                      Param{"raster", FaultOp::Write, SQLITE_FULL, true},
                      Param{"raster", FaultOp::Write, SQLITE_IOERR_WRITE, false}),
    [](const ::testing::TestParamInfo<Param>& param) {
      return std::string(param.param.caseName) + "_" + opName(param.param.op) + "_" +
             (param.param.code == SQLITE_FULL ? "full" : "ioerr") +
             (param.param.persistent ? "_persistent" : "");
    });

TEST(FaultInjectionCreate, AFullDiskDuringCreateLeavesNoFileAndSaysSoBriefly) {
  TempDir dir;
  const std::string path = dir.file("new.gpkg");
  gVfs.reset();
  Store::create(path);
  const std::int64_t writes = gVfs.counts().writes;
  const bool all = std::getenv("VELDWACHT_FAULT_ALL") != nullptr;
  const std::int64_t stride = all ? 1 : std::max<std::int64_t>(1, writes / kDefaultTrials);
  std::int64_t trials = 0, failures = 0, refused = 0;
  for (std::int64_t n = 1; n <= writes; n += stride) {
    ++trials;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
    std::string failure;
    gVfs.arm(FaultOp::Write, n, SQLITE_FULL, /*persistent=*/true);
    try {
      Store::create(path);
    } catch (const StorageError& e) {
      ++refused;
      const std::string what = e.what();
      // Before: a LibraryError quoting GDAL's whole CREATE TABLE statement (kilobytes).
      if (what.size() > 300) failure += "message of " + std::to_string(what.size()) + " chars\n";
      if (what.find("could not be created: disk full") == std::string::npos)
        failure += "unclear message: " + what + "\n";
      for (const char* suffix : {"", "-wal", "-shm"})
        if (fs::exists(path + suffix))
          failure += std::string("left behind: new.gpkg") + suffix + "\n";
    } catch (const std::exception& e) {
      failure += std::string("not a StorageError: ") + e.what() + "\n";
    }
    gVfs.disarm();
    if (!failure.empty()) {
      ++failures;
      ADD_FAILURE() << "create, fault at write " << n << ":\n" << failure;
    }
  }
  std::printf(
      "fault-injection create write SQLITE_FULL persistent trials %lld failures %lld "
      "storage-errors %lld\n",
      static_cast<long long>(trials), static_cast<long long>(failures),
      static_cast<long long>(refused));
  EXPECT_GT(refused, 0);
}
