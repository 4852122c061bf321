// risk_terrain and address_list from both hosts: the CLI builds its request from the defaults
// and the flags a user typed (Analysis::setText); Processing (plugin/processing/described.h,
// makeRequest) from the defaults and EVERY option's parameter value through Analysis::set,
// untouched parameters carrying the description's default. Both then run the same runner
// (runRisk, runAddressList). Here both requests are built on copies of one store and run: the
// requests' option values, the result tables (every value), the raster (every pixel), the
// recorded parameters and the sheets must be the same.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "geo/density/geotiff.h"
#include "layers/risk/address_runner.h"
#include "layers/risk/risk_runner.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

/// What a user typed: option name → text. The CLI sets these; Processing gets them typed.
using Typed = std::map<std::string, std::string>;

template <class R>
R cliRequest(const describe::Analysis<R>& a, const Typed& typed) {
  R r = a.defaults();
  for (const auto& [name, text] : typed) a.setText(r, name, text);
  r.validate();
  return r;
}

/// The value a Processing parameter hands over for `text` (a number for Real / Integer, a bool,
/// the name of a choice, the text itself).
describe::OptionValue typedValue(const describe::Option& o, const std::string& text) {
  switch (o.kind) {
    case describe::OptionKind::Real:
      return std::stod(text);
    case describe::OptionKind::Integer:
      return std::int64_t(std::stod(text));
    case describe::OptionKind::Boolean:
      return text == "true";
    default:
      return text;
  }
}

template <class R>
R processingRequest(const describe::Analysis<R>& a, const Typed& typed) {
  R r = a.defaults();
  for (const auto& o : a.options) {
    const auto it = typed.find(o.cli);
    a.set(r, o.processing, it == typed.end() ? o.defaultValue : typedValue(o, it->second));
  }
  r.validate();
  return r;
}

template <class R>
void expectSameOptions(const describe::Analysis<R>& a, const R& x, const R& y) {
  for (const auto& o : a.options) EXPECT_EQ(a.get(x, o.cli), a.get(y, o.cli)) << o.cli;
}

/// `text` with every `from` replaced by `to` (the hosts' folders in recorded paths).
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

void expectSameTable(Store& s1, Store& s2, const std::string& name, const std::string& dir1,
                     const std::string& dir2) {
  const ResultLayer a = readResultLayer(s1, name), b = readResultLayer(s2, name);
  ASSERT_EQ(a.fields.size(), b.fields.size()) << name;
  for (std::size_t f = 0; f < a.fields.size(); ++f) {
    EXPECT_EQ(a.fields[f].name, b.fields[f].name);
    EXPECT_EQ(a.fields[f].type, b.fields[f].type) << a.fields[f].name;
  }
  ASSERT_EQ(a.records.size(), b.records.size()) << name;
  ASSERT_FALSE(a.records.empty()) << name;
  for (std::size_t i = 0; i < a.records.size(); ++i) {
    EXPECT_EQ(a.records[i].values, b.records[i].values) << name << " row " << i;
    ASSERT_EQ(bool(a.records[i].geometry), bool(b.records[i].geometry));
    if (a.records[i].geometry) {
      EXPECT_TRUE(a.records[i].geometry->Equals(b.records[i].geometry.get()))
          << name << " row " << i;
    }
  }
  EXPECT_EQ(a.metadata.algorithm, b.metadata.algorithm);
  EXPECT_EQ(a.metadata.parametersJson, replaced(b.metadata.parametersJson, dir2, dir1));
  EXPECT_EQ(a.metadata.inputLayer, b.metadata.inputLayer);
  EXPECT_EQ(a.metadata.inputRows, b.metadata.inputRows);
  EXPECT_EQ(a.metadata.seed, b.metadata.seed);
}

