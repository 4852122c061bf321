// Small GEOS helpers shared by the aggregation units (internal to geo/aggregation).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "geo/core/error.h"
#include "geo/core/geos.h"
#include "geo/core/types.h"

namespace veldwacht::geo::aggregation_detail {

/// Owns a prepared geometry; the source geometry must outlive it.
struct PreparedDeleter {
  GEOSContextHandle_t ctx;
  void operator()(const GEOSPreparedGeometry* p) const noexcept {
    GEOSPreparedGeom_destroy_r(ctx, p);
  }
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

inline PreparedPtr prepare(GeosContext& ctx, const GeosGeometry& g) {
  const GEOSPreparedGeometry* p = GEOSPrepare_r(ctx.handle(), g.get());
  if (!p) throw LibraryError("GEOS prepare: " + ctx.lastError());
  return PreparedPtr(p, PreparedDeleter{ctx.handle()});
}

inline GeosGeometry readWkb(GeosContext& ctx, std::span<const std::uint8_t> wkb) {
  std::unique_ptr<GEOSWKBReader, GeosWkbReaderDeleter> reader(GEOSWKBReader_create_r(ctx.handle()),
                                                              GeosWkbReaderDeleter{ctx.handle()});
  return checkedGeos(ctx, GEOSWKBReader_read_r(ctx.handle(), reader.get(), wkb.data(), wkb.size()),
                     "read WKB");
}

inline std::vector<std::uint8_t> writeWkb(GeosContext& ctx, const GeosGeometry& g) {
  std::unique_ptr<GEOSWKBWriter, GeosWkbWriterDeleter> writer(GEOSWKBWriter_create_r(ctx.handle()),
                                                              GeosWkbWriterDeleter{ctx.handle()});
  GEOSWKBWriter_setByteOrder_r(ctx.handle(), writer.get(), GEOS_WKB_NDR);
  std::size_t size = 0;
  unsigned char* buf = GEOSWKBWriter_write_r(ctx.handle(), writer.get(), g.get(), &size);
  if (!buf) throw LibraryError("GEOS write WKB: " + ctx.lastError());
  std::unique_ptr<unsigned char, GeosBufferDeleter> owned(buf, GeosBufferDeleter{ctx.handle()});
  return std::vector<std::uint8_t>(buf, buf + size);
}

/// A polygon from a closed ring of points.
inline GeosGeometry makePolygon(GeosContext& ctx, std::span<const Point> ring) {
  GEOSCoordSequence* seq =
      GEOSCoordSeq_create_r(ctx.handle(), static_cast<unsigned>(ring.size()), 2);
  if (!seq) throw LibraryError("GEOS coord seq: " + ctx.lastError());
  for (unsigned i = 0; i < ring.size(); ++i) {
    GEOSCoordSeq_setXY_r(ctx.handle(), seq, i, ring[i].x, ring[i].y);
  }
  GeosGeometry shell = checkedGeos(ctx, GEOSGeom_createLinearRing_r(ctx.handle(), seq), "ring");
  return checkedGeos(ctx, GEOSGeom_createPolygon_r(ctx.handle(), shell.release(), nullptr, 0),
                     "polygon");
}

inline GeosGeometry makePoint(GeosContext& ctx, const Point& p) {
  return checkedGeos(ctx, GEOSGeom_createPointFromXY_r(ctx.handle(), p.x, p.y), "point");
}

}  // namespace veldwacht::geo::aggregation_detail
