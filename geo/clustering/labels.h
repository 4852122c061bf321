// Label conventions shared by every clusterer of geo/clustering.
#pragma once

#include <cstdint>

namespace veldwacht::geo {

/// Label of a point that belongs to no cluster. Clusters are numbered 0, 1, 2, ...
inline constexpr std::int32_t kNoise = -1;

}  // namespace veldwacht::geo
