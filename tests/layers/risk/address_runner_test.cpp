#include "layers/risk/address_runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

Record vabRecord(const std::string& id, double x, double y, const std::string& leegstand,
                 double area, const std::string& pand, const std::string& visit = {}) {
  return recordOf("vab",
                  {{"vab_id", id},
                   {"leegstand", leegstand},
                   {"oppervlakte_m2", area},
                   {"bag_pand_id", pand},
                   {"laatste_bezoek", visit.empty() ? Value{} : Value{visit}},
                   {"synthetisch", std::int64_t{1}}},
                  pointAt(x, y));
}

Record signal(int i, double x, double y, const std::string& cat, const std::string& van,
              const std::string& grade, const std::string& pand) {
  SignalSpec s = at(x, y);
  s.categorie = cat;
  s.van = van;
  Record r = signalRecord(i, s);
  const LayerDef& def = layerDef("signalen");
  r.values[std::size_t(def.fieldIndex("betrouwbaarheid"))] = grade;
  r.values[std::size_t(def.fieldIndex("bag_pand_id"))] = pand;
  return r;
}

}  // namespace

TEST(RunAddressList, RanksTheVacantBarnWithSignalsFirstAndMarksEveryOutput) {
  TempDir dir;
  std::vector<Record> vab, sig;
  vab.push_back(vabRecord("VAB-1", kX0, kY0, "leeg", 1200, "9999000000000001"));
  vab.push_back(vabRecord("VAB-2", kX0 + 3000, kY0, "deels_leeg", 400, "9999000000000002"));
  vab.push_back(
      vabRecord("VAB-3", kX0 + 6000, kY0, "leeg", 2500, "9999000000000003", "2025-05-01"));
  sig.push_back(
      signal(0, kX0 + 40, kY0, "VERHUUR", "2025-04-01T10:00:00", "A", "9999000000000001"));
  sig.push_back(
      signal(1, kX0 + 60, kY0 + 30, "ACTIVITEIT", "2025-03-01T22:00:00", "B", "9999000000000001"));
  sig.push_back(signal(2, kX0 - 80, kY0, "DRUGSLAB", "2025-01-15T23:00:00", "C", ""));
  sig.push_back(
      signal(3, kX0 + 6010, kY0, "HENNEP", "2025-05-20T12:00:00", "A", "9999000000000003"));
  auto store = storeWith(dir, batch("vab", std::move(vab)), batch("signalen", std::move(sig)));
  AddressListRequest req;
  req.list.skipVisitedSince = parseIsoTime("2025-01-01");
  const RunReport report = runAddressList(*store, req);

  const ResultLayer list = readResultLayer(*store, "adreslijst");
  ASSERT_EQ(list.records.size(), 2u);  // VAB-3 was visited in May
  EXPECT_EQ(std::get<std::string>(resultValue(list, 0, "sleutel")), "VAB-1");
  EXPECT_EQ(std::get<std::int64_t>(resultValue(list, 0, "rang")), 1);
  EXPECT_EQ(std::get<std::string>(resultValue(list, 0, "vaardigheid")), "adrescontrole");
  EXPECT_EQ(std::get<std::string>(resultValue(list, 1, "sleutel")), "VAB-2");
  const auto& why = std::get<std::string>(resultValue(list, 0, "toelichting"));
  EXPECT_EQ(why.rfind("3 signalen in 12 maanden, waarvan 2 betrouwbaar; 2 signalen bij hetzelfde "
                      "pand; leegstaande schuur van 1.200 m²",
                      0),
            0u)
      << why;
  for (std::size_t i = 0; i < list.records.size(); ++i)
    EXPECT_EQ(std::get<std::string>(resultValue(list, i, "vertrouwelijkheid")), "VERTROUWELIJK");
  EXPECT_NE(list.title.find("VERTROUWELIJK"), std::string::npos);

  ASSERT_EQ(report.files.size(), 2u);
  for (const auto& f : report.files) EXPECT_TRUE(std::filesystem::exists(f)) << f;
  std::ifstream csv(dir.file("t_adreslijst.csv"));
  std::string first;
  std::getline(csv, first);
  EXPECT_NE(first.find("# VERTROUWELIJK"), std::string::npos);
}
