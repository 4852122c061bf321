#include "geo/planning/lns.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>
#include <numeric>

namespace veldwacht::geo::planning_detail {

namespace {

/// xoshiro256** seeded through splitmix64: the same stream on every platform and library.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// uniform in [0, 1)
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }
  /// uniform integer in [0, n), n > 0
  std::size_t below(std::size_t n) { return std::size_t(uniform() * double(n)); }
  /// uniform integer in [lo, hi]
  std::size_t between(std::size_t lo, std::size_t hi) { return lo + below(hi - lo + 1); }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace

bool sequenceFeasible(const Instance& in, std::size_t k, std::span<const int> seq,
                      double* travelOut) {
  std::size_t prev = in.startNode[k];
  double time = in.routeStart[k];
  double travel = 0.0;
  for (int s : seq) {
    const auto j = std::size_t(s);
    const double d = in.tk(k, prev, in.node[j]);
    travel += d;
    const double a = time + d;
    if (a > in.close[j] + kTimeEps) return false;
    time = std::max(a, in.open[j]) + in.service[j];
    prev = in.node[j];
  }
  const double d = in.tk(k, prev, in.endNode[k]);
  travel += d;
  if (time + d > in.routeEnd[k] + kTimeEps) return false;
  if (travelOut) *travelOut = travel;
  return true;
}

namespace {

void totals(Solution& s) {
  s.mandatory = 0;
  s.score = 0.0;
  s.visits = 0;
  s.travel = 0.0;
  for (const auto& r : s.routes) {
    s.mandatory += r.mandatory;
    s.score += r.score;
    s.visits += int(r.seq.size());
    s.travel += r.travel;
  }
}

/// The value the acceptance criterion compares: mandatory visits first, then the priority (or the
/// weighted sum).
double acceptValue(const Instance& in, const Solution& s) {
  double v = in.lexicographic ? s.score
                              : in.weights.priority * s.score + in.weights.visit * s.visits -
                                    in.weights.travel * s.travel;
  return v + double(s.mandatory) * 1e12;
}

struct Insertion {
  double ratio = -1.0;  ///< < 0: no feasible position
  std::size_t pos = 0;
};

class Search {
 public:
  Search(const Instance& in, std::uint64_t seed) : in_(in), rng_(seed) {
    // Candidates: sites that some route can visit on its own.
    for (std::size_t j = 0; j < in.nSites; ++j) {
      bool any = false;
      for (std::size_t k = 0; k < in.nRoutes && !any; ++k) any = in.can(k, j);
      if (any) candidates_.push_back(int(j));
    }
    double sum = 0.0;
    for (int j : candidates_) sum += in.score[std::size_t(j)];
    meanScore_ = candidates_.empty() ? 1.0 : std::max(1e-9, sum / double(candidates_.size()));
    insertCache_.resize(in.nSites * std::max<std::size_t>(1, in.nRoutes));
    blocked_.assign(in.nSites, 0);
    weighTravel_ = !in.lexicographic && in.weights.travel > 0.0;
    factor_.assign(in.nSites, 1.0);
  }

  RunOutput run(const RunLimits& limits, RunMonitor& monitor) {
    const double begin = clockSeconds(limits.cpuClock);
    Solution cur = emptySolution();
    repair(cur, 0.0, 2.0, false);
    improve(cur);
    Solution best = cur;
    std::size_t sinceBest = 0;
    std::size_t it = 0;
    double timeFrac = 0.0;
    const std::size_t restartAfter = 400 + 4 * candidates_.size();
    for (; it < limits.iterations; ++it) {
      if ((it & 7) == 0) {
        timeFrac = (clockSeconds(limits.cpuClock) - begin) / limits.seconds;
        if (timeFrac >= 1.0) break;
      }
      if (!monitor.keepGoing(it)) break;
      if (candidates_.empty()) break;
      Solution cand = cur;
      destroy(cand);
      const double noise = rng_.uniform() < 0.5 ? 0.0 : 0.3 * rng_.uniform();
      const double exponent = rng_.uniform() < 0.75 ? 2.0 : 1.0;
      repair(cand, noise, exponent, rng_.uniform() < 0.5);
      improve(cand);
      const double frac =
          std::max(timeFrac, double(it) / double(std::max<std::size_t>(1, limits.iterations)));
      const double temperature = 4.0 * meanScore_ * (1.0 - frac);
      const double delta = acceptValue(in_, cand) - acceptValue(in_, cur);
      const int vsCur = compareSolutions(in_, cand, cur);
      if (vsCur >= 0 || delta >= 0.0 ||
          (temperature > 0.0 && rng_.uniform() < std::exp(delta / temperature))) {
        cur = std::move(cand);
        if (compareSolutions(in_, cur, best) > 0) {
          best = cur;
          sinceBest = 0;
        }
      }
      if (++sinceBest > restartAfter) {
        cur = best;
        sinceBest = 0;
      }
    }
    return RunOutput{std::move(best), it};
  }

