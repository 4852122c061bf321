#include "layers/store/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "geo/core/error.h"
#include "layers/store/checksum.h"
#include "tests/layers/store/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

std::vector<ImportBatch> oneBatchPerLayer(int count) {
  std::vector<ImportBatch> batches;
  // Deliberately children before parents: the store must order the inserts itself.
  for (auto it = layerDefs().rbegin(); it != layerDefs().rend(); ++it)
    batches.push_back(batchOf(*it, 1, count));
  return batches;
}

bool sameValue(const Value& a, const Value& b) {
  if (a.index() == b.index()) return a == b;
  // Reals written as integers come back as reals.
  if (std::holds_alternative<double>(a) && std::holds_alternative<std::int64_t>(b))
    return std::get<double>(a) == double(std::get<std::int64_t>(b));
  return false;
}

}  // namespace

TEST(StoreCreate, RefusesToOverwriteAnExistingFile) {
  TempDir dir;
  const auto path = dir.file("s.gpkg");
  { std::ofstream(path) << "precious"; }
  EXPECT_THROW(Store::create(path), geo::Error);
  EXPECT_EQ(fileSha256(path), sha256Hex("precious"));
}

TEST(StoreCreate, RefusesAnUnknownExtension) {
  TempDir dir;
  EXPECT_THROW(Store::create(dir.file("s.shp")), geo::Error);
}

TEST(StoreCreate, WritesMetaAndEveryLayerInRdNew) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  EXPECT_EQ(store->schemaVersion(), kSchemaVersion);
  EXPECT_EQ(store->meta("schema_version"), std::to_string(kSchemaVersion));
  EXPECT_EQ(store->meta("created_at").size(), 19u);
  EXPECT_FALSE(store->meta("veldwacht_version").empty());
  for (const auto& def : layerDefs()) {
    OGRLayer* l = store->dataset().GetLayerByName(def.name.c_str());
    ASSERT_NE(l, nullptr) << def.name;
    if (def.geometry == GeometryKind::None) continue;
    ASSERT_NE(l->GetSpatialRef(), nullptr);
    EXPECT_STREQ(l->GetSpatialRef()->GetAuthorityCode(nullptr), "28992") << def.name;
    EXPECT_STREQ(l->GetGeometryColumn(), "geom");
  }
}

TEST(StoreCreate, RegistersEveryTableSoThatQgisCanOpenIt) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  const auto rows = store->query(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'gpkg%' AND name NOT "
      "LIKE 'rtree%' AND name NOT LIKE 'sqlite%' AND name NOT IN (SELECT table_name FROM "
      "gpkg_contents)");
  for (const auto& r : rows) ADD_FAILURE() << "unregistered table " << r[0].value_or("");
  EXPECT_NE(store->dataset().GetLayerByName("veldwacht_meta"), nullptr);
}

TEST(StoreCreate, PassesGdalsGeoPackageValidator) {
  const char* script = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py";
  if (!std::filesystem::exists(script)) GTEST_SKIP() << "python3-gdal's validate_gpkg.py missing";
  TempDir dir;
  const auto path = dir.file("s.gpkg");
  {
    auto store = Store::create(path);
    store->append(batchList(batchOf(layerDef("bedrijventerreinen"), 1, 2),
                            batchOf(layerDef("signalen"), 1, 2),
                            batchOf(layerDef("wegvakken"), 1, 2)));
  }
  const std::string cmd = std::string("/usr/bin/python3 ") + script + " '" + path + "' 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
}

TEST(StoreCreate, UsesWriteAheadJournal) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  const auto rows = store->query("PRAGMA journal_mode");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].value_or(""), "wal");
}

TEST(StoreCreate, SeedsTheTenSignalCategories) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  const auto cats = store->read("signaal_categorieen");
  ASSERT_EQ(cats.size(), 10u);
  const LayerDef& def = layerDef("signaal_categorieen");
  std::vector<std::string> codes;
  for (const auto& r : cats) {
    codes.push_back(std::get<std::string>(r.values[def.fieldIndex("code")]));
    EXPECT_EQ(std::get<std::int64_t>(r.values[def.fieldIndex("actief")]), 1);
  }
  std::sort(codes.begin(), codes.end());
  const std::vector<std::string> expected = {
      "ACTIVITEIT",  "BEDRIJFSPAND", "DRUGSAFVAL", "DRUGSLAB", "HENNEP",
      "HUISVESTING", "INTIMIDATIE",  "MILIEU",     "OPSLAG",   "VERHUUR"};
  EXPECT_EQ(codes, expected);
}

TEST(StoreCreate, GivesEveryGeometryColumnAnRtree) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  for (const auto& def : layerDefs()) {
    if (def.geometry == GeometryKind::None) continue;
    const auto rows = store->query(
        "SELECT COUNT(*) FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index' AND "
        "table_name = '" +
        def.name + "'");
    EXPECT_EQ(rows[0][0].value_or("0"), "1") << def.name;
  }
}

