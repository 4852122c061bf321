#include "geo/network/graph.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_set>

#include "geo/core/error.h"

namespace veldwacht::geo {
namespace {

double segmentLength(const Point& a, const Point& b) { return std::hypot(b.x - a.x, b.y - a.y); }

template <class T>
std::size_t bytesOf(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

}  // namespace

RoadNetwork RoadNetwork::build(std::span<const WegvakRecord> records, const NetworkOptions& options,
                               Progress& progress) {
  options.validate();
  ProgressStep step(progress, 0.0, 1.0, "building road network");
  const std::size_t n = records.size();
  if (n >= (std::size_t(1) << 31))
    throw InputError({options.source, std::nullopt, {}}, "too many wegvakken (max 2^31)");

  RoadNetwork g;
  // Junction ids → dense node indices (sorted, so the numbering does not depend on row order).
  g.junctionId_.reserve(2 * n);
  for (const auto& r : records) {
    g.junctionId_.push_back(r.junctionBegin);
    g.junctionId_.push_back(r.junctionEnd);
  }
  std::sort(g.junctionId_.begin(), g.junctionId_.end());
  g.junctionId_.erase(std::unique(g.junctionId_.begin(), g.junctionId_.end()), g.junctionId_.end());
  g.junctionId_.shrink_to_fit();

  g.wvkId_.resize(n);
  g.from_.resize(n);
  g.to_.resize(n);
  g.length_.resize(n);
  g.direction_.resize(n);
  g.kind_.resize(n);
  g.wegbeheerder_.resize(n);
  g.speed_.resize(n);
  g.lineStart_.resize(n + 1);
  std::size_t totalCoords = 0;
  for (const auto& r : records) totalCoords += r.line.size();
  g.coords_.reserve(totalCoords);

  std::size_t unknownBst = 0;
  std::string unknownExample;
  for (std::size_t i = 0; i < n; ++i) {
    const WegvakRecord& r = records[i];
    auto where = [&](const char* field) { return Location{options.source, r.wvkId, field}; };
    g.wvkId_[i] = r.wvkId;
    const auto dir = parseDirection(r.rijrichting);
    if (!dir)
      throw InputError(where("rijrichtng"),
                       "expected H, T, B, O or empty, got '" + r.rijrichting + "'");
    const auto authority = parseWegbeheerder(r.wegbeheerder);
    if (!authority)
      throw InputError(where("wegbehsrt"),
                       "expected R, P, G, W or T, got '" + r.wegbeheerder + "'");
    auto kind = roadKindOf(r.baansubsoort);
    if (!kind) {
      if (unknownBst++ == 0) unknownExample = r.baansubsoort;
      kind = RoadKind::Carriageway;
    }
    if (r.line.size() < 2)
      throw InputError(where("geometry"), "expected a line of at least two points");
    double len = 0.0;
    for (std::size_t k = 0; k < r.line.size(); ++k) {
      if (!std::isfinite(r.line[k].x) || !std::isfinite(r.line[k].y))
        throw InputError(where("geometry"), "non-finite coordinate");
      if (k) len += segmentLength(r.line[k - 1], r.line[k]);
    }
    if (!(r.speedLimitKmh >= 0.0) || !std::isfinite(r.speedLimitKmh))
      throw InputError(where("speed limit"), "expected a limit >= 0 km/h");
    g.from_[i] = std::uint32_t(
        std::lower_bound(g.junctionId_.begin(), g.junctionId_.end(), r.junctionBegin) -
        g.junctionId_.begin());
    g.to_[i] =
        std::uint32_t(std::lower_bound(g.junctionId_.begin(), g.junctionId_.end(), r.junctionEnd) -
                      g.junctionId_.begin());
    g.length_[i] = len;
    g.direction_[i] = *dir;
    g.kind_[i] = *kind;
    g.wegbeheerder_[i] = *authority;
    for (TravelMode m : kTravelModes)
      g.speed_[i][std::size_t(m)] = float(options.speeds.speedKmh(
          m, *kind, *authority, r.baansubsoort, r.builtUp, r.speedLimitKmh));
    g.lineStart_[i] = std::uint32_t(g.coords_.size());
    g.coords_.insert(g.coords_.end(), r.line.begin(), r.line.end());
    step.tick(i + 1, n);
  }
  g.lineStart_[n] = std::uint32_t(g.coords_.size());

  std::vector<std::int64_t> ids(g.wvkId_);
  std::sort(ids.begin(), ids.end());
  if (const auto dup = std::adjacent_find(ids.begin(), ids.end()); dup != ids.end())
    throw InputError({options.source, *dup, "wvk_id"}, "WVK_ID occurs more than once");
  if (unknownBst)
    g.warnings_.push_back(std::to_string(unknownBst) +
                          " wegvak(ken) with an unknown BST_CODE (e.g. '" + unknownExample +
                          "') were treated as RB (rijbaan)");
  step.done();
  return g;
}

bool RoadNetwork::allowsForward(std::uint32_t w, TravelMode m) const {
  if (speed_[w][std::size_t(m)] <= 0.0f) return false;
  return !modeKeepsDirection(m) || direction_[w] != Direction::Backward;
}

bool RoadNetwork::allowsBackward(std::uint32_t w, TravelMode m) const {
  if (speed_[w][std::size_t(m)] <= 0.0f) return false;
  return !modeKeepsDirection(m) || direction_[w] != Direction::Forward;
}

Point RoadNetwork::pointAt(std::uint32_t w, double offset) const {
  const auto pts = line(w);
  if (offset <= 0.0) return pts.front();
  double done = 0.0;
  for (std::size_t k = 1; k < pts.size(); ++k) {
    const double seg = segmentLength(pts[k - 1], pts[k]);
    if (done + seg >= offset && seg > 0.0) {
      const double t = (offset - done) / seg;
      return {pts[k - 1].x + t * (pts[k].x - pts[k - 1].x),
              pts[k - 1].y + t * (pts[k].y - pts[k - 1].y)};
    }
    done += seg;
  }
  return pts.back();
}

std::vector<Point> RoadNetwork::subLine(std::uint32_t w, double fromOffset, double toOffset) const {
  const bool reversed = fromOffset > toOffset;
  const double a = std::clamp(std::min(fromOffset, toOffset), 0.0, length_[w]);
  const double b = std::clamp(std::max(fromOffset, toOffset), 0.0, length_[w]);
  const auto pts = line(w);
  std::vector<Point> out;
  out.push_back(pointAt(w, a));
  double done = 0.0;
  for (std::size_t k = 1; k < pts.size(); ++k) {
    done += segmentLength(pts[k - 1], pts[k]);
    if (done > a && done < b) out.push_back(pts[k]);
  }
  out.push_back(pointAt(w, b));
  if (reversed) std::reverse(out.begin(), out.end());
  return out;
}

std::int64_t RoadNetwork::nodeOf(std::int64_t junction) const {
  const auto it = std::lower_bound(junctionId_.begin(), junctionId_.end(), junction);
  if (it == junctionId_.end() || *it != junction) return -1;
  return it - junctionId_.begin();
}

std::size_t RoadNetwork::memoryBytes() const {
  return bytesOf(junctionId_) + bytesOf(wvkId_) + bytesOf(from_) + bytesOf(to_) + bytesOf(length_) +
         bytesOf(direction_) + bytesOf(kind_) + bytesOf(wegbeheerder_) + bytesOf(speed_) +
         bytesOf(lineStart_) + bytesOf(coords_);
}

RoadNetwork::Arrays RoadNetwork::arrays() const {
  return {junctionId_, wvkId_,        from_,  to_,        length_, direction_,
          kind_,       wegbeheerder_, speed_, lineStart_, coords_};
}

RoadNetwork RoadNetwork::fromArrays(Arrays&& a) {
  const std::size_t n = a.wvkId.size();
  const Location where{"stored road network", std::nullopt, {}};
  if (a.from.size() != n || a.to.size() != n || a.length.size() != n || a.direction.size() != n ||
      a.kind.size() != n || a.wegbeheerder.size() != n || a.speed.size() != n ||
      a.lineStart.size() != n + 1 || (n && a.lineStart.back() != a.coords.size()))
    throw InputError(where, "array sizes do not match");
  if (!std::is_sorted(a.junctionId.begin(), a.junctionId.end()))
    throw InputError(where, "junction ids are not sorted");
  for (std::size_t i = 0; i < n; ++i) {
    if (a.from[i] >= a.junctionId.size() || a.to[i] >= a.junctionId.size())
      throw InputError({where.file, a.wvkId[i], "junction"}, "junction index out of range");
    if (a.lineStart[i + 1] < a.lineStart[i] + 2)
      throw InputError({where.file, a.wvkId[i], "geometry"}, "line with fewer than two points");
  }
  RoadNetwork g;
  g.junctionId_ = std::move(a.junctionId);
  g.wvkId_ = std::move(a.wvkId);
  g.from_ = std::move(a.from);
  g.to_ = std::move(a.to);
  g.length_ = std::move(a.length);
  g.direction_ = std::move(a.direction);
  g.kind_ = std::move(a.kind);
  g.wegbeheerder_ = std::move(a.wegbeheerder);
  g.speed_ = std::move(a.speed);
  g.lineStart_ = std::move(a.lineStart);
  if (g.lineStart_.empty()) g.lineStart_.push_back(0);
  g.coords_ = std::move(a.coords);
  return g;
}

SearchGraph::SearchGraph(const RoadNetwork& network, TravelMode mode, CostKind cost)
    : network_(&network), mode_(mode), cost_(cost) {
  const std::size_t nodes = network.nodeCount();
  const std::size_t w = network.wegvakCount();
  // Count arcs per tail, then fill (counting sort: arcs of a node keep wegvak order).
  outStart_.assign(nodes + 1, 0);
  for (std::uint32_t i = 0; i < w; ++i) {
    if (network.allowsForward(i, mode)) ++outStart_[network.from(i) + 1];
    if (network.allowsBackward(i, mode)) ++outStart_[network.to(i) + 1];
  }
  std::partial_sum(outStart_.begin(), outStart_.end(), outStart_.begin());
  const std::size_t arcs = outStart_.back();
  head_.resize(arcs);
  tail_.resize(arcs);
  wegvak_.resize(arcs);
  arcCost_.resize(arcs);
  other_.resize(arcs);
  std::vector<std::uint32_t> fill(outStart_.begin(), outStart_.end() - 1);
  for (std::uint32_t i = 0; i < w; ++i) {
    const double c = costPerMetre(i) * network.length(i);
    const double o = otherPerMetre(i) * network.length(i);
    auto add = [&](std::uint32_t t, std::uint32_t h, std::uint32_t backward) {
      const std::uint32_t a = fill[t]++;
      head_[a] = h;
      tail_[a] = t;
      wegvak_[a] = (i << 1) | backward;
      arcCost_[a] = c;
      other_[a] = o;
    };
    if (network.allowsForward(i, mode)) add(network.from(i), network.to(i), 0);
    if (network.allowsBackward(i, mode)) add(network.to(i), network.from(i), 1);
  }
  inStart_.assign(nodes + 1, 0);
  for (std::size_t a = 0; a < arcs; ++a) ++inStart_[head_[a] + 1];
  std::partial_sum(inStart_.begin(), inStart_.end(), inStart_.begin());
  inArc_.resize(arcs);
  fill.assign(inStart_.begin(), inStart_.end() - 1);
  for (std::uint32_t a = 0; a < arcs; ++a) inArc_[fill[head_[a]]++] = a;
}

double SearchGraph::costPerMetre(std::uint32_t w) const {
  const double kmh = network_->speedKmh(w, mode_);
  if (kmh <= 0.0) return 0.0;
  return cost_ == CostKind::Length ? 1.0 : 3.6 / kmh;
}

double SearchGraph::otherPerMetre(std::uint32_t w) const {
  const double kmh = network_->speedKmh(w, mode_);
  if (kmh <= 0.0) return 0.0;
  return cost_ == CostKind::Length ? 3.6 / kmh : 1.0;
}

std::size_t SearchGraph::memoryBytes() const {
  return bytesOf(outStart_) + bytesOf(head_) + bytesOf(tail_) + bytesOf(wegvak_) +
         bytesOf(arcCost_) + bytesOf(other_) + bytesOf(inStart_) + bytesOf(inArc_);
}

}  // namespace veldwacht::geo
