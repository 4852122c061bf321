// planning_bench FILE --format top|toptw [--m M] [--seconds S] [--seed N] [--iterations I]
//                [--runs R] [--threads T] [--check] [--verbose] [--cpu]
// Solves one public orienteering instance and prints `instance m score seconds` (one line).
// --cpu: the time limit and the printed seconds are CPU time (process), not wall-clock time;
// use it on a shared machine.
// bench/planning/run_benchmarks.py runs whole sets and prints the gap to the reference scores.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <string>

#include "geo/core/error.h"
#include "geo/planning/instances.h"
#include "geo/planning/plan.h"

using namespace veldwacht::geo;

namespace {
[[noreturn]] void usage(const char* why) {
  std::fprintf(
      stderr,
      "%s\nusage: planning_bench FILE --format top|toptw [--m M] [--seconds S] "
      "[--seed N] [--iterations I] [--runs R] [--threads T] [--check] [--verbose] [--cpu]\n",
      why);
  std::exit(2);
}
}  // namespace

int main(int argc, char** argv) {
  std::string file, format;
  std::size_t m = 0;
  bool check = false, verbose = false;
  PlanOptions options;
  options.timeLimitSeconds = 2.0;
  options.iterations = 1000000000;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) usage(("missing value for " + a).c_str());
        return argv[++i];
      };
      if (a == "--format")
        format = value();
      else if (a == "--m")
        m = std::stoul(value());
      else if (a == "--seconds")
        options.timeLimitSeconds = std::stod(value());
      else if (a == "--seed")
        options.seed = std::stoull(value());
      else if (a == "--iterations")
        options.iterations = std::stoul(value());
      else if (a == "--runs")
        options.runs = std::stoul(value());
      else if (a == "--threads")
        options.threads = std::stoul(value());
      else if (a == "--check")
        check = true;
      else if (a == "--verbose")
        verbose = true;
      else if (a == "--cpu")
        options.cpuTimeLimit = true;
      else if (!a.empty() && a[0] == '-')
        usage(("unknown option " + a).c_str());
      else
        file = a;
    }
  } catch (const std::exception& e) {
    usage(e.what());
  }
  if (file.empty()) usage("missing FILE");
  if (format != "top" && format != "toptw") usage("--format must be top or toptw");
  if (format == "toptw" && m == 0) usage("--m is required for toptw");
  try {
    const PlanInstance inst =
        format == "top" ? readTopInstance(file, m) : readToptwInstance(file, m);
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();
    const PlanResult r = solvePlan(inst.matrix(), inst.sites, inst.routes, options);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = double(std::clock() - c0) / CLOCKS_PER_SEC;
    const double seconds = options.cpuTimeLimit ? cpu : wall;
    std::printf("%s %zu %.10g %.3f\n", inst.name.c_str(), inst.routes.size(), r.totalScore,
                seconds);
    if (verbose)
      std::fprintf(stderr, "%s: %zu iterations, %zu visits, travel %.6g, wall %.3f s, cpu %.3f s\n",
                   inst.name.c_str(), r.iterations, r.visits, r.travelTime, wall, cpu);
    if (check) {
      const auto problems = checkPlan(inst.matrix(), inst.sites, inst.routes, r);
      for (const auto& p : problems) std::fprintf(stderr, "infeasible: %s\n", p.c_str());
      if (!problems.empty()) return 1;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "planning_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
