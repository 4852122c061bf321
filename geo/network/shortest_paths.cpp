#include "geo/network/shortest_paths.h"

#include <algorithm>
#include <atomic>
#include <cmath>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "geo/core/error.h"

namespace veldwacht::geo {
namespace {

bool heapLess(double ca, std::uint32_t na, double cb, std::uint32_t nb) {
  return ca < cb || (ca == cb && na < nb);
}

}  // namespace

Point junctionPoint(const SearchGraph& g, std::uint32_t node) {
  const RoadNetwork& net = g.network();
  if (g.outBegin(node) < g.outEnd(node)) {
    const std::uint32_t a = g.outBegin(node);
    const auto line = net.line(g.wegvak(a));
    return g.alongLine(a) ? line.front() : line.back();
  }
  if (g.inBegin(node) < g.inEnd(node)) {
    const std::uint32_t a = g.inArc(g.inBegin(node));
    const auto line = net.line(g.wegvak(a));
    return g.alongLine(a) ? line.back() : line.front();
  }
  for (std::uint32_t w = 0; w < net.wegvakCount(); ++w) {
    if (net.from(w) == node) return net.line(w).front();
    if (net.to(w) == node) return net.line(w).back();
  }
  return {};
}

void leavingSeeds(const SearchGraph& g, const NetworkLocation& loc, std::uint32_t label,
                  std::vector<Seed>& out) {
  if (loc.isNowhere()) return;
  if (loc.isJunction()) {
    out.push_back({loc.node, 0.0, 0.0, label, kNoWegvak, 0.0, 0.0});
    return;
  }
  const RoadNetwork& net = g.network();
  const std::uint32_t w = loc.wegvak;
  const double len = net.length(w);
  const double s = std::clamp(loc.offset, 0.0, len);
  const double c = g.costPerMetre(w), o = g.otherPerMetre(w);
  // Standing on a junction needs no travel to it, whatever the direction.
  if (s == 0.0) out.push_back({net.from(w), 0.0, 0.0, label, w, 0.0, 0.0});
  if (s == len) out.push_back({net.to(w), 0.0, 0.0, label, w, len, len});
  if (g.forwardAllowed(w) && s < len)
    out.push_back({net.to(w), (len - s) * c, (len - s) * o, label, w, s, len});
  if (g.backwardAllowed(w) && s > 0.0) out.push_back({net.from(w), s * c, s * o, label, w, s, 0.0});
}

void arrivingTails(const SearchGraph& g, const NetworkLocation& loc, std::vector<Seed>& out) {
  if (loc.isNowhere()) return;
  if (loc.isJunction()) {
    out.push_back({loc.node, 0.0, 0.0, 0, kNoWegvak, 0.0, 0.0});
    return;
  }
  const RoadNetwork& net = g.network();
  const std::uint32_t w = loc.wegvak;
  const double len = net.length(w);
  const double s = std::clamp(loc.offset, 0.0, len);
  const double c = g.costPerMetre(w), o = g.otherPerMetre(w);
  if (s == 0.0) out.push_back({net.from(w), 0.0, 0.0, 0, w, 0.0, 0.0});
  if (s == len) out.push_back({net.to(w), 0.0, 0.0, 0, w, len, len});
  if (g.forwardAllowed(w) && s > 0.0) out.push_back({net.from(w), s * c, s * o, 0, w, 0.0, s});
  if (g.backwardAllowed(w) && s < len)
    out.push_back({net.to(w), (len - s) * c, (len - s) * o, 0, w, len, s});
}

Seed directTrip(const SearchGraph& g, const NetworkLocation& from, const NetworkLocation& to) {
  Seed d{0, kUnreachable, kUnreachable, 0, kNoWegvak, 0.0, 0.0};
  if (from.isNowhere() || to.isNowhere()) return d;
  if (from.isJunction() || to.isJunction()) {
    if (from.isJunction() && to.isJunction() && from.node == to.node) d.cost = d.other = 0.0;
    return d;
  }
  if (from.wegvak != to.wegvak) return d;
  const std::uint32_t w = from.wegvak;
  const double len = g.network().length(w);
  const double s = std::clamp(from.offset, 0.0, len), t = std::clamp(to.offset, 0.0, len);
  const bool ok = s == t || (t > s && g.forwardAllowed(w)) || (t < s && g.backwardAllowed(w));
  if (!ok) return d;
  d.cost = std::abs(t - s) * g.costPerMetre(w);
  d.other = std::abs(t - s) * g.otherPerMetre(w);
  d.wegvak = w;
  d.fromOffset = s;
  d.toOffset = t;
  return d;
}

ShortestPaths::ShortestPaths(const SearchGraph& graph)
    : graph_(&graph),
      stamp_(graph.nodeCount(), 0),
      cost_(graph.nodeCount(), kUnreachable),
      other_(graph.nodeCount(), kUnreachable),
      label_(graph.nodeCount(), 0),
      parent_(graph.nodeCount(), -1),
      stopStamp_(graph.nodeCount(), 0) {}

void ShortestPaths::nextRun() {
  if (run_ >= 0x7FFFFFF0u) {
    std::fill(stamp_.begin(), stamp_.end(), 0u);
    std::fill(stopStamp_.begin(), stopStamp_.end(), 0u);
    run_ = 0;
  }
  ++run_;
  order_.clear();
  heap_.clear();
}

void ShortestPaths::run(std::span<const Seed> seeds, double limit,
                        std::span<const std::uint32_t> stopNodes, Progress& progress) {
  nextRun();
  const SearchGraph& g = *graph_;
  auto heapCmp = [](const HeapItem& a, const HeapItem& b) {
    return heapLess(b.cost, b.node, a.cost, a.node);  // min-heap
  };
  auto push = [&](std::uint32_t node, double c) {
    heap_.push_back({c, node});
    std::push_heap(heap_.begin(), heap_.end(), heapCmp);
  };
  auto relax = [&](std::uint32_t v, double c, double o, std::uint32_t lab, std::int64_t par) {
    if (stamp_[v] == settledStamp()) return;
    if (stamp_[v] != labelledStamp() || c < cost_[v] || (c == cost_[v] && lab < label_[v])) {
      const bool improved = stamp_[v] != labelledStamp() || c < cost_[v];
      stamp_[v] = labelledStamp();
      cost_[v] = c;
      other_[v] = o;
      label_[v] = lab;
      parent_[v] = par;
      if (improved) push(v, c);
    }
  };
  for (std::size_t i = 0; i < seeds.size(); ++i)
    if (seeds[i].cost <= limit)
      relax(seeds[i].node, seeds[i].cost, seeds[i].other, seeds[i].label, -1 - std::int64_t(i));

  std::size_t stopsLeft = 0;
  for (const std::uint32_t n : stopNodes)
    if (stopStamp_[n] != run_) {
      stopStamp_[n] = run_;
      ++stopsLeft;
    }
  const bool stopEarly = !stopNodes.empty();

  while (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), heapCmp);
    const HeapItem top = heap_.back();
    heap_.pop_back();
    const std::uint32_t u = top.node;
    if (stamp_[u] == settledStamp() || top.cost != cost_[u]) continue;  // stale entry
    if (top.cost > limit) break;
    stamp_[u] = settledStamp();
    order_.push_back(u);
    if ((order_.size() & 0xFFFFu) == 0) progress.checkCancelled();
    if (stopEarly && stopStamp_[u] == run_ && --stopsLeft == 0) break;
    const double cu = cost_[u], ou = other_[u];
    const std::uint32_t lu = label_[u];
    for (std::uint32_t a = g.outBegin(u), e = g.outEnd(u); a < e; ++a) {
      const double c = cu + g.cost(a);
      if (c <= limit) relax(g.head(a), c, ou + g.other(a), lu, a);
    }
  }
}

