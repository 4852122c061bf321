// Analyses on a PostGIS store (label postgis): the same clustering on a PostGIS store and on a
// GeoPackage store with the same signals gives the same result tables and registry rows; the
// PostGIS result is a table with a GiST index, a table comment and QGIS's default style in
// layer_styles; a result set replaces its predecessor all or nothing.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <latch>
#include <mutex>
#include <random>
#include <thread>

#include "layers/analyses/clustering.h"
#include "layers/importers/importer.h"
#include "layers/pgstore/pg_results.h"
#include "layers/pgstore/pg_store.h"
#include "layers/results/results.h"
#include "tests/layers/pgstore/data.h"
#include "tests/layers/pgstore/temp_postgres.h"

namespace veldwacht::layers {
namespace {

namespace fs = std::filesystem;
using pgstore::PgStore;
using testing::cluster;
using testing::TempPostgres;

/// Three tight groups of signals (25, 18 and 12 around known centres, within 40 m) and 15
/// scattered ones, from a fixed seed; categories alternate so a filter keeps part of them.
ImportBatch clusteredSignals() {
  std::mt19937 rng(20241205);
  std::uniform_real_distribution<double> near(-40.0, 40.0), far(0.0, 20000.0);
  auto b = testing::batch("signalen", "signalen.csv");
  int k = 0;
  auto add = [&](double x, double y) {
    char when[32];
    std::snprintf(when, sizeof when, "2024-%02d-%02dT21:00:00", 1 + k % 12, 1 + k % 28);
    b.records.push_back(
        testing::record("signalen",
                        {{"signaal_id", "S-" + std::to_string(k)},
                         {"categorie", k % 5 == 4 ? "VERHUUR" : "HENNEP"},
                         {"brontype", "boer"},
                         {"waargenomen_van", std::string(when)},
                         {"status", "nieuw"}},
                        "POINT(" + std::to_string(x) + " " + std::to_string(y) + ")", k + 2));
    ++k;
  };
  const double centres[3][2] = {{201000, 501000}, {205000, 503000}, {209000, 507000}};
  const int sizes[3] = {25, 18, 12};
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < sizes[c]; ++i) add(centres[c][0] + near(rng), centres[c][1] + near(rng));
  for (int i = 0; i < 15; ++i) add(190000 + far(rng), 480000 + far(rng));
  return b;
}

struct TempDir {
  TempDir() {
    char tmpl[] = "/tmp/veldwacht_pgres_XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

class PgResultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!TempPostgres::available()) GTEST_SKIP() << "PostgreSQL 15 + PostGIS not installed";
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    url_ = cluster().newDatabase(std::string("r_") + info->name());
    pg_ = PgStore::create(url_);
    gpkg_ = Store::create((dir_.path / "s.gpkg").string());
    for (Store* s : {static_cast<Store*>(pg_.get()), gpkg_.get()})
      s->append(testing::only(clusteredSignals()));
  }
  std::int64_t count(const std::string& sql) { return std::stoll(*pg_->query(sql).at(0).at(0)); }
  TempDir dir_;
  std::string url_;
  std::unique_ptr<PgStore> pg_;
  std::unique_ptr<Store> gpkg_;
};

ClusteringRequest dbscanOnHennep() {
  ClusteringRequest req;
  req.input.layer = "signalen";
  req.input.where = "categorie = 'HENNEP'";
  req.output = "hennep";
  req.dbscan.eps = 60;
  req.dbscan.minPts = 4;
  req.dbscan.threads = 1;
  return req;
}

std::string text(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  return "NULL";
}

