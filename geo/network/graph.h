// A routable road network from NWB wegvakken: junctions (JTE_ID_BEG/JTE_ID_END) are nodes, each
// wegvak is one edge with its polyline, length (EPSG:28992 metres), direction and a speed per
// travel mode (road_kinds.h). Searches run on a SearchGraph: a compact CSR of the arcs one mode
// may use, forward and reverse, with the arc cost (seconds or metres) and the other measure.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "geo/core/progress.h"
#include "geo/core/types.h"
#include "geo/network/road_kinds.h"

namespace veldwacht::geo {

/// One NWB wegvak as read from a layer.
struct WegvakRecord {
  std::int64_t wvkId = 0;
  std::int64_t junctionBegin = 0;  ///< JTE_ID_BEG
  std::int64_t junctionEnd = 0;    ///< JTE_ID_END
  std::string rijrichting;         ///< RIJRICHTNG: H, T, B, O or empty
  std::string wegbeheerder;        ///< WEGBEHSRT: R, P, G, W, T
  std::string baansubsoort;        ///< BST_CODE
  bool builtUp = false;            ///< inside the built-up area (NWB has no such field)
  double speedLimitKmh = 0.0;      ///< a posted limit (NDW), 0 = none
  std::vector<Point> line;         ///< from the begin junction to the end junction
};

struct NetworkOptions {
  SpeedTable speeds{};
  /// Where the records came from, for error messages ("wegvakken").
  std::string source = "wegvakken";
  void validate() const { speeds.validate(); }
};

/// What to minimise.
enum class CostKind : std::uint8_t { Time = 0, Length = 1 };

class RoadNetwork {
 public:
  /// Builds the network. Throws InputError (source, WVK_ID as row, field) for an unknown
  /// RIJRICHTNG or WEGBEHSRT, a line with fewer than two points, non-finite coordinates or a
  /// repeated WVK_ID. Unknown BST_CODEs count as RB and are listed in warnings().
  static RoadNetwork build(std::span<const WegvakRecord> records, const NetworkOptions& options,
                           Progress& progress = nullProgress());

  std::size_t nodeCount() const { return junctionId_.size(); }
  std::size_t wegvakCount() const { return wvkId_.size(); }

  std::int64_t junctionId(std::uint32_t node) const { return junctionId_[node]; }
  std::int64_t wvkId(std::uint32_t w) const { return wvkId_[w]; }
  std::uint32_t from(std::uint32_t w) const { return from_[w]; }
  std::uint32_t to(std::uint32_t w) const { return to_[w]; }
  double length(std::uint32_t w) const { return length_[w]; }
  Direction direction(std::uint32_t w) const { return direction_[w]; }
  RoadKind kind(std::uint32_t w) const { return kind_[w]; }
  char wegbeheerder(std::uint32_t w) const { return wegbeheerder_[w]; }
  /// km/h; 0 = the mode may not use the wegvak.
  double speedKmh(std::uint32_t w, TravelMode m) const { return speed_[w][std::size_t(m)]; }
  bool allowsForward(std::uint32_t w, TravelMode m) const;
  bool allowsBackward(std::uint32_t w, TravelMode m) const;
  /// The polyline of wegvak w, begin to end.
  std::span<const Point> line(std::uint32_t w) const {
    return {coords_.data() + lineStart_[w], coords_.data() + lineStart_[w + 1]};
  }
  /// The point at `offset` metres from the begin of w (clamped to [0, length]).
  Point pointAt(std::uint32_t w, double offset) const;
  /// The part of w between two offsets, in travel order (reversed when from > to).
  std::vector<Point> subLine(std::uint32_t w, double fromOffset, double toOffset) const;
  /// Node index of a junction id, or -1.
  std::int64_t nodeOf(std::int64_t junctionId) const;
  const std::vector<std::string>& warnings() const { return warnings_; }
  /// Bytes held by the network's arrays.
  std::size_t memoryBytes() const;

