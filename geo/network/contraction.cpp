#include "geo/network/contraction.h"

#include <algorithm>
#include <atomic>
#include <queue>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "geo/core/error.h"

namespace veldwacht::geo {
namespace {

struct DynEdge {
  std::uint32_t node;
  double cost, other;
};

struct HeapItem {
  double cost;
  std::uint32_t node;
  bool operator>(const HeapItem& o) const {
    return cost > o.cost || (cost == o.cost && node > o.node);
  }
};

// The graph while it is being contracted: adjacency of the nodes not yet contracted.
class Contractor {
 public:
  Contractor(const SearchGraph& g, std::size_t settleLimit)
      : out_(g.nodeCount()),
        in_(g.nodeCount()),
        dist_(g.nodeCount(), 0.0),
        bound_(g.nodeCount(), 0.0),
        stamp_(g.nodeCount(), 0),
        target_(g.nodeCount(), 0),
        deleted_(g.nodeCount(), 0),
        level_(g.nodeCount(), 0),
        settleLimit_(settleLimit) {
    for (std::uint32_t u = 0; u < g.nodeCount(); ++u)
      for (std::uint32_t a = g.outBegin(u); a < g.outEnd(u); ++a)
        if (g.head(a) != u) addEdge(u, g.head(a), g.cost(a), g.other(a));
  }

  // Adds u → w or improves an existing u → w; keeps out_ and in_ in step.
  void addEdge(std::uint32_t u, std::uint32_t w, double c, double o) {
    for (auto& e : out_[u])
      if (e.node == w) {
        if (c < e.cost || (c == e.cost && o < e.other)) {
          e.cost = c;
          e.other = o;
          for (auto& f : in_[w])
            if (f.node == u) {
              f.cost = c;
              f.other = o;
            }
        }
        return;
      }
    out_[u].push_back({w, c, o});
    in_[w].push_back({u, c, o});
  }

  // Shortcuts contracting v needs (u, w, cost, other); with `collect` null only counts them.
  std::size_t shortcutsFor(std::uint32_t v,
                           std::vector<std::pair<std::uint32_t, DynEdge>>* collect) {
    std::size_t count = 0;
    for (const DynEdge& in : in_[v]) {
      // Estimating a priority needs fewer settled nodes than contracting (a heuristic either way).
      if (!witness(in.node, v, in.cost,
                   collect ? settleLimit_ : std::max<std::size_t>(1, settleLimit_ / 16)))
        continue;  // no out-neighbour but in.node itself
      for (const DynEdge& outE : out_[v]) {
        if (outE.node == in.node) continue;
        const double c = in.cost + outE.cost;
        if (stamp_[outE.node] == run_ && dist_[outE.node] <= c) continue;
        ++count;
        if (collect) collect->push_back({in.node, {outE.node, c, in.other + outE.other}});
      }
    }
    return count;
  }

  // Edge difference, contracted neighbours and level (one more than the highest level of a
  // contracted neighbour: keeps the hierarchy shallow, so fewer shortcuts pile up in the core).
  double priority(std::uint32_t v) {
    const double shortcuts = double(shortcutsFor(v, nullptr));
    const double removed = double(in_[v].size() + out_[v].size());
    return 2.0 * (shortcuts - removed) + double(deleted_[v]) + double(level_[v]);
  }

  // Removes v: adds its shortcuts, hands its remaining arcs to `up`/`down`, returns neighbours.
  void contract(std::uint32_t v, std::vector<DynEdge>& up, std::vector<DynEdge>& down,
                std::vector<std::uint32_t>& neighbours, std::size_t& shortcuts) {
    scratch_.clear();
    shortcutsFor(v, &scratch_);
    for (const auto& [u, e] : scratch_) addEdge(u, e.node, e.cost, e.other);
    shortcuts += scratch_.size();
    up = out_[v];
    down = in_[v];
    neighbours.clear();
    for (const DynEdge& e : out_[v]) {
      auto& list = in_[e.node];
      list.erase(
          std::remove_if(list.begin(), list.end(), [v](const DynEdge& f) { return f.node == v; }),
          list.end());
      neighbours.push_back(e.node);
    }
    for (const DynEdge& e : in_[v]) {
      auto& list = out_[e.node];
      list.erase(
          std::remove_if(list.begin(), list.end(), [v](const DynEdge& f) { return f.node == v; }),
          list.end());
      neighbours.push_back(e.node);
    }
    std::vector<DynEdge>().swap(out_[v]);
    std::vector<DynEdge>().swap(in_[v]);
    std::sort(neighbours.begin(), neighbours.end());
    neighbours.erase(std::unique(neighbours.begin(), neighbours.end()), neighbours.end());
    for (const std::uint32_t n : neighbours) {
      ++deleted_[n];
      level_[n] = std::max(level_[n], level_[v] + 1);
    }
  }

