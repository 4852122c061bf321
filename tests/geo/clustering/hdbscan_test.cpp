#include "geo/clustering/hdbscan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <tuple>

#include "geo/clustering/dbscan.h"
#include "geo/clustering/hdbscan_detail.h"
#include "geo/core/error.h"
#include "geo/index/kdtree.h"
#include "test_points.h"
#include "tests/geo/expect_error.h"

using namespace veldwacht::geo;

namespace {

// Uniform points in a disc: dense, with no tail that could fall out before the disc is born.
void addDisc(std::vector<Point>& pts, Point c, double radius, std::size_t n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  while (n > 0) {
    const double x = u(rng), y = u(rng);
    if (x * x + y * y > 1.0) continue;
    pts.push_back({c.x + radius * x, c.y + radius * y});
    --n;
  }
}

struct Fixture {
  std::vector<Point> pts;
  std::vector<int> truth;  // blob number, -1 noise
};

// Three discs of 50, 80 and 120 points a kilometre apart, a clump of 4 (smaller than
// minClusterSize 10) and 6 isolated points, the clump and the isolated points several
// kilometres from everything else. (An isolated point closer to one disc than the discs are to
// each other would rightly join that disc: it leaves the disc's cluster, not the root.)
Fixture threeBlobsSmallClumpAndNoise() {
  Fixture f;
  std::mt19937_64 rng(2024);
  const std::vector<std::pair<Point, std::size_t>> blobs = {
      {{0, 0}, 50}, {{1000, 0}, 80}, {{0, 1000}, 120}};
  for (std::size_t b = 0; b < blobs.size(); ++b) {
    addDisc(f.pts, blobs[b].first, 20.0, blobs[b].second, rng);
    f.truth.resize(f.pts.size(), int(b));
  }
  addDisc(f.pts, {-4000, 4000}, 3.0, 4, rng);
  const std::vector<Point> lonely = {{5000, 5000}, {-5000, -1000}, {9000, -4000},
                                     {0, -6000},   {-9000, -9000}, {4000, 12000}};
  f.pts.insert(f.pts.end(), lonely.begin(), lonely.end());
  f.truth.resize(f.pts.size(), -1);
  return f;
}

// Labels equal the truth up to renaming of clusters.
void expectSamePartition(const std::vector<std::int32_t>& got, const std::vector<int>& truth) {
  ASSERT_EQ(got.size(), truth.size());
  std::map<int, std::int32_t> toGot;
  std::set<std::int32_t> used;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (truth[i] < 0) {
      EXPECT_EQ(got[i], kNoise) << "point " << i;
      continue;
    }
    ASSERT_NE(got[i], kNoise) << "point " << i;
    auto [it, inserted] = toGot.emplace(truth[i], got[i]);
    if (inserted) {
      EXPECT_TRUE(used.insert(got[i]).second) << "two blobs share a label";
    }
    EXPECT_EQ(it->second, got[i]) << "point " << i;
  }
}

}  // namespace

TEST(Hdbscan, FindsThreeBlobsAndLeavesTheSmallClumpAndLonelyPointsAsNoise) {
  const auto f = threeBlobsSmallClumpAndNoise();
  HdbscanOptions opt;
  opt.minClusterSize = 10;
  const auto r = hdbscan(f.pts, opt);
  EXPECT_EQ(r.clusterCount, 3u);
  expectSamePartition(r.labels, f.truth);
  EXPECT_EQ(r.clusterStability.size(), 3u);
}

TEST(Hdbscan, LeafSelectionGivesTheSameBlobs) {
  const auto f = threeBlobsSmallClumpAndNoise();
  HdbscanOptions opt;
  opt.minClusterSize = 10;
  opt.minSamples = 5;
  opt.selection = ClusterSelection::Leaf;
  const auto r = hdbscan(f.pts, opt);
  EXPECT_GE(r.clusterCount, 3u);
  // Every leaf cluster lies inside one blob.
  std::map<std::int32_t, std::set<int>> blobsOfLabel;
  for (std::size_t i = 0; i < f.pts.size(); ++i)
    if (r.labels[i] != kNoise) blobsOfLabel[r.labels[i]].insert(f.truth[i]);
  for (const auto& [label, blobs] : blobsOfLabel) {
    EXPECT_EQ(blobs.size(), 1u) << "label " << label;
    EXPECT_EQ(blobs.count(-1), 0u);
  }
}

