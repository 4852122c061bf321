// The result writer's own GeoPackage path (geo::GpkgWriter on the store's connection, inside the
// result's transaction) against GDAL's OGR path it replaces: the same tables, gpkg_* rows,
// triggers and values, a file GDAL opens as an ordinary layer, and an R-tree that answers
// spatial filters exactly as a brute-force scan does.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "geo/core/gdal.h"
#include "layers/results/results.h"
#include "tests/layers/store/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

/// Restores the default writer when a test ends.
struct WriterScope {
  explicit WriterScope(ResultTableWriter w) { setResultTableWriter(w); }
  ~WriterScope() { setResultTableWriter(ResultTableWriter::OwnSql); }
};

FieldDef fieldOf(const std::string& name, FieldType type, bool required = false, int width = 0) {
  FieldDef f;
  f.name = name;
  f.type = type;
  f.required = required;
  f.width = width;
  return f;
}

ResultMetadata meta() {
  ResultMetadata m;
  m.algorithm = "dbscan";
  m.parametersJson = R"({"eps_m":50})";
  m.inputLayer = "signalen";
  m.inputRows = 10;
  m.seed = 7;
  m.startedAt = "2024-06-01T10:00:00";
  m.veldwachtVersion = "test";
  return m;
}

/// One layer of each geometry kind, every field type, NULLs, a text width and NOT NULL.
std::vector<ResultLayer> mixedSet(int n) {
  std::vector<ResultLayer> set;
  const GeometryKind kinds[] = {GeometryKind::Point, GeometryKind::LineString,
                                GeometryKind::MultiPolygon, GeometryKind::None};
  const char* names[] = {"r_punten", "r_lijnen", "r_vlakken", "r_tabel"};
  for (int k = 0; k < 4; ++k) {
    ResultLayer r;
    r.name = names[k];
    r.title = std::string("Titel ") + names[k];
    r.geometry = kinds[k];
    r.fields = {
        fieldOf("id", FieldType::Integer, true), fieldOf("naam", FieldType::Text, false, 12),
        fieldOf("waarde", FieldType::Real),      fieldOf("ja", FieldType::Boolean),
        fieldOf("dag", FieldType::Date),         fieldOf("moment", FieldType::DateTime),
        fieldOf("tekst", FieldType::Text, true)};
    for (int i = 0; i < n; ++i) {
      Record rec;
      rec.values = {
          std::int64_t{i * 3 - 5},
          i % 4 == 0 ? Value{} : Value{"n" + std::to_string(i)},
          i % 5 == 0 ? Value{std::int64_t{i}} : Value{0.25 * i - 1e-7},
          std::int64_t{i % 2},
          i % 3 == 0 ? Value{} : Value{"2024-02-" + std::to_string(10 + i % 19)},
          Value{"2024-05-01T23:1" + std::to_string(i % 10) + ":0" + std::to_string(i % 7)},
          Value{std::string("x'\"é") + std::to_string(i)}};
      if (kinds[k] != GeometryKind::None) rec.geometry = geometryFor(kinds[k], i);
      r.records.push_back(std::move(rec));
    }
    r.metadata = meta();
    set.push_back(std::move(r));
  }
  return set;
}

/// Rows of a query as text, via plain SQLite (read-only).
std::vector<std::vector<std::string>> sqliteRows(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  std::vector<std::vector<std::string>> out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sqlite3_errmsg(db) << " in " << sql;
    sqlite3_close(db);
    return out;
  }
  while (sqlite3_step(q) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int c = 0; c < sqlite3_column_count(q); ++c) {
      if (sqlite3_column_type(q, c) == SQLITE_NULL) {
        row.push_back("<NULL>");
      } else if (sqlite3_column_type(q, c) == SQLITE_BLOB) {
        const auto* b = static_cast<const unsigned char*>(sqlite3_column_blob(q, c));
        row.emplace_back(reinterpret_cast<const char*>(b), std::size_t(sqlite3_column_bytes(q, c)));
      } else {
        row.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(q, c)));
      }
    }
    out.push_back(std::move(row));
  }
  sqlite3_finalize(q);
  sqlite3_close(db);
  return out;
}

