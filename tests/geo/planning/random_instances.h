// Seeded random planning instances and an exhaustive solver for tiny ones (tests only).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "geo/planning/instances.h"

namespace veldwacht::geo::testing {

struct RandomSpec {
  std::size_t sites = 8;
  std::size_t routes = 2;
  bool windows = true;
  bool skills = true;
  bool mandatory = false;
  bool groups = false;  ///< the first half of the sites in pairs of alternatives (0-1, 2-3, ...)
};

/// Sites and depots on a 100 x 100 square, travel time = Euclidean distance rounded up (whole
/// numbers that keep the triangle inequality),
/// integer scores 1..10, dwell 2..10, windows of 30..150 inside the day for about half the sites,
/// skills (bit 0 or 1) for about a third, shifts of 120..220 with own bases.
inline PlanInstance randomInstance(std::uint64_t seed, const RandomSpec& spec) {
  std::mt19937_64 rng(seed);
  auto uni = [&](double a, double b) { return a + (b - a) * double(rng() >> 11) * 0x1.0p-53; };
  auto pick = [&](std::size_t n) { return std::size_t(rng() % n); };
  PlanInstance inst;
  const std::size_t depots = spec.routes;  // one base per route
  inst.nodes = spec.sites + depots;
  std::vector<double> x(inst.nodes), y(inst.nodes);
  for (std::size_t i = 0; i < inst.nodes; ++i) {
    x[i] = uni(0, 100);
    y[i] = uni(0, 100);
  }
  inst.times.resize(inst.nodes * inst.nodes);
  for (std::size_t i = 0; i < inst.nodes; ++i)
    for (std::size_t j = 0; j < inst.nodes; ++j)
      inst.times[i * inst.nodes + j] = std::ceil(std::hypot(x[i] - x[j], y[i] - y[j]));
  for (std::size_t j = 0; j < spec.sites; ++j) {
    PlanSite s;
    s.node = j;
    s.score = double(1 + pick(10));
    s.service = double(2 + pick(9));
    if (spec.windows && pick(2) == 0) {
      s.open = std::round(uni(0, 200));
      s.close = s.open + std::round(uni(30, 150));
    }
    if (spec.skills && pick(3) == 0) s.skills = SkillMask{1} << pick(2);
    s.mandatory = spec.mandatory && pick(6) == 0;
    if (spec.groups && j < spec.sites / 2 * 2 / 2) s.group = std::int64_t(j / 2);
    inst.sites.push_back(s);
  }
  for (std::size_t k = 0; k < spec.routes; ++k) {
    PlanRoute r;
    r.startNode = spec.sites + k;
    r.endNode = spec.sites + (pick(3) == 0 ? pick(depots) : k);
    r.start = std::round(uni(0, 60));
    r.end = r.start + std::round(uni(120, 220));
    r.skills =
        spec.skills ? (SkillMask{1} << pick(2)) | (pick(2) ? SkillMask{4} : 0) : ~SkillMask{0};
    inst.routes.push_back(r);
  }
  return inst;
}

struct BruteForceValue {
  int mandatory = -1;  ///< -1 = no feasible plan
  double score = 0.0;
  int visits = 0;
  bool operator<(const BruteForceValue& o) const {
    if (mandatory != o.mandatory) return mandatory < o.mandatory;
    if (score != o.score) return score < o.score;
    return visits < o.visits;
  }
};

/// Exhaustive optimum (mandatory visits, score, visits) by dynamic programming over subsets:
/// per route, the earliest departure from the last site of every (subset, last site) — with
/// "start of service within the window" waiting never helps later — then the best split of the
/// sites over the routes (3^n). Plans that miss a mandatory site are allowed (they count fewer).
/// With `matrices` (one per travel mode) route k travels on matrices[route.matrix]; sites in a
/// route's `excluded` list are never put on it.
inline BruteForceValue bruteForceOptimum(const PlanInstance& inst,
                                         const std::vector<std::vector<double>>& matrices = {}) {
  const std::size_t n = inst.sites.size(), full = std::size_t{1} << n;
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<std::vector<char>> feasible(inst.routes.size(), std::vector<char>(full, 0));
  for (std::size_t k = 0; k < inst.routes.size(); ++k) {
    const auto& r = inst.routes[k];
    const double rEnd = std::min(r.end, r.start + r.maxDuration);
    const std::vector<double>& times = matrices.empty() ? inst.times : matrices.at(r.matrix);
    auto t = [&](std::size_t a, std::size_t b) { return times[a * inst.nodes + b]; };
    auto barred = [&](std::size_t j) {
      return std::find(r.excluded.begin(), r.excluded.end(), j) != r.excluded.end();
    };
    std::vector<double> f(full * n, inf);
    for (std::size_t j = 0; j < n; ++j) {
      const auto& s = inst.sites[j];
      if ((s.skills & ~r.skills) != 0 || barred(j)) continue;
      const double a = r.start + t(r.startNode, s.node);
      if (a <= s.close) f[(std::size_t{1} << j) * n + j] = std::max(a, s.open) + s.service;
    }
    feasible[k][0] = r.start + t(r.startNode, r.endNode) <= rEnd;
    for (std::size_t mask = 1; mask < full; ++mask)
      for (std::size_t j = 0; j < n; ++j) {
        const double dep = f[mask * n + j];
        if (dep == inf) continue;
        if (dep + t(inst.sites[j].node, r.endNode) <= rEnd) feasible[k][mask] = 1;
        for (std::size_t l = 0; l < n; ++l) {
          if (mask & (std::size_t{1} << l)) continue;
          const auto& s = inst.sites[l];
          if ((s.skills & ~r.skills) != 0 || barred(l)) continue;
          const double a = dep + t(inst.sites[j].node, s.node);
          if (a > s.close) continue;
          double& g = f[(mask | (std::size_t{1} << l)) * n + l];
          g = std::min(g, std::max(a, s.open) + s.service);
        }
      }
  }
  auto value = [&](std::size_t mask) {
    BruteForceValue v{0, 0.0, 0};
    for (std::size_t j = 0; j < n; ++j)
      if (mask & (std::size_t{1} << j)) {
        v.mandatory += inst.sites[j].mandatory ? 1 : 0;
        v.score += inst.sites[j].score;
        ++v.visits;
      }
    return v;
  };
  // h[mask] = best value of routes k.. using only sites in mask, built from the last route back.
  std::vector<BruteForceValue> h(full, BruteForceValue{0, 0.0, 0});
  for (std::size_t k = inst.routes.size(); k-- > 0;) {
    std::vector<BruteForceValue> next(full, BruteForceValue{});
    for (std::size_t mask = 0; mask < full; ++mask) {
      for (std::size_t sub = mask;; sub = (sub - 1) & mask) {
        if (feasible[k][sub] && h[mask & ~sub].mandatory >= 0) {
          BruteForceValue v = value(sub), rest = h[mask & ~sub];
          v.mandatory += rest.mandatory;
          v.score += rest.score;
          v.visits += rest.visits;
          if (next[mask] < v) next[mask] = v;
        }
        if (sub == 0) break;
      }
    }
    h = std::move(next);
  }
  return h[full - 1];
}

}  // namespace veldwacht::geo::testing
