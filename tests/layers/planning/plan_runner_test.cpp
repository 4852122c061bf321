// The plan runner on a store built in code: a straight road of 6 km at 36 km/h (1 km = 100 s),
// two partners at its ends, sites beside it; known routes, times, reasons and bad-input messages.
#include "layers/planning/plan_runner.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "geo/core/error.h"
#include "layers/planning/areas_runner.h"
#include "layers/planning/plan_exports.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

const char* kTenMetresPerSecond =
    R"({"wegbeheerder": {"G": 36, "P": 36, "W": 36, "R": 36, "T": 36}, "factor": 1.0,
        "baansubsoort": {}})";

Record road(std::int64_t id, std::int64_t beg, std::int64_t end, double x0, double y0, double x1,
            double y1) {
  auto* line = new OGRLineString();
  line->addPoint(kX0 + x0, kY0 + y0);
  line->addPoint(kX0 + x1, kY0 + y1);
  return recordOf("wegvakken",
                  {{"wvk_id", id},
                   {"jte_id_beg", beg},
                   {"jte_id_end", end},
                   {"wegbehsrt", std::string("G")},
                   {"synthetisch", std::int64_t{1}}},
                  geo::GeometryPtr(line));
}

/// 0 — 2000 — 4000 — 6000 m east, and an island road far north.
std::vector<Record> roads() {
  std::vector<Record> r;
  r.push_back(road(1, 1, 2, 0, 0, 2000, 0));
  r.push_back(road(2, 2, 3, 2000, 0, 4000, 0));
  r.push_back(road(3, 3, 4, 4000, 0, 6000, 0));
  r.push_back(road(9, 8, 9, 0, 5000, 1000, 5000));
  return r;
}

Record partner(const std::string& id, double x, const std::string& bevoegdheden, bool dag,
               bool nacht) {
  return recordOf("partners",
                  {{"partner_id", id},
                   {"naam", "Partner " + id},
                   {"partner_type", std::string(bevoegdheden.empty() ? "jager_wbe" : "boa")},
                   {"beschikbaar_dag", std::int64_t(dag)},
                   {"beschikbaar_nacht", std::int64_t(nacht)},
                   {"bevoegdheden", bevoegdheden.empty() ? Value{} : Value{bevoegdheden}},
                   {"synthetisch", std::int64_t{1}}},
                  pointAt(kX0 + x, kY0 + 10));
}

/// P1 at x = 0 (signaleren only), P2 at x = 6000 (handhaven, adrescontrole); both by day.
std::vector<Record> partners(bool night = false) {
  std::vector<Record> p;
  p.push_back(partner("P1", 0, "", true, night));
  p.push_back(partner("P2", 6000, "handhaven,adrescontrole", true, night));
  return p;
}

/// Sites 20 m beside the road at x = 1000 and 5000, and one on the island.
std::vector<Record> sites() {
  std::vector<Record> r;
  r.push_back(incidentRecord(1, kX0 + 1000, kY0 + 20, "2024-05-01"));
  r.push_back(incidentRecord(2, kX0 + 5000, kY0 - 20, "2024-05-01"));
  r.push_back(incidentRecord(3, kX0 + 500, kY0 + 5000, "2024-05-01"));
  return r;
}

std::unique_ptr<Store> planStore(const TempDir& dir, bool night = false) {
  auto store = storeWith(dir, batch("wegvakken", roads()), batch("partners", partners(night)));
  std::vector<ImportBatch> b;
  b.push_back(batch("incidenten", sites()));
  store->append(b);
  return store;
}

PlanRequest request(const std::string& skill = "signaleren") {
  PlanRequest r;
  r.sites = {"incidenten", "", ""};
  r.skill = skill;
  r.period = "2026-12-07/2026-12-08";
  r.shiftsPerPartner = 0;
  r.network.source.speedsJson = kTenMetresPerSecond;
  r.network.threads = 1;
  r.network.output = "plan";
  r.solver.timeLimitSeconds = 30;
  r.solver.iterations = 300;
  return r;
}

