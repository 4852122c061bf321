#include "geo/core/gpkg_rtree.h"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>
#include <sqlite3.h>

#include <algorithm>
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

struct Env {
  double minx, maxx, miny, maxy;
};

struct Window {
  double minx, maxx, miny, maxy;
};

/// What a test layer holds: fid -> envelope of the non-empty geometries.
using Truth = std::map<std::int64_t, Env>;

fs::path tempDir() {
  return fs::temp_directory_path() / ("veldwacht_gpkg_rtree_test_" + std::to_string(::getpid()));
}

/// Removes this process's scratch GeoPackages when the test program ends.
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
  const fs::path dir = tempDir();
  fs::create_directories(dir);
  const fs::path p = dir / (name + ".gpkg");
  fs::remove(p);
  return p.string();
}

enum class Kind { Points, Polygons };

/// Writes `n` seeded random features to layer "t" (geometry column "g") of a new GeoPackage.
/// `exact` keeps every coordinate a multiple of 1/4 below 2^17, so float32 stores it exactly and
/// the rtree answers equal brute force on the double envelopes. Every 97th feature has a NULL
/// geometry and every 89th an empty one (polygons only).
Truth writeLayer(const std::string& path, Kind kind, int n, unsigned seed, bool spatialIndex,
                 bool exact = true) {
  GDALAllRegister();
  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
  DatasetPtr ds(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  EXPECT_TRUE(ds);
  const char* opts[] = {"GEOMETRY_NAME=g", spatialIndex ? "SPATIAL_INDEX=YES" : "SPATIAL_INDEX=NO",
                        nullptr};
  OGRLayer* layer = ds->CreateLayer("t", nullptr, kind == Kind::Points ? wkbPoint : wkbPolygon,
                                    const_cast<char**>(opts));
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> coord(0, 4 * 100000);
  std::uniform_real_distribution<double> real(-50000.0, 150000.0);
  std::uniform_int_distribution<int> size(1, 4 * 300);
  const auto c = [&] { return exact ? coord(rng) / 4.0 : real(rng); };
  Truth truth;
  EXPECT_EQ(layer->StartTransaction(), OGRERR_NONE);
  for (int i = 0; i < n; ++i) {
    FeaturePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    const double x = c(), y = c();
    const double w = size(rng) / 4.0, h = size(rng) / 4.0;
    const bool isNull = i % 97 == 5, isEmpty = kind == Kind::Polygons && i % 89 == 7;
    if (isEmpty) {
      f->SetGeometry(std::make_unique<OGRPolygon>().get());
    } else if (!isNull && kind == Kind::Points) {
      OGRPoint p(x, y);
      f->SetGeometry(&p);
    } else if (!isNull) {
      OGRLinearRing ring;
      ring.addPoint(x, y);
      ring.addPoint(x + w, y);
      ring.addPoint(x + w, y + h);
      ring.addPoint(x, y + h);
      ring.addPoint(x, y);
      OGRPolygon poly;
      poly.addRing(&ring);
      f->SetGeometry(&poly);
    }
    EXPECT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
    if (!isNull && !isEmpty) {
      truth[f->GetFID()] = kind == Kind::Points ? Env{x, x, y, y} : Env{x, x + w, y, y + h};
    }
  }
  EXPECT_EQ(layer->CommitTransaction(), OGRERR_NONE);
  return truth;
}

struct Db {
  explicit Db(const std::string& path) {
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  }
  ~Db() { sqlite3_close(db); }
  std::string text(const std::string& sql) const {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    std::string out;
    if (st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
  }
  std::set<std::int64_t> rtreeWindow(const std::string& rtree, const Window& w) const {
    sqlite3_stmt* st = nullptr;
    const std::string sql = "SELECT id FROM \"" + rtree +
                            "\" WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?";
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK);
    sqlite3_bind_double(st, 1, w.maxx);
    sqlite3_bind_double(st, 2, w.minx);
    sqlite3_bind_double(st, 3, w.maxy);
    sqlite3_bind_double(st, 4, w.miny);
    std::set<std::int64_t> ids;
    while (sqlite3_step(st) == SQLITE_ROW) ids.insert(sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    return ids;
  }
  sqlite3* db = nullptr;
};

std::set<std::int64_t> bruteForce(const Truth& truth, const Window& w) {
  std::set<std::int64_t> ids;
  for (const auto& [fid, e] : truth)
    if (e.minx <= w.maxx && e.maxx >= w.minx && e.miny <= w.maxy && e.maxy >= w.miny)
      ids.insert(fid);
  return ids;
}

std::vector<Window> windows(unsigned seed, int n) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> coord(-4 * 1000, 4 * 100000);
  std::uniform_int_distribution<int> size(0, 4 * 8000);
  std::vector<Window> out;
  for (int i = 0; i < n; ++i) {
    const double x = coord(rng) / 4.0, y = coord(rng) / 4.0;
    out.push_back({x, x + size(rng) / 4.0, y, y + size(rng) / 4.0});
  }
  out.push_back({-1e9, 1e9, -1e9, 1e9});  // everything
  return out;
}

void expectWindowsMatchBruteForce(const std::string& path, const Truth& truth, unsigned seed,
                                  std::size_t minNonEmpty = 20) {
  Db db(path);
  EXPECT_EQ(db.text("SELECT rtreecheck('rtree_t_g')"), "ok");
  std::size_t nonEmpty = 0;
  for (const Window& w : windows(seed, 60)) {
    const auto expected = bruteForce(truth, w);
    nonEmpty += !expected.empty();
    EXPECT_EQ(db.rtreeWindow("rtree_t_g", w), expected);
  }
  EXPECT_GE(nonEmpty, minNonEmpty);  // the windows do test something
}

/// Adds, moves and deletes features through GDAL (so GDAL's triggers maintain the index) and
/// updates `truth` accordingly.
void editThroughGdal(const std::string& path, Truth& truth) {
  DatasetPtr ds = openDataset(path, GDAL_OF_VECTOR | GDAL_OF_UPDATE);
  OGRLayer* layer = ds->GetLayerByName("t");
  ASSERT_NE(layer, nullptr);
  std::mt19937_64 rng(99);
  std::uniform_int_distribution<int> coord(0, 4 * 100000);
  EXPECT_EQ(layer->StartTransaction(), OGRERR_NONE);
  for (int i = 0; i < 300; ++i) {  // inserts
    FeaturePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    const double x = coord(rng) / 4.0, y = coord(rng) / 4.0;
    if (layer->GetGeomType() == wkbPoint) {
      OGRPoint p(x, y);
      f->SetGeometry(&p);
      ASSERT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
      truth[f->GetFID()] = {x, x, y, y};
    } else {
      OGRLinearRing ring;
      for (auto [dx, dy] : {std::pair{0, 0}, {10, 0}, {10, 20}, {0, 20}, {0, 0}})
        ring.addPoint(x + dx, y + dy);
      OGRPolygon poly;
      poly.addRing(&ring);
      f->SetGeometry(&poly);
      ASSERT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
      truth[f->GetFID()] = {x, x + 10, y, y + 20};
    }
  }
  std::vector<std::int64_t> fids;
  for (const auto& [fid, e] : truth) fids.push_back(fid);
  for (std::size_t k = 0; k < fids.size(); k += 7) {  // deletes
    ASSERT_EQ(layer->DeleteFeature(fids[k]), OGRERR_NONE);
    truth.erase(fids[k]);
  }
  for (std::size_t k = 3; k < fids.size(); k += 11) {  // moves (update triggers)
    if (!truth.count(fids[k])) continue;
    FeaturePtr f(layer->GetFeature(fids[k]));
    ASSERT_TRUE(f);
    const double x = coord(rng) / 4.0, y = coord(rng) / 4.0;
    if (layer->GetGeomType() == wkbPoint) {
      OGRPoint p(x, y);
      f->SetGeometry(&p);
      truth[fids[k]] = {x, x, y, y};
    } else {
      OGRLinearRing ring;
      for (auto [dx, dy] : {std::pair{0, 0}, {5, 0}, {5, 5}, {0, 5}, {0, 0}})
        ring.addPoint(x + dx, y + dy);
      OGRPolygon poly;
      poly.addRing(&ring);
      f->SetGeometry(&poly);
      truth[fids[k]] = {x, x + 5, y, y + 5};
    }
    ASSERT_EQ(layer->SetFeature(f.get()), OGRERR_NONE);
  }
  EXPECT_EQ(layer->CommitTransaction(), OGRERR_NONE);
}

class FractionCancel final : public Progress {
 public:
  explicit FractionCancel(double at) : at_(at) {}
  void setFraction(double f) override { fraction_ = f; }
  bool isCancelled() const override { return fraction_ >= at_; }

 private:
  double at_;
  double fraction_ = 0;
};

}  // namespace

