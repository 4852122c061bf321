#include "geo/crs/plausibility.h"

#include <cmath>

#include <fmt/format.h>

namespace veldwacht::geo {

namespace {

bool isDegrees(const Point& p) { return std::abs(p.x) <= 180.0 && std::abs(p.y) <= 90.0; }
bool isLonLatNl(const Point& p) { return p.x >= 3.0 && p.x <= 8.0 && p.y >= 50.0 && p.y <= 54.0; }
bool isLatLonNl(const Point& p) { return p.x >= 50.0 && p.x <= 54.0 && p.y >= 3.0 && p.y <= 8.0; }

}  // namespace

CoordinateLook classifyCoordinates(std::span<const Point> points) {
  bool any = false, allRd = true, allDeg = true, allLonLat = true, allLatLon = true;
  for (const Point& p : points) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
    any = true;
    allRd = allRd && RdWindow::contains(p);
    allDeg = allDeg && isDegrees(p);
    allLonLat = allLonLat && isLonLatNl(p);
    allLatLon = allLatLon && isLatLonNl(p);
  }
  if (!any) return CoordinateLook::Empty;
  // Degrees are checked first: (5, 52) is also inside the RD window's x range but never its y.
  if (allLonLat) return CoordinateLook::LonLatNl;
  if (allLatLon) return CoordinateLook::LatLonNl;
  if (allDeg) return CoordinateLook::Degrees;
  if (allRd) return CoordinateLook::Rd;
  return CoordinateLook::Other;
}

const char* toString(CoordinateLook look) {
  switch (look) {
    case CoordinateLook::Empty:
      return "empty";
    case CoordinateLook::Rd:
      return "RD (EPSG:28992)";
    case CoordinateLook::LonLatNl:
      return "longitude/latitude in the Netherlands";
    case CoordinateLook::LatLonNl:
      return "latitude/longitude (swapped) in the Netherlands";
    case CoordinateLook::Degrees:
      return "degrees outside the Netherlands";
    case CoordinateLook::Other:
      return "other";
  }
  return "other";
}

std::optional<std::string> checkDeclaredCrs(std::span<const Point> pts, DeclaredCrs declared,
                                            const std::string& crsOption) {
  const CoordinateLook look = classifyCoordinates(pts);
  Point first{};
  for (const Point& p : pts)
    if (std::isfinite(p.x) && std::isfinite(p.y)) {
      first = p;
      break;
    }
  const std::string eg = fmt::format("e.g. x={}, y={}", first.x, first.y);
  switch (declared) {
    case DeclaredCrs::Rd:
    case DeclaredCrs::OtherProjected:
      if (look == CoordinateLook::LonLatNl || look == CoordinateLook::Degrees)
        return fmt::format(
            "the coordinates look like longitude/latitude in degrees ({}) but the file declares a "
            "projected CRS in metres; if they are WGS 84 degrees, import with {} EPSG:4326",
            eg, crsOption);
      if (look == CoordinateLook::LatLonNl)
        return fmt::format(
            "the coordinates look like latitude/longitude in degrees with the axes swapped ({}: "
            "x is a latitude) but the file declares a projected CRS in metres; swap the x and y "
            "columns and import with {} EPSG:4326",
            eg, crsOption);
      return std::nullopt;
    case DeclaredCrs::Geographic:
      if (look == CoordinateLook::LatLonNl)
        return fmt::format(
            "the coordinates look like latitude/longitude swapped ({}: x is a latitude 50..54 and "
            "y a longitude 3..8); swap the two coordinates (longitude first) and import again",
            eg);
      if (look == CoordinateLook::Rd)
        return fmt::format(
            "the coordinates are not degrees ({}) but the file declares a geographic CRS; if they "
            "are RD metres, import with {} EPSG:28992",
            eg, crsOption);
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::string> checkInsideNetherlands(const Point& rd) {
  if (RdWindow::contains(rd)) return std::nullopt;
  return fmt::format(
      "point ({:.1f}, {:.1f}) in EPSG:28992 lies outside the Netherlands (RD window x "
      "{:.0f}..{:.0f}, "
      "y {:.0f}..{:.0f}); check the coordinates and the source CRS",
      rd.x, rd.y, RdWindow::kMinX, RdWindow::kMaxX, RdWindow::kMinY, RdWindow::kMaxY);
}

}  // namespace veldwacht::geo