 private:
  Solution emptySolution() const {
    Solution s;
    s.routes.resize(in_.nRoutes);
    for (std::size_t k = 0; k < in_.nRoutes; ++k) recomputeRoute(in_, k, s.routes[k]);
    s.routeOf.assign(in_.nSites, -1);
    s.groupUsed.assign(in_.nGroups, 0);
    totals(s);
    return s;
  }

  // ---- insertion (Vansteenwegen et al. 2009: O(1) check with MaxShift, ratio profit^e / shift)

  /// Best position of site j in route k; ratio < 0 when it fits nowhere.
  Insertion bestInsertion(std::size_t k, const RouteState& r, std::size_t j,
                          double exponent) const {
    Insertion best;
    const std::size_t nj = in_.node[j];
    const std::size_t len = r.seq.size();
    const double num = std::pow(in_.profit[j], exponent) * factor_[j];
    for (std::size_t p = 0; p <= len; ++p) {
      const std::size_t prevNode = p == 0 ? in_.startNode[k] : in_.node[std::size_t(r.seq[p - 1])];
      const double dep =
          p == 0 ? in_.routeStart[k] : r.start[p - 1] + in_.service[std::size_t(r.seq[p - 1])];
      const double a = dep + in_.tk(k, prevNode, nj);
      if (a > in_.close[j] + kTimeEps) continue;
      const std::size_t nextNode = p == len ? in_.endNode[k] : in_.node[std::size_t(r.seq[p])];
      const double a2 = std::max(a, in_.open[j]) + in_.service[j] + in_.tk(k, nj, nextNode);
      double consumed = 0.0;
      if (p == len) {
        if (a2 > in_.routeEnd[k] + kTimeEps) continue;
        consumed = a2 - r.endArrival;
      } else {
        const std::size_t next = std::size_t(r.seq[p]);
        const double shift = std::max(a2, in_.open[next]) - r.start[p];
        if (shift > r.maxShift[p] + kTimeEps) continue;
        consumed = a2 - r.arrival[p];
      }
      if (weighTravel_) {
        // Weighted objective: only insertions that gain more than their extra travel costs.
        const double dTravel =
            in_.tk(k, prevNode, nj) + in_.tk(k, nj, nextNode) - in_.tk(k, prevNode, nextNode);
        if (in_.profit[j] - in_.weights.travel * dTravel <= 0.0) continue;
      }
      const double ratio = num / std::max(consumed, 1e-9);
      if (ratio > best.ratio) best = Insertion{ratio, p};
    }
    return best;
  }

  void insertAt(Solution& s, std::size_t k, std::size_t j, std::size_t pos) {
    auto& r = s.routes[k];
    r.seq.insert(r.seq.begin() + std::ptrdiff_t(pos), int(j));
    s.routeOf[j] = int(k);
    recomputeRoute(in_, k, r);
  }