 private:
  // Dijkstra from s avoiding `skip`: looks for a path to every out-neighbour w of `skip` no
  // longer than via + c(skip, w). A target is done as soon as a label no longer than its bound
  // reaches it (any label is the length of a real path avoiding `skip`, so a witness), and the
  // search stops when every target is done, when the nearest unsettled node is farther than the
  // largest bound of the targets not done, or after `limit` settled nodes. Stopping early only
  // adds shortcuts that were not needed, never leaves out one that is. false: no target.
  bool witness(std::uint32_t s, std::uint32_t skip, double via, std::size_t limit) {
    ++run_;
    heap_.clear();  // keeps its capacity: no allocation per witness search
    std::size_t targetsLeft = 0;
    double bound = -1.0;  // the largest bound of the targets not done
    for (const DynEdge& e : out_[skip])
      if (e.node != s) {
        target_[e.node] = run_;
        bound_[e.node] = via + e.cost;
        bound = std::max(bound, bound_[e.node]);
        ++targetsLeft;
      }
    if (targetsLeft == 0) return false;
    auto done = [&](std::uint32_t w) {  // w is a target not done yet
      target_[w] = 0;
      if (--targetsLeft == 0) return true;
      if (bound_[w] == bound) {
        bound = -1.0;
        for (const DynEdge& e : out_[skip])
          if (target_[e.node] == run_) bound = std::max(bound, bound_[e.node]);
      }
      return false;
    };
    dist_[s] = 0.0;
    stamp_[s] = run_;
    push({0.0, s});
    std::size_t settled = 0;
    while (!heap_.empty()) {
      std::pop_heap(heap_.begin(), heap_.end(), std::greater<HeapItem>());
      const HeapItem top = heap_.back();
      heap_.pop_back();
      if (top.cost != dist_[top.node]) continue;
      if (top.cost > bound || ++settled > limit) break;
      // A target settled above its bound can get no witness any more.
      if (target_[top.node] == run_ && done(top.node)) break;
      for (const DynEdge& e : out_[top.node]) {
        if (e.node == skip) continue;
        const double c = top.cost + e.cost;
        if (stamp_[e.node] != run_ || c < dist_[e.node]) {
          stamp_[e.node] = run_;
          dist_[e.node] = c;
          if (target_[e.node] == run_ && c <= bound_[e.node] && done(e.node)) return true;
          push({c, e.node});
        }
      }
    }
    return true;
  }

  void push(const HeapItem& item) {
    heap_.push_back(item);
    std::push_heap(heap_.begin(), heap_.end(), std::greater<HeapItem>());
  }

  std::vector<std::vector<DynEdge>> out_, in_;
  std::vector<double> dist_, bound_;
  std::vector<std::uint32_t> stamp_, target_;
  std::vector<std::uint32_t> deleted_, level_;
  std::uint32_t run_ = 0;
  std::size_t settleLimit_;
  std::vector<HeapItem> heap_;  // a min-heap on (cost, node)
  std::vector<std::pair<std::uint32_t, DynEdge>> scratch_;
};

// An upward search over one of the hierarchy's two arc sets, with stall-on-demand over the other.
class UpwardSearch {
 public:
  explicit UpwardSearch(std::size_t n) : dist_(n, 0.0), other_(n, 0.0), stamp_(n, 0) {}