TEST(Hdbscan, LeafSplitsTwoCloseDiscsThatExcessOfMassMayJoin) {
  std::vector<Point> pts;
  std::mt19937_64 rng(5);
  addDisc(pts, {0, 0}, 10, 60, rng);
  addDisc(pts, {60, 0}, 10, 60, rng);
  addDisc(pts, {3000, 0}, 10, 60, rng);
  HdbscanOptions opt;
  opt.minClusterSize = 15;
  opt.selection = ClusterSelection::Leaf;
  const auto r = hdbscan(pts, opt);
  ASSERT_EQ(r.clusterCount, 3u);
  EXPECT_NE(r.labels[0], r.labels[60]);
  EXPECT_NE(r.labels[60], r.labels[120]);
}

TEST(Hdbscan, SelectionEpsilonKeepsTwoCloseDiscsTogether) {
  std::vector<Point> pts;
  std::mt19937_64 rng(5);
  addDisc(pts, {0, 0}, 10, 60, rng);
  addDisc(pts, {60, 0}, 10, 60, rng);
  addDisc(pts, {3000, 0}, 10, 60, rng);
  HdbscanOptions opt;
  opt.minClusterSize = 15;
  opt.selection = ClusterSelection::Leaf;
  opt.clusterSelectionEpsilon = 5.0;  // below the 40 m gap: no change
  const auto small = hdbscan(pts, opt);
  ASSERT_EQ(small.clusterCount, 3u);
  EXPECT_NE(small.labels[0], small.labels[60]);
  opt.clusterSelectionEpsilon = 200.0;  // above it: the two discs stay one cluster
  const auto large = hdbscan(pts, opt);
  ASSERT_EQ(large.clusterCount, 2u);
  for (std::size_t i = 0; i < 120; ++i) EXPECT_EQ(large.labels[i], large.labels[0]) << i;
  for (std::size_t i = 120; i < 180; ++i) EXPECT_EQ(large.labels[i], large.labels[120]) << i;
  EXPECT_NE(large.labels[0], large.labels[120]);
  opt.clusterSelectionEpsilon = -1.0;
  EXPECT_OPTION_ERROR(hdbscan(pts, opt), "clusterSelectionEpsilon");
}

TEST(Hdbscan, OneBlobIsNoiseUnlessSingleClusterAllowed) {
  std::vector<Point> pts;
  std::mt19937_64 rng(9);
  addDisc(pts, {0, 0}, 20, 100, rng);
  pts.push_back({5000, 5000});
  HdbscanOptions opt;
  opt.minClusterSize = 10;
  const auto without = hdbscan(pts, opt);
  EXPECT_EQ(without.clusterCount, 0u);
  EXPECT_TRUE(std::all_of(without.labels.begin(), without.labels.end(),
                          [](std::int32_t l) { return l == kNoise; }));
  opt.allowSingleCluster = true;
  const auto with = hdbscan(pts, opt);
  EXPECT_EQ(with.clusterCount, 1u);
  EXPECT_EQ(with.labels.back(), kNoise);
  EXPECT_GT(std::count(with.labels.begin(), with.labels.end(), 0), 0);
}

TEST(Hdbscan, CoreDistancesEqualBruteForceKthNeighbourCountingThePointItself) {
  const auto pts = veldwacht::geo::testing::blobsOnIntegerGrid(400, 3);
  HdbscanOptions opt;
  opt.minClusterSize = 7;
  opt.minSamples = 4;
  const auto r = hdbscan(pts, opt);
  for (std::size_t i = 0; i < pts.size(); ++i) {
    std::vector<double> d;
    for (const auto& q : pts) d.push_back(std::hypot(q.x - pts[i].x, q.y - pts[i].y));
    std::sort(d.begin(), d.end());
    EXPECT_NEAR(r.coreDistances[i], d[3], 1e-9) << i;  // d[0] is the point itself
  }
}

