// Risk factors from the road network (geo/network): road access (travel time to a main road),
// dead-end roads and farm tracks. Qt-free; the store side is layers/risk/risk_runner.
//
// Main roads: wegvakken of a provincie or the rijk (WEGBEHSRT P, R) and motorway links (BST
// AF/OP/VB*: ramps), which a drug-waste van or a rented-barn tenant uses to come and go.
// Road access of a place is the car travel time from its nearest usable road (snapped, within
// maxSnap metres) to the nearest main road. The search runs from the main roads outwards (one
// multi-source Dijkstra), so it is the time from the main road to the place; on the two-way
// rural roads of the region that equals the time back, one-way links can make it differ.
// Dead ends: usable wegvakken with an end junction that no other usable wegvak meets (a loop
// wegvak counts twice at its junction). Farm tracks: usable wegvakken of a waterschap or another
// authority (WEGBEHSRT W, T), NWB's closest thing to a veldweg.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "geo/core/progress.h"
#include "geo/core/types.h"
#include "geo/network/graph.h"

namespace veldwacht::geo {

/// 1 per wegvak that is a main road (P, R or a motorway link) and usable by `mode`.
std::vector<std::uint8_t> mainRoadWegvakken(const RoadNetwork& network, TravelMode mode);
/// 1 per usable wegvak with a dead end (see above).
std::vector<std::uint8_t> deadEndWegvakken(const RoadNetwork& network, TravelMode mode);
/// 1 per usable wegvak of a waterschap or other authority (W, T).
std::vector<std::uint8_t> farmTrackWegvakken(const RoadNetwork& network, TravelMode mode);

/// Points every `step` metres along the flagged wegvakken (vertices included).
std::vector<Point> wegvakPoints(const RoadNetwork& network, std::span<const std::uint8_t> flags,
                                double step);

/// Seconds (the graph must be a time graph) from each point's nearest usable wegvak (within
/// maxSnap metres) to the nearest flagged wegvak; +infinity when no wegvak is near or none is
/// reached. Throws OptionError for maxSnap <= 0, InputError for non-finite points.
std::vector<double> travelTimeToWegvakken(const SearchGraph& graph,
                                          std::span<const std::uint8_t> targets,
                                          std::span<const Point> points, double maxSnap,
                                          Progress& progress = nullProgress());

}  // namespace veldwacht::geo
