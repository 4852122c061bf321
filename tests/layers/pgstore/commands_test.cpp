// Every `veldwacht` command on a PostGIS store gives what it gives on a GeoPackage store: the
// same records appended to a GeoPackage and to a database of the temporary PostgreSQL 15, the
// same command run on each as a user would, and the results compared with each other and with
// the answers the GeoPackage tests know (tests/cli/plan_cli_test.cpp, privacy_cli_test.cpp).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>

#include <fmt/core.h>

#include "layers/followup/followup.h"
#include "layers/pgstore/backend.h"
#include "layers/pgstore/pg.h"
#include "layers/pgstore/pg_store.h"
#include "layers/privacy/audit.h"
#include "layers/results/results.h"
#include "tests/cli/plan_store.h"
#include "tests/cli/run_veldwacht.h"
#include "tests/layers/fieldwork/fieldwork_fixtures.h"
#include "tests/layers/pgstore/temp_postgres.h"
#include "tests/layers/privacy/fixtures.h"

namespace veldwacht::layers {
namespace {

using testing::cluster;
using testing::Outcome;
using testing::runVeldwacht;
using testing::slurp;
using testing::TempDir;
using testing::TempPostgres;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// A result layer as text, row by row: every field's value and the geometry as WKT (rounded to
/// the millimetre), so that two stores' results compare as strings.
std::string dump(Store& store, const std::string& layer) {
  const ResultLayer r = readResultLayer(store, layer);
  std::string out = layer + ": " + std::to_string(r.records.size()) + " rows\n";
  for (const auto& rec : r.records) {
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
      const Value& v = rec.values[i];
      out += r.fields[i].name + "=";
      if (const auto* s = std::get_if<std::string>(&v)) out += *s;
      if (const auto* n = std::get_if<std::int64_t>(&v)) out += std::to_string(*n);
      if (const auto* d = std::get_if<double>(&v)) out += fmt::format("{:.3f}", *d);
      out += "; ";
    }
    if (rec.geometry) {
      OGRWktOptions o;
      o.precision = 3;
      o.format = OGRWktFormat::F;
      out += rec.geometry->exportToWkt(o);
    }
    out += "\n";
  }
  return out;
}

/// Every layer of a GeoPackage file (a public export) as text, as dump() does.
std::string dumpFile(const std::string& path) {
  auto ds = geo::openDataset(path);
  std::string out;
  for (int i = 0; i < ds->GetLayerCount(); ++i) {
    OGRLayer* l = ds->GetLayer(i);
    if (std::string(l->GetName()) == "layer_styles") continue;
    out += std::string(l->GetName()) + "\n";
    for (auto& f : *l) {
      for (int k = 0; k < f->GetFieldCount(); ++k)
        out +=
            std::string(f->GetFieldDefnRef(k)->GetNameRef()) + "=" + f->GetFieldAsString(k) + "; ";
      if (const OGRGeometry* g = f->GetGeometryRef()) {
        OGRWktOptions o;
        o.precision = 3;
        o.format = OGRWktFormat::F;
        out += g->exportToWkt(o);
      }
      out += "\n";
    }
  }
  return out;
}

class PgCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!TempPostgres::available()) GTEST_SKIP() << "PostgreSQL 15 + PostGIS not installed";
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    url_ = cluster().newDatabase(std::string("cmd_") + info->name());
    gpkg_ = dir_.file("t.gpkg");
  }
  /// Both stores created and given the same records.
  void fill(const std::function<std::vector<ImportBatch>()>& batches) {
    for (const std::string& path : {gpkg_, url_}) {
      auto store = createStore(path);
      auto b = batches();
      store->append(b);
    }
  }
  const std::string& path(bool pg) const { return pg ? url_ : gpkg_; }
  /// `veldwacht` with "{S}" in `args` replaced by the quoted store.
  Outcome run(bool pg, std::string args) {
    const auto at = args.find("{S}");
    args.replace(at, 3, "\"" + path(pg) + "\"");
    return runVeldwacht(dir_, args);
  }
  std::unique_ptr<Store> open(bool pg) { return openStore(path(pg), /*update=*/false); }
  /// `args` on both stores: both must succeed; returns what each printed.
  std::array<Outcome, 2> both(const std::string& args) {
    std::array<Outcome, 2> r{run(false, args), run(true, args)};
    EXPECT_EQ(r[0].code, 0) << "GeoPackage: " << args << "\n" << r[0].err;
    EXPECT_EQ(r[1].code, 0) << "PostGIS: " << args << "\n" << r[1].err;
    return r;
  }

  TempDir dir_;
  std::string url_, gpkg_;
};