int col(const ResultLayer& l, const std::string& name) {
  for (std::size_t i = 0; i < l.fields.size(); ++i)
    if (l.fields[i].name == name) return int(i);
  ADD_FAILURE() << "no field " << name;
  return 0;
}

std::string str(const ResultLayer& l, std::size_t row, const std::string& f) {
  return std::get<std::string>(l.records.at(row).values.at(std::size_t(col(l, f))));
}
double num(const ResultLayer& l, std::size_t row, const std::string& f) {
  const Value& v = l.records.at(row).values.at(std::size_t(col(l, f)));
  if (const auto* i = std::get_if<std::int64_t>(&v)) return double(*i);
  return std::get<double>(v);
}

std::size_t resultCount(Store& s) { return listResults(s).size(); }

}  // namespace

TEST(PlanRunner, OnlyThePartnerWithTheBevoegdheidVisitsAndTheRouteHasTheKnownLength) {
  TempDir dir;
  auto store = planStore(dir);
  PlanRequest r = request("adrescontrole");
  r.mandatory = true;
  const RunReport rep = runPlan(*store, r);
  ASSERT_EQ(rep.layers.size(), 3u);
  const ResultLayer routes = readResultLayer(*store, "plan_routes");
  const ResultLayer visits = readResultLayer(*store, "plan_bezoeken");
  const ResultLayer dropped = readResultLayer(*store, "plan_vervallen");
  // Both reachable sites in one route of P2: 6000 → 5000 → 1000 → 6000 = 10 km = 1000 s.
  ASSERT_EQ(routes.records.size(), 1u);
  EXPECT_EQ(str(routes, 0, "partner_id"), "P2");
  EXPECT_EQ(num(routes, 0, "n_bezoeken"), 2);
  EXPECT_NEAR(num(routes, 0, "afstand_km"), 10.0, 1e-6);
  EXPECT_NEAR(num(routes, 0, "reistijd_min"), 1000.0 / 60.0, 1e-6);
  EXPECT_NEAR(num(routes, 0, "prioriteit_totaal"), 2.0, 1e-9);
  const auto* line = routes.records[0].geometry->toLineString();
  EXPECT_NEAR(line->get_Length(), 10000.0, 1e-6);
  ASSERT_EQ(visits.records.size(), 2u);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(str(visits, i, "partner_id"), "P2");
    EXPECT_EQ(str(visits, i, "vaardigheid"), "adrescontrole");
    EXPECT_EQ(num(visits, i, "verblijf_min"), 12.0);
    seen.insert(str(visits, i, "site_id"));
  }
  EXPECT_EQ(seen, (std::set<std::string>{"INC-T-00001", "INC-T-00002"}));
  // Departure at the shift start (10:00), 5000 first: arrival 1000 m later = 10:01:40.
  EXPECT_EQ(str(routes, 0, "start").substr(11), "10:00:00");
  // The island site cannot be reached; it is mandatory, so the report says so.
  ASSERT_EQ(dropped.records.size(), 1u);
  EXPECT_EQ(str(dropped, 0, "site_id"), "INC-T-00003");
  EXPECT_EQ(str(dropped, 0, "reden"), "onbereikbaar");
  EXPECT_EQ(num(dropped, 0, "verplicht"), 1);
  bool warned = false;
  for (const auto& w : rep.warnings) warned = warned || w.find("INC-T-00003") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(PlanRunner, ASkillNoPartnerHasIsReportedWithTheDutchReason) {
  TempDir dir;
  auto store = planStore(dir);
  runPlan(*store, request("opsporen"));
  const ResultLayer dropped = readResultLayer(*store, "plan_vervallen");
  EXPECT_TRUE(readResultLayer(*store, "plan_routes").records.empty());
  std::map<std::string, std::string> reason;
  for (std::size_t i = 0; i < dropped.records.size(); ++i)
    reason[str(dropped, i, "site_id")] = str(dropped, i, "reden");
  EXPECT_EQ(reason["INC-T-00001"], "geen partner met bevoegdheid opsporen");
  EXPECT_EQ(reason["INC-T-00002"], "geen partner met bevoegdheid opsporen");
  // The skill is checked first: no partner may go there at all.
  EXPECT_EQ(reason["INC-T-00003"], "geen partner met bevoegdheid opsporen");
}

