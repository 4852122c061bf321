// Sites and partner bases snap to the roads of the mode that travels to them, in the plan's
// input (layers/planning readPlanInput over geo::ModeSnappers): a fiets partner's base joins the
// fietspad beside the road, a car partner's base the road; the fiets matrix uses the fietspad.
#include <gtest/gtest.h>

#include <cmath>

#include "geo/core/error.h"
#include "layers/planning/plan_runner.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

Record road(std::int64_t id, std::int64_t beg, std::int64_t end, std::vector<geo::Point> pts,
            const std::string& bst = "") {
  auto* line = new OGRLineString();
  for (const auto& p : pts) line->addPoint(kX0 + p.x, kY0 + p.y);
  return recordOf("wegvakken",
                  {{"wvk_id", id},
                   {"jte_id_beg", beg},
                   {"jte_id_end", end},
                   {"wegbehsrt", std::string("G")},
                   {"bst_code", bst.empty() ? Value{} : Value{bst}},
                   {"synthetisch", std::int64_t{1}}},
                  geo::GeometryPtr(line));
}

Record partner(const std::string& id, double x, double y) {
  return recordOf("partners",
                  {{"partner_id", id},
                   {"naam", "Partner " + id},
                   {"partner_type", std::string("jager_wbe")},
                   {"beschikbaar_dag", std::int64_t{1}},
                   {"beschikbaar_nacht", std::int64_t{0}},
                   {"synthetisch", std::int64_t{1}}},
                  pointAt(kX0 + x, kY0 + y));
}

}  // namespace

TEST(PlanSnapping, EachPartnersBaseJoinsTheRoadsOfItsOwnMode) {
  // A road along y = 0 and a fietspad along y = -30, both 0..2000 m, joined at both ends.
  std::vector<Record> roads;
  roads.push_back(road(1, 1, 2, {{0, 0}, {2000, 0}}));
  roads.push_back(road(2, 3, 4, {{0, -30}, {2000, -30}}, "FP"));
  roads.push_back(road(3, 1, 3, {{0, 0}, {0, -30}}));
  roads.push_back(road(4, 2, 4, {{2000, 0}, {2000, -30}}));
  // Both bases 10 m from the fietspad and 20 m from the road; a site 10 m north of the road.
  std::vector<Record> partners;
  partners.push_back(partner("FIETS", 1000, -20));
  partners.push_back(partner("AUTO", 1000, -20));
  TempDir dir;
  auto store =
      storeWith(dir, batch("wegvakken", std::move(roads)), batch("partners", std::move(partners)));
  std::vector<ImportBatch> b;
  std::vector<Record> sites;
  sites.push_back(incidentRecord(1, kX0 + 1500, kY0 + 10, "2024-05-01"));
  b.push_back(batch("incidenten", std::move(sites)));
  store->append(b);

  PlanRequest r;
  r.sites = {"incidenten", "", ""};
  r.skill = "signaleren";
  r.period = "2026-12-07/2026-12-08";
  r.shiftsPerPartner = 0;
  r.network.source.speedsJson =
      R"({"wegbeheerder": {"G": 36, "P": 36, "W": 36, "R": 36, "T": 36}, "factor": 1.0,
          "baansubsoort": {}})";
  r.network.cost = geo::CostKind::Length;
  r.network.threads = 1;
  r.partnerModes = "FIETS=fiets";
  const PlanInput in = readPlanInput(*store, r);
  ASSERT_EQ(in.modes.size(), 2u);  // auto (the request's), fiets
  ASSERT_EQ(in.modeLocations.size(), 2u);
  const auto& net = in.network->network;
  const std::size_t fiets = in.partnerMode[0], car = in.partnerMode[1];
  ASSERT_EQ(in.modes[fiets], geo::TravelMode::Fiets);
  ASSERT_EQ(in.modes[car], geo::TravelMode::Auto);
  const auto& fietsBase = in.modeLocations[fiets][in.baseNode[0]];
  const auto& carBase = in.modeLocations[car][in.baseNode[1]];
  ASSERT_FALSE(fietsBase.isJunction() || fietsBase.isNowhere());
  ASSERT_FALSE(carBase.isJunction() || carBase.isNowhere());
  EXPECT_EQ(net.wvkId(fietsBase.wegvak), 2);  // the fietspad, 10 m away
  EXPECT_EQ(net.wvkId(carBase.wegvak), 1);    // the road, 20 m away (no car on a fietspad)
  EXPECT_NEAR(fietsBase.offset, 1000.0, 1e-6);
  // Lengths (cost = length): the car drives 500 m east along the road to the site's snap; the
  // bike rides 1000 m east on the fietspad, 30 m north, 500 m back west.
  const std::size_t site = std::size_t(in.siteNode[0]);
  EXPECT_NEAR(in.metres[car][in.baseNode[1] * in.nodes + site], 500.0, 1e-6);
  EXPECT_NEAR(in.metres[fiets][in.baseNode[0] * in.nodes + site], 1530.0, 1e-6);
  EXPECT_NEAR(in.metres[fiets][site * in.nodes + in.baseNode[0]], 1530.0, 1e-6);
}
