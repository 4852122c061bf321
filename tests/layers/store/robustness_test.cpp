// The store under careless or hostile use: damaged files, odd schema versions, empty imports,
// locks held by another program.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "geo/core/error.h"
#include "layers/results/results.h"
#include "layers/store/checksum.h"
#include "layers/store/store.h"
#include "tests/layers/store/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace fs = std::filesystem;

namespace {

void sql(const std::string& path, const std::string& statement) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &err);
  const std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg;
}

std::string openError(const std::string& path) {
  try {
    Store::open(path, false);
  } catch (const geo::Error& e) {
    return e.what();
  }
  return "(opened)";
}

/// A closed store with a few verblijfsobjecten; returns its path.
std::string smallStore(const TempDir& dir) {
  const auto path = dir.file("s.gpkg");
  auto store = Store::create(path);
  auto b = batchList(batchOf(layerDef("verblijfsobjecten"), 1, 30));
  store->append(b);
  return path;
}

ResultLayer tableResult(const std::string& name, int n) {
  ResultLayer r;
  r.name = name;
  r.geometry = GeometryKind::None;
  FieldDef f;
  f.name = "waarde";
  f.type = FieldType::Real;
  r.fields = {f};
  for (int i = 0; i < n; ++i) {
    Record rec;
    rec.values = {0.5 * i};
    r.records.push_back(std::move(rec));
  }
  r.metadata.algorithm = "test";
  return r;
}

}  // namespace

TEST(StoreSchemaVersion, AVersionThatIsNotAWholeNumberIsRefusedAsInvalid) {
  TempDir dir;
  const auto path = smallStore(dir);
  for (const std::string bad : {"99999999999", "2junk", "", "-1", " 2"}) {
    sql(path, "UPDATE veldwacht_meta SET value = '" + bad + "' WHERE key = 'schema_version'");
    const std::string msg = openError(path);
    EXPECT_NE(msg.find("invalid schema version '" + bad + "'"), std::string::npos)
        << bad << ": " << msg;
  }
  // Within range but newer: the "update Veldwacht" message, not "invalid".
  sql(path, "UPDATE veldwacht_meta SET value = '999999999' WHERE key = 'schema_version'");
  EXPECT_NE(openError(path).find("written by a newer Veldwacht"), std::string::npos);
}

TEST(StoreDamage, ATruncatedStoreIsReportedAsDamagedNotAsReadOnly) {
  TempDir dir;
  const auto path = smallStore(dir);
  fs::resize_file(path, fs::file_size(path) / 3);
  const std::string msg = openError(path);
  EXPECT_NE(msg.find("is not a Veldwacht store or is damaged"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("presumably read-only"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("WAL"), std::string::npos) << msg;
}

TEST(StoreDamage, AFileThatIsNotADatabaseIsReportedAsSuch) {
  TempDir dir;
  const auto path = dir.file("x.gpkg");
  std::ofstream(path) << std::string(4096, 'x');
  const std::string msg = openError(path);
  EXPECT_NE(msg.find("is not a Veldwacht store or is damaged"), std::string::npos) << msg;
}

TEST(StoreAppendEmpty, AnImportOfOnlyEmptyFilesIsRefusedAndRecordsNothing) {
  TempDir dir;
  const auto path = smallStore(dir);
  const auto before = fileSha256(path);
  {
    auto store = Store::open(path, true);
    ImportBatch empty = batchOf(layerDef("verblijfsobjecten"), 100, 0);
    empty.sourceFile = "header_only.csv";
    try {
      store->append(batchList(std::move(empty)));
      ADD_FAILURE() << "an empty import was accepted";
    } catch (const ValidationError& e) {
      ASSERT_EQ(e.problems().size(), 1u);
      EXPECT_EQ(e.problems()[0].where.file, "header_only.csv");
      EXPECT_NE(e.problems()[0].message.find("no rows to import"), std::string::npos);
    }
  }
  EXPECT_EQ(fileSha256(path), before);
}

TEST(StoreAppendEmpty, AnEmptyFileBesideAFullOneGetsNoImportRow) {
  TempDir dir;
  const auto path = smallStore(dir);
  auto store = Store::open(path, true);
  ImportBatch empty = batchOf(layerDef("partners"), 1, 0);
  empty.sourceFile = "empty.csv";
  store->append(batchList(std::move(empty), batchOf(layerDef("verblijfsobjecten"), 100, 2)));
  const auto imports = store->imports();
  ASSERT_EQ(imports.size(), 2u);  // the store's first import and this one
  EXPECT_EQ(imports[1].layer, "verblijfsobjecten");
  EXPECT_EQ(imports[1].rows, 2);
  for (const auto& i : imports) EXPECT_NE(i.rows, 0) << i.sourceFile;
}

/// Another program (QGIS editing) holds the write lock for `hold`, from a thread.
class LockHolder {
 public:
  LockHolder(const std::string& path, std::chrono::milliseconds hold) {
    sqlite3_open(path.c_str(), &db_);
    EXPECT_EQ(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    thread_ = std::thread([this, hold] {
      std::this_thread::sleep_for(hold);
      sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    });
  }
  ~LockHolder() {
    thread_.join();
    sqlite3_close(db_);
  }

 private:
  sqlite3* db_ = nullptr;
  std::thread thread_;
};

TEST(StoreLocks, AResultWriteWaitsForAnotherWriterInsteadOfFailingAtOnce) {
  TempDir dir;
  const auto path = smallStore(dir);
  auto store = Store::open(path, true);
  store->read("verblijfsobjecten");  // an analysis reads its input first
  const auto t0 = std::chrono::steady_clock::now();
  {
    LockHolder other(path, std::chrono::milliseconds(1200));
    EXPECT_NO_THROW(writeResultLayer(*store, tableResult("r_tabel", 3)));
  }
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1100));
  EXPECT_EQ(readResultLayer(*store, "r_tabel").records.size(), 3u);
}

TEST(StoreLocks, AnImportWaitsForAnotherWriterInsteadOfFailingAtOnce) {
  TempDir dir;
  const auto path = smallStore(dir);
  auto store = Store::open(path, true);
  {
    LockHolder other(path, std::chrono::milliseconds(1200));
    EXPECT_NO_THROW(store->append(batchList(batchOf(layerDef("verblijfsobjecten"), 100, 2))));
  }
  EXPECT_EQ(store->read("verblijfsobjecten").size(), 32u);
}
