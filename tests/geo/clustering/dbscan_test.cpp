#include "geo/clustering/dbscan.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "geo/core/error.h"
#include "reference_dbscan.h"
#include "test_points.h"
#include "tests/geo/expect_error.h"

using namespace veldwacht::geo;
using veldwacht::geo::testing::blobsOnIntegerGrid;
using veldwacht::geo::testing::referenceDbscan;

namespace {

bool within(const Point& a, const Point& b, double eps) {
  const double dx = a.x - b.x, dy = a.y - b.y;
  return dx * dx + dy * dy <= eps * eps;
}

struct Case {
  double eps;
  std::size_t minPts;
  bool borderNoise;
};

class DbscanAgainstBruteForce : public ::testing::TestWithParam<Case> {};

}  // namespace

TEST_P(DbscanAgainstBruteForce, LabelsEqualTheQuadraticReferenceOnSeededPoints) {
  const Case c = GetParam();
  for (unsigned seed : {1u, 2u, 3u}) {
    const auto pts = blobsOnIntegerGrid(900, seed);
    DbscanOptions opt;
    opt.eps = c.eps;
    opt.minPts = c.minPts;
    opt.borderPointsAreNoise = c.borderNoise;
    const auto got = dbscan(pts, opt);
    const auto want = referenceDbscan(
        pts.size(), [&](std::size_t i, std::size_t j) { return within(pts[i], pts[j], c.eps); },
        double(c.minPts), {}, c.borderNoise);
    EXPECT_EQ(got.labels, want.labels) << "seed " << seed;
    EXPECT_EQ(got.core, want.core) << "seed " << seed;
    const auto maxLabel = *std::max_element(want.labels.begin(), want.labels.end());
    EXPECT_EQ(got.clusterCount, std::size_t(maxLabel + 1));
  }
}

INSTANTIATE_TEST_SUITE_P(EpsAndMinPts, DbscanAgainstBruteForce,
                         ::testing::Values(Case{1.0, 1, false}, Case{3.0, 3, false},
                                           Case{5.0, 5, false}, Case{5.0, 5, true},
                                           Case{7.5, 10, false}, Case{10.0, 25, true},
                                           Case{2.0, 2, false}),
                         [](const ::testing::TestParamInfo<Case>& p) {
                           std::string name = "eps" + std::to_string(int(p.param.eps * 10)) +
                                              "dm_minPts" + std::to_string(p.param.minPts);
                           return name + (p.param.borderNoise ? "_star" : "");
                         });

TEST(Dbscan, WeightedCoreTestEqualsReference) {
  const auto pts = blobsOnIntegerGrid(600, 11);
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(0.0, 2.0);
  std::vector<double> w(pts.size());
  for (auto& x : w) x = u(rng);
  DbscanOptions opt;
  opt.eps = 4.0;
  opt.minPts = 6;
  const auto got = dbscan(pts, w, opt);
  const auto want = referenceDbscan(
      pts.size(), [&](std::size_t i, std::size_t j) { return within(pts[i], pts[j], 4.0); }, 6.0,
      w);
  EXPECT_EQ(got.labels, want.labels);
  EXPECT_EQ(got.core, want.core);
}

TEST(Dbscan, NinePointsGiveTwoClustersAndOneNoisePoint) {
  const std::vector<Point> pts = {{0, 0},   {1, 0},   {0, 1},   {1, 1},  {50, 50},
                                  {10, 10}, {11, 10}, {10, 11}, {11, 11}};
  DbscanOptions opt;
  opt.eps = 1.5;
  opt.minPts = 3;
  const auto r = dbscan(pts, opt);
  EXPECT_EQ(r.clusterCount, 2u);
  EXPECT_EQ(r.labels, (std::vector<std::int32_t>{0, 0, 0, 0, kNoise, 1, 1, 1, 1}));
}

TEST(Dbscan, NeighbourExactlyAtEpsCounts) {
  const std::vector<Point> pts = {{0, 0}, {3, 4}};
  DbscanOptions opt;
  opt.eps = 5.0;
  opt.minPts = 2;
  EXPECT_EQ(dbscan(pts, opt).labels, (std::vector<std::int32_t>{0, 0}));
  opt.eps = std::nextafter(5.0, 0.0);
  EXPECT_EQ(dbscan(pts, opt).labels, (std::vector<std::int32_t>{kNoise, kNoise}));
}

TEST(Dbscan, MinPtsCountsThePointItself) {
  const std::vector<Point> pts = {{0, 0}, {100, 0}};
  DbscanOptions opt;
  opt.eps = 1.0;
  opt.minPts = 1;  // every point is its own core
  const auto r = dbscan(pts, opt);
  EXPECT_EQ(r.labels, (std::vector<std::int32_t>{0, 1}));
}

