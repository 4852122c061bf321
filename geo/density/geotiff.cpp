#include "geo/density/geotiff.h"

#include <cpl_vsi.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>
#include <vector>

#include "geo/core/error.h"
#include "geo/core/gdal.h"

namespace veldwacht::geo {

void writeGeoTiff(const std::string& path, const Raster& raster,
                  const std::map<std::string, std::string>& metadata,
                  const GeoTiffOptions& options) {
  OutputFile out(path, options.output);  // checks the target; removes its temp file on failure
  writeGeoTiffTo(out, raster, metadata, options);
  out.commit();
}

void writeGeoTiffTo(OutputFile& out, const Raster& raster,
                    const std::map<std::string, std::string>& metadata,
                    const GeoTiffOptions& options) {
  const std::string& path = out.path();
  ensureGdalRegistered();
  const RasterGrid& g = raster.grid;
  if (g.cols <= 0 || g.rows <= 0 || raster.values.size() != g.size()) {
    throw LibraryError("writeGeoTiff: raster values do not match its grid");
  }
  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GTiff");
  if (!drv) throw LibraryError("GDAL GTiff driver missing");
  CPLStringList co;
  co.SetNameValue("COMPRESS", "DEFLATE");
  co.SetNameValue("PREDICTOR", "3");  // floating-point predictor: much better DEFLATE ratios
  if (options.tiled) co.SetNameValue("TILED", "YES");
  co.SetNameValue("NUM_THREADS", "ALL_CPUS");  // parallel DEFLATE of tiles
  co.SetNameValue("BIGTIFF", "IF_SAFER");
  // GDALDriver::Create first probes an existing file with every driver (QuietDelete). The
  // temporary file exists (OutputFile makes it with O_EXCL) and is empty, and on an empty file
  // GDAL 3.6's NTF driver builds a British National Grid SRS whose datum PROJ then searches by
  // name in proj.db: ~35 ms CPU once per process, half of what the plugin added to a one-point
  // qgis_process run (issue 8). With one byte in it every driver refuses at once; Create
  // truncates the same file, so the result is the same.
  out.write(std::string_view("\n", 1));
  GdalErrorCapture capture;
  {
    DatasetPtr ds(drv->Create(out.tempPath().c_str(), g.cols, g.rows, 1, GDT_Float32, co.List()));
    if (!ds) throw LibraryError("cannot create '" + path + "': " + lastGdalError());

    double gt[6] = {g.originX, g.pixelSize, 0.0, g.originY, 0.0, -g.pixelSize};
    if (ds->SetGeoTransform(gt) != CE_None) throw LibraryError("geotransform: " + lastGdalError());
    OGRSpatialReference srs;
    if (srs.importFromEPSG(options.epsg) != OGRERR_NONE) {
      throw LibraryError("unknown EPSG:" + std::to_string(options.epsg));
    }
    if (ds->SetSpatialRef(&srs) != CE_None) throw LibraryError("CRS: " + lastGdalError());
    std::map<std::string, std::string> items = raster.metadata;
    for (const auto& [k, v] : metadata) items[k] = v;
    if (!raster.units.empty() && !items.count("UNITS")) items["UNITS"] = raster.units;
    for (const auto& [k, v] : items) ds->SetMetadataItem(k.c_str(), v.c_str());

    GDALRasterBand* band = ds->GetRasterBand(1);
    band->SetNoDataValue(raster.nodata);
    if (!raster.description.empty()) band->SetDescription(raster.description.c_str());
    if (!raster.units.empty()) band->SetUnitType(raster.units.c_str());
    // Statistics as we go (QGIS reads them for its default stretch); cheaper than GDAL's
    // ComputeStatistics, which would decompress the file again.
    double mn = std::numeric_limits<double>::infinity(), mx = -mn, sum = 0.0, sum2 = 0.0;
    std::size_t valid = 0;
    std::vector<float> row(static_cast<std::size_t>(g.cols));
    for (std::int32_t r = 0; r < g.rows; ++r) {
      const double* src = raster.values.data() + static_cast<std::size_t>(r) * g.cols;
      for (std::int32_t c = 0; c < g.cols; ++c) {
        row[c] = static_cast<float>(src[c]);
        if (src[c] == raster.nodata || std::isnan(src[c])) continue;
        const double v = row[c];
        mn = std::min(mn, v);
        mx = std::max(mx, v);
        sum += v;
        sum2 += v * v;
        ++valid;
      }
      if (band->RasterIO(GF_Write, 0, r, g.cols, 1, row.data(), g.cols, 1, GDT_Float32, 0, 0) !=
          CE_None) {
        throw LibraryError("writing '" + path + "': " + lastGdalError());
      }
    }
    if (valid > 0) {
      const double mean = sum / double(valid);
      band->SetStatistics(mn, mx, mean,
                          std::sqrt(std::max(0.0, sum2 / double(valid) - mean * mean)));
    }
    CPLErrorReset();
    ds->FlushCache(true);
    if (CPLGetLastErrorType() == CE_Failure) throw LibraryError("flush: " + lastGdalError());
    ds.reset();  // close before the rename
    if (CPLGetLastErrorType() == CE_Failure) throw LibraryError("close: " + lastGdalError());
  }
  // Statistics or metadata GDAL could not put in the TIFF would sit in a side file named after
  // the temporary file: nothing of it may stay behind.
  VSIUnlink((out.tempPath() + ".aux.xml").c_str());
}

Raster readRaster(const std::string& path) {
  DatasetPtr ds = openDataset(path, GDAL_OF_RASTER | GDAL_OF_READONLY);
  Raster r;
  double gt[6];
  if (ds->GetGeoTransform(gt) != CE_None) throw LibraryError("'" + path + "' has no geotransform");
  if (gt[2] != 0 || gt[4] != 0 || gt[5] >= 0 || std::abs(gt[1] + gt[5]) > 1e-9 * gt[1]) {
    throw LibraryError("'" + path + "' is not north-up with square pixels");
  }
  r.grid = {gt[0], gt[3], gt[1], ds->GetRasterXSize(), ds->GetRasterYSize()};
  GDALRasterBand* band = ds->GetRasterBand(1);
  int has = 0;
  const double nd = band->GetNoDataValue(&has);
  if (has) r.nodata = nd;
  r.description = band->GetDescription();
  r.units = band->GetUnitType();
  r.values.resize(r.grid.size());
  if (band->RasterIO(GF_Read, 0, 0, r.grid.cols, r.grid.rows, r.values.data(), r.grid.cols,
                     r.grid.rows, GDT_Float64, 0, 0) != CE_None) {
    throw LibraryError("reading '" + path + "': " + lastGdalError());
  }
  if (char** md = ds->GetMetadata()) {
    for (char** it = md; *it; ++it) {
      char* rawKey = nullptr;
      const char* value = CPLParseNameValue(*it, &rawKey);
      const CplStringPtr key(rawKey);  // CPLParseNameValue allocates the key
      if (key && value) r.metadata[key.get()] = value;
    }
  }
  return r;
}

}  // namespace veldwacht::geo