TEST(PlanRunner, NightSitesWithOnlyDayShiftsHaveNoShiftInTheirWindow) {
  TempDir dir;
  auto store = planStore(dir, /*night=*/false);
  PlanRequest r = request();
  r.window = SiteWindow::Nacht;
  runPlan(*store, r);
  const ResultLayer dropped = readResultLayer(*store, "plan_vervallen");
  std::map<std::string, std::string> reason;
  for (std::size_t i = 0; i < dropped.records.size(); ++i)
    reason[str(dropped, i, "site_id")] = str(dropped, i, "reden");
  EXPECT_EQ(reason["INC-T-00001"], "geen dienst in het tijdvenster");
  EXPECT_EQ(reason["INC-T-00002"], "geen dienst in het tijdvenster");
}

TEST(PlanRunner, NightShiftsVisitNightSitesAfterDuskAndByDayNone) {
  TempDir dir;
  auto store = planStore(dir, /*night=*/true);
  PlanRequest r = request();
  r.window = SiteWindow::Nacht;
  r.visits.visits = 2;
  r.visits.varyFraction = 1.0;  // whole windows: each slot holds the start of one night shift
  runPlan(*store, r);
  const ResultLayer visits = readResultLayer(*store, "plan_bezoeken");
  ASSERT_EQ(visits.records.size(), 4u);  // both reachable sites, once in each of two slots
  for (std::size_t i = 0; i < visits.records.size(); ++i) {
    EXPECT_EQ(str(visits, i, "dag_nacht"), "nacht");
    EXPECT_NE(str(visits, i, "dienst").find("-nacht"), std::string::npos);
    // Civil dusk in Groningen on 7-8 December is before 17:00; visits start after it.
    const std::string hh = str(visits, i, "aankomst").substr(11, 5);
    EXPECT_GE(hh, "16:30");
  }
}

TEST(PlanRunner, TheSameSeedGivesTheSamePlan) {
  TempDir dir;
  auto store = planStore(dir, true);
  PlanRequest r = request();
  r.shiftsPerPartner = 2;
  r.visits.visits = 2;
  runPlan(*store, r);
  const ResultLayer va = readResultLayer(*store, "plan_bezoeken");
  runPlan(*store, r);  // replaces the layers with the second run's
  const ResultLayer vb = readResultLayer(*store, "plan_bezoeken");
  ASSERT_FALSE(va.records.empty());
  ASSERT_EQ(va.records.size(), vb.records.size());
  for (std::size_t i = 0; i < va.records.size(); ++i)
    EXPECT_EQ(va.records[i].values, vb.records[i].values);
}

TEST(PlanRunner, AShiftThatEndsBeforeItStartsIsRefusedNamingTheRowAndNothingIsWritten) {
  TempDir dir;
  auto store = planStore(dir);
  const auto csv = dir.path() / "diensten.csv";
  std::ofstream(csv) << "partner_id,datum,start,eind\nP1,2026-12-07,10:00,12:00\n"
                        "P2,2026-12-07,14:00,13:00\n";
  PlanRequest r = request();
  r.shiftsCsv = csv.string();
  try {
    runPlan(*store, r);
    FAIL() << "accepted a shift that ends before it starts";
  } catch (const geo::InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("row 3"), std::string::npos) << m;
    EXPECT_NE(m.find("eind"), std::string::npos) << m;
    EXPECT_NE(m.find("before it starts"), std::string::npos) << m;
  }
  EXPECT_EQ(resultCount(*store), 0u);
  // An unknown partner too.
  std::ofstream(csv) << "partner_id,datum,start,eind\nP9,2026-12-07,10:00,12:00\n";
  EXPECT_THROW(runPlan(*store, r), geo::InputError);
  // And a good file plans from its shifts.
  std::ofstream(csv) << "partner_id,datum,start,eind\nP2,2026-12-07,22:00,2026-12-08T01:00\n";
  runPlan(*store, r);
  const ResultLayer routes = readResultLayer(*store, "plan_routes");
  ASSERT_EQ(routes.records.size(), 1u);
  EXPECT_EQ(str(routes, 0, "dienst"), "P2-2026-12-07-2200");
  EXPECT_EQ(str(routes, 0, "start"), "2026-12-07T22:00:00");
}