  // forward: climbs upward arcs, stalls over downward arcs; backward: the mirror image.
  // Calls visit(node, cost, other) for every settled node that is not stalled.
  template <class Visit>
  void run(const ContractionHierarchy& ch, bool forward, std::span<const Seed> seeds,
           Visit&& visit) {
    heap_.clear();
    if (++run_ >= settledMark) {
      std::fill(stamp_.begin(), stamp_.end(), 0u);
      run_ = 1;
    }
    auto cmp = [](const HeapItem& a, const HeapItem& b) { return a > b; };
    auto label = [&](std::uint32_t v, double c, double o) {
      if (stamp_[v] == (run_ | settledMark)) return;
      if (stamp_[v] != run_ || c < dist_[v]) {
        stamp_[v] = run_;
        dist_[v] = c;
        other_[v] = o;
        heap_.push_back({c, v});
        std::push_heap(heap_.begin(), heap_.end(), cmp);
      }
    };
    for (const Seed& s : seeds) label(s.node, s.cost, s.other);
    while (!heap_.empty()) {
      std::pop_heap(heap_.begin(), heap_.end(), cmp);
      const HeapItem top = heap_.back();
      heap_.pop_back();
      const std::uint32_t v = top.node;
      if (stamp_[v] != run_ || top.cost != dist_[v]) continue;
      stamp_[v] = run_ | settledMark;
      const double d = dist_[v], o = other_[v];
      // Stall: a higher node already reached reaches v cheaper by one arc down.
      bool stalled = false;
      if (forward) {
        for (std::uint32_t a = ch.downBegin(v); a < ch.downEnd(v) && !stalled; ++a) {
          const std::uint32_t u = ch.downTail(a);
          stalled = (stamp_[u] & ~settledMark) == run_ && dist_[u] + ch.downCost(a) < d;
        }
      } else {
        for (std::uint32_t a = ch.upBegin(v); a < ch.upEnd(v) && !stalled; ++a) {
          const std::uint32_t u = ch.upHead(a);
          stalled = (stamp_[u] & ~settledMark) == run_ && dist_[u] + ch.upCost(a) < d;
        }
      }
      if (stalled) continue;
      visit(v, d, o);
      if (forward) {
        for (std::uint32_t a = ch.upBegin(v); a < ch.upEnd(v); ++a)
          label(ch.upHead(a), d + ch.upCost(a), o + ch.upOther(a));
      } else {
        for (std::uint32_t a = ch.downBegin(v); a < ch.downEnd(v); ++a)
          label(ch.downTail(a), d + ch.downCost(a), o + ch.downOther(a));
      }
    }
  }

 private:
  std::vector<double> dist_, other_;
  std::vector<std::uint32_t> stamp_;
  std::uint32_t run_ = 0;
  std::vector<HeapItem> heap_;
  static constexpr std::uint32_t settledMark = 0x80000000u;
};

template <class Body>
void forEachIndex(std::size_t count, std::size_t threadOption, Body&& body) {
  const int threads = threadOption ? int(threadOption) : tbb::this_task_arena::max_concurrency();
  if (threads == 1) {
    for (std::size_t i = 0; i < count; ++i) body(i);
    return;
  }
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 1),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t i = r.begin(); i < r.end(); ++i) body(i);
                      });
  });
}

}  // namespace

void ContractionOptions::validate() const {
  if (witnessSettleLimit == 0) throw OptionError("witness_settle_limit", "expected >= 1");
}

