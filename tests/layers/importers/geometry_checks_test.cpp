#include "layers/importers/geometry_checks.h"

#include <limits>

#include <gtest/gtest.h>

using namespace veldwacht::layers;
using veldwacht::geo::GeometryPtr;

namespace {

GeometryPtr fromWkt(const char* wkt) {
  OGRGeometry* g = nullptr;
  EXPECT_EQ(OGRGeometryFactory::createFromWkt(wkt, nullptr, &g), OGRERR_NONE) << wkt;
  return GeometryPtr(g);
}

}  // namespace

TEST(GeometryChecks, PolygonIsPromotedToMultiPolygon) {
  GeometryPtr g = fromWkt("POLYGON((0 0,10 0,10 10,0 10,0 0))");
  EXPECT_EQ(normaliseGeometry(g, GeometryKind::MultiPolygon), "");
  EXPECT_EQ(wkbFlatten(g->getGeometryType()), wkbMultiPolygon);
  EXPECT_DOUBLE_EQ(OGR_G_Area(OGRGeometry::ToHandle(g.get())), 100.0);
}

TEST(GeometryChecks, SinglePartMultiGeometriesAreUnwrapped) {
  GeometryPtr p = fromWkt("MULTIPOINT((1 2))");
  EXPECT_EQ(normaliseGeometry(p, GeometryKind::Point), "");
  EXPECT_EQ(wkbFlatten(p->getGeometryType()), wkbPoint);
  GeometryPtr l = fromWkt("MULTILINESTRING((0 0,1 1))");
  EXPECT_EQ(normaliseGeometry(l, GeometryKind::LineString), "");
  EXPECT_EQ(wkbFlatten(l->getGeometryType()), wkbLineString);
}

TEST(GeometryChecks, ZIsDropped) {
  GeometryPtr p = fromWkt("POINT Z (1 2 3)");
  EXPECT_EQ(normaliseGeometry(p, GeometryKind::Point), "");
  EXPECT_FALSE(OGR_GT_HasZ(p->getGeometryType()));
}

TEST(GeometryChecks, MissingEmptyNanAndWrongTypeAreRefused) {
  GeometryPtr none;
  EXPECT_NE(normaliseGeometry(none, GeometryKind::Point).find("missing geometry"),
            std::string::npos);
  GeometryPtr empty = fromWkt("POINT EMPTY");
  EXPECT_NE(normaliseGeometry(empty, GeometryKind::Point).find("empty geometry"),
            std::string::npos);
  // OGR treats a point with a NaN coordinate as POINT EMPTY (that is how WKB encodes it).
  GeometryPtr nan(new OGRPoint(std::numeric_limits<double>::quiet_NaN(), 1.0));
  const std::string nanError = normaliseGeometry(nan, GeometryKind::Point);
  EXPECT_TRUE(nanError.find("NaN") != std::string::npos ||
              nanError.find("empty geometry") != std::string::npos)
      << nanError;
  GeometryPtr inf = fromWkt("LINESTRING(0 0,1 1)");
  inf->toLineString()->setPoint(1, std::numeric_limits<double>::infinity(), 1.0);
  EXPECT_NE(normaliseGeometry(inf, GeometryKind::LineString).find("NaN or infinite"),
            std::string::npos);
  GeometryPtr multi = fromWkt("MULTIPOINT((1 2),(3 4))");
  EXPECT_EQ(normaliseGeometry(multi, GeometryKind::Point),
            "wrong geometry type MultiPoint with 2 parts; expected a Point");
  GeometryPtr line = fromWkt("LINESTRING(0 0,1 1)");
  EXPECT_EQ(normaliseGeometry(line, GeometryKind::MultiPolygon),
            "wrong geometry type LineString; expected a Polygon or MultiPolygon");
}

TEST(GeometryChecks, ValidPolygonPassesUntouched) {
  GeometryPtr g = fromWkt("MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0)))");
  ValidityOutcome v = checkValidity(g, GeometryKind::MultiPolygon, false);
  EXPECT_TRUE(v.error.empty());
  EXPECT_TRUE(v.repaired.empty());
}

TEST(GeometryChecks, BowTieIsRefusedWithTheReason) {
  GeometryPtr g = fromWkt("MULTIPOLYGON(((0 0,10 10,10 0,0 10,0 0)))");
  ValidityOutcome v = checkValidity(g, GeometryKind::MultiPolygon, false);
  EXPECT_NE(v.error.find("Self-intersection"), std::string::npos) << v.error;
  EXPECT_NE(v.error.find("--make-valid"), std::string::npos) << v.error;
}

