// Prospective validation of the risk terrain model on a synthetic, seeded, risk-driven process
// with known ground truth (docs/algorithms/risk.md): three yearly periods; every forecast may use
// periods 1-2 and is tested on period 3. Prints the Predictive Accuracy Index and hit rate at
// 5 % and 10 % of the area for RTM (registers only; registers + roads; registers + roads +
// earlier signals), KDE-only, Gi*-only and the true rate (the ceiling), side by side.
//
//   validate_risk [--seeds N] [--first-seed S] [--events E] [--cell M] [--fast 1]
//
// The region (20 x 16 km, EPSG:28992 around Delfzijl) per seed:
//  - 10 villages of 150 dwellings (normal, sd 300 m) and 400 scattered farmhouses: BAG dwellings;
//  - 80 vacant barns (VAB) 40-80 m from a random farmhouse;
//  - 5 business parks of 15 lots each (normal, sd 250 m) 600-1000 m from a village centre;
//  - roads (NWB-like wegvakken): a lattice of municipal roads every 2 km, two of its lines
//    provincial (the main roads: y = 8 km from the top, x = 14 km); 120 dead-end spurs of
//    400-1200 m from lattice junctions, diagonally; 60 waterschap tracks (farm tracks) along a
//    diagonal of a lattice square;
//  - per cell, per period, events ~ Poisson(mu) with
//      log mu = b0 + 1.1 [a VAB within 400 m] + 0.7 [a park lot within 300 m]
//                  + 0.5 [no dwelling within 500 m] + 1.5 [within 300 m of one of 3 "rented
//                  barns" (a persistent local cluster the register factors do not explain)]
//                  + 0.8 [a dead-end wegvak within 200 m] + 0.6 [a farm track within 300 m]
//                  + 0.5 [at most 4 minutes by car from a main road]
//    (road factors as geo/risk/road_factors.h computes them), b0 set so that a period has
//    `events` expected events; events lie uniformly in their cell and their period's year;
//  - periods 1, 2 and 3 are independent draws of the same process.
// Forecasts of period 3: RTM registers only and RTM registers + roads fit the counts of periods
// 1-2; RTM + eerder fits period 2 with the earlier-signals factor of period 1 (decayed to the
// start of period 2) and forecasts with the factor of periods 1-2 (decayed to the start of
// period 3), as layers/risk does; KDE-only is a quartic KDE of the events of periods 1-2;
// Gi*-only ranks cells by the Gi* z of the counts of periods 1-2.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "geo/density/kde.h"
#include "geo/hotspots/gistar.h"
#include "geo/hotspots/weights.h"
#include "geo/network/graph.h"
#include "geo/risk/influence.h"
#include "geo/risk/risk_terrain.h"
#include "geo/risk/road_factors.h"
#include "geo/risk/validation.h"

using namespace veldwacht::geo;

namespace {

struct Args {
  int seeds = 5;
  std::uint64_t firstSeed = 1;
  double events = 600.0;
  double cell = 100.0;
  bool fast = false;  ///< 4 folds and 20 lambdas (a smoke run), instead of the defaults
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    if (k == "--seeds")
      a.seeds = std::atoi(argv[i + 1]);
    else if (k == "--first-seed")
      a.firstSeed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (k == "--events")
      a.events = std::atof(argv[i + 1]);
    else if (k == "--cell")
      a.cell = std::atof(argv[i + 1]);
    else if (k == "--fast")
      a.fast = std::atoi(argv[i + 1]) != 0;
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      std::exit(2);
    }
  }
  return a;
}

struct Region {
  RasterGrid grid;
  std::vector<Point> dwellings, barns, lots, rented;
  RoadNetwork roads;
  std::vector<Point> deadEnds, farmTracks;  ///< points every 50 m along them
  std::vector<double> minutesToMainRoad;    ///< per cell
  std::vector<double> mu;                   ///< true expected events per cell per period
};

WegvakRecord wegvak(std::int64_t id, std::int64_t beg, std::int64_t end, Point a, Point b,
                    const char* beheerder) {
  WegvakRecord r;
  r.wvkId = id;
  r.junctionBegin = beg;
  r.junctionEnd = end;
  r.rijrichting = "B";
  r.wegbeheerder = beheerder;
  r.line = {a, b};
  return r;
}