TEST(Dbscan, BorderPointsJoinTheirClusterUnlessDbscanStar) {
  // A row at 1 m spacing, eps 1, minPts 3: the two ends have 2 neighbours (border), the
  // middle ones 3 (core).
  const std::vector<Point> pts = {{0, 0}, {1, 0}, {2, 0}, {3, 0}};
  DbscanOptions opt;
  opt.eps = 1.0;
  opt.minPts = 3;
  const auto plain = dbscan(pts, opt);
  EXPECT_EQ(plain.labels, (std::vector<std::int32_t>{0, 0, 0, 0}));
  EXPECT_EQ(plain.core, (std::vector<std::uint8_t>{0, 1, 1, 0}));
  opt.borderPointsAreNoise = true;
  const auto star = dbscan(pts, opt);
  EXPECT_EQ(star.labels, (std::vector<std::int32_t>{kNoise, 0, 0, kNoise}));
}

TEST(Dbscan, SharedBorderPointGoesToTheClusterWithTheLowestPointIndex) {
  // Two clusters of four core points each; point b = (5, 0) is within eps of one core point of
  // each cluster and is not core itself.
  const std::vector<Point> left = {{4, 0}, {3.6, 0.3}, {3.6, -0.3}, {3.2, 0}};
  const std::vector<Point> right = {{6, 0}, {6.4, 0.3}, {6.4, -0.3}, {6.8, 0}};
  DbscanOptions opt;
  opt.eps = 1.0;
  opt.minPts = 4;
  for (bool leftFirst : {true, false}) {
    std::vector<Point> pts;
    const auto& first = leftFirst ? left : right;
    const auto& second = leftFirst ? right : left;
    pts.insert(pts.end(), first.begin(), first.end());
    pts.insert(pts.end(), second.begin(), second.end());
    pts.push_back({5, 0});
    const auto r = dbscan(pts, opt);
    ASSERT_EQ(r.clusterCount, 2u);
    EXPECT_EQ(r.core[8], 0);
    EXPECT_EQ(r.labels[0], 0);
    EXPECT_EQ(r.labels[4], 1);
    EXPECT_EQ(r.labels[8], 0) << (leftFirst ? "left first" : "right first");
  }
}

TEST(Dbscan, ResultIsTheSameForAnyThreadCount) {
  const auto pts = blobsOnIntegerGrid(20000, 9, 12, 2000.0, 15.0);
  DbscanOptions opt;
  opt.eps = 6.0;
  opt.minPts = 4;
  opt.threads = 1;
  const auto one = dbscan(pts, opt);
  for (int t : {2, 0}) {
    opt.threads = t;
    const auto many = dbscan(pts, opt);
    EXPECT_EQ(many.labels, one.labels) << t << " threads";
    EXPECT_EQ(many.core, one.core);
  }
  EXPECT_GT(one.clusterCount, 1u);
}

TEST(Dbscan, IdenticalPointsFormOneCluster) {
  const std::vector<Point> pts(12, Point{155000, 463000});
  DbscanOptions opt;
  opt.eps = 1.0;
  opt.minPts = 12;
  const auto r = dbscan(pts, opt);
  EXPECT_EQ(r.clusterCount, 1u);
  EXPECT_EQ(r.labels, std::vector<std::int32_t>(12, 0));
  opt.minPts = 13;
  EXPECT_EQ(dbscan(pts, opt).clusterCount, 0u);
}

TEST(Dbscan, NonFiniteCoordinateThrowsInputError) {
  const std::vector<Point> pts = {{0, 0}, {std::nan(""), 1}};
  EXPECT_THROW_WITH(dbscan(pts, DbscanOptions{}), InputError,
                    "row 2, field 'geometry': coordinate is not a finite number");
}

TEST(Dbscan, EmptyInputGivesNoClusters) {
  const auto r = dbscan(std::span<const Point>{}, DbscanOptions{});
  EXPECT_TRUE(r.labels.empty());
  EXPECT_EQ(r.clusterCount, 0u);
}

TEST(Dbscan, InvalidOptionsThrowOptionErrorNamingTheField) {
  const std::vector<Point> pts = {{0, 0}};
  DbscanOptions opt;
  opt.eps = 0.0;
  EXPECT_OPTION_ERROR(dbscan(pts, opt), "eps");
  opt.eps = std::nan("");
  EXPECT_OPTION_ERROR(dbscan(pts, opt), "eps");
  opt = {};
  opt.minPts = 0;
  try {
    dbscan(pts, opt);
    FAIL() << "no throw";
  } catch (const OptionError& e) {
    EXPECT_EQ(e.option(), "minPts");
  }
  opt = {};
  opt.threads = -1;
  EXPECT_OPTION_ERROR(dbscan(pts, opt), "threads");
}

