// The grid path of CrsTransformer, exercised without the real NSGI grid: a zero-shift GeoTIFF named
// nl_nsgi_rdtrans2018.tif is put first on PROJ's search path, so PROJ believes RDNAPTRANS2018 is
// installed. Coordinates are then wrong by the Amersfoort-ETRS89 datum difference (~100 m), so
// this test checks only which operation is chosen and what the note says. Its own executable,
// because PROJ_DATA must be set before GDAL or PROJ create their first context.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "geo/core/gdal.h"
#include "geo/crs/transform.h"

using namespace veldwacht::geo;
namespace fs = std::filesystem;

namespace {

/// Writes a horizontal-offset grid of zeros (PROJ GeoTIFF grid conventions) over the Netherlands.
void writeZeroGrid(const std::string& path) {
  GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
  ASSERT_NE(gtiff, nullptr);
  DatasetPtr ds(gtiff->Create(path.c_str(), 61, 61, 2, GDT_Float32, nullptr));
  ASSERT_TRUE(ds);
  double gt[6] = {1.95, 0.1, 0.0, 56.05, 0.0, -0.1};  // lon 2..8, lat 50..56, 0.1 degree cells
  ds->SetGeoTransform(gt);
  OGRSpatialReference etrs89;
  etrs89.importFromEPSG(4258);
  ds->SetSpatialRef(&etrs89);
  ds->SetMetadataItem("TYPE", "HORIZONTAL_OFFSET");
  const char* names[2] = {"latitude_offset", "longitude_offset"};
  for (int b = 1; b <= 2; ++b) {
    GDALRasterBand* band = ds->GetRasterBand(b);
    band->SetDescription(names[b - 1]);
    band->SetUnitType("arc-second");
    band->Fill(0.0);
  }
}

}  // namespace

TEST(CrsTransformWithGrid, Etrs89UsesTheRdnaptransGridWhenItIsInstalled) {
  const fs::path dir = fs::temp_directory_path() / ("veldwacht-grid-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    GDALAllRegister();  // no SRS work yet: PROJ's context is created by importFromEPSG below
    writeZeroGrid((dir / "nl_nsgi_rdtrans2018.tif").string());
  }
  // From here on PROJ finds our grid first and proj.db in the system directory.
  const std::string paths = dir.string() + ":/usr/share/proj";
  const char* searchPaths[] = {dir.c_str(), "/usr/share/proj", nullptr};
  OSRSetPROJSearchPaths(searchPaths);
  ::setenv("PROJ_DATA", paths.c_str(), 1);
  ::setenv("PROJ_LIB", paths.c_str(), 1);

  ASSERT_TRUE(rdnaptransGridAvailable());
  CrsTransformer etrs(CrsTransformOptions{"EPSG:4258"});
  std::cout << "[ note ] " << etrs.note() << "\n[ note ] " << etrs.pipeline() << "\n";
  EXPECT_EQ(etrs.kind(), TransformKind::Grid) << etrs.pipeline();
  EXPECT_NE(etrs.pipeline().find("nl_nsgi_rdtrans2018"), std::string::npos) << etrs.pipeline();
  EXPECT_NE(etrs.note().find("with the RDNAPTRANS2018 grid"), std::string::npos) << etrs.note();

  // OGR transforms with the same operation that is reported: with a zero shift the Amersfoort
  // tower lands where its ETRS89 lon/lat fall in the RD projection, ~30 m west and ~110 m south
  // of the RD origin (the Amersfoort-ETRS89 datum difference), not within 1 m as with Helmert.
  const Point rd = etrs.toRd({5.38720621, 52.15517440});
  EXPECT_LT(rd.x, 155000.0 - 20.0);
  EXPECT_LT(rd.y, 463000.0 - 80.0);

  // WGS 84 has no grid-based operation in PROJ: Helmert, and the note says why (not "missing").
  CrsTransformer wgs(CrsTransformOptions{"EPSG:4326"});
  std::cout << "[ note ] " << wgs.note() << "\n";
  EXPECT_EQ(wgs.kind(), TransformKind::Helmert) << wgs.pipeline();
  EXPECT_NE(wgs.note().find("no grid-based operation from EPSG:4326"), std::string::npos)
      << wgs.note();
  fs::remove_all(dir);
}