TEST(HdbscanMst, PrimTreeWeighsTheSameAsBruteForceKruskalAndParallelStepsChangeNothing) {
  const auto pts = veldwacht::geo::testing::blobsOnIntegerGrid(300, 14, 3, 150.0, 6.0);
  const std::size_t n = pts.size(), k = 4;
  auto dist = [&](std::size_t a, std::size_t b) {
    return std::hypot(pts[a].x - pts[b].x, pts[a].y - pts[b].y);
  };
  std::vector<double> core(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> d;
    for (std::size_t j = 0; j < n; ++j) d.push_back(dist(i, j));
    std::sort(d.begin(), d.end());
    core[i] = d[k - 1];
  }
  // Kruskal over all n(n-1)/2 mutual reachability edges.
  struct E {
    double w;
    std::uint32_t a, b;
  };
  std::vector<E> all;
  for (std::uint32_t a = 0; a < n; ++a)
    for (std::uint32_t b = a + 1; b < n; ++b)
      all.push_back({std::max({core[a], core[b], dist(a, b)}), a, b});
  std::sort(all.begin(), all.end(), [](const E& x, const E& y) { return x.w < y.w; });
  std::vector<std::uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  std::function<std::uint32_t(std::uint32_t)> find = [&](std::uint32_t x) {
    return parent[x] == x ? x : parent[x] = find(parent[x]);
  };
  double kruskal = 0;
  for (const E& e : all)
    if (find(e.a) != find(e.b)) {
      parent[find(e.a)] = find(e.b);
      kruskal += e.w;
    }

  const auto serial = detail::mutualReachabilityMst(pts, core, nullProgress(), n + 1);
  const auto parallel = detail::mutualReachabilityMst(pts, core, nullProgress(), 16);
  ASSERT_EQ(serial.size(), n - 1);
  double prim = 0;
  std::iota(parent.begin(), parent.end(), 0u);
  for (const auto& e : serial) {
    prim += e.weight;
    EXPECT_NEAR(e.weight, std::max({core[e.a], core[e.b], dist(e.a, e.b)}), 1e-9);
    ASSERT_NE(find(e.a), find(e.b)) << "cycle";
    parent[find(e.a)] = find(e.b);
  }
  EXPECT_NEAR(prim, kruskal, 1e-6);
  ASSERT_EQ(parallel.size(), serial.size());
  for (std::size_t i = 0; i < serial.size(); ++i) {
    EXPECT_EQ(parallel[i].a, serial[i].a);
    EXPECT_EQ(parallel[i].b, serial[i].b);
  }
}

TEST(HdbscanMst, BoruvkaTreeEqualsKruskalUnderTheSameTotalOrder) {
  for (unsigned seed : {3u, 4u}) {
    // Integer coordinates: many equal weights, so the tie-breaking is exercised.
    const auto pts = veldwacht::geo::testing::blobsOnIntegerGrid(400, seed, 4, 150.0, 7.0);
    const std::size_t n = pts.size();
    std::vector<double> core(n);
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<double> d;
      for (const auto& q : pts) d.push_back(std::hypot(q.x - pts[i].x, q.y - pts[i].y));
      std::sort(d.begin(), d.end());
      core[i] = d[seed + 1];
    }
    struct E {
      double w2;
      std::uint32_t lo, hi;
      bool operator<(const E& o) const { return std::tie(w2, lo, hi) < std::tie(o.w2, o.lo, o.hi); }
    };
    std::vector<E> all;
    for (std::uint32_t a = 0; a < n; ++a)
      for (std::uint32_t b = a + 1; b < n; ++b) {
        const double dx = pts[b].x - pts[a].x, dy = pts[b].y - pts[a].y;
        all.push_back({std::max({core[a] * core[a], core[b] * core[b], dx * dx + dy * dy}), a, b});
      }
    std::sort(all.begin(), all.end());
    std::vector<std::uint32_t> parent(n);
    std::iota(parent.begin(), parent.end(), 0u);
    std::function<std::uint32_t(std::uint32_t)> find = [&](std::uint32_t x) {
      return parent[x] == x ? x : parent[x] = find(parent[x]);
    };
    std::set<std::pair<std::uint32_t, std::uint32_t>> kruskal;
    for (const E& e : all)
      if (find(e.lo) != find(e.hi)) {
        parent[find(e.lo)] = find(e.hi);
        kruskal.insert({e.lo, e.hi});
      }
    const auto boruvka = detail::boruvkaMst(pts, core, nullProgress());
    std::set<std::pair<std::uint32_t, std::uint32_t>> got;
    for (const auto& e : boruvka) got.insert({std::min(e.a, e.b), std::max(e.a, e.b)});
    EXPECT_EQ(boruvka.size(), n - 1);
    EXPECT_EQ(got, kruskal) << "seed " << seed;
  }
}