TEST(BulkGpkgRtree, PointIndexPassesRtreecheckAndWindowsMatchBruteForce) {
  const std::string path = tempPath("points");
  const Truth truth = writeLayer(path, Kind::Points, 6000, 1, false);
  const auto r = bulkCreateGpkgRtree(path, "t", "g", nullProgress());
  EXPECT_TRUE(r.bulk) << r.fallbackReason;
  EXPECT_EQ(r.indexed, std::int64_t(truth.size()));
  EXPECT_EQ(r.skippedEmpty, 6000 - std::int64_t(truth.size()));
  EXPECT_EQ(r.depth, 2);  // 6000 / 51 leaves > 51: two levels above the leaves
  expectWindowsMatchBruteForce(path, truth, 2);
}

TEST(BulkGpkgRtree, PolygonIndexUsesHeaderEnvelopesAndSkipsNullAndEmpty) {
  const std::string path = tempPath("polygons");
  const Truth truth = writeLayer(path, Kind::Polygons, 4000, 3, false);
  const auto r = bulkCreateGpkgRtree(path, "t", "g", nullProgress());
  EXPECT_TRUE(r.bulk);
  EXPECT_EQ(r.indexed, std::int64_t(truth.size()));
  EXPECT_GT(r.skippedEmpty, 50);
  expectWindowsMatchBruteForce(path, truth, 4);
}

