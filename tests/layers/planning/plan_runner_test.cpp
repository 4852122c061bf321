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
#include "tests/cli/plan_store.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

const char* kTenMetresPerSecond =
    R"({"wegbeheerder": {"G": 36, "P": 36, "W": 36, "R": 36, "T": 36}, "factor": 1.0,
        "baansubsoort": {}})";

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
  auto store = storeWith(dir, batch("wegvakken", planRoads()), batch("partners", partners(night)));
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

/// A site table as a result layer (the shape of the address-check list: sleutel, prioriteit,
/// vaardigheid) with the per-site fields venster, verblijf_min and verplicht.
struct SiteRow {
  std::string key;
  double x = 0, y = 20;
  Value prioriteit{}, vaardigheid{}, venster{}, verblijf{}, verplicht{};
};
void writeSites(Store& store, const std::string& name, const std::vector<SiteRow>& rows) {
  ResultLayer l;
  l.name = name;
  l.geometry = GeometryKind::Point;
  auto f = [](const std::string& n, FieldType t) {
    FieldDef d;
    d.name = n;
    d.type = t;
    return d;
  };
  l.fields = {f("sleutel", FieldType::Text),      f("prioriteit", FieldType::Real),
              f("vaardigheid", FieldType::Text),  f("venster", FieldType::Text),
              f("verblijf_min", FieldType::Real), f("verplicht", FieldType::Integer)};
  l.metadata.algorithm = "test";
  for (const auto& r : rows) {
    Record rec;
    rec.values = {r.key, r.prioriteit, r.vaardigheid, r.venster, r.verblijf, r.verplicht};
    rec.geometry = pointAt(kX0 + r.x, kY0 + r.y);
    l.records.push_back(std::move(rec));
  }
  writeResultLayer(store, std::move(l));
}

std::map<std::string, std::size_t> rowsBySite(const ResultLayer& l) {
  std::map<std::string, std::size_t> m;
  for (std::size_t i = 0; i < l.records.size(); ++i) m[str(l, i, "site_id")] = i;
  return m;
}

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

TEST(PlanRunner, TheAddressListIsPlannedDirectlyWithItsPriorityAndSkill) {
  TempDir dir;
  auto store = planStore(dir);
  writeSites(*store, "adreslijst",
             {{"BAG-1", 1000, 20, 7.5, std::string("adrescontrole")},
              {"BAG-2", 5000, -20, 3.0, std::string("adrescontrole")}});
  PlanRequest r = request();  // request-wide skill signaleren: the list's field wins
  r.sites = {"adreslijst", "", ""};
  const RunReport rep = runPlan(*store, r);
  const ResultLayer routes = readResultLayer(*store, "plan_routes");
  const ResultLayer visits = readResultLayer(*store, "plan_bezoeken");
  ASSERT_EQ(routes.records.size(), 1u);
  EXPECT_EQ(str(routes, 0, "partner_id"), "P2");  // only P2 has adrescontrole
  EXPECT_NEAR(num(routes, 0, "prioriteit_totaal"), 10.5, 1e-9);
  const auto at = rowsBySite(visits);
  ASSERT_EQ(at.size(), 2u);
  EXPECT_EQ(str(visits, at.at("BAG-1"), "site_laag"), "adreslijst");
  EXPECT_EQ(str(visits, at.at("BAG-1"), "vaardigheid"), "adrescontrole");
  EXPECT_NEAR(num(visits, at.at("BAG-1"), "prioriteit"), 7.5, 1e-9);
  EXPECT_NEAR(num(visits, at.at("BAG-2"), "prioriteit"), 3.0, 1e-9);
  bool told = false;
  for (const auto& l : rep.lines)
    told = told || l.find("per-site fields read: prioriteit, vaardigheid") != std::string::npos;
  EXPECT_TRUE(told);
}

