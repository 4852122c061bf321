// libFuzzer target: the importers' geometry checks. The first byte picks the layer's geometry
// kind and whether to repair (--make-valid); the rest is read as WKB when OGR takes it, else as
// WKT. normaliseGeometry and checkValidity must answer with a message or a repaired geometry,
// never a crash, a leak or an exception other than geo::Error.
#include <cstddef>
#include <cstdint>
#include <string>

#include "geo/core/error.h"
#include "geo/core/gdal.h"

#include <cpl_error.h>
#include "layers/importers/geometry_checks.h"

using veldwacht::layers::GeometryKind;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  CPLSetErrorHandler(CPLQuietErrorHandler);  // OGR's parse errors are expected, not news
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  static const GeometryKind kinds[] = {GeometryKind::Point, GeometryKind::LineString,
                                       GeometryKind::MultiPolygon, GeometryKind::None};
  const GeometryKind kind = kinds[data[0] & 3];
  const bool repair = data[0] & 4;
  OGRGeometry* raw = nullptr;
  if (OGRGeometryFactory::createFromWkb(data + 1, nullptr, &raw, size - 1, wkbVariantIso) !=
      OGRERR_NONE) {
    delete raw;  // OGR leaves it null on failure; be safe
    raw = nullptr;
    const std::string wkt(reinterpret_cast<const char*>(data + 1), size - 1);
    const char* p = wkt.c_str();
    if (OGRGeometryFactory::createFromWkt(p, nullptr, &raw) != OGRERR_NONE) {
      delete raw;
      return 0;
    }
  }
  veldwacht::geo::GeometryPtr g(raw);
  try {
    const std::string err = veldwacht::layers::normaliseGeometry(g, kind);
    if (err.empty()) veldwacht::layers::checkValidity(g, kind, repair);
  } catch (const veldwacht::geo::Error&) {
  }
  return 0;
}
