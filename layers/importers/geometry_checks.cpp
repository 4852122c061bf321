#include "layers/importers/geometry_checks.h"

#include <cmath>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "geo/core/error.h"
#include "geo/core/geos.h"

namespace veldwacht::layers {

using veldwacht::geo::GeometryPtr;
using veldwacht::geo::GeosContext;
using veldwacht::geo::GeosGeometry;

namespace {

std::string typeName(const OGRGeometry& g) {
  switch (wkbFlatten(g.getGeometryType())) {
    case wkbPoint:
      return "Point";
    case wkbLineString:
      return "LineString";
    case wkbPolygon:
      return "Polygon";
    case wkbMultiPoint:
      return "MultiPoint";
    case wkbMultiLineString:
      return "MultiLineString";
    case wkbMultiPolygon:
      return "MultiPolygon";
    case wkbGeometryCollection:
      return "GeometryCollection";
    default:
      return OGRGeometryTypeToName(g.getGeometryType());
  }
}

GeosGeometry toGeos(GeosContext& ctx, const OGRGeometry& g) {
  std::vector<unsigned char> wkb(g.WkbSize());
  g.exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
  std::unique_ptr<GEOSWKBReader, veldwacht::geo::GeosWkbReaderDeleter> reader(
      GEOSWKBReader_create_r(ctx.handle()), {ctx.handle()});
  return veldwacht::geo::checkedGeos(
      ctx, GEOSWKBReader_read_r(ctx.handle(), reader.get(), wkb.data(), wkb.size()), "read WKB");
}

GeometryPtr fromGeos(GeosContext& ctx, const GeosGeometry& g) {
  std::unique_ptr<GEOSWKBWriter, veldwacht::geo::GeosWkbWriterDeleter> writer(
      GEOSWKBWriter_create_r(ctx.handle()), {ctx.handle()});
  std::size_t size = 0;
  std::unique_ptr<unsigned char, veldwacht::geo::GeosBufferDeleter> buf(
      GEOSWKBWriter_write_r(ctx.handle(), writer.get(), g.get(), &size), {ctx.handle()});
  if (!buf) throw veldwacht::geo::LibraryError("GEOS write WKB: " + ctx.lastError());
  OGRGeometry* out = nullptr;
  if (OGRGeometryFactory::createFromWkb(buf.get(), nullptr, &out, size) != OGRERR_NONE || !out)
    throw veldwacht::geo::LibraryError("OGR could not read GEOS's WKB");
  return GeometryPtr(out);
}

/// Broken rings that GEOS cannot even read (it throws on them): too few points, not closed.
/// With `repair`, unclosed rings are closed and degenerate inner rings dropped; `done` says what
/// was changed. Returns what is still wrong ("" when GEOS can take it).
std::string fixRings(OGRGeometry& g, bool repair, std::vector<std::string>& done) {
  const auto t = wkbFlatten(g.getGeometryType());
  if (t == wkbLineString) {
    const int n = g.toLineString()->getNumPoints();
    if (n < 2) return fmt::format("the line has {} point(s); expected at least 2", n);
    return {};
  }
  std::vector<OGRPolygon*> polygons;
  if (t == wkbPolygon) polygons.push_back(g.toPolygon());
  if (t == wkbMultiPolygon)
    for (auto* p : *g.toMultiPolygon()) polygons.push_back(p);
  for (std::size_t pi = 0; pi < polygons.size(); ++pi) {
    OGRPolygon& poly = *polygons[pi];
    const std::string which =
        polygons.size() > 1 ? fmt::format(" of polygon {}", pi + 1) : std::string();
    for (int ri = poly.getNumInteriorRings(); ri >= 0; --ri) {  // backwards: rings may go
      OGRLinearRing* ring = ri == 0 ? poly.getExteriorRing() : poly.getInteriorRing(ri - 1);
      if (!ring) continue;
      const std::string name =
          (ri == 0 ? std::string("the outer ring") : fmt::format("inner ring {}", ri)) + which;
      const int n = ring->getNumPoints();
      const bool closed = n > 0 && ring->get_IsClosed();
      if (!closed && n >= 3 && repair) {
        ring->closeRings();
        done.push_back(name + " was not closed: closed it");
      } else if (!closed && n >= 3) {
        return name +
               " is not closed (its last point differs from its first); expected a "
               "closed ring — fix it in the source, or import with --make-valid to close "
               "it";
      }
      const int now = ring->getNumPoints();
      if (now >= 4) continue;
      if (repair && ri > 0) {
        poly.removeRing(ri);
        done.push_back(fmt::format("{} had {} point(s): dropped it", name, n));
        continue;
      }
      return fmt::format(
          "{} has {} point(s); expected a ring of at least 4 (3 corners and the "
          "first point again){}",
          name, n, repair ? " — too few points to repair" : "");
    }
  }
  return {};
}

}  // namespace

const char* geometryKindName(GeometryKind kind) {
  switch (kind) {
    case GeometryKind::None:
      return "no geometry";
    case GeometryKind::Point:
      return "a Point";
    case GeometryKind::LineString:
      return "a LineString";
    case GeometryKind::MultiPolygon:
      return "a Polygon or MultiPolygon";
  }
  return "?";
}

bool allCoordinatesFinite(const OGRGeometry& g) {
  switch (wkbFlatten(g.getGeometryType())) {
    case wkbPoint: {
      const auto* p = g.toPoint();
      return std::isfinite(p->getX()) && std::isfinite(p->getY());
    }
    case wkbLineString:
    case wkbLinearRing:
    case wkbCircularString: {
      const auto* c = dynamic_cast<const OGRSimpleCurve*>(&g);
      if (!c) return false;
      for (int i = 0; i < c->getNumPoints(); ++i)
        if (!std::isfinite(c->getX(i)) || !std::isfinite(c->getY(i))) return false;
      return true;
    }
    case wkbPolygon:
      for (const auto* ring : *g.toPolygon())
        if (!allCoordinatesFinite(*ring)) return false;
      return true;
    case wkbMultiPoint:
    case wkbMultiLineString:
    case wkbMultiPolygon:
    case wkbGeometryCollection:
      for (const auto* part : *g.toGeometryCollection())
        if (!allCoordinatesFinite(*part)) return false;
      return true;
    default: {
      OGREnvelope e;
      g.getEnvelope(&e);
      return std::isfinite(e.MinX) && std::isfinite(e.MaxX) && std::isfinite(e.MinY) &&
             std::isfinite(e.MaxY);
    }
  }
}

std::string normaliseGeometry(GeometryPtr& g, GeometryKind kind) {
  if (kind == GeometryKind::None) {
    g.reset();
    return {};
  }
  const std::string expected = geometryKindName(kind);
  if (!g) return "missing geometry; expected " + expected;
  if (g->IsEmpty()) return "empty geometry (" + typeName(*g) + " EMPTY); expected " + expected;
  if (!allCoordinatesFinite(*g))
    return "the geometry has NaN or infinite coordinates; expected " + expected +
           " with finite coordinates";
  g->flattenTo2D();
  const OGRwkbGeometryType t = wkbFlatten(g->getGeometryType());
  auto unwrapSingle = [&]() {
    auto* coll = g->toGeometryCollection();
    GeometryPtr part(coll->getGeometryRef(0)->clone());
    g = std::move(part);
  };
  switch (kind) {
    case GeometryKind::Point:
      if (t == wkbPoint) return {};
      if (t == wkbMultiPoint && g->toGeometryCollection()->getNumGeometries() == 1) {
        unwrapSingle();
        return {};
      }
      break;
    case GeometryKind::LineString:
      if (t == wkbLineString) return {};
      if (t == wkbMultiLineString && g->toGeometryCollection()->getNumGeometries() == 1) {
        unwrapSingle();
        return {};
      }
      break;
    case GeometryKind::MultiPolygon:
      if (t == wkbPolygon) {
        g = GeometryPtr(OGRGeometryFactory::forceToMultiPolygon(g.release()));
        return {};
      }
      if (t == wkbMultiPolygon) return {};
      break;
    case GeometryKind::None:
      break;
  }
  std::string got = typeName(*g);
  if (t == wkbMultiPoint || t == wkbMultiLineString || t == wkbMultiPolygon)
    got += fmt::format(" with {} parts", g->toGeometryCollection()->getNumGeometries());
  return "wrong geometry type " + got + "; expected " + expected;
}

ValidityOutcome checkValidity(GeometryPtr& g, GeometryKind kind, bool makeValid) {
  ValidityOutcome out;
  if (!g || kind == GeometryKind::Point || kind == GeometryKind::None) return out;
  std::vector<std::string> ringFixes;
  if (std::string broken = fixRings(*g, makeValid, ringFixes); !broken.empty()) {
    out.error = "invalid geometry: " + broken;
    return out;
  }
  const std::string ringNote = ringFixes.empty() ? "" : [&] {
    std::string note;
    for (const auto& f : ringFixes) note += (note.empty() ? "" : "; ") + f;
    return note;
  }();
  GeosContext& ctx = GeosContext::forThisThread();
  GeosGeometry geos;
  try {
    geos = toGeos(ctx, *g);
  } catch (const veldwacht::geo::LibraryError& e) {
    out.error = std::string("invalid geometry that GEOS cannot read (") + e.what() + ")";
    return out;
  }
  const char valid = GEOSisValid_r(ctx.handle(), geos.get());
  if (valid == 1) {
    if (!ringNote.empty()) out.repaired = "broken rings repaired: " + ringNote;
    return out;
  }
  std::string reason = "invalid geometry";
  auto freeText = [h = ctx.handle()](char* p) { GEOSFree_r(h, p); };
  if (const std::unique_ptr<char, decltype(freeText)> r{
          GEOSisValidReason_r(ctx.handle(), geos.get()), freeText})
    reason = r.get();
  if (!makeValid) {
    out.error = "invalid geometry (" + reason + "); expected a valid " +
                (kind == GeometryKind::MultiPolygon ? "polygon" : "line") +
                " — fix it in the source, or import with --make-valid to repair it with GEOS "
                "MakeValid";
    return out;
  }
  GEOSMakeValidParams* params = GEOSMakeValidParams_create_r(ctx.handle());
  GEOSMakeValidParams_setMethod_r(ctx.handle(), params, GEOS_MAKE_VALID_LINEWORK);
  GEOSMakeValidParams_setKeepCollapsed_r(ctx.handle(), params, 0);
  GEOSGeometry* fixedRaw = GEOSMakeValidWithParams_r(ctx.handle(), geos.get(), params);
  GEOSMakeValidParams_destroy_r(ctx.handle(), params);
  GeosGeometry fixed = veldwacht::geo::checkedGeos(ctx, fixedRaw, "MakeValid");
  if (GEOSisEmpty_r(ctx.handle(), fixed.get()) == 1) {
    out.error = "invalid geometry (" + reason +
                ") that GEOS MakeValid reduces to nothing; expected "
                "a valid polygon";
    return out;
  }
  double after = 0;
  GEOSArea_r(ctx.handle(), fixed.get(), &after);
  GeometryPtr repaired = fromGeos(ctx, fixed);
  if (wkbFlatten(repaired->getGeometryType()) == wkbGeometryCollection) {
    // Linework may return areas plus collapsed lines or points: keep the areas.
    auto polys = std::make_unique<OGRMultiPolygon>();
    for (const auto* part : *repaired->toGeometryCollection()) {
      const auto t = wkbFlatten(part->getGeometryType());
      if (t == wkbPolygon) polys->addGeometry(part);
      if (t == wkbMultiPolygon)
        for (const auto* p : *part->toMultiPolygon()) polys->addGeometry(p);
    }
    repaired = GeometryPtr(polys.release());
  }
  const std::string err = normaliseGeometry(repaired, kind);
  if (!err.empty()) {
    out.error = "invalid geometry (" + reason + "); GEOS MakeValid gave an unusable result: " + err;
    return out;
  }
  repaired->assignSpatialReference(g->getSpatialReference());
  g = std::move(repaired);
  out.repaired = fmt::format(
      "invalid geometry ({}) repaired with GEOS MakeValid (linework); area "
      "{:.1f} m² after repair",
      reason, after);
  if (!ringNote.empty()) out.repaired = "broken rings repaired: " + ringNote + "; " + out.repaired;
  return out;
}

}  // namespace veldwacht::layers
