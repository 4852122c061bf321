// Writes a Raster as a single-band Float32 GeoTIFF in EPSG:28992 through GDAL: north-up
// geotransform with a top-left origin, nodata, DEFLATE compression, band description and unit,
// and any metadata items (algorithm parameters, UNITS).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>

#include "geo/core/output_file.h"
#include "geo/density/raster.h"

namespace veldwacht::geo {

struct GeoTiffOptions {
  int epsg = 28992;
  /// Tiled blockSize × blockSize (better for large rasters in QGIS); strips otherwise.
  bool tiled = true;
  int blockSize = 256;  ///< a multiple of 16
  /// Threads that DEFLATE the blocks; 0 = all cores. 1 compresses on the writing thread (no
  /// worker threads and their buffers).
  int compressionThreads = 0;
  /// DEFLATE level (1–12, libdeflate's): 1 is the fastest. With the floating-point predictor a
  /// smooth surface hardly shrinks further at higher levels (a 1M-point KDE, 1048 × 1062
  /// Float32: 3.13 MB at 1 in 0.05 s CPU, 3.05 MB at GDAL's default 6 in 0.085 s; uncompressed
  /// 5.3 MB; docs/benchmarks.md, session 16).
  int deflateLevel = 1;
  /// Whether an existing file may be replaced (see OutputFile: never a symlink, never a file
  /// Veldwacht did not write unless `overwrite`). Default: only a new file.
  OutputFileOptions output;
};

/// Writes `raster` to `path` through a temporary file in the same folder that is renamed over
/// `path` once complete (OutputFile), so `path` is never half-written. `metadata` items are
/// added to raster.metadata's (same key: `metadata` wins). Throws InputError when `path` may not
/// be written (options.output), LibraryError on any GDAL failure; the temporary file is removed.
void writeGeoTiff(const std::string& path, const Raster& raster,
                  const std::map<std::string, std::string>& metadata = {},
                  const GeoTiffOptions& options = {});

/// writeGeoTiff into `out`'s temporary file, without moving it into place: for a caller that
/// commits the file with others (a result set). `options.output` is not used (`out` was made
/// with its own). Throws LibraryError; `out` removes its temporary file unless committed.
void writeGeoTiffTo(OutputFile& out, const Raster& raster,
                    const std::map<std::string, std::string>& metadata = {},
                    const GeoTiffOptions& options = {});

/// Writes a GeoTIFF as writeGeoTiffTo does, the rows handed over in order from the top, so that
/// the surface is never held whole: begin() takes the grid, nodata, description, units and
/// metadata of its header (not its values) and creates the file in `out`'s temporary file.
/// GDAL's block cache holds at most one row of blocks: a finished row of blocks is written out
/// at once. Throws LibraryError.
class GeoTiffRowWriter final : public RasterRowSink {
 public:
  explicit GeoTiffRowWriter(OutputFile& out, std::map<std::string, std::string> metadata = {},
                            GeoTiffOptions options = {});
  ~GeoTiffRowWriter() override;
  GeoTiffRowWriter(const GeoTiffRowWriter&) = delete;
  GeoTiffRowWriter& operator=(const GeoTiffRowWriter&) = delete;

  void begin(const Raster& header) override;
  /// The next rows; rowBegin must be the first row not yet written.
  void rows(std::int32_t rowBegin, std::int32_t rowEnd, std::span<const double> values) override;
  /// After the last row: the statistics, then the file is flushed and closed.
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Reads band 1 of a raster file back (any GDAL format), with geotransform, nodata,
/// description, unit and the default-domain metadata. Throws LibraryError; rejects rotated
/// or south-up rasters and non-square pixels.
Raster readRaster(const std::string& path);

}  // namespace veldwacht::geo
