#include "layers/analyses/clustering.h"

#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "geo/core/error.h"
#include "tests/geo/expect_error.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

const Value& field(const ResultLayer& r, std::size_t row, const std::string& name) {
  for (std::size_t i = 0; i < r.fields.size(); ++i)
    if (r.fields[i].name == name) return r.records.at(row).values.at(i);
  ADD_FAILURE() << "no field " << name;
  static Value none;
  return none;
}

std::int64_t asInt(const Value& v) { return std::get<std::int64_t>(v); }

std::int64_t styleCount(Store& store, const std::string& layer) {
  const auto rows = store.query("SELECT COUNT(*) FROM layer_styles WHERE f_table_name = '" + layer +
                                "' AND useAsDefault = 1");
  return std::stoll(*rows.at(0).at(0));
}

}  // namespace

TEST(RunClustering, DbscanFindsTheTwoPlantedGroupsWithHullsAndMetadata) {
  TempDir dir;
  auto store = storeWith(dir, batch("signalen", twoGroupSignals()));
  ClusteringRequest req;
  req.output = "dbs";
  req.dbscan.eps = 50;
  req.dbscan.minPts = 5;
  const RunReport report = runClustering(*store, req);
  EXPECT_EQ(report.layers, (std::vector<std::string>{"dbs_punten", "dbs_clusters"}));

  const ResultLayer points = readResultLayer(*store, "dbs_punten");
  ASSERT_EQ(points.records.size(), 14u);
  for (std::size_t i = 0; i < 14; ++i) {
    const std::int64_t expected = i < 6 ? 0 : i < 12 ? 1 : -1;
    EXPECT_EQ(asInt(field(points, i, "cluster_id")), expected) << i;
    EXPECT_EQ(asInt(field(points, i, "cluster_grootte")), expected < 0 ? 0 : 6) << i;
  }
  EXPECT_EQ(std::get<std::string>(field(points, 7, "bron_id")), "SIG-T-0007");

  const ResultLayer hulls = readResultLayer(*store, "dbs_clusters");
  ASSERT_EQ(hulls.records.size(), 2u);
  EXPECT_EQ(asInt(field(hulls, 0, "aantal")), 6);
  // 3 × 2 lattice of 20 m: a 40 m × 20 m rectangle.
  EXPECT_NEAR(std::get<double>(field(hulls, 0, "oppervlakte_m2")), 800.0, 1e-6);
  EXPECT_EQ(std::get<std::string>(field(hulls, 0, "categorie_mix")), "DRUGSAFVAL 6");
  EXPECT_EQ(std::get<std::string>(field(hulls, 1, "categorie_mix")), "HENNEP 6");
  EXPECT_EQ(asInt(field(hulls, 0, "bronnen")), 2);
  EXPECT_EQ(std::get<std::string>(field(hulls, 0, "van")), "2024-05-01T10:00:00");
  EXPECT_EQ(std::get<std::string>(field(hulls, 0, "tot")), "2024-05-06T10:00:00");
  OGREnvelope env;
  hulls.records[1].geometry->getEnvelope(&env);
  EXPECT_DOUBLE_EQ(env.MinX, kX0 + 2000);
  EXPECT_DOUBLE_EQ(env.MaxX, kX0 + 2040);

  EXPECT_EQ(points.metadata.algorithm, "dbscan");
  EXPECT_EQ(points.metadata.inputRows, 14);
  EXPECT_EQ(points.metadata.inputLayer, "signalen");
  const auto params = nlohmann::json::parse(points.metadata.parametersJson);
  EXPECT_EQ(params["eps"], 50.0);
  EXPECT_EQ(params["min_pts"], 5);
  EXPECT_EQ(styleCount(*store, "dbs_punten"), 1);
  EXPECT_EQ(styleCount(*store, "dbs_clusters"), 1);
}