TEST(StoreCreate, DeclaresClosedListsAsFieldDomainsForQgis) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  OGRLayer* l = store->dataset().GetLayerByName("signalen");
  const OGRFieldDefn* status =
      l->GetLayerDefn()->GetFieldDefn(l->GetLayerDefn()->GetFieldIndex("status"));
  ASSERT_EQ(status->GetDomainName(), "signalen_status");
  const auto* domain =
      dynamic_cast<const OGRCodedFieldDomain*>(store->dataset().GetFieldDomain("signalen_status"));
  ASSERT_NE(domain, nullptr);
  std::vector<std::string> codes;
  for (const OGRCodedValue* v = domain->GetEnumeration(); v->pszCode; ++v)
    codes.push_back(v->pszCode);
  auto expected = layerDef("signalen").field("status")->allowed;
  std::sort(codes.begin(), codes.end());  // GeoPackage hands them back sorted
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(codes, expected);
}

TEST(StoreCreate, IndexesTheFieldsQueriesFilterAndJoinOn) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  for (const auto& def : layerDefs()) {
    for (const auto& f : def.fields) {
      if (!f.indexed && !f.unique) continue;
      // SQLite lists the index of a UNIQUE column as sqlite_autoindex_<table>_<n>.
      const auto rows = store->query(
          "SELECT COUNT(*) FROM pragma_index_list('" + def.name +
          "') AS il JOIN pragma_index_info(il.name) AS ii WHERE ii.name = '" + f.name + "'");
      EXPECT_EQ(rows.at(0).at(0).value_or("0"), "1") << def.name << "." << f.name;
    }
  }
}

TEST(StoreAppend, RoundTripsEveryFieldOfEveryLayer) {
  TempDir dir;
  const auto path = dir.file("s.gpkg");
  const auto batches = oneBatchPerLayer(3);
  {
    auto store = Store::create(path);
    store->append(batches);
  }
  auto store = Store::open(path, false);
  const auto imports = store->imports();
  ASSERT_EQ(imports.size(), batches.size());
  for (const auto& batch : batches) {
    const LayerDef& def = layerDef(batch.layer);
    // signaal_categorieen also holds the ten seeded rows.
    const auto rows =
        store->read(batch.layer,
                    compileFilter(layerDef(batch.layer),
                                  batch.layer == "signaal_categorieen" ? "code LIKE 'sig-%'" : ""));
    ASSERT_EQ(rows.size(), batch.records.size()) << batch.layer;
    const auto imp = std::find_if(imports.begin(), imports.end(),
                                  [&](const ImportInfo& i) { return i.layer == batch.layer; });
    ASSERT_NE(imp, imports.end());
    EXPECT_EQ(imp->rows, 3);
    EXPECT_EQ(imp->sourceFile, batch.sourceFile);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const Record& in = batch.records[r];
      const Record& out = rows[r];
      for (std::size_t f = 0; f < def.fields.size(); ++f) {
        if (def.fields[f].name == "import_id") {
          EXPECT_EQ(out.values[f], Value(imp->importId)) << batch.layer;
          continue;
        }
        EXPECT_TRUE(sameValue(out.values[f], in.values[f]))
            << batch.layer << "." << def.fields[f].name << ": wrote " << describeValue(in.values[f])
            << ", read " << describeValue(out.values[f]);
      }
      if (def.geometry == GeometryKind::None) {
        EXPECT_EQ(out.geometry, nullptr);
      } else {
        ASSERT_NE(out.geometry, nullptr) << batch.layer;
        EXPECT_TRUE(out.geometry->Equals(in.geometry.get())) << batch.layer;
      }
    }
  }
}

TEST(StoreAppend, PromotesPolygonsToMultiPolygons) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  ImportBatch b = batchOf(layerDef("gemeenten"), 1, 1);
  b.records[0].geometry =
      wkt("POLYGON ((250000 590000, 251000 590000, 251000 591000, 250000 590000))");
  store->append({&b, 1});
  const auto rows = store->read("gemeenten");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(wkbFlatten(rows[0].geometry->getGeometryType()), wkbMultiPolygon);
}

TEST(StoreAppend, StoresTwoDimensionalGeometriesOnly) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  ImportBatch b = batchOf(layerDef("signalen"), 1, 1);
  b.records[0].geometry = wkt("POINT Z (256984 594814 3.5)");
  store->append(batchList(std::move(b)));
  const auto rows = store->read("signalen");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].geometry->getGeometryType(), wkbPoint);
  EXPECT_EQ(rows[0].geometry->toPoint()->getX(), 256984);
}

