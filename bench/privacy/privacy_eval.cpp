// privacy_eval — the figures of issue 12: how well donut geomasking hides the reporter's address
// (nearest-address attack success rate, target <= 1/k) and how well it keeps the clusters
// (Gi* hot cells kept, DBSCAN adjusted Rand index), on the sample region (signalen + BAG
// verblijfsobjecten of sample-data/eemsdelta.gpkg), on a dense synthetic town and on a sparse
// rural layout; and the public layer set of the sample store (suppression counts, checks).
//
//   privacy_eval [--sample PATH] [--seeds N] [--k K] [--k-outer K2]
//
// Every figure is the mean (min..max) over N masking seeds (1..N).
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "geo/privacy/geomask.h"
#include "geo/privacy/reidentification.h"
#include "layers/analyses/inputs.h"
#include "layers/privacy/public_layers.h"
#include "layers/store/store.h"
#include "tests/geo/privacy/synthetic_layouts.h"

using namespace veldwacht;

namespace {

struct Range {
  double sum = 0, lo = 1e300, hi = -1e300;
  int n = 0;
  void add(double v) {
    sum += v;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    ++n;
  }
  std::string str(const char* fmt = "%.3f") const {
    char a[32], b[32], c[32];
    std::snprintf(a, sizeof a, fmt, n ? sum / n : 0.0);
    std::snprintf(b, sizeof b, fmt, lo);
    std::snprintf(c, sizeof c, fmt, hi);
    return std::string(a) + " (" + b + ".." + c + ")";
  }
};

struct Case {
  std::string name;
  std::vector<geo::Point> signals;
  std::vector<geo::Point> addresses;
  double cellSize;  ///< Gi* cells
  double eps;       ///< DBSCAN
};

void evaluate(const Case& c, int seeds, std::size_t k, std::size_t kOuter) {
  Range attack, kept, jaccard, ari, median, low;
  for (int s = 1; s <= seeds; ++s) {
    geo::DonutMaskOptions o;
    o.k = k;
    o.kOuter = kOuter;
    o.seed = std::uint64_t(s);
    const auto m = geo::donutMask(c.signals, c.addresses, o);
    attack.add(geo::nearestAddressAttack(c.signals, m.masked, c.addresses).successRate);
    const auto h = geo::hotSpotKeeping(c.signals, m.masked, {.cellSize = c.cellSize});
    kept.add(h.kept);
    jaccard.add(h.jaccard);
    ari.add(geo::dbscanKeeping(c.signals, m.masked, {.eps = c.eps, .minPts = 5}).adjustedRand);
    auto d = m.displacement;
    std::sort(d.begin(), d.end());
    median.add(d[d.size() / 2]);
    low.add(d.front());
  }
  std::printf("%s: %zu signals, %zu addresses\n", c.name.c_str(), c.signals.size(),
              c.addresses.size());
  std::printf("  displacement (m)              median %s, least %s\n", median.str("%.0f").c_str(),
              low.str("%.1f").c_str());
  std::printf("  nearest-address attack        %s   target <= 1/%zu = %.3f  %s\n",
              attack.str().c_str(), k, 1.0 / double(k),
              attack.hi <= 1.0 / double(k) ? "met" : "NOT MET");
  std::printf("  Gi* hot cells kept (%4.0f m)   %s   Jaccard %s\n", c.cellSize, kept.str().c_str(),
              jaccard.str().c_str());
  std::printf("  DBSCAN ARI (eps %3.0f m, 5)     %s\n\n", c.eps, ari.str().c_str());
}

void publicLayerSet(const std::string& sample) {
  namespace fs = std::filesystem;
  const fs::path tmp = fs::temp_directory_path() / "veldwacht_privacy_eval.gpkg";
  fs::remove(tmp);
  fs::copy_file(sample, tmp);
  {
    auto store = layers::Store::open(tmp.string(), true);
    layers::PublicLayersOptions o;
    o.seed = 1;
    const auto report = layers::buildPublicLayers(*store, o);
    std::printf("Public layer set of the sample store (seed 1):\n");
    for (const auto& l : report.lines) std::printf("  %s\n", l.c_str());
    for (const auto& w : report.warnings) std::printf("  warning: %s\n", w.c_str());
    for (const auto& l : report.layers) {
      const auto problems = layers::checkPublicLayer(*store, l);
      std::printf("  check %-32s %s\n", l.c_str(), problems.empty() ? "passes" : "FAILS");
      for (const auto& p : problems) std::printf("    - %s\n", p.c_str());
    }
  }
  fs::remove(tmp);
}

}  // namespace

int main(int argc, char** argv) {
  std::string sample = std::string(VELDWACHT_SOURCE_DIR) + "/sample-data/eemsdelta.gpkg";
  int seeds = 10;
  std::size_t k = 8;
  std::size_t kOuter = 0;  // 0 = 2k
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--sample"))
      sample = argv[i + 1];
    else if (!std::strcmp(argv[i], "--seeds"))
      seeds = std::max(1, std::atoi(argv[i + 1]));
    else if (!std::strcmp(argv[i], "--k"))
      k = std::size_t(std::max(1, std::atoi(argv[i + 1])));
    else if (!std::strcmp(argv[i], "--k-outer"))
      kOuter = std::size_t(std::max(1, std::atoi(argv[i + 1])));
    else {
      std::fprintf(stderr,
                   "usage: privacy_eval [--sample PATH] [--seeds N] [--k K] [--k-outer K2]\n");
      return 2;
    }
  }
  if (kOuter == 0) kOuter = 2 * k;
  try {
    std::printf(
        "Donut geomasking, k = %zu, outer radius at the %zu-th address, >= 25 m; %d seeds "
        "each\n\n",
        k, kOuter, seeds);
    auto store = layers::Store::open(sample, false);
    Case eems{"Eemsdelta sample (" + sample + ")",
              layers::readPoints(*store, {"signalen", "", ""}).points,
              layers::readPoints(*store, {"verblijfsobjecten", "", ""}).points, 500.0, 300.0};
    store.reset();
    evaluate(eems, seeds, k, kOuter);
    const auto town = geo::testdata::denseTown(2000, 21);
    evaluate({"Dense synthetic town (2 km x 2 km)", town.signals, town.addresses, 200.0, 60.0},
             seeds, k, kOuter);
    const auto rural = geo::testdata::ruralLayout(2000, 22);
    evaluate({"Sparse rural layout (12 km x 12 km)", rural.signals, rural.addresses, 1000.0, 300.0},
             seeds, k, kOuter);
    publicLayerSet(sample);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "privacy_eval: %s\n", e.what());
    return 1;
  }
  return 0;
}
