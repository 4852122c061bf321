// Each Veldwacht algorithm run through Processing on memory layers built here, with answers
// known by construction.
#include <gtest/gtest.h>

#include <qgsapplication.h>
#include <qgsfeature.h>
#include <qgsgeometry.h>
#include <qgsprocessingalgorithm.h>
#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingregistry.h>
#include <qgsprocessingutils.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

#include <QDateTime>

#include <map>
#include <memory>
#include <set>

#include "qgis_environment.h"

namespace {

/// Feedback that records per-feature errors.
class RecordingFeedback : public QgsProcessingFeedback {
 public:
  void reportError(const QString& error, bool fatal) override {
    errors << error;
    QgsProcessingFeedback::reportError(error, fatal);
  }
  QStringList errors;
};

/// A memory point layer in `crs` with fields id (int) and t (datetime).
std::unique_ptr<QgsVectorLayer> pointLayer(const QString& crs) {
  auto layer = std::make_unique<QgsVectorLayer>(
      QStringLiteral("Point?crs=%1&field=id:integer&field=t:datetime").arg(crs),
      QStringLiteral("signalen"), QStringLiteral("memory"));
  EXPECT_TRUE(layer->isValid());
  return layer;
}

void addPoint(QgsVectorLayer& layer, int id, double x, double y, const QDateTime& t = {}) {
  QgsFeature f(layer.fields());
  f.setAttribute(0, id);
  if (t.isValid()) f.setAttribute(1, t);
  if (std::isfinite(x)) f.setGeometry(QgsGeometry::fromPointXY(QgsPointXY(x, y)));
  ASSERT_TRUE(layer.dataProvider()->addFeature(f));
}

/// Two groups of five points 10 m apart on a line, 1 km from each other, plus a lone point.
/// With eps = 25 m and minPts = 3: two clusters of five, one noise point.
std::unique_ptr<QgsVectorLayer> twoGroupsAndALonePoint() {
  auto layer = pointLayer(QStringLiteral("EPSG:28992"));
  int id = 0;
  for (int g = 0; g < 2; ++g)
    for (int i = 0; i < 5; ++i) addPoint(*layer, id++, 256000.0 + 1000.0 * g + 10.0 * i, 594000.0);
  addPoint(*layer, id++, 258500.0, 596000.0);
  return layer;
}

struct RunResult {
  bool ok = false;
  QVariantMap results;
  QgsVectorLayer* output = nullptr;  // owned by the context
};

RunResult runAlgorithm(const QString& id, QVariantMap params, QgsProcessingContext& context,
                       QgsProcessingFeedback& feedback) {
  std::unique_ptr<QgsProcessingAlgorithm> alg(
      QgsApplication::processingRegistry()->createAlgorithmById(id));
  EXPECT_NE(alg, nullptr) << id.toStdString();
  RunResult run;
  if (!alg) return run;
  params.insert(QStringLiteral("OUTPUT"), QgsProcessing::TEMPORARY_OUTPUT);
  run.results = alg->run(params, context, &feedback, &run.ok);
  if (run.ok)
    run.output = qobject_cast<QgsVectorLayer*>(QgsProcessingUtils::mapLayerFromString(
        run.results.value(QStringLiteral("OUTPUT")).toString(), context));
  return run;
}

/// cluster_id per input id.
std::map<int, int> labelsById(QgsVectorLayer& out) {
  std::map<int, int> labels;
  QgsFeature f;
  QgsFeatureIterator it = out.getFeatures();
  while (it.nextFeature(f))
    labels[f.attribute(QStringLiteral("id")).toInt()] =
        f.attribute(QStringLiteral("cluster_id")).toInt();
  return labels;
}

}  // namespace

#ifdef VELDWACHT_HAVE_GEO_CLUSTERING