TEST(Dbscan, BadWeightsThrowInputError) {
  const std::vector<Point> pts = {{0, 0}, {1, 1}};
  const std::vector<double> tooFew = {1.0};
  const std::vector<double> negative = {1.0, -1.0};
  EXPECT_THROW_WITH(dbscan(pts, tooFew, DbscanOptions{}), InputError,
                    "field 'weight': expected 2 weights, got 1");
  EXPECT_THROW_WITH(dbscan(pts, negative, DbscanOptions{}), InputError,
                    "row 2, field 'weight': must be a non-negative number");
}

TEST(Dbscan, CancelThrowsCancelledError) {
  const auto pts = blobsOnIntegerGrid(5000, 3);
  CancellableProgress progress;
  progress.cancel();
  EXPECT_THROW_WITH(dbscan(pts, DbscanOptions{}, progress), CancelledError, "cancelled");
}

TEST(Dbscan, ProgressReachesOne) {
  const auto pts = blobsOnIntegerGrid(5000, 3);
  CancellableProgress progress;
  DbscanOptions opt;
  opt.eps = 5.0;
  dbscan(pts, opt, progress);
  EXPECT_DOUBLE_EQ(progress.fraction(), 1.0);
}

// scikit-learn's own DBSCAN on the same seeded points: every label (core, border, noise) equal.
// Returns false when python3 with scikit-learn is not there.
namespace {
bool runScikitLearn(const std::vector<Point>& pts, const std::vector<double>& weights, double eps,
                    std::size_t minPts, DbscanResult& out) {
  const auto dir = std::filesystem::temp_directory_path();
  const std::string stem = "veldwacht_dbscan_" + std::to_string(::getpid());
  const auto csv = dir / (stem + ".csv");
  const auto outFile = dir / (stem + ".out");
  {
    std::ofstream f(csv);
    f.precision(17);
    for (std::size_t i = 0; i < pts.size(); ++i)
      f << pts[i].x << ',' << pts[i].y << ',' << (weights.empty() ? 1.0 : weights[i]) << '\n';
  }
  const std::string script =
      "import sys, numpy as np\n"
      "from sklearn.cluster import DBSCAN\n"
      "A = np.loadtxt(sys.argv[1], delimiter=',')\n"
      "m = DBSCAN(eps=float(sys.argv[3]), min_samples=int(sys.argv[4]))"
      ".fit(A[:, :2], sample_weight=A[:, 2])\n"
      "core = np.zeros(len(A), dtype=int); core[m.core_sample_indices_] = 1\n"
      "np.savetxt(sys.argv[2], np.c_[m.labels_, core], fmt='%d')\n";
  std::ostringstream cmd;
  cmd.precision(17);
  cmd << "/usr/bin/python3 -c \"" << script << "\" " << csv.string() << ' ' << outFile.string()
      << ' ' << eps << ' ' << minPts << " 2>/dev/null";
  const int rc = std::system(cmd.str().c_str());
  std::filesystem::remove(csv);
  if (rc != 0) return false;
  std::ifstream in(outFile);
  int l = 0, c = 0;
  while (in >> l >> c) {
    out.labels.push_back(l);
    out.core.push_back(std::uint8_t(c));
  }
  std::filesystem::remove(outFile);
  return true;
}
}  // namespace

TEST(Dbscan, LabelsEqualScikitLearn) {
  const auto pts = blobsOnIntegerGrid(3000, 21, 6, 500.0, 10.0);
  DbscanResult sk;
  if (!runScikitLearn(pts, {}, 5.0, 6, sk)) GTEST_SKIP() << "python3 with scikit-learn missing";
  ASSERT_EQ(sk.labels.size(), pts.size());
  DbscanOptions opt;
  opt.eps = 5.0;
  opt.minPts = 6;
  const auto r = dbscan(pts, opt);
  EXPECT_EQ(r.core, sk.core);
  EXPECT_EQ(r.labels, sk.labels);
  EXPECT_GT(r.clusterCount, 1u);
}

TEST(Dbscan, WeightedLabelsEqualScikitLearnSampleWeight) {
  const auto pts = blobsOnIntegerGrid(2000, 22, 5, 400.0, 10.0);
  std::vector<double> w(pts.size());
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = double(i % 4);  // 0..3, exact sums
  DbscanResult sk;
  if (!runScikitLearn(pts, w, 4.0, 7, sk)) GTEST_SKIP() << "python3 with scikit-learn missing";
  ASSERT_EQ(sk.labels.size(), pts.size());
  DbscanOptions opt;
  opt.eps = 4.0;
  opt.minPts = 7;
  const auto r = dbscan(pts, w, opt);
  EXPECT_EQ(r.core, sk.core);
  EXPECT_EQ(r.labels, sk.labels);
  EXPECT_GT(r.clusterCount, 1u);
}
