// Schema versions: a version-1 store is migrated forward on opening for update, data kept.
#include <gtest/gtest.h>

#include "geo/core/error.h"
#include "layers/store/checksum.h"
#include "layers/store/store.h"
#include "tests/layers/store/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

const LayerDef& v1Def(const std::vector<LayerDef>& defs, const std::string& name) {
  return *std::find_if(defs.begin(), defs.end(), [&](const LayerDef& d) { return d.name == name; });
}

/// A version-1 store holding 3 signalen and 2 partners, closed.
std::string v1Store(const TempDir& dir) {
  const auto path = dir.file("v1.gpkg");
  const auto v1 = layerDefsForVersion(1);
  CreateOptions options;
  options.schemaVersion = 1;
  auto store = Store::create(path, options);
  EXPECT_EQ(store->schemaVersion(), 1);
  store->append(
      batchList(batchOf(v1Def(v1, "signalen"), 1, 3), batchOf(v1Def(v1, "partners"), 1, 2)));
  return path;
}

bool hasField(Store& store, const std::string& layer, const std::string& fieldName) {
  OGRLayer* l = store.dataset().GetLayerByName(layer.c_str());
  return l && l->GetLayerDefn()->GetFieldIndex(fieldName.c_str()) >= 0;
}

}  // namespace

TEST(SchemaVersions, VersionOneLacksWerkgebiedenAndTerugkoppelingOp) {
  const auto v1 = layerDefsForVersion(1);
  EXPECT_EQ(std::count_if(v1.begin(), v1.end(),
                          [](const LayerDef& d) { return d.name == "partner_werkgebieden"; }),
            0);
  EXPECT_EQ(v1Def(v1, "signalen").fieldIndex("terugkoppeling_op"), -1);
  // + partner_werkgebieden (2), schouwresultaten (3), gewaspercelen and misdrijven_per_buurt (4)
  EXPECT_EQ(v1.size() + 4, layerDefs().size());
  EXPECT_THROW(layerDefsForVersion(0), geo::Error);
  EXPECT_THROW(layerDefsForVersion(kSchemaVersion + 1), geo::Error);
}

TEST(StoreMigration, BuildsARealVersionOneStore) {
  TempDir dir;
  auto store = Store::open(v1Store(dir), false);
  EXPECT_EQ(store->schemaVersion(), 1);
  EXPECT_EQ(store->dataset().GetLayerByName("partner_werkgebieden"), nullptr);
  EXPECT_FALSE(hasField(*store, "signalen", "terugkoppeling_op"));
  EXPECT_TRUE(hasField(*store, "signalen", "terugkoppeling"));
}

TEST(StoreMigration, ReadOnlyOpeningOfAnOldStoreReadsAndWritesNothing) {
  TempDir dir;
  const auto path = v1Store(dir);
  const auto before = fileSha256(path);
  {
    auto store = Store::open(path, false);
    EXPECT_EQ(store->schemaVersion(), 1);
    const auto rows = store->read("signalen");
    ASSERT_EQ(rows.size(), 3u);
    const LayerDef& def = layerDef("signalen");
    EXPECT_TRUE(isNull(rows[0].values[def.fieldIndex("terugkoppeling_op")]));
    EXPECT_EQ(rows[0].values[def.fieldIndex("signaal_id")], Value(std::string("sig-1")));
  }
  EXPECT_EQ(fileSha256(path), before);
}

TEST(StoreMigration, OpeningForUpdateMigratesOneToTwoAndKeepsTheData) {
  TempDir dir;
  const auto path = v1Store(dir);
  const auto v1 = layerDefsForVersion(1);
  const LayerDef& sig1 = v1Def(v1, "signalen");
  const ImportBatch written = batchOf(sig1, 1, 3);
  {
    auto store = Store::open(path, true);
    EXPECT_EQ(store->schemaVersion(), kSchemaVersion);
    EXPECT_EQ(store->meta("schema_version"), std::to_string(kSchemaVersion));
    EXPECT_FALSE(store->meta("migrated_at").empty());
    EXPECT_TRUE(hasField(*store, "signalen", "terugkoppeling_op"));
    ASSERT_NE(store->dataset().GetLayerByName("partner_werkgebieden"), nullptr);
  }
  auto store = Store::open(path, true);  // a second opening finds nothing to do
  EXPECT_EQ(store->schemaVersion(), kSchemaVersion);
  // Every value written under version 1 is still there, field by field.
  const LayerDef& sig2 = layerDef("signalen");
  const auto rows = store->read("signalen");
  ASSERT_EQ(rows.size(), 3u);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t f = 0; f < sig1.fields.size(); ++f) {
      if (sig1.fields[f].name == "import_id") continue;
      EXPECT_EQ(rows[r].values[static_cast<std::size_t>(sig2.fieldIndex(sig1.fields[f].name))],
                written.records[r].values[f])
          << sig1.fields[f].name;
    }
    EXPECT_TRUE(isNull(rows[r].values[sig2.fieldIndex("terugkoppeling_op")]));
    EXPECT_TRUE(rows[r].geometry->Equals(written.records[r].geometry.get()));
  }
  EXPECT_EQ(store->read("partners").size(), 2u);
  EXPECT_EQ(store->imports().size(), 2u);
  // The new layer is a full citizen: its reference to partners is checked and enforced.
  EXPECT_NO_THROW(store->append(batchList(batchOf(layerDef("partner_werkgebieden"), 1, 2))));
  EXPECT_THROW(store->append(batchList(batchOf(layerDef("partner_werkgebieden"), 5, 1))),
               ValidationError);
  EXPECT_THROW(store->executeSql("INSERT INTO partner_werkgebieden (partner_id, synthetisch) "
                                 "VALUES ('par-9', 0)"),
               geo::LibraryError);
  // And the new field takes values.
  ImportBatch more = batchOf(sig2, 10, 1);
  store->append(batchList(std::move(more)));
  const auto late =
      store->read("signalen", compileFilter(layerDef("signalen"), "signaal_id = 'sig-10'"));
  ASSERT_EQ(late.size(), 1u);
  EXPECT_FALSE(isNull(late[0].values[sig2.fieldIndex("terugkoppeling_op")]));
}

TEST(StoreMigration, AFailedMigrationLeavesTheOldStoreUntouched) {
  TempDir dir;
  const auto path = v1Store(dir);
  {
    // Damage the v1 store so that step 1 -> 2 fails half-way (after creating
    // partner_werkgebieden, when it looks for signalen).
    geo::DatasetPtr ds = geo::openDataset(path, GDAL_OF_VECTOR | GDAL_OF_UPDATE);
    for (int i = 0; i < ds->GetLayerCount(); ++i)
      if (std::string(ds->GetLayer(i)->GetName()) == "signalen") ds->DeleteLayer(i);
  }
  const auto before = fileSha256(path);
  try {
    Store::open(path, true);
    FAIL() << "migration succeeded on a store without signalen";
  } catch (const geo::Error& e) {
    EXPECT_NE(std::string(e.what()).find("signalen"), std::string::npos) << e.what();
  }
  EXPECT_EQ(fileSha256(path), before);
  auto store = Store::open(path, false);
  EXPECT_EQ(store->schemaVersion(), 1);
  EXPECT_EQ(store->dataset().GetLayerByName("partner_werkgebieden"), nullptr);
}