  /// Greedy insertion of unvisited sites by ratio until nothing fits. With `blockRemoved`, the
  /// sites just removed wait until no other site fits (forces new sites into the plan).
  void repair(Solution& s, double noise, double exponent, bool blockRemoved) {
    std::vector<int> pool;
    for (int j : candidates_)
      if (s.routeOf[std::size_t(j)] < 0 && !groupTaken(s, std::size_t(j))) pool.push_back(j);
    for (int j : pool)
      factor_[std::size_t(j)] = noise > 0.0 ? 1.0 + noise * (2.0 * rng_.uniform() - 1.0) : 1.0;
    const std::size_t nr = in_.nRoutes;
    for (int j : pool)
      for (std::size_t k = 0; k < nr; ++k)
        insertCache_[std::size_t(j) * nr + k] =
            in_.can(k, std::size_t(j)) ? bestInsertion(k, s.routes[k], std::size_t(j), exponent)
                                       : Insertion{};
    bool useBlock = blockRemoved;
    while (!pool.empty()) {
      double bestRatio = -1.0;
      std::size_t bestIdx = 0, bestRoute = 0;
      for (std::size_t i = 0; i < pool.size(); ++i) {
        const auto j = std::size_t(pool[i]);
        if (useBlock && blocked_[j]) continue;
        for (std::size_t k = 0; k < nr; ++k) {
          const auto& c = insertCache_[j * nr + k];
          if (c.ratio > bestRatio) {
            bestRatio = c.ratio;
            bestIdx = i;
            bestRoute = k;
          }
        }
      }
      if (bestRatio < 0.0) {
        if (useBlock) {
          useBlock = false;
          continue;
        }
        break;
      }
      const auto j = std::size_t(pool[bestIdx]);
      insertAt(s, bestRoute, j, insertCache_[j * nr + bestRoute].pos);
      pool[bestIdx] = pool.back();
      pool.pop_back();
      if (in_.group[j] >= 0) {
        ++s.groupUsed[std::size_t(in_.group[j])];
        std::erase_if(pool, [&](int o) { return in_.group[std::size_t(o)] == in_.group[j]; });
      }
      for (int o : pool) {
        const auto jo = std::size_t(o);
        if (in_.can(bestRoute, jo))
          insertCache_[jo * nr + bestRoute] =
              bestInsertion(bestRoute, s.routes[bestRoute], jo, exponent);
      }
    }
    std::fill(blocked_.begin(), blocked_.end(), 0);
    totals(s);
  }

  bool groupTaken(const Solution& s, std::size_t j) const {
    return in_.group[j] >= 0 && s.groupUsed[std::size_t(in_.group[j])] > 0;
  }

  void unvisit(Solution& s, std::size_t j) const {
    s.routeOf[j] = -1;
    if (in_.group[j] >= 0) --s.groupUsed[std::size_t(in_.group[j])];
  }

  // ---- destroy

  void removeSites(Solution& s, const std::vector<int>& sites) {
    std::vector<char> touched(in_.nRoutes, 0);
    for (int j : sites) {
      const int k = s.routeOf[std::size_t(j)];
      if (k < 0) continue;
      auto& seq = s.routes[std::size_t(k)].seq;
      seq.erase(std::find(seq.begin(), seq.end(), j));
      unvisit(s, std::size_t(j));
      blocked_[std::size_t(j)] = 1;
      touched[std::size_t(k)] = 1;
    }
    for (std::size_t k = 0; k < in_.nRoutes; ++k) {
      if (!touched[k]) continue;
      auto& r = s.routes[k];
      // Without the triangle inequality a shorter route may arrive later: drop visits from the
      // end until the route is feasible again.
      while (!r.seq.empty() && !sequenceFeasible(in_, k, r.seq, nullptr)) {
        unvisit(s, std::size_t(r.seq.back()));
        r.seq.pop_back();
      }
      recomputeRoute(in_, k, r);
    }
    totals(s);
  }