/// The lattice, spurs and tracks of the header.
RoadNetwork makeRoads(double x0, double y1, double w, double h, std::mt19937_64& rng) {
  const double step = 2000.0;
  const int cols = int(w / step) + 1, rows = int(h / step) + 1;
  const int mainRow = 4, mainCol = 7;
  auto node = [&](int c, int r) { return std::int64_t(r * cols + c + 1); };
  auto at = [&](int c, int r) { return Point{x0 + c * step, y1 - r * step}; };
  std::vector<WegvakRecord> rec;
  std::int64_t id = 1;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      if (c + 1 < cols)
        rec.push_back(wegvak(id++, node(c, r), node(c + 1, r), at(c, r), at(c + 1, r),
                             r == mainRow ? "P" : "G"));
      if (r + 1 < rows)
        rec.push_back(wegvak(id++, node(c, r), node(c, r + 1), at(c, r), at(c, r + 1),
                             c == mainCol ? "P" : "G"));
    }
  std::uniform_int_distribution<int> pc(0, cols - 1), pr(0, rows - 1), quad(0, 3);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::int64_t junction = std::int64_t(rows * cols) + 1;
  for (int k = 0; k < 120; ++k) {
    const int c = pc(rng), r = pr(rng);
    const double ang =
        std::numbers::pi / 4 + quad(rng) * std::numbers::pi / 2 + (unit(rng) - 0.5) * 0.7;
    const double len = 400 + 800 * unit(rng);
    const Point a = at(c, r);
    rec.push_back(wegvak(id++, node(c, r), junction++, a,
                         {a.x + len * std::cos(ang), a.y + len * std::sin(ang)}, "G"));
  }
  std::uniform_int_distribution<int> pc1(0, cols - 2), pr1(0, rows - 2), flip(0, 1);
  for (int k = 0; k < 60; ++k) {
    const int c = pc1(rng), r = pr1(rng);
    if (flip(rng))
      rec.push_back(wegvak(id++, node(c, r), node(c + 1, r + 1), at(c, r), at(c + 1, r + 1), "W"));
    else
      rec.push_back(wegvak(id++, node(c + 1, r), node(c, r + 1), at(c + 1, r), at(c, r + 1), "W"));
  }
  return RoadNetwork::build(rec, {});
}

std::vector<Point> cellCentres(const RasterGrid& g) {
  std::vector<Point> centres;
  centres.reserve(g.size());
  for (std::int32_t r = 0; r < g.rows; ++r)
    for (std::int32_t c = 0; c < g.cols; ++c) centres.push_back({g.centreX(c), g.centreY(r)});
  return centres;
}

