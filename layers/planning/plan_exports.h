// What a plan gives people in the field, made from its result tables (read back from the store
// with readResultLayer, or straight from buildPlanResult): a route card per partner and shift
// (CSV and a printable HTML page with a small inline SVG of the route and the table of stops in
// Dutch), GPX 1.1 (waypoints per visit, a route of the stops and a track along the roads per
// partner and shift) and GeoJSON (RFC 7946, WGS84) for phones.
#pragma once

#include <string>
#include <vector>

#include "layers/results/results.h"

namespace veldwacht::layers {

/// Writes <dir>/<dienst>.csv and <dir>/<dienst>.html for every route (creates `dir`); returns
/// the files written. `routes` and `visits` are the plan's _routes and _bezoeken tables.
std::vector<std::string> writeRouteCards(const ResultLayer& routes, const ResultLayer& visits,
                                         const std::string& dir);

/// GPX 1.1: <wpt> per visit (time in UTC), per route a <rte> base → stops → base and a <trk>
/// along the roads. Coordinates WGS84 (RD converted with geo::rdToWgs84, about 1 m).
void writeGpx(const ResultLayer& routes, const ResultLayer& visits, const std::string& path);

/// GeoJSON FeatureCollection: the routes as LineStrings and the visits as Points, WGS84.
void writeGeoJson(const ResultLayer& routes, const ResultLayer& visits, const std::string& path);

/// Local Dutch time `YYYY-MM-DDTHH:MM:SS` to UTC `YYYY-MM-DDTHH:MM:SSZ`.
std::string dutchLocalToUtc(const std::string& local);

}  // namespace veldwacht::layers
