// readPoints' column-wise path (Store::readPointColumns, one SELECT on the store's connection)
// against the record path (Store::read, an OGRFeature per row) on stores built in code: the
// same points, keys, times, weights, categories and sources, with and without a filter, and the
// same errors for the rows the column path hands back to the record path (no geometry, a
// multipoint, NULL weights); a cluster run gives the same tables both ways.
#include <gtest/gtest.h>

#include <optional>
#include <random>

#include "geo/core/error.h"
#include "layers/analyses/clustering.h"
#include "layers/analyses/inputs.h"
#include "tests/geo/expect_error.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

/// Turns the column path on for the scope and back on after a record-path read.
struct RecordPath {
  RecordPath() { setColumnPointReads(false); }
  ~RecordPath() { setColumnPointReads(true); }
};

PointInput byRecord(Store& store, const PointSelection& sel) {
  RecordPath record;
  return readPoints(store, sel);
}

void expectSameInput(const PointInput& a, const PointInput& b) {
  EXPECT_EQ(a.layer, b.layer);
  EXPECT_EQ(a.where, b.where);
  ASSERT_EQ(a.points.size(), b.points.size());
  for (std::size_t i = 0; i < a.points.size(); ++i) {
    EXPECT_EQ(a.points[i].x, b.points[i].x) << i;  // the same doubles, not nearly
    EXPECT_EQ(a.points[i].y, b.points[i].y) << i;
  }
  EXPECT_EQ(a.keys, b.keys);
  EXPECT_EQ(a.timeFrom, b.timeFrom);
  EXPECT_EQ(a.timeTo, b.timeTo);
  EXPECT_EQ(a.weights, b.weights);
  EXPECT_EQ(a.categories, b.categories);
  EXPECT_EQ(a.categoryNames, b.categoryNames);
  EXPECT_EQ(a.sources, b.sources);
  EXPECT_EQ(a.sourceNames, b.sourceNames);
}

/// The column path reads `sel` itself (no hand-over to the record path) and gives exactly what
/// the record path gives; readPoints gives the same.
void expectColumnPathAgrees(Store& store, const PointSelection& sel) {
  const std::optional<PointInput> fast = readPointsByColumns(store, sel);
  ASSERT_TRUE(fast) << "the column path handed " << sel.describe() << " to the record path";
  const PointInput slow = byRecord(store, sel);
  expectSameInput(*fast, slow);
  expectSameInput(readPoints(store, sel), slow);
}

/// `n` signals at seeded places with every category / source / window combination, some
/// without tot and some without locatie_precisie_m.
std::vector<Record> seededSignals(int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> d(0, 3000);
  const char* cats[] = {"DRUGSAFVAL", "HENNEP", "DRUGSLAB"};
  const char* srcs[] = {"boer", "jager", "burger"};
  std::vector<Record> out;
  for (int i = 0; i < n; ++i) {
    SignalSpec s = at(kX0 + d(rng), kY0 + d(rng));
    s.categorie = cats[rng() % 3];
    s.brontype = srcs[rng() % 3];
    const int day = 1 + int(rng() % 28), hour = int(rng() % 24);
    char van[32];
    std::snprintf(van, sizeof van, "2024-05-%02dT%02d:%02d:%02d", day, hour, int(rng() % 60),
                  int(rng() % 60));
    s.van = van;
    if (rng() % 2) s.tot = "2024-06-" + std::to_string(10 + rng() % 18) + "T08:00:00";
    Record r = signalRecord(i, s);
    if (rng() % 4)
      r.values[std::size_t(layerDef("signalen").fieldIndex("locatie_precisie_m"))] =
          double(rng() % 500) / 4.0;
    out.push_back(std::move(r));
  }
  return out;
}

/// Replaces the geometry of feature `fid` of `layer` through GDAL (an empty or missing
/// geometry, a multipoint), as an edit in QGIS could.
void setGeometry(Store& store, const std::string& layer, std::int64_t fid, OGRGeometry* g) {
  store.transaction([&](GDALDataset& ds) {
    OGRLayer* l = ds.GetLayerByName(layer.c_str());
    geo::FeaturePtr f(l->GetFeature(fid));
    ASSERT_TRUE(f);
    if (g)
      f->SetGeometry(g);
    else
      f->SetGeometryDirectly(nullptr);
    ASSERT_EQ(l->SetFeature(f.get()), OGRERR_NONE);
  });
}

}  // namespace