TEST_F(PgCommandsTest, PlanRouteMatrixAndReachGiveTheGeoPackageStoresAnswers) {
  fill(testing::planBatches);
  const std::string speeds = dir_.file("speeds.json");
  std::ofstream(speeds) << testing::kPlanSpeedsJson;
  // plan: as CliPlan.WritesTheThreeLayersRouteCardsGpxAndGeoJson (1 route, 2 visits, 1 site
  // dropped: INC-T-00003 on the island road).
  for (bool pg : {false, true}) {
    const std::string gpx = dir_.file(pg ? "pg.gpx" : "gpkg.gpx");
    const Outcome r =
        run(pg, "plan {S} --sites incidenten --period 2026-12-07/2026-12-08 --speeds '" + speeds +
                    "' --shifts-per-partner 0 --iterations 200 --seconds 30 "
                    "--threads 1 --skill adrescontrole --mandatory -o week --gpx '" +
                    gpx + "'");
    ASSERT_EQ(r.code, 0) << (pg ? "PostGIS: " : "GeoPackage: ") << r.err << r.out;
    EXPECT_TRUE(has(r.out, "INC-T-00003")) << r.out;
  }
  auto g = open(false), p = open(true);
  for (const char* layer : {"week_routes", "week_bezoeken", "week_vervallen"})
    EXPECT_EQ(dump(*p, layer), dump(*g, layer));
  EXPECT_EQ(readResultLayer(*p, "week_routes").records.size(), 1u);
  EXPECT_EQ(readResultLayer(*p, "week_bezoeken").records.size(), 2u);
  EXPECT_EQ(readResultLayer(*p, "week_vervallen").records.size(), 1u);
  EXPECT_EQ(slurp(dir_.file("pg.gpx")).size(), slurp(dir_.file("gpkg.gpx")).size());
  // The network is kept in the PostGIS store as in the GeoPackage one.
  EXPECT_EQ(p->query("SELECT count(*) FROM veldwacht_netwerk")[0][0], "1");
  g.reset();
  p.reset();

  // areas: one area per partner over the same cells.
  both("areas {S} --sites incidenten -o gebied");
  g = open(false);
  p = open(true);
  EXPECT_EQ(dump(*p, "gebied_gebieden"), dump(*g, "gebied_gebieden"));
  g.reset();
  p.reset();

  // route: 4 000 m from the west end to 1 km before the east end, 400 s at 36 km/h.
  both("route {S} --from-xy 250000,590000 --to-xy 254000,590000 --speeds '" + speeds + "' -o r");
  // matrix: partners x incidenten, the same CSV from both stores.
  const std::string csvG = dir_.file("m_gpkg.csv"), csvP = dir_.file("m_pg.csv");
  EXPECT_EQ(run(false, "matrix {S} --from partners --to incidenten --speeds '" + speeds +
                           "' --csv '" + csvG + "' -o m")
                .code,
            0);
  EXPECT_EQ(run(true, "matrix {S} --from partners --to incidenten --speeds '" + speeds +
                          "' --csv '" + csvP + "' -o m")
                .code,
            0);
  EXPECT_EQ(slurp(csvP), slurp(csvG));
  EXPECT_TRUE(has(slurp(csvP), "INC-T-00002")) << slurp(csvP);
  both("reach {S} --from partners --minutes 5 --speeds '" + speeds + "' -o b");
  g = open(false);
  p = open(true);
  for (const char* layer : {"r_route", "m_matrix"}) EXPECT_EQ(dump(*p, layer), dump(*g, layer));
  const ResultLayer route = readResultLayer(*p, "r_route");
  ASSERT_EQ(route.records.size(), 1u);
  EXPECT_NEAR(std::get<double>(testing::resultValue(route, 0, "lengte_m")), 4000.0, 0.5);
  for (const auto& s : g->summary())
    if (s.name.starts_with("b_")) {
      EXPECT_EQ(dump(*p, s.name), dump(*g, s.name)) << s.name;
    }
}

