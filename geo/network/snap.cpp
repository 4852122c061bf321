#include "geo/network/snap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "geo/core/error.h"

namespace veldwacht::geo {
namespace {

// Distance from p to segment ab and the parameter t in [0, 1] of the nearest point.
double segmentDistance(const Point& p, const Point& a, const Point& b, double& t) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  t = len2 > 0.0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0) : 0.0;
  return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

}  // namespace

void SnapOptions::validate() const {
  if (!(maxDistance > 0.0)) throw OptionError("max_snap_distance", "expected a distance > 0 m");
}

Snapper::Snapper(const SearchGraph& graph, double cellSize) : graph_(&graph), cell_(cellSize) {
  if (!(cellSize > 0.0)) throw OptionError("cell_size", "expected a cell size > 0 m");
  const RoadNetwork& net = graph.network();
  Extent ext;
  for (std::uint32_t w = 0; w < net.wegvakCount(); ++w)
    if (graph.usable(w))
      for (const Point& p : net.line(w)) ext.include(p);
  if (ext.empty()) {
    cellStart_.assign(1, 0);
    return;
  }
  // Keep the grid at most ~4M cells whatever the extent.
  while ((ext.width() / cell_ + 1) * (ext.height() / cell_ + 1) > 4.0e6) cell_ *= 2.0;
  minX_ = ext.minX;
  minY_ = ext.minY;
  cols_ = std::int64_t(ext.width() / cell_) + 1;
  rows_ = std::int64_t(ext.height() / cell_) + 1;
  auto cellsOf = [&](const Point& a, const Point& b, auto&& f) {
    const std::int64_t c0 = std::int64_t((std::min(a.x, b.x) - minX_) / cell_);
    const std::int64_t c1 = std::int64_t((std::max(a.x, b.x) - minX_) / cell_);
    const std::int64_t r0 = std::int64_t((std::min(a.y, b.y) - minY_) / cell_);
    const std::int64_t r1 = std::int64_t((std::max(a.y, b.y) - minY_) / cell_);
    for (std::int64_t r = r0; r <= r1; ++r)
      for (std::int64_t c = c0; c <= c1; ++c) f(std::size_t(r * cols_ + c));
  };
  cellStart_.assign(std::size_t(cols_ * rows_) + 1, 0);
  for (std::uint32_t w = 0; w < net.wegvakCount(); ++w) {
    if (!graph.usable(w)) continue;
    const auto pts = net.line(w);
    for (std::size_t k = 1; k < pts.size(); ++k)
      cellsOf(pts[k - 1], pts[k], [&](std::size_t c) { ++cellStart_[c + 1]; });
  }
  for (std::size_t c = 1; c < cellStart_.size(); ++c) cellStart_[c] += cellStart_[c - 1];
  segments_.resize(cellStart_.back());
  std::vector<std::uint32_t> fill(cellStart_.begin(), cellStart_.end() - 1);
  for (std::uint32_t w = 0; w < net.wegvakCount(); ++w) {
    if (!graph.usable(w)) continue;
    const auto pts = net.line(w);
    double offset = 0.0;
    for (std::size_t k = 1; k < pts.size(); ++k) {
      const Segment s{w, std::uint32_t(k - 1), offset};
      cellsOf(pts[k - 1], pts[k], [&](std::size_t c) { segments_[fill[c]++] = s; });
      offset += std::hypot(pts[k].x - pts[k - 1].x, pts[k].y - pts[k - 1].y);
    }
  }
}