  void destroy(Solution& s) {
    std::vector<int> visited;
    for (const auto& r : s.routes) visited.insert(visited.end(), r.seq.begin(), r.seq.end());
    if (visited.empty()) return;
    const std::size_t maxQ = std::max<std::size_t>(
        1, std::min(visited.size(), std::max<std::size_t>(3, visited.size() / 4)));
    const std::size_t q = rng_.between(1, maxQ);
    std::vector<int> out;
    switch (rng_.below(4)) {
      case 0:  // random
        for (std::size_t i = 0; i < q; ++i) {
          const std::size_t pick = i + rng_.below(visited.size() - i);
          std::swap(visited[i], visited[pick]);
          out.push_back(visited[i]);
        }
        break;
      case 1:  // a consecutive stretch of every route (Vansteenwegen et al. 2009)
        for (const auto& r : s.routes) {
          if (r.seq.empty()) continue;
          const std::size_t len =
              std::min(r.seq.size(), rng_.between(1, std::max<std::size_t>(1, q / in_.nRoutes)));
          const std::size_t from = rng_.below(r.seq.size() - len + 1);
          out.insert(out.end(), r.seq.begin() + std::ptrdiff_t(from),
                     r.seq.begin() + std::ptrdiff_t(from + len));
        }
        break;
      case 2: {  // related (Shaw 1998): near in travel time and in time of visit
        const int seed = visited[rng_.below(visited.size())];
        const auto a = std::size_t(seed);
        std::vector<std::pair<double, int>> rel;
        rel.reserve(visited.size());
        for (int v : visited) {
          const auto b = std::size_t(v);
          const double d = std::min(in_.t(in_.node[a], in_.node[b]), kNoLimit) +
                           std::min(in_.t(in_.node[b], in_.node[a]), kNoLimit);
          rel.emplace_back(d * (0.8 + 0.4 * rng_.uniform()), v);
        }
        std::sort(rel.begin(), rel.end());
        for (std::size_t i = 0; i < q && i < rel.size(); ++i) out.push_back(rel[i].second);
        break;
      }
      default: {  // worst: low score for the time it takes
        std::vector<std::pair<double, int>> worth;
        for (std::size_t k = 0; k < in_.nRoutes; ++k) {
          const auto& r = s.routes[k];
          for (std::size_t p = 0; p < r.seq.size(); ++p) {
            const auto j = std::size_t(r.seq[p]);
            const std::size_t prev =
                p == 0 ? in_.startNode[k] : in_.node[std::size_t(r.seq[p - 1])];
            const std::size_t next =
                p + 1 == r.seq.size() ? in_.endNode[k] : in_.node[std::size_t(r.seq[p + 1])];
            const double saving = in_.tk(k, prev, in_.node[j]) + in_.tk(k, in_.node[j], next) -
                                  in_.tk(k, prev, next) + in_.service[j];
            worth.emplace_back(
                in_.profit[j] / std::max(saving, 1e-9) * (0.7 + 0.6 * rng_.uniform()), int(j));
          }
        }
        std::sort(worth.begin(), worth.end());
        for (std::size_t i = 0; i < q && i < worth.size(); ++i) out.push_back(worth[i].second);
        break;
      }
    }
    removeSites(s, out);
  }

  // ---- local search: shorter routes leave room for more visits

  /// Matrix node at position p of route k, with -1 = start depot and len = end depot.
  std::size_t nodeAt(std::size_t k, const RouteState& r, std::ptrdiff_t p) const {
    if (p < 0) return in_.startNode[k];
    if (std::size_t(p) >= r.seq.size()) return in_.endNode[k];
    return in_.node[std::size_t(r.seq[std::size_t(p)])];
  }

  /// Reverses a stretch of the route when that saves travel and keeps it feasible. The travel
  /// change is O(1) from prefix sums of the forward and backward arcs (asymmetric matrices too).
  bool twoOpt(std::size_t k, RouteState& r) {
    const std::size_t len = r.seq.size();
    if (len < 2) return false;
    fwd_.assign(len, 0.0);
    bwd_.assign(len, 0.0);
    for (std::size_t q = 1; q < len; ++q) {
      const std::size_t u = in_.node[std::size_t(r.seq[q - 1])],
                        v = in_.node[std::size_t(r.seq[q])];
      fwd_[q] = fwd_[q - 1] + in_.tk(k, u, v);
      bwd_[q] = bwd_[q - 1] + in_.tk(k, v, u);
    }
    for (std::size_t i = 0; i + 1 < len; ++i) {
      const std::size_t a = nodeAt(k, r, std::ptrdiff_t(i) - 1),
                        b = nodeAt(k, r, std::ptrdiff_t(i));
      for (std::size_t j = i + 1; j < len; ++j) {
        const std::size_t c = nodeAt(k, r, std::ptrdiff_t(j)),
                          d = nodeAt(k, r, std::ptrdiff_t(j + 1));
        const double delta = in_.tk(k, a, c) + in_.tk(k, b, d) - in_.tk(k, a, b) - in_.tk(k, c, d) +
                             (bwd_[j] - bwd_[i]) - (fwd_[j] - fwd_[i]);
        if (delta >= -kTimeEps) continue;
        trial_ = r.seq;
        std::reverse(trial_.begin() + std::ptrdiff_t(i), trial_.begin() + std::ptrdiff_t(j + 1));
        if (sequenceFeasible(in_, k, trial_, nullptr)) {
          std::swap(r.seq, trial_);
          recomputeRoute(in_, k, r);
          return true;
        }
      }
    }
    return false;
  }

