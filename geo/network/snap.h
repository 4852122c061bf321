// Snapping: a point joins the network at the nearest point of the nearest wegvak its travel mode
// may use (not at the nearest junction). The wegvak is split there in the search by two virtual
// half-edges (see NetworkLocation in shortest_paths.h); the network itself is not changed.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "geo/core/text_column.h"
#include "geo/core/types.h"
#include "geo/network/graph.h"
#include "geo/network/shortest_paths.h"

namespace veldwacht::geo {

struct Snap {
  std::uint32_t wegvak = 0;
  double offset = 0.0;    ///< metres from the begin of the wegvak
  Point point{};          ///< the snapped point on the wegvak
  double distance = 0.0;  ///< metres from the input point
};

struct SnapOptions {
  /// Points farther than this from every usable wegvak are refused (metres, > 0).
  double maxDistance = 500.0;
  /// Layer name for messages ("partners").
  std::string layer = "points";
  void validate() const;
};

/// A uniform grid of the segments of the wegvakken one mode may use.
class Snapper {
 public:
  explicit Snapper(const SearchGraph& graph, double cellSize = 250.0);
  /// The nearest point on a usable wegvak within maxDistance; ties go to the lower wegvak index,
  /// then the lower offset. nullopt when none lies within maxDistance.
  std::optional<Snap> nearest(const Point& p, double maxDistance) const;
  const SearchGraph& graph() const { return *graph_; }

 private:
  struct Segment {
    std::uint32_t wegvak;
    std::uint32_t index;  // coordinate index within the wegvak's line
    double offset;        // metres from the wegvak's begin to the segment's start
  };
  const SearchGraph* graph_;
  double cell_;
  double minX_ = 0.0, minY_ = 0.0;
  std::int64_t cols_ = 0, rows_ = 0;
  std::vector<std::uint32_t> cellStart_;  // cols_*rows_ + 1 offsets into segments_
  std::vector<Segment> segments_;
};

/// Sites and partner bases snap to the roads of the mode that travels to them: one Snapper per
/// travel mode in use, all on one RoadNetwork (a fiets partner's base joins a fietspad when that
/// is nearer than the road a car would use; a tractor never joins a motorway).
class ModeSnappers {
 public:
  /// One graph per mode in use (any order; the index is the caller's mode index).
  explicit ModeSnappers(std::span<const SearchGraph* const> graphs, double cellSize = 250.0);
  std::size_t size() const { return snappers_.size(); }
  const Snapper& operator[](std::size_t m) const { return snappers_[m]; }
  /// p snapped for every mode: snaps[m] is nullopt where p lies farther than maxDistance from
  /// every wegvak mode m may use.
  std::vector<std::optional<Snap>> snap(const Point& p, double maxDistance) const;
  /// The same as network locations: NetworkLocation::nowhere() for a mode it is too far from.
  std::vector<NetworkLocation> locate(const Point& p, double maxDistance) const;

 private:
  std::vector<Snapper> snappers_;
};

/// Snaps every point; `keys` (same size) name them in messages. Throws InputError with the
/// layer as file, the 1-based row, the key and the distance when a point is farther than
/// maxDistance.
std::vector<Snap> snapAll(const Snapper& snapper, std::span<const Point> points,
                          const TextColumn& keys, const SnapOptions& options);

}  // namespace veldwacht::geo
