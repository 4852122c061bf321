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

// Rows handed over band by band (of any height, across block rows of 16) give the same file
// contents as the whole raster at once: pixels, statistics, metadata.
TEST(GeoTiff, RowWriterEqualsTheWholeRasterWrite) {
  Raster in;
  in.grid = {120000.0, 480000.0, 10.0, 37, 45};
  in.nodata = -9999;
  in.units = "raw kernel sum";
  in.description = "kernel density";
  in.metadata = {{"KERNEL", "quartic"}};
  for (std::size_t i = 0; i < in.grid.size(); ++i)
    in.values.push_back(i % 11 == 3 ? -9999 : std::sin(double(i)) * 100.0);
  GeoTiffOptions options;
  options.blockSize = 16;
  const auto whole = tempPath("whole.tif"), bands = tempPath("bands.tif");
  writeGeoTiff(whole.string(), in, {{"SEED", "1"}}, options);
  {
    OutputFile out(bands.string());
    Raster header = in;
    header.values.clear();
    GeoTiffRowWriter writer(out, {{"SEED", "1"}}, options);
    writer.begin(header);
    const std::int32_t cols = in.grid.cols;
    for (std::int32_t r0 = 0; r0 < in.grid.rows; r0 += 7) {
      const std::int32_t r1 = std::min(in.grid.rows, r0 + 7);
      writer.rows(r0, r1,
                  std::span<const double>(in.values).subspan(std::size_t(r0) * cols,
                                                             std::size_t(r1 - r0) * cols));
    }
    EXPECT_THROW_WITH(writer.rows(3, 4, std::span<const double>(in.values).first(cols)),
                      LibraryError, "out of order");
    writer.finish();
    out.commit();
  }
  const Raster a = readRaster(whole.string()), b = readRaster(bands.string());
  EXPECT_EQ(a.grid, b.grid);
  EXPECT_EQ(a.values, b.values);
  EXPECT_EQ(a.metadata, b.metadata);
  EXPECT_EQ(a.metadata.at("SEED"), "1");
  DatasetPtr ds = openDataset(bands.string(), GDAL_OF_RASTER | GDAL_OF_READONLY);
  DatasetPtr wholeDs = openDataset(whole.string(), GDAL_OF_RASTER | GDAL_OF_READONLY);
  for (const char* item : {"STATISTICS_MINIMUM", "STATISTICS_MAXIMUM", "STATISTICS_MEAN"}) {
    const char* got = ds->GetRasterBand(1)->GetMetadataItem(item);
    const char* want = wholeDs->GetRasterBand(1)->GetMetadataItem(item);
    ASSERT_TRUE(got && want) << item;
    EXPECT_STREQ(got, want);
  }
  int bx = 0, by = 0;
  ds->GetRasterBand(1)->GetBlockSize(&bx, &by);
  EXPECT_EQ(bx, 16);
  EXPECT_EQ(by, 16);
  std::filesystem::remove(whole);
  std::filesystem::remove(bands);
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