TEST(StoreAppend, FillsDefaultsForNullFields) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  const LayerDef& def = layerDef("vab");
  ImportBatch b = batchOf(def, 1, 1);
  field(b.records[0], def, "synthetisch") = Value{};
  store->append({&b, 1});
  const auto rows = store->read("vab");
  EXPECT_EQ(rows.at(0).values[def.fieldIndex("synthetisch")], Value(std::int64_t{0}));
}

TEST(StoreAppend, ReadFilterSelectsRows) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  ImportBatch b = batchOf(layerDef("bedrijventerreinen"), 1, 5);
  store->append({&b, 1});
  EXPECT_EQ(store
                ->read("bedrijventerreinen", compileFilter(layerDef("bedrijventerreinen"),
                                                           "rin_nummer IN ('bed-2', 'bed-4')"))
                .size(),
            2u);
  EXPECT_THROW(store->read("bedrijventerreinen",
                           compileFilter(layerDef("bedrijventerreinen"), "no_such_field = 1")),
               geo::Error);
  EXPECT_THROW(store->read("no_such_layer"), geo::Error);
}

TEST(StoreAppend, ReadWithinSelectsByAreaAndFilter) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  store->append(batchList(batchOf(layerDef("vab"), 0, 10)));  // x0 + 0, 100, ..., 900
  geo::Extent area;
  area.include({256984 + 150, 594814 - 1000});
  area.include({256984 + 450, 594814 + 1000});
  const auto rows = store->readWithin("vab", area);
  ASSERT_EQ(rows.size(), 3u);  // 200, 300, 400
  for (const auto& r : rows) {
    const double x = r.geometry->toPoint()->getX();
    EXPECT_TRUE(x >= area.minX && x <= area.maxX) << x;
  }
  EXPECT_EQ(
      store->readWithin("vab", area, compileFilter(layerDef("vab"), "vab_id = 'vab-3'")).size(),
      1u);
  EXPECT_EQ(store->read("vab").size(), 10u);  // the spatial filter does not stick
  EXPECT_THROW(store->readWithin("signaal_categorieen", area), geo::Error);
}

TEST(StoreSummary, CountsExtentsAndGeometryTypes) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  ImportBatch b = batchOf(layerDef("partners"), 0, 3);  // points at x0 + 0, 100, 200
  store->append({&b, 1});
  bool seen = false;
  for (const auto& s : store->summary()) {
    if (s.name == "signaal_categorieen") {
      EXPECT_EQ(s.geometryType, "None");
      EXPECT_EQ(s.count, 10);
      EXPECT_TRUE(s.extent.empty());
    }
    if (s.name != "partners") continue;
    seen = true;
    EXPECT_EQ(s.title, "Partners");
    EXPECT_EQ(s.geometryType, "Point");
    EXPECT_EQ(s.count, 3);
    EXPECT_DOUBLE_EQ(s.extent.minX, 256984);
    EXPECT_DOUBLE_EQ(s.extent.maxX, 256984 + 200);
    EXPECT_DOUBLE_EQ(s.extent.minY, 594814);
    EXPECT_DOUBLE_EQ(s.extent.maxY, 594814 + 100);
    EXPECT_FALSE(s.isResult);
  }
  EXPECT_TRUE(seen);
  for (const auto& s : store->summary()) {
    EXPECT_NE(s.name, "veldwacht_imports");
    EXPECT_NE(s.name, "layer_styles");
  }
}

TEST(StoreSummary, ListsNoBookkeepingTableOfAnyPartAsALayer) {
  // veldwacht_audit and veldwacht_classificatie (layers/privacy) and veldwacht_netwerk
  // (layers/network) are attribute tables registered in gpkg_contents, so GDAL lists them; they
  // are bookkeeping, not user layers (before: `info` showed the first two). A user's own table
  // made the same way is listed.
  TempDir dir;
  const std::string path = dir.file("s.gpkg");
  {
    auto store = Store::create(path);
    store->transaction([](GDALDataset& ds) {
      for (const char* name : {"veldwacht_audit", "veldwacht_classificatie", "veldwacht_netwerk",
                               "veldwacht_iets_nieuws", "mijn_tabel"}) {
        OGRLayer* l = ds.CreateLayer(name, nullptr, wkbNone, nullptr);
        ASSERT_NE(l, nullptr) << name;
        OGRFieldDefn fd("tekst", OFTString);
        ASSERT_EQ(l->CreateField(&fd), OGRERR_NONE);
      }
    });
  }
  auto store = Store::open(path, false);
  std::vector<std::string> names;
  for (const auto& s : store->summary()) names.push_back(s.name);
  for (const char* hidden :
       {"veldwacht_audit", "veldwacht_classificatie", "veldwacht_netwerk", "veldwacht_iets_nieuws",
        "veldwacht_meta", "veldwacht_imports", "veldwacht_resultaten", "layer_styles"})
    EXPECT_EQ(std::count(names.begin(), names.end(), hidden), 0) << hidden;
  EXPECT_EQ(std::count(names.begin(), names.end(), "mijn_tabel"), 1);
  EXPECT_EQ(std::count(names.begin(), names.end(), "signalen"), 1);
}

