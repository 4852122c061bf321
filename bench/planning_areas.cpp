// Balanced areas against exact optima (COIN-OR CBC, geo/planning/areas_exact.h) on small seeded
// cases (tests/geo/planning/area_instances.h: 4 x 4 to 5 x 5 square or hexagonal cells, 2-3
// areas, tolerance ±10 %). Per case:
//   D*      with --best-balance 1: the smallest largest deviation any contiguous split reaches
//           (CBC, proven; slow, the LP bound on D is weak);
//   dev     veldwacht's largest deviation (geo::balancedAreas, default options, seed 1);
//   bal     veldwacht balanced (|dev| <= 10 %) and a balanced contiguous split exists (CBC finds
//           the most compact one, or proves there is none): yes / no, YES? (claims one that CBC
//           says cannot exist) or NO (missed one);
//   contig  every veldwacht area contiguous (checked here, independently);
//   H*, H   Hess inertia (sum of squared distances to the area's best centre unit) of CBC's most
//           compact balanced split and of veldwacht's split; gap = H / H* - 1;
//   R2*, R2 compactness as veldwacht reports it (1 - within / total inertia) of both splits.
//
//   planning_areas [--cases N] [--first-seed S] [--restarts R] [--seconds T] [--best-balance 1]
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "area_instances.h"
#include "geo/planning/areas.h"
#include "geo/planning/areas_exact.h"

using namespace veldwacht::geo;

namespace {

/// CPU seconds of this process (the machine is shared; wall time says little).
double cpuSeconds() { return double(std::clock()) / CLOCKS_PER_SEC; }

/// 1 - within / total inertia of the unit centroids (as AreaResult::compactness).
double compactness(const testing::AreaInstance& g, const std::vector<std::size_t>& areaOf) {
  const std::size_t n = areaOf.size();
  double cx = 0, cy = 0;
  for (const auto& p : g.centroids) {
    cx += p.x / double(n);
    cy += p.y / double(n);
  }
  double total = 0, within = 0;
  for (const auto& p : g.centroids) total += (p.x - cx) * (p.x - cx) + (p.y - cy) * (p.y - cy);
  for (std::size_t a = 0; a < g.areas; ++a) {
    double sx = 0, sy = 0, m = 0;
    for (std::size_t u = 0; u < n; ++u)
      if (areaOf[u] == a) {
        sx += g.centroids[u].x;
        sy += g.centroids[u].y;
        ++m;
      }
    for (std::size_t u = 0; u < n; ++u)
      if (areaOf[u] == a)
        within += std::pow(g.centroids[u].x - sx / m, 2) + std::pow(g.centroids[u].y - sy / m, 2);
  }
  return 1.0 - within / total;
}

}  // namespace