  /// Moves a stretch of 1-3 visits elsewhere in the route (Or 1976) when that saves travel.
  bool orOpt(std::size_t k, RouteState& r) {
    const std::size_t len = r.seq.size();
    for (std::size_t segLen = 1; segLen <= 3 && segLen < len; ++segLen) {
      for (std::size_t i = 0; i + segLen <= len; ++i) {
        const auto I = std::ptrdiff_t(i), L = std::ptrdiff_t(segLen);
        const std::size_t before = nodeAt(k, r, I - 1), first = nodeAt(k, r, I);
        const std::size_t last = nodeAt(k, r, I + L - 1), after = nodeAt(k, r, I + L);
        const double removal =
            in_.tk(k, before, after) - in_.tk(k, before, first) - in_.tk(k, last, after);
        for (std::size_t p = 0; p + segLen <= len; ++p) {
          if (p == i) continue;
          const auto P = std::ptrdiff_t(p);
          const std::size_t u = p < i ? nodeAt(k, r, P - 1) : nodeAt(k, r, P + L - 1);
          const std::size_t v = p < i ? nodeAt(k, r, P) : nodeAt(k, r, P + L);
          const double delta = removal + in_.tk(k, u, first) + in_.tk(k, last, v) - in_.tk(k, u, v);
          if (delta >= -kTimeEps) continue;
          trial_.clear();
          for (std::size_t q = 0; q < len; ++q) {
            if (q >= i && q < i + segLen) continue;
            if (q == (p < i ? p : p + segLen))
              trial_.insert(trial_.end(), r.seq.begin() + I, r.seq.begin() + I + L);
            trial_.push_back(r.seq[q]);
          }
          if (trial_.size() < len)
            trial_.insert(trial_.end(), r.seq.begin() + I, r.seq.begin() + I + L);
          if (sequenceFeasible(in_, k, trial_, nullptr)) {
            std::swap(r.seq, trial_);
            recomputeRoute(in_, k, r);
            return true;
          }
        }
      }
    }
    return false;
  }

  /// Moves one visit to another route where it costs less travel (first improvement).
  bool relocate(Solution& s) {
    if (in_.nRoutes < 2) return false;
    std::vector<int> without;
    for (std::size_t a = 0; a < in_.nRoutes; ++a) {
      auto& ra = s.routes[a];
      for (std::size_t p = 0; p < ra.seq.size(); ++p) {
        const auto j = std::size_t(ra.seq[p]);
        const std::size_t prev = p == 0 ? in_.startNode[a] : in_.node[std::size_t(ra.seq[p - 1])];
        const std::size_t next =
            p + 1 == ra.seq.size() ? in_.endNode[a] : in_.node[std::size_t(ra.seq[p + 1])];
        const double saving =
            in_.tk(a, prev, in_.node[j]) + in_.tk(a, in_.node[j], next) - in_.tk(a, prev, next);
        for (std::size_t b = 0; b < in_.nRoutes; ++b) {
          if (b == a || !in_.can(b, j)) continue;
          const auto& rb = s.routes[b];
          std::size_t bestPos = 0;
          double bestGain = kTimeEps;
          for (std::size_t q = 0; q <= rb.seq.size(); ++q) {
            const std::size_t pn = q == 0 ? in_.startNode[b] : in_.node[std::size_t(rb.seq[q - 1])];
            const std::size_t nn =
                q == rb.seq.size() ? in_.endNode[b] : in_.node[std::size_t(rb.seq[q])];
            const double gain = saving - (in_.tk(b, pn, in_.node[j]) + in_.tk(b, in_.node[j], nn) -
                                          in_.tk(b, pn, nn));
            if (gain > bestGain && fitsAt(b, rb, j, q)) {
              bestGain = gain;
              bestPos = q + 1;
            }
          }
          if (bestPos == 0) continue;
          without = ra.seq;
          without.erase(without.begin() + std::ptrdiff_t(p));
          if (!sequenceFeasible(in_, a, without, nullptr)) continue;
          ra.seq = std::move(without);
          recomputeRoute(in_, a, ra);
          insertAt(s, b, j, bestPos - 1);
          return true;
        }
      }
    }
    return false;
  }