Seed ShortestPaths::arrive(std::span<const Seed> tails, const Seed* direct,
                           std::int64_t& tailIndex) const {
  Seed best{0, kUnreachable, kUnreachable, 0, kNoWegvak, 0.0, 0.0};
  tailIndex = -2;
  if (direct && direct->cost < kUnreachable) {
    best = *direct;
    tailIndex = -1;
  }
  for (std::size_t k = 0; k < tails.size(); ++k) {
    const Seed& t = tails[k];
    if (!settled(t.node)) continue;
    const double c = cost_[t.node] + t.cost;
    if (c < best.cost) {
      best = t;
      best.cost = c;
      best.other = other_[t.node] + t.other;
      best.label = label_[t.node];
      tailIndex = std::int64_t(k);
    }
  }
  return best;
}

std::size_t MatrixResult::unreachable() const {
  return std::size_t(std::count(length.begin(), length.end(), kUnreachable));
}

MatrixResult travelMatrix(const SearchGraph& graph, std::span<const NetworkLocation> from,
                          std::span<const NetworkLocation> to, const MatrixOptions& options,
                          Progress& progress) {
  options.validate();
  MatrixResult r;
  r.rows = from.size();
  r.cols = to.size();
  r.length.assign(r.rows * r.cols, kUnreachable);
  r.time.assign(r.rows * r.cols, kUnreachable);
  if (r.rows == 0 || r.cols == 0) return r;

  // Arrival tails of every target, and the nodes the searches must settle before they stop.
  std::vector<Seed> tails;
  std::vector<std::size_t> tailStart{0};
  for (const auto& t : to) {
    arrivingTails(graph, t, tails);
    tailStart.push_back(tails.size());
  }
  std::vector<std::uint32_t> stopNodes;
  for (const Seed& t : tails) stopNodes.push_back(t.node);
  std::sort(stopNodes.begin(), stopNodes.end());
  stopNodes.erase(std::unique(stopNodes.begin(), stopNodes.end()), stopNodes.end());

  const bool timeCost = graph.costKind() == CostKind::Time;
  ProgressStep step(progress, 0.0, 1.0, "travel-time matrix");
  std::atomic<std::size_t> done{0};
  tbb::enumerable_thread_specific<ShortestPaths> engines([&] { return ShortestPaths(graph); });
  auto oneOrigin = [&](std::size_t i) {
    ShortestPaths& sp = engines.local();
    std::vector<Seed> seeds;
    leavingSeeds(graph, from[i], 0, seeds);
    sp.run(seeds, kUnreachable, stopNodes, progress);
    for (std::size_t j = 0; j < r.cols; ++j) {
      const Seed direct = directTrip(graph, from[i], to[j]);
      std::int64_t used = 0;
      const Seed best = sp.arrive(
          std::span<const Seed>(tails).subspan(tailStart[j], tailStart[j + 1] - tailStart[j]),
          &direct, used);
      if (best.cost == kUnreachable) continue;
      r.length[i * r.cols + j] = timeCost ? best.other : best.cost;
      r.time[i * r.cols + j] = timeCost ? best.cost : best.other;
    }
    step.tick(++done, r.rows);
  };
  const int threads =
      options.threads ? int(options.threads) : tbb::this_task_arena::max_concurrency();
  if (threads == 1) {
    for (std::size_t i = 0; i < r.rows; ++i) oneOrigin(i);
  } else {
    tbb::task_arena arena(threads);
    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, r.rows, 1),
                        [&](const tbb::blocked_range<std::size_t>& range) {
                          for (std::size_t i = range.begin(); i < range.end(); ++i) oneOrigin(i);
                        });
    });
  }
  step.done();
  return r;
}