TEST(PlanRunner, PerSiteWindowsDwellAndMandatoryAreKept) {
  TempDir dir;
  auto store = planStore(dir, /*night=*/true);
  writeSites(*store, "locaties",
             {{"S1", 1000, 20, 1.0, {}, std::string("10:30-11:30"), 30.0},
              {"S2", 5000, -20, 1.0, {}, std::string("Nacht")},
              {"S3", 3000, 20, 1.0, {}, std::string("2026-12-08T10:00/2026-12-08T12:00")},
              {"S4", 500, 5000, 1.0, {}, {}, {}, std::int64_t{1}},
              {"S5", 2500, 20, 1.0, {}, std::string("altijd"), {}, std::int64_t{0}}});
  PlanRequest r = request();
  r.sites = {"locaties", "", ""};
  runPlan(*store, r);
  const ResultLayer visits = readResultLayer(*store, "plan_bezoeken");
  const ResultLayer dropped = readResultLayer(*store, "plan_vervallen");
  const auto at = rowsBySite(visits);
  ASSERT_EQ(at.size(), 4u);
  // S1: service starts in [10:30, 11:00] (it must end by 11:30) and lasts 30 minutes.
  const std::size_t s1 = at.at("S1");
  EXPECT_GE(str(visits, s1, "aankomst").substr(11, 8), "10:30:00");
  EXPECT_LE(str(visits, s1, "aankomst").substr(11, 8), "11:00:00");
  EXPECT_NEAR(num(visits, s1, "verblijf_min"), 30.0, 1e-9);
  EXPECT_EQ(str(visits, at.at("S2"), "dag_nacht"), "nacht");
  EXPECT_NEAR(num(visits, at.at("S2"), "verblijf_min"), 12.0, 1e-9);  // the request's dwell
  const std::string s3 = str(visits, at.at("S3"), "aankomst");
  EXPECT_EQ(s3.substr(0, 10), "2026-12-08");
  EXPECT_GE(s3.substr(11, 8), "10:00:00");
  EXPECT_LE(s3.substr(11, 8), "11:48:00");
  // S4 is on the island: mandatory by its field, so listed as such.
  ASSERT_EQ(dropped.records.size(), 1u);
  EXPECT_EQ(str(dropped, 0, "site_id"), "S4");
  EXPECT_EQ(num(dropped, 0, "verplicht"), 1);
  EXPECT_EQ(str(dropped, 0, "reden"), "onbereikbaar");
}

TEST(PlanRunner, BadPerSiteValuesNameTheLayerRowAndFieldAndNothingIsWritten) {
  TempDir dir;
  auto store = planStore(dir);
  PlanRequest r = request();
  r.sites = {"lijst", "", ""};
  struct Case {
    SiteRow bad;
    std::string field, value;
  };
  const std::vector<Case> cases = {
      {{"B", 5000, 20, 1.0, std::string("vliegen")}, "vaardigheid", "vliegen"},
      {{"B", 5000, 20, 1.0, {}, std::string("avond")}, "venster", "avond"},
      {{"B", 5000, 20, 1.0, {}, std::string("25:00-26:00")}, "venster", "25:00-26:00"},
      {{"B", 5000, 20, 1.0, {}, {}, -5.0}, "verblijf_min", "-5"},
      {{"B", 5000, 20, 1.0, {}, {}, {}, std::int64_t{2}}, "verplicht", "2"},
      {{"B", 5000, 20, -1.0}, "prioriteit", "-1"},
      // Longer than every (3 h) shift.
      {{"B", 5000, 20, 1.0, {}, {}, 200.0}, "verblijf_min", "longer than every shift"}};
  for (const auto& c : cases) {
    writeSites(*store, "lijst", {{"A", 1000, 20, 1.0}, c.bad});
    const std::size_t before = resultCount(*store);
    try {
      runPlan(*store, r);
      ADD_FAILURE() << "accepted " << c.field << " = " << c.value;
    } catch (const geo::InputError& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find("lijst"), std::string::npos) << m;
      EXPECT_NE(m.find("row 2"), std::string::npos) << m;
      EXPECT_NE(m.find("'" + c.field + "'"), std::string::npos) << m;
      EXPECT_NE(m.find(c.value), std::string::npos) << m;
    }
    EXPECT_EQ(resultCount(*store), before);
  }
  // A filter on a result table and an unknown layer are refused by option name.
  r.sites.where = "sleutel = 'A'";
  EXPECT_THROW(runPlan(*store, r), geo::OptionError);
  r.sites = {"geen_laag", "", ""};
  EXPECT_THROW(runPlan(*store, r), geo::OptionError);
}

