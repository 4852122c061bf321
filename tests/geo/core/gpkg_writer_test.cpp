// GpkgWriter: what it writes is read back by GDAL (fields, types, values, geometries, extent,
// feature count, spatial filter = brute force), passes SQLite's integrity_check / rtreecheck and
// GDAL's validate_gpkg.py, writes point blobs byte-identical to GDAL's, and leaves nothing
// behind on cancel, error or abandon.
#include "geo/core/gpkg_writer.h"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include "geo/core/error.h"
#include "geo/core/gdal.h"
#include "tests/geo/expect_error.h"

using namespace veldwacht::geo;
namespace fs = std::filesystem;

namespace {

fs::path tempDir() {
  return fs::temp_directory_path() / ("veldwacht_gpkg_writer_test_" + std::to_string(::getpid()));
}

class TempDirCleanup : public ::testing::Environment {
 public:
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(tempDir(), ec);
  }
};
[[maybe_unused]] ::testing::Environment* const kCleanup =
    ::testing::AddGlobalTestEnvironment(new TempDirCleanup);

std::string tempPath(const std::string& name) {
  fs::create_directories(tempDir());
  const fs::path p = tempDir() / (name + ".gpkg");
  fs::remove(p);
  return p.string();
}

/// A plain SQLite connection for checks.
struct Db {
  explicit Db(const std::string& path) {
    EXPECT_EQ(
        sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr),
        SQLITE_OK);
  }
  ~Db() { sqlite3_close(db); }
  std::string text(const std::string& sql) const {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    std::string out;
    if (st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
  }
  double real(const std::string& sql) const {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    double out = std::nan("");
    if (st && sqlite3_step(st) == SQLITE_ROW) out = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    return out;
  }
  std::vector<std::uint8_t> blob(const std::string& sql) const {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    std::vector<std::uint8_t> out;
    if (st && sqlite3_step(st) == SQLITE_ROW) {
      const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(st, 0));
      out.assign(p, p + sqlite3_column_bytes(st, 0));
    }
    sqlite3_finalize(st);
    return out;
  }
  sqlite3* db = nullptr;
};

/// The rows a test writes: a point (or NaN for an empty one) and its attributes.
struct PointRow {
  double x, y;
  std::int64_t id;
  std::int64_t big;
  double value;  // NaN = NULL
  std::string name;
  bool flag;
};

std::vector<PointRow> seededPoints(int n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> x(100000.0, 200000.0), y(400000.0, 500000.0);
  std::uniform_int_distribution<std::int64_t> big(-(std::int64_t(1) << 50), std::int64_t(1) << 50);
  std::vector<PointRow> rows;
  for (int i = 0; i < n; ++i) {
    PointRow r{x(rng),    y(rng),       i,
               big(rng),  x(rng) / 7.0, std::string("p").append(std::to_string(i)),
               i % 3 == 0};
    if (i % 101 == 50) r.x = r.y = std::nan("");  // empty point
    if (i % 37 == 5) r.value = std::nan("");      // NULL value
    rows.push_back(r);
  }
  return rows;
}

GpkgLayerOptions pointOptions(const std::string& table) {
  GpkgLayerOptions o;
  o.table = table;
  o.fields = {{"id", GpkgFieldType::Int32},     {"big", GpkgFieldType::Int64},
              {"value", GpkgFieldType::Real},   {"name", GpkgFieldType::Text},
              {"flag", GpkgFieldType::Boolean}, {"at", GpkgFieldType::DateTime}};
  return o;
}

std::vector<GpkgValue> values(const PointRow& r) {
  return {r.id,
          r.big,
          std::isnan(r.value) ? GpkgValue{} : GpkgValue{r.value},
          r.name,
          std::int64_t(r.flag),
          std::string("2024-03-0") + char('1' + r.id % 9) + "T12:30:00.000Z"};
}

GpkgWriteResult writePoints(const std::string& path, const std::string& table,
                            const std::vector<PointRow>& rows, Progress& progress = nullProgress(),
                            bool index = true) {
  GpkgLayerOptions o = pointOptions(table);
  o.spatialIndex = index;
  o.expectedRows = std::int64_t(rows.size());
  GpkgWriter w(path, o, progress);
  for (const PointRow& r : rows) {
    const auto v = values(r);
    w.addPoint(r.x, r.y, v);
  }
  return w.commit();
}

bool validatorAvailable() {
  return fs::exists("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py") &&
         fs::exists("/usr/bin/python3");
}

int runValidator(const std::string& path) {
  const std::string cmd =
      "/usr/bin/python3 /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py " +
      path + " >/dev/null 2>&1";
  return std::system(cmd.c_str());
}

/// Cancels once isCancelled() has been asked `after` times.
class CancelAfter final : public Progress {
 public:
  explicit CancelAfter(int after) : after_(after) {}
  void setFraction(double f) override { last = f; }
  bool isCancelled() const override { return ++asked_ > after_; }
  double last = -1;

 private:
  int after_;
  mutable int asked_ = 0;
};

class RecordingProgress final : public Progress {
 public:
  void setFraction(double f) override { fractions.push_back(f); }
  bool isCancelled() const override { return false; }
  std::vector<double> fractions;
};

}  // namespace