std::string bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A 2 x 2 km gemeente, 4 vacant barns (VAB, with BAG pand ids) and 60 dated signals, more of
// them near the barns; some with a pand, reliability and a theme.
void buildStore(const std::string& path) {
  std::mt19937_64 rng(31);
  std::uniform_real_distribution<double> u(100.0, 1900.0), near(-150.0, 150.0);
  std::uniform_int_distribution<int> month(1, 12), day(1, 28);
  std::vector<Record> gemeenten, vab, signals;
  gemeenten.push_back(
      recordOf("gemeenten", {{"code", std::string("GM9999")}}, squareAt(kX0, kY0, 2000)));
  std::vector<geo::Point> barns;
  for (int i = 0; i < 4; ++i) {
    barns.push_back({kX0 + u(rng), kY0 + u(rng)});
    vab.push_back(recordOf("vab",
                           {{"vab_id", "VAB-" + std::to_string(i)},
                            {"leegstand", std::string(i % 2 ? "leeg" : "deels_leeg")},
                            {"oppervlakte_m2", 400.0 + 300 * i},
                            {"bag_pand_id", "999900000000000" + std::to_string(i)},
                            {"synthetisch", std::int64_t{1}}},
                           pointAt(barns.back().x, barns.back().y)));
  }
  const char* categories[] = {"DRUGSAFVAL", "VERHUUR", "HENNEP"};
  for (int i = 0; i < 60; ++i) {
    const bool atBarn = i % 3 != 0;
    const geo::Point b = barns[std::size_t(i) % barns.size()];
    SignalSpec s = atBarn ? at(b.x + near(rng), b.y + near(rng)) : at(kX0 + u(rng), kY0 + u(rng));
    s.categorie = categories[i % 3];
    char van[32];
    std::snprintf(van, sizeof van, "%04d-%02d-%02dT10:00:00", 2023 + i % 2, month(rng), day(rng));
    s.van = van;
    Record r = signalRecord(i, s);
    const LayerDef& def = layerDef("signalen");
    r.values[std::size_t(def.fieldIndex("betrouwbaarheid"))] = std::string(i % 2 ? "A" : "C");
    if (atBarn && i % 4 == 1)
      r.values[std::size_t(def.fieldIndex("bag_pand_id"))] =
          "999900000000000" + std::to_string(i % 4);
    signals.push_back(std::move(r));
  }
  auto store = Store::create(path);
  std::vector<ImportBatch> batches;
  batches.push_back(batch("gemeenten", std::move(gemeenten)));
  batches.push_back(batch("vab", std::move(vab)));
  batches.push_back(batch("signalen", std::move(signals)));
  store->append(batches);
}

}  // namespace

TEST(BothHosts, RiskTerrainAndAddressListGiveTheSameTables) {
  TempDir dir;
  const std::string cliDir = dir.file("cli"), qgisDir = dir.file("qgis");
  std::filesystem::create_directories(cliDir);
  std::filesystem::create_directories(qgisDir);
  buildStore(cliDir + "/s.gpkg");
  std::filesystem::copy_file(cliDir + "/s.gpkg", qgisDir + "/s.gpkg");
  auto cliStore = Store::open(cliDir + "/s.gpkg", true);
  auto qgisStore = Store::open(qgisDir + "/s.gpkg", true);

  const auto& risk = describe::riskAnalyses().front();
  const Typed riskTyped{{"factors", "vab,eerder"}, {"distances", "100,300"},
                        {"half-lives", "30,180"},  {"response-from", "2024-01-01"},
                        {"cell-size", "100"},      {"folds", "3"},
                        {"n-lambda", "10"},        {"seed", "7"}};
  RiskRequest r1 = cliRequest(risk, riskTyped), r2 = processingRequest(risk, riskTyped);
  expectSameOptions(risk, r1, r2);
  runRisk(*cliStore, r1);
  runRisk(*qgisStore, r2);
  expectSameTable(*cliStore, *qgisStore, "risico_factoren", cliDir, qgisDir);
  const geo::Raster m1 = geo::readRaster(cliDir + "/s_risico.tif");
  const geo::Raster m2 = geo::readRaster(qgisDir + "/s_risico.tif");
  EXPECT_EQ(m1.grid.cols, m2.grid.cols);
  EXPECT_EQ(m1.grid.rows, m2.grid.rows);
  EXPECT_EQ(m1.grid.originX, m2.grid.originX);
  EXPECT_EQ(m1.grid.originY, m2.grid.originY);
  EXPECT_EQ(m1.values, m2.values);

  const auto& list = describe::addressListAnalyses().front();
  const Typed listTyped{{"candidates", "vab"},
                        {"themes", "drugs,verhuur"},
                        {"half-life-days", "180"},
                        {"signal-radius", "200"},
                        {"max-rows", "3"}};
  AddressListRequest l1 = cliRequest(list, listTyped), l2 = processingRequest(list, listTyped);
  expectSameOptions(list, l1, l2);
  // Both hosts pass the risk map and the sheets as paths of their own store's folder.
  l1.riskRaster = cliDir + "/s_risico.tif";
  l2.riskRaster = qgisDir + "/s_risico.tif";
  l1.csvPath = cliDir + "/lijst.csv";
  l2.csvPath = qgisDir + "/lijst.csv";
  runAddressList(*cliStore, l1);
  runAddressList(*qgisStore, l2);
  expectSameTable(*cliStore, *qgisStore, "adreslijst", cliDir, qgisDir);
  EXPECT_EQ(bytes(cliDir + "/lijst.csv"), bytes(qgisDir + "/lijst.csv"));
}