std::optional<Snap> Snapper::nearest(const Point& p, double maxDistance) const {
  if (segments_.empty()) return std::nullopt;
  const RoadNetwork& net = graph_->network();
  const std::int64_t pc = std::int64_t(std::floor((p.x - minX_) / cell_));
  const std::int64_t pr = std::int64_t(std::floor((p.y - minY_) / cell_));
  // Rings beyond the grid hold nothing: stop at the farthest grid cell.
  const std::int64_t farthest = std::max(
      {std::abs(pc), std::abs(pc - (cols_ - 1)), std::abs(pr), std::abs(pr - (rows_ - 1))});
  const double ringsNeeded = maxDistance / cell_ + 1.0;
  const std::int64_t maxRing =
      ringsNeeded >= double(farthest) ? farthest : std::int64_t(std::ceil(ringsNeeded));
  std::optional<Snap> best;
  auto visit = [&](std::int64_t c, std::int64_t r) {
    if (c < 0 || r < 0 || c >= cols_ || r >= rows_) return;
    const std::size_t cell = std::size_t(r * cols_ + c);
    for (std::uint32_t k = cellStart_[cell]; k < cellStart_[cell + 1]; ++k) {
      const Segment& s = segments_[k];
      const auto pts = net.line(s.wegvak);
      const Point& a = pts[s.index];
      const Point& b = pts[s.index + 1];
      double t = 0.0;
      const double d = segmentDistance(p, a, b, t);
      if (d > maxDistance) continue;
      // Land exactly on the junction at either end, so a point on a junction is one.
      const bool atEnd = t >= 1.0 && s.index + 2 == pts.size();
      const double off =
          atEnd ? net.length(s.wegvak)
                : std::min(net.length(s.wegvak), s.offset + t * std::hypot(b.x - a.x, b.y - a.y));
      const bool better =
          !best || d < best->distance ||
          (d == best->distance &&
           (s.wegvak < best->wegvak || (s.wegvak == best->wegvak && off < best->offset)));
      if (better) best = Snap{s.wegvak, off, {a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)}, d};
    }
  };
  for (std::int64_t ring = 0; ring <= maxRing; ++ring) {
    if (ring == 0) {
      visit(pc, pr);
    } else {
      for (std::int64_t c = pc - ring; c <= pc + ring; ++c) {
        visit(c, pr - ring);
        visit(c, pr + ring);
      }
      for (std::int64_t r = pr - ring + 1; r <= pr + ring - 1; ++r) {
        visit(pc - ring, r);
        visit(pc + ring, r);
      }
    }
    // Every segment not yet seen lies at least ring * cell away.
    if (best && best->distance < double(ring) * cell_) break;
  }
  return best;
}

std::vector<Snap> snapAll(const Snapper& snapper, std::span<const Point> points,
                          const TextColumn& keys, const SnapOptions& options) {
  options.validate();
  if (keys.size() != points.size()) throw OptionError("keys", "expected one key per point");
  std::vector<Snap> out;
  out.reserve(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    auto s = snapper.nearest(points[i], options.maxDistance);
    if (!s) {
      const auto far = snapper.nearest(points[i], std::numeric_limits<double>::infinity());
      std::ostringstream msg;
      msg.precision(1);
      msg << std::fixed;
      msg << "'" << keys[i] << "' ";
      if (far)
        msg << "is " << far->distance << " m from the nearest road usable by "
            << travelModeName(snapper.graph().mode()) << " (wegvak "
            << snapper.graph().network().wvkId(far->wegvak) << "); the limit is "
            << options.maxDistance << " m";
      else
        msg << "no road usable by " << travelModeName(snapper.graph().mode()) << " in the network";
      throw InputError({options.layer, std::int64_t(i + 1), "geometry"}, msg.str());
    }
    out.push_back(*s);
  }
  return out;
}

ModeSnappers::ModeSnappers(std::span<const SearchGraph* const> graphs, double cellSize) {
  snappers_.reserve(graphs.size());
  for (const SearchGraph* g : graphs) {
    if (!g) throw OptionError("graphs", "expected a search graph per travel mode, got none");
    if (&g->network() != &graphs.front()->network())
      throw OptionError("graphs", "expected the graphs of one road network");
    snappers_.emplace_back(*g, cellSize);
  }
}

std::vector<std::optional<Snap>> ModeSnappers::snap(const Point& p, double maxDistance) const {
  std::vector<std::optional<Snap>> out;
  out.reserve(snappers_.size());
  for (const Snapper& s : snappers_) out.push_back(s.nearest(p, maxDistance));
  return out;
}

std::vector<NetworkLocation> ModeSnappers::locate(const Point& p, double maxDistance) const {
  std::vector<NetworkLocation> out;
  out.reserve(snappers_.size());
  for (const Snapper& s : snappers_) {
    const auto hit = s.nearest(p, maxDistance);
    out.push_back(hit ? NetworkLocation::onWegvak(hit->wegvak, hit->offset)
                      : NetworkLocation::nowhere());
  }
  return out;
}

}  // namespace veldwacht::geo
