// Balanced workload between partners (PlanOptions::balanceWorkload): a local search after the
// large-neighbourhood search that keeps every visit and only changes who makes it.
#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "geo/planning/lns.h"

namespace veldwacht::geo::planning_detail {

namespace {

/// Sorted workloads (largest first) and the travel: smaller is better, compared
/// lexicographically with a relative tolerance.
struct BalanceKey {
  std::vector<double> loads;
  double travel = 0.0;
};

int compareKeys(const BalanceKey& a, const BalanceKey& b) {
  auto cmp = [](double x, double y) {
    const double tol = 1e-9 * std::max({1.0, std::abs(x), std::abs(y)});
    return x < y - tol ? -1 : (y < x - tol ? 1 : 0);
  };
  for (std::size_t i = 0; i < a.loads.size(); ++i)
    if (const int c = cmp(a.loads[i], b.loads[i])) return c;
  return cmp(a.travel, b.travel);
}

double dwellOf(const Instance& in, const std::vector<int>& seq) {
  double d = 0.0;
  for (int j : seq) d += in.service[std::size_t(j)];
  return d;
}

}  // namespace

void balanceWorkload(const Instance& in, std::span<const std::size_t> partnerOf, Solution& s) {
  const std::size_t nPartners =
      partnerOf.empty() ? 0 : *std::max_element(partnerOf.begin(), partnerOf.end()) + 1;
  if (nPartners < 2) return;
  std::vector<double> routeLoad(in.nRoutes), partnerLoad(nPartners, 0.0);
  for (std::size_t k = 0; k < in.nRoutes; ++k) {
    routeLoad[k] = s.routes[k].travel + dwellOf(in, s.routes[k].seq);
    partnerLoad[partnerOf[k]] += routeLoad[k];
  }
  double travel = 0.0;
  for (const auto& r : s.routes) travel += r.travel;
  auto keyOf = [&](const std::vector<double>& loads, double t) {
    BalanceKey key{loads, t};
    std::sort(key.loads.begin(), key.loads.end(), std::greater<>());
    return key;
  };
  BalanceKey current = keyOf(partnerLoad, travel);

  // A candidate: routes a and b get new sequences with the given travel times.
  struct Move {
    std::size_t a = 0, b = 0;
    std::vector<int> seqA, seqB;
    double travelA = 0.0, travelB = 0.0;
  };
  auto evaluate = [&](const Move& m) {
    std::vector<double> loads = partnerLoad;
    const double newA = m.travelA + dwellOf(in, m.seqA), newB = m.travelB + dwellOf(in, m.seqB);
    loads[partnerOf[m.a]] += newA - routeLoad[m.a];
    loads[partnerOf[m.b]] += newB - routeLoad[m.b];
    return keyOf(loads,
                 travel - s.routes[m.a].travel - s.routes[m.b].travel + m.travelA + m.travelB);
  };

  // Each sweep tries, for every visit, the best relocation to another partner's route and the
  // best swap with a visit of another partner's route, and applies the best move found if it
  // improves the key. The key strictly decreases, so the search ends; the sweep cap bounds it.
  const std::size_t maxSweeps = 50 + 4 * in.nSites;
  for (std::size_t sweep = 0; sweep < maxSweeps; ++sweep) {
    bool found = false;
    Move best;
    BalanceKey bestKey = current;
    auto consider = [&](Move&& m) {
      const BalanceKey key = evaluate(m);
      if (compareKeys(key, bestKey) < 0) {
        bestKey = key;
        best = std::move(m);
        found = true;
      }
    };
    for (std::size_t a = 0; a < in.nRoutes; ++a) {
      const std::vector<int>& seqA = s.routes[a].seq;
      for (std::size_t i = 0; i < seqA.size(); ++i) {
        const auto j = std::size_t(seqA[i]);
        std::vector<int> without = seqA;
        without.erase(without.begin() + std::ptrdiff_t(i));
        double travelWithout = 0.0;
        const bool withoutOk = sequenceFeasible(in, a, without, &travelWithout);
        for (std::size_t b = 0; b < in.nRoutes; ++b) {
          if (partnerOf[b] == partnerOf[a] || !in.can(b, j)) continue;
          const std::vector<int>& seqB = s.routes[b].seq;
          if (withoutOk)  // relocate j to b
            for (std::size_t p = 0; p <= seqB.size(); ++p) {
              std::vector<int> with = seqB;
              with.insert(with.begin() + std::ptrdiff_t(p), int(j));
              double t = 0.0;
              if (sequenceFeasible(in, b, with, &t))
                consider(Move{a, b, without, std::move(with), travelWithout, t});
            }
          if (b < a) continue;                             // each swap once
          for (std::size_t q = 0; q < seqB.size(); ++q) {  // swap j with l
            const auto l = std::size_t(seqB[q]);
            if (!in.can(a, l)) continue;
            std::vector<int> newA = seqA, newB = seqB;
            newA[i] = int(l);
            newB[q] = int(j);
            double ta = 0.0, tb = 0.0;
            if (sequenceFeasible(in, a, newA, &ta) && sequenceFeasible(in, b, newB, &tb))
              consider(Move{a, b, std::move(newA), std::move(newB), ta, tb});
          }
        }
      }
    }
    if (!found) break;
    for (const std::size_t k : {best.a, best.b}) {
      RouteState& r = s.routes[k];
      r.seq = k == best.a ? best.seqA : best.seqB;
      recomputeRoute(in, k, r);
      partnerLoad[partnerOf[k]] -= routeLoad[k];
      routeLoad[k] = r.travel + dwellOf(in, r.seq);
      partnerLoad[partnerOf[k]] += routeLoad[k];
      for (int j : r.seq) s.routeOf[std::size_t(j)] = int(k);
    }
    travel = 0.0;
    for (const auto& r : s.routes) travel += r.travel;
    current = bestKey;
  }
  s.travel = travel;
}

}  // namespace veldwacht::geo::planning_detail