TEST(PlanRunner, APartnerWithoutABaseAndADwellLongerThanEveryShiftAreRefused) {
  TempDir dir;
  auto store = planStore(dir);
  PlanRequest r = request();
  r.dwellMinutes = 200;  // shifts last 3 h
  try {
    runPlan(*store, r);
    FAIL();
  } catch (const geo::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("longer than every shift"), std::string::npos);
  }
  store->executeSql("UPDATE partners SET geom = NULL WHERE partner_id = 'P2'");
  try {
    runPlan(*store, request());
    FAIL();
  } catch (const geo::InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("partners"), std::string::npos) << m;
    EXPECT_NE(m.find("'P2' has no base"), std::string::npos) << m;
  }
  EXPECT_EQ(resultCount(*store), 0u);
}

TEST(PlanRunner, BadOptionsAreRefusedByName) {
  PlanRequest r = request();
  r.period = "2026-12-13/2026-12-07";
  EXPECT_THROW(r.validate(), geo::OptionError);
  r = request();
  r.skill = "vliegen";
  EXPECT_THROW(r.validate(), geo::OptionError);
  const auto& a = describe::planningAnalyses().front();
  PlanRequest d = a.defaults();
  EXPECT_THROW(a.set(d, "dwell", -1.0), geo::OptionError);
  EXPECT_THROW(a.set(d, "window", std::string("avond")), geo::OptionError);
  a.set(d, "window", std::string("nacht"));
  EXPECT_EQ(d.window, SiteWindow::Nacht);
  a.set(d, "visits-per-site", std::int64_t{3});
  EXPECT_EQ(d.visits.visits, 3u);
}