TEST(GpkgWriter, GdalReadsBackFieldsTypesValuesAndGeometries) {
  const std::string path = tempPath("points");
  const auto rows = seededPoints(3000, 7);
  const GpkgWriteResult res = writePoints(path, "punten", rows);
  EXPECT_TRUE(res.createdFile);
  EXPECT_EQ(res.rows, 3000);
  EXPECT_EQ(res.emptyGeometries, 30);  // i % 101 == 50 for i < 3000
  EXPECT_EQ(res.index.indexed, 3000 - 30);

  DatasetPtr ds = openDataset(path);
  ASSERT_EQ(ds->GetLayerCount(), 1);
  OGRLayer* layer = ds->GetLayerByName("punten");
  ASSERT_NE(layer, nullptr);
  EXPECT_EQ(layer->GetFeatureCount(false), 3000);  // from gpkg_ogr_contents, not a scan
  EXPECT_EQ(layer->GetGeomType(), wkbPoint);
  EXPECT_STREQ(layer->GetFIDColumn(), "fid");
  EXPECT_STREQ(layer->GetGeometryColumn(), "geom");
  ASSERT_NE(layer->GetSpatialRef(), nullptr);
  EXPECT_STREQ(layer->GetSpatialRef()->GetAuthorityCode(nullptr), "28992");
  OGRFeatureDefn* defn = layer->GetLayerDefn();
  ASSERT_EQ(defn->GetFieldCount(), 6);
  EXPECT_EQ(defn->GetFieldDefn(0)->GetType(), OFTInteger);
  EXPECT_EQ(defn->GetFieldDefn(1)->GetType(), OFTInteger64);
  EXPECT_EQ(defn->GetFieldDefn(2)->GetType(), OFTReal);
  EXPECT_EQ(defn->GetFieldDefn(3)->GetType(), OFTString);
  EXPECT_EQ(defn->GetFieldDefn(4)->GetType(), OFTInteger);
  EXPECT_EQ(defn->GetFieldDefn(4)->GetSubType(), OFSTBoolean);
  EXPECT_EQ(defn->GetFieldDefn(5)->GetType(), OFTDateTime);

  double minx = 1e300, maxx = -1e300, miny = 1e300, maxy = -1e300;
  int seen = 0;
  for (auto& f : *layer) {
    const PointRow& r = rows.at(std::size_t(f->GetFID() - 1));
    ++seen;
    EXPECT_EQ(f->GetFieldAsInteger(0), r.id);
    EXPECT_EQ(f->GetFieldAsInteger64(1), r.big);
    if (std::isnan(r.value)) {
      EXPECT_TRUE(f->IsFieldNull(2));
    } else {
      EXPECT_EQ(f->GetFieldAsDouble(2), r.value);
    }
    EXPECT_EQ(f->GetFieldAsString(3), r.name);
    EXPECT_EQ(f->GetFieldAsInteger(4), r.flag ? 1 : 0);
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, tz = 0;
    float second = 0;
    ASSERT_TRUE(f->GetFieldAsDateTime(5, &year, &month, &day, &hour, &minute, &second, &tz));
    EXPECT_EQ(year, 2024);
    EXPECT_EQ(day, 1 + int(r.id % 9));
    EXPECT_EQ(hour, 12);
    const OGRGeometry* g = f->GetGeometryRef();
    ASSERT_NE(g, nullptr);
    if (std::isnan(r.x)) {
      EXPECT_TRUE(g->IsEmpty());
      continue;
    }
    ASSERT_EQ(wkbFlatten(g->getGeometryType()), wkbPoint);
    EXPECT_EQ(g->toPoint()->getX(), r.x);
    EXPECT_EQ(g->toPoint()->getY(), r.y);
    minx = std::min(minx, r.x);
    maxx = std::max(maxx, r.x);
    miny = std::min(miny, r.y);
    maxy = std::max(maxy, r.y);
  }
  EXPECT_EQ(seen, 3000);
  OGREnvelope env;
  // GDAL may answer from the float32 R-tree: equal within float32 rounding at 5e5 (1/16 m)
  ASSERT_EQ(layer->GetExtent(&env, FALSE), OGRERR_NONE);
  EXPECT_NEAR(env.MinX, minx, 0.07);
  EXPECT_NEAR(env.MaxX, maxx, 0.07);
  EXPECT_NEAR(env.MinY, miny, 0.07);
  EXPECT_NEAR(env.MaxY, maxy, 0.07);
  // gpkg_contents holds the exact extent
  {
    Db db(path);
    EXPECT_EQ(db.real("SELECT min_x FROM gpkg_contents"), minx);
    EXPECT_EQ(db.real("SELECT max_x FROM gpkg_contents"), maxx);
    EXPECT_EQ(db.real("SELECT min_y FROM gpkg_contents"), miny);
    EXPECT_EQ(db.real("SELECT max_y FROM gpkg_contents"), maxy);
  }
  EXPECT_EQ(res.minX, minx);
  EXPECT_EQ(res.maxY, maxy);
}