ContractionHierarchy ContractionHierarchy::build(const SearchGraph& graph,
                                                 const ContractionOptions& options,
                                                 Progress& progress) {
  options.validate();
  ProgressStep step(progress, 0.0, 1.0, "contraction hierarchy");
  const std::size_t n = graph.nodeCount();
  ContractionHierarchy ch;
  ch.arcs_ = graph.arcCount();
  ch.mode_ = graph.mode();
  ch.cost_ = graph.costKind();
  ch.rank_.assign(n, 0);
  Contractor work(graph, options.witnessSettleLimit);

  std::vector<double> prio(n);
  struct QueueItem {
    double prio;
    std::uint32_t node;
    bool operator>(const QueueItem& o) const {
      return prio > o.prio || (prio == o.prio && node > o.node);
    }
  };
  std::priority_queue<QueueItem, std::vector<QueueItem>, std::greater<QueueItem>> queue;
  for (std::uint32_t v = 0; v < n; ++v) {
    prio[v] = work.priority(v);
    queue.push({prio[v], v});
  }
  std::vector<std::uint8_t> done(n, 0), touched(n, 0);
  std::vector<std::vector<DynEdge>> up(n), down(n);
  std::vector<std::uint32_t> neighbours;
  std::uint32_t next = 0;
  while (!queue.empty()) {
    const QueueItem top = queue.top();
    queue.pop();
    const std::uint32_t v = top.node;
    if (done[v] || top.prio != prio[v]) continue;  // stale entry
    // Lazy update: contract v only while its fresh priority still leads the queue. Its
    // priority can only have changed when a neighbour was contracted since it was computed
    // (new arcs, more contracted neighbours, a higher level); otherwise it is taken as it is.
    const double fresh = touched[v] ? work.priority(v) : prio[v];
    touched[v] = 0;
    if (fresh != prio[v]) {
      prio[v] = fresh;
      if (!queue.empty() && QueueItem{fresh, v} > queue.top()) {
        queue.push({fresh, v});
        continue;
      }
    }
    // No priority updates of the neighbours here: the lazy check above catches a priority that
    // rose; simulating every neighbour after every contraction cost three quarters of the build.
    work.contract(v, up[v], down[v], neighbours, ch.shortcuts_);
    for (const std::uint32_t u : neighbours) touched[u] = 1;
    done[v] = 1;
    ch.rank_[v] = next++;
    if ((next & 1023u) == 0) step.tick(next, n);
  }

  auto toCsr = [n](const std::vector<std::vector<DynEdge>>& lists,
                   std::vector<std::uint32_t>& start, std::vector<std::uint32_t>& head,
                   std::vector<double>& cost, std::vector<double>& other) {
    start.assign(n + 1, 0);
    for (std::size_t v = 0; v < n; ++v) start[v + 1] = start[v] + std::uint32_t(lists[v].size());
    head.reserve(start[n]);
    for (std::size_t v = 0; v < n; ++v)
      for (const DynEdge& e : lists[v]) {
        head.push_back(e.node);
        cost.push_back(e.cost);
        other.push_back(e.other);
      }
  };
  toCsr(up, ch.upStart_, ch.upHead_, ch.upCost_, ch.upOther_);
  toCsr(down, ch.downStart_, ch.downHead_, ch.downCost_, ch.downOther_);
  step.done();
  return ch;
}

bool ContractionHierarchy::matches(const SearchGraph& graph) const {
  return graph.nodeCount() == nodeCount() && graph.arcCount() == arcs_ && graph.mode() == mode_ &&
         graph.costKind() == cost_;
}

std::size_t ContractionHierarchy::memoryBytes() const {
  return sizeof(std::uint32_t) * (rank_.size() + upStart_.size() + upHead_.size() +
                                  downStart_.size() + downHead_.size()) +
         sizeof(double) * (upCost_.size() + upOther_.size() + downCost_.size() + downOther_.size());
}

ContractionHierarchy::Arrays ContractionHierarchy::arrays() const {
  Arrays a;
  a.shape = {std::uint64_t(nodeCount()), arcs_, std::uint64_t(mode_), std::uint64_t(cost_),
             std::uint64_t(shortcuts_)};
  a.rank = rank_;
  a.upStart = upStart_;
  a.upHead = upHead_;
  a.upCost = upCost_;
  a.upOther = upOther_;
  a.downStart = downStart_;
  a.downHead = downHead_;
  a.downCost = downCost_;
  a.downOther = downOther_;
  return a;
}

ContractionHierarchy ContractionHierarchy::fromArrays(Arrays&& a) {
  auto bad = [](const char* what) {
    return InputError({"contraction hierarchy", std::nullopt, what}, "stored arrays do not fit");
  };
  if (a.shape.size() != 5 || a.shape[2] >= kTravelModeCount || a.shape[3] > 1) throw bad("shape");
  const std::size_t n = std::size_t(a.shape[0]);
  if (a.rank.size() != n) throw bad("rank");
  auto checkCsr = [&](const std::vector<std::uint32_t>& start,
                      const std::vector<std::uint32_t>& head, const std::vector<double>& cost,
                      const std::vector<double>& other, const char* what) {
    if (start.size() != n + 1 || start[0] != 0 || start[n] != head.size() ||
        cost.size() != head.size() || other.size() != head.size())
      throw bad(what);
    for (std::size_t v = 0; v < n; ++v)
      if (start[v] > start[v + 1]) throw bad(what);
    for (std::size_t v = 0; v < n; ++v)
      for (std::uint32_t k = start[v]; k < start[v + 1]; ++k)
        if (head[k] >= n || a.rank[head[k]] <= a.rank[v]) throw bad(what);
  };
  checkCsr(a.upStart, a.upHead, a.upCost, a.upOther, "up");
  checkCsr(a.downStart, a.downHead, a.downCost, a.downOther, "down");
  ContractionHierarchy ch;
  ch.arcs_ = a.shape[1];
  ch.mode_ = TravelMode(a.shape[2]);
  ch.cost_ = CostKind(a.shape[3]);
  ch.shortcuts_ = std::size_t(a.shape[4]);
  ch.rank_ = std::move(a.rank);
  ch.upStart_ = std::move(a.upStart);
  ch.upHead_ = std::move(a.upHead);
  ch.upCost_ = std::move(a.upCost);
  ch.upOther_ = std::move(a.upOther);
  ch.downStart_ = std::move(a.downStart);
  ch.downHead_ = std::move(a.downHead);
  ch.downCost_ = std::move(a.downCost);
  ch.downOther_ = std::move(a.downOther);
  return ch;
}

