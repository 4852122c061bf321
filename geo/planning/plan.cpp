#include "geo/planning/plan.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "geo/core/error.h"
#include "geo/planning/lns.h"

namespace veldwacht::geo {

namespace pd = planning_detail;

void PlanOptions::validate() const {
  if (!(timeLimitSeconds > 0.0) || !std::isfinite(timeLimitSeconds))
    throw OptionError("timeLimitSeconds", "must be finite and > 0");
  if (iterations < 1) throw OptionError("iterations", "must be at least 1");
  if (runs < 1 || runs > 1024) throw OptionError("runs", "must lie in 1..1024");
  if (threads > 1024) throw OptionError("threads", "must lie in 0..1024");
  for (double w : {weights.priority, weights.visit, weights.travel})
    if (!(w >= 0.0) || !std::isfinite(w)) throw OptionError("weights", "must be finite and >= 0");
  if (!lexicographic && !(weights.priority > 0.0 || weights.visit > 0.0))
    throw OptionError("weights", "priority or visit weight must be > 0");
}

const char* dropReasonName(DropReason reason) {
  switch (reason) {
    case DropReason::AlternativeVisited:
      return "an alternative of its group is visited";
    case DropReason::NoSkill:
      return "no partner with the skill";
    case DropReason::OutsideArea:
      return "outside the werkgebied of every partner with the skill";
    case DropReason::Unreachable:
      return "unreachable";
    case DropReason::DwellTooLong:
      return "dwell longer than any shift";
    case DropReason::TooFar:
      return "too far for any shift";
    case DropReason::NoShiftInWindow:
      return "no shift in its time window";
    case DropReason::OutOfTime:
      return "out of time";
  }
  return "unknown";
}

void validatePlanInput(const TravelTimes& matrix, std::span<const PlanSite> sites,
                       std::span<const PlanRoute> routes) {
  validatePlanInput(std::span<const TravelTimes>(&matrix, 1), sites, routes);
}

void validatePlanInput(std::span<const TravelTimes> matrices, std::span<const PlanSite> sites,
                       std::span<const PlanRoute> routes) {
  if (matrices.empty()) throw InputError({"matrix", std::nullopt, ""}, "no travel-time matrix");
  const std::size_t n = matrices.front().size;
  for (std::size_t m = 0; m < matrices.size(); ++m) {
    const TravelTimes& matrix = matrices[m];
    const std::string name = matrices.size() == 1 ? "matrix" : "matrix " + std::to_string(m + 1);
    if (matrix.size != n || matrix.times.size() != n * n)
      throw InputError({name, std::nullopt, ""}, "expected " + std::to_string(n) + " x " +
                                                     std::to_string(n) + " = " +
                                                     std::to_string(n * n) + " travel times, got " +
                                                     std::to_string(matrix.times.size()));
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        const double t = matrix.at(i, j);
        if (std::isnan(t) || t < 0.0)
          throw InputError({name, std::int64_t(i + 1), "column " + std::to_string(j + 1)},
                           "travel time must be >= 0 or +infinity (unreachable)");
      }
  }
  auto num = [](double v) {
    std::ostringstream s;
    s << v;
    return s.str();
  };
  for (std::size_t i = 0; i < sites.size(); ++i) {
    const auto& s = sites[i];
    const Location at{"sites", std::int64_t(i + 1), ""};
    auto fail = [&](const char* field, const std::string& what) {
      throw InputError({at.file, at.row, field}, what);
    };
    if (s.node >= n)
      fail("node", "matrix node " + std::to_string(s.node) + " out of range 0.." +
                       std::to_string(n == 0 ? 0 : n - 1));
    if (!(s.score >= 0.0) || !std::isfinite(s.score)) fail("score", "must be finite and >= 0");
    if (!(s.service >= 0.0) || !std::isfinite(s.service))
      fail("service", "dwell time must be finite and >= 0");
    if (std::isnan(s.open) || std::isnan(s.close) || s.open == kPlanInfinity)
      fail("open", "time window must be numbers with a finite start");
    if (s.group < -1) fail("group", "must be >= 0, or -1 for none");
    if (s.close < s.open)
      fail("close",
           "time window closes (" + num(s.close) + ") before it opens (" + num(s.open) + ")");
  }
  for (std::size_t k = 0; k < routes.size(); ++k) {
    const auto& r = routes[k];
    const Location at{"routes", std::int64_t(k + 1), ""};
    auto fail = [&](const char* field, const std::string& what) {
      throw InputError({at.file, at.row, field}, what);
    };
    if (r.startNode >= n) fail("startNode", "base (matrix node) out of range");
    if (r.endNode >= n) fail("endNode", "end depot (matrix node) out of range");
    if (!std::isfinite(r.start)) fail("start", "shift start must be finite");
    if (std::isnan(r.end) || r.end < r.start)
      fail("end", "shift ends (" + num(r.end) + ") before it starts (" + num(r.start) + ")");
    if (std::isnan(r.maxDuration) || r.maxDuration < 0.0)
      fail("maxDuration", "must be >= 0 (or infinity)");
    if (r.matrix >= matrices.size())
      fail("matrix", "matrix " + std::to_string(r.matrix) + " out of range 0.." +
                         std::to_string(matrices.size() - 1));
    for (std::size_t j : r.excluded)
      if (j >= sites.size()) fail("excluded", "site " + std::to_string(j) + " out of range");
  }
}