TEST(BulkGpkgRtree, ReadsNonPointWkbWithoutHeaderEnvelope) {
  const std::string path = tempPath("noenvelope");
  Truth truth = writeLayer(path, Kind::Polygons, 500, 5, false);
  {  // rewrite a polygon as a GeoPackage blob without envelope (flags 0x01: little endian)
    OGRLinearRing ring;
    for (auto [x, y] : {std::pair{100.0, 200.0}, {130.0, 200.0}, {130.0, 260.0}, {100.0, 200.0}})
      ring.addPoint(x, y);
    OGRPolygon poly;
    poly.addRing(&ring);
    std::vector<unsigned char> blob = {'G', 'P', 0, 1, 0, 0, 0, 0};
    std::vector<unsigned char> wkb(poly.WkbSize());
    poly.exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    blob.insert(blob.end(), wkb.begin(), wkb.end());
    Db db(path);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db.db, "UPDATE t SET g = ? WHERE fid = 10", -1, &st, nullptr),
              SQLITE_OK);
    sqlite3_bind_blob(st, 1, blob.data(), int(blob.size()), SQLITE_TRANSIENT);
    ASSERT_EQ(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    truth[10] = {100, 130, 200, 260};
  }
  bulkCreateGpkgRtree(path, "t", "g", nullProgress());
  Db db(path);
  EXPECT_EQ(db.rtreeWindow("rtree_t_g", {129, 129.5, 259, 259.5}).count(10), 1u);
  expectWindowsMatchBruteForce(path, truth, 6);
}