TEST(GeometryChecks, BowTieIsRepairedIntoTwoTrianglesWhenAsked) {
  GeometryPtr g = fromWkt("MULTIPOLYGON(((0 0,10 10,10 0,0 10,0 0)))");
  ValidityOutcome v = checkValidity(g, GeometryKind::MultiPolygon, true);
  EXPECT_TRUE(v.error.empty()) << v.error;
  EXPECT_NE(v.repaired.find("MakeValid"), std::string::npos);
  ASSERT_EQ(wkbFlatten(g->getGeometryType()), wkbMultiPolygon);
  EXPECT_EQ(g->toMultiPolygon()->getNumGeometries(), 2);
  EXPECT_TRUE(g->IsValid());
  EXPECT_NEAR(OGR_G_Area(OGRGeometry::ToHandle(g.get())), 50.0, 1e-9);  // 2 x 25
}

TEST(GeometryChecks, HoleOutsideShellIsRepairedKeepingBothAreas) {
  // A "hole" that lies outside its shell: linework keeps both squares.
  GeometryPtr g =
      fromWkt("MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0),(20 20,30 20,30 30,20 30,20 20)))");
  ValidityOutcome v = checkValidity(g, GeometryKind::MultiPolygon, true);
  EXPECT_TRUE(v.error.empty()) << v.error;
  EXPECT_TRUE(g->IsValid());
  EXPECT_NEAR(OGR_G_Area(OGRGeometry::ToHandle(g.get())), 200.0, 1e-9);
}

// Issue 7: broken rings stopped imports with a raw GEOS exception (exit 1).
TEST(GeometryChecks, AnUnclosedRingIsAnInputErrorNotAGeosException) {
  GeometryPtr g = fromWkt("MULTIPOLYGON(((0 0,10 0,10 10,0 10)))");
  ValidityOutcome v = checkValidity(g, GeometryKind::MultiPolygon, false);
  EXPECT_NE(v.error.find("the outer ring is not closed"), std::string::npos) << v.error;
  EXPECT_NE(v.error.find("--make-valid"), std::string::npos) << v.error;
}

TEST(GeometryChecks, AnUnclosedRingIsClosedByMakeValidAndReported) {
  GeometryPtr g = fromWkt("MULTIPOLYGON(((0 0,10 0,10 10,0 10)))");
  ValidityOutcome v = checkValidity(g, GeometryKind::MultiPolygon, true);
  EXPECT_TRUE(v.error.empty()) << v.error;
  EXPECT_NE(v.repaired.find("the outer ring was not closed: closed it"), std::string::npos)
      << v.repaired;
  EXPECT_TRUE(g->IsValid());
  EXPECT_NEAR(OGR_G_Area(OGRGeometry::ToHandle(g.get())), 100.0, 1e-9);
}

TEST(GeometryChecks, ARingOfOnePointIsRefusedEvenWithMakeValid) {
  for (bool repair : {false, true}) {
    GeometryPtr g = fromWkt("MULTIPOLYGON(((5 5)))");
    ASSERT_TRUE(g);
    ValidityOutcome v = checkValidity(g, GeometryKind::MultiPolygon, repair);
    EXPECT_NE(v.error.find("the outer ring has 1 point(s); expected a ring of at least 4"),
              std::string::npos)
        << v.error;
  }
  GeometryPtr two = fromWkt("MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0)),((1 1,2 2,1 1)))");
  ValidityOutcome v = checkValidity(two, GeometryKind::MultiPolygon, false);
  EXPECT_NE(v.error.find("the outer ring of polygon 2 has 3 point(s)"), std::string::npos)
      << v.error;
}

TEST(GeometryChecks, ADegenerateHoleIsDroppedByMakeValid) {
  GeometryPtr g = fromWkt("MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0),(2 2,3 3)))");
  ValidityOutcome refused = [&] {
    GeometryPtr copy(g->clone());
    return checkValidity(copy, GeometryKind::MultiPolygon, false);
  }();
  EXPECT_NE(refused.error.find("inner ring 1 has 2 point(s)"), std::string::npos) << refused.error;
  ValidityOutcome v = checkValidity(g, GeometryKind::MultiPolygon, true);
  EXPECT_TRUE(v.error.empty()) << v.error;
  EXPECT_NE(v.repaired.find("inner ring 1 had 2 point(s): dropped it"), std::string::npos)
      << v.repaired;
  EXPECT_NEAR(OGR_G_Area(OGRGeometry::ToHandle(g.get())), 100.0, 1e-9);
}

TEST(GeometryChecks, ALineOfOnePointIsRefused) {
  GeometryPtr g = fromWkt("LINESTRING(1 1)");
  ValidityOutcome v = checkValidity(g, GeometryKind::LineString, true);
  EXPECT_NE(v.error.find("the line has 1 point(s)"), std::string::npos) << v.error;
}