TEST_F(PgCommandsTest, StatusOpvolgingAndRetentionGiveTheGeoPackageStoresAnswers) {
  fill([] { return testing::privacyBatches(); });
  both(
      "status {S} --signaal SIG-T-0000 --naar in_behandeling --datum 2025-03-05 "
      "--terugkoppeling 'Dank voor uw melding'");
  const auto jump = run(true, "status {S} --signaal SIG-T-0001 --naar afgesloten");
  EXPECT_EQ(jump.code, 3) << jump.err;
  EXPECT_TRUE(has(jump.err, "signal 'SIG-T-0001' cannot go from nieuw to afgesloten")) << jump.err;
  // 24 reports of 2024-05-01; one given feedback after 308 days; 23 waiting 335 days (the
  // GeoPackage test's answer, OpvolgingCli.PrintsAndWritesTheFiguresAndAuditsTheCsv).
  const std::string expected =
      "groep;gemeld;in_behandeling_genomen;afgehandeld;teruggekoppeld;te_laat;"
      "mediaan_dagen_tot_terugkoppeling\n"
      "boer;24;1;0;1;23;308,0\n"
      "totaal;24;1;0;1;23;308,0\n";
  for (bool pg : {false, true}) {
    const std::string csv = dir_.file(pg ? "pg.csv" : "gpkg.csv");
    const Outcome r =
        run(pg, "opvolging {S} --per brontype --vandaag 2025-04-01 --csv '" + csv + "'");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(slurp(csv), expected) << (pg ? "PostGIS" : "GeoPackage");
    EXPECT_TRUE(has(r.out, "23 reports without feedback after more than 14 days")) << r.out;
  }
  const auto perMonth = both("opvolging {S} --per maand --vandaag 2025-04-01 --from 2024-05-01");
  EXPECT_EQ(perMonth[1].out, perMonth[0].out);
  {
    auto p = open(true);
    const auto history = followupHistory(*p, "SIG-T-0000");
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].to, "in_behandeling");
    EXPECT_EQ(history[0].feedback, "Dank voor uw melding");
    EXPECT_EQ(p->query("SELECT terugkoppeling, terugkoppeling_op FROM signalen WHERE signaal_id "
                       "= 'SIG-T-0000'")[0],
              (std::vector<std::optional<std::string>>{"t", "2025-03-05"}));
    // The history cannot be changed, also not with SQL (as the GeoPackage's trigger).
    EXPECT_THROW(p->executeSql("UPDATE veldwacht_opvolging SET naar_status = 'nieuw'"),
                 std::exception);
    const auto audit = readAudit(*p);
    ASSERT_EQ(audit.size(), 2u);  // the status change and the CSV export
    EXPECT_EQ(audit[0].action, "status");
    EXPECT_EQ(audit[1].action, "export");
  }
  // Retention: the list and the removal as on the GeoPackage store, the history with them.
  const auto list = both("audit {S} --bewaartermijn 300 --vandaag 2025-03-01");
  EXPECT_EQ(list[1].out, list[0].out);
  EXPECT_TRUE(has(list[1].out, "24 signals older than 300 days")) << list[1].out;
  EXPECT_TRUE(has(list[1].out, "SIG-T-0023           2024-05-01T10:00:00")) << list[1].out;
  const auto none = both("audit {S} --bewaartermijn 305 --vandaag 2025-03-01");  // 2024-05-01
  EXPECT_TRUE(has(none[1].out, "0 signals older than 305 days")) << none[1].out;
  const auto removed = both("audit {S} --bewaartermijn 300 --vandaag 2025-03-01 --verwijder");
  EXPECT_EQ(removed[1].out, removed[0].out);
  EXPECT_TRUE(has(removed[1].out, "Removed 24 signals")) << removed[1].out;
  auto p = open(true);
  EXPECT_EQ(p->query("SELECT count(*) FROM signalen")[0][0], "0");
  EXPECT_EQ(p->query("SELECT count(*) FROM veldwacht_opvolging")[0][0], "0");
  EXPECT_EQ(readAudit(*p).back().action, "verwijder");
  const auto log = run(true, "audit {S} -n 1");
  EXPECT_EQ(log.code, 0) << log.err;
  EXPECT_TRUE(has(log.out, "verwijder")) << log.out;
}