TEST(DbscanAlgorithm, FindsTwoGroupsAndLeavesTheLonePointAsNoise) {
  auto layer = twoGroupsAndALonePoint();
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run = runAlgorithm(QStringLiteral("veldwacht:dbscan"),
                                     {{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())},
                                      {QStringLiteral("EPS"), 25.0},
                                      {QStringLiteral("MIN_PTS"), 3}},
                                     context, feedback);
  ASSERT_TRUE(run.ok);
  ASSERT_NE(run.output, nullptr);
  EXPECT_EQ(run.results.value(QStringLiteral("NUM_CLUSTERS")).toInt(), 2);
  EXPECT_EQ(run.output->featureCount(), 11);
  EXPECT_EQ(run.output->crs().authid(), QStringLiteral("EPSG:28992"));
  const auto labels = labelsById(*run.output);
  for (int i = 1; i < 5; ++i) EXPECT_EQ(labels.at(i), labels.at(0));
  for (int i = 6; i < 10; ++i) EXPECT_EQ(labels.at(i), labels.at(5));
  EXPECT_NE(labels.at(0), labels.at(5));
  EXPECT_GE(labels.at(0), 0);
  EXPECT_EQ(labels.at(10), -1);
  // cluster_size and is_core: the ends of each line of five have two neighbours within 25 m
  // (plus themselves) = 3 -> core as well.
  QgsFeature f;
  QgsFeatureIterator it = run.output->getFeatures();
  while (it.nextFeature(f)) {
    const int id = f.attribute(QStringLiteral("id")).toInt();
    EXPECT_EQ(f.attribute(QStringLiteral("cluster_size")).toInt(), id == 10 ? 0 : 5);
    EXPECT_EQ(f.attribute(QStringLiteral("is_core")).toBool(), id != 10);
  }
}

TEST(DbscanAlgorithm, TransformsInputFromWgs84ToRd) {
  // The same two groups, given in EPSG:4326: 10 m steps stay ~10 m after transformation.
  auto rd = twoGroupsAndALonePoint();
  auto wgs = pointLayer(QStringLiteral("EPSG:4326"));
  const QgsCoordinateTransform toWgs(rd->crs(), wgs->crs(), QgsProject::instance());
  QgsFeature f;
  QgsFeatureIterator it = rd->getFeatures();
  while (it.nextFeature(f)) {
    const QgsPointXY p = toWgs.transform(f.geometry().asPoint());
    addPoint(*wgs, f.attribute(0).toInt(), p.x(), p.y());
  }
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run = runAlgorithm(QStringLiteral("veldwacht:dbscan"),
                                     {{QStringLiteral("INPUT"), QVariant::fromValue(wgs.get())},
                                      {QStringLiteral("EPS"), 25.0},
                                      {QStringLiteral("MIN_PTS"), 3}},
                                     context, feedback);
  ASSERT_TRUE(run.ok);
  EXPECT_EQ(run.results.value(QStringLiteral("NUM_CLUSTERS")).toInt(), 2);
  EXPECT_EQ(labelsById(*run.output).at(10), -1);
  QgsFeature first;
  run.output->getFeatures(QgsFeatureRequest().setFilterExpression(QStringLiteral("id = 0")))
      .nextFeature(first);
  EXPECT_NEAR(first.geometry().asPoint().x(), 256000.0, 0.01);
  EXPECT_NEAR(first.geometry().asPoint().y(), 594000.0, 0.01);
}

TEST(DbscanAlgorithm, ReportsAndSkipsFeaturesWithoutGeometry) {
  auto layer = twoGroupsAndALonePoint();
  addPoint(*layer, 99, std::nan(""), 0.0);
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run = runAlgorithm(QStringLiteral("veldwacht:dbscan"),
                                     {{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())},
                                      {QStringLiteral("EPS"), 25.0},
                                      {QStringLiteral("MIN_PTS"), 3}},
                                     context, feedback);
  ASSERT_TRUE(run.ok);
  EXPECT_EQ(run.output->featureCount(), 11);
  ASSERT_EQ(feedback.errors.size(), 1);
  EXPECT_TRUE(feedback.errors.at(0).contains(QStringLiteral("no geometry")));
}