TEST(GpkgWriter, GdalSpatialFilterThroughTheIndexEqualsBruteForce) {
  const std::string path = tempPath("filter");
  const auto rows = seededPoints(5000, 11);
  writePoints(path, "punten", rows);
  DatasetPtr ds = openDataset(path);
  OGRLayer* layer = ds->GetLayerByName("punten");
  ASSERT_NE(layer, nullptr);
  std::mt19937_64 rng(12);
  std::uniform_real_distribution<double> x(90000.0, 200000.0), y(390000.0, 500000.0);
  std::uniform_real_distribution<double> size(100.0, 20000.0);
  std::size_t nonEmpty = 0;
  for (int q = 0; q < 40; ++q) {
    const double x0 = x(rng), y0 = y(rng), w = size(rng), h = size(rng);
    std::set<std::int64_t> expected;
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (rows[i].x >= x0 && rows[i].x <= x0 + w && rows[i].y >= y0 && rows[i].y <= y0 + h)
        expected.insert(std::int64_t(i) + 1);
    layer->SetSpatialFilterRect(x0, y0, x0 + w, y0 + h);
    std::set<std::int64_t> got;
    for (auto& f : *layer) got.insert(f->GetFID());
    EXPECT_EQ(got, expected) << "window " << q;
    nonEmpty += !expected.empty();
  }
  EXPECT_GE(nonEmpty, 20u);  // the windows actually select something
  // GDAL uses the R-tree for the filter (it would scan otherwise): the index is there and valid.
  Db db(path);
  EXPECT_EQ(db.text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(db.text("SELECT rtreecheck('rtree_punten_geom')"), "ok");
  EXPECT_EQ(db.text("SELECT count(*) FROM rtree_punten_geom"), std::to_string(5000 - 50));
  EXPECT_EQ(db.text("SELECT count(*) FROM pragma_foreign_key_check"), "0");
  EXPECT_EQ(db.text("SELECT extension_name FROM gpkg_extensions WHERE table_name='punten'"),
            "gpkg_rtree_index");
}

TEST(GpkgWriter, PointBlobsAreByteIdenticalToGdals) {
  const std::string ours = tempPath("ours_blob"), gdal = tempPath("gdal_blob");
  const auto rows = seededPoints(300, 3);
  writePoints(ours, "t", rows);
  {
    ensureGdalRegistered();
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
    DatasetPtr ds(drv->Create(gdal.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    ASSERT_TRUE(ds);
    OGRSpatialReference srs;
    srs.importFromEPSG(28992);
    OGRLayer* layer = ds->CreateLayer("t", &srs, wkbPoint, nullptr);
    for (const PointRow& r : rows) {
      FeaturePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
      OGRPoint p;
      if (!std::isnan(r.x)) p = OGRPoint(r.x, r.y);
      f->SetGeometry(&p);
      ASSERT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
    }
  }
  Db a(ours), b(gdal);
  for (int fid : {1, 2, 51, 152, 300}) {  // 51 and 152: empty points
    const std::string sql = "SELECT geom FROM t WHERE fid = " + std::to_string(fid);
    EXPECT_EQ(a.blob(sql), b.blob(sql)) << "fid " << fid;
  }
  // and the srs definitions agree
  EXPECT_EQ(a.text("SELECT definition FROM gpkg_spatial_ref_sys WHERE srs_id = 28992"),
            b.text("SELECT definition FROM gpkg_spatial_ref_sys WHERE srs_id = 28992"));
}

TEST(GpkgWriter, PolygonsFromWkbIntoAnExistingGeoPackageKeepItsOtherLayer) {
  const std::string path = tempPath("polygons");
  const auto rows = seededPoints(200, 5);
  writePoints(path, "punten", rows);

  GpkgLayerOptions o;
  o.table = "vlakken";
  o.geometryType = GpkgGeometryType::MultiPolygon;
  o.fields = {{"n", GpkgFieldType::Int32}};
  std::vector<std::string> wkts;
  {
    GpkgWriter w(path, o);
    for (int i = 0; i < 50; ++i) {
      const double x = 150000 + 100 * i, y = 450000 + 10 * i;
      const std::string wkt = "MULTIPOLYGON (((" + std::to_string(x) + " " + std::to_string(y) +
                              ", " + std::to_string(x + 50) + " " + std::to_string(y) + ", " +
                              std::to_string(x + 50) + " " + std::to_string(y + 20 + i) + ", " +
                              std::to_string(x) + " " + std::to_string(y) + ")))";
      OGRGeometry* raw = nullptr;
      ASSERT_EQ(OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &raw), OGRERR_NONE);
      GeometryPtr g(raw);
      const GpkgValue n = std::int64_t(i);
      if (i % 3 == 0) {
        w.addGeometry(g.get(), std::span(&n, 1), 1000 + i);  // through OGR's ISO export
      } else {
        std::vector<std::uint8_t> wkb(g->WkbSize());
        // big endian on purpose: the writer parses either byte order
        g->exportToWkb(i % 2 ? wkbXDR : wkbNDR, wkb.data(), wkbVariantIso);
        w.addWkb(wkb, std::span(&n, 1), 1000 + i);  // explicit fids
      }
      wkts.push_back(wkt);
    }
    const GpkgValue none{};
    w.addWkb({}, std::span(&none, 1));  // NULL geometry
    const GpkgWriteResult r = w.commit();
    EXPECT_FALSE(r.createdFile);
    EXPECT_EQ(r.rows, 51);
    EXPECT_EQ(r.emptyGeometries, 1);
    EXPECT_EQ(r.minX, 150000);
    EXPECT_EQ(r.maxX, 150000 + 100 * 49 + 50);
    EXPECT_EQ(r.maxY, 450000 + 10 * 49 + 20 + 49);
  }
  DatasetPtr ds = openDataset(path);
  ASSERT_EQ(ds->GetLayerCount(), 2);
  EXPECT_EQ(ds->GetLayerByName("punten")->GetFeatureCount(), 200);
  OGRLayer* layer = ds->GetLayerByName("vlakken");
  ASSERT_NE(layer, nullptr);
  EXPECT_EQ(layer->GetGeomType(), wkbMultiPolygon);
  EXPECT_EQ(layer->GetFeatureCount(), 51);
  for (auto& f : *layer) {
    if (f->GetFID() == 1050) {  // the next fid after the explicit ones
      EXPECT_EQ(f->GetGeometryRef(), nullptr);
      EXPECT_TRUE(f->IsFieldNull(0));
      continue;
    }
    const int i = f->GetFieldAsInteger(0);
    EXPECT_EQ(f->GetFID(), 1000 + i);
    OGRGeometry* raw = nullptr;
    OGRGeometryFactory::createFromWkt(wkts.at(std::size_t(i)).c_str(), nullptr, &raw);
    GeometryPtr expected(raw);
    EXPECT_TRUE(f->GetGeometryRef()->Equals(expected.get())) << i;
  }
  // spatial filter: only polygon 10 lies around x = 151025
  layer->SetSpatialFilterRect(151020, 450000, 151030, 451000);
  std::vector<int> hits;
  for (auto& f : *layer) hits.push_back(f->GetFieldAsInteger(0));
  EXPECT_EQ(hits, std::vector<int>{10});
  Db db(path);
  EXPECT_EQ(db.text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(db.text("SELECT rtreecheck('rtree_vlakken_geom')"), "ok");
  EXPECT_EQ(db.text("SELECT rtreecheck('rtree_punten_geom')"), "ok");
}

TEST(GpkgWriter, GdalGeoPackageValidatorAccepts) {
  if (!validatorAvailable()) GTEST_SKIP() << "no validate_gpkg.py";
  const std::string path = tempPath("validate");
  auto rows = seededPoints(1000, 9);
  for (PointRow& r : rows)
    if (std::isnan(r.x)) r.x = r.y = 0;  // the validator checks only non-empty content here
  writePoints(path, "punten", rows);
  EXPECT_EQ(runValidator(path), 0);
  // control: the validator notices a broken table (no gpkg_geometry_columns row)
  Db(path).text("DELETE FROM gpkg_geometry_columns");
  EXPECT_NE(runValidator(path), 0);
}

TEST(GpkgWriter, CancelWhileAddingRemovesTheFileItCreated) {
  const std::string path = tempPath("cancel_new");
  CancelAfter cancel(1);  // the second check (row 8192) cancels
  EXPECT_THROW_WITH(writePoints(path, "t", seededPoints(20000, 1), cancel), CancelledError,
                    "cancelled");
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + "-journal"));
}

TEST(GpkgWriter, CancelDuringCommitLeavesAnExistingFileAsItWas) {
  const std::string path = tempPath("cancel_existing");
  writePoints(path, "eerst", seededPoints(100, 2));
  // 20000 rows check 4 times while adding; the 5th check (start of commit) cancels.
  CancelAfter cancel(4);
  EXPECT_THROW_WITH(writePoints(path, "daarna", seededPoints(20000, 3), cancel), CancelledError,
                    "cancelled");
  ASSERT_TRUE(fs::exists(path));
  DatasetPtr ds = openDataset(path);
  EXPECT_EQ(ds->GetLayerCount(), 1);
  EXPECT_EQ(ds->GetLayerByName("eerst")->GetFeatureCount(), 100);
  Db db(path);
  EXPECT_EQ(db.text("SELECT count(*) FROM sqlite_master WHERE name LIKE '%daarna%'"), "0");
  EXPECT_EQ(db.text("SELECT count(*) FROM gpkg_contents"), "1");
  EXPECT_EQ(db.text("PRAGMA integrity_check"), "ok");
}

TEST(GpkgWriter, AbandonedWriterRollsBack) {
  const std::string path = tempPath("abandon");
  {
    GpkgWriter w(path, pointOptions("t"));
    const auto v = values(seededPoints(1, 1)[0]);
    w.addPoint(1, 2, v);
    EXPECT_TRUE(fs::exists(path));
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST(GpkgWriter, ExistingTableIsRefusedUnlessReplaced) {
  const std::string path = tempPath("replace");
  writePoints(path, "t", seededPoints(500, 1));
  try {
    writePoints(path, "T", seededPoints(10, 2));  // table names are case-insensitive
    FAIL() << "no error for an existing table";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'T' exists already"), std::string::npos) << e.what();
  }
  EXPECT_EQ(openDataset(path)->GetLayerByName("t")->GetFeatureCount(), 500);
  GpkgLayerOptions o = pointOptions("t");
  o.replace = true;
  {
    GpkgWriter w(path, o);
    const auto v = values(seededPoints(1, 1)[0]);
    w.addPoint(155000, 463000, v);
    w.addPoint(155010, 463000, v);
    w.commit();
  }
  DatasetPtr ds = openDataset(path);
  ASSERT_EQ(ds->GetLayerCount(), 1);
  EXPECT_EQ(ds->GetLayerByName("t")->GetFeatureCount(), 2);
  Db db(path);
  EXPECT_EQ(db.text("SELECT count(*) FROM rtree_t_geom"), "2");
  EXPECT_EQ(db.text("SELECT rtreecheck('rtree_t_geom')"), "ok");
  EXPECT_EQ(db.text("SELECT count(*) FROM gpkg_extensions WHERE table_name = 't'"), "1");
}

TEST(GpkgWriter, BadInputSaysWhereAndWhat) {
  const std::string path = tempPath("bad");
  GpkgWriter w(path, pointOptions("t"));
  auto v = values(seededPoints(1, 1)[0]);
  w.addPoint(1, 2, v);
  v[0] = std::string("twaalf");  // text into the Int32 field "id"
  try {
    w.addPoint(1, 2, v);
    FAIL() << "no error for a text value in an integer field";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().row, 2);
    EXPECT_EQ(e.where().field, "id");
    EXPECT_NE(std::string(e.what()).find("expected MEDIUMINT"), std::string::npos) << e.what();
  }
  v[0] = std::int64_t(1) << 40;  // does not fit 32 bits
  EXPECT_THROW_WITH(w.addPoint(1, 2, v), InputError,
                    "row 2, field 'id': expected a 32-bit integer");
  v.pop_back();
  try {
    w.addPoint(1, 2, v);
    FAIL() << "no error for a missing value";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("5 values for 6 fields"), std::string::npos) << e.what();
  }
  const std::vector<std::uint8_t> truncated{1, 3, 0, 0, 0,
                                            1, 0, 0, 0};  // polygon, 1 ring, no count
  v.emplace_back();
  v[0] = std::int64_t(3);
  try {
    w.addWkb(truncated, v);
    FAIL() << "no error for truncated WKB";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "geom");
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
}

TEST(GpkgWriter, RefusesFilesThatAreNotGeoPackagesAndBadOptions) {
  const std::string path = tempPath("plain_sqlite");
  Db(path).text("CREATE TABLE x (a INTEGER)");
  try {
    GpkgWriter w(path, pointOptions("t"));
    FAIL() << "no error for a plain SQLite file";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("not a GeoPackage"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::exists(path));  // not ours to remove
  EXPECT_EQ(Db(path).text("SELECT count(*) FROM sqlite_master"), "1");

  GpkgLayerOptions o = pointOptions("gpkg_t");
  try {
    o.validate();
    FAIL() << "reserved prefix accepted";
  } catch (const OptionError& e) {
    EXPECT_EQ(e.option(), "table");
  }
  o = pointOptions("t");
  o.fields.push_back({"FID", GpkgFieldType::Int32});
  try {
    o.validate();
    FAIL() << "duplicate field accepted";
  } catch (const OptionError& e) {
    EXPECT_NE(std::string(e.what()).find("'FID' is used twice"), std::string::npos) << e.what();
  }
  o = pointOptions("t");
  o.epsg = 999999;
  try {
    GpkgWriter w(tempPath("bad_epsg"), o);
    FAIL() << "unknown EPSG code accepted";
  } catch (const OptionError& e) {
    EXPECT_EQ(e.option(), "epsg");
  }
  EXPECT_FALSE(fs::exists(tempDir() / "bad_epsg.gpkg"));
}

// Rows go into SQLite in batches of up to 256 per INSERT: rows across several batches and a
// partial last batch, given and automatic fids mixed, NULL geometries, polygons and text come
// back row for row under the fid they were given (the next after the largest so far when none
// was), and the R-tree holds exactly the rows with a geometry under those fids.
TEST(GpkgWriter, BatchedRowsKeepTheirFidsValuesAndIndexEntries) {
  const std::string path = tempPath("batches");
  GpkgLayerOptions o;
  o.table = "t";
  o.geometryType = GpkgGeometryType::Geometry;
  o.fields = {{"i", GpkgFieldType::Int64}, {"s", GpkgFieldType::Text}};
  const int n = 1000;  // 3 full batches of 256 and 232 rows left for commit()
  std::map<std::int64_t, int> rowOfFid;
  std::int64_t largest = 0;
  std::set<std::int64_t> indexed;
  {
    GpkgWriter w(path, o);
    for (int i = 0; i < n; ++i) {
      const std::vector<GpkgValue> v{std::int64_t(i), "rij " + std::to_string(i)};
      std::int64_t fid = 0;                  // automatic
      if (i % 7 == 3) fid = 100000 + 3 * i;  // given (and larger than every earlier fid)
      const std::int64_t expected = fid > 0 ? fid : largest + 1;
      largest = std::max(largest, expected);
      rowOfFid[expected] = i;
      if (i % 11 == 4) {
        w.addWkb({}, v, fid);  // NULL geometry
      } else if (i % 5 == 0) {
        OGRPolygon poly;
        OGRLinearRing ring;
        ring.addPoint(i, 0);
        ring.addPoint(i + 1, 0);
        ring.addPoint(i + 1, 1);
        ring.addPoint(i, 0);
        poly.addRing(&ring);
        w.addGeometry(&poly, v, fid);
        indexed.insert(expected);
      } else {
        w.addPoint(i, -i, v, fid);
        indexed.insert(expected);
      }
    }
    const GpkgWriteResult r = w.commit();
    EXPECT_EQ(r.rows, n);
    EXPECT_EQ(r.index.indexed, std::int64_t(indexed.size()));
  }
  Db db(path);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db.db, "SELECT fid, i, s, geom IS NULL FROM t", -1, &st, nullptr),
            SQLITE_OK);
  int seen = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const std::int64_t fid = sqlite3_column_int64(st, 0);
    ASSERT_TRUE(rowOfFid.count(fid)) << "unexpected fid " << fid;
    const int i = rowOfFid[fid];
    EXPECT_EQ(sqlite3_column_int64(st, 1), i) << "fid " << fid;
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 2))),
              "rij " + std::to_string(i));
    EXPECT_EQ(sqlite3_column_int(st, 3), i % 11 == 4 ? 1 : 0) << "row " << i;
    ++seen;
  }
  sqlite3_finalize(st);
  EXPECT_EQ(seen, n);
  std::set<std::int64_t> inRtree;
  ASSERT_EQ(sqlite3_prepare_v2(db.db, "SELECT id FROM rtree_t_geom", -1, &st, nullptr), SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) inRtree.insert(sqlite3_column_int64(st, 0));
  sqlite3_finalize(st);
  EXPECT_EQ(inRtree, indexed);
  EXPECT_EQ(db.text("SELECT rtreecheck('rtree_t_geom')"), "ok");
  // GDAL reads the same rows and its feature count agrees.
  DatasetPtr ds = openDataset(path);
  EXPECT_EQ(ds->GetLayerByName("t")->GetFeatureCount(false), n);
}

