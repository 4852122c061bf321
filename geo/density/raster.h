// A north-up single-band raster in the working CRS: the result type of the density units and
// the input of writeGeoTiff.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "geo/core/types.h"

namespace veldwacht::geo {

/// Pixel layout: north-up, top-left origin, square pixels (a GDAL geotransform
/// {originX, pixelSize, 0, originY, 0, -pixelSize}). Row 0 is the northernmost row.
struct RasterGrid {
  double originX = 0.0;  ///< x of the left edge of column 0
  double originY = 0.0;  ///< y of the top edge of row 0
  double pixelSize = 1.0;
  std::int32_t cols = 0;
  std::int32_t rows = 0;

  std::size_t size() const {
    return static_cast<std::size_t>(cols) * static_cast<std::size_t>(rows);
  }
  double centreX(std::int32_t col) const { return originX + (col + 0.5) * pixelSize; }
  double centreY(std::int32_t row) const { return originY - (row + 0.5) * pixelSize; }
  Extent extent() const {
    return {originX, originY - rows * pixelSize, originX + cols * pixelSize, originY};
  }
  friend bool operator==(const RasterGrid&, const RasterGrid&) = default;
};

/// Row-major values (row 0 first), `nodata` marking pixels outside the study area.
struct Raster {
  RasterGrid grid;
  std::vector<double> values;
  double nodata = -9999.0;
  /// Unit of the values, e.g. "points per km2"; written as the band's unit type and UNITS item.
  std::string units;
  /// Band description (GDAL band description), e.g. "kernel density, quartic, r=500 m".
  std::string description;
  /// Free metadata (algorithm parameters); writeGeoTiff writes them as dataset metadata items.
  std::map<std::string, std::string> metadata;

  double at(std::int32_t col, std::int32_t row) const {
    return values[static_cast<std::size_t>(row) * grid.cols + col];
  }
  bool isNodata(std::size_t i) const { return values[i] == nodata; }
};

/// Where a surface made band by band goes (e.g. a GeoTIFF written as it comes): the header
/// first, then the rows from the top, each row once and in order.
class RasterRowSink {
 public:
  virtual ~RasterRowSink() = default;
  /// Before the first row: the raster without values (grid, nodata, units, description,
  /// metadata).
  virtual void begin(const Raster& /*header*/) {}
  /// Rows [rowBegin, rowEnd), row-major.
  virtual void rows(std::int32_t rowBegin, std::int32_t rowEnd, std::span<const double> values) = 0;
};

}  // namespace veldwacht::geo