  // Raw arrays, for storing the network and loading it back (layers/network).
  struct Arrays {
    std::vector<std::int64_t> junctionId;
    std::vector<std::int64_t> wvkId;
    std::vector<std::uint32_t> from, to;
    std::vector<double> length;
    std::vector<Direction> direction;
    std::vector<RoadKind> kind;
    std::vector<char> wegbeheerder;
    std::vector<std::array<float, kTravelModeCount>> speed;
    std::vector<std::uint32_t> lineStart;
    std::vector<Point> coords;
  };
  Arrays arrays() const;
  /// Rebuilds from stored arrays; checks their sizes and indices (InputError otherwise).
  static RoadNetwork fromArrays(Arrays&& a);

 private:
  std::vector<std::int64_t> junctionId_;  // sorted: node index = rank of the junction id
  std::vector<std::int64_t> wvkId_;
  std::vector<std::uint32_t> from_, to_;
  std::vector<double> length_;
  std::vector<Direction> direction_;
  std::vector<RoadKind> kind_;
  std::vector<char> wegbeheerder_;
  std::vector<std::array<float, kTravelModeCount>> speed_;
  std::vector<std::uint32_t> lineStart_;  // wegvakCount + 1 offsets into coords_
  std::vector<Point> coords_;
  std::vector<std::string> warnings_;
};

/// The arcs one travel mode may use, as forward and reverse CSR adjacency. Arc a runs
/// tail → head over wegvak `wegvak(a)`, along its digitised direction when `alongLine(a)`.
class SearchGraph {
 public:
  SearchGraph(const RoadNetwork& network, TravelMode mode, CostKind cost);

  const RoadNetwork& network() const { return *network_; }
  TravelMode mode() const { return mode_; }
  CostKind costKind() const { return cost_; }
  std::size_t nodeCount() const { return outStart_.size() - 1; }
  std::size_t arcCount() const { return head_.size(); }

  // Forward adjacency: arcs out of `node` are [outBegin(node), outEnd(node)).
  std::uint32_t outBegin(std::uint32_t node) const { return outStart_[node]; }
  std::uint32_t outEnd(std::uint32_t node) const { return outStart_[node + 1]; }
  std::uint32_t head(std::uint32_t arc) const { return head_[arc]; }
  double cost(std::uint32_t arc) const { return arcCost_[arc]; }
  /// The measure not minimised (metres when cost is time, seconds when cost is length).
  double other(std::uint32_t arc) const { return other_[arc]; }
  std::uint32_t wegvak(std::uint32_t arc) const { return wegvak_[arc] >> 1; }
  bool alongLine(std::uint32_t arc) const { return (wegvak_[arc] & 1u) == 0; }

  // Reverse adjacency: arcs into `node` are inArc(k) for k in [inBegin(node), inEnd(node)).
  std::uint32_t inBegin(std::uint32_t node) const { return inStart_[node]; }
  std::uint32_t inEnd(std::uint32_t node) const { return inStart_[node + 1]; }
  std::uint32_t inArc(std::uint32_t k) const { return inArc_[k]; }
  std::uint32_t tail(std::uint32_t arc) const { return tail_[arc]; }

  /// Cost and other measure per metre of wegvak w for this mode (0 when not usable).
  double costPerMetre(std::uint32_t w) const;
  double otherPerMetre(std::uint32_t w) const;
  bool usable(std::uint32_t w) const { return network_->speedKmh(w, mode_) > 0.0; }
  bool forwardAllowed(std::uint32_t w) const { return network_->allowsForward(w, mode_); }
  bool backwardAllowed(std::uint32_t w) const { return network_->allowsBackward(w, mode_); }
  std::size_t memoryBytes() const;

 private:
  const RoadNetwork* network_;
  TravelMode mode_;
  CostKind cost_;
  std::vector<std::uint32_t> outStart_, head_, tail_, wegvak_;
  std::vector<double> arcCost_, other_;
  std::vector<std::uint32_t> inStart_, inArc_;
};

}  // namespace veldwacht::geo
