#include "layers/analyses/inputs.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "geo/core/error.h"
#include "layers/analyses/report.h"
#include "tests/geo/expect_error.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

TEST(IsoTime, ParsesDatesAndDateTimesOnANaiveClock) {
  EXPECT_EQ(parseIsoTime("1970-01-01"), 0);
  EXPECT_EQ(parseIsoTime("1970-01-02T00:00:01"), 86401);
  EXPECT_EQ(parseIsoTime("2024-03-01T10:00:00"), 1709287200);  // python calendar.timegm
  EXPECT_EQ(parseIsoTime("2024-02-29"), 1709164800);
  EXPECT_EQ(parseIsoTime("2024-03-01 10:00"), 1709287200);
}

TEST(KeyText, OneTextPerValueTheShortestThatReadsBack) {
  EXPECT_EQ(keyText(Value{std::string("SIG-0001")}), "SIG-0001");
  EXPECT_EQ(keyText(Value{std::int64_t{-42}}), "-42");
  EXPECT_EQ(keyText(Value{}), "");
  EXPECT_EQ(keyText(Value{0.1}), "0.1");
  EXPECT_EQ(keyText(Value{1e21}), "1e+21");
  EXPECT_EQ(keyText(Value{-0.0}), "0");
  EXPECT_EQ(keyText(Value{0.0}), "0");
  EXPECT_EQ(keyText(Value{123456789.5}), "123456789.5");  // C++ streams: 1.23457e+08
  // An integer stored as a real gives the integer's text.
  for (const std::int64_t i :
       {std::int64_t{42}, std::int64_t{-7}, std::int64_t{100000000}, std::int64_t{123456789012345}})
    EXPECT_EQ(keyText(Value{double(i)}), keyText(Value{i})) << i;
  // Every real reads back as itself.
  for (const double d : {0.1, 1e21, 123456789.5, -2.5e-7, 1.0 / 3.0, 9007199254740993.0})
    EXPECT_EQ(std::stod(keyText(Value{d})), d) << keyText(Value{d});
}

TEST(IsoTime, RefusesImpossibleOrForeignText) {
  EXPECT_FALSE(parseIsoTime("2023-02-29"));
  EXPECT_FALSE(parseIsoTime("01-03-2024"));
  EXPECT_FALSE(parseIsoTime("2024-03-01T25:00:00"));
  EXPECT_FALSE(parseIsoTime("2024-03-01T10:00:00+01:00"));
  EXPECT_FALSE(parseIsoTime(""));
}

TEST(IsoTime, FormatsBackToTheSameText) {
  for (const char* s : {"1999-12-31T23:59:59", "2024-02-29T00:00:00", "1965-07-04T12:30:05"})
    EXPECT_EQ(formatIsoDateTime(*parseIsoTime(s)), s);
  EXPECT_EQ(formatIsoDate(*parseIsoTime("2024-02-29T23:00:00")), "2024-02-29");
}

TEST(ReadPoints, SignalsCarryKeysWindowsCategoriesAndSources) {
  TempDir dir;
  std::vector<Record> recs;
  recs.push_back(signalRecord(0, {kX0, kY0, "HENNEP", "jager", "2024-05-01T10:00:00", ""}));
  recs.push_back(signalRecord(
      1, {kX0 + 10, kY0 + 20, "DRUGSAFVAL", "boer", "2024-05-01T10:00:00", "2024-05-03T10:00:00"}));
  auto store = storeWith(dir, batch("signalen", std::move(recs)));
  const PointInput in = readPoints(*store, {"signalen", "", ""});
  ASSERT_EQ(in.size(), 2u);
  EXPECT_EQ(in.keys[0], "SIG-T-0000");
  EXPECT_DOUBLE_EQ(in.points[1].x, kX0 + 10);
  EXPECT_DOUBLE_EQ(in.points[1].y, kY0 + 20);
  EXPECT_EQ(in.timeFrom[0], in.timeTo[0]);  // tot NULL: a moment
  EXPECT_EQ(in.timeTo[1] - in.timeFrom[1], 2 * 86400);
  ASSERT_EQ(in.categoryNames, (std::vector<std::string>{"DRUGSAFVAL", "HENNEP"}));
  EXPECT_EQ(in.categories, (std::vector<std::int64_t>{1, 0}));
  EXPECT_EQ(in.sourceNames, (std::vector<std::string>{"boer", "jager"}));
  EXPECT_EQ(in.sources, (std::vector<std::int64_t>{1, 0}));
  EXPECT_TRUE(in.weights.empty());
}

TEST(ReadPoints, FilterSelectsRows) {
  TempDir dir;
  auto store = storeWith(dir, batch("signalen", twoGroupSignals()));
  const PointInput in = readPoints(*store, {"signalen", "categorie = 'HENNEP'", ""});
  EXPECT_EQ(in.size(), 6u);
  EXPECT_EQ(in.categoryNames, std::vector<std::string>{"HENNEP"});
}