TEST(StoreSummary, ExtentIsExactNotTheRtreesFloatBounds) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  ImportBatch b = batchOf(layerDef("vab"), 0, 1);
  b.records[0].geometry = wkt("POINT (256984.123 594814.987)");
  store->append(batchList(std::move(b)));
  for (const auto& s : store->summary()) {
    if (s.name != "vab") continue;
    EXPECT_DOUBLE_EQ(s.extent.minX, 256984.123);
    EXPECT_DOUBLE_EQ(s.extent.maxY, 594814.987);
  }
}

TEST(StoreOpen, WaitsForOtherWritersInsteadOfFailingAtOnce) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  const auto rows = store->query("PRAGMA busy_timeout");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].value_or(""), "5000");
}

TEST(StoreOpen, ReadOnlyRefusesAppend) {
  TempDir dir;
  const auto path = dir.file("s.gpkg");
  Store::create(path);
  auto store = Store::open(path, false);
  ImportBatch b = batchOf(layerDef("partners"), 0, 1);
  EXPECT_THROW(store->append({&b, 1}), geo::Error);
}

TEST(StoreOpen, RefusesAFileThatIsNoStore) {
  TempDir dir;
  const auto path = dir.file("other.gpkg");
  {
    geo::ensureGdalRegistered();
    geo::DatasetPtr ds(GetGDALDriverManager()->GetDriverByName("GPKG")->Create(
        path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    ds->CreateLayer("x", nullptr, wkbPoint, nullptr);
  }
  try {
    Store::open(path, false);
    FAIL();
  } catch (const geo::Error& e) {
    EXPECT_NE(std::string(e.what()).find("not a Veldwacht store"), std::string::npos) << e.what();
  }
  EXPECT_THROW(Store::open(dir.file("missing.gpkg"), false), geo::Error);
}

TEST(StoreOpen, RefusesAStoreFromANewerVeldwacht) {
  TempDir dir;
  const auto path = dir.file("s.gpkg");
  Store::create(path)->executeSql("UPDATE veldwacht_meta SET value = '" +
                                  std::to_string(kSchemaVersion + 1) +
                                  "' WHERE key = 'schema_version'");
  for (bool update : {false, true}) {
    try {
      Store::open(path, update);
      FAIL();
    } catch (const geo::Error& e) {
      EXPECT_NE(std::string(e.what()).find("newer Veldwacht"), std::string::npos) << e.what();
    }
  }
}

TEST(SpatiaLiteStore, CreatesAppendsAndReadsBack) {
  TempDir dir;
  const auto path = dir.file("s.sqlite");
  {
    auto store = Store::create(path);
    store->append(batchList(batchOf(layerDef("bedrijventerreinen"), 1, 2),
                            batchOf(layerDef("incidenten"), 1, 2)));
  }
  auto store = Store::open(path, false);
  EXPECT_STREQ(store->dataset().GetDriverName(), "SQLite");
  // A real SpatiaLite database with a spatial index on the geometry column.
  const auto index = store->query(
      "SELECT spatial_index_enabled, srid FROM geometry_columns WHERE f_table_name = 'incidenten'");
  ASSERT_EQ(index.size(), 1u);
  EXPECT_EQ(index[0][0].value_or(""), "1");
  EXPECT_EQ(index[0][1].value_or(""), "28992");
  EXPECT_EQ(store->schemaVersion(), kSchemaVersion);
  const auto rows = store->read("incidenten");
  ASSERT_EQ(rows.size(), 2u);
  const ImportBatch written = batchOf(layerDef("incidenten"), 1, 2);
  const LayerDef& def = layerDef("incidenten");
  for (std::size_t f = 0; f < def.fields.size(); ++f) {
    if (def.fields[f].name != "import_id") {
      EXPECT_EQ(rows[0].values[f], written.records[0].values[f]) << def.fields[f].name;
    }
  }
  EXPECT_TRUE(rows[1].geometry->Equals(written.records[1].geometry.get()));
  int seen = 0;
  for (const auto& s : store->summary()) {
    if (s.name == "incidenten") {
      ++seen;
      EXPECT_EQ(s.count, 2);
      EXPECT_DOUBLE_EQ(s.extent.minX, 256984 + 100.0);
    }
    if (s.name == "signaal_categorieen") {  // SpatiaLite's driver does not list it
      ++seen;
      EXPECT_EQ(s.count, 10);
    }
  }
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(store->imports().size(), 2u);
}