namespace {

class SharedMonitor final : public pd::RunMonitor {
 public:
  SharedMonitor(Progress& progress, std::atomic<std::size_t>& total, std::size_t budget,
                std::atomic<bool>& stop, std::chrono::steady_clock::time_point begin,
                double seconds, std::mutex& mutex)
      : progress_(progress),
        total_(total),
        budget_(budget),
        stop_(stop),
        begin_(begin),
        seconds_(seconds),
        mutex_(mutex) {}
  bool keepGoing(std::size_t done) override {
    if (stop_.load(std::memory_order_relaxed)) return false;
    if (done == 0) return true;
    const std::size_t all = total_.fetch_add(1, std::memory_order_relaxed) + 1;
    if ((all & 63) == 0) {
      std::lock_guard lock(mutex_);
      if (progress_.isCancelled()) {
        stop_.store(true);
        return false;
      }
      const double byTime =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - begin_).count() /
          seconds_;
      progress_.setFraction(std::min(1.0, std::max(double(all) / double(budget_), byTime)));
    }
    return true;
  }

 private:
  Progress& progress_;
  std::atomic<std::size_t>& total_;
  std::size_t budget_;
  std::atomic<bool>& stop_;
  std::chrono::steady_clock::time_point begin_;
  double seconds_;
  std::mutex& mutex_;
};

std::uint64_t runSeed(std::uint64_t seed, std::size_t run) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (run + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

DropReason whyDropped(const pd::Instance& in, const pd::Solution& s, std::size_t j) {
  if (in.group[j] >= 0 && s.groupUsed[std::size_t(in.group[j])] > 0)
    return DropReason::AlternativeVisited;
  bool skill = false, area = false, reach = false, dwell = false, near = false;
  for (std::size_t k = 0; k < in.nRoutes; ++k) {
    if (!in.skillOk[k * in.nSites + j]) continue;
    skill = true;
    if (!in.areaOk[k * in.nSites + j]) continue;
    area = true;
    if (in.tk(k, in.startNode[k], in.node[j]) >= pd::kUnreachable ||
        in.tk(k, in.node[j], in.endNode[k]) >= pd::kUnreachable)
      continue;
    reach = true;
    if (in.service[j] > in.routeEnd[k] - in.routeStart[k] + pd::kTimeEps) continue;
    dwell = true;
    const double there = in.tk(k, in.startNode[k], in.node[j]),
                 back = in.tk(k, in.node[j], in.endNode[k]);
    if (in.routeStart[k] + there + in.service[j] + back <= in.routeEnd[k] + pd::kTimeEps)
      near = true;
    if (in.can(k, j)) return DropReason::OutOfTime;
  }
  if (!skill) return DropReason::NoSkill;
  if (!area) return DropReason::OutsideArea;
  if (!reach) return DropReason::Unreachable;
  if (!dwell) return DropReason::DwellTooLong;
  if (!near) return DropReason::TooFar;
  return DropReason::NoShiftInWindow;
}

PlanResult buildResult(const pd::Instance& in, const pd::Solution& s) {
  PlanResult out;
  for (std::size_t k = 0; k < in.nRoutes; ++k) {
    const auto& r = s.routes[k];
    PlannedRoute pr;
    pr.route = k;
    pr.departure = in.routeStart[k];
    pr.arrival = r.endArrival;
    pr.travelTime = r.travel;
    pr.score = r.score;
    for (std::size_t p = 0; p < r.seq.size(); ++p) {
      const auto j = std::size_t(r.seq[p]);
      pr.visits.push_back(PlannedVisit{j, r.arrival[p], r.start[p] - r.arrival[p], r.start[p],
                                       r.start[p] + in.service[j]});
    }
    out.routes.push_back(std::move(pr));
  }
  for (std::size_t j = 0; j < in.nSites; ++j) {
    if (s.routeOf[j] >= 0) continue;
    out.dropped.push_back(DroppedSite{j, whyDropped(in, s, j), in.mandatory[j] != 0});
    if (in.mandatory[j])
      out.warnings.push_back("mandatory site " + std::to_string(j + 1) +
                             " not planned: " + dropReasonName(out.dropped.back().reason));
  }
  out.totalScore = s.score;
  out.visits = std::size_t(s.visits);
  out.mandatoryVisits = std::size_t(s.mandatory);
  out.travelTime = s.travel;
  return out;
}

}  // namespace