TEST(BulkGpkgRtree, AnswersLikeGdalBuiltIndexOnUnroundedCoordinates) {
  const std::string bulk = tempPath("vs_gdal_bulk"), gdal = tempPath("vs_gdal_gdal");
  const Truth a = writeLayer(bulk, Kind::Polygons, 3000, 7, false, false);
  const Truth b = writeLayer(gdal, Kind::Polygons, 3000, 7, true, false);
  ASSERT_EQ(a.size(), b.size());
  bulkCreateGpkgRtree(bulk, "t", "g", nullProgress());
  Db da(bulk), dg(gdal);
  EXPECT_EQ(da.text("SELECT rtreecheck('rtree_t_g')"), "ok");
  // Same rows with the same float32 boxes (both round outwards the same way).
  const std::string rows =
      "SELECT group_concat(id || ':' || minx || ',' || maxx || ',' || miny || ',' || maxy, ';') "
      "FROM (SELECT * FROM rtree_t_g ORDER BY id)";
  EXPECT_EQ(da.text(rows), dg.text(rows));
  EXPECT_FALSE(da.text(rows).empty());
  for (const Window& w : windows(8, 60))
    EXPECT_EQ(da.rtreeWindow("rtree_t_g", w), dg.rtreeWindow("rtree_t_g", w));
  // Same triggers and extension row as GDAL writes.
  const std::string schema =
      "SELECT group_concat(sql, char(10)) FROM (SELECT sql FROM sqlite_master WHERE name LIKE "
      "'rtree_t_g%' ORDER BY name)";
  EXPECT_EQ(da.text(schema), dg.text(schema));
  const std::string ext =
      "SELECT group_concat(table_name || column_name || extension_name || definition || scope) "
      "FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index'";
  EXPECT_EQ(da.text(ext), dg.text(ext));
}

TEST(BulkGpkgRtree, GdalSpatialFilterReturnsBruteForceFeatures) {
  const std::string path = tempPath("filter");
  const Truth truth = writeLayer(path, Kind::Points, 3000, 9, false);
  bulkCreateGpkgRtree(path, "t", "g", nullProgress());
  DatasetPtr ds = openDataset(path);
  OGRLayer* layer = ds->GetLayerByName("t");
  ASSERT_NE(layer, nullptr);
  {  // GDAL recognises the index as its own
    OGRLayer* has = ds->ExecuteSQL("SELECT HasSpatialIndex('t', 'g')", nullptr, nullptr);
    ASSERT_NE(has, nullptr);
    FeaturePtr row(has->GetNextFeature());
    EXPECT_EQ(row ? row->GetFieldAsInteger(0) : -1, 1);
    ds->ReleaseResultSet(has);
  }
  for (const Window& w : windows(10, 15)) {
    layer->SetSpatialFilterRect(w.minx, w.miny, w.maxx, w.maxy);
    std::set<std::int64_t> got;
    for (auto& f : *layer) got.insert(f->GetFID());
    EXPECT_EQ(got, bruteForce(truth, w));
  }
}

TEST(BulkGpkgRtree, GdalEditsKeepIndexConsistentThroughTriggers) {
  for (Kind kind : {Kind::Points, Kind::Polygons}) {
    const std::string path = tempPath("edits");
    Truth truth = writeLayer(path, kind, 2500, 11, false);
    bulkCreateGpkgRtree(path, "t", "g", nullProgress());
    editThroughGdal(path, truth);
    expectWindowsMatchBruteForce(path, truth, 12);
  }
}

TEST(BulkGpkgRtree, PlainInsertFallbackAnswersTheSame) {
  const std::string bulk = tempPath("plain_a"), plain = tempPath("plain_b");
  const Truth truth = writeLayer(bulk, Kind::Polygons, 2000, 13, false);
  writeLayer(plain, Kind::Polygons, 2000, 13, false);
  GpkgRtreeOptions opts;
  opts.forcePlainInserts = true;
  const auto r = bulkCreateGpkgRtree(plain, "t", "g", nullProgress(), opts);
  EXPECT_FALSE(r.bulk);
  EXPECT_FALSE(r.fallbackReason.empty());
  opts.forcePlainInserts = false;
  opts.fillFactor = 0.5;
  const auto rb = bulkCreateGpkgRtree(bulk, "t", "g", nullProgress(), opts);
  EXPECT_TRUE(rb.bulk);
  expectWindowsMatchBruteForce(bulk, truth, 14);
  expectWindowsMatchBruteForce(plain, truth, 14);
}