std::string one(const std::string& path, const std::string& sql) {
  const auto rows = sqliteRows(path, sql);
  return rows.empty() || rows[0].empty() ? std::string("<none>") : rows[0][0];
}

/// Everything a reader can see of table `t`, apart from times: its DDL, its triggers, its
/// gpkg_* rows, its rows, and what GDAL reports of it.
std::map<std::string, std::vector<std::vector<std::string>>> describeTable(const std::string& path,
                                                                           const std::string& t) {
  std::map<std::string, std::vector<std::vector<std::string>>> d;
  const std::string lit = "'" + t + "'";
  d["ddl"] = sqliteRows(path, "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = " + lit +
                                  " OR name LIKE 'rtree_" + t + "_%' ORDER BY type, name");
  d["contents"] = sqliteRows(path,
                             "SELECT table_name, data_type, identifier, description, min_x, min_y, "
                             "max_x, max_y, srs_id FROM gpkg_contents WHERE table_name = " +
                                 lit);
  d["geometry_columns"] =
      sqliteRows(path, "SELECT * FROM gpkg_geometry_columns WHERE table_name = " + lit);
  d["ogr_contents"] = sqliteRows(path, "SELECT * FROM gpkg_ogr_contents WHERE table_name = " + lit);
  d["extensions"] = sqliteRows(
      path, "SELECT * FROM gpkg_extensions WHERE table_name = " + lit + " ORDER BY extension_name");
  d["rows"] = sqliteRows(path, "SELECT * FROM \"" + t + "\" ORDER BY fid");
  d["registry"] = sqliteRows(path,
                             "SELECT laag, algoritme, parameters_json, invoer_laag, invoer_rijen, "
                             "seed, stijl FROM veldwacht_resultaten WHERE laag = " +
                                 lit);
  d["metadata"] = sqliteRows(path,
                             "SELECT m.metadata FROM gpkg_metadata m JOIN gpkg_metadata_reference "
                             "r ON r.md_file_id = m.id WHERE r.table_name = " +
                                 lit);
  // GDAL's view
  auto ds = geo::openDataset(path, GDAL_OF_VECTOR | GDAL_OF_READONLY);
  OGRLayer* l = ds->GetLayerByName(t.c_str());
  std::vector<std::vector<std::string>> gdal;
  if (!l) {
    gdal.push_back({"no layer"});
  } else {
    gdal.push_back({OGRGeometryTypeToName(l->GetGeomType()), l->GetFIDColumn(),
                    l->GetGeometryColumn(), std::to_string(l->GetFeatureCount(TRUE))});
    OGREnvelope e;
    if (l->GetGeomType() != wkbNone && l->GetExtent(&e, TRUE) == OGRERR_NONE)
      gdal.push_back({std::to_string(e.MinX), std::to_string(e.MaxX), std::to_string(e.MinY),
                      std::to_string(e.MaxY)});
    const OGRFeatureDefn* defn = l->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
      const OGRFieldDefn* f = defn->GetFieldDefn(i);
      gdal.push_back({f->GetNameRef(), OGRFieldDefn::GetFieldTypeName(f->GetType()),
                      OGRFieldDefn::GetFieldSubTypeName(f->GetSubType()),
                      std::to_string(f->GetWidth()), std::to_string(f->IsNullable()),
                      std::to_string(f->IsUnique()), f->GetDefault() ? f->GetDefault() : ""});
    }
    if (const char* id = l->GetMetadataItem("IDENTIFIER")) gdal.push_back({id});
    if (const char* desc = l->GetMetadataItem("DESCRIPTION")) gdal.push_back({desc});
    for (const char* key : {"VELDWACHT_ALGORITHM", "VELDWACHT_SEED", "VELDWACHT_INPUT_LAYER"})
      if (const char* v = l->GetMetadataItem(key)) gdal.push_back({key, v});
  }
  d["gdal"] = gdal;
  return d;
}