  bool fitsAt(std::size_t k, const RouteState& r, std::size_t j, std::size_t p) const {
    const std::size_t nj = in_.node[j];
    const std::size_t len = r.seq.size();
    const std::size_t prevNode = p == 0 ? in_.startNode[k] : in_.node[std::size_t(r.seq[p - 1])];
    const double dep =
        p == 0 ? in_.routeStart[k] : r.start[p - 1] + in_.service[std::size_t(r.seq[p - 1])];
    const double a = dep + in_.tk(k, prevNode, nj);
    if (a > in_.close[j] + kTimeEps) return false;
    const std::size_t nextNode = p == len ? in_.endNode[k] : in_.node[std::size_t(r.seq[p])];
    const double a2 = std::max(a, in_.open[j]) + in_.service[j] + in_.tk(k, nj, nextNode);
    if (p == len) return a2 <= in_.routeEnd[k] + kTimeEps;
    const std::size_t next = std::size_t(r.seq[p]);
    return std::max(a2, in_.open[next]) - r.start[p] <= r.maxShift[p] + kTimeEps;
  }

  /// Local search to a local optimum of travel time, then greedy insertion into the room made;
  /// repeated while either finds something.
  void improve(Solution& s) {
    for (int round = 0; round < 4; ++round) {
      bool changed = false;
      for (std::size_t k = 0; k < in_.nRoutes; ++k) {
        auto& r = s.routes[k];
        while (twoOpt(k, r) || orOpt(k, r)) changed = true;
      }
      while (relocate(s)) changed = true;
      if (!changed) break;
      totals(s);
      const int before = s.visits;
      repair(s, 0.0, 2.0, false);
      if (s.visits == before) break;
    }
    totals(s);
  }

