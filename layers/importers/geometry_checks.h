// Geometry checks of the importers: missing, empty and non-finite geometries are refused per row;
// a Polygon is promoted to MultiPolygon, a single-part multi geometry unwrapped, Z/M dropped;
// a wrong geometry type is refused. Invalid (e.g. self-intersecting) polygons are refused, or,
// only when asked, repaired with GEOS MakeValid using the "linework" method (GEOS's default, as
// PostGIS ST_MakeValid): it nodes all rings and rebuilds every area they enclose, so a "bow tie"
// keeps both lobes and no input vertex is lost; collapsed parts (lines, points) are dropped so the
// result stays polygonal. Reference: GEOS MakeValid / PostGIS ST_MakeValid documentation; on
// polygon repair in general M. Ledoux, K. Arroyo Ohori and M. Meijers, "A triangulation-based
// approach to automatically repair GIS polygons", Computers & Geosciences 66 (2014).
#pragma once

#include <string>

#include "geo/core/gdal.h"
#include "layers/schema/schema.h"

namespace veldwacht::layers {

/// Readable name of a geometry kind for messages.
const char* geometryKindName(GeometryKind kind);

/// Normalises `geometry` for a layer of `kind` (before transformation). Returns an error message
/// (what is wrong, what was expected), or "" when fine.
std::string normaliseGeometry(veldwacht::geo::GeometryPtr& geometry, GeometryKind kind);

/// True when every vertex is finite.
bool allCoordinatesFinite(const OGRGeometry& geometry);

/// The outcome of a validity check.
struct ValidityOutcome {
  std::string error;     ///< non-empty: invalid and not repaired (says why and what to do)
  std::string repaired;  ///< non-empty: it was invalid and has been repaired (says why and how)
};

/// Checks a (Multi)Polygon or LineString with GEOS; repairs it when `makeValid`.
ValidityOutcome checkValidity(veldwacht::geo::GeometryPtr& geometry, GeometryKind kind,
                              bool makeValid);

}  // namespace veldwacht::layers
