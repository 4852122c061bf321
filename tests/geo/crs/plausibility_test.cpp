#include "geo/crs/plausibility.h"

#include <limits>
#include <vector>

#include <ostream>

#include <gtest/gtest.h>

using namespace veldwacht::geo;

TEST(CrsPlausibility, EemsdeltaRdPointsLookLikeRd) {
  std::vector<Point> pts{{256984, 594814}, {253007, 593729}, {261854, 591580}};
  EXPECT_EQ(classifyCoordinates(pts), CoordinateLook::Rd);
  EXPECT_FALSE(checkDeclaredCrs(pts, DeclaredCrs::Rd));
}

TEST(CrsPlausibility, LonLatDeclaredAsRdIsRefusedWithAdvice) {
  std::vector<Point> pts{{6.919, 53.330}, {6.86, 53.32}};
  EXPECT_EQ(classifyCoordinates(pts), CoordinateLook::LonLatNl);
  auto msg = checkDeclaredCrs(pts, DeclaredCrs::Rd);
  ASSERT_TRUE(msg);
  EXPECT_NE(msg->find("longitude/latitude"), std::string::npos) << *msg;
  EXPECT_NE(msg->find("--crs EPSG:4326"), std::string::npos) << *msg;
}

TEST(CrsPlausibility, SwappedLatLonInGeographicFileIsRefusedWithAdvice) {
  std::vector<Point> pts{{53.330, 6.919}, {53.32, 6.86}};
  EXPECT_EQ(classifyCoordinates(pts), CoordinateLook::LatLonNl);
  auto msg = checkDeclaredCrs(pts, DeclaredCrs::Geographic);
  ASSERT_TRUE(msg);
  EXPECT_NE(msg->find("swap"), std::string::npos) << *msg;
}

TEST(CrsPlausibility, SwappedLatLonDeclaredAsRdSaysSwapAndCrs) {
  std::vector<Point> pts{{53.330, 6.919}};
  auto msg = checkDeclaredCrs(pts, DeclaredCrs::Rd, "--crs");
  ASSERT_TRUE(msg);
  EXPECT_NE(msg->find("swap"), std::string::npos) << *msg;
  EXPECT_NE(msg->find("--crs EPSG:4326"), std::string::npos) << *msg;
}

TEST(CrsPlausibility, RdMetresDeclaredGeographicAreRefused) {
  std::vector<Point> pts{{256984, 594814}};
  auto msg = checkDeclaredCrs(pts, DeclaredCrs::Geographic);
  ASSERT_TRUE(msg);
  EXPECT_NE(msg->find("EPSG:28992"), std::string::npos) << *msg;
}

TEST(CrsPlausibility, CorrectLonLatIsAccepted) {
  std::vector<Point> pts{{6.919, 53.330}};
  EXPECT_FALSE(checkDeclaredCrs(pts, DeclaredCrs::Geographic));
}

TEST(CrsPlausibility, DegreesElsewhereAreDegreesNotNetherlands) {
  std::vector<Point> pts{{2.35, 48.85}};  // Paris
  EXPECT_EQ(classifyCoordinates(pts), CoordinateLook::Degrees);
  EXPECT_TRUE(checkDeclaredCrs(pts, DeclaredCrs::Rd));
}

TEST(CrsPlausibility, NaNIsIgnoredAndAllNaNIsEmpty) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<Point> pts{{nan, nan}};
  EXPECT_EQ(classifyCoordinates(pts), CoordinateLook::Empty);
  pts.push_back({256984, 594814});
  EXPECT_EQ(classifyCoordinates(pts), CoordinateLook::Rd);
}

TEST(CrsPlausibility, OneDegreePointAmongRdIsMixed) {
  std::vector<Point> pts{{256984, 594814}, {6.9, 53.3}};
  EXPECT_EQ(classifyCoordinates(pts), CoordinateLook::Other);
}

struct WindowCase {
  const char* name;
  Point p;
  bool inside;
};

void PrintTo(const WindowCase& c, std::ostream* os) { *os << c.name; }

class RdWindowTest : public ::testing::TestWithParam<WindowCase> {};

TEST_P(RdWindowTest, InsideOrRefused) {
  const auto& c = GetParam();
  auto msg = checkInsideNetherlands(c.p);
  EXPECT_EQ(!msg.has_value(), c.inside);
  if (msg) {
    EXPECT_NE(msg->find("outside the Netherlands"), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(Points, RdWindowTest,
                         ::testing::Values(WindowCase{"Amersfoort", {155000, 463000}, true},
                                           WindowCase{"Delfzijl", {256984, 594814}, true},
                                           WindowCase{"CornerMinMin", {-7000, 289000}, true},
                                           WindowCase{"CornerMaxMax", {300000, 629000}, true},
                                           WindowCase{"EastOfWindow", {300001, 500000}, false},
                                           WindowCase{"SouthOfWindow", {150000, 288999}, false},
                                           WindowCase{"NorthOfWindow", {150000, 629001}, false},
                                           WindowCase{"WestOfWindow", {-7001, 400000}, false},
                                           WindowCase{"RdFalseOriginLonLat", {6.9, 53.3}, false}),
                         [](const ::testing::TestParamInfo<WindowCase>& i) {
                           return std::string(i.param.name);
                         });