TEST(BulkGpkgRtree, LowerFillFactorWritesMoreNodes) {
  const std::string a = tempPath("fill_a"), b = tempPath("fill_b");
  writeLayer(a, Kind::Points, 3000, 15, false);
  writeLayer(b, Kind::Points, 3000, 15, false);
  const auto full = bulkCreateGpkgRtree(a, "t", "g", nullProgress());
  GpkgRtreeOptions opts;
  opts.fillFactor = 0.5;
  const auto half = bulkCreateGpkgRtree(b, "t", "g", nullProgress(), opts);
  EXPECT_GT(half.nodes, full.nodes * 3 / 2);
  EXPECT_EQ(Db(b).text("SELECT rtreecheck('rtree_t_g')"), "ok");
}

TEST(BulkGpkgRtree, EmptyTableGetsWorkingIndex) {
  const std::string path = tempPath("empty");
  Truth truth = writeLayer(path, Kind::Points, 0, 17, false);
  const auto r = bulkCreateGpkgRtree(path, "t", "g", nullProgress());
  EXPECT_EQ(r.indexed, 0);
  EXPECT_FALSE(r.bulk);
  editThroughGdal(path, truth);
  expectWindowsMatchBruteForce(path, truth, 18, 5);
}

TEST(BulkGpkgRtree, CancelLeavesFileWithoutIndex) {
  const std::string path = tempPath("cancel");
  writeLayer(path, Kind::Points, 3000, 19, false);
  FractionCancel cancel(0.7);  // during writing of the nodes
  EXPECT_THROW_WITH(bulkCreateGpkgRtree(path, "t", "g", cancel), CancelledError, "cancelled");
  Db db(path);
  EXPECT_EQ(db.text("SELECT count(*) FROM sqlite_master WHERE name LIKE 'rtree%'"), "0");
  EXPECT_EQ(db.text("SELECT count(*) FROM sqlite_master WHERE name = 'gpkg_extensions'") == "0" ||
                db.text("SELECT count(*) FROM gpkg_extensions WHERE extension_name = "
                        "'gpkg_rtree_index'") == "0",
            true);
  // and it can be built afterwards
  EXPECT_TRUE(bulkCreateGpkgRtree(path, "t", "g", nullProgress()).bulk);
}

TEST(BulkGpkgRtree, RejectsExistingIndexUnknownColumnAndBadOptions) {
  const std::string path = tempPath("reject");
  writeLayer(path, Kind::Points, 10, 21, true);
  EXPECT_THROW_WITH(bulkCreateGpkgRtree(path, "t", "g", nullProgress()), InputError,
                    "t, field 'g': already has a spatial index");
  EXPECT_THROW_WITH(bulkCreateGpkgRtree(path, "t", "nope", nullProgress()), InputError,
                    "t, field 'nope': not a geometry column");
  GpkgRtreeOptions opts;
  opts.fillFactor = 0;
  EXPECT_THROW_WITH(bulkCreateGpkgRtree(path, "t", "g", nullProgress(), opts), OptionError,
                    "fillFactor: must be in (0, 1], got 0");
}

TEST(BulkGpkgRtree, GdalGeoPackageValidatorAccepts) {
  const char* validator = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py";
  if (!fs::exists(validator) || !fs::exists("/usr/bin/python3"))
    GTEST_SKIP() << "no validate_gpkg.py";
  const std::string path = tempPath("validate");
  // points: GDAL 3.6 writes empty polygons the validator rejects (Req 152) with or without index
  writeLayer(path, Kind::Points, 1500, 23, false);
  bulkCreateGpkgRtree(path, "t", "g", nullProgress());
  const std::string cmd =
      std::string("/usr/bin/python3 ") + validator + " " + path + " >/dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  // control: the validator checks the index structure (not its rows): a missing trigger fails
  Db(path).text("DROP TRIGGER rtree_t_g_update3");
  EXPECT_NE(std::system(cmd.c_str()), 0);
}