TEST_F(PgCommandsTest, PubliceerAndTheClassificationGiveTheGeoPackageStoresAnswers) {
  fill([] { return testing::privacyBatches(); });
  for (bool pg : {false, true}) {
    const std::string out = dir_.file(pg ? "pg_openbaar.gpkg" : "gpkg_openbaar.gpkg");
    const Outcome r = run(pg, "publiceer {S} -o '" + out + "' --seed 42 --laag buurten");
    ASSERT_EQ(r.code, 0) << (pg ? "PostGIS: " : "GeoPackage: ") << r.err;
  }
  // The same public file: the counts per buurt, wijk and gemeente and the same 24 masked points
  // (same seed, the rows read in the same order).
  const std::string pub = dumpFile(dir_.file("pg_openbaar.gpkg"));
  EXPECT_EQ(pub, dumpFile(dir_.file("gpkg_openbaar.gpkg")));
  auto ds = geo::openDataset(dir_.file("pg_openbaar.gpkg"));
  ASSERT_NE(ds->GetLayerByName("openbaar_signalen_gemaskeerd"), nullptr);
  EXPECT_EQ(ds->GetLayerByName("openbaar_signalen_gemaskeerd")->GetFeatureCount(), 24);
  EXPECT_EQ(ds->GetLayerByName("signalen"), nullptr);
  // The public layers' styles came along from PostgreSQL's layer_styles.
  EXPECT_EQ(ds->GetLayerByName("layer_styles")->GetFeatureCount(),
            geo::openDataset(dir_.file("gpkg_openbaar.gpkg"))
                ->GetLayerByName("layer_styles")
                ->GetFeatureCount());
  // A confidential layer is refused and the refusal audited, as on the GeoPackage store.
  const Outcome refused = run(true, "publiceer {S} -o '" + dir_.file("nee.gpkg") +
                                        "' --alleen-exporteren --laag "
                                        "signalen");
  EXPECT_EQ(refused.code, 3) << refused.err;
  EXPECT_TRUE(has(refused.err, "layer 'signalen' is confidential")) << refused.err;
  auto p = open(true);
  EXPECT_EQ(readAudit(*p).back().outcome, "geweigerd");
  // aggregate per buurt with addresses as denominator: the same counts and rates (SW 2, NW 7,
  // SE 9, NE 6 signals per buurt, docs of tests/layers/privacy/fixtures.h).
  both("aggregate {S} --polygon-layer buurten --denominator-layer verblijfsobjecten -o agg");
  {
    auto g = open(false);
    const std::string counts = dump(*p, "agg");
    EXPECT_EQ(counts, dump(*g, "agg"));
    const ResultLayer agg = readResultLayer(*p, "agg");
    ASSERT_EQ(agg.records.size(), 4u) << counts;
    std::int64_t total = 0;
    for (std::size_t i = 0; i < agg.records.size(); ++i)
      total += std::get<std::int64_t>(testing::resultValue(agg, i, "aantal"));
    EXPECT_EQ(total, 24) << counts;
  }
  // The classification: the same list on both; the table's CHECK refuses another class.
  // (Without who set a class when: the two stores were classified a moment apart.)
  const auto classes = both("audit {S} --classificatie");
  const auto withoutWhen = [](const std::string& text) {
    static const std::regex setBy(R"( \([^()]*, \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\)\n)");
    return std::regex_replace(text, setBy, "\n");
  };
  EXPECT_EQ(withoutWhen(classes[1].out), withoutWhen(classes[0].out));
  EXPECT_TRUE(has(classes[1].out, "openbaar_signalen_gemaskeerd")) << classes[1].out;
  EXPECT_THROW(p->executeSql("UPDATE veldwacht_classificatie SET klasse = 'geheim'"),
               std::exception);
}