TEST(ColumnRead, TheStoreReadsPointColumnsAsItsRecordsHoldThem) {
  TempDir dir;
  auto store = storeWith(dir, batch("signalen", seededSignals(200, 7)));
  const std::vector<std::string> fields{"signaal_id", "waargenomen_tot", "locatie_precisie_m"};
  const auto cols = store->readPointColumns("signalen", {}, fields, geo::nullProgress());
  ASSERT_TRUE(cols);  // a GeoPackage store reads column-wise
  const std::vector<Record> records = store->read("signalen");
  ASSERT_EQ(cols->points.size(), records.size());
  EXPECT_TRUE(cols->withoutPoint.empty());
  const LayerDef& def = layerDef("signalen");
  std::size_t nulls = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(cols->fids[i], records[i].sourceRow);
    const OGRPoint* p = records[i].geometry->toPoint();
    EXPECT_EQ(cols->points[i].x, p->getX());
    EXPECT_EQ(cols->points[i].y, p->getY());
    for (std::size_t c = 0; c < fields.size(); ++c) {
      const Value& v = records[i].values[std::size_t(def.fieldIndex(fields[c]))];
      nulls += isNull(v);
      if (fields[c] == "waargenomen_tot" && !isNull(v))  // stored text; the record's is GDAL's
        EXPECT_EQ(std::get<std::string>(cols->columns[c][i]).substr(0, 19),
                  std::get<std::string>(v));
      else
        EXPECT_EQ(cols->columns[c][i], v) << fields[c] << " row " << i;
    }
  }
  EXPECT_GT(nulls, 20u);  // the seeded data has NULL tot and NULL precision
  // Not a point layer, a field the layer does not have.
  EXPECT_FALSE(store->readPointColumns("gemeenten", {}, {}, geo::nullProgress()));
  EXPECT_THROW_WITH(store->readPointColumns("signalen", {}, {"geen_veld"}, geo::nullProgress()),
                    geo::Error, "has no field 'geen_veld'");
}

TEST(ColumnRead, SpatiaLiteStoresKeepTheRecordPath) {
  TempDir dir;
  auto store = Store::create(dir.file("t.sqlite"));
  std::vector<ImportBatch> b;
  b.push_back(batch("signalen", seededSignals(30, 3)));
  store->append(b);
  EXPECT_FALSE(store->readPointColumns("signalen", {}, {}, geo::nullProgress()));
  expectSameInput(readPoints(*store, {"signalen", "", ""}), byRecord(*store, {"signalen", "", ""}));
}

TEST(ColumnRead, SameInputWithAndWithoutFiltersAndWeights) {
  TempDir dir;
  auto store = storeWith(dir, batch("signalen", seededSignals(400, 11)));
  const std::vector<std::string> filters{
      "", "categorie = 'HENNEP'", "brontype IN ('boer', 'jager') AND waargenomen_tot IS NULL",
      "categorie LIKE 'D%' OR waargenomen_van >= '2024-05-20'",
      "NOT (categorie = 'DRUGSLAB') AND locatie_precisie_m > 10"};
  for (const std::string& where : filters) {
    SCOPED_TRACE(where);
    EXPECT_GT(readPoints(*store, {"signalen", where, ""}).size(), 20u);
    expectColumnPathAgrees(*store, {"signalen", where, ""});
  }
  // A weight field: every row with a weight (NULL weights are the record path's error).
  const std::string weighted = "locatie_precisie_m IS NOT NULL";
  const PointInput fast = readPoints(*store, {"signalen", weighted, "locatie_precisie_m"});
  EXPECT_EQ(fast.weights.size(), fast.size());
  EXPECT_GT(fast.size(), 200u);
  expectColumnPathAgrees(*store, {"signalen", weighted, "locatie_precisie_m"});
}