TEST(BulkGpkgRtree, NodeSizeFollowsThePageSizeRtreeChose) {
  // rtree.c sizes nodes as page size - 64, capped at 51 cells: 1 KiB pages give 39 cells/node.
  for (const auto& [pageSize, nodeBytes] : {std::pair{1024, 960}, std::pair{65536, 4 + 24 * 51}}) {
    const std::string path = tempPath("pagesize");
    const Truth truth = writeLayer(path, Kind::Points, 3000, 25, false);
    {
      Db db(path);
      db.text("PRAGMA page_size = " + std::to_string(pageSize));
      db.text("VACUUM");
      ASSERT_EQ(db.text("PRAGMA page_size"), std::to_string(pageSize));
    }
    const auto r = bulkCreateGpkgRtree(path, "t", "g", nullProgress());
    EXPECT_TRUE(r.bulk);
    const std::size_t cells = (nodeBytes - 4) / 24;
    const std::size_t leaves = (truth.size() + cells - 1) / cells;
    EXPECT_GE(r.nodes, std::int64_t(leaves + 1));
    Db db(path);
    EXPECT_EQ(db.text("SELECT group_concat(DISTINCT length(data)) FROM rtree_t_g_node"),
              std::to_string(nodeBytes));
    expectWindowsMatchBruteForce(path, truth, 26);
  }
}

namespace {

/// Every row of the index's shadow tables (_node with its blobs, _rowid, _parent), in key order.
std::vector<std::string> shadowRows(const std::string& path) {
  Db db(path);
  std::vector<std::string> out;
  for (const char* sql : {"SELECT nodeno, data FROM rtree_t_g_node ORDER BY nodeno",
                          "SELECT rowid, nodeno FROM rtree_t_g_rowid ORDER BY rowid",
                          "SELECT nodeno, parentnode FROM rtree_t_g_parent ORDER BY nodeno"}) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db.db, sql, -1, &st, nullptr), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::string row = std::to_string(sqlite3_column_int64(st, 0)) + ":";
      const auto* p = static_cast<const char*>(sqlite3_column_blob(st, 1));
      row.append(p ? p : "", std::size_t(sqlite3_column_bytes(st, 1)));
      out.push_back(std::move(row));
    }
    sqlite3_finalize(st);
    out.push_back("--");
  }
  return out;
}

/// Builds the index of `entries` twice, from one vector and from a spool of `runEntries` per run
/// (several runs in the temporary file); returns {vector result, spool result}.
std::pair<GpkgRtreeResult, GpkgRtreeResult> buildBothWays(
    const std::string& inMemory, const std::string& spooled,
    const std::vector<GpkgRtreeEntry>& entries, std::size_t runEntries,
    const GpkgRtreeOptions& options) {
  GpkgRtreeResult a, b;
  {
    Db db(inMemory);
    auto copy = entries;
    a = bulkCreateGpkgRtree(db.db, "t", "g", std::move(copy), 0, nullProgress(), options);
  }
  {
    Db db(spooled);
    GpkgRtreeEntrySpool spool(runEntries);
    for (const auto& e : entries) spool.add(e);
    EXPECT_TRUE(spool.spilled());
    EXPECT_EQ(spool.size(), std::int64_t(entries.size()));
    b = bulkCreateGpkgRtree(db.db, "t", "g", std::move(spool), 0, nullProgress(), options);
  }
  return {a, b};
}

}  // namespace