MatrixResult travelMatrix(const ContractionHierarchy& ch, const SearchGraph& graph,
                          std::span<const NetworkLocation> from,
                          std::span<const NetworkLocation> to, const MatrixOptions& options,
                          Progress& progress) {
  options.validate();
  if (!ch.matches(graph))
    throw OptionError("hierarchy", "the contraction hierarchy was built for another graph");
  MatrixResult r;
  r.rows = from.size();
  r.cols = to.size();
  r.length.assign(r.rows * r.cols, kUnreachable);
  r.time.assign(r.rows * r.cols, kUnreachable);
  if (r.rows == 0 || r.cols == 0) return r;
  ProgressStep step(progress, 0.0, 1.0, "travel-time matrix");
  const std::size_t n = ch.nodeCount();
  tbb::enumerable_thread_specific<UpwardSearch> engines([n] { return UpwardSearch(n); });

  // Backward: bucket entries per target, then one bucket list per node (in target order).
  struct Entry {
    std::uint32_t target;
    double cost, other;
  };
  std::vector<std::vector<std::pair<std::uint32_t, Entry>>> perTarget(r.cols);
  forEachIndex(r.cols, options.threads, [&](std::size_t j) {
    std::vector<Seed> tails;
    arrivingTails(graph, to[j], tails);
    auto& list = perTarget[j];
    engines.local().run(ch, false, tails, [&](std::uint32_t v, double c, double o) {
      list.push_back({v, {std::uint32_t(j), c, o}});
    });
  });
  progress.checkCancelled();
  std::vector<std::uint32_t> bucketStart(n + 1, 0);
  for (const auto& list : perTarget)
    for (const auto& e : list) ++bucketStart[e.first + 1];
  for (std::size_t v = 0; v < n; ++v) bucketStart[v + 1] += bucketStart[v];
  std::vector<Entry> buckets(bucketStart[n]);
  {
    std::vector<std::uint32_t> fill(bucketStart.begin(), bucketStart.end() - 1);
    for (auto& list : perTarget) {
      for (const auto& e : list) buckets[fill[e.first]++] = e.second;
      std::vector<std::pair<std::uint32_t, Entry>>().swap(list);
    }
  }

  // Forward: scan the buckets of every node an origin's upward search settles.
  const bool timeCost = graph.costKind() == CostKind::Time;
  std::atomic<std::size_t> done{0};
  forEachIndex(r.rows, options.threads, [&](std::size_t i) {
    std::vector<Seed> seeds;
    leavingSeeds(graph, from[i], 0, seeds);
    std::vector<double> bestCost(r.cols, kUnreachable), bestOther(r.cols, kUnreachable);
    engines.local().run(ch, true, seeds, [&](std::uint32_t v, double c, double o) {
      for (std::uint32_t k = bucketStart[v]; k < bucketStart[v + 1]; ++k) {
        const Entry& e = buckets[k];
        const double total = c + e.cost;
        if (total < bestCost[e.target]) {
          bestCost[e.target] = total;
          bestOther[e.target] = o + e.other;
        }
      }
    });
    for (std::size_t j = 0; j < r.cols; ++j) {
      double c = bestCost[j], o = bestOther[j];
      const Seed direct = directTrip(graph, from[i], to[j]);
      if (direct.cost < kUnreachable && direct.cost <= c) {
        c = direct.cost;
        o = direct.other;
      }
      if (c == kUnreachable) continue;
      r.length[i * r.cols + j] = timeCost ? o : c;
      r.time[i * r.cols + j] = timeCost ? c : o;
    }
    if ((i & 63u) == 0) progress.checkCancelled();
    step.tick(++done, r.rows);
  });
  step.done();
  return r;
}

}  // namespace veldwacht::geo