PlanResult solvePlan(const TravelTimes& matrix, std::span<const PlanSite> sites,
                     std::span<const PlanRoute> routes, const PlanOptions& options,
                     Progress& progress) {
  return solvePlan(std::span<const TravelTimes>(&matrix, 1), sites, routes, options, progress);
}

PlanResult solvePlan(std::span<const TravelTimes> matrices, std::span<const PlanSite> sites,
                     std::span<const PlanRoute> routes, const PlanOptions& options,
                     Progress& progress) {
  options.validate();
  validatePlanInput(matrices, sites, routes);
  progress.setPhase("planning");
  progress.checkCancelled();
  const pd::Instance in = pd::makeInstance(matrices, sites, routes, options);

  const std::size_t hw = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t threads = std::min(options.runs, options.threads == 0 ? hw : options.threads);
  const auto begin = std::chrono::steady_clock::now();
  // Each wave of `threads` runs gets an equal share of the time limit.
  const std::size_t waves = (options.runs + threads - 1) / threads;
  const double perRun = options.timeLimitSeconds / double(waves);

  std::vector<pd::RunOutput> outputs(options.runs);
  std::atomic<std::size_t> nextRun{0}, totalIterations{0};
  std::atomic<bool> stop{false};
  std::mutex progressMutex;
  std::exception_ptr failure;
  std::mutex failureMutex;
  auto worker = [&] {
    try {
      for (std::size_t r; (r = nextRun.fetch_add(1)) < options.runs;) {
        SharedMonitor monitor(progress, totalIterations, options.iterations * options.runs, stop,
                              begin, options.timeLimitSeconds, progressMutex);
        const pd::RunLimits limits{options.iterations, perRun, options.cpuTimeLimit};
        outputs[r] = pd::runSearch(in, runSeed(options.seed, r), limits, monitor);
      }
    } catch (...) {
      std::lock_guard lock(failureMutex);
      if (!failure) failure = std::current_exception();
      stop.store(true);
    }
  };
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  if (failure) std::rethrow_exception(failure);
  if (progress.isCancelled()) throw CancelledError();

  std::size_t best = 0, iterations = 0;
  for (std::size_t r = 0; r < outputs.size(); ++r) {
    iterations += outputs[r].iterations;
    if (r > 0 && pd::compareSolutions(in, outputs[r].best, outputs[best].best) > 0) best = r;
  }
  if (options.balanceWorkload) {
    // Dense partner ids in route order; a route without a partner is a partner of its own.
    std::vector<std::size_t> partnerOf(in.nRoutes);
    std::map<std::int64_t, std::size_t> dense;
    for (std::size_t k = 0; k < in.nRoutes; ++k) {
      const std::int64_t id = routes[k].partner >= 0 ? routes[k].partner : -1 - std::int64_t(k);
      partnerOf[k] = dense.emplace(id, dense.size()).first->second;
    }
    pd::balanceWorkload(in, partnerOf, outputs[best].best);
  }
  PlanResult result = buildResult(in, outputs[best].best);
  for (std::size_t k = 0; k < in.nRoutes; ++k)
    if (in.routeStart[k] + in.tk(k, in.startNode[k], in.endNode[k]) > in.routeEnd[k] + pd::kTimeEps)
      result.warnings.push_back("route " + std::to_string(k + 1) +
                                ": the trip from its start to its end alone does not fit the "
                                "shift; it stays empty");
  result.iterations = iterations;
  result.bestRun = best;
  progress.setFraction(1.0);
  return result;
}

std::vector<std::string> checkPlan(const TravelTimes& matrix, std::span<const PlanSite> sites,
                                   std::span<const PlanRoute> routes, const PlanResult& plan) {
  return checkPlan(std::span<const TravelTimes>(&matrix, 1), sites, routes, plan);
}

