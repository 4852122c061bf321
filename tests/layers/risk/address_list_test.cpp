#include "layers/risk/address_list.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "geo/core/error.h"
#include "geo/core/gdal.h"

using namespace veldwacht;
using namespace veldwacht::layers;

namespace {

constexpr geo::TimeSeconds kDay = 86400;
constexpr geo::TimeSeconds kNow = 1'767'225'600;  // 2026-01-01

// A vacant barn of 1,200 m2 in a top-5 % risk cell with three signals nearby (two reliable, one
// a year and a half old), an ordinary dwelling with one old D signal, and a business-park unit.
std::vector<AddressCandidate> candidates() {
  std::vector<AddressCandidate> c(3);
  c[0] = {.key = "vab-1",
          .label = "Hoofdweg 12, Loppersum",
          .pandKey = "P1",
          .location = {245000, 594000},
          .vacant = true,
          .barn = true,
          .floorArea = 1200,
          .riskPercentile = 97};
  c[1] = {.key = "vbo-2",
          .label = "Dorpsstraat 3, Loppersum",
          .pandKey = "P2",
          .location = {246000, 594000}};
  c[2] = {.key = "vbo-3",
          .label = "Oosterhorn 40, Farmsum",
          .pandKey = "P3",
          .location = {261000, 591000},
          .riskyUse = true,
          .onBusinessPark = true,
          .riskPercentile = 92};
  return c;
}

std::vector<AddressSignal> signals() {
  return {
      {{245050, 594000}, kNow - 30 * kDay, 'A', "VERHUUR", "P1"},
      {{245100, 594050}, kNow - 365 * kDay / 2, 'B', "HENNEP", "P1"},
      {{244900, 594000}, kNow - 547 * kDay, 'C', "ACTIVITEIT", ""},
      {{246010, 594000}, kNow - 200 * kDay, 'D', "MILIEU", ""},
      {{245000, 594000}, kNow + 5 * kDay, 'A', "HENNEP", "P1"},  // after "now": ignored
  };
}

AddressListOptions options() {
  AddressListOptions o;
  o.referenceTime = kNow;
  return o;
}

}  // namespace

TEST(AddressList, ScoresByHandAndExplainsInDutch) {
  const auto rows = rankAddresses(candidates(), signals(), options());
  ASSERT_EQ(rows.size(), 3u);
  const AddressRow& barn = rows[0];
  EXPECT_EQ(barn.candidate, 0u);
  EXPECT_EQ(barn.rank, 1u);
  // Hard: vacant 3 + area 1.2 + top-5 % cell 2 = 6.2.
  EXPECT_DOUBLE_EQ(barn.hardScore, 6.2);
  // Soft: 2 * (1 * 0.5^(30/365) + 0.8 * 0.5^(182.5/365) + 0.5 * 0.5^(547/365)) + 1 (two signals
  // linked to pand P1).
  const double soft = 2.0 * (std::exp2(-30.0 / 365) + 0.8 * std::exp2(-182.5 / 365) +
                             0.5 * std::exp2(-547.0 / 365)) +
                      1.0;
  EXPECT_NEAR(barn.softScore, soft, 1e-12);
  EXPECT_NEAR(barn.score, 6.2 + soft, 1e-12);
  EXPECT_EQ(barn.signalCount, 3u);
  EXPECT_EQ(barn.signalsInWindow, 2u);
  EXPECT_EQ(barn.reliableInWindow, 2u);
  EXPECT_EQ(barn.explanation,
            "2 signalen in 12 maanden, waarvan 2 betrouwbaar (3 in totaal); 2 signalen bij "
            "hetzelfde pand; leegstaande schuur van 1.200 m²; risicocel bij de hoogste 5 %; "
            "thema's drugs, verhuur");
  // Business-park unit: risky use 0.5 + business park 1 + top-10 % 1 = 2.5, no signals.
  EXPECT_EQ(rows[1].candidate, 2u);
  EXPECT_DOUBLE_EQ(rows[1].score, 2.5);
  EXPECT_EQ(rows[1].explanation,
            "gebruiksdoel dat bij verborgen activiteit past; op een bedrijventerrein; risicocel "
            "bij de hoogste 10 %");
  // Dwelling: one D signal 200 days old: 2 * 0.25 * 0.5^(200/365).
  EXPECT_NEAR(rows[2].score, 0.5 * std::exp2(-200.0 / 365), 1e-12);
  EXPECT_EQ(rows[2].explanation, "1 signaal in 12 maanden; thema milieu");
}