TEST(ColumnRead, IncidentsWithDatesAndKeys) {
  TempDir dir;
  std::vector<Record> recs;
  for (int i = 0; i < 50; ++i)
    recs.push_back(incidentRecord(i, kX0 + 10 * i, kY0 - 7 * i,
                                  "2023-" + std::string(i % 12 < 9 ? "0" : "") +
                                      std::to_string(1 + i % 12) + "-1" + std::to_string(i % 10)));
  auto store = storeWith(dir, batch("incidenten", std::move(recs)));
  const PointInput fast = readPoints(*store, {"incidenten", "", ""});
  ASSERT_EQ(fast.size(), 50u);
  EXPECT_EQ(fast.keys[3], "INC-T-00003");
  EXPECT_EQ(fast.timeFrom[0], *parseIsoTime("2023-01-10"));
  expectColumnPathAgrees(*store, {"incidenten", "", ""});
}

TEST(ColumnRead, StoredTimesWithMillisecondsAndZoneReadAsGdalReadsThem) {
  TempDir dir;
  auto store = storeWith(dir, batch("signalen", seededSignals(20, 5)));
  // As other programs write DATETIME: with milliseconds (rounded by the record path) and Z.
  store->executeSql(
      "UPDATE signalen SET waargenomen_van = '2024-05-01T10:00:00.600Z' WHERE fid = 2");
  store->executeSql(
      "UPDATE signalen SET waargenomen_van = '2024-05-01T10:00:09.499' WHERE fid = 3");
  store->executeSql("UPDATE signalen SET waargenomen_tot = '2024-07-01T00:00:00Z' WHERE fid = 4");
  const PointInput fast = readPoints(*store, {"signalen", "", ""});
  EXPECT_EQ(fast.timeFrom[1], *parseIsoTime("2024-05-01T10:00:01"));
  EXPECT_EQ(fast.timeFrom[2], *parseIsoTime("2024-05-01T10:00:09"));
  EXPECT_EQ(fast.timeTo[3], *parseIsoTime("2024-07-01T00:00:00"));
  expectColumnPathAgrees(*store, {"signalen", "", ""});
  // A form the column path does not know: the record path reads it (GDAL's parser).
  store->executeSql("UPDATE signalen SET waargenomen_tot = '2024-07-02' WHERE fid = 5");
  EXPECT_FALSE(readPointsByColumns(*store, {"signalen", "", ""}));
  expectSameInput(readPoints(*store, {"signalen", "", ""}), byRecord(*store, {"signalen", "", ""}));
}

TEST(ColumnRead, RowsWithoutAPointGiveTheRecordPathsAnswer) {
  TempDir dir;
  auto store = storeWith(dir, batch("signalen", seededSignals(40, 9)));
  // A multipoint: its centroid, as before.
  OGRMultiPoint mp;
  mp.addGeometry(std::make_unique<OGRPoint>(kX0, kY0).get());
  mp.addGeometry(std::make_unique<OGRPoint>(kX0 + 100, kY0 + 50).get());
  setGeometry(*store, "signalen", 6, &mp);
  const auto cols = store->readPointColumns("signalen", {}, {}, geo::nullProgress());
  ASSERT_TRUE(cols);
  EXPECT_EQ(cols->withoutPoint, (std::vector<std::int64_t>{6}));
  EXPECT_FALSE(readPointsByColumns(*store, {"signalen", "", ""}));
  const PointInput fast = readPoints(*store, {"signalen", "", ""});
  EXPECT_DOUBLE_EQ(fast.points[5].x, kX0 + 50);
  EXPECT_DOUBLE_EQ(fast.points[5].y, kY0 + 25);
  expectSameInput(fast, byRecord(*store, {"signalen", "", ""}));
  // Filtered away, it no longer matters.
  expectColumnPathAgrees(*store, {"signalen", "signaal_id <> 'SIG-T-0005'", ""});
  // An empty and a missing geometry: the same error both ways, naming the row.
  OGRPoint empty;
  setGeometry(*store, "signalen", 8, &empty);
  EXPECT_THROW_WITH(readPoints(*store, {"signalen", "", ""}), geo::InputError,
                    "the row has no geometry");
  setGeometry(*store, "signalen", 8, nullptr);
  EXPECT_THROW_WITH(readPoints(*store, {"signalen", "", ""}), geo::InputError,
                    "the row has no geometry");
  EXPECT_THROW_WITH(byRecord(*store, {"signalen", "", ""}), geo::InputError,
                    "the row has no geometry");
}