// Campello et al.'s link between the two: cutting the mutual reachability MST at eps, among the
// points whose core distance is <= eps, gives exactly DBSCAN*'s clusters with minPts equal to
// minSamples (both counting the point itself).
TEST(HdbscanMst, CutAtEpsEqualsDbscanStar) {
  const auto pts = veldwacht::geo::testing::blobsOnIntegerGrid(1500, 31, 5, 400.0, 9.0);
  const std::size_t n = pts.size();
  HdbscanOptions hopt;
  hopt.minClusterSize = 5;
  hopt.minSamples = 6;
  const auto core = hdbscan(pts, hopt).coreDistances;
  const auto mst = detail::boruvkaMst(pts, core, nullProgress());
  for (double eps : {3.0, 4.5, 7.0}) {
    std::vector<std::uint32_t> parent(n);
    std::iota(parent.begin(), parent.end(), 0u);
    std::function<std::uint32_t(std::uint32_t)> find = [&](std::uint32_t x) {
      return parent[x] == x ? x : parent[x] = find(parent[x]);
    };
    for (const auto& e : mst)
      if (e.weight <= eps) parent[find(e.a)] = find(e.b);
    DbscanOptions dopt;
    dopt.eps = eps;
    dopt.minPts = 6;
    dopt.borderPointsAreNoise = true;
    const auto star = dbscan(pts, dopt);
    std::map<std::uint32_t, std::int32_t> labelOfRoot;
    std::set<std::int32_t> used;
    for (std::size_t i = 0; i < n; ++i) {
      const bool isCore = core[i] <= eps;
      ASSERT_EQ(isCore, star.core[i] == 1) << "point " << i << " eps " << eps;
      if (!isCore) continue;
      auto [it, inserted] = labelOfRoot.emplace(find(std::uint32_t(i)), star.labels[i]);
      if (inserted) {
        EXPECT_TRUE(used.insert(star.labels[i]).second);
      }
      EXPECT_EQ(it->second, star.labels[i]) << "point " << i << " eps " << eps;
    }
    EXPECT_EQ(used.size(), star.clusterCount);
  }
}

TEST(Hdbscan, ProbabilitiesAndOutlierScoresAreInRangeAndNoiseIsMoreOutlying) {
  const auto f = threeBlobsSmallClumpAndNoise();
  HdbscanOptions opt;
  opt.minClusterSize = 10;
  const auto r = hdbscan(f.pts, opt);
  double noiseMin = 1.0, memberMedian;
  std::vector<double> member;
  for (std::size_t i = 0; i < f.pts.size(); ++i) {
    EXPECT_GE(r.probabilities[i], 0.0);
    EXPECT_LE(r.probabilities[i], 1.0);
    EXPECT_GE(r.outlierScores[i], 0.0);
    EXPECT_LE(r.outlierScores[i], 1.0);
    if (r.labels[i] == kNoise) {
      EXPECT_EQ(r.probabilities[i], 0.0);
    }
    if (f.truth[i] >= 0) member.push_back(r.outlierScores[i]);
    if (i + 6 >= f.pts.size()) noiseMin = std::min(noiseMin, r.outlierScores[i]);  // lonely
  }
  std::nth_element(member.begin(), member.begin() + member.size() / 2, member.end());
  memberMedian = member[member.size() / 2];
  EXPECT_GT(noiseMin, memberMedian);
  EXPECT_GT(noiseMin, 0.9);
  // Every cluster has a heart: some member with probability 1.
  for (std::int32_t c = 0; c < std::int32_t(r.clusterCount); ++c) {
    bool heart = false;
    for (std::size_t i = 0; i < f.pts.size(); ++i)
      heart = heart || (r.labels[i] == c && r.probabilities[i] == 1.0);
    EXPECT_TRUE(heart) << "cluster " << c;
  }
}

