// Dijkstra (1959) with a binary heap and reusable buffers on a SearchGraph; one-to-many,
// many-to-many matrices (one search per origin, threads over origins, identical results for any
// thread count) and routes with their geometry.
//
// A point snapped onto wegvak w at offset s splits w into two virtual half-edges: leaving the
// point, the search starts at to(w) with cost (L - s)·c when w may be driven forward and at
// from(w) with cost s·c when it may be driven backward (c = cost per metre); arriving, the tails
// are the mirror image; two points on the same wegvak are also joined directly along it when the
// direction allows. Unreachable pairs are +infinity, never 0.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "geo/core/progress.h"
#include "geo/core/types.h"
#include "geo/network/graph.h"

namespace veldwacht::geo {

inline constexpr double kUnreachable = std::numeric_limits<double>::infinity();
inline constexpr std::uint32_t kNoWegvak = std::numeric_limits<std::uint32_t>::max();
/// The wegvak of NetworkLocation::nowhere().
inline constexpr std::uint32_t kNowhere = kNoWegvak - 1;

/// A place on the network: a junction, or a point at `offset` metres along a wegvak.
struct NetworkLocation {
  std::uint32_t wegvak = kNoWegvak;  ///< kNoWegvak for a junction
  double offset = 0.0;
  std::uint32_t node = 0;  ///< the junction when wegvak == kNoWegvak

  static NetworkLocation atJunction(std::uint32_t node) { return {kNoWegvak, 0.0, node}; }
  static NetworkLocation onWegvak(std::uint32_t w, double offset) { return {w, offset, 0}; }
  /// Not on this mode's network (a point too far from every road the mode may use): no trip
  /// leaves or arrives there, every pair with it is unreachable.
  static NetworkLocation nowhere() { return {kNowhere, 0.0, 0}; }
  bool isJunction() const { return wegvak == kNoWegvak; }
  bool isNowhere() const { return wegvak == kNowhere; }
};

/// A search start (or, for targets, an arrival tail): a node with a cost and other measure
/// already spent, and the part of a wegvak it covers (for route geometry).
struct Seed {
  std::uint32_t node = 0;
  double cost = 0.0;
  double other = 0.0;
  std::uint32_t label = 0;  ///< e.g. the base a multi-source search started from
  std::uint32_t wegvak = kNoWegvak;
  double fromOffset = 0.0, toOffset = 0.0;
};

/// The coordinate of a junction (the end of a wegvak that meets there).
Point junctionPoint(const SearchGraph& g, std::uint32_t node);

/// Seeds for leaving `loc` (appended to `out`).
void leavingSeeds(const SearchGraph& g, const NetworkLocation& loc, std::uint32_t label,
                  std::vector<Seed>& out);
/// Tails for arriving at `loc`: arriving at node n costs dist(n) + tail.cost.
void arrivingTails(const SearchGraph& g, const NetworkLocation& loc, std::vector<Seed>& out);
/// The direct trip along one wegvak between two locations on it, when the direction allows;
/// cost = kUnreachable otherwise.
Seed directTrip(const SearchGraph& g, const NetworkLocation& from, const NetworkLocation& to);

/// One Dijkstra search with buffers kept between runs (no O(n) clearing per run).
class ShortestPaths {
 public:
  explicit ShortestPaths(const SearchGraph& graph);

  /// Searches from `seeds`. Settles nodes in order of cost (ties: lower node first) until the
  /// cost exceeds `limit` or every node of `stopNodes` is settled.
  /// Checks `progress` for cancel every 65536 settled nodes.
  void run(std::span<const Seed> seeds, double limit = kUnreachable,
           std::span<const std::uint32_t> stopNodes = {}, Progress& progress = nullProgress());

  bool settled(std::uint32_t node) const { return stamp_[node] == settledStamp(); }
  /// Final cost of a settled node; kUnreachable for the others.
  double cost(std::uint32_t node) const { return settled(node) ? cost_[node] : kUnreachable; }
  double other(std::uint32_t node) const { return settled(node) ? other_[node] : kUnreachable; }
  std::uint32_t label(std::uint32_t node) const { return label_[node]; }
  /// The arc into a settled node on its shortest path, or -1 - (seed index) for a seed.
  std::int64_t parent(std::uint32_t node) const { return parent_[node]; }
  /// Nodes settled by the last run, in order.
  std::span<const std::uint32_t> settledNodes() const { return order_; }
  const SearchGraph& graph() const { return *graph_; }

  /// Best arrival at a location over `tails` (+ the direct trip when given); cost kUnreachable
  /// when not reached. Sets `tailIndex` to the tail used (-1 for the direct trip).
  Seed arrive(std::span<const Seed> tails, const Seed* direct, std::int64_t& tailIndex) const;

 private:
  std::uint32_t settledStamp() const { return run_ * 2 + 1; }
  std::uint32_t labelledStamp() const { return run_ * 2; }
  void nextRun();

  const SearchGraph* graph_;
  std::uint32_t run_ = 0;
  std::vector<std::uint32_t> stamp_;  // 2·run: labelled in this run; 2·run + 1: settled
  std::vector<double> cost_, other_;
  std::vector<std::uint32_t> label_;
  std::vector<std::int64_t> parent_;
  std::vector<std::uint32_t> stopStamp_;
  std::vector<std::uint32_t> order_;
  struct HeapItem {
    double cost;
    std::uint32_t node;
  };
  std::vector<HeapItem> heap_;
};

struct MatrixOptions {
  /// Worker threads over origins; 0 = all cores. Results do not depend on it.
  std::size_t threads = 0;
  void validate() const {}
};

/// Length (m) and time (s) of the cheapest trip (by the graph's cost) for every pair;
/// kUnreachable for unreachable pairs. Row-major: [i * cols + j].
struct MatrixResult {
  std::size_t rows = 0, cols = 0;
  std::vector<double> length, time;
  double lengthAt(std::size_t i, std::size_t j) const { return length[i * cols + j]; }
  double timeAt(std::size_t i, std::size_t j) const { return time[i * cols + j]; }
  std::size_t unreachable() const;
};

MatrixResult travelMatrix(const SearchGraph& graph, std::span<const NetworkLocation> from,
                          std::span<const NetworkLocation> to, const MatrixOptions& options = {},
                          Progress& progress = nullProgress());

struct Route {
  bool reachable = false;
  double length = kUnreachable;      ///< metres
  double time = kUnreachable;        ///< seconds
  std::vector<Point> line;           ///< along the roads, from the start point to the end point
  std::vector<std::int64_t> wvkIds;  ///< wegvakken used, in order (partial first/last included)
};

Route shortestRoute(const SearchGraph& graph, const NetworkLocation& from,
                    const NetworkLocation& to, Progress& progress = nullProgress());

}  // namespace veldwacht::geo
