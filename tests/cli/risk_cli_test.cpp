// `veldwacht risk` and `veldwacht adreslijst` run as a user would, on a store made in code:
// what they write, exit codes 2 (bad option) and 3 (refused input or file) with the store
// unchanged, and the confidential sheets.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "layers/results/results.h"
#include "layers/store/checksum.h"
#include "tests/cli/run_veldwacht.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

// A 3 x 3 km gemeente with six vacant barns (VAB with their pand) and signals drawn per 100 m
// cell from log mu = -1.5 + 1.3 [a barn within 300 m] (seeded).
std::string riskStore(const TempDir& dir) {
  std::mt19937_64 rng(77);
  std::uniform_real_distribution<double> u(300.0, 2700.0), inCell(0.0, 100.0);
  std::vector<Record> gemeenten, vab, panden, signals;
  gemeenten.push_back(
      recordOf("gemeenten", {{"code", std::string("GM9999")}}, squareAt(kX0, kY0, 3000)));
  std::vector<geo::Point> barns;
  for (int i = 0; i < 6; ++i) {
    barns.push_back({kX0 + u(rng), kY0 + u(rng)});
    const std::string pand = "99990000000000" + std::to_string(10 + i);
    vab.push_back(recordOf("vab",
                           {{"vab_id", "VAB-" + std::to_string(i)},
                            {"leegstand", std::string("leeg")},
                            {"bag_pand_id", pand},
                            {"oppervlakte_m2", 800.0 + 100 * i},
                            {"synthetisch", std::int64_t{1}}},
                           pointAt(barns.back().x, barns.back().y)));
    panden.push_back(recordOf(
        "panden",
        {{"bag_id", pand}, {"is_schuur", std::int64_t{1}}, {"synthetisch", std::int64_t{1}}},
        squareAt(barns.back().x - 15, barns.back().y - 15, 30)));
  }
  int id = 0;
  for (int r = 0; r < 30; ++r)
    for (int c = 0; c < 30; ++c) {
      const geo::Point centre{kX0 + 100 * c + 50, kY0 + 100 * r + 50};
      double near = 1e300;
      for (const auto& b : barns) near = std::min(near, std::hypot(b.x - centre.x, b.y - centre.y));
      std::poisson_distribution<int> pois(std::exp(-1.5 + 1.3 * (near <= 300.0)));
      for (int k = pois(rng); k > 0; --k) {
        SignalSpec s = at(kX0 + 100 * c + inCell(rng), kY0 + 100 * r + inCell(rng));
        s.categorie = "VERHUUR";
        s.van = "2025-0" + std::to_string(1 + id % 9) + "-10T12:00:00";
        signals.push_back(signalRecord(id++, s));
      }
    }
  auto store = Store::create(dir.file("t.gpkg"));
  std::vector<ImportBatch> batches;
  batches.push_back(batch("gemeenten", std::move(gemeenten)));
  batches.push_back(batch("vab", std::move(vab)));
  batches.push_back(batch("panden", std::move(panden)));
  batches.push_back(batch("signalen", std::move(signals)));
  store->append(batches);
  return dir.file("t.gpkg");
}

std::string withStore(std::string args, const std::string& store) {
  args.replace(args.find("STORE"), 5, "'" + store + "'");
  return args;
}

const char* kQuickRisk = " --distances 100,300,600 --folds 3 --n-lambda 10";

}  // namespace