TEST(Hdbscan, CondensedTreeAccountsForEveryPointOnce) {
  const auto f = threeBlobsSmallClumpAndNoise();
  HdbscanOptions opt;
  opt.minClusterSize = 10;
  const auto r = hdbscan(f.pts, opt);
  std::vector<int> seen(f.pts.size(), 0);
  for (const auto& row : r.condensedTree) {
    EXPECT_LT(row.parent, row.child >= f.pts.size() ? row.child : row.parent + 1);
    if (row.child < f.pts.size()) ++seen[row.child];
  }
  EXPECT_TRUE(std::all_of(seen.begin(), seen.end(), [](int s) { return s == 1; }));
}

TEST(Hdbscan, ResultIsTheSameForAnyThreadCount) {
  const auto pts = veldwacht::geo::testing::blobsOnIntegerGrid(1500, 12, 5, 600.0, 12.0);
  HdbscanOptions opt;
  opt.minClusterSize = 15;
  opt.threads = 1;
  const auto one = hdbscan(pts, opt);
  opt.threads = 2;
  const auto two = hdbscan(pts, opt);
  EXPECT_EQ(one.labels, two.labels);
  EXPECT_EQ(one.outlierScores, two.outlierScores);
  EXPECT_GT(one.clusterCount, 1u);
}

TEST(Hdbscan, DuplicatePointsGiveFiniteScores) {
  std::vector<Point> pts;
  std::mt19937_64 rng(77);
  addDisc(pts, {0, 0}, 20, 60, rng);
  for (int i = 0; i < 12; ++i) pts.push_back({5, 5});  // twelve signals at one address
  addDisc(pts, {1000, 0}, 20, 60, rng);
  HdbscanOptions opt;
  opt.minClusterSize = 10;
  const auto r = hdbscan(pts, opt);
  EXPECT_GE(r.clusterCount, 2u);
  for (std::size_t i = 0; i < pts.size(); ++i) {
    EXPECT_TRUE(std::isfinite(r.outlierScores[i])) << i;
    EXPECT_TRUE(std::isfinite(r.probabilities[i])) << i;
    EXPECT_GE(r.outlierScores[i], 0.0);
    EXPECT_LE(r.outlierScores[i], 1.0);
  }
  for (double s : r.clusterStability) EXPECT_TRUE(std::isfinite(s));
  EXPECT_NE(r.labels[0], r.labels[pts.size() - 1]);  // the two discs stay apart
}

