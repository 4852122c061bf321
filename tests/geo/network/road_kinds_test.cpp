#include "geo/network/road_kinds.h"

#include <gtest/gtest.h>

#include "geo/core/error.h"

using namespace veldwacht::geo;

TEST(RoadKinds, DirectionFromRijrichting) {
  EXPECT_EQ(parseDirection("H"), Direction::Forward);
  EXPECT_EQ(parseDirection("t"), Direction::Backward);
  EXPECT_EQ(parseDirection("B"), Direction::Both);
  EXPECT_EQ(parseDirection("O"), Direction::Both);
  EXPECT_EQ(parseDirection(""), Direction::Both);
  EXPECT_EQ(parseDirection("X"), std::nullopt);
}

TEST(RoadKinds, CarsStayOffCyclePathsAndTractorsOffMotorways) {
  EXPECT_FALSE(modeMayUse(TravelMode::Auto, RoadKind::Cycle, 'G'));
  EXPECT_TRUE(modeMayUse(TravelMode::Fiets, RoadKind::Cycle, 'G'));
  EXPECT_TRUE(modeMayUse(TravelMode::Auto, RoadKind::Carriageway, 'R'));
  EXPECT_FALSE(modeMayUse(TravelMode::Landbouw, RoadKind::Carriageway, 'R'));
  EXPECT_FALSE(modeMayUse(TravelMode::Landbouw, RoadKind::MotorwayLink, 'P'));
  EXPECT_TRUE(modeMayUse(TravelMode::Landbouw, RoadKind::Carriageway, 'W'));
  EXPECT_FALSE(modeMayUse(TravelMode::Fiets, RoadKind::Carriageway, 'R'));
  EXPECT_TRUE(modeMayUse(TravelMode::Fiets, RoadKind::Cycle, 'R'));  // fietspad beside a rijksweg
  EXPECT_TRUE(modeMayUse(TravelMode::Lopen, RoadKind::Foot, 'G'));
  EXPECT_FALSE(modeMayUse(TravelMode::Fiets, RoadKind::Foot, 'G'));
  for (TravelMode m : kTravelModes) {
    EXPECT_FALSE(modeMayUse(m, RoadKind::Bus, 'G'));
    EXPECT_FALSE(modeMayUse(m, RoadKind::Emergency, 'R'));
  }
  EXPECT_EQ(roadKindOf("fp"), RoadKind::Cycle);
  EXPECT_EQ(roadKindOf(" NRB "), RoadKind::Roundabout);
  EXPECT_EQ(roadKindOf("RB"), RoadKind::Carriageway);
  EXPECT_EQ(roadKindOf("QQ"), std::nullopt);
}

TEST(RoadKinds, DefaultSpeedsAreTheDutchTableTimesTheDrivingFactor) {
  const SpeedTable t;
  auto autoKmh = [&](char beheer, const char* bst, bool inside) {
    return t.speedKmh(TravelMode::Auto, *roadKindOf(bst), beheer, bst, inside);
  };
  EXPECT_DOUBLE_EQ(autoKmh('R', "HR", false), 100 * 0.85);
  EXPECT_DOUBLE_EQ(autoKmh('P', "", false), 80 * 0.85);
  EXPECT_DOUBLE_EQ(autoKmh('G', "", false), 60 * 0.85);
  EXPECT_DOUBLE_EQ(autoKmh('G', "", true), 50 * 0.85);
  EXPECT_DOUBLE_EQ(autoKmh('W', "", false), 60 * 0.85);
  EXPECT_DOUBLE_EQ(autoKmh('G', "ERF", true), 15 * 0.85);
  EXPECT_DOUBLE_EQ(autoKmh('P', "NRB", false), 30 * 0.85);
  // A posted limit wins over the table.
  EXPECT_DOUBLE_EQ(t.speedKmh(TravelMode::Auto, RoadKind::Carriageway, 'G', "", false, 30.0),
                   30 * 0.85);
  EXPECT_DOUBLE_EQ(t.speedKmh(TravelMode::Landbouw, RoadKind::Carriageway, 'P', "", false), 25.0);
  EXPECT_DOUBLE_EQ(t.speedKmh(TravelMode::Landbouw, RoadKind::Erf, 'G', "ERF", true), 15 * 0.85);
  EXPECT_DOUBLE_EQ(t.speedKmh(TravelMode::Fiets, RoadKind::Cycle, 'G', "FP", false), 15.0);
  EXPECT_DOUBLE_EQ(t.speedKmh(TravelMode::Lopen, RoadKind::Carriageway, 'G', "", false), 5.0);
  EXPECT_EQ(t.speedKmh(TravelMode::Auto, RoadKind::Cycle, 'G', "FP", false), 0.0);
}

TEST(RoadKinds, EveryUsableKindHasASpeed) {
  const SpeedTable t;
  const char* codes[] = {"",    "RB", "HR", "AF", "OP",  "VBW", "NRB", "ERF",
                         "PKP", "FP", "VP", "RP", "VDV", "VDF", "YYY"};
  for (TravelMode m : kTravelModes)
    for (char beheer : std::string("RPGWT"))
      for (const char* bst : codes)
        for (bool inside : {false, true}) {
          const RoadKind k = *roadKindOf(bst);
          const double v = t.speedKmh(m, k, beheer, bst, inside);
          EXPECT_EQ(v > 0.0, modeMayUse(m, k, beheer)) << travelModeName(m) << beheer << bst;
        }
}

TEST(RoadKinds, SpeedTableFromJsonOverridesOnlyWhatItNames) {
  const auto t = SpeedTable::fromJson(
      R"({"wegbeheerder": {"G": {"binnen": 30}, "p": 70}, "baansubsoort": {"erf": 10},
          "factor": 1.0, "landbouw_max_kmh": 40})");
  EXPECT_DOUBLE_EQ(t.byWegbeheerder.at('G').inside, 30.0);
  EXPECT_DOUBLE_EQ(t.byWegbeheerder.at('G').outside, 60.0);
  EXPECT_DOUBLE_EQ(t.byWegbeheerder.at('P').outside, 70.0);
  EXPECT_DOUBLE_EQ(t.byBaansubsoort.at("ERF"), 10.0);
  EXPECT_DOUBLE_EQ(t.byBaansubsoort.at("NRB"), 30.0);
  EXPECT_DOUBLE_EQ(t.realDrivingFactor, 1.0);
  EXPECT_DOUBLE_EQ(t.speedKmh(TravelMode::Landbouw, RoadKind::Carriageway, 'P', "", false), 40.0);
}

TEST(RoadKinds, BadSpeedTableSaysWhereAndWhat) {
  try {
    (void)SpeedTable::fromJson(R"({"wegbeheerder": {"G": {"buiten": 0}}})", "snelheden.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "snelheden.json");
    EXPECT_EQ(e.where().field, "wegbeheerder.G.buiten");
    EXPECT_NE(std::string(e.what()).find("> 0"), std::string::npos);
  }
  EXPECT_THROW((void)SpeedTable::fromJson("{not json"), InputError);
  EXPECT_THROW((void)SpeedTable::fromJson(R"({"wegbeheerder": {"X": 50}})"), InputError);
  EXPECT_THROW((void)SpeedTable::fromJson(R"({"snelheid": 50})"), InputError);
  EXPECT_THROW((void)parseTravelMode("vliegen"), OptionError);
  EXPECT_EQ(parseTravelMode("Landbouw"), TravelMode::Landbouw);
}