TEST(ColumnRead, EmptySelectionsAndNullWeightsFailAsBefore) {
  TempDir dir;
  auto store = storeWith(dir, batch("signalen", seededSignals(30, 13)));
  EXPECT_THROW_WITH(readPoints(*store, {"signalen", "categorie = 'GEEN'", ""}), geo::InputError,
                    "the selection holds no rows");
  EXPECT_THROW_WITH(readPoints(*store, {"incidenten", "", ""}), geo::InputError,
                    "the selection holds no rows");  // a layer with 0 rows
  EXPECT_THROW_WITH(readPoints(*store, {"signalen", "", "locatie_precisie_m"}), geo::InputError,
                    "the weight is NULL");
  store->executeSql("UPDATE signalen SET locatie_precisie_m = -1 WHERE fid = 1");
  EXPECT_THROW_WITH(
      readPoints(*store, {"signalen", "locatie_precisie_m IS NOT NULL", "locatie_precisie_m"}),
      geo::InputError, "a weight must be finite and >= 0");
}

TEST(ColumnRead, AClusterRunWritesTheSameTablesBothWays) {
  TempDir dir;
  std::vector<Record> recs = seededSignals(300, 21);
  for (Record& r : twoGroupSignals()) {  // planted groups, so there are clusters
    r.values[0] = std::get<std::string>(r.values[0]) + "-G";
    recs.push_back(std::move(r));
  }
  auto store = storeWith(dir, batch("signalen", std::move(recs)));
  ClusteringRequest req;
  req.dbscan.eps = 150;
  req.dbscan.minPts = 3;
  req.output = "kolom";
  runClustering(*store, req);
  {
    RecordPath record;
    req.output = "record";
    runClustering(*store, req);
  }
  for (const char* table : {"_punten", "_clusters"}) {
    SCOPED_TRACE(table);
    const auto rows = [&](const std::string& output) {
      return store->query("SELECT * FROM " + output + table + " ORDER BY fid");
    };
    const auto a = rows("kolom"), b = rows("record");
    EXPECT_GT(a.size(), 2u);
    EXPECT_EQ(a, b);
  }
  const auto clusters =
      store->query("SELECT COUNT(DISTINCT cluster_id) FROM kolom_punten WHERE cluster_id >= 0");
  EXPECT_GE(std::stoi(*clusters.at(0).at(0)), 2);
}

TEST(ColumnRead, AFilteredColumnReadRunsUnderTheStoresReadLimits) {
  TempDir dir;
  auto store = storeWith(dir, batch("signalen", seededSignals(400, 17)));
  const FilterSql all = compileFilter(layerDef("signalen"), "signaal_id LIKE 'SIG-%'");
  ReadLimits tight;
  tight.seconds = 1e-9;  // over at the first check of the guard's progress handler
  store->setReadLimits(tight);
  EXPECT_THROW_WITH(store->readPointColumns("signalen", all, {"signaal_id"}, geo::nullProgress()),
                    geo::Error, "the filter on 'signalen' was stopped after");
  EXPECT_THROW_WITH(readPoints(*store, {"signalen", "signaal_id LIKE 'SIG-%'", ""}), geo::Error,
                    "the filter on 'signalen' was stopped after");
  // Unfiltered reads are not limited, and the guard is gone: the connection writes again.
  const auto unfiltered = store->readPointColumns("signalen", {}, {}, geo::nullProgress());
  ASSERT_TRUE(unfiltered);
  EXPECT_EQ(unfiltered->points.size(), 400u);
  store->executeSql("UPDATE signalen SET locatie_precisie_m = 1 WHERE fid = 1");
  store->setReadLimits({});
  EXPECT_EQ(readPoints(*store, {"signalen", "signaal_id LIKE 'SIG-%'", ""}).size(), 400u);
}
