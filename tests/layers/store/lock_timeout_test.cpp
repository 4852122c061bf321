// A lock held past the busy timeout (5 s): analyses and imports wait, then fail with a clear
// message (a StorageError, exit 1), not with raw SQL. Slow by nature: label reliability.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>

#include "layers/results/results.h"
#include "layers/store/store.h"
#include "tests/layers/store/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

/// Another program (QGIS editing) holds the write lock while in scope.
class HeldLock {
 public:
  explicit HeldLock(const std::string& path) {
    sqlite3_open(path.c_str(), &db_);
    EXPECT_EQ(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  }
  ~HeldLock() {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
  }
  HeldLock(const HeldLock&) = delete;
  HeldLock& operator=(const HeldLock&) = delete;

 private:
  sqlite3* db_ = nullptr;
};

ResultLayer table(const std::string& name) {
  ResultLayer r;
  r.name = name;
  r.geometry = GeometryKind::None;
  FieldDef f;
  f.name = "waarde";
  f.type = FieldType::Real;
  r.fields = {f};
  Record rec;
  rec.values = {1.5};
  r.records.push_back(std::move(rec));
  r.metadata.algorithm = "test";
  return r;
}

/// Runs `write` under a held lock; returns the StorageError's message and checks the wait.
template <class F>
std::string lockedOut(const std::string& path, F&& write) {
  HeldLock lock(path);
  const auto t0 = std::chrono::steady_clock::now();
  std::string what = "(no error)";
  try {
    write();
  } catch (const StorageError& e) {
    what = e.what();
  } catch (const std::exception& e) {
    what = std::string("not a StorageError: ") + e.what();
  }
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(4500));
  return what;
}

}  // namespace

TEST(StoreLockTimeout, AResultWriteWaitsThenSaysAnotherProgramIsWriting) {
  TempDir dir;
  const auto path = dir.file("s.gpkg");
  auto store = Store::create(path);
  store->append(batchList(batchOf(layerDef("verblijfsobjecten"), 1, 5)));
  store->read("verblijfsobjecten");
  const std::string what = lockedOut(path, [&] { writeResultLayer(*store, table("r_tabel")); });
  EXPECT_NE(what.find("the store could not be written: another program is writing"),
            std::string::npos)
      << what;
  EXPECT_EQ(what.find("SQL failed"), std::string::npos) << what;
  EXPECT_EQ(what.find("DELETE"), std::string::npos) << what;
  EXPECT_EQ(store->read("verblijfsobjecten").size(), 5u);  // usable afterwards
}

TEST(StoreLockTimeout, AnImportWaitsThenSaysAnotherProgramIsWriting) {
  TempDir dir;
  const auto path = dir.file("s.gpkg");
  auto store = Store::create(path);
  const std::string what = lockedOut(
      path, [&] { store->append(batchList(batchOf(layerDef("verblijfsobjecten"), 1, 5))); });
  EXPECT_NE(what.find("another program is writing"), std::string::npos) << what;
  EXPECT_TRUE(store->read("verblijfsobjecten").empty());
}