TEST(CliRisk, RiskThenAdreslijstWriteTheMapTheTableTheListAndTheSheets) {
  TempDir dir;
  const std::string store = riskStore(dir);
  const Outcome risk = runVeldwacht(dir, withStore("risk STORE", store) + kQuickRisk);
  ASSERT_EQ(risk.code, 0) << risk.err;
  EXPECT_NE(risk.out.find("wrote layer  risico_factoren"), std::string::npos) << risk.out;
  EXPECT_NE(risk.out.find("vab: proximity 300 m"), std::string::npos) << risk.out;
  EXPECT_NE(risk.out.find("wegtoegang: skipped"), std::string::npos) << risk.out;
  EXPECT_TRUE(std::filesystem::exists(dir.file("t_risico.tif")));
  EXPECT_TRUE(std::filesystem::exists(dir.file("t_risico.qml")));

  const std::string csv = dir.file("lijst.csv"), xlsx = dir.file("lijst.xlsx");
  const std::string list = withStore("adreslijst STORE", store) + " --risk-raster '" +
                           dir.file("t_risico.tif") + "' --csv '" + csv + "' --xlsx '" + xlsx +
                           "' --themes verhuur --max-rows 4";
  const Outcome a = runVeldwacht(dir, list);
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_NE(a.out.find("VERTROUWELIJK: 4 of 6 candidates (panden)"), std::string::npos) << a.out;
  EXPECT_NE(a.out.find("wrote layer  adreslijst"), std::string::npos);
  std::ifstream in(csv);
  std::string first;
  std::getline(in, first);
  EXPECT_NE(first.find("# VERTROUWELIJK"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(xlsx));
  {
    auto s = Store::open(store, false);
    const ResultLayer l = readResultLayer(*s, "adreslijst");
    EXPECT_EQ(l.records.size(), 4u);
    EXPECT_EQ(std::get<std::string>(resultValue(l, 0, "vaardigheid")), "adrescontrole");
  }

  // The sheets exist now: refused (exit 3, one line naming the file), the store unchanged.
  const std::string before = fileSha256(store);
  const Outcome again = runVeldwacht(dir, list);
  EXPECT_EQ(again.code, 3) << again.err;
  EXPECT_NE(again.err.find("lijst.csv"), std::string::npos) << again.err;
  EXPECT_EQ(fileSha256(store), before);
  const Outcome forced = runVeldwacht(dir, list + " --overwrite");
  EXPECT_EQ(forced.code, 0) << forced.err;
}

TEST(CliRisk, BadOptionsExitTwoNamingTheOptionAndLeaveTheStoreAlone) {
  TempDir dir;
  const std::string store = riskStore(dir);
  const std::string before = fileSha256(store);
  struct Case {
    std::string args, names;
  };
  for (const Case& c :
       std::vector<Case>{{"risk STORE --cell-size 0", "--cell-size"},
                         {"risk STORE --cell-size nan", "--cell-size"},
                         {"risk STORE --factors vab,wapens", "--factors"},
                         {"risk STORE --distances 500,100", "--distances"},
                         {"risk STORE --distances 100,abc", "--distances"},
                         {"risk STORE --folds 1", "--folds"},
                         {"risk STORE --alpha 1.5", "--alpha"},
                         {"risk STORE -o 'Bad Name'", "output"},
                         {"adreslijst STORE --themes wapens", "--themes"},
                         {"adreslijst STORE --skip-visited-since gisteren", "--skip-visited-since"},
                         {"adreslijst STORE --candidates huizen", "--candidates"},
                         {"adreslijst STORE --signal-radius -5", "--signal-radius"},
                         {"adreslijst STORE --half-life-days 0", "--half-life-days"},
                         {"adreslijst STORE --csv lijst.txt", "--csv"},
                         {"adreslijst STORE --area-where \"code = 'x'\"", "--area-where"}}) {
    const Outcome r = runVeldwacht(dir, withStore(c.args, store));
    EXPECT_EQ(r.code, 2) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.names), std::string::npos) << c.args << "\n" << r.err;
  }
  EXPECT_EQ(fileSha256(store), before);
}

TEST(CliRisk, RefusedInputExitsThreeWithTheStoreUnchanged) {
  TempDir dir;
  const std::string store = riskStore(dir);
  const std::string before = fileSha256(store);
  for (const char* args : {"risk STORE --where \"categorie = 'MILIEU'\" --distances 300 --folds 3",
                           "risk STORE --area-where \"code = 'GM0000'\" --distances 300 --folds 3",
                           "adreslijst STORE --risk-raster /nonexistent/risico.tif"}) {
    const Outcome r = runVeldwacht(dir, withStore(args, store));
    EXPECT_EQ(r.code, 3) << args << "\n" << r.err;
    EXPECT_TRUE(r.err.starts_with("veldwacht: ")) << r.err;
  }
  EXPECT_EQ(fileSha256(store), before);
  EXPECT_EQ(runVeldwacht(dir, "risk '" + dir.file("missing.gpkg") + "'").code, 3);
}

TEST(CliRisk, HelpListsTheDescribedOptions) {
  TempDir dir;
  const Outcome r = runVeldwacht(dir, "risk --help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--cell-size FLOAT=100"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--factors"), std::string::npos);
  const Outcome a = runVeldwacht(dir, "adreslijst --help");
  EXPECT_EQ(a.code, 0);
  EXPECT_NE(a.out.find("--skip-visited-since"), std::string::npos) << a.out;
  EXPECT_NE(a.out.find("--xlsx"), std::string::npos);
}