void expectSameTables(const std::string& a, const std::string& b,
                      const std::vector<std::string>& tables) {
  for (const auto& t : tables) {
    const auto da = describeTable(a, t), db = describeTable(b, t);
    for (const auto& [what, rows] : da) {
      EXPECT_EQ(rows, db.at(what)) << "table " << t << ", " << what;
    }
  }
}

std::string integrityOf(const std::string& path) { return one(path, "PRAGMA integrity_check"); }

}  // namespace

TEST(OwnSqlResultWriter, WritesWhatGdalWritesForEveryGeometryKindAndFieldType) {
  TempDir dir;
  const std::string viaGdal = dir.file("gdal.gpkg"), own = dir.file("own.gpkg");
  {
    WriterScope scope(ResultTableWriter::Gdal);
    auto store = Store::create(viaGdal);
    writeResultSet(*store, mixedSet(25));
  }
  {
    auto store = Store::create(own);
    writeResultSet(*store, mixedSet(25));
    // The store's own dataset knows the new tables at once (reopened after the commit).
    for (const char* t : {"r_punten", "r_lijnen", "r_vlakken", "r_tabel"})
      EXPECT_NE(store->dataset().GetLayerByName(t), nullptr) << t;
    const ResultLayer back = readResultLayer(*store, "r_lijnen");
    EXPECT_EQ(back.records.size(), 25u);
  }
  expectSameTables(viaGdal, own, {"r_punten", "r_lijnen", "r_vlakken", "r_tabel"});
  // Both read back the same through the store's reader.
  auto a = Store::open(viaGdal, false), b = Store::open(own, false);
  for (const char* t : {"r_punten", "r_lijnen", "r_vlakken", "r_tabel"}) {
    const ResultLayer ra = readResultLayer(*a, t), rb = readResultLayer(*b, t);
    ASSERT_EQ(ra.records.size(), rb.records.size()) << t;
    EXPECT_EQ(ra.title, rb.title);
    ASSERT_EQ(ra.fields.size(), rb.fields.size());
    for (std::size_t i = 0; i < ra.fields.size(); ++i) {
      EXPECT_EQ(ra.fields[i].name, rb.fields[i].name);
      EXPECT_EQ(ra.fields[i].type, rb.fields[i].type);
      EXPECT_EQ(ra.fields[i].required, rb.fields[i].required);
      EXPECT_EQ(ra.fields[i].width, rb.fields[i].width);
    }
    for (std::size_t r = 0; r < ra.records.size(); ++r) {
      EXPECT_EQ(ra.records[r].values, rb.records[r].values) << t << " row " << r;
      EXPECT_EQ(ra.records[r].sourceRow, rb.records[r].sourceRow);
      ASSERT_EQ(ra.records[r].geometry == nullptr, rb.records[r].geometry == nullptr);
      if (ra.records[r].geometry) {
        EXPECT_TRUE(ra.records[r].geometry->Equals(rb.records[r].geometry.get())) << t << r;
      }
    }
  }
  EXPECT_EQ(integrityOf(own), "ok");
  for (const char* t : {"r_punten", "r_lijnen", "r_vlakken"})
    EXPECT_EQ(one(own, std::string("SELECT rtreecheck('rtree_") + t + "_geom')"), "ok") << t;
}