TEST_F(PgResultsTest, ClusteringGivesTheSameTablesAsOnAGeoPackage) {
  const auto req = dbscanOnHennep();
  runClustering(*gpkg_, req);
  runClustering(*pg_, req);
  for (const char* name : {"hennep_punten", "hennep_clusters"}) {
    SCOPED_TRACE(name);
    const ResultLayer a = readResultLayer(*gpkg_, name);
    const ResultLayer b = readResultLayer(*pg_, name);
    ASSERT_EQ(a.fields.size(), b.fields.size());
    for (std::size_t i = 0; i < a.fields.size(); ++i) {
      EXPECT_EQ(a.fields[i].name, b.fields[i].name);
      EXPECT_EQ(a.fields[i].type, b.fields[i].type) << a.fields[i].name;
    }
    EXPECT_EQ(a.geometry, b.geometry);
    ASSERT_EQ(a.records.size(), b.records.size());
    ASSERT_GT(a.records.size(), 0u);
    for (std::size_t r = 0; r < a.records.size(); ++r) {
      for (std::size_t i = 0; i < a.fields.size(); ++i) {
        const Value &x = a.records[r].values[i], &y = b.records[r].values[i];
        if (std::holds_alternative<double>(x) && std::holds_alternative<double>(y))
          EXPECT_DOUBLE_EQ(std::get<double>(x), std::get<double>(y)) << a.fields[i].name;
        else
          EXPECT_EQ(text(x), text(y)) << a.fields[i].name << " row " << r;
      }
      ASSERT_TRUE(a.records[r].geometry && b.records[r].geometry);
      EXPECT_TRUE(a.records[r].geometry->Equals(b.records[r].geometry.get())) << "row " << r;
    }
    EXPECT_EQ(a.metadata.algorithm, b.metadata.algorithm);
    EXPECT_EQ(a.metadata.parametersJson, b.metadata.parametersJson);
    EXPECT_EQ(a.metadata.inputLayer, b.metadata.inputLayer);
    EXPECT_EQ(a.metadata.inputRows, b.metadata.inputRows);
    EXPECT_EQ(a.style, b.style);
  }
  // The filter kept the HENNEP signals only (4 of every 5), on both.
  EXPECT_EQ(readResultLayer(*pg_, "hennep_punten").records.size(), 56u);
  // Three groups found; the points table has one row per filtered signal.
  EXPECT_EQ(count("SELECT count(*) FROM hennep_clusters"), 3);
  // A real table: GiST index on its geometry, typed geometry column, a comment for QGIS.
  EXPECT_EQ(count("SELECT count(*) FROM pg_indexes WHERE tablename = 'hennep_punten' AND "
                  "indexdef LIKE '%USING gist%'"),
            1);
  EXPECT_EQ(*pg_->query("SELECT type FROM geometry_columns WHERE f_table_name = "
                        "'hennep_clusters'")
                 .at(0)
                 .at(0),
            "MULTIPOLYGON");
  EXPECT_NE(pg_->query("SELECT obj_description('hennep_punten'::regclass)")
                .at(0)
                .at(0)
                .value_or("")
                .find("dbscan op signalen"),
            std::string::npos);
  // The default style QGIS reads from PostGIS is the one the GeoPackage got.
  const auto gpkgStyle = defaultStyle(gpkg_->dataset(), "hennep_punten");
  ASSERT_TRUE(gpkgStyle) << "no styles found for the GeoPackage store";
  const auto pgStyle = pgstore::defaultStyle(pg_->connection(), "hennep_punten");
  ASSERT_TRUE(pgStyle);
  ASSERT_NE(pgStyle->find("<qgis"), std::string::npos);
  EXPECT_EQ(pgStyle->substr(pgStyle->find("<qgis")), gpkgStyle->substr(gpkgStyle->find("<qgis")));
  EXPECT_EQ(count("SELECT count(*) FROM layer_styles WHERE f_table_name = 'hennep_punten' AND "
                  "useasdefault AND f_geometry_column = 'geom' AND f_table_schema = 'public'"),
            1);
  // Registry rows alike.
  const auto ra = listResults(*gpkg_), rb = listResults(*pg_);
  ASSERT_EQ(ra.size(), rb.size());
  for (std::size_t i = 0; i < ra.size(); ++i) EXPECT_EQ(ra[i].layer, rb[i].layer);
}