TEST(ReadPoints, BboxSelectsThePointsInsideItWithTheFilter) {
  // A 10 x 10 lattice every 100 m from (kX0, kY0), HENNEP in even columns; and one point 5 mm
  // west of the bbox's edge, one on it.
  TempDir dir;
  std::vector<Record> recs;
  int id = 0;
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 10; ++j) {
      SignalSpec s = at(kX0 + 100.0 * i, kY0 + 100.0 * j);
      s.categorie = i % 2 == 0 ? "HENNEP" : "DRUGSAFVAL";
      recs.push_back(signalRecord(id++, s));
    }
  recs.push_back(signalRecord(id++, at(kX0 + 149.995, kY0 + 450)));  // 100
  recs.push_back(signalRecord(id++, at(kX0 + 150, kY0 + 450)));      // 101
  storeWith(dir, batch("signalen", std::move(recs)));
  // A new connection, as the CLI has: SQLite connects the R-tree there on first use (which the
  // filter's read guard refused before Store::readWithin connected it first).
  auto store = Store::open(dir.file("t.gpkg"), /*update=*/true);
  PointSelection sel{"signalen", "", ""};
  sel.bbox = parseBbox(std::to_string(kX0 + 150) + "," + std::to_string(kY0 + 250) + "," +
                       std::to_string(kX0 + 400) + "," + std::to_string(kY0 + 600));
  sel.where = "categorie = 'HENNEP'";  // columns 2 and 4
  const PointInput hennep = readPoints(*store, sel);
  EXPECT_EQ(hennep.size(), 2u * 4u);
  EXPECT_EQ(hennep.bbox.minX, kX0 + 150);
  EXPECT_EQ(inputDescription(hennep),
            "signalen [bbox 250150,590250,250400,590600; categorie = 'HENNEP']");
  EXPECT_FALSE(readPointsByColumns(*store, sel));  // the record path: Store::readWithin
  // columns 2, 3, 4 (x 200..400, edge included) and rows 3..6 (y 300..600), and point 101
  sel.where.clear();
  const PointInput all = readPoints(*store, sel);
  EXPECT_EQ(all.size(), 3u * 4u + 1u);
  EXPECT_EQ(std::count(all.keys.begin(), all.keys.end(), "SIG-T-0100"), 0);
  EXPECT_EQ(std::count(all.keys.begin(), all.keys.end(), "SIG-T-0101"), 1);
  EXPECT_TRUE(std::is_sorted(all.keys.begin(), all.keys.end()));  // feature-id order
  for (const auto& p : all.points) {
    EXPECT_GE(p.x, kX0 + 150);
    EXPECT_LE(p.y, kY0 + 600);
  }
}

TEST(ReadPoints, BboxTextIsFourNumbersMinBeforeMax) {
  const geo::Extent e = parseBbox("120000,440000.5, 170000,480000");
  EXPECT_EQ(e.minX, 120000);
  EXPECT_EQ(e.minY, 440000.5);
  EXPECT_EQ(e.maxX, 170000);
  EXPECT_EQ(e.maxY, 480000);
  EXPECT_EQ(formatBbox(e), "120000,440000.5,170000,480000");
  for (const char* bad :
       {"", "1,2,3", "1,2,3,4,5", "a,b,c,d", "170000,440000,120000,480000", "1,2,1,3", "1,2,3,nan"})
    EXPECT_THROW_WITH(parseBbox(bad, "bbox"), geo::OptionError,
                      "expected MINX,MINY,MAXX,MAXY in EPSG:28992 metres");
}

TEST(ReadPoints, PolygonsGiveCentroidsAndWeights) {
  TempDir dir;
  std::vector<Record> parks;
  parks.push_back(recordOf("bedrijventerreinen",
                           {{"rin_nummer", std::string("1")},
                            {"plan_naam", std::string("A")},
                            {"ha_bruto", 12.5},
                            {"synthetisch", std::int64_t{1}}},
                           squareAt(kX0, kY0, 100)));
  auto store = storeWith(dir, batch("bedrijventerreinen", std::move(parks)));
  const PointInput in = readPoints(*store, {"bedrijventerreinen", "", "ha_bruto"});
  ASSERT_EQ(in.size(), 1u);
  EXPECT_DOUBLE_EQ(in.points[0].x, kX0 + 50);
  EXPECT_DOUBLE_EQ(in.points[0].y, kY0 + 50);
  EXPECT_EQ(in.weights, std::vector<double>{12.5});
  EXPECT_FALSE(in.hasTime());
  EXPECT_EQ(readPolygonsWkb(*store, "bedrijventerreinen").size(), 1u);
}

TEST(ReadPoints, RefusesUnknownLayerEmptySelectionAndMissingWeightField) {
  TempDir dir;
  auto store = storeWith(dir, batch("signalen", twoGroupSignals()));
  EXPECT_THROW_WITH(readPoints(*store, {"signaaltjes", "", ""}), geo::OptionError,
                    "layer: unknown layer 'signaaltjes'");
  EXPECT_THROW_WITH(readPoints(*store, {"signaal_categorieen", "", ""}), geo::OptionError,
                    "'signaal_categorieen' has no geometry");
  EXPECT_THROW_WITH(readPoints(*store, {"signalen", "categorie = 'MILIEU'", ""}), geo::InputError,
                    "the selection holds no rows");
  EXPECT_THROW_WITH(readPoints(*store, {"incidenten", "", ""}), geo::InputError,
                    "the selection holds no rows");
  EXPECT_OPTION_ERROR(readPoints(*store, {"signalen", "", "gewicht"}), "weight-field");
  EXPECT_THROW_WITH(readPoints(*store, {"signalen", "", "omschrijving"}), geo::OptionError,
                    "'omschrijving' is not a numeric field of signalen");
  EXPECT_OPTION_ERROR(readPoints(*store, {"signalen", "nonsense ((", ""}), "where");
  EXPECT_THROW_WITH(readPolygons(*store, "signalen"), geo::OptionError,
                    "'signalen' is not a polygon layer");
}