TEST(OwnSqlResultWriter, EmptyTablesAndReplacingInBothDirections) {
  TempDir dir;
  const std::string viaGdal = dir.file("gdal.gpkg"), own = dir.file("own.gpkg");
  {
    WriterScope scope(ResultTableWriter::Gdal);
    auto store = Store::create(viaGdal);
    writeResultSet(*store, mixedSet(0));
  }
  auto store = Store::create(own);
  writeResultSet(*store, mixedSet(0));
  expectSameTables(viaGdal, own, {"r_punten", "r_lijnen", "r_vlakken", "r_tabel"});
  // Own over own, GDAL over own, own over GDAL: each leaves exactly one table and one row.
  writeResultSet(*store, mixedSet(7));
  {
    WriterScope scope(ResultTableWriter::Gdal);
    writeResultSet(*store, mixedSet(5));
  }
  writeResultSet(*store, mixedSet(9));
  for (const char* t : {"r_punten", "r_lijnen", "r_vlakken", "r_tabel"}) {
    EXPECT_EQ(readResultLayer(*store, t).records.size(), 9u) << t;
    EXPECT_EQ(store->query(std::string("SELECT COUNT(*) FROM veldwacht_resultaten WHERE laag = '") +
                           t + "'")[0][0],
              "1");
    EXPECT_EQ(store->query(std::string("SELECT feature_count FROM gpkg_ogr_contents WHERE "
                                       "table_name = '") +
                           t + "'")[0][0],
              "9");
  }
  store.reset();
  EXPECT_EQ(integrityOf(own), "ok");
  EXPECT_EQ(one(own, "SELECT COUNT(*) FROM rtree_r_punten_geom"), "9");
  EXPECT_EQ(one(own, "SELECT rtreecheck('rtree_r_vlakken_geom')"), "ok");
}

namespace {

/// A clustering-like point table held column by column, with seeded coordinates.
void pointColumnsResult(std::size_t n, std::uint32_t seed, ResultLayer& layer,
                        PointColumns& columns) {
  layer.name = "c_punten";
  layer.title = "Punten";
  layer.geometry = GeometryKind::Point;
  layer.fields = {
      fieldOf("bron_fid", FieldType::Integer, true), fieldOf("sleutel", FieldType::Text),
      fieldOf("cluster_id", FieldType::Integer),     fieldOf("kern", FieldType::Boolean),
      fieldOf("gewicht", FieldType::Real),           fieldOf("leeg", FieldType::Real)};
  layer.metadata = meta();
  columns.layer = layer.name;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> x(120000, 130000), y(480000, 490000);
  std::vector<std::int32_t> fid, cluster;
  std::vector<std::uint8_t> core;
  std::vector<double> weight;
  TextColumn key;
  for (std::size_t i = 0; i < n; ++i) {
    columns.points.push_back({x(rng), y(rng)});
    fid.push_back(std::int32_t(i * 2 + 1));
    key.push_back("k" + std::to_string(rng() % 100000));
    cluster.push_back(std::int32_t(rng() % 50) - 1);
    core.push_back(std::uint8_t(rng() % 2));
    weight.push_back(double(rng() % 1000) / 7.0);
  }
  columns.columns = {std::move(fid),  std::move(key),    std::move(cluster),
                     std::move(core), std::move(weight), std::monostate{}};
}

}  // namespace

TEST(OwnSqlResultWriter, ColumnWisePointsWriteTheSameAsTheirRecordsThroughGdal) {
  TempDir dir;
  const std::string viaGdal = dir.file("gdal.gpkg"), own = dir.file("own.gpkg");
  constexpr std::size_t kN = 3000;
  {
    ResultLayer layer;
    PointColumns columns;
    pointColumnsResult(kN, 11, layer, columns);
    for (std::size_t i = 0; i < columns.size(); ++i) layer.records.push_back(columns.record(i));
    WriterScope scope(ResultTableWriter::Gdal);
    auto store = Store::create(viaGdal);
    std::vector<ResultLayer> set;
    set.push_back(std::move(layer));
    writeResultSet(*store, std::move(set));
  }
  {
    ResultLayer layer;
    PointColumns columns;
    pointColumnsResult(kN, 11, layer, columns);
    auto store = Store::create(own);
    std::vector<ResultLayer> set;
    set.push_back(std::move(layer));
    std::vector<PointColumns> cols;
    cols.push_back(std::move(columns));
    writeResultSet(*store, std::move(set), std::move(cols), {});
  }
  expectSameTables(viaGdal, own, {"c_punten"});
  EXPECT_EQ(one(own, "SELECT rtreecheck('rtree_c_punten_geom')"), "ok");
}

