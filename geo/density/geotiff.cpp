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
  if (raster.grid.cols <= 0 || raster.grid.rows <= 0 || raster.values.size() != raster.grid.size())
    throw LibraryError("writeGeoTiff: raster values do not match its grid");
  GeoTiffRowWriter writer(out, metadata, options);
  writer.begin(raster);
  writer.rows(0, raster.grid.rows, raster.values);
  writer.finish();
}

struct GeoTiffRowWriter::Impl {
  Impl(OutputFile& o, std::map<std::string, std::string> md, GeoTiffOptions opts)
      : out(o), metadata(std::move(md)), options(std::move(opts)) {}
  OutputFile& out;
  std::map<std::string, std::string> metadata;
  GeoTiffOptions options;
  std::string path;
  std::string tempPath;
  RasterGrid grid;
  double nodata = 0;
  std::int32_t blockRows = 1;
  GdalErrorCapture capture;
  DatasetPtr ds;
  GDALRasterBand* band = nullptr;
  std::int32_t nextRow = 0;
  // Statistics as we go (QGIS reads them for its default stretch); cheaper than GDAL's
  // ComputeStatistics, which would decompress the file again.
  double mn = std::numeric_limits<double>::infinity(), mx = -mn, sum = 0.0, sum2 = 0.0;
  std::size_t valid = 0;
  std::vector<float> row;
};

GeoTiffRowWriter::GeoTiffRowWriter(OutputFile& out, std::map<std::string, std::string> metadata,
                                   GeoTiffOptions options)
    : impl_(std::make_unique<Impl>(out, std::move(metadata), std::move(options))) {}

void GeoTiffRowWriter::begin(const Raster& header) {
  Impl& m = *impl_;
  if (m.ds) throw LibraryError("writeGeoTiff: begun twice");
  const GeoTiffOptions& options = m.options;
  m.path = m.out.path();
  m.tempPath = m.out.tempPath();
  m.grid = header.grid;
  m.nodata = header.nodata;
  ensureGdalRegistered();
  const RasterGrid& g = header.grid;
  if (g.cols <= 0 || g.rows <= 0) throw LibraryError("writeGeoTiff: the raster has no pixels");
  if (options.tiled && (options.blockSize < 16 || options.blockSize % 16 != 0))
    throw LibraryError("writeGeoTiff: the block size must be a multiple of 16");
  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GTiff");
  if (!drv) throw LibraryError("GDAL GTiff driver missing");
  CPLStringList co;
  co.SetNameValue("COMPRESS", "DEFLATE");
  co.SetNameValue("PREDICTOR", "3");  // floating-point predictor: much better DEFLATE ratios
  co.SetNameValue("ZLEVEL", std::to_string(std::clamp(options.deflateLevel, 1, 12)).c_str());
  if (options.tiled) {
    co.SetNameValue("TILED", "YES");
    co.SetNameValue("BLOCKXSIZE", std::to_string(options.blockSize).c_str());
    co.SetNameValue("BLOCKYSIZE", std::to_string(options.blockSize).c_str());
  }
  if (options.compressionThreads != 1)  // parallel DEFLATE of tiles
    co.SetNameValue("NUM_THREADS", options.compressionThreads > 1
                                       ? std::to_string(options.compressionThreads).c_str()
                                       : "ALL_CPUS");
  co.SetNameValue("BIGTIFF", "IF_SAFER");
  // GDALDriver::Create first probes an existing file with every driver (QuietDelete). The
  // temporary file exists (OutputFile makes it with O_EXCL) and is empty, and on an empty file
  // GDAL 3.6's NTF driver builds a British National Grid SRS whose datum PROJ then searches by
  // name in proj.db: ~35 ms CPU once per process, half of what the plugin added to a one-point
  // qgis_process run (issue 8). With one byte in it every driver refuses at once; Create
  // truncates the same file, so the result is the same.
  m.out.write(std::string_view("\n", 1));
  m.ds.reset(drv->Create(m.tempPath.c_str(), g.cols, g.rows, 1, GDT_Float32, co.List()));
  if (!m.ds) throw LibraryError("cannot create '" + m.path + "': " + lastGdalError());

  double gt[6] = {g.originX, g.pixelSize, 0.0, g.originY, 0.0, -g.pixelSize};
  if (m.ds->SetGeoTransform(gt) != CE_None) throw LibraryError("geotransform: " + lastGdalError());
  OGRSpatialReference srs;
  if (srs.importFromEPSG(options.epsg) != OGRERR_NONE) {
    throw LibraryError("unknown EPSG:" + std::to_string(options.epsg));
  }
  if (m.ds->SetSpatialRef(&srs) != CE_None) throw LibraryError("CRS: " + lastGdalError());
  std::map<std::string, std::string> items = header.metadata;
  for (const auto& [k, v] : m.metadata) items[k] = v;
  if (!header.units.empty() && !items.count("UNITS")) items["UNITS"] = header.units;
  for (const auto& [k, v] : items) m.ds->SetMetadataItem(k.c_str(), v.c_str());

  m.band = m.ds->GetRasterBand(1);
  m.band->SetNoDataValue(header.nodata);
  if (!header.description.empty()) m.band->SetDescription(header.description.c_str());
  if (!header.units.empty()) m.band->SetUnitType(header.units.c_str());
  int bx = 0, by = 0;
  m.band->GetBlockSize(&bx, &by);
  m.blockRows = std::max(1, by);
  m.row.resize(static_cast<std::size_t>(g.cols));
}

