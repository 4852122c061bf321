// The Eemsdelta sample roads are realistic enough to plan on: the shipped source files
// (sample-data/eemsdelta/) imported as a user would, then
//  - every ground-truth route (ground_truth.json "routes": town centre to town centre, shortest by
//    length, computed by the generator with its own Dijkstra) has the same length and number of
//    wegvakken with `veldwacht route --cost length`;
//  - every VAB and every signal is reached from every partner base, and every partner base from
//    every VAB, by car and by tractor (no empty matrix cell, no island warning).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "layers/results/results.h"
#include "tests/cli/run_veldwacht.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

const std::string kSample = VELDWACHT_SAMPLE_DIR;

std::string sampleFile(const std::string& name) { return "'" + kSample + "/" + name + "'"; }

std::string xyOf(const nlohmann::json& p) {
  std::ostringstream s;
  s.precision(12);
  s << p.at(0).get<double>() << "," << p.at(1).get<double>();
  return s.str();
}

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string l; std::getline(ss, l);) out.push_back(l);
  return out;
}

}  // namespace

TEST(CliNetworkSample, GroundTruthRoutesHaveTheirKnownLengths) {
  TempDir dir;
  const std::string store = "'" + dir.file("s.gpkg") + "'";
  const auto imp = runVeldwacht(dir, "import " + store + " " + sampleFile("nwb_wegvakken.gpkg"));
  ASSERT_EQ(imp.code, 0) << imp.err;
  std::ifstream in(kSample + "/ground_truth.json");
  const auto truth = nlohmann::json::parse(in);
  const auto& routes = truth.at("routes");
  ASSERT_GE(routes.size(), 8u);
  // One output name for every route (each run replaces it). A second, new result name in this
  // store fails ("cannot create layer 'r1_route'", also before this branch): reported to the lead.
  for (const auto& r : routes) {
    SCOPED_TRACE(r.at("id").get<std::string>());
    const auto run = runVeldwacht(dir, "route " + store + " --from-xy " + xyOf(r.at("from_xy")) +
                                           " --to-xy " + xyOf(r.at("to_xy")) + " --mode " +
                                           r.at("mode").get<std::string>() + " --cost length -o r");
    ASSERT_EQ(run.code, 0) << run.err;
    auto s = Store::open(dir.file("s.gpkg"), false);
    const auto line = readResultLayer(*s, "r_route");
    ASSERT_EQ(line.records.size(), 1u);
    EXPECT_NEAR(std::get<double>(resultValue(line, 0, "lengte_m")), r.at("length_m").get<double>(),
                0.01);
    const auto wegvakken = std::get<std::string>(resultValue(line, 0, "wegvakken"));
    EXPECT_EQ(static_cast<int>(std::count(wegvakken.begin(), wegvakken.end(), ',')) + 1,
              r.at("wegvakken").get<int>())
        << wegvakken;
  }
}

TEST(CliNetworkSample, EveryVabAndSignalIsReachedFromEveryPartnerBaseAndBack) {
  TempDir dir;
  const std::string store = "'" + dir.file("s.gpkg") + "'";
  const auto imp =
      runVeldwacht(dir, "import " + store + " " + sampleFile("nwb_wegvakken.gpkg") + " " +
                            sampleFile("vab.geojson") + " " + sampleFile("partners.geojson") + " " +
                            sampleFile("signalen.csv"));
  ASSERT_EQ(imp.code, 0) << imp.err;
  struct Case {
    std::string from, to, mode;
    std::size_t pairs;
  };
  const std::vector<Case> cases = {{"partners", "vab", "auto", 12 * 146},
                                   {"vab", "partners", "auto", 146 * 12},
                                   {"partners", "signalen", "auto", 12 * 600},
                                   {"partners", "vab", "landbouw", 12 * 146},
                                   {"vab", "partners", "landbouw", 146 * 12}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.from + " -> " + c.to + " by " + c.mode);
    const std::string csv = dir.file(c.from + "_" + c.to + "_" + c.mode + ".csv");
    const auto run =
        runVeldwacht(dir, "matrix " + store + " --from " + c.from + " --to " + c.to + " --mode " +
                              c.mode + " --cost length -o m --csv '" + csv + "'");
    ASSERT_EQ(run.code, 0) << run.err;
    const std::string all = run.out + run.err;
    EXPECT_EQ(all.find("island"), std::string::npos) << all;
    EXPECT_EQ(all.find("cannot be reached"), std::string::npos) << all;
    const auto lines = linesOf(slurp(csv));
    ASSERT_EQ(lines.size(), c.pairs + 1);
    std::size_t empty = 0;
    for (std::size_t i = 1; i < lines.size(); ++i)
      if (lines[i].size() >= 2 && lines[i].substr(lines[i].size() - 2) == ",,") ++empty;
    EXPECT_EQ(empty, 0u);
  }
}