// A fid given twice fails the insert of its batch, with the rows it covers in the message, and
// nothing is left behind.
TEST(GpkgWriter, DuplicateFidFailsNamingTheRows) {
  const std::string path = tempPath("duplicate_fid");
  GpkgLayerOptions o;
  o.table = "t";
  o.fields = {{"i", GpkgFieldType::Int64}};
  try {
    GpkgWriter w(path, o);
    for (int i = 0; i < 600; ++i) {
      const std::vector<GpkgValue> v{std::int64_t(i)};
      w.addPoint(i, i, v, i == 300 ? 5 : 0);  // fid 5 went to the fifth row already
    }
    w.commit();
    FAIL() << "a duplicate fid was accepted";
  } catch (const LibraryError& e) {
    EXPECT_NE(std::string(e.what()).find("insert rows 257-512"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("UNIQUE"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST(GpkgWriter, ProgressRunsForwardToOne) {
  RecordingProgress progress;
  writePoints(tempPath("progress"), "t", seededPoints(20000, 4), progress);
  ASSERT_FALSE(progress.fractions.empty());
  for (std::size_t i = 1; i < progress.fractions.size(); ++i)
    EXPECT_GE(progress.fractions[i], progress.fractions[i - 1]) << i;
  EXPECT_EQ(progress.fractions.back(), 1.0);
}

TEST(WkbEnvelope, MatchesOgrOnEveryGeometryKindAndByteOrder) {
  const char* wkts[] = {
      "POINT (1 2)",
      "POINT Z (1 2 3)",
      "POINT ZM (1 2 3 4)",
      "LINESTRING (0 0, 5 -3, 2 8)",
      "LINESTRING M (0 0 9, 5 -3 9)",
      "POLYGON ((0 0, 10 0, 10 10, 0 0), (1 1, 2 1, 2 2, 1 1))",
      "MULTIPOINT ((3 4), (-1 7))",
      "MULTILINESTRING ((0 0, 1 1), (5 5, 6 -6))",
      "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((10 10, 12 10, 12 13, 10 10)))",
      "GEOMETRYCOLLECTION (POINT (-5 -5), LINESTRING (0 0, 3 3), POLYGON ((7 7, 8 7, 8 9, 7 7)))",
  };
  for (const char* wkt : wkts) {
    OGRGeometry* raw = nullptr;
    ASSERT_EQ(OGRGeometryFactory::createFromWkt(wkt, nullptr, &raw), OGRERR_NONE) << wkt;
    GeometryPtr g(raw);
    OGREnvelope e;
    g->getEnvelope(&e);
    for (OGRwkbByteOrder order : {wkbNDR, wkbXDR}) {
      std::vector<std::uint8_t> wkb(g->WkbSize());
      g->exportToWkb(order, wkb.data(), wkbVariantIso);
      double minx, maxx, miny, maxy;
      ASSERT_TRUE(wkbEnvelope(wkb, minx, maxx, miny, maxy)) << wkt;
      EXPECT_EQ(minx, e.MinX) << wkt;
      EXPECT_EQ(maxx, e.MaxX) << wkt;
      EXPECT_EQ(miny, e.MinY) << wkt;
      EXPECT_EQ(maxy, e.MaxY) << wkt;
    }
  }
  for (const char* empty : {"POINT EMPTY", "LINESTRING EMPTY", "MULTIPOLYGON EMPTY"}) {
    OGRGeometry* raw = nullptr;
    ASSERT_EQ(OGRGeometryFactory::createFromWkt(empty, nullptr, &raw), OGRERR_NONE);
    GeometryPtr g(raw);
    std::vector<std::uint8_t> wkb(g->WkbSize());
    g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    double a, b, c, d;
    EXPECT_FALSE(wkbEnvelope(wkb, a, b, c, d)) << empty;
  }
  const std::vector<std::uint8_t> unknown{1, 99, 0, 0, 0};
  double a, b, c, d;
  try {
    wkbEnvelope(unknown, a, b, c, d);
    FAIL() << "unknown type accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("geometry type 99"), std::string::npos) << e.what();
  }
}

// ---- readGpkgPoints: the SQLite reader against GDAL's feature API on the same file ----------

namespace {

/// What GDAL's feature API gives for the same columns: fid -> (x, y, values as GpkgValue).
struct OgrRow {
  double x, y;
  std::vector<GpkgValue> values;
};

std::map<std::int64_t, OgrRow> readWithOgr(const std::string& path, const std::string& table,
                                           const std::vector<GpkgField>& fields,
                                           std::set<std::int64_t>& withoutPoint) {
  DatasetPtr ds = openDataset(path);
  OGRLayer* layer = ds->GetLayerByName(table.c_str());
  EXPECT_NE(layer, nullptr);
  std::map<std::int64_t, OgrRow> out;
  if (!layer) return out;
  for (FeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
    const OGRGeometry* g = f->GetGeometryRef();
    const OGRPoint* p = nullptr;
    if (g && wkbFlatten(g->getGeometryType()) == wkbPoint) p = g->toPoint();
    if (g && wkbFlatten(g->getGeometryType()) == wkbMultiPoint &&
        g->toMultiPoint()->getNumGeometries() > 0)
      p = g->toMultiPoint()->getGeometryRef(0);
    if (!p || p->IsEmpty()) {
      withoutPoint.insert(f->GetFID());
      continue;
    }
    OgrRow r{p->getX(), p->getY(), {}};
    for (const GpkgField& field : fields) {
      const int i = f->GetFieldIndex(field.name.c_str());
      if (!f->IsFieldSetAndNotNull(i)) {
        r.values.emplace_back();
      } else if (field.type == GpkgFieldType::Real) {
        r.values.emplace_back(f->GetFieldAsDouble(i));
      } else if (field.type == GpkgFieldType::Text) {
        r.values.emplace_back(std::string(f->GetFieldAsString(i)));
      } else {
        r.values.emplace_back(std::int64_t(f->GetFieldAsInteger64(i)));
      }
    }
    out[f->GetFID()] = std::move(r);
  }
  return out;
}

}  // namespace

TEST(GpkgPointReader, ReadsWhatGdalReadsIncludingNullsEmptiesAndMultipoints) {
  const std::string path = tempPath("reader");
  const auto rows = seededPoints(3000, 11);
  writePoints(path, "punten", rows);
  {
    // A second layer with multipoints (first part counts), a line and NULL geometries: in a
    // GeoPackage one table may hold any of them.
    GpkgLayerOptions o;
    o.table = "gemengd";
    o.geometryType = GpkgGeometryType::Geometry;
    o.fields = {{"id", GpkgFieldType::Int32}};
    GpkgWriter w(path, o);
    const auto add = [&](const char* wkt, std::int64_t id) {
      OGRGeometry* raw = nullptr;
      if (wkt) {
        ASSERT_EQ(OGRGeometryFactory::createFromWkt(wkt, nullptr, &raw), OGRERR_NONE);
      }
      GeometryPtr g(raw);
      const std::vector<GpkgValue> v{id};
      w.addGeometry(g.get(), v);
    };
    add("MULTIPOINT ((155000 463000),(155100 463100))", 1);
    add("MULTIPOINT EMPTY", 2);
    add("LINESTRING (0 0,1 1)", 3);
    add(nullptr, 4);
    add("POINT (155200 463200)", 5);
    add("POINT Z (155300 463300 7)", 6);
    w.commit();
  }
  for (const std::string& table : std::vector<std::string>{"punten", "gemengd"}) {
    SCOPED_TRACE(table);
    GpkgPointReadOptions o;
    o.table = table;
    o.fields = table == "punten" ? std::vector<GpkgField>{{"name", GpkgFieldType::Text},
                                                          {"value", GpkgFieldType::Real},
                                                          {"big", GpkgFieldType::Int64},
                                                          {"flag", GpkgFieldType::Boolean}}
                                 : std::vector<GpkgField>{{"id", GpkgFieldType::Int32}};
    const GpkgPoints got = readGpkgPoints(path, o);
    std::set<std::int64_t> ogrWithout;
    const auto want = readWithOgr(path, table, o.fields, ogrWithout);
    ASSERT_EQ(got.points.size(), want.size());
    ASSERT_EQ(got.fids.size(), want.size());
    EXPECT_EQ(std::set<std::int64_t>(got.withoutPoint.begin(), got.withoutPoint.end()), ogrWithout);
    std::int64_t previous = 0;
    for (std::size_t i = 0; i < got.points.size(); ++i) {
      EXPECT_GT(got.fids[i], previous) << "rowid order";
      previous = got.fids[i];
      const auto it = want.find(got.fids[i]);
      ASSERT_NE(it, want.end()) << got.fids[i];
      EXPECT_EQ(got.points[i].x, it->second.x);
      EXPECT_EQ(got.points[i].y, it->second.y);
      for (std::size_t c = 0; c < o.fields.size(); ++c)
        EXPECT_EQ(got.columns[c][i], it->second.values[c])
            << o.fields[c].name << " fid " << got.fids[i];
    }
  }
  // Known counts: 3000 rows, every 101st (from 50) an empty point; 3 rows of "gemengd" have no
  // point (empty multipoint, line, NULL).
  GpkgPointReadOptions o;
  o.table = "punten";
  o.fields = {{"at", GpkgFieldType::DateTime}, {"id", GpkgFieldType::Int32}};
  const GpkgPoints dated = readGpkgPoints(path, o);
  EXPECT_EQ(dated.points.size(), 3000u - 30u);
  for (std::size_t i = 0; i < dated.points.size(); ++i) {  // DateTime: the stored text
    const PointRow& r = rows[std::size_t(std::get<std::int64_t>(dated.columns[1][i]))];
    ASSERT_EQ(dated.fids[i], r.id + 1);
    EXPECT_EQ(dated.columns[0][i], values(r)[5]);
  }
  o.fields.clear();
  o.table = "gemengd";
  const GpkgPoints mixed = readGpkgPoints(path, o);
  ASSERT_EQ(mixed.points.size(), 3u);
  EXPECT_EQ(mixed.points[0].x, 155000.0);  // the multipoint's first part
  EXPECT_EQ(mixed.withoutPoint, (std::vector<std::int64_t>{2, 3, 4}));
}

TEST(GpkgPointReader, SaysWhatIsMissingAndStopsOnCancel) {
  const std::string path = tempPath("reader_errors");
  writePoints(path, "punten", seededPoints(20000, 3));
  GpkgPointReadOptions o;
  o.table = "bestaat_niet";
  try {
    readGpkgPoints(path, o);
    ADD_FAILURE() << "no error for a missing table";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bestaat_niet"), std::string::npos) << e.what();
  }
  o.table = "punten";
  o.fields = {{"geen_kolom", GpkgFieldType::Text}};
  try {
    readGpkgPoints(path, o);
    ADD_FAILURE() << "no error for a missing column";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("geen_kolom"), std::string::npos) << e.what();
  }
  o.fields.clear();
  CancelAfter cancel(2);
  EXPECT_THROW_WITH(readGpkgPoints(path, o, cancel), CancelledError, "cancelled");
  o.table.clear();
  EXPECT_THROW_WITH(readGpkgPoints(path, o), OptionError, "table: must not be empty");
}

TEST(GpkgPointReader, AWhereClauseKeepsExactlyTheRowsItNamesAndMultipointsCanBeRefused) {
  const std::string path = tempPath("reader_where");
  writePoints(path, "punten", seededPoints(2000, 17));
  GpkgPointReadOptions o;
  o.table = "punten";
  o.fields = {{"value", GpkgFieldType::Real}, {"id", GpkgFieldType::Int32}};
  const GpkgPoints all = readGpkgPoints(path, o);
  o.where = "\"value\" > 21000 OR \"id\" < 10";
  const GpkgPoints some = readGpkgPoints(path, o);
  // Brute force: the unfiltered rows the same condition keeps, in the same order.
  std::vector<std::int64_t> want;
  for (std::size_t i = 0; i < all.fids.size(); ++i) {
    const auto* v = std::get_if<double>(&all.columns[0][i]);
    if ((v && *v > 21000) || std::get<std::int64_t>(all.columns[1][i]) < 10)
      want.push_back(all.fids[i]);
  }
  EXPECT_GT(want.size(), 100u);
  EXPECT_LT(want.size(), all.fids.size());
  EXPECT_EQ(some.fids, want);
  // On a connection the caller holds: the same rows.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  const GpkgPoints scanned = scanGpkgPoints(db, path, o);
  sqlite3_close(db);
  EXPECT_EQ(scanned.fids, want);
  EXPECT_EQ(scanned.columns, some.columns);

  {
    GpkgLayerOptions m;
    m.table = "multi";
    m.geometryType = GpkgGeometryType::Geometry;
    GpkgWriter w(path, m);
    OGRGeometry* raw = nullptr;
    ASSERT_EQ(OGRGeometryFactory::createFromWkt("MULTIPOINT ((1 2),(3 4))", nullptr, &raw),
              OGRERR_NONE);
    GeometryPtr g(raw);
    w.addGeometry(g.get(), {});
    w.addPoint(5, 6, {});
    w.commit();
  }
  GpkgPointReadOptions mo;
  mo.table = "multi";
  mo.multiPointFirst = false;
  const GpkgPoints refused = readGpkgPoints(path, mo);
  EXPECT_EQ(refused.withoutPoint, (std::vector<std::int64_t>{1}));
  ASSERT_EQ(refused.points.size(), 1u);
  EXPECT_EQ(refused.points[0].x, 5.0);
}

// ---- scanGpkgPoints with a row sink, and the row count it finds itself ----------------------

namespace {

/// Keeps every cell it is given as a GpkgValue (to compare with the columns), and stops the
/// scan after `stopAfter` rows.
class CollectingSink final : public GpkgRowSink {
 public:
  explicit CollectingSink(std::size_t fields, std::size_t stopAfter = SIZE_MAX)
      : columns(fields), stopAfter_(stopAfter) {}
  bool row(std::span<const GpkgCell> cells) override {
    EXPECT_EQ(cells.size(), columns.size());
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const GpkgCell& c = cells[i];
      switch (c.kind) {
        case GpkgCell::Kind::Null:
          columns[i].emplace_back(std::monostate{});
          break;
        case GpkgCell::Kind::Integer:
          columns[i].emplace_back(c.integer);
          break;
        case GpkgCell::Kind::Real:
          columns[i].emplace_back(c.real);
          break;
        case GpkgCell::Kind::Text:
          columns[i].emplace_back(std::string(c.text));
          break;
      }
    }
    return ++rows < stopAfter_;
  }
  void expect(std::size_t n) override { expected.push_back(n); }
  std::vector<std::vector<GpkgValue>> columns;
  std::size_t rows = 0;
  std::vector<std::size_t> expected;  ///< expect() calls

 private:
  std::size_t stopAfter_;
};

}  // namespace

TEST(GpkgPointReader, ASinkGetsTheSameFieldsAsTheColumnsAndCanStopTheScan) {
  const std::string path = tempPath("reader_sink");
  writePoints(path, "punten", seededPoints(3000, 23));
  GpkgPointReadOptions o;
  o.table = "punten";
  o.fields = {{"id", GpkgFieldType::Int32},
              {"value", GpkgFieldType::Real},
              {"name", GpkgFieldType::Text},
              {"flag", GpkgFieldType::Boolean},
              {"at", GpkgFieldType::DateTime}};
  const GpkgPoints columns = readGpkgPoints(path, o);
  ASSERT_GT(columns.points.size(), 2900u);
  ASSERT_FALSE(columns.withoutPoint.empty());  // the NaN points: no sink call for them
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  CollectingSink sink(o.fields.size());
  const GpkgPoints sunk = scanGpkgPoints(db, path, o, nullProgress(), &sink);
  EXPECT_TRUE(sunk.columns.empty());
  EXPECT_EQ(sunk.fids, columns.fids);
  EXPECT_EQ(sunk.points.size(), columns.points.size());
  EXPECT_EQ(sunk.withoutPoint, columns.withoutPoint);
  EXPECT_EQ(sink.columns, columns.columns);  // NULLs (value), texts, integers, booleans alike
  EXPECT_EQ(sink.expected, std::vector<std::size_t>{3000});  // the kept count, once
  // Stopped after 100 rows: the rows read so far, no more.
  CollectingSink stopping(o.fields.size(), 100);
  const GpkgPoints stopped = scanGpkgPoints(db, path, o, nullProgress(), &stopping);
  EXPECT_EQ(stopping.rows, 100u);
  ASSERT_EQ(stopped.fids.size(), 100u);
  EXPECT_TRUE(std::equal(stopped.fids.begin(), stopped.fids.end(), columns.fids.begin()));
  // A WHERE may keep far fewer rows: no count to reserve for.
  o.where = "\"id\" < 10";
  CollectingSink filtered(o.fields.size());
  EXPECT_EQ(scanGpkgPoints(db, path, o, nullProgress(), &filtered).fids.size(), 10u);
  EXPECT_TRUE(filtered.expected.empty());
  sqlite3_close(db);
}

namespace {
/// Takes the points itself (nothing is held by the scan) with their fields.
class PointTakingSink final : public GpkgRowSink {
 public:
  bool takesPoints() const override { return true; }
  void point(std::int64_t fid, const Point& p) override {
    fids.push_back(fid);
    points.push_back(p);
  }
  bool row(std::span<const GpkgCell> cells) override {
    EXPECT_EQ(fids.size(), ++rows);  // point() came first
    ids.push_back(cells[0].integer);
    return true;
  }
  std::vector<std::int64_t> fids, ids;
  std::vector<Point> points;
  std::size_t rows = 0;
};
}  // namespace

TEST(GpkgPointReader, ASinkThatTakesThePointsGetsEveryRowAndTheScanHoldsNone) {
  const std::string path = tempPath("reader_point_sink");
  writePoints(path, "punten", seededPoints(2000, 29));
  const GpkgPointReadOptions o{.table = "punten",
                               .fidColumn = "fid",
                               .geometryColumn = "geom",
                               .fields = {{"id", GpkgFieldType::Int32}},
                               .where = "",
                               .multiPointFirst = true};
  const GpkgPoints columns = readGpkgPoints(path, o);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  PointTakingSink sink;
  const GpkgPoints held = scanGpkgPoints(db, path, o, nullProgress(), &sink);
  sqlite3_close(db);
  EXPECT_TRUE(held.points.empty());
  EXPECT_TRUE(held.fids.empty());
  EXPECT_EQ(held.withoutPoint, columns.withoutPoint);
  EXPECT_EQ(sink.fids, columns.fids);
  EXPECT_EQ(sink.points, columns.points);
  ASSERT_EQ(columns.columns.size(), 1u);
  ASSERT_EQ(sink.ids.size(), columns.columns[0].size());
  for (std::size_t i = 0; i < sink.ids.size(); ++i)
    EXPECT_EQ(GpkgValue(sink.ids[i]), columns.columns[0][i]);
}

TEST(GpkgPointReader, TheScanReadsTheKeptRowCountItselfUnlessTheCallerGivesOne) {
  const std::string path = tempPath("reader_count");
  writePoints(path, "punten", seededPoints(10000, 29));
  GpkgPointReadOptions o;
  o.table = "punten";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  // The count GDAL keeps (10000): the progress after 4096 rows is 4096 / 10000.
  RecordingProgress kept;
  scanGpkgPoints(db, path, o, kept);
  ASSERT_GE(kept.fractions.size(), 2u);
  EXPECT_DOUBLE_EQ(kept.fractions.front(), 4096.0 / 10000.0);
  EXPECT_EQ(kept.fractions.back(), 1.0);
  // The caller's count wins.
  RecordingProgress given;
  scanGpkgPoints(db, path, o, given, nullptr, 40960);
  ASSERT_GE(given.fractions.size(), 2u);
  EXPECT_DOUBLE_EQ(given.fractions.front(), 0.1);
  // No kept count (NULL, as GDAL leaves it for a table it did not count): no fraction until
  // the end, and the same rows.
  ASSERT_EQ(sqlite3_exec(db, "UPDATE gpkg_ogr_contents SET feature_count = NULL", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  RecordingProgress none;
  const GpkgPoints rows = scanGpkgPoints(db, path, o, none);
  EXPECT_EQ(none.fractions, std::vector<double>{1.0});
  EXPECT_EQ(rows.fids.size() + rows.withoutPoint.size(), 10000u);
  sqlite3_close(db);
}