GeoTiffRowWriter::~GeoTiffRowWriter() = default;

void GeoTiffRowWriter::rows(std::int32_t rowBegin, std::int32_t rowEnd,
                            std::span<const double> values) {
  Impl& m = *impl_;
  const RasterGrid& g = m.grid;
  if (!m.ds) throw LibraryError("writeGeoTiff: the file is not begun or already finished");
  if (rowBegin != m.nextRow || rowEnd < rowBegin || rowEnd > g.rows ||
      values.size() != std::size_t(rowEnd - rowBegin) * std::size_t(g.cols))
    throw LibraryError("writeGeoTiff: rows out of order or past the raster");
  for (std::int32_t r = 0; r < rowEnd - rowBegin; ++r) {
    const double* src = values.data() + static_cast<std::size_t>(r) * g.cols;
    for (std::int32_t c = 0; c < g.cols; ++c) {
      m.row[c] = static_cast<float>(src[c]);
      if (src[c] == m.nodata || std::isnan(src[c])) continue;
      const double v = m.row[c];
      m.mn = std::min(m.mn, v);
      m.mx = std::max(m.mx, v);
      m.sum += v;
      m.sum2 += v * v;
      ++m.valid;
    }
    if (m.band->RasterIO(GF_Write, 0, m.nextRow, g.cols, 1, m.row.data(), g.cols, 1, GDT_Float32, 0,
                         0) != CE_None) {
      throw LibraryError("writing '" + m.path + "': " + lastGdalError());
    }
    ++m.nextRow;
    // A finished row of blocks leaves GDAL's block cache (written, and its memory freed).
    if (m.nextRow % m.blockRows == 0 && m.nextRow < g.rows && m.band->FlushCache(false) != CE_None)
      throw LibraryError("writing '" + m.path + "': " + lastGdalError());
  }
}

void GeoTiffRowWriter::finish() {
  Impl& m = *impl_;
  if (!m.ds) throw LibraryError("writeGeoTiff: the file is not begun or already finished");
  if (m.nextRow != m.grid.rows) throw LibraryError("writeGeoTiff: not every row was written");
  if (m.valid > 0) {
    const double mean = m.sum / double(m.valid);
    m.band->SetStatistics(m.mn, m.mx, mean,
                          std::sqrt(std::max(0.0, m.sum2 / double(m.valid) - mean * mean)));
  }
  CPLErrorReset();
  m.ds->FlushCache(true);
  if (CPLGetLastErrorType() == CE_Failure) throw LibraryError("flush: " + lastGdalError());
  m.ds.reset();  // close before the rename
  if (CPLGetLastErrorType() == CE_Failure) throw LibraryError("close: " + lastGdalError());
  // Statistics or metadata GDAL could not put in the TIFF would sit in a side file named after
  // the temporary file: nothing of it may stay behind.
  VSIUnlink((m.tempPath + ".aux.xml").c_str());
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
