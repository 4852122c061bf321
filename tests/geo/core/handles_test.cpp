#include <gtest/gtest.h>

#include "geo/core/error.h"
#include "geo/core/gdal.h"
#include "geo/core/geos.h"
#include "tests/geo/expect_error.h"

using namespace veldwacht::geo;

TEST(OpenDataset, MissingFileGivesLibraryErrorNamingThePath) {
  try {
    openDataset("/nonexistent/veldwacht.gpkg");
    FAIL() << "expected LibraryError";
  } catch (const LibraryError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/veldwacht.gpkg"), std::string::npos);
  }
}

TEST(GeosContext, InvalidWktReportsGeosMessage) {
  auto& ctx = GeosContext::forThisThread();
  GEOSWKTReader* reader = GEOSWKTReader_create_r(ctx.handle());
  GEOSGeometry* g = GEOSWKTReader_read_r(ctx.handle(), reader, "POLYGON((0 0, 1");
  GEOSWKTReader_destroy_r(ctx.handle(), reader);
  EXPECT_THROW_WITH(checkedGeos(ctx, g, "read"), LibraryError, "GEOS read: ");
}

TEST(GeosGeometry, OwnsAndMovesItsGeometry) {
  auto& ctx = GeosContext::forThisThread();
  GeosGeometry a = checkedGeos(ctx, GEOSGeom_createPointFromXY_r(ctx.handle(), 1, 2), "point");
  GeosGeometry b = std::move(a);
  EXPECT_FALSE(a);
  ASSERT_TRUE(b);
  double x = 0;
  GEOSGeomGetX_r(ctx.handle(), b.get(), &x);
  EXPECT_EQ(x, 1.0);
}

TEST(InputError, MessageNamesFileRowAndField) {
  InputError e({"signalen.csv", 12, "categorie"}, "unknown category 'XYZ'");
  EXPECT_STREQ(e.what(), "signalen.csv, row 12, field 'categorie': unknown category 'XYZ'");
}