Route shortestRoute(const SearchGraph& graph, const NetworkLocation& from,
                    const NetworkLocation& to, Progress& progress) {
  ProgressStep step(progress, 0.0, 1.0, "route");
  const RoadNetwork& net = graph.network();
  std::vector<Seed> seeds, tails;
  leavingSeeds(graph, from, 0, seeds);
  arrivingTails(graph, to, tails);
  std::vector<std::uint32_t> stopNodes;
  for (const Seed& t : tails) stopNodes.push_back(t.node);
  ShortestPaths sp(graph);
  sp.run(seeds, kUnreachable, stopNodes, progress);
  const Seed direct = directTrip(graph, from, to);
  std::int64_t used = 0;
  const Seed best = sp.arrive(tails, &direct, used);
  Route route;
  if (best.cost == kUnreachable) return route;
  const bool timeCost = graph.costKind() == CostKind::Time;
  route.reachable = true;
  route.length = timeCost ? best.other : best.cost;
  route.time = timeCost ? best.cost : best.other;

  // Pieces in reverse order: the last partial wegvak, the arcs back to a seed, the first part.
  std::vector<std::pair<std::uint32_t, std::pair<double, double>>> pieces;
  auto addPiece = [&](std::uint32_t w, double a, double b) {
    if (w != kNoWegvak && a != b) pieces.push_back({w, {a, b}});
  };
  if (used == -1) {
    addPiece(best.wegvak, best.fromOffset, best.toOffset);
  } else {
    addPiece(best.wegvak, best.fromOffset, best.toOffset);
    std::uint32_t node = best.node;
    while (sp.parent(node) >= 0) {
      const auto a = std::uint32_t(sp.parent(node));
      const std::uint32_t w = graph.wegvak(a);
      if (graph.alongLine(a))
        addPiece(w, 0.0, net.length(w));
      else
        addPiece(w, net.length(w), 0.0);
      node = graph.tail(a);
    }
    const Seed& first = seeds[std::size_t(-1 - sp.parent(node))];
    addPiece(first.wegvak, first.fromOffset, first.toOffset);
  }
  std::reverse(pieces.begin(), pieces.end());
  for (const auto& [w, range] : pieces) {
    const auto part = net.subLine(w, range.first, range.second);
    auto begin = part.begin();
    if (!route.line.empty() && route.line.back() == part.front()) ++begin;
    route.line.insert(route.line.end(), begin, part.end());
    route.wvkIds.push_back(net.wvkId(w));
  }
  if (route.line.empty()) {  // start and end coincide
    const Point p =
        from.isJunction() ? junctionPoint(graph, from.node) : net.pointAt(from.wegvak, from.offset);
    route.line = {p, p};
  }
  if (route.line.size() == 1) route.line.push_back(route.line.front());
  step.done();
  return route;
}

}  // namespace veldwacht::geo