// Issue 13: the bounded-memory path (sorted runs in a temporary file, leaves packed one x slice
// at a time) must give exactly the index the in-memory STR gives.
TEST(BulkGpkgRtree, SpooledEntriesGiveTheSameIndexNodeForNode) {
  const std::string a = tempPath("spool_a"), b = tempPath("spool_b");
  const Truth truth = writeLayer(a, Kind::Points, 20000, 31, false);
  writeLayer(b, Kind::Points, 20000, 31, false);
  std::vector<GpkgRtreeEntry> entries;
  for (const auto& [fid, e] : truth)
    entries.push_back(GpkgRtreeEntry::of(fid, e.minx, e.maxx, e.miny, e.maxy));
  std::shuffle(entries.begin(), entries.end(), std::mt19937_64(32));  // any arrival order
  const auto [ra, rb] = buildBothWays(a, b, entries, 1000, {});
  EXPECT_TRUE(rb.bulk) << rb.fallbackReason;
  EXPECT_EQ(rb.depth, ra.depth);
  EXPECT_EQ(rb.depth, 2);
  EXPECT_EQ(rb.nodes, ra.nodes);
  EXPECT_EQ(rb.indexed, std::int64_t(truth.size()));
  const auto rowsA = shadowRows(a), rowsB = shadowRows(b);
  EXPECT_EQ(rowsA.size(), rowsB.size());
  EXPECT_TRUE(rowsA == rowsB);
  expectWindowsMatchBruteForce(b, truth, 33);
}

TEST(BulkGpkgRtree, SpooledSparseFidsTiesAndThreeLevelsAsInMemory) {
  // Entries only (the table is empty; the index is compared, not queried against rows): sparse
  // fids (the rowid map as pairs), many equal centres (the fid breaks ties), three levels.
  const std::string a = tempPath("spool_sparse_a"), b = tempPath("spool_sparse_b");
  writeLayer(a, Kind::Points, 0, 34, false);
  writeLayer(b, Kind::Points, 0, 34, false);
  std::mt19937_64 rng(35);
  std::uniform_int_distribution<int> coord(0, 300), size(0, 3);
  std::vector<GpkgRtreeEntry> entries;
  for (int i = 0; i < 70000; ++i) {
    const double x = coord(rng), y = coord(rng);
    entries.push_back(
        GpkgRtreeEntry::of(1 + std::int64_t(i) * 7919, x, x + size(rng), y, y + size(rng)));
  }
  std::shuffle(entries.begin(), entries.end(), rng);
  GpkgRtreeOptions options;
  options.fillFactor = 0.7;
  const auto [ra, rb] = buildBothWays(a, b, entries, 9000, options);
  EXPECT_TRUE(rb.bulk) << rb.fallbackReason;
  EXPECT_EQ(rb.depth, 3);
  EXPECT_EQ(rb.depth, ra.depth);
  EXPECT_EQ(rb.nodes, ra.nodes);
  const auto rowsA = shadowRows(a), rowsB = shadowRows(b);
  EXPECT_EQ(rowsA.size(), rowsB.size());
  EXPECT_TRUE(rowsA == rowsB);
  EXPECT_EQ(Db(b).text("SELECT rtreecheck('rtree_t_g')"), "ok");
}

TEST(BulkGpkgRtree, SpoolOfOneRunStaysInMemoryAndRefusesBadBoxes) {
  const std::string a = tempPath("spool_one");
  const Truth truth = writeLayer(a, Kind::Points, 500, 36, false);
  {
    Db db(a);
    GpkgRtreeEntrySpool spool(1000);
    for (const auto& [fid, e] : truth)
      spool.add(GpkgRtreeEntry::of(fid, e.minx, e.maxx, e.miny, e.maxy));
    EXPECT_FALSE(spool.spilled());
    const auto r = bulkCreateGpkgRtree(db.db, "t", "g", std::move(spool), 0, nullProgress());
    EXPECT_TRUE(r.bulk);
  }
  expectWindowsMatchBruteForce(a, truth, 37);
  // A box with min > max in a spilled spool: refused, and nothing of the index is left.
  const std::string b = tempPath("spool_bad");
  writeLayer(b, Kind::Points, 0, 38, false);
  Db db(b);
  GpkgRtreeEntrySpool spool(100);
  for (int i = 1; i <= 3000; ++i) spool.add(GpkgRtreeEntry::of(i, i, i, 0, 0));
  spool.add(GpkgRtreeEntry::of(3001, 5, 4, 0, 0));
  EXPECT_THROW(bulkCreateGpkgRtree(db.db, "t", "g", std::move(spool), 0, nullProgress()),
               InputError);
  EXPECT_EQ(db.text("SELECT count(*) FROM sqlite_master WHERE name LIKE 'rtree_t_g%'"), "0");
}