std::vector<std::string> checkPlan(std::span<const TravelTimes> matrices,
                                   std::span<const PlanSite> sites,
                                   std::span<const PlanRoute> routes, const PlanResult& plan) {
  std::vector<std::string> problems;
  const double eps = 1e-6;
  auto finite = [](double t) { return std::isfinite(t) ? t : kPlanInfinity; };
  if (plan.routes.size() != routes.size())
    problems.push_back("plan has " + std::to_string(plan.routes.size()) + " routes, expected " +
                       std::to_string(routes.size()));
  std::vector<int> seen(sites.size(), 0);
  double score = 0.0, travel = 0.0;
  std::size_t visits = 0;
  for (std::size_t k = 0; k < plan.routes.size() && k < routes.size(); ++k) {
    const auto& pr = plan.routes[k];
    const auto& r = routes[k];
    const std::string name = "route " + std::to_string(k + 1);
    if (r.matrix >= matrices.size()) {
      problems.push_back(name + ": unknown matrix " + std::to_string(r.matrix));
      continue;
    }
    const TravelTimes& matrix = matrices[r.matrix];
    std::size_t prev = r.startNode;
    double time = r.start, routeTravel = 0.0;
    for (std::size_t p = 0; p < pr.visits.size(); ++p) {
      const auto& v = pr.visits[p];
      const std::string at = name + " stop " + std::to_string(p + 1);
      if (v.site >= sites.size()) {
        problems.push_back(at + ": unknown site " + std::to_string(v.site));
        break;
      }
      const auto& s = sites[v.site];
      if (seen[v.site]++)
        problems.push_back(at + ": site " + std::to_string(v.site + 1) + " visited more than once");
      if ((s.skills & ~r.skills) != 0) problems.push_back(at + ": route lacks a needed skill");
      if (std::find(r.excluded.begin(), r.excluded.end(), v.site) != r.excluded.end())
        problems.push_back(at + ": site is excluded from this route (outside its werkgebied)");
      const double d = finite(matrix.at(prev, s.node));
      routeTravel += d;
      const double arrival = time + d;
      const double start = std::max(arrival, s.open);
      if (!std::isfinite(arrival)) problems.push_back(at + ": unreachable");
      if (start > s.close + eps) problems.push_back(at + ": service starts after the window");
      if (std::abs(v.arrival - arrival) > eps || std::abs(v.serviceStart - start) > eps ||
          std::abs(v.departure - (start + s.service)) > eps ||
          std::abs(v.wait - (start - arrival)) > eps)
        problems.push_back(at + ": reported times differ from the matrix");
      time = start + s.service;
      prev = s.node;
      score += s.score;
      ++visits;
    }
    const double d = finite(matrix.at(prev, r.endNode));
    routeTravel += d;
    const double end = time + d;
    const double limit = std::min(r.end, r.start + r.maxDuration);
    // An empty route is not driven (its trip from start to end may not even fit the shift).
    if (!pr.visits.empty() && !(end <= limit + eps))
      problems.push_back(name + ": reaches its end depot too late");
    if (std::abs(end - pr.arrival) > eps)
      problems.push_back(name + ": reported end arrival differs from the matrix");
    if (std::abs(routeTravel - pr.travelTime) > eps * std::max(1.0, routeTravel))
      problems.push_back(name + ": reported travel time differs from the matrix");
    travel += routeTravel;
  }
  std::map<std::int64_t, int> groups;
  for (std::size_t j = 0; j < sites.size(); ++j)
    if (seen[j] && sites[j].group >= 0 && ++groups[sites[j].group] == 2)
      problems.push_back("group " + std::to_string(sites[j].group) +
                         ": more than one alternative visited");
  std::vector<int> dropped(sites.size(), 0);
  for (const auto& d : plan.dropped)
    if (d.site < sites.size()) ++dropped[d.site];
  for (std::size_t j = 0; j < sites.size(); ++j)
    if (seen[j] + dropped[j] != 1)
      problems.push_back("site " + std::to_string(j + 1) + ": visited " + std::to_string(seen[j]) +
                         " times and dropped " + std::to_string(dropped[j]) + " times");
  if (std::abs(score - plan.totalScore) > 1e-6 * std::max(1.0, score))
    problems.push_back("total score differs from the visits");
  if (visits != plan.visits) problems.push_back("number of visits differs");
  if (std::abs(travel - plan.travelTime) > 1e-6 * std::max(1.0, travel))
    problems.push_back("total travel time differs");
  return problems;
}

}  // namespace veldwacht::geo