TEST_F(PgResultsTest, ARunAgainReplacesTheSetAndAFailureLeavesTheOldOne) {
  auto req = dbscanOnHennep();
  runClustering(*pg_, req);
  const std::int64_t before = count("SELECT count(*) FROM hennep_punten");
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_resultaten"), 2);

  // A second run with every signal replaces both tables, registry rows and styles.
  req.input.where.clear();
  runClustering(*pg_, req);
  EXPECT_EQ(count("SELECT count(*) FROM hennep_punten"), 70);
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_resultaten"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM layer_styles WHERE f_table_name = 'hennep_punten'"), 1);

  // A set whose last step fails (a result file that cannot be moved into place) writes
  // nothing: the old tables and rows stay.
  std::vector<ResultLayer> set;
  ResultLayer l = readResultLayer(*pg_, "hennep_punten");
  l.records.resize(3);
  set.push_back(std::move(l));
  std::vector<ResultFile> files;
  files.push_back({(dir_.path / "x.tif").string(),
                   set[0].metadata,
                   "",
                   "",
                   [] { throw geo::LibraryError("cannot move x.tif into place"); },
                   {}});
  EXPECT_THROW(writeResultSet(*pg_, std::move(set), std::move(files)), geo::LibraryError);
  EXPECT_EQ(count("SELECT count(*) FROM hennep_punten"), 70);
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_resultaten"), 2);
  EXPECT_NE(before, 70);

  deleteResult(*pg_, "hennep_clusters");
  EXPECT_FALSE(pg_->query("SELECT to_regclass('hennep_clusters')").at(0).at(0));
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_resultaten"), 1);
}

TEST_F(PgResultsTest, RefusesTablesOfTheStoreAndForeignTablesAndBadRecords) {
  // A table "n" (integer, required) with `values` as its rows.
  auto table = [](const std::string& name, std::vector<Value> values) {
    ResultLayer l;
    l.name = name;
    l.metadata.algorithm = "test";
    l.geometry = GeometryKind::None;
    FieldDef f;
    f.name = "n";
    f.type = FieldType::Integer;
    f.required = true;
    l.fields = {f};
    for (auto& v : values) {
      Record r;
      r.values = {std::move(v)};
      l.records.push_back(std::move(r));
    }
    return l;
  };
  EXPECT_THROW(writeResultLayer(*pg_, table("signalen", {})), geo::InputError);
  pg_->executeSql("CREATE TABLE eigen_tabel (a int)");
  EXPECT_THROW(writeResultLayer(*pg_, table("eigen_tabel", {})), geo::InputError);
  EXPECT_EQ(count("SELECT count(*) FROM pg_attribute WHERE attrelid = 'eigen_tabel'::regclass "
                  "AND attnum > 0"),
            1);  // untouched
  // NULL in a required field: refused before anything is written.
  EXPECT_THROW(writeResultLayer(*pg_, table("telling", {std::int64_t(4), Value{}})),
               ValidationError);
  EXPECT_FALSE(pg_->query("SELECT to_regclass('telling')").at(0).at(0));
  writeResultLayer(*pg_, table("telling", {std::int64_t(4), std::int64_t(5)}));
  EXPECT_EQ(count("SELECT sum(n) FROM telling"), 9);
}

TEST_F(PgResultsTest, AResultFileNeedsAnOutputFolder) {
  auto& writer = *pg_->resultWriter();
  EXPECT_THROW(writer.resultFilePath("", "dichtheid"), geo::OptionError);
  const auto path = writer.resultFilePath(dir_.path.string(), "dichtheid");
  EXPECT_EQ(fs::path(path).parent_path(), dir_.path);
  EXPECT_EQ(fs::path(path).filename().string(), "r_AResultFileNeedsAnOutputFolder_dichtheid.tif");
}

