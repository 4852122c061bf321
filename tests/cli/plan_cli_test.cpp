// `veldwacht plan` and `veldwacht areas` as a user runs them, on a store built in code: a 6 km
// road at 36 km/h, two partners at its ends, three sites (one on an island road).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "layers/results/results.h"
#include "layers/store/checksum.h"
#include "tests/cli/plan_store.h"
#include "tests/cli/run_veldwacht.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

namespace fs = std::filesystem;

struct Files {
  std::string store, speeds;
};

Files planStore(const TempDir& dir) {
  auto store = Store::create(dir.file("t.gpkg"));
  auto batches = planBatches();
  store->append(batches);
  store.reset();
  const std::string speeds = dir.file("speeds.json");
  std::ofstream(speeds) << kPlanSpeedsJson;
  return {dir.file("t.gpkg"), speeds};
}

std::string base(const Files& f) {
  return "plan '" + f.store + "' --sites incidenten --period 2026-12-07/2026-12-08 --speeds '" +
         f.speeds + "' --shifts-per-partner 0 --iterations 200 --seconds 30 --threads 1";
}

}  // namespace

TEST(CliPlan, WritesTheThreeLayersRouteCardsGpxAndGeoJson) {
  TempDir dir;
  const Files f = planStore(dir);
  const std::string cards = dir.file("kaarten"), gpx = dir.file("plan.gpx"),
                    gj = dir.file("plan.geojson");
  const Outcome r =
      runVeldwacht(dir, base(f) + " --skill adrescontrole --mandatory -o week --route-cards '" +
                            cards + "' --gpx '" + gpx + "' --geojson '" + gj + "'");
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("wrote layer  week_routes"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("INC-T-00003"), std::string::npos) << r.out;  // the warning names it
  auto store = Store::open(f.store, false);
  const ResultLayer routes = readResultLayer(*store, "week_routes");
  const ResultLayer visits = readResultLayer(*store, "week_bezoeken");
  const ResultLayer dropped = readResultLayer(*store, "week_vervallen");
  EXPECT_EQ(routes.records.size(), 1u);
  EXPECT_EQ(visits.records.size(), 2u);
  EXPECT_EQ(dropped.records.size(), 1u);
  std::size_t html = 0, csv = 0;
  for (const auto& e : fs::directory_iterator(cards)) {
    html += e.path().extension() == ".html";
    csv += e.path().extension() == ".csv";
  }
  EXPECT_EQ(html, 1u);
  EXPECT_EQ(csv, 1u);
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GDALDataset::Open(gpx.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  ASSERT_TRUE(ds);
  EXPECT_EQ(ds->GetLayerByName("waypoints")->GetFeatureCount(), 2);
  EXPECT_EQ(ds->GetLayerByName("routes")->GetFeatureCount(), 1);
  EXPECT_NE(slurp(gj).find("\"FeatureCollection\""), std::string::npos);
}

TEST(CliPlan, HelpShowsTheDescribedOptions) {
  TempDir dir;
  const Outcome r = runVeldwacht(dir, "plan --help");
  EXPECT_EQ(r.code, 0);
  for (const char* flag : {"--visits-per-site", "--period", "--window", "--skill", "--dwell",
                           "--route-cards", "--gpx", "--geojson", "--mode", "--seed"})
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
  EXPECT_NE(r.out.find("--dwell FLOAT=12"), std::string::npos) << r.out;
  EXPECT_EQ(runVeldwacht(dir, "areas --help").code, 0);
}

TEST(CliPlan, BadOptionsAndBadShiftsAreRefusedAndTheStoreIsUnchanged) {
  TempDir dir;
  const Files f = planStore(dir);
  const std::string before = fileSha256(f.store);
  for (const auto& [args, names] : std::vector<std::pair<std::string, std::string>>{
           {" --dwell -1", "--dwell"},
           {" --window avond", "--window"},
           {" --skill vliegen", "--skill"},
           {" --visits-per-site 0", "--visits-per-site"},
           {" --period 2026-12-13/2026-12-07", "period"}}) {
    const Outcome r = runVeldwacht(dir, base(f) + args);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(names), std::string::npos) << args << "\n" << r.err;
  }
  const std::string csv = dir.file("diensten.csv");
  std::ofstream(csv) << "partner_id,datum,start,eind\nP1,2026-12-07,10:00,12:00\n"
                        "P2,2026-12-07,14:00,13:00\n";
  Outcome r = runVeldwacht(dir, base(f) + " --shifts-csv '" + csv + "'");
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("row 3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("before it starts"), std::string::npos) << r.err;
  r = runVeldwacht(dir, base(f) + " --dwell 300");
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("longer than every shift"), std::string::npos) << r.err;
  EXPECT_EQ(fileSha256(f.store), before);
}

TEST(CliPlan, AreasWritesOneAreaPerPartner) {
  TempDir dir;
  const Files f = planStore(dir);
  const Outcome r =
      runVeldwacht(dir, "areas '" + f.store + "' --sites incidenten --cell-size 1000 --restarts 2");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("compactness"), std::string::npos) << r.out;
  auto store = Store::open(f.store, false);
  EXPECT_EQ(readResultLayer(*store, "gebieden_gebieden").records.size(), 2u);
}
