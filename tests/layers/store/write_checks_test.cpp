// The checks the store makes on what GDAL wrote before it commits (issue 7, allocation-failure
// findings): GDAL's gpkg_ogr_contents feature-count triggers are there again after every write,
// and a value GDAL lost on the way (an unchecked sqlite3_bind_* that left NULL) is a storage
// failure that leaves the store as it was. The loss is made here by a trigger, deterministically;
// test_store_alloc_failure makes it by failing SQLite's allocations.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "geo/core/error.h"
#include "layers/results/results.h"
#include "layers/store/checksum.h"
#include "layers/store/statement.h"
#include "layers/store/store.h"
#include "tests/layers/store/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

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

std::string one(Store& store, const std::string& query) {
  const auto rows = store.query(query);
  if (rows.empty() || rows[0].empty() || !rows[0][0]) return "(none)";
  return *rows[0][0];
}

std::string countTriggers(Store& store, const std::string& table) {
  return one(store,
             "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN "
             "('trigger_insert_feature_count_" +
                 table + "', 'trigger_delete_feature_count_" + table + "')");
}

/// A closed store with 30 verblijfsobjecten; returns its path.
std::string smallStore(const TempDir& dir) {
  const auto path = dir.file("s.gpkg");
  auto store = Store::create(path);
  auto b = batchList(batchOf(layerDef("verblijfsobjecten"), 1, 30));
  store->append(b);
  return path;
}

}  // namespace

TEST(FeatureCountTriggers, AWriteThatLostThemPutsThemBackWithTheRightCount) {
  TempDir dir;
  const auto path = smallStore(dir);
  {
    auto store = Store::open(path, true);
    ASSERT_EQ(countTriggers(*store, "verblijfsobjecten"), "2");
    // What GDAL does for a bulk insert, and then failed to undo (allocation failure at sync).
    store->transaction([](GDALDataset& ds) {
      // A known count (GDAL may also leave it NULL, "count when asked", which stays NULL).
      Statement(ds,
                "UPDATE gpkg_ogr_contents SET feature_count = 30 WHERE table_name = "
                "'verblijfsobjecten'")
          .run();
      Statement(ds, "DROP TRIGGER trigger_insert_feature_count_verblijfsobjecten").run();
      Statement(ds, "DROP TRIGGER trigger_delete_feature_count_verblijfsobjecten").run();
      Statement(ds,
                "DELETE FROM verblijfsobjecten WHERE fid IN (SELECT fid FROM "
                "verblijfsobjecten ORDER BY fid DESC LIMIT 4)")
          .run();
    });
  }
  auto store = Store::open(path, false);
  EXPECT_EQ(countTriggers(*store, "verblijfsobjecten"), "2");
  EXPECT_EQ(one(*store, "SELECT COUNT(*) FROM verblijfsobjecten"), "26");
  EXPECT_EQ(one(*store,
                "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = "
                "'verblijfsobjecten'"),
            "26");
  // And they work again: an import counts.
  store.reset();
  {
    auto writable = Store::open(path, true);
    auto b = batchList(batchOf(layerDef("verblijfsobjecten"), 100, 5));
    writable->append(b);
  }
  store = Store::open(path, false);
  EXPECT_EQ(one(*store,
                "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = "
                "'verblijfsobjecten'"),
            "31");
}

TEST(FeatureCountTriggers, AnOrdinaryWriteChangesNoTrigger) {
  TempDir dir;
  const auto path = smallStore(dir);
  auto store = Store::open(path, true);
  const std::string triggers =
      "SELECT group_concat(name || sql, '|') FROM (SELECT name, sql FROM "
      "sqlite_master WHERE type = 'trigger' ORDER BY name)";
  const std::string before = one(*store, triggers);
  auto b = batchList(batchOf(layerDef("verblijfsobjecten"), 100, 5));
  store->append(b);
  EXPECT_EQ(one(*store, triggers), before);
}

TEST(SpatialIndexTriggers, AWriteThatLostOneIsRolledBack) {
  // What the allocation sweep found (cluster, allocation 28325 of 34105): GDAL created a new
  // layer's R-tree at sync, one trigger failed, and the rest was committed.
  TempDir dir;
  const auto path = smallStore(dir);
  const auto before = fileSha256(path);
  {
    auto store = Store::open(path, true);
    try {
      store->transaction([](GDALDataset& ds) {
        Statement(ds, "DROP TRIGGER rtree_verblijfsobjecten_geom_delete").run();
      });
      ADD_FAILURE() << "a spatial index without its triggers was committed";
    } catch (const StorageError& e) {
      EXPECT_NE(std::string(e.what()).find("spatial index of 'verblijfsobjecten'"),
                std::string::npos)
          << e.what();
    }
  }
  EXPECT_EQ(fileSha256(path), before);
}

TEST(WrittenValues, AValueLostOnTheWayIsAStorageFailureAndTheStoreIsUnchanged) {
  TempDir dir;
  const auto path = smallStore(dir);
  // Stands in for GDAL binding NULL for a text it could not copy: the stored value is NULL.
  sql(path,
      "CREATE TRIGGER lose_a_value AFTER INSERT ON verblijfsobjecten WHEN NEW.fid > 40 BEGIN "
      "UPDATE verblijfsobjecten SET openbare_ruimte_naam = NULL WHERE fid = NEW.fid; END");
  const auto before = fileSha256(path);
  {
    auto store = Store::open(path, true);
    auto b = batchList(batchOf(layerDef("verblijfsobjecten"), 100, 20));
    try {
      store->append(b);
      ADD_FAILURE() << "a lost value was committed";
    } catch (const StorageError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("verblijfsobjecten.openbare_ruimte_naam"), std::string::npos) << what;
      EXPECT_NE(what.find("nothing was changed"), std::string::npos) << what;
    }
  }
  EXPECT_EQ(fileSha256(path), before);
}

TEST(WrittenValues, ALostGeometryIsAStorageFailure) {
  TempDir dir;
  const auto path = smallStore(dir);
  sql(path,
      "CREATE TRIGGER lose_a_geometry AFTER INSERT ON verblijfsobjecten WHEN NEW.fid > 40 BEGIN "
      "UPDATE verblijfsobjecten SET geom = NULL WHERE fid = NEW.fid; END");
  auto store = Store::open(path, true);
  auto b = batchList(batchOf(layerDef("verblijfsobjecten"), 100, 20));
  EXPECT_THROW(store->append(b), StorageError);
  EXPECT_EQ(one(*store, "SELECT COUNT(*) FROM verblijfsobjecten"), "30");
}

TEST(Statement, BadSqlIsALibraryErrorWithSqlitesMessage) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  try {
    Statement(store->dataset(), "SELECT nope FROM nowhere").run();
    ADD_FAILURE() << "bad SQL ran";
  } catch (const StorageError&) {
    ADD_FAILURE() << "bad SQL called a storage failure";
  } catch (const geo::LibraryError& e) {
    EXPECT_NE(std::string(e.what()).find("no such table"), std::string::npos) << e.what();
  }
}

TEST(Statement, GpkgDateTimeIsGdalsFormat) {
  EXPECT_EQ(gpkgDateTime("2024-06-01T10:00:00"), "2024-06-01T10:00:00.000");
  EXPECT_EQ(gpkgDateTime("2024-06-01"), "2024-06-01");
  EXPECT_EQ(gpkgDateTime("2024-06-01T10:00:00x"), "2024-06-01T10:00:00x");
}