TEST(OwnSqlResultWriter, ColumnWiseRowsAreCheckedLikeRecords) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  ResultLayer layer;
  PointColumns columns;
  pointColumnsResult(10, 3, layer, columns);
  columns.columns[0] = std::monostate{};  // bron_fid is required
  std::vector<ResultLayer> set;
  set.push_back(std::move(layer));
  std::vector<PointColumns> cols;
  cols.push_back(std::move(columns));
  try {
    writeResultSet(*store, std::move(set), std::move(cols), {});
    FAIL() << "a NULL in a required column was written";
  } catch (const ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("bron_fid"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("a value is required"), std::string::npos) << e.what();
  }
  EXPECT_EQ(store->query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'c_punten'")[0][0], "0");
}

TEST(OwnSqlResultWriter, GdalOpensTheResultAndItsRtreeAnswersLikeABruteForceScan) {
  TempDir dir;
  const std::string path = dir.file("s.gpkg");
  constexpr std::size_t kN = 20000;
  ResultLayer layer;
  PointColumns columns;
  pointColumnsResult(kN, 5, layer, columns);
  const std::vector<geo::Point> points = columns.points;
  {
    auto store = Store::create(path);
    std::vector<ResultLayer> set;
    set.push_back(std::move(layer));
    std::vector<PointColumns> cols;
    cols.push_back(std::move(columns));
    writeResultSet(*store, std::move(set), std::move(cols), {});
  }
  EXPECT_EQ(integrityOf(path), "ok");
  EXPECT_EQ(one(path, "SELECT rtreecheck('rtree_c_punten_geom')"), "ok");
  EXPECT_EQ(one(path, "SELECT COUNT(*) FROM rtree_c_punten_geom"), std::to_string(kN));

  auto ds = geo::openDataset(path, GDAL_OF_VECTOR | GDAL_OF_READONLY);
  OGRLayer* l = ds->GetLayerByName("c_punten");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->GetGeomType(), wkbPoint);
  EXPECT_EQ(l->GetFeatureCount(FALSE), std::int64_t(kN));
  double minx = INFINITY, maxx = -INFINITY, miny = INFINITY, maxy = -INFINITY;
  for (const auto& p : points) {
    minx = std::min(minx, p.x);
    maxx = std::max(maxx, p.x);
    miny = std::min(miny, p.y);
    maxy = std::max(maxy, p.y);
  }
  OGREnvelope e;
  ASSERT_EQ(l->GetExtent(&e, FALSE), OGRERR_NONE);  // from gpkg_contents
  // GDAL reads gpkg_contents' extent back as text (15 significant digits).
  EXPECT_NEAR(e.MinX, minx, 1e-6);
  EXPECT_NEAR(e.MaxX, maxx, 1e-6);
  EXPECT_NEAR(e.MinY, miny, 1e-6);
  EXPECT_NEAR(e.MaxY, maxy, 1e-6);
  std::mt19937 rng(99);
  std::uniform_real_distribution<double> x(119000, 131000), y(479000, 491000), w(10, 3000);
  for (int q = 0; q < 40; ++q) {
    const double x0 = x(rng), y0 = y(rng), x1 = x0 + w(rng), y1 = y0 + w(rng);
    std::set<GIntBig> expected;  // fid i+1 is point i
    for (std::size_t i = 0; i < points.size(); ++i)
      if (points[i].x >= x0 && points[i].x <= x1 && points[i].y >= y0 && points[i].y <= y1)
        expected.insert(GIntBig(i + 1));
    l->SetSpatialFilterRect(x0, y0, x1, y1);
    std::set<GIntBig> got;
    l->ResetReading();
    for (geo::FeaturePtr f(l->GetNextFeature()); f; f.reset(l->GetNextFeature()))
      got.insert(f->GetFID());
    EXPECT_EQ(got, expected) << "query " << q;
    // The index alone (what GDAL's filter starts from) holds a superset, no more than the
    // float32 rounding adds.
    const auto candidates = sqliteRows(
        path, "SELECT COUNT(*) FROM rtree_c_punten_geom WHERE maxx >= " + std::to_string(x0) +
                  " AND minx <= " + std::to_string(x1) + " AND maxy >= " + std::to_string(y0) +
                  " AND miny <= " + std::to_string(y1));
    EXPECT_GE(std::stoul(candidates[0][0]), expected.size());
    EXPECT_LE(std::stoul(candidates[0][0]), expected.size() + 8);
  }
  l->SetSpatialFilter(nullptr);
}