// The labels of an independent brute-force HDBSCAN (tests/geo/clustering/fixtures/
// hdbscan_reference.py: O(n²) core distances, Prim's tree on the complete mutual-reachability
// graph, condensed tree, excess of mass) on the same points, checked in because Debian 12 has
// neither sklearn.cluster.HDBSCAN (scikit-learn 1.2) nor the hdbscan package. To remake it:
//   VELDWACHT_HDBSCAN_POINTS_OUT=/tmp/p.csv ./test_hdbscan --gtest_filter='*Reference*'
//   python3 tests/geo/clustering/fixtures/hdbscan_reference.py /tmp/p.csv 10 6 >
//     tests/geo/clustering/fixtures/hdbscan_three_blobs.csv
TEST(Hdbscan, LabelsEqualBruteForceReferenceUpToRenaming) {
  const auto f = threeBlobsSmallClumpAndNoise();
  if (const char* out = std::getenv("VELDWACHT_HDBSCAN_POINTS_OUT")) {
    std::ofstream points(out);
    points.precision(17);
    for (const auto& p : f.pts) points << p.x << ',' << p.y << '\n';
  }
  const auto fixture = std::filesystem::path(VELDWACHT_SOURCE_DIR) /
                       "tests/geo/clustering/fixtures/hdbscan_three_blobs.csv";
  std::ifstream in(fixture);
  ASSERT_TRUE(in) << "cannot read " << fixture;
  std::vector<std::int32_t> theirs;
  std::size_t line = 0;
  for (std::string text; std::getline(in, text); ++line) {
    double x = 0, y = 0;
    std::int32_t label = 0;
    char c1 = 0, c2 = 0;
    std::istringstream row(text);
    ASSERT_TRUE(row >> x >> c1 >> y >> c2 >> label && c1 == ',' && c2 == ',')
        << fixture << " line " << line + 1 << ": expected x,y,label, got '" << text << "'";
    ASSERT_LT(line, f.pts.size()) << fixture << " has more points than the test makes";
    // The fixture belongs to these very points: remake it when the points change.
    ASSERT_EQ(x, f.pts[line].x) << fixture << " line " << line + 1;
    ASSERT_EQ(y, f.pts[line].y) << fixture << " line " << line + 1;
    theirs.push_back(label);
  }
  ASSERT_EQ(theirs.size(), f.pts.size());

  HdbscanOptions opt;
  opt.minClusterSize = 10;
  opt.minSamples = 6;
  const auto ours = hdbscan(f.pts, opt);
  std::map<std::int32_t, std::int32_t> rename;
  std::set<std::int32_t> theirsUsed;
  for (std::size_t i = 0; i < f.pts.size(); ++i) {
    ASSERT_EQ(ours.labels[i] == kNoise, theirs[i] == -1) << "point " << i;
    if (theirs[i] == -1) continue;
    auto [it, inserted] = rename.emplace(ours.labels[i], theirs[i]);
    if (inserted) {
      EXPECT_TRUE(theirsUsed.insert(theirs[i]).second) << "point " << i;
    }
    EXPECT_EQ(it->second, theirs[i]) << "point " << i;
  }
  EXPECT_EQ(rename.size(), ours.clusterCount);
  EXPECT_EQ(theirsUsed.size(), ours.clusterCount);
}

TEST(Hdbscan, AllPointsIdenticalDoesNotBreak) {
  const std::vector<Point> pts(40, Point{7, 7});
  HdbscanOptions opt;
  opt.minClusterSize = 5;
  const auto r = hdbscan(pts, opt);
  for (std::size_t i = 0; i < pts.size(); ++i) {
    EXPECT_TRUE(std::isfinite(r.outlierScores[i]));
    EXPECT_TRUE(std::isfinite(r.probabilities[i]));
  }
  opt.allowSingleCluster = true;
  const auto one = hdbscan(pts, opt);
  EXPECT_EQ(one.clusterCount, 1u);
}

TEST(Hdbscan, TinyInputsAreNoise) {
  EXPECT_TRUE(hdbscan(std::span<const Point>{}, HdbscanOptions{}).labels.empty());
  const std::vector<Point> one = {{1, 1}};
  EXPECT_EQ(hdbscan(one, HdbscanOptions{}).labels, (std::vector<std::int32_t>{kNoise}));
  const std::vector<Point> three = {{0, 0}, {1, 0}, {0, 1}};
  const auto r = hdbscan(three, HdbscanOptions{});
  EXPECT_EQ(r.clusterCount, 0u);
}

TEST(Hdbscan, NonFiniteCoordinateThrowsInputError) {
  const std::vector<Point> pts = {{0, 0}, {1, INFINITY}};
  EXPECT_THROW_WITH(hdbscan(pts, HdbscanOptions{}), InputError,
                    "row 2, field 'geometry': coordinate is not a finite number");
}

TEST(Hdbscan, InvalidOptionsThrow) {
  const std::vector<Point> pts = {{0, 0}, {1, 1}};
  HdbscanOptions opt;
  opt.minClusterSize = 1;
  EXPECT_OPTION_ERROR(hdbscan(pts, opt), "minClusterSize");
  opt = {};
  opt.threads = -2;
  EXPECT_OPTION_ERROR(hdbscan(pts, opt), "threads");
}

TEST(Hdbscan, CancelThrowsCancelledError) {
  const auto pts = veldwacht::geo::testing::blobsOnIntegerGrid(2000, 1);
  CancellableProgress progress;
  progress.cancel();
  EXPECT_THROW_WITH(hdbscan(pts, HdbscanOptions{}, progress), CancelledError, "cancelled");
}
