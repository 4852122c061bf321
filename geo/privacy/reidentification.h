// How safe and how useful a masked point pattern is.
//
// Safety: the nearest-address attack (Allshouse et al. 2010; Zandbergen 2014, "Ensuring
// confidentiality of geocoded health data", Adv. Med. 2014): the attacker takes the address
// nearest to each masked point as its guess; the guess succeeds when it is the true address,
// i.e. the address nearest to the TRUE point (a signal in a field "belongs" to the farm nearest
// to it). A k-anonymous mask should keep the success rate at or below 1/k.
//
// Usefulness, two measures of whether the clusters survive masking:
//  - hot spots kept: Getis-Ord Gi* on counts in square cells of one size (queen contiguity),
//    for the true and the masked points; the share of the true hot cells (Gi_Bin >= minBin)
//    that are hot in the masked map too, and the Jaccard overlap of both hot sets;
//  - DBSCAN agreement: the adjusted Rand index (Hubert & Arabie 1985) between the DBSCAN labels
//    of the true and of the masked points (noise counts as one class, as in scikit-learn).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "geo/core/progress.h"
#include "geo/core/types.h"

namespace veldwacht::geo {

struct NearestAddressAttack {
  std::size_t points = 0;
  std::size_t hits = 0;
  double successRate = 0.0;                   ///< hits / points (0 for no points)
  std::vector<std::uint32_t> trueAddress;     ///< per point: nearest address to the true point
  std::vector<std::uint32_t> guessedAddress;  ///< per point: nearest address to the masked one
};

/// Throws InputError when the spans differ in length or there are no addresses.
NearestAddressAttack nearestAddressAttack(std::span<const Point> truePoints,
                                          std::span<const Point> masked,
                                          std::span<const Point> addresses,
                                          Progress& progress = nullProgress());

struct HotSpotKeepingOptions {
  double cellSize = 500.0;  ///< square cells, metres
  std::int8_t minBin = 2;   ///< Gi_Bin counted as hot: 2 = 95 % (FDR corrected), 1..3
  std::uint64_t seed = 12345;
  void validate() const;
};

struct HotSpotKeeping {
  std::size_t cells = 0;
  std::size_t hotTrue = 0;
  std::size_t hotMasked = 0;
  std::size_t hotBoth = 0;
  double kept = 0.0;     ///< hotBoth / hotTrue (1 when there are no true hot cells)
  double jaccard = 0.0;  ///< hotBoth / |hotTrue or hotMasked| (1 when both are empty)
};

/// Gi* hot cells of the true and the masked points on one square grid covering both.
HotSpotKeeping hotSpotKeeping(std::span<const Point> truePoints, std::span<const Point> masked,
                              const HotSpotKeepingOptions& options,
                              Progress& progress = nullProgress());

/// Adjusted Rand index of two labelings of the same items (any int labels). 1 for identical
/// partitions, about 0 for independent ones; 1 when both put everything in one class.
double adjustedRandIndex(std::span<const std::int32_t> a, std::span<const std::int32_t> b);

struct DbscanKeepingOptions {
  double eps = 300.0;
  std::size_t minPts = 5;
  void validate() const;
};

struct DbscanKeeping {
  std::size_t clustersTrue = 0;
  std::size_t clustersMasked = 0;
  double adjustedRand = 0.0;
};

DbscanKeeping dbscanKeeping(std::span<const Point> truePoints, std::span<const Point> masked,
                            const DbscanKeepingOptions& options,
                            Progress& progress = nullProgress());

}  // namespace veldwacht::geo