TEST(PlanExports, GpxIsReadBackByGdalAndRouteCardsListTheStops) {
  TempDir dir;
  auto store = planStore(dir);
  runPlan(*store, request("adrescontrole"));
  const ResultLayer routes = readResultLayer(*store, "plan_routes");
  const ResultLayer visits = readResultLayer(*store, "plan_bezoeken");
  const std::string gpx = (dir.path() / "plan.gpx").string();
  writeGpx(routes, visits, gpx);
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GDALDataset::Open(gpx.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  ASSERT_TRUE(ds) << "GDAL cannot read the GPX";
  EXPECT_STREQ(ds->GetDriver()->GetDescription(), "GPX");
  OGRLayer* wpt = ds->GetLayerByName("waypoints");
  OGRLayer* rte = ds->GetLayerByName("routes");
  OGRLayer* rtept = ds->GetLayerByName("route_points");
  OGRLayer* trk = ds->GetLayerByName("tracks");
  ASSERT_TRUE(wpt && rte && rtept && trk);
  EXPECT_EQ(wpt->GetFeatureCount(), 2);
  EXPECT_EQ(rte->GetFeatureCount(), 1);
  EXPECT_EQ(rtept->GetFeatureCount(), 4);  // base, two stops, base
  EXPECT_EQ(trk->GetFeatureCount(), 1);
  wpt->ResetReading();
  OGRFeatureUniquePtr f(wpt->GetNextFeature());
  const OGRPoint* p = f->GetGeometryRef()->toPoint();
  // kX0, kY0 (RD 250000, 590000) lies in Groningen: about 53.3 N, 6.8 E.
  EXPECT_NEAR(p->getY(), 53.3, 0.1);
  EXPECT_NEAR(p->getX(), 6.8, 0.2);

  const auto files = writeRouteCards(routes, visits, (dir.path() / "kaarten").string());
  ASSERT_EQ(files.size(), 2u);
  std::ifstream csv(files[0]);
  std::string header, row1, row2, extra;
  std::getline(csv, header);
  std::getline(csv, row1);
  std::getline(csv, row2);
  EXPECT_FALSE(std::getline(csv, extra));
  EXPECT_EQ(header.substr(0, 25), "volgorde,site_laag,site_i");
  EXPECT_EQ(row1.substr(0, 2), "1,");
  EXPECT_EQ(row2.substr(0, 2), "2,");
  std::stringstream html;
  html << std::ifstream(files[1]).rdbuf();
  EXPECT_NE(html.str().find("<svg"), std::string::npos);
  EXPECT_NE(html.str().find("INC-T-00002"), std::string::npos);
  EXPECT_NE(html.str().find("Bevinding"), std::string::npos);

  const std::string gj = (dir.path() / "plan.geojson").string();
  writeGeoJson(routes, visits, gj);
  GDALDatasetUniquePtr g(GDALDataset::Open(gj.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  ASSERT_TRUE(g);
  EXPECT_EQ(g->GetLayer(0)->GetFeatureCount(), 3);
}

TEST(PlanExports, LocalTimeBecomesUtcAcrossTheSeasons) {
  EXPECT_EQ(dutchLocalToUtc("2026-12-07T22:00:00"), "2026-12-07T21:00:00Z");
  EXPECT_EQ(dutchLocalToUtc("2026-07-01T00:30:00"), "2026-06-30T22:30:00Z");
}

TEST(AreasRunner, TwoPartnersGetTwoContiguousAreasWhoseWorkloadsAddUp) {
  TempDir dir;
  // 40 sites spread evenly over 8 x 5 km, two partners at the west and east ends.
  std::vector<Record> s;
  for (int i = 0; i < 40; ++i)
    s.push_back(incidentRecord(i, kX0 + 100 + 200.0 * i, kY0 + 1000.0 * (i % 5), "2024-05-01"));
  auto store = storeWith(dir, batch("partners", partners()), batch("incidenten", std::move(s)));
  AreasRequest r;
  r.sites = {"incidenten", "", ""};
  r.cellSize = 1000;
  r.options.restarts = 2;
  const RunReport rep = runAreas(*store, r);
  const ResultLayer areas = readResultLayer(*store, "gebieden_gebieden");
  ASSERT_EQ(areas.records.size(), 2u);
  double total = 0.0;
  std::set<std::string> owners;
  for (std::size_t i = 0; i < 2; ++i) {
    total += num(areas, i, "werklast");
    EXPECT_EQ(num(areas, i, "aaneengesloten"), 1);
    EXPECT_LE(std::abs(num(areas, i, "afwijking_pct")), 10.0 + 1e-9);
    owners.insert(str(areas, i, "partner_id"));
  }
  EXPECT_NEAR(total, 40 * (12.0 + 10.0), 1e-6);
  EXPECT_EQ(owners, (std::set<std::string>{"P1", "P2"}));
  // The western area belongs to P1 (base at x = 0).
  for (std::size_t i = 0; i < 2; ++i) {
    OGREnvelope e;
    areas.records[i].geometry->getEnvelope(&e);
    const bool west = (e.MinX + e.MaxX) / 2 < kX0 + 4000;
    EXPECT_EQ(str(areas, i, "partner_id"), west ? "P1" : "P2");
  }
  bool reported = false;
  for (const auto& l : rep.lines) reported = reported || l.find("compactness") != std::string::npos;
  EXPECT_TRUE(reported);
}