/// `n` HENNEP signals <prefix>0… 500 m apart on a line far from the groups (never a cluster).
ImportBatch spreadSignals(const std::string& prefix, int n, double y) {
  auto b = testing::batch("signalen", prefix + ".csv");
  for (int i = 0; i < n; ++i)
    b.records.push_back(testing::record(
        "signalen",
        {{"signaal_id", prefix + std::to_string(i)},
         {"categorie", "HENNEP"},
         {"brontype", "boer"},
         {"waargenomen_van", std::string("2024-03-01T12:00:00")},
         {"status", "nieuw"}},
        "POINT(" + std::to_string(100000 + 500 * i) + " " + std::to_string(y) + ")", i + 2));
  return b;
}

TEST_F(PgResultsTest, ThreeAnalysesAndTwoImportsAtOnce) {
  // Five connections at once: two imports of 300 signals each, three clusterings into their own
  // result sets. Nothing is lost, nothing half written, no error.
  std::vector<std::string> errors;
  std::mutex m;
  auto guarded = [&](auto work) {
    return std::thread([&, work] {
      try {
        work();
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(m);
        errors.push_back(e.what());
      }
    });
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i)
    threads.push_back(guarded([this, i] {
      auto s = PgStore::open(url_, true);
      s->append(testing::only(spreadSignals(i ? "B-" : "A-", 300, 400000.0 + 1000 * i)));
    }));
  for (int i = 0; i < 3; ++i)
    threads.push_back(guarded([this, i] {
      auto s = PgStore::open(url_, true);
      auto req = dbscanOnHennep();
      req.output = "c" + std::to_string(i);
      runClustering(*s, req);
    }));
  for (auto& t : threads) t.join();
  EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors.front());
  EXPECT_EQ(count("SELECT count(*) FROM signalen"), 70 + 600);
  EXPECT_EQ(count("SELECT count(*) FROM signalen WHERE signaal_id LIKE 'A-%'"), 300);
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_resultaten"), 6);
  for (int i = 0; i < 3; ++i) {
    const std::string c = "c" + std::to_string(i);
    // Each run saw the signals before, between or after the imports: whole imports only.
    const std::int64_t points = count("SELECT count(*) FROM " + c + "_punten");
    EXPECT_TRUE(points == 56 || points == 356 || points == 656) << c << ": " << points;
    EXPECT_EQ(count("SELECT count(*) FROM " + c + "_clusters"), 3) << c;
    EXPECT_EQ(count("SELECT count(*) FROM veldwacht_resultaten WHERE laag LIKE '" + c + "\\_%'"),
              2);
  }
}

