// End to end on the demo store sample-data/eemsdelta.gpkg (label `sample`: a few minutes in a
// Debug build): the risk map, then the check list using it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "layers/risk/address_runner.h"
#include "layers/risk/risk_runner.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

// The demo store: the risk map and the list on sample-data/eemsdelta.gpkg (label `sample`).
// The planted barns-for-rent cluster B must lead: its panden (ground_truth.json related
// bag_pand_ids, the panden of VAB-1979-0010..0017) in the top 10 of the BAG-pand list.
TEST(SampleRegion, PlantedBarnsForRentLeadTheCheckList) {
  const std::string sample = std::string(VELDWACHT_SOURCE_DIR) + "/sample-data/eemsdelta.gpkg";
  if (!std::filesystem::exists(sample)) GTEST_SKIP() << "no sample store";
  TempDir dir;
  std::filesystem::copy_file(sample, dir.file("t.gpkg"));
  auto store = Store::open(dir.file("t.gpkg"), true);
  RiskRequest risk;
  risk.studyAreaWhere = "code = 'GM1979'";
  const RunReport r1 = runRisk(*store, risk);
  for (const auto& l : r1.lines) std::printf("%s\n", l.c_str());
  AddressListRequest req;
  req.riskRaster = dir.file("t_risico.tif");
  const RunReport r2 = runAddressList(*store, req);
  for (const auto& l : r2.lines) std::printf("%s\n", l.c_str());
  const ResultLayer list = readResultLayer(*store, "adreslijst");
  const std::vector<std::string> planted{"9999100000000014", "9999100000000015", "9999100000000016",
                                         "9999100000000018", "9999100000000019", "9999100000000020",
                                         "9999100000000022", "9999100000000023"};
  int inTop10 = 0;
  for (std::size_t i = 0; i < std::min<std::size_t>(10, list.records.size()); ++i) {
    const auto& key = std::get<std::string>(resultValue(list, i, "sleutel"));
    std::printf("%zu. %s %s\n", i + 1, key.c_str(),
                std::get<std::string>(resultValue(list, i, "toelichting")).c_str());
    inTop10 += std::find(planted.begin(), planted.end(), key) != planted.end();
  }
  EXPECT_GE(inTop10, 6) << "planted barns-for-rent panden in the top 10";
}
