#include "geo/density/geotiff.h"

#include <gtest/gtest.h>

#include <cpl_string.h>

#include <cmath>
#include <filesystem>

#include "geo/core/error.h"
#include "geo/core/gdal.h"
#include "tests/geo/expect_error.h"

namespace veldwacht::geo {
namespace {

std::filesystem::path tempPath(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("veldwacht_geotiff_" + std::to_string(::getpid()) + "_" + name);
}

Raster sample() {
  Raster r;
  r.grid = {155000.0, 464000.0, 25.0, 4, 3};
  r.values = {0.5, 1.25, -9999, 3, 4, 5, 6, 7, 8, 9, 10, 11.125};
  r.nodata = -9999;
  r.units = "points per km2";
  r.description = "kernel density, quartic";
  r.metadata = {{"KERNEL", "quartic"}, {"RADIUS_M", "500"}};
  return r;
}

TEST(GeoTiff, WritesGeotransformCrsNodataCompressionAndMetadata) {
  const auto path = tempPath("a.tif");
  writeGeoTiff(path.string(), sample(), {{"SEED", "42"}});
  DatasetPtr ds = openDataset(path.string(), GDAL_OF_RASTER | GDAL_OF_READONLY);
  EXPECT_EQ(ds->GetRasterXSize(), 4);
  EXPECT_EQ(ds->GetRasterYSize(), 3);
  double gt[6];
  ASSERT_EQ(ds->GetGeoTransform(gt), CE_None);
  EXPECT_DOUBLE_EQ(gt[0], 155000.0);
  EXPECT_DOUBLE_EQ(gt[1], 25.0);
  EXPECT_DOUBLE_EQ(gt[2], 0.0);
  EXPECT_DOUBLE_EQ(gt[3], 464000.0);
  EXPECT_DOUBLE_EQ(gt[4], 0.0);
  EXPECT_DOUBLE_EQ(gt[5], -25.0);
  const OGRSpatialReference* srs = ds->GetSpatialRef();
  ASSERT_NE(srs, nullptr);
  EXPECT_STREQ(srs->GetAuthorityCode(nullptr), "28992");
  GDALRasterBand* band = ds->GetRasterBand(1);
  EXPECT_EQ(band->GetRasterDataType(), GDT_Float32);
  int has = 0;
  EXPECT_EQ(band->GetNoDataValue(&has), -9999.0);
  EXPECT_TRUE(has);
  EXPECT_STREQ(band->GetDescription(), "kernel density, quartic");
  EXPECT_STREQ(band->GetUnitType(), "points per km2");
  EXPECT_STREQ(ds->GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE"), "DEFLATE");
  double mn = 0, mx = 0, mean = 0, sd = 0;
  ASSERT_EQ(band->GetStatistics(false, false, &mn, &mx, &mean, &sd), CE_None);
  EXPECT_DOUBLE_EQ(mn, 0.5);  // nodata excluded
  EXPECT_DOUBLE_EQ(mx, 11.125);
  EXPECT_STREQ(ds->GetMetadataItem("KERNEL"), "quartic");
  EXPECT_STREQ(ds->GetMetadataItem("SEED"), "42");
  EXPECT_STREQ(ds->GetMetadataItem("UNITS"), "points per km2");
  ds.reset();
  std::filesystem::remove(path);
}

TEST(GeoTiff, ValuesRoundTripAsFloat32) {
  const auto path = tempPath("b.tif");
  Raster in = sample();
  in.values[0] = 0.1;  // not exact in float
  writeGeoTiff(path.string(), in);
  const Raster out = readRaster(path.string());
  EXPECT_EQ(out.grid, in.grid);
  ASSERT_EQ(out.values.size(), in.values.size());
  for (std::size_t i = 0; i < in.values.size(); ++i) {
    EXPECT_EQ(out.values[i], static_cast<double>(static_cast<float>(in.values[i])));
  }
  EXPECT_EQ(out.metadata.at("RADIUS_M"), "500");
  std::filesystem::remove(path);
}

TEST(GeoTiff, RejectsMismatchedValuesAndUnwritablePaths) {
  Raster bad = sample();
  bad.values.pop_back();
  EXPECT_THROW_WITH(writeGeoTiff(tempPath("c.tif").string(), bad), LibraryError,
                    "raster values do not match its grid");
  EXPECT_THROW_WITH(writeGeoTiff("/nonexistent-dir/x.tif", sample()), LibraryError,
                    "cannot create a temporary file next to '/nonexistent-dir/x.tif'");
}

}  // namespace
}  // namespace veldwacht::geo