Region makeRegion(std::uint64_t seed, const Args& a) {
  Region r;
  const double x0 = 250000.0, y1 = 600000.0, w = 20000.0, h = 16000.0;
  r.grid = {x0, y1, a.cell, std::int32_t(w / a.cell), std::int32_t(h / a.cell)};
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> ux(x0 + 500, x0 + w - 500), uy(y1 - h + 500, y1 - 500);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> n01(0.0, 1.0);
  std::vector<Point> villages(10), farms(400);
  for (auto& v : villages) v = {ux(rng), uy(rng)};
  for (const auto& v : villages)
    for (int k = 0; k < 150; ++k)
      r.dwellings.push_back({v.x + 300 * n01(rng), v.y + 300 * n01(rng)});
  for (auto& f : farms) {
    f = {ux(rng), uy(rng)};
    r.dwellings.push_back(f);
  }
  for (int k = 0; k < 80; ++k) {
    const Point f = farms[rng() % farms.size()];
    const double ang = 2 * std::numbers::pi * unit(rng), d = 40 + 40 * unit(rng);
    r.barns.push_back({f.x + d * std::cos(ang), f.y + d * std::sin(ang)});
  }
  for (int p = 0; p < 5; ++p) {
    const Point v = villages[std::size_t(p)];
    const double ang = 2 * std::numbers::pi * unit(rng), d = 600 + 400 * unit(rng);
    const Point c{v.x + d * std::cos(ang), v.y + d * std::sin(ang)};
    for (int k = 0; k < 15; ++k) r.lots.push_back({c.x + 250 * n01(rng), c.y + 250 * n01(rng)});
  }
  for (int k = 0; k < 3; ++k) r.rented.push_back(r.barns[std::size_t(k)]);
  r.roads = makeRoads(x0, y1, w, h, rng);
  r.deadEnds = wegvakPoints(r.roads, deadEndWegvakken(r.roads, TravelMode::Auto), 50.0);
  r.farmTracks = wegvakPoints(r.roads, farmTrackWegvakken(r.roads, TravelMode::Landbouw), 50.0);
  {
    const SearchGraph graph(r.roads, TravelMode::Auto, CostKind::Time);
    const auto seconds = travelTimeToWegvakken(graph, mainRoadWegvakken(r.roads, TravelMode::Auto),
                                               cellCentres(r.grid), std::max(1000.0, 2 * a.cell));
    r.minutesToMainRoad.resize(seconds.size());
    for (std::size_t i = 0; i < seconds.size(); ++i) r.minutesToMainRoad[i] = seconds[i] / 60.0;
  }
  const auto nearDeadEnd = nearestFeatureDistance(r.deadEnds, r.grid);
  const auto nearTrack = nearestFeatureDistance(r.farmTracks, r.grid);
  const auto nearBarn = nearestFeatureDistance(r.barns, r.grid);
  const auto nearLot = nearestFeatureDistance(r.lots, r.grid);
  const auto nearHome = nearestFeatureDistance(r.dwellings, r.grid);
  const auto nearRented = nearestFeatureDistance(r.rented, r.grid);
  std::vector<double> eta(r.grid.size());
  double total = 0.0;
  for (std::size_t i = 0; i < eta.size(); ++i) {
    eta[i] = 1.1 * (nearBarn[i] <= 400) + 0.7 * (nearLot[i] <= 300) + 0.5 * (nearHome[i] > 500) +
             1.5 * (nearRented[i] <= 300) + 0.8 * (nearDeadEnd[i] <= 200) +
             0.6 * (nearTrack[i] <= 300) + 0.5 * (r.minutesToMainRoad[i] <= 4.0);
    total += std::exp(eta[i]);
  }
  const double b0 = std::log(a.events / total);
  r.mu.resize(eta.size());
  for (std::size_t i = 0; i < eta.size(); ++i) r.mu[i] = std::exp(b0 + eta[i]);
  return r;
}

struct Period {
  std::vector<double> counts;
  std::vector<Point> events;
  std::vector<TimeSeconds> times;
};

constexpr TimeSeconds kYear = 365 * 86400;
constexpr TimeSeconds kStart = 1'600'000'000;  ///< period k runs from kStart + k * kYear

Period draw(const Region& r, int period, std::mt19937_64& rng) {
  Period p;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_int_distribution<TimeSeconds> when(kStart + period * kYear,
                                                  kStart + (period + 1) * kYear - 1);
  p.counts.resize(r.mu.size());
  for (std::int32_t row = 0; row < r.grid.rows; ++row)
    for (std::int32_t col = 0; col < r.grid.cols; ++col) {
      const std::size_t i = std::size_t(row) * std::size_t(r.grid.cols) + std::size_t(col);
      std::poisson_distribution<int> pois(r.mu[i]);
      const int k = pois(rng);
      p.counts[i] = k;
      for (int e = 0; e < k; ++e) {
        p.events.push_back({r.grid.originX + (col + unit(rng)) * r.grid.pixelSize,
                            r.grid.originY - (row + unit(rng)) * r.grid.pixelSize});
        p.times.push_back(when(rng));
      }
    }
  return p;
}

std::vector<double> kdeScore(const Period& p, const RasterGrid& g, double bandwidth) {
  return featureDensity(p.events, {}, g, bandwidth);
}

Period joined(const Period& a, const Period& b) {
  Period p = a;
  for (std::size_t i = 0; i < p.counts.size(); ++i) p.counts[i] += b.counts[i];
  p.events.insert(p.events.end(), b.events.begin(), b.events.end());
  p.times.insert(p.times.end(), b.times.begin(), b.times.end());
  return p;
}

/// As layers/risk: 1 within t minutes of a main road, t = 1, 2, 3, 4, 6, 8.
RiskFactor roadAccessCandidates(const Region& r) {
  RiskFactor f;
  f.name = "wegtoegang";
  for (double t : {1.0, 2.0, 3.0, 4.0, 6.0, 8.0}) {
    Operationalisation o;
    o.kind = InfluenceKind::Proximity;
    o.distance = t;
    o.label = "reistijd <= " + std::to_string(int(t)) + " min";
    for (double m : r.minutesToMainRoad) o.values.push_back(m <= t ? 1.0 : 0.0);
    f.candidates.push_back(std::move(o));
  }
  return f;
}