  const Instance& in_;
  Rng rng_;
  std::vector<int> candidates_;
  double meanScore_ = 1.0;
  std::vector<Insertion> insertCache_;
  std::vector<char> blocked_;
  std::vector<double> factor_;
  std::vector<double> fwd_, bwd_;
  bool weighTravel_ = false;
  std::vector<int> trial_;
};

}  // namespace

double clockSeconds(bool cpu) {
#if defined(CLOCK_THREAD_CPUTIME_ID)
  if (cpu) {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
  }
#else
  (void)cpu;
#endif
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void recomputeRoute(const Instance& in, std::size_t k, RouteState& r) {
  const std::size_t len = r.seq.size();
  r.arrival.resize(len);
  r.start.resize(len);
  r.maxShift.resize(len);
  std::size_t prev = in.startNode[k];
  double time = in.routeStart[k];
  r.travel = 0.0;
  r.score = 0.0;
  r.mandatory = 0;
  for (std::size_t p = 0; p < len; ++p) {
    const auto j = std::size_t(r.seq[p]);
    const double d = in.tk(k, prev, in.node[j]);
    r.travel += d;
    r.arrival[p] = time + d;
    r.start[p] = std::max(r.arrival[p], in.open[j]);
    time = r.start[p] + in.service[j];
    prev = in.node[j];
    r.score += in.score[j];
    r.mandatory += in.mandatory[j] ? 1 : 0;
  }
  const double d = in.tk(k, prev, in.endNode[k]);
  r.travel += d;
  r.endArrival = time + d;
  double next = in.routeEnd[k] - r.endArrival;  // MaxShift of the end depot
  for (std::size_t p = len; p-- > 0;) {
    const auto j = std::size_t(r.seq[p]);
    r.maxShift[p] = std::min(in.close[j] - r.start[p], next);
    next = (r.start[p] - r.arrival[p]) + r.maxShift[p];
  }
}

int compareSolutions(const Instance& in, const Solution& a, const Solution& b) {
  if (a.mandatory != b.mandatory) return a.mandatory > b.mandatory ? 1 : -1;
  auto cmp = [](double x, double y) {
    const double tol = 1e-9 * std::max({1.0, std::abs(x), std::abs(y)});
    return x > y + tol ? 1 : (y > x + tol ? -1 : 0);
  };
  if (!in.lexicographic) {
    const double va =
        in.weights.priority * a.score + in.weights.visit * a.visits - in.weights.travel * a.travel;
    const double vb =
        in.weights.priority * b.score + in.weights.visit * b.visits - in.weights.travel * b.travel;
    return cmp(va, vb);
  }
  if (const int c = cmp(a.score, b.score)) return c;
  if (a.visits != b.visits) return a.visits > b.visits ? 1 : -1;
  return cmp(b.travel, a.travel);
}

Instance makeInstance(std::span<const TravelTimes> matrices, std::span<const PlanSite> sites,
                      std::span<const PlanRoute> routes, const PlanOptions& options) {
  Instance in;
  in.nodes = matrices.front().size;
  const std::size_t block = in.nodes * in.nodes;
  in.travel.resize(matrices.size() * block);
  for (std::size_t m = 0; m < matrices.size(); ++m)
    for (std::size_t i = 0; i < block; ++i) {
      const double x = matrices[m].times[i];
      in.travel[m * block + i] = std::isfinite(x) ? x : kUnreachable;
    }
  in.nSites = sites.size();
  in.nRoutes = routes.size();
  in.lexicographic = options.lexicographic;
  in.weights = options.weights;
  double scoreSum = 0.0;
  for (const auto& s : sites) scoreSum += s.score;
  const double bonus = 1000.0 * (scoreSum + 1.0);
  double maxScore = 0.0;
  for (const auto& s : sites) maxScore = std::max(maxScore, s.score);
  std::map<std::int64_t, int> groupIds;
  for (const auto& s : sites) {
    in.group.push_back(
        s.group < 0 ? -1 : groupIds.try_emplace(s.group, int(groupIds.size())).first->second);
    in.node.push_back(s.node);
    in.score.push_back(s.score);
    in.service.push_back(s.service);
    in.open.push_back(s.open);
    in.close.push_back(std::min(s.close, kNoLimit));
    in.mandatory.push_back(s.mandatory ? 1 : 0);
    // A tiny share for every visit so zero-priority sites still count as visits.
    double p = options.lexicographic ? s.score + 1e-6 * (maxScore + 1.0)
                                     : options.weights.priority * s.score + options.weights.visit;
    p = std::max(p, 1e-9);
    in.profit.push_back(p + (s.mandatory ? bonus : 0.0));
  }
  in.nGroups = groupIds.size();
  for (const auto& r : routes) {
    in.startNode.push_back(r.startNode);
    in.endNode.push_back(r.endNode);
    in.routeStart.push_back(r.start);
    in.routeEnd.push_back(std::min({r.end, r.start + r.maxDuration, kNoLimit}));
    in.offset.push_back(r.matrix * block);
  }
  in.skillOk.assign(in.nRoutes * in.nSites, 0);
  in.areaOk.assign(in.nRoutes * in.nSites, 1);
  in.aloneOk.assign(in.nRoutes * in.nSites, 0);
  for (std::size_t k = 0; k < in.nRoutes; ++k) {
    for (std::size_t j : routes[k].excluded) in.areaOk[k * in.nSites + j] = 0;
    for (std::size_t j = 0; j < in.nSites; ++j) {
      const bool skill = (sites[j].skills & ~routes[k].skills) == 0;
      in.skillOk[k * in.nSites + j] = skill ? 1 : 0;
      const int one[] = {int(j)};
      in.aloneOk[k * in.nSites + j] =
          skill && in.areaOk[k * in.nSites + j] && sequenceFeasible(in, k, one, nullptr) ? 1 : 0;
    }
  }
  return in;
}

RunOutput runSearch(const Instance& in, std::uint64_t seed, const RunLimits& limits,
                    RunMonitor& monitor) {
  Search search(in, seed);
  return search.run(limits, monitor);
}

}  // namespace veldwacht::geo::planning_detail