TEST(DbscanAlgorithm, WeightsCountTowardsMinimumPoints) {
  // Two points 5 m apart: with minPts 3 they are noise, unless one weighs 2.
  auto layer = std::make_unique<QgsVectorLayer>(
      QStringLiteral("Point?crs=EPSG:28992&field=id:integer&field=w:double"), QStringLiteral("w"),
      QStringLiteral("memory"));
  for (int i = 0; i < 2; ++i) {
    QgsFeature f(layer->fields());
    f.setAttribute(0, i);
    f.setAttribute(1, i == 0 ? 2.0 : 1.0);
    f.setGeometry(QgsGeometry::fromPointXY(QgsPointXY(250000.0 + 5.0 * i, 590000.0)));
    layer->dataProvider()->addFeature(f);
  }
  QgsProcessingContext context;
  RecordingFeedback feedback;
  QVariantMap params{{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())},
                     {QStringLiteral("EPS"), 10.0},
                     {QStringLiteral("MIN_PTS"), 3}};
  const RunResult unweighted =
      runAlgorithm(QStringLiteral("veldwacht:dbscan"), params, context, feedback);
  ASSERT_TRUE(unweighted.ok);
  EXPECT_EQ(unweighted.results.value(QStringLiteral("NUM_CLUSTERS")).toInt(), 0);
  params.insert(QStringLiteral("WEIGHT_FIELD"), QStringLiteral("w"));
  const RunResult weighted =
      runAlgorithm(QStringLiteral("veldwacht:dbscan"), params, context, feedback);
  ASSERT_TRUE(weighted.ok);
  EXPECT_TRUE(feedback.errors.isEmpty());
  EXPECT_EQ(weighted.results.value(QStringLiteral("NUM_CLUSTERS")).toInt(), 1);
}

TEST(DbscanAlgorithm, ACancelledRunFailsWithoutOutput) {
  auto layer = twoGroupsAndALonePoint();
  QgsProcessingContext context;
  RecordingFeedback feedback;
  feedback.cancel();
  const RunResult run = runAlgorithm(QStringLiteral("veldwacht:dbscan"),
                                     {{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())}},
                                     context, feedback);
  EXPECT_FALSE(run.ok);
}

TEST(StDbscanAlgorithm, SplitsOnePlaceIntoTwoPeriods) {
  // Ten points within 20 m; five in January, five in June: one cluster per period with a
  // one-week time radius, one cluster with a year.
  auto layer = pointLayer(QStringLiteral("EPSG:28992"));
  const QDateTime jan(QDate(2024, 1, 10), QTime(22, 0), Qt::UTC);
  const QDateTime jun(QDate(2024, 6, 10), QTime(23, 0), Qt::UTC);
  for (int i = 0; i < 10; ++i)
    addPoint(*layer, i, 257000.0 + 2.0 * i, 594000.0, (i < 5 ? jan : jun).addSecs(3600 * i));
  addPoint(*layer, 10, 257001.0, 594001.0);  // no time: reported and skipped
  QgsProcessingContext context;
  RecordingFeedback feedback;
  QVariantMap params{{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())},
                     {QStringLiteral("TIME_FIELD"), QStringLiteral("t")},
                     {QStringLiteral("EPS"), 50.0},
                     {QStringLiteral("EPS_DAYS"), 7.0},
                     {QStringLiteral("MIN_PTS"), 3}};
  const RunResult week =
      runAlgorithm(QStringLiteral("veldwacht:stdbscan"), params, context, feedback);
  ASSERT_TRUE(week.ok);
  EXPECT_EQ(week.results.value(QStringLiteral("NUM_CLUSTERS")).toInt(), 2);
  EXPECT_EQ(week.output->featureCount(), 10);
  EXPECT_EQ(feedback.errors.size(), 1);
  const auto labels = labelsById(*week.output);
  EXPECT_NE(labels.at(0), labels.at(9));
  EXPECT_EQ(labels.at(0), labels.at(4));

  params.insert(QStringLiteral("EPS_DAYS"), 365.0);
  const RunResult year =
      runAlgorithm(QStringLiteral("veldwacht:stdbscan"), params, context, feedback);
  ASSERT_TRUE(year.ok);
  EXPECT_EQ(year.results.value(QStringLiteral("NUM_CLUSTERS")).toInt(), 1);
}

#endif  // VELDWACHT_HAVE_GEO_CLUSTERING