int main(int argc, char** argv) {
  int cases = 24;
  std::uint64_t firstSeed = 1;
  std::size_t restarts = AreaOptions{}.restarts;
  double limit = 120.0;
  bool withBestBalance = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    if (k == "--cases")
      cases = std::atoi(argv[i + 1]);
    else if (k == "--first-seed")
      firstSeed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (k == "--restarts")
      restarts = std::size_t(std::atoi(argv[i + 1]));
    else if (k == "--best-balance")
      withBestBalance = std::atoi(argv[i + 1]) != 0;
    else if (k == "--seconds")
      limit = std::atof(argv[i + 1]);
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const double tol = 0.10;
  std::printf("%-5s %-9s %2s %2s %7s %7s %-5s %-6s %8s %8s %7s %6s %6s %6s %6s %6s\n", "seed",
              "shape", "n", "k", "D*", "dev", "bal", "contig", "H*", "H", "gap", "R2*", "R2",
              "D*_s", "H*_s", "vw_s");
  int balancedExists = 0, balancedFound = 0, contiguousAll = 0, compared = 0, unproven = 0;
  int atOptimum = 0;
  double gapSum = 0, gapMax = 0, devExcessSum = 0, r2Sum = 0, r2StarSum = 0;
  for (int s = 0; s < cases; ++s) {
    const std::uint64_t seed = firstSeed + std::uint64_t(s);
    const auto g = testing::randomAreaInstance(seed);
    const std::size_t n = g.workload.size();
    // The most compact balanced split (infeasible: no balanced contiguous split exists).
    double t0 = cpuSeconds();
    const auto compact =
        compactAreasExact(g.workload, g.centroids, g.adjacency, g.areas, tol, limit);
    const double compactSeconds = cpuSeconds() - t0;
    // The best balance any contiguous split reaches (slow: CBC's bound on D is weak).
    t0 = cpuSeconds();
    ExactAreasResult bestD;
    if (withBestBalance)
      bestD = bestBalanceExact(g.workload, g.centroids, g.adjacency, g.areas, limit);
    const double balanceSeconds = cpuSeconds() - t0;
    AreaOptions o;
    o.areas = g.areas;
    o.tolerance = tol;
    o.seed = 1;
    o.restarts = restarts;
    t0 = cpuSeconds();
    const auto vw = balancedAreas(g.workload, g.centroids, g.adjacency, o);
    const double vwSeconds = cpuSeconds() - t0;
    const bool contig = testing::allContiguous(g, vw.areaOf, g.areas);
    contiguousAll += contig;
    unproven += (withBestBalance && !bestD.optimal) || !(compact.optimal || compact.infeasible);
    const bool exists = compact.optimal;
    balancedExists += exists;
    balancedFound += exists && vw.balanced;
    if (withBestBalance) devExcessSum += vw.maxDeviation - bestD.objective;
    char dStar[32] = "-";
    if (withBestBalance && bestD.optimal)
      std::snprintf(dStar, sizeof dStar, "%.1f%%", 100.0 * bestD.objective);
    const double hVw = hessInertia(vw.areaOf, g.centroids, g.areas);
    char gapText[32] = "-", hStar[32] = "-", r2Star[32] = "-";
    if (compact.optimal) {
      std::snprintf(hStar, sizeof hStar, "%.3f", compact.objective);
      const double r2s = compactness(g, compact.areaOf);
      std::snprintf(r2Star, sizeof r2Star, "%.3f", r2s);
      if (vw.balanced) {
        const double gap = hVw / compact.objective - 1.0;
        std::snprintf(gapText, sizeof gapText, "%.1f%%", 100.0 * gap);
        gapSum += gap;
        gapMax = std::max(gapMax, gap);
        atOptimum += gap < 1e-9;
        r2Sum += vw.compactness;
        r2StarSum += r2s;
        ++compared;
      }
    }
    std::printf(
        "%-5llu %-9s %2zu %2zu %7s %6.1f%% %-5s %-6s %8s %8.3f %7s %6s %6.3f %6.2f %6.2f "
        "%6.3f\n",
        (unsigned long long)seed, g.shape.c_str(), n, g.areas, dStar, 100.0 * vw.maxDeviation,
        vw.balanced ? (exists ? "yes" : "YES?") : (exists ? "NO" : "no"), contig ? "yes" : "NO",
        hStar, hVw, gapText, r2Star, vw.compactness, balanceSeconds, compactSeconds, vwSeconds);
  }
  std::printf("\n%d cases (tolerance 10 %%, veldwacht seed 1, %zu restarts; times are CPU s):\n",
              cases, restarts);
  std::printf("  a balanced contiguous split exists: %d; veldwacht found one: %d\n", balancedExists,
              balancedFound);
  if (withBestBalance)
    std::printf("  veldwacht's largest deviation above the optimum D*: mean %.2f points\n",
                100.0 * devExcessSum / cases);
  std::printf("  veldwacht areas all contiguous: %d of %d\n", contiguousAll, cases);
  if (compared > 0)
    std::printf(
        "  compactness (Hess inertia) gap over %d balanced cases: mean %.1f %%, max %.1f %%, at "
        "the optimum %d; R2 mean %.3f (CBC's split %.3f)\n",
        compared, 100.0 * gapSum / compared, 100.0 * gapMax, atOptimum, r2Sum / compared,
        r2StarSum / compared);
  if (unproven > 0) std::printf("  CBC did not prove optimality in %d cases\n", unproven);
  return 0;
}