TEST(RunClustering, StDbscanSeparatesTheSamePlaceAtDifferentTimes) {
  TempDir dir;
  std::vector<Record> recs;
  for (int j = 0; j < 10; ++j) {
    SignalSpec s = at(kX0 + 10.0 * (j % 5), kY0);
    s.van = j < 5 ? "2024-01-0" + std::to_string(1 + j) + "T00:00:00"
                  : "2024-09-0" + std::to_string(j - 4) + "T00:00:00";
    recs.push_back(signalRecord(j, s));
  }
  auto store = storeWith(dir, batch("signalen", std::move(recs)));
  ClusteringRequest req;
  req.output = "st";
  req.method = ClusterMethod::StDbscan;
  req.stDbscan.eps = 50;
  req.stDbscan.epsSeconds = 7 * 86400.0;
  req.stDbscan.minPts = 3;
  runClustering(*store, req);
  const ResultLayer points = readResultLayer(*store, "st_punten");
  for (std::size_t i = 0; i < 10; ++i)
    EXPECT_EQ(asInt(field(points, i, "cluster_id")), i < 5 ? 0 : 1) << i;

  // Plain DBSCAN with the same radius merges them.
  req.method = ClusterMethod::Dbscan;
  req.dbscan.eps = 50;
  req.dbscan.minPts = 3;
  runClustering(*store, req);
  const ResultLayer merged = readResultLayer(*store, "st_punten");
  for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ(asInt(field(merged, i, "cluster_id")), 0);
}

TEST(RunClustering, HdbscanWritesMembershipAndOutlierScores) {
  TempDir dir;
  auto store = storeWith(dir, batch("signalen", twoGroupSignals()));
  ClusteringRequest req;
  req.output = "hdb";
  req.method = ClusterMethod::Hdbscan;
  req.hdbscan.minClusterSize = 4;
  runClustering(*store, req);
  const ResultLayer points = readResultLayer(*store, "hdb_punten");
  std::set<std::int64_t> firstGroup, secondGroup;
  for (std::size_t i = 0; i < 6; ++i) firstGroup.insert(asInt(field(points, i, "cluster_id")));
  for (std::size_t i = 6; i < 12; ++i) secondGroup.insert(asInt(field(points, i, "cluster_id")));
  ASSERT_EQ(firstGroup.size(), 1u);
  ASSERT_EQ(secondGroup.size(), 1u);
  EXPECT_NE(*firstGroup.begin(), *secondGroup.begin());
  EXPECT_GE(*firstGroup.begin(), 0);
  const double p = std::get<double>(field(points, 0, "lidmaatschap"));
  EXPECT_GT(p, 0.0);
  EXPECT_LE(p, 1.0);
  EXPECT_TRUE(std::holds_alternative<double>(field(points, 13, "uitbijterscore")));
}

TEST(RunClustering, DegenerateHullsAreBufferedAndSaidSo) {
  TempDir dir;
  std::vector<Record> recs;
  recs.push_back(signalRecord(0, at(kX0, kY0)));
  recs.push_back(signalRecord(1, at(kX0 + 30, kY0)));
  recs.push_back(signalRecord(2, at(kX0 + 5000, kY0)));
  auto store = storeWith(dir, batch("signalen", std::move(recs)));
  ClusteringRequest req;
  req.output = "km";
  req.method = ClusterMethod::Kmeans;
  req.kmeans.k = 2;
  req.kmeans.seed = 7;
  req.degenerateBuffer = 10;
  const RunReport report = runClustering(*store, req);
  const ResultLayer hulls = readResultLayer(*store, "km_clusters");
  ASSERT_EQ(hulls.records.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_TRUE(std::holds_alternative<std::string>(field(hulls, i, "opmerking")));
    EXPECT_GT(std::get<double>(field(hulls, i, "oppervlakte_m2")), 0.0);
  }
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_EQ(hulls.metadata.seed, 7);
}