std::vector<double> giStarScore(const Period& p, const RasterGrid& g, double band) {
  const auto w = distanceBandWeights(cellCentres(g), {.band = band}).weights;
  return getisOrdGiStar(p.counts, w, {.permutations = 0}).z;
}

/// One forecast's four figures per seed (PAI and hit rate at 5 % and 10 %).
struct Row {
  std::string name;
  std::vector<std::array<double, 4>> perSeed;
};

/// Mean, sample standard deviation (n - 1; 0 for one seed), minimum and maximum.
struct Spread {
  double mean = 0, sd = 0, min = 0, max = 0;
};

Spread spreadOf(const std::vector<std::array<double, 4>>& v, std::size_t i) {
  Spread s;
  if (v.empty()) return s;
  s.min = s.max = v[0][i];
  for (const auto& x : v) {
    s.mean += x[i] / double(v.size());
    s.min = std::min(s.min, x[i]);
    s.max = std::max(s.max, x[i]);
  }
  if (v.size() > 1) {
    double ss = 0;
    for (const auto& x : v) ss += (x[i] - s.mean) * (x[i] - s.mean);
    s.sd = std::sqrt(ss / double(v.size() - 1));
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress per line when piped to a file
  const Args a = parse(argc, argv);
  const std::vector<double> fractions{0.05, 0.10};
  std::vector<std::string> names;
  std::vector<Row> sum;
  std::printf(
      "risk validation: synthetic region 20 x 16 km with roads, %.0f m cells, ~%.0f "
      "events/period, history periods 1-2, test period 3\n\n",
      a.cell, a.events);
  std::printf("%-6s %-33s %8s %8s %8s %8s\n", "seed", "forecast", "PAI@5%", "hit@5%", "PAI@10%",
              "hit@10%");
  for (int s = 0; s < a.seeds; ++s) {
    const std::uint64_t seed = a.firstSeed + std::uint64_t(s);
    const Region region = makeRegion(seed, a);
    std::mt19937_64 rng(seed * 7919 + 17);
    const Period p1 = draw(region, 0, rng), p2 = draw(region, 1, rng), test = draw(region, 2, rng);
    const Period history = joined(p1, p2);

    RiskTerrainOptions model;
    if (a.fast) {
      model.cv.folds = 4;
      model.net.nLambda = 20;
    }
    InfluenceOptions io;  // 100..1000 m; half-lives 30, 90, 180, 365 days
    std::vector<RiskFactor> registers;
    registers.push_back(influenceCandidates("vab", region.barns, region.grid, {}, io));
    registers.push_back(influenceCandidates("bedrijventerrein", region.lots, region.grid, {}, io));
    registers.push_back(
        remotenessCandidates("afgelegen", region.dwellings, region.grid, io.distances));
    std::vector<RiskFactor> roads = registers;
    roads.push_back(roadAccessCandidates(region));
    roads.push_back(influenceCandidates("doodlopend", region.deadEnds, region.grid, {}, io));
    roads.push_back(influenceCandidates("veldweg", region.farmTracks, region.grid, {}, io));

    struct Fit {
      std::string name;
      RiskTerrainResult result;
      double seconds = 0;
    };
    std::vector<Fit> fits;
    auto timed = [&](std::string name, auto&& fit) {
      const auto t0 = std::chrono::steady_clock::now();
      RiskTerrainResult res = fit();
      fits.push_back(
          {std::move(name), std::move(res),
           std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()});
    };
    timed("RTM registers", [&] { return fitRiskTerrain(history.counts, {}, registers, model); });
    timed("RTM + roads", [&] { return fitRiskTerrain(history.counts, {}, roads, model); });
    timed("RTM + roads + eerder", [&] {
      auto withEarlier = roads;
      withEarlier.push_back(
          decayedSignalCandidates("eerder", p1.events, p1.times, region.grid, kStart + kYear, io));
      auto fit = fitRiskTerrain(p2.counts, {}, withEarlier, model);
      withEarlier.back() = decayedSignalCandidates("eerder", history.events, history.times,
                                                   region.grid, kStart + 2 * kYear, io);
      applyRiskTerrain(fit, withEarlier, {});
      return fit;
    });

    std::vector<std::pair<std::string, std::vector<double>>> forecasts;
    for (const auto& f : fits) forecasts.emplace_back(f.name, f.result.relativeRisk);
    forecasts.emplace_back("KDE-only (500 m)", kdeScore(history, region.grid, 500.0));
    forecasts.emplace_back("KDE-only (1000 m)", kdeScore(history, region.grid, 1000.0));
    forecasts.emplace_back("Gi*-only (z, band 300 m)", giStarScore(history, region.grid, 300.0));
    forecasts.emplace_back("true rate (ceiling)", region.mu);
    if (sum.empty())
      for (const auto& f : forecasts) sum.push_back(Row{f.first, {}});
    for (std::size_t k = 0; k < forecasts.size(); ++k) {
      const auto acc = forecastAccuracy(forecasts[k].second, test.counts, {}, fractions);
      std::printf("%-6llu %-33s %8.2f %8.3f %8.2f %8.3f\n", (unsigned long long)seed,
                  forecasts[k].first.c_str(), acc.at[0].pai, acc.at[0].hitRate, acc.at[1].pai,
                  acc.at[1].hitRate);
      sum[k].perSeed.push_back(
          {acc.at[0].pai, acc.at[0].hitRate, acc.at[1].pai, acc.at[1].hitRate});
    }
    std::printf("       events: period 1 %zu, period 2 %zu, period 3 %zu\n", p1.events.size(),
                p2.events.size(), test.events.size());
    for (const auto& f : fits) {
      std::printf("       %s (fit %.1f s):\n", f.name.c_str(), f.seconds);
      for (const auto& fs : f.result.factors)
        std::printf("         %-17s %-36s coef %+.3f  RRV %.2f  importance %.2f%s\n",
                    fs.name.c_str(), fs.operationalisation.c_str(), fs.coefficient, fs.relativeRisk,
                    fs.importance, fs.selected ? "" : "  (not selected)");
    }
    std::printf("\n");
  }
  std::printf("mean over %d seeds\n", a.seeds);
  for (const auto& r : sum)
    std::printf("%-40s %8.2f %8.3f %8.2f %8.3f\n", r.name.c_str(), spreadOf(r.perSeed, 0).mean,
                spreadOf(r.perSeed, 1).mean, spreadOf(r.perSeed, 2).mean,
                spreadOf(r.perSeed, 3).mean);
  std::printf("\nmean ± sd (min–max) over %d seeds\n", a.seeds);
  std::printf("%-33s %-22s %-25s %-22s %-25s\n", "forecast", "PAI@5%", "hit@5%", "PAI@10%",
              "hit@10%");
  for (const auto& r : sum) {
    std::printf("%-33s", r.name.c_str());
    for (std::size_t i = 0; i < 4; ++i) {
      const Spread s = spreadOf(r.perSeed, i);
      if (i % 2 == 0)
        std::printf(" %5.2f ± %4.2f (%4.2f–%4.2f)", s.mean, s.sd, s.min, s.max);
      else
        std::printf(" %5.3f ± %5.3f (%5.3f–%5.3f)", s.mean, s.sd, s.min, s.max);
    }
    std::printf("\n");
  }
  // Per seed: does RTM + roads beat the best of KDE-only and Gi*-only?
  auto find = [&](const char* name) -> const Row* {
    for (const auto& r : sum)
      if (r.name == name) return &r;
    return nullptr;
  };
  const Row* rtm = find("RTM + roads");
  const Row* rtmEerder = find("RTM + roads + eerder");
  if (rtm != nullptr && rtmEerder != nullptr) {
    for (std::size_t i : {std::size_t(0), std::size_t(2)}) {
      int winsRtm = 0, winsEerder = 0, n = 0;
      for (std::size_t s = 0; s < rtm->perSeed.size(); ++s) {
        double bestOther = 0;
        for (const auto& r : sum)
          if (r.name.rfind("KDE", 0) == 0 || r.name.rfind("Gi*", 0) == 0)
            bestOther = std::max(bestOther, r.perSeed[s][i]);
        winsRtm += rtm->perSeed[s][i] > bestOther ? 1 : 0;
        winsEerder += rtmEerder->perSeed[s][i] > bestOther ? 1 : 0;
        ++n;
      }
      std::printf(
          "%s: RTM + roads above the best of KDE-only/Gi*-only in %d of %d seeds; "
          "RTM + roads + eerder in %d of %d\n",
          i == 0 ? "PAI@5%" : "PAI@10%", winsRtm, n, winsEerder, n);
    }
  }
  return 0;
}