TEST(AddressList, ThemeFilterKeepsOnlyAddressesWithSignalsOfTheTheme) {
  auto o = options();
  o.themes = {"drugs"};
  const auto rows = rankAddresses(candidates(), signals(), o);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].candidate, 0u);
  EXPECT_EQ(rows[0].signalCount, 1u);  // only the HENNEP signal is drugs
  EXPECT_EQ(rows[0].themes, std::vector<std::string>{"drugs"});
  o.themes = {"wapens"};
  EXPECT_THROW(rankAddresses(candidates(), signals(), o), geo::OptionError);
}

TEST(AddressList, RecentlyVisitedAddressesAreLeftOut) {
  auto c = candidates();
  c[0].lastVisit = kNow - 10 * kDay;
  c[2].lastVisit = kNow - 400 * kDay;
  auto o = options();
  o.skipVisitedSince = kNow - 90 * kDay;
  const auto rows = rankAddresses(c, signals(), o);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].candidate, 2u);
  EXPECT_EQ(rows[1].candidate, 1u);
}

TEST(AddressList, DutchNumbers) {
  EXPECT_EQ(dutchNumber(1200), "1.200");
  EXPECT_EQ(dutchNumber(950), "950");
  EXPECT_EQ(dutchNumber(1234567.4), "1.234.567");
}

namespace {

std::filesystem::path tempFile(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("veldwacht_adreslijst_" + std::to_string(::getpid()) + "_" + name);
}

}  // namespace

TEST(AddressSheet, CsvIsMarkedConfidentialAndHasOneLinePerRow) {
  const auto c = candidates();
  const auto rows = rankAddresses(c, signals(), options());
  const auto path = tempFile("lijst.csv");
  writeAddressSheet(path.string(), c, rows);
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::filesystem::remove(path);
  ASSERT_EQ(lines.size(), 2u + rows.size());
  EXPECT_EQ(lines[0].rfind("\xEF\xBB\xBF# VERTROUWELIJK", 0), 0u);
  EXPECT_EQ(lines[1].rfind("rang;score;prioriteit;vaardigheid;adres;sleutel;pand", 0), 0u);
  EXPECT_EQ(lines[2].rfind("1;", 0), 0u);
  EXPECT_NE(lines[2].find(";adrescontrole;Hoofdweg 12, Loppersum;vab-1;P1;245000.00;594000.00;"),
            std::string::npos);
  EXPECT_NE(lines[2].find(";VERTROUWELIJK\r"), std::string::npos);
  EXPECT_THROW(writeAddressSheet(tempFile("lijst.txt").string(), c, rows), geo::OptionError);
}

TEST(AddressSheet, XlsxThroughGdalReadsBack) {
  const auto c = candidates();
  const auto rows = rankAddresses(c, signals(), options());
  const auto path = tempFile("lijst.xlsx");
  writeAddressSheet(path.string(), c, rows);
  {
    auto ds = geo::openDataset(path.string());
    ASSERT_EQ(ds->GetLayerCount(), 1);
    OGRLayer* layer = ds->GetLayer(0);
    EXPECT_STREQ(layer->GetName(), "VERTROUWELIJK_adreslijst");
    EXPECT_EQ(layer->GetFeatureCount(), GIntBig(rows.size()));
    layer->ResetReading();
    geo::FeaturePtr f(layer->GetNextFeature());
    ASSERT_TRUE(f);
    EXPECT_EQ(f->GetFieldAsInteger("rang"), 1);
    EXPECT_STREQ(f->GetFieldAsString("sleutel"), "vab-1");
    EXPECT_NEAR(f->GetFieldAsDouble("score"), rows[0].score, 0.005);
    EXPECT_STREQ(f->GetFieldAsString("toelichting"), rows[0].explanation.c_str());
    EXPECT_STREQ(f->GetFieldAsString("vertrouwelijkheid"), "VERTROUWELIJK");
  }
  std::filesystem::remove(path);
}