TEST_F(PgCommandsTest, SchouwAndPlanVsDoneGiveTheGeoPackageStoresAnswers) {
  fill(testing::fieldBatches);
  for (bool pg : {false, true}) {
    auto store = openStore(path(pg), /*update=*/true);
    testing::writePlan(
        *store, "week", {{"P01", "d1", "2026-11-02", "20:00", "02:00"}},
        {{"P01", "d1", 1, "vab", "VAB-1979-0001", "2026-11-02T21:00:00", "2026-11-02T21:12:00"},
         {"P01", "d1", 2, "vab", "VAB-1979-0002", "2026-11-02T23:30:00", "2026-11-02T23:42:00"}});
  }
  testing::writeText(dir_.file("a.csv"),
                     "Plek;Laag;Waarnemer;Datum;Tijd;Bevinding;Categorie\n"
                     "VAB-1979-0001;vab;P01;2-11-2026;21:40;Licht aan;HENNEP\n");
  testing::writeText(dir_.file("b.csv"),
                     "site,site_laag,partner,tijdstip,bevinding\n"
                     "VAB-1979-0002,vab,P04,2026-11-02 23:50,Niets\n");
  const auto schouw = both("schouw {S} '" + dir_.file("a.csv") + "'");
  EXPECT_TRUE(has(schouw[1].out, "1 rows imported; signalen: 1")) << schouw[1].out;
  both("import {S} schouw '" + dir_.file("b.csv") + "'");
  // A bad row: refused naming it, nothing written (as CliFieldwork.SchouwImportsAndPlanVsDone…).
  testing::writeText(dir_.file("bad.csv"),
                     "site;partner;tijdstip;bevinding\n"
                     "VAB-1979-0001;P01;2026-11-04T10:00;ok\n"
                     "VAB-1979-0001;P99;2026-11-04T11:00;x\n");
  const Outcome bad = run(true, "schouw {S} '" + dir_.file("bad.csv") + "'");
  EXPECT_EQ(bad.code, 3);
  EXPECT_TRUE(has(bad.err, "row 3") && has(bad.err, "unknown partner 'P99'")) << bad.err;
  EXPECT_EQ(open(true)->query("SELECT count(*) FROM schouwresultaten")[0][0], "2");
  // Plan versus done: vab 1 done, vab 2 missed (P04 went there: unplanned); the same CSV.
  for (bool pg : {false, true})
    EXPECT_EQ(run(pg, "plan-vs-done {S} --plan week --csv '" +
                          dir_.file(pg ? "pvd_pg.csv" : "pvd_gpkg.csv") + "'")
                  .code,
              0);
  const std::string csv = slurp(dir_.file("pvd_pg.csv"));
  EXPECT_EQ(csv, slurp(dir_.file("pvd_gpkg.csv")));
  EXPECT_TRUE(has(csv, "totaal;;;;2;1;1;1;50,0;2;1\n")) << csv;
  auto g = open(false), p = open(true);
  for (const char* layer : {"week_gedaan_bezoeken", "week_gedaan_partners", "week_gedaan_plekken"})
    EXPECT_EQ(dump(*p, layer), dump(*g, layer));
  EXPECT_EQ(readResultLayer(*p, "week_gedaan_bezoeken").records.size(), 3u);
  g.reset();
  p.reset();
  // adreslijst of the vab, with the signal the schouw made: the same ranked sheet.
  for (bool pg : {false, true})
    EXPECT_EQ(run(pg, "adreslijst {S} --candidates vab --reference-date 2026-12-01 --csv '" +
                          dir_.file(pg ? "al_pg.csv" : "al_gpkg.csv") + "'")
                  .code,
              0);
  const std::string list = slurp(dir_.file("al_pg.csv"));
  EXPECT_EQ(list, slurp(dir_.file("al_gpkg.csv")));
  EXPECT_TRUE(has(list, "VAB-1979-0001")) << list;
}