TEST(PlanRunner, AWerkgebiedKeepsSitesFromPartnersWhoseBaseIsFarther) {
  TempDir dir;
  auto store = planStore(dir);
  // 2 km around each base: the site at x = 1000 only for P1 (base x = 0), x = 5000 only for P2.
  store->executeSql("UPDATE partners SET werkgebied_km = 2");
  PlanRequest r = request();
  runPlan(*store, r);
  ResultLayer visits = readResultLayer(*store, "plan_bezoeken");
  auto at = rowsBySite(visits);
  ASSERT_EQ(at.size(), 2u);
  EXPECT_EQ(str(visits, at.at("INC-T-00001"), "partner_id"), "P1");
  EXPECT_EQ(str(visits, at.at("INC-T-00002"), "partner_id"), "P2");
  // 0.5 km: no partner may go; the reason says so.
  store->executeSql("UPDATE partners SET werkgebied_km = 0.5");
  runPlan(*store, r);
  const ResultLayer dropped = readResultLayer(*store, "plan_vervallen");
  std::map<std::string, std::string> reason;
  for (std::size_t i = 0; i < dropped.records.size(); ++i)
    reason[str(dropped, i, "site_id")] = str(dropped, i, "reden");
  EXPECT_EQ(reason["INC-T-00001"],
            "buiten het werkgebied van elke partner met bevoegdheid signaleren");
  EXPECT_EQ(reason["INC-T-00002"],
            "buiten het werkgebied van elke partner met bevoegdheid signaleren");
  // Switched off, both are visited again.
  r.werkgebied = false;
  runPlan(*store, r);
  EXPECT_EQ(readResultLayer(*store, "plan_bezoeken").records.size(), 2u);
  // A negative radius names the partner row and field.
  store->executeSql("UPDATE partners SET werkgebied_km = -1 WHERE partner_id = 'P2'");
  r.werkgebied = true;
  try {
    runPlan(*store, r);
    FAIL();
  } catch (const geo::InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("partners, row 2, field 'werkgebied_km'"), std::string::npos) << m;
  }
}

TEST(PlanRunner, EachPartnerTravelsByItsOwnModeWithItsOwnMatrix) {
  TempDir dir;
  auto store = planStore(dir);
  PlanRequest r = request("adrescontrole");  // only P2 may go
  // Walking at 6 km/h: 10 min per km; by car 36 km/h: 100 s per km.
  r.network.source.speedsJson =
      R"({"wegbeheerder": {"G": 36, "P": 36, "W": 36, "R": 36, "T": 36}, "factor": 1.0,
          "baansubsoort": {}, "lopen_kmh": 6})";
  r.partnerModes = "P2=lopen";
  runPlan(*store, r);
  ResultLayer routes = readResultLayer(*store, "plan_routes");
  ASSERT_EQ(routes.records.size(), 1u);
  EXPECT_EQ(str(routes, 0, "vervoer"), "lopen");
  EXPECT_NEAR(num(routes, 0, "afstand_km"), 10.0, 1e-6);
  EXPECT_NEAR(num(routes, 0, "reistijd_min"), 100.0, 1e-6);
  // Both partners for signaleren: P1 by car, P2 on foot; every route's time fits its mode.
  r.skill = "signaleren";
  r.partnerModes = "P1=auto; P2=lopen";
  runPlan(*store, r);
  routes = readResultLayer(*store, "plan_routes");
  ASSERT_FALSE(routes.records.empty());
  for (std::size_t i = 0; i < routes.records.size(); ++i) {
    const bool walks = str(routes, i, "partner_id") == "P2";
    EXPECT_EQ(str(routes, i, "vervoer"), walks ? "lopen" : "auto");
    EXPECT_NEAR(num(routes, i, "reistijd_min"),
                num(routes, i, "afstand_km") * (walks ? 10.0 : 100.0 / 60.0), 1e-6);
  }
  // A shifts file may set the mode per shift.
  const auto csv = dir.path() / "diensten.csv";
  std::ofstream(csv) << "partner_id,datum,start,eind,vervoer\nP2,2026-12-07,10:00,13:00,fiets\n";
  r.skill = "adrescontrole";
  r.partnerModes.clear();
  r.shiftsCsv = csv.string();
  runPlan(*store, r);
  routes = readResultLayer(*store, "plan_routes");
  ASSERT_EQ(routes.records.size(), 1u);
  EXPECT_EQ(str(routes, 0, "vervoer"), "fiets");
  // Bad modes: by option name, or by row and field of the file.
  std::ofstream(csv) << "partner_id,datum,start,eind,vervoer\nP2,2026-12-07,10:00,13:00,raket\n";
  try {
    runPlan(*store, r);
    FAIL();
  } catch (const geo::InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("row 2, field 'vervoer'"), std::string::npos) << m;
  }
  r.shiftsCsv.clear();
  r.partnerModes = "P9=fiets";
  EXPECT_THROW(runPlan(*store, r), geo::OptionError);
  r.partnerModes = "P2=raket";
  EXPECT_THROW(runPlan(*store, r), geo::OptionError);
  r.partnerModes = "P2";
  EXPECT_THROW(runPlan(*store, r), geo::OptionError);
}
