// Plausibility of coordinates for a Dutch dataset: are they in the Netherlands, and do they look
// like what the file declares?
//
// Why: the commonest import mistakes with Dutch data are silent. Lon/lat written into a file that
// says RD lands every point within 200 m of the RD false origin (south-west of France); lat/lon
// swapped lands them in Somalia. Both "work" and give empty analyses. We refuse them with a message
// that says what the numbers look like and what to do.
//
// The RD window used (EPSG:28992 metres): x -7 000 ... 300 000, y 289 000 ... 629 000. These are
// the bounds of the RDNAPTRANS2018 correction grids (NSGI), i.e. the domain on which RD coordinates
// are defined: the Netherlands with the Wadden islands and the coastal zone. (For comparison, the
// EPSG area of use of RD New, lat 50.75..53.7, lon 3.2..7.22, projects to about x 600..284 000,
// y 306 700..637 100.) A point outside the window cannot be a Dutch location.
// The lon/lat window of the Netherlands used for the swapped-axis test: lon 3..8, lat 50..54.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "geo/core/types.h"

namespace veldwacht::geo {

/// The RD window of the Netherlands (EPSG:28992 metres), documented above.
struct RdWindow {
  static constexpr double kMinX = -7000.0;
  static constexpr double kMaxX = 300000.0;
  static constexpr double kMinY = 289000.0;
  static constexpr double kMaxY = 629000.0;
  static bool contains(const Point& p) {
    return p.x >= kMinX && p.x <= kMaxX && p.y >= kMinY && p.y <= kMaxY;
  }
};

/// What a set of source coordinates looks like.
enum class CoordinateLook {
  Empty,     ///< no finite points
  Rd,        ///< all inside the RD window
  LonLatNl,  ///< degrees, x = lon 3..8, y = lat 50..54: WGS 84/ETRS89 in the Netherlands
  LatLonNl,  ///< degrees with the axes swapped: x = lat 50..54, y = lon 3..8
  Degrees,   ///< all within -180..180 / -90..90 but not in the Netherlands
  Other,     ///< none of the above (projected metres elsewhere, mixed, ...)
};

/// Classifies all finite points (NaN/inf are ignored). "All" is strict: one RD point among
/// degrees gives Other.
CoordinateLook classifyCoordinates(std::span<const Point> points);

const char* toString(CoordinateLook look);

/// Declared kind of the source CRS, as far as plausibility is concerned.
enum class DeclaredCrs { Rd, Geographic, OtherProjected };

/// Checks that the source coordinates fit the declared CRS. Returns a message (what it looks
/// like and what to do) when they clearly do not, std::nullopt when plausible.
/// - declared RD but the points are degrees -> "look like longitude/latitude ... --crs EPSG:4326"
/// - declared geographic but lat/lon swapped -> "look like latitude/longitude swapped ... swap"
/// `crsOption` is how the user overrides the CRS (e.g. "--crs"), used in the message.
std::optional<std::string> checkDeclaredCrs(std::span<const Point> sourcePoints,
                                            DeclaredCrs declared,
                                            const std::string& crsOption = "--crs");

/// A message when an RD point lies outside the Netherlands' RD window, else std::nullopt.
std::optional<std::string> checkInsideNetherlands(const Point& rd);

}  // namespace veldwacht::geo
