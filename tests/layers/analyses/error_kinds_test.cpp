// One error class per kind of fault, the same in every analysis: a weight count that does not
// match the points is bad input (InputError) wherever it happens; a thread count or a cell size
// outside the documented range is a bad option (OptionError) naming the option; k larger than
// the data allows is a bad option, not bad input.
#include <gtest/gtest.h>

#include <vector>

#include "geo/aggregation/grid.h"
#include "geo/aggregation/polygon_counts.h"
#include "geo/clustering/dbscan.h"
#include "geo/clustering/hdbscan.h"
#include "geo/clustering/kmeans.h"
#include "geo/clustering/st_dbscan.h"
#include "geo/core/error.h"
#include "geo/core/threads.h"
#include "geo/density/kde.h"
#include "geo/hotspots/emerging.h"
#include "geo/hotspots/gistar.h"
#include "geo/hotspots/moran.h"
#include "geo/hotspots/optimized.h"
#include "geo/hotspots/ripley.h"
#include "geo/hotspots/weights.h"

using namespace veldwacht::geo;

namespace {

template <class F>
std::string optionOf(F&& f) {
  try {
    f();
  } catch (const OptionError& e) {
    return e.option();
  } catch (const std::exception& e) {
    return std::string("not an OptionError: ") + e.what();
  }
  return "nothing thrown";
}

template <class F>
std::string inputFieldOf(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.where().field;
  } catch (const std::exception& e) {
    return std::string("not an InputError: ") + e.what();
  }
  return "nothing thrown";
}

const std::vector<Point> kPoints = {{0, 0}, {10, 0}, {0, 10}, {10, 10}};
const std::vector<double> kThreeWeights = {1, 1, 1};

}  // namespace

TEST(ErrorKinds, AWeightCountMismatchIsAnInputErrorEverywhere) {
  KdeOptions kde;
  kde.radius = 50;
  kde.pixelSize = 10;
  EXPECT_EQ(inputFieldOf([&] { kernelDensity(kPoints, kThreeWeights, kde); }), "weight");
  DbscanOptions db;
  EXPECT_EQ(inputFieldOf([&] { dbscan(kPoints, kThreeWeights, db); }), "weight");
  GridOptions g;
  g.cellSize = 10;
  g.extent = {0, 0, 20, 20};
  const Grid grid = makeGrid(g);
  EXPECT_EQ(inputFieldOf([&] { countPoints(grid, kPoints, kThreeWeights); }), "weight");
  const std::vector<std::vector<std::uint8_t>> noPolygons;
  EXPECT_EQ(inputFieldOf([&] { countPointsInPolygons(noPolygons, kPoints, kThreeWeights); }),
            "weight");
}

TEST(ErrorKinds, ThreadsOutsideZeroTo256AreRefusedByEveryOptionsStruct) {
  for (const long t : {-1L, 257L, 65537L}) {
    EXPECT_EQ(optionOf([&] { DbscanOptions{.threads = int(t)}.validate(); }), "threads") << t;
    EXPECT_EQ(optionOf([&] { StDbscanOptions{.threads = int(t)}.validate(); }), "threads") << t;
    EXPECT_EQ(optionOf([&] { KmeansOptions{.threads = int(t)}.validate(); }), "threads") << t;
    HdbscanOptions h;
    h.threads = int(t);
    EXPECT_EQ(optionOf([&] { h.validate(); }), "threads") << t;
    KdeOptions k;
    k.threads = int(t);
    EXPECT_EQ(optionOf([&] { k.validate(); }), "threads") << t;
    GiStarOptions gi;
    gi.threads = std::size_t(t);  // -1 wraps to a huge count: refused too
    EXPECT_EQ(optionOf([&] { gi.validate(); }), "threads") << t;
    LocalMoranOptions lm;
    lm.threads = std::size_t(t);
    EXPECT_EQ(optionOf([&] { lm.validate(); }), "threads") << t;
    OptimizedHotSpotOptions oh;
    oh.threads = std::size_t(t);
    EXPECT_EQ(optionOf([&] { oh.validate(); }), "threads") << t;
    RipleyOptions rk;
    rk.threads = std::size_t(t);
    EXPECT_EQ(optionOf([&] { rk.validate(); }), "threads") << t;
    EmergingHotSpotOptions em;
    em.threads = std::size_t(t);
    EXPECT_EQ(optionOf([&] { em.validate(); }), "threads") << t;
  }
  EXPECT_NO_THROW(DbscanOptions{.threads = kMaxThreads}.validate());
  EXPECT_NO_THROW(DbscanOptions{.threads = 0}.validate());
}

TEST(ErrorKinds, CellSizesBeyond100KmAreOptionErrors) {
  GridOptions g;
  g.extent = {0, 0, 1000, 1000};
  for (const double c : {1e12, kMaxCellSize * 1.0001, -1.0, 0.0}) {
    g.cellSize = c;
    EXPECT_EQ(optionOf([&] { g.validate(); }), "cellSize") << c;
  }
  g.cellSize = kMaxCellSize;
  EXPECT_NO_THROW(g.validate());
  OptimizedHotSpotOptions o;
  o.cellSize = 1e12;
  EXPECT_EQ(optionOf([&] { o.validate(); }), "cellSize");
  SpaceTimeCubeOptions cube;
  cube.binSize = 1e12;
  EXPECT_EQ(optionOf([&] { cube.validate(); }), "binSize");
}

TEST(ErrorKinds, KLargerThanTheDataAllowsIsAnOptionError) {
  KNearestOptions knn;
  knn.k = 100000;
  EXPECT_EQ(optionOf([&] { kNearestWeights(kPoints, knn); }), "k");
  knn.k = 3;
  EXPECT_NO_THROW(kNearestWeights(kPoints, knn));
}