TEST(RunClustering, RefusesBadOptionsBeforeReading) {
  TempDir dir;
  auto store = storeWith(dir, batch("signalen", twoGroupSignals()));
  ClusteringRequest req;
  req.dbscan.eps = -1;
  EXPECT_OPTION_ERROR(runClustering(*store, req), "eps");
  req.dbscan.eps = 10;
  req.output = "Bad Name";
  EXPECT_OPTION_ERROR(runClustering(*store, req), "output");
  req.output = "ok";
  req.method = ClusterMethod::StDbscan;
  req.input.layer = "vab";
  EXPECT_THROW_WITH(runClustering(*store, req), geo::InputError, "the selection holds no rows");
  EXPECT_THROW_WITH(parseClusterMethod("optics"), geo::OptionError, "unknown method 'optics'");
  EXPECT_EQ(parseClusterMethod("dbscan*"), ClusterMethod::DbscanStar);
}

TEST(RunClustering, CancelWhileWritingLeavesNeitherLayer) {
  TempDir dir;
  auto store = storeWith(dir, batch("signalen", twoGroupSignals()));
  ClusteringRequest req;
  req.output = "cx";
  req.dbscan.eps = 50;
  CancelAfter cancel(0.95);  // during the second layer (hulls)
  EXPECT_THROW_WITH(runClustering(*store, req, cancel), geo::CancelledError, "cancel");
  EXPECT_GT(cancel.fraction(), 0.9);  // the points layer had been written
  EXPECT_TRUE(listResults(*store).empty());
  EXPECT_EQ(store->dataset().GetLayerByName("cx_punten"), nullptr);
  EXPECT_EQ(store->dataset().GetLayerByName("cx_clusters"), nullptr);
}

TEST(RunClustering, ConcaveHullsHugAnLShapedCluster) {
  TempDir dir;
  std::vector<Record> recs;
  int id = 0;
  // An L of lattice points 10 m apart: a 6 × 6 square without its upper-right 4 × 4 block.
  for (int r = 0; r < 6; ++r)
    for (int c = 0; c < 6; ++c)
      if (r < 2 || c < 2) recs.push_back(signalRecord(id++, at(kX0 + 10.0 * c, kY0 + 10.0 * r)));
  auto store = storeWith(dir, batch("signalen", std::move(recs)));
  ClusteringRequest req;
  req.output = "l";
  req.dbscan.eps = 15;
  req.dbscan.minPts = 3;
  runClustering(*store, req);
  const double convex =
      std::get<double>(field(readResultLayer(*store, "l_clusters"), 0, "oppervlakte_m2"));
  EXPECT_NEAR(convex, 2500.0 - 0.5 * 40 * 40, 1e-6);  // the square minus a corner triangle
  req.summary.concaveHull = true;
  req.summary.concaveRatio = 0.0;
  runClustering(*store, req);
  const ResultLayer concave = readResultLayer(*store, "l_clusters");
  const double area = std::get<double>(field(concave, 0, "oppervlakte_m2"));
  EXPECT_LT(area, convex - 500);
  EXPECT_GE(area, 50 * 10 + 10 * 40 - 1e-6);  // never inside the L's own outline
  EXPECT_EQ(nlohmann::json::parse(concave.metadata.parametersJson)["hull"], "concave");
}

TEST(RunClustering, TwoRunsUnderDifferentNamesBothStay) {
  TempDir dir;
  auto store = storeWith(dir, batch("signalen", twoGroupSignals()));
  ClusteringRequest req;
  req.dbscan.eps = 50;
  req.output = "eerste";
  runClustering(*store, req);
  req.output = "tweede";  // same method and input: the GeoPackage titles must still differ
  runClustering(*store, req);
  EXPECT_EQ(listResults(*store).size(), 4u);
  EXPECT_EQ(readResultLayer(*store, "eerste_clusters").records.size(), 2u);
  EXPECT_EQ(readResultLayer(*store, "tweede_clusters").records.size(), 2u);
}