// Issue 14, item 3: two imports (importFiles, streamed in chunks) of files that share 150 keys
// and three clusterings, two of them into the same result name, all at once on their own
// connections. One import is written whole and the other refused naming a shared key's row
// (never half of either, never a crash); both runs of the shared name end in one complete,
// registered result set (their writers wait for each other), the third in its own.
TEST_F(PgResultsTest, OverlappingImportsAndAnalysesOfOneResultNameAtOnce) {
  auto csv = [&](const std::string& name, int from, int n) {
    const std::string path = (dir_.path / name).string();
    std::ofstream out(path);
    out << "signaal_id;categorie;brontype;waargenomen_van;status;x;y\n";
    for (int i = from; i < from + n; ++i)  // 300 m apart on a line: never a cluster
      out << "K-" << i << ";HENNEP;boer;01-03-2024 12:00;nieuw;" << 100000 + 300 * i << ";420000\n";
    return path;
  };
  const std::vector<std::string> files = {csv("a.csv", 0, 300), csv("b.csv", 150, 300)};
  struct Outcome {
    bool ok = false;
    std::vector<Problem> problems;
    std::string error;  // anything that is not a refusal by row: a failure of the test
  };
  std::vector<Outcome> imports(2), analyses(3);
  std::latch start(5);
  auto run = [&](Outcome& out, const std::function<void(PgStore&)>& work) {
    return std::thread([&, work] {
      try {
        auto s = PgStore::open(url_, true);
        start.arrive_and_wait();
        work(*s);
        out.ok = true;
      } catch (const ValidationError& e) {
        out.problems = e.problems();
      } catch (const std::exception& e) {
        out.error = e.what();
      }
    });
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i)
    threads.push_back(run(imports[std::size_t(i)], [&, i](PgStore& s) {
      ImportOptions o;
      o.chunkRows = 100;  // three chunks a file
      importFiles(s, std::span<const std::string>(&files[std::size_t(i)], 1), o);
    }));
  for (int i = 0; i < 3; ++i)
    threads.push_back(run(analyses[std::size_t(i)], [i](PgStore& s) {
      auto req = dbscanOnHennep();
      req.output = i < 2 ? "samen" : "eigen";
      runClustering(s, req);
    }));
  for (auto& t : threads) t.join();

  // The imports: exactly one whole, the other refused by the row of a shared key.
  for (const auto& o : imports) EXPECT_TRUE(o.error.empty()) << o.error;
  ASSERT_NE(imports[0].ok, imports[1].ok);
  const std::size_t lost = imports[0].ok ? 1 : 0;
  ASSERT_FALSE(imports[lost].problems.empty());
  const Problem& p = imports[lost].problems.front();
  EXPECT_EQ(p.where.file, files[lost]);
  EXPECT_EQ(p.where.field, "signaal_id");
  ASSERT_TRUE(p.where.row.has_value());
  const int key = int(*p.where.row) - 2 + (lost ? 150 : 0);
  EXPECT_GE(key, 150) << p.str();
  EXPECT_LT(key, 300) << p.str();
  // Written by the other import while this one ran, or before it began (then it is a store's);
  // the rows of the same message are listed in it ("… in 150 rows: 2, 3, …; e.g. 'K-150'; …").
  const bool concurrent =
      p.message.rfind("signaal_id written by another import at the same time (layer signalen)",
                      0) == 0 &&
      p.message.find("nothing of this import was written") != std::string::npos;
  const bool stored = p.message.rfind("signaal_id already in the store (layer signalen)", 0) == 0 &&
                      p.message.find("was this file imported before?") != std::string::npos;
  EXPECT_TRUE(concurrent || stored) << p.str();
  EXPECT_NE(p.message.find("e.g. 'K-"), std::string::npos) << p.str();
  std::printf("refused: %s\n", p.str().c_str());
  EXPECT_EQ(count("SELECT count(*) FROM signalen WHERE signaal_id LIKE 'K-%'"), 300);
  EXPECT_EQ(
      count("SELECT count(*) FROM veldwacht_imports WHERE bron_bestand = '" + files[lost] + "'"),
      0);
  EXPECT_EQ(count("SELECT count(*) FROM signalen s JOIN veldwacht_imports i USING (import_id) "
                  "WHERE i.bron_bestand = '" +
                  files[1 - lost] + "' AND i.rijen = 300"),
            300);

  // The analyses: no error; each name one complete set, registered with what it holds.
  for (const auto& o : analyses) EXPECT_TRUE(o.ok) << o.error;
  for (const std::string name : {"samen", "eigen"}) {
    EXPECT_EQ(count("SELECT count(*) FROM veldwacht_resultaten WHERE laag IN ('" + name +
                    "_punten', '" + name + "_clusters')"),
              2)
        << name;
    const std::int64_t points = count("SELECT count(*) FROM " + name + "_punten");
    std::printf("%s: %lld points\n", name.c_str(), static_cast<long long>(points));
    EXPECT_TRUE(points == 56 || points == 356) << name << ": " << points;  // before / after
    EXPECT_EQ(
        count("SELECT invoer_rijen FROM veldwacht_resultaten WHERE laag = '" + name + "_punten'"),
        points)
        << name;
    EXPECT_EQ(count("SELECT count(*) FROM " + name + "_clusters"), 3) << name;
  }
}

}  // namespace
}  // namespace veldwacht::layers