TEST(OwnSqlResultWriter, LaterEditsThroughGdalKeepTheIndexAndCountCurrent) {
  TempDir dir;
  const std::string path = dir.file("s.gpkg");
  {
    auto store = Store::create(path);
    ResultLayer layer;
    PointColumns columns;
    pointColumnsResult(500, 8, layer, columns);
    std::vector<ResultLayer> set;
    set.push_back(std::move(layer));
    std::vector<PointColumns> cols;
    cols.push_back(std::move(columns));
    writeResultSet(*store, std::move(set), std::move(cols), {});
  }
  {
    auto ds = geo::openDataset(path, GDAL_OF_VECTOR | GDAL_OF_UPDATE);
    OGRLayer* l = ds->GetLayerByName("c_punten");
    ASSERT_NE(l, nullptr);
    geo::FeaturePtr f(OGRFeature::CreateFeature(l->GetLayerDefn()));
    f->SetField("bron_fid", GIntBig{99999});
    f->SetGeometryDirectly(new OGRPoint(200000, 600000));
    ASSERT_EQ(l->CreateFeature(f.get()), OGRERR_NONE);
    ASSERT_EQ(l->DeleteFeature(3), OGRERR_NONE);
  }
  EXPECT_EQ(integrityOf(path), "ok");
  EXPECT_EQ(one(path, "SELECT rtreecheck('rtree_c_punten_geom')"), "ok");
  EXPECT_EQ(one(path, "SELECT COUNT(*) FROM rtree_c_punten_geom"), "500");
  EXPECT_EQ(one(path, "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'c_punten'"),
            "500");
  EXPECT_EQ(one(path, "SELECT COUNT(*) FROM rtree_c_punten_geom WHERE id = 3"), "0");
  EXPECT_EQ(one(path,
                "SELECT COUNT(*) FROM rtree_c_punten_geom WHERE minx <= 200000 AND "
                "maxx >= 200000 AND miny <= 600000 AND maxy >= 600000"),
            "1");
}

TEST(OwnSqlResultWriter, CancelWhileWritingRowsKeepsTheOldResult) {
  TempDir dir;
  const std::string path = dir.file("s.gpkg");
  auto store = Store::create(path);
  writeResultSet(*store, mixedSet(4));
  ResultLayer layer;
  PointColumns columns;
  pointColumnsResult(50000, 2, layer, columns);
  layer.name = columns.layer = "r_punten";
  std::vector<ResultLayer> set;
  set.push_back(std::move(layer));
  std::vector<PointColumns> cols;
  cols.push_back(std::move(columns));
  CancelAfter cancel(0.3);  // a third of the way through the rows
  EXPECT_THROW(writeResultSet(*store, std::move(set), std::move(cols), {}, cancel),
               geo::CancelledError);
  EXPECT_EQ(readResultLayer(*store, "r_punten").records.size(), 4u);
  EXPECT_EQ(store->query("SELECT COUNT(*) FROM rtree_r_punten_geom")[0][0], "4");
  store.reset();
  EXPECT_EQ(integrityOf(path), "ok");
}
