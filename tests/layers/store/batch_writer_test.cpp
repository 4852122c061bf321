// The streaming import's BatchWriter: into a layer whose R-tree is empty it packs the index in
// one pass at finish() (instead of one rtree INSERT per row); into a layer with rows it adds
// entries row by row. Either way the store reads back as Store::append leaves it: the same
// rows, GDAL's R-tree triggers, a sound index holding every row.
#include "layers/store/batch_writer.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <span>

#include "tests/layers/store/fault_cases.h"
#include "tests/layers/store/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

void streamImport(Store& store, const ImportBatch& b) {
  store.transaction([&](GDALDataset& ds) {
    BatchWriter w(ds, b, "2024-06-02T10:00:00");
    const std::span<const Record> all(b.records);
    const std::size_t half = all.size() / 2;
    ASSERT_TRUE(w.write(all.subspan(0, half)).empty());
    ASSERT_TRUE(w.write(all.subspan(half)).empty());
    w.finish();
  });
}

std::string schemaOf(const std::string& path, const std::string& like) {
  Db db(path);
  std::string out;
  for (const auto& r : db.rows("SELECT type, name, sql FROM sqlite_master WHERE name LIKE '" +
                               like + "' ORDER BY type, name"))
    out += r[0] + " " + r[1] + " " + r[2] + "\n";
  for (const auto& r : db.rows("SELECT table_name, column_name, extension_name FROM "
                               "gpkg_extensions WHERE table_name LIKE '" +
                               like + "' ORDER BY 1, 2, 3"))
    out += r[0] + " " + r[1] + " " + r[2] + "\n";
  return out;
}

}  // namespace

TEST(BatchWriter, IntoAnEmptyLayerItPacksTheIndexAndReadsBackAsAnAppend) {
  TempDir dir;
  const std::string streamed = dir.file("streamed.gpkg"), appended = dir.file("appended.gpkg");
  for (const char* layer : {"gemeenten", "vab"}) {
    SCOPED_TRACE(layer);
    const int n = std::string(layer) == "vab" ? 1500 : 120;
    std::filesystem::remove(streamed);
    std::filesystem::remove(appended);
    {
      auto s = Store::create(streamed);
      streamImport(*s, batchOf(layerDef(layer), 1, n));
      // A second import into the layer, which now has an index: entries row by row.
      streamImport(*s, batchOf(layerDef(layer), n + 1, 30));
    }
    {
      auto s = Store::create(appended);
      auto b1 = batchList(batchOf(layerDef(layer), 1, n));
      s->append(b1);
      auto b2 = batchList(batchOf(layerDef(layer), n + 1, 30));
      s->append(b2);
    }
    EXPECT_EQ(integrityProblems(streamed), "");
    EXPECT_EQ(schemaOf(streamed, std::string("rtree_") + layer + "%"),
              schemaOf(appended, std::string("rtree_") + layer + "%"));
    EXPECT_EQ(schemaOf(streamed, layer), schemaOf(appended, layer));
    Db a(streamed), b(appended);
    const std::string rows =
        std::string("SELECT * FROM \"") + layer + "\" ORDER BY fid";  // import_id: both 1, 2
    EXPECT_EQ(a.rows(rows), b.rows(rows));
    const std::string rtree = std::string("rtree_") + layer + "_geom";
    EXPECT_EQ(a.rows("SELECT COUNT(*) FROM " + rtree)[0][0], std::to_string(n + 30));
    // The same entries (id and float32 box) as GDAL's triggers made for the appended rows.
    const std::string entries = "SELECT * FROM " + rtree + " ORDER BY id";
    EXPECT_EQ(a.rows(entries), b.rows(entries));
  }
}

namespace {

std::string indexesOf(const std::string& path, const std::string& layer) {
  Db db(path);
  std::string out;
  for (const auto& r : db.rows("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                               "tbl_name = '" +
                               layer + "' AND sql IS NOT NULL ORDER BY name"))
    out += r[0] + ": " + r[1] + "\n";
  return out;
}

}  // namespace

// Issue 13: into an empty layer the secondary indexes (bag_pand_id, postcode, ...) are dropped
// while writing and built at finish() in one sorted pass; the file ends with the same indexes,
// answering the same, as an append; a refused import leaves them as they were.
TEST(BatchWriter, IntoAnEmptyLayerItBuildsTheSecondaryIndexesAtFinish) {
  TempDir dir;
  const std::string streamed = dir.file("streamed.gpkg"), appended = dir.file("appended.gpkg");
  const char* layer = "verblijfsobjecten";
  {
    auto s = Store::create(streamed);
    s->transaction([&](GDALDataset& ds) {
      const ImportBatch b = batchOf(layerDef(layer), 1, 700);
      BatchWriter w(ds, b, "2024-06-02T10:00:00");
      ASSERT_TRUE(w.write(b.records).empty());
      w.finish();
    });
    streamImport(*s, batchOf(layerDef(layer), 701, 30));  // a layer with rows: nothing dropped
  }
  {
    auto s = Store::create(appended);
    auto b1 = batchList(batchOf(layerDef(layer), 1, 700));
    s->append(b1);
    auto b2 = batchList(batchOf(layerDef(layer), 701, 30));
    s->append(b2);
  }
  const std::string expected = indexesOf(appended, layer);
  EXPECT_NE(expected.find("idx_verblijfsobjecten_postcode"), std::string::npos) << expected;
  EXPECT_NE(expected.find("idx_verblijfsobjecten_bag_pand_id"), std::string::npos) << expected;
  EXPECT_EQ(indexesOf(streamed, layer), expected);
  EXPECT_EQ(integrityProblems(streamed), "");
  Db a(streamed), b(appended);
  // The query plan uses the rebuilt index, and it answers as the appended file's.
  const auto plan =
      a.rows("EXPLAIN QUERY PLAN SELECT fid FROM verblijfsobjecten WHERE postcode = 'x'");
  std::string planText;
  for (const auto& r : plan) planText += r.back() + "\n";
  EXPECT_NE(planText.find("idx_verblijfsobjecten_postcode"), std::string::npos) << planText;
  for (const char* q :
       {"SELECT postcode, fid FROM verblijfsobjecten WHERE postcode > 'postcode é 3' ORDER BY 1, 2",
        "SELECT count(*) FROM verblijfsobjecten WHERE bag_pand_id >= 'vab-5'"})
    EXPECT_EQ(a.rows(q), b.rows(q)) << q;

  // Refused after writing (the caller throws inside the transaction): indexes as before.
  const std::string fresh = dir.file("refused.gpkg");
  auto s = Store::create(fresh);
  const std::string before = indexesOf(fresh, layer);
  EXPECT_NE(before.find("idx_verblijfsobjecten_postcode"), std::string::npos) << before;
  EXPECT_ANY_THROW(s->transaction([&](GDALDataset& ds) {
    const ImportBatch batch = batchOf(layerDef(layer), 1, 50);
    BatchWriter w(ds, batch, "2024-06-02T10:00:00");
    ASSERT_TRUE(w.write(batch.records).empty());
    throw std::runtime_error("refused");
  }));
  EXPECT_EQ(indexesOf(fresh, layer), before);
  EXPECT_EQ(Db(fresh).rows("SELECT count(*) FROM verblijfsobjecten")[0][0], "0");
}