TEST_F(PgCommandsTest, EmergingGivesTheGeoPackageStoresCells) {
  // Two planted groups of six signals (May and June 2024) and two lone ones.
  fill([] {
    std::vector<ImportBatch> b;
    b.push_back(testing::batch("signalen", testing::twoGroupSignals()));
    return b;
  });
  const auto r = both(
      "emerging {S} -l signalen --bin-size 500 --time-unit days --time-step 7 --threads 1 -o em");
  auto g = open(false), p = open(true);
  std::string layers;
  for (const auto& s : g->summary())
    if (s.isResult) {
      layers += s.name + " ";
      EXPECT_EQ(dump(*p, s.name), dump(*g, s.name)) << s.name;
    }
  EXPECT_TRUE(has(layers, "em")) << layers << r[0].out;
}

/// BAG panden as GeoJSON: identificatie 1900100000000000 + id, a 10 m square each.
std::string pandenGeoJson(const std::vector<int>& ids) {
  std::string features;
  for (int id : ids) {
    const double x = 250000.0 + 100.0 * id, y = 590000.0;
    features += fmt::format(
        R"({}{{"type":"Feature","properties":{{"identificatie":"{:016d}","bouwjaar":1990,)"
        R"("status":"Pand in gebruik"}},"geometry":{{"type":"MultiPolygon","coordinates":)"
        R"([[[[{},{}],[{},{}],[{},{}],[{},{}],[{},{}]]]]}}}})",
        features.empty() ? "" : ",", 1900100000000000LL + id, x, y, x + 10, y, x + 10, y + 10, x,
        y + 10, x, y);
  }
  return R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":)"
         R"("urn:ogc:def:crs:EPSG::28992"}},"features":[)" +
         features + "]}";
}

TEST_F(PgCommandsTest, ARefusedImportOfKnownRegisterKeysSuggestsUpdateAsOnAGeoPackage) {
  fill([] { return std::vector<ImportBatch>{}; });
  const std::string v1 = dir_.file("pand_v1.geojson"), v2 = dir_.file("pand_v2.geojson");
  std::ofstream(v1) << pandenGeoJson({1, 2, 3});
  std::ofstream(v2) << pandenGeoJson({1, 4});
  both("import {S} '" + v1 + "' -l panden");
  for (bool pg : {false, true}) {
    const Outcome r = run(pg, "import {S} '" + v2 + "' -l panden");
    EXPECT_EQ(r.code, 3) << r.err;
    EXPECT_TRUE(has(r.err,
                    "bag_id '1900100000000001' is already in the store (layer panden); "
                    "expected a new bag_id (a newer version of this register: import it "
                    "with --update)"))
        << (pg ? "PostGIS: " : "GeoPackage: ") << r.err;
  }
  EXPECT_EQ(open(true)->query("SELECT count(*) FROM panden")[0][0], "3");
}

TEST_F(PgCommandsTest, TheDemoRefusesAConnectionStringSayingWhatToDo) {
  const Outcome r = runVeldwacht(dir_, "demo \"postgresql://jan:geheim@/db?host=/tmp\"");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_TRUE(has(r.err, "veldwacht init \"postgresql://jan:***@/db?host=/tmp\"")) << r.err;
  EXPECT_FALSE(has(r.err, "geheim")) << r.err;
  EXPECT_FALSE(std::filesystem::exists("postgresql:"));  // no folder of that name made
}

}  // namespace
}  // namespace veldwacht::layers
