#include "geo/network/connectivity.h"

#include <algorithm>
#include <numeric>

#include "geo/core/error.h"

namespace veldwacht::geo {

void ConnectivityOptions::validate() const {
  if (smallComponentJunctions == 0)
    throw OptionError("small_component_junctions", "expected at least 1 junction");
}

namespace {

// Weak components by union-find over the usable arcs.
std::size_t weakComponents(const SearchGraph& g, std::vector<std::int32_t>& comp,
                           std::vector<std::uint32_t>& size, ProgressStep& step) {
  const std::size_t n = g.nodeCount();
  std::vector<std::uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  auto find = [&](std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  std::vector<bool> used(n, false);
  for (std::uint32_t a = 0; a < g.arcCount(); ++a) {
    const std::uint32_t t = g.tail(a), h = g.head(a);
    used[t] = used[h] = true;
    const std::uint32_t rt = find(t), rh = find(h);
    if (rt != rh) parent[std::max(rt, rh)] = std::min(rt, rh);
    step.tick(a + 1, 2 * g.arcCount());
  }
  comp.assign(n, -1);
  size.assign(n, 0);
  std::vector<std::int32_t> idOfRoot(n, -1);
  std::int32_t next = 0;
  std::vector<std::uint32_t> sizes;
  for (std::uint32_t v = 0; v < n; ++v) {
    if (!used[v]) continue;
    const std::uint32_t r = find(v);
    if (idOfRoot[r] < 0) {
      idOfRoot[r] = next++;
      sizes.push_back(0);
    }
    comp[v] = idOfRoot[r];
    ++sizes[std::size_t(comp[v])];
  }
  for (std::uint32_t v = 0; v < n; ++v)
    if (comp[v] >= 0) size[v] = sizes[std::size_t(comp[v])];
  return std::size_t(next);
}

// Strong components (Kosaraju): finishing order on the forward arcs, then sweeps on the reverse
// arcs in reverse finishing order. Iterative, so long chains cannot overflow the stack.
std::size_t strongComponents(const SearchGraph& g, const std::vector<std::int32_t>& weak,
                             std::vector<std::int32_t>& comp, ProgressStep& step) {
  const std::size_t n = g.nodeCount();
  std::vector<std::uint32_t> finish;
  finish.reserve(n);
  std::vector<bool> seen(n, false);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> stack;  // node, next arc
  for (std::uint32_t s = 0; s < n; ++s) {
    if (seen[s] || weak[s] < 0) continue;
    seen[s] = true;
    stack.push_back({s, g.outBegin(s)});
    while (!stack.empty()) {
      auto& [u, next] = stack.back();
      if (next < g.outEnd(u)) {
        const std::uint32_t v = g.head(next++);
        if (!seen[v]) {
          seen[v] = true;
          stack.push_back({v, g.outBegin(v)});
        }
      } else {
        finish.push_back(u);
        stack.pop_back();
      }
    }
  }
  comp.assign(n, -1);
  std::int32_t next = 0;
  std::vector<std::uint32_t> todo;
  for (std::size_t k = finish.size(); k-- > 0;) {
    const std::uint32_t s = finish[k];
    if (comp[s] >= 0) continue;
    comp[s] = next;
    todo.push_back(s);
    while (!todo.empty()) {
      const std::uint32_t v = todo.back();
      todo.pop_back();
      for (std::uint32_t i = g.inBegin(v); i < g.inEnd(v); ++i) {
        const std::uint32_t u = g.tail(g.inArc(i));
        if (comp[u] < 0) {
          comp[u] = next;
          todo.push_back(u);
        }
      }
    }
    ++next;
    step.tick(finish.size() - k + finish.size(), 2 * finish.size());
  }
  return std::size_t(next);
}

}  // namespace

ConnectivityReport connectivity(const SearchGraph& g, const ConnectivityOptions& options,
                                Progress& progress) {
  options.validate();
  ConnectivityReport r;
  ProgressStep step(progress, 0.0, 1.0, "connectivity");
  const RoadNetwork& net = g.network();
  const std::size_t n = g.nodeCount();
  r.weakComponents = weakComponents(g, r.weakOf, r.weakSize, step);
  r.strongComponents = strongComponents(g, r.weakOf, r.strongOf, step);
  std::vector<std::uint32_t> strongSize(r.strongComponents, 0);
  std::int32_t largestWeakId = -1;
  for (std::uint32_t v = 0; v < n; ++v) {
    if (r.weakOf[v] < 0) continue;
    ++r.junctions;
    if (r.weakSize[v] > r.largestWeak) {
      r.largestWeak = r.weakSize[v];
      largestWeakId = r.weakOf[v];
    }
    ++strongSize[std::size_t(r.strongOf[v])];
  }
  for (std::size_t c = 0; c < strongSize.size(); ++c)
    if (strongSize[c] > r.largestStrong) {
      r.largestStrong = strongSize[c];
      r.largestStrongId = std::int32_t(c);
    }
  // Dead ends: one usable wegvak meets the junction (a wegvak counted once even if both ways).
  std::vector<std::uint32_t> degree(n, 0);
  for (std::uint32_t w = 0; w < net.wegvakCount(); ++w) {
    if (!g.usable(w)) continue;
    ++degree[net.from(w)];
    ++degree[net.to(w)];
  }
  for (std::uint32_t v = 0; v < n; ++v) {
    if (degree[v] == 1) {
      ++r.deadEnds;
      if (r.deadEndJunctions.size() < options.maxListed)
        r.deadEndJunctions.push_back(net.junctionId(v));
    }
    if (r.weakOf[v] >= 0 && r.weakOf[v] == largestWeakId && r.strongOf[v] != r.largestStrongId) {
      ++r.trapJunctions;
      if (r.trapJunctionIds.size() < options.maxListed)
        r.trapJunctionIds.push_back(net.junctionId(v));
    }
  }
  step.done();
  return r;
}

std::vector<std::string> ConnectivityReport::summary() const {
  return {std::to_string(junctions) + " junctions in " + std::to_string(weakComponents) +
              " island(s); the largest has " + std::to_string(largestWeak),
          std::to_string(strongComponents) + " strongly connected component(s); the largest has " +
              std::to_string(largestStrong) + " junctions",
          std::to_string(deadEnds) + " dead end(s)",
          std::to_string(trapJunctions) + " junction(s) in one-way traps on the main island"};
}

std::optional<std::string> snapWarning(const ConnectivityReport& report, const SearchGraph& g,
                                       const NetworkLocation& loc, const std::string& layer,
                                       const std::string& key, const ConnectivityOptions& options) {
  if (loc.isNowhere()) return layer + " " + key + ": not on the network of this mode";
  const std::uint32_t node = loc.isJunction() ? loc.node : g.network().from(loc.wegvak);
  if (node >= report.weakOf.size() || report.weakOf[node] < 0)
    return layer + " " + key + ": snaps to a junction no usable road meets";
  const std::uint32_t size = report.weakSize[node];
  if (size < options.smallComponentJunctions && size < report.largestWeak)
    return layer + " " + key + ": snaps into a small island of " + std::to_string(size) +
           " junction(s), cut off from the main network (" + std::to_string(report.largestWeak) +
           " junctions)";
  if (report.strongOf[node] != report.largestStrongId && size == report.largestWeak)
    return layer + " " + key +
           ": snaps into a one-way trap (one can drive there and not back, or the reverse)";
  return std::nullopt;
}

}  // namespace veldwacht::geo
