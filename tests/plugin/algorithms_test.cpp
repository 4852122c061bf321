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
#include <qgsrasterbandstats.h>
#include <qgsrasterdataprovider.h>
#include <qgsrasterlayer.h>
#include <qgsvectorlayer.h>

#include <QFile>
#include <QTemporaryDir>

#include <QDateTime>

#include <cmath>
#include <map>
#include <memory>
#include <numbers>
#include <random>
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

/// True when a fatal error reported to `feedback` contains `part` (the reason a run failed;
/// QgsProcessingAlgorithm::run reports the QgsProcessingException's text there).
::testing::AssertionResult failedBecause(const RunResult& run, const RecordingFeedback& feedback,
                                         const QString& part) {
  if (run.ok) return ::testing::AssertionFailure() << "the run succeeded";
  for (const QString& e : feedback.errors)
    if (e.contains(part)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "no error contains '" << part.toStdString()
         << "'; errors: " << feedback.errors.join(QStringLiteral(" | ")).toStdString();
}

const QString kCancelled = QStringLiteral("The analysis was cancelled; no output was kept.");

/// cluster_id per input id: the algorithms made from the descriptions write bron_id, the key
/// (KEY_FIELD "id" in these tests), not the input's attributes.
std::map<int, int> labelsById(QgsVectorLayer& out) {
  std::map<int, int> labels;
  QgsFeature f;
  QgsFeatureIterator it = out.getFeatures();
  while (it.nextFeature(f))
    labels[f.attribute(QStringLiteral("bron_id")).toString().toInt()] =
        f.attribute(QStringLiteral("cluster_id")).toInt();
  return labels;
}

/// How many clusters (distinct cluster_id >= 0) the points output holds.
std::size_t clusterCount(QgsVectorLayer& out) {
  std::set<int> ids;
  for (const auto& [id, label] : labelsById(out))
    if (label >= 0) ids.insert(label);
  return ids.size();
}

const QString kKeyField = QStringLiteral("KEY_FIELD");
const QString kId = QStringLiteral("id");

}  // namespace

TEST(DbscanAlgorithm, FindsTwoGroupsAndLeavesTheLonePointAsNoise) {
  auto layer = twoGroupsAndALonePoint();
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run = runAlgorithm(QStringLiteral("veldwacht:dbscan"),
                                     {{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())},
                                      {kKeyField, kId},
                                      {QStringLiteral("EPS"), 25.0},
                                      {QStringLiteral("MIN_PTS"), 3}},
                                     context, feedback);
  ASSERT_TRUE(run.ok) << feedback.errors.join(QLatin1Char('\n')).toStdString();
  ASSERT_NE(run.output, nullptr);
  EXPECT_EQ(clusterCount(*run.output), 2u);
  EXPECT_EQ(run.output->featureCount(), 11);
  EXPECT_EQ(run.output->crs().authid(), QStringLiteral("EPSG:28992"));
  const auto labels = labelsById(*run.output);
  for (int i = 1; i < 5; ++i) EXPECT_EQ(labels.at(i), labels.at(0));
  for (int i = 6; i < 10; ++i) EXPECT_EQ(labels.at(i), labels.at(5));
  EXPECT_NE(labels.at(0), labels.at(5));
  EXPECT_GE(labels.at(0), 0);
  EXPECT_EQ(labels.at(10), -1);
  // The description's fields, in its order; cluster_grootte and kernpunt: the ends of each
  // line of five have two neighbours within 25 m (plus themselves) = 3 -> core as well.
  QStringList names;
  for (const QgsField& f : run.output->fields()) names << f.name();
  EXPECT_EQ(names.mid(names.size() - 4),
            (QStringList{QStringLiteral("bron_id"), QStringLiteral("cluster_id"),
                         QStringLiteral("cluster_grootte"), QStringLiteral("kernpunt")}));
  QgsFeature f;
  QgsFeatureIterator it = run.output->getFeatures();
  while (it.nextFeature(f)) {
    const int id = f.attribute(QStringLiteral("bron_id")).toString().toInt();
    EXPECT_EQ(f.attribute(QStringLiteral("cluster_grootte")).toInt(), id == 10 ? 0 : 5);
    EXPECT_EQ(f.attribute(QStringLiteral("kernpunt")).toBool(), id != 10);
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
                                      {kKeyField, kId},
                                      {QStringLiteral("EPS"), 25.0},
                                      {QStringLiteral("MIN_PTS"), 3}},
                                     context, feedback);
  ASSERT_TRUE(run.ok);
  EXPECT_EQ(clusterCount(*run.output), 2u);
  EXPECT_EQ(labelsById(*run.output).at(10), -1);
  QgsFeature first;
  run.output->getFeatures(QgsFeatureRequest().setFilterExpression(QStringLiteral("bron_id = '0'")))
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
  EXPECT_EQ(clusterCount(*unweighted.output), 0u);
  params.insert(QStringLiteral("WEIGHT_FIELD"), QStringLiteral("w"));
  const RunResult weighted =
      runAlgorithm(QStringLiteral("veldwacht:dbscan"), params, context, feedback);
  ASSERT_TRUE(weighted.ok);
  EXPECT_TRUE(feedback.errors.isEmpty());
  EXPECT_EQ(clusterCount(*weighted.output), 1u);

  // A negative weight is refused as the CLI refuses it, naming the feature and the field.
  layer->dataProvider()->changeAttributeValues({{1, {{1, -1.0}}}});
  RecordingFeedback refused;
  const RunResult negative =
      runAlgorithm(QStringLiteral("veldwacht:dbscan"), params, context, refused);
  EXPECT_TRUE(failedBecause(negative, refused,
                            QStringLiteral("field 'w': a weight must be finite and >= 0")));
}

TEST(DbscanAlgorithm, AnOptionOutsideItsRangeIsRefusedNamingTheParameter) {
  auto layer = twoGroupsAndALonePoint();
  QgsProcessingContext context;
  RecordingFeedback feedback;
  // eps must be > 0: QGIS's own check lets 0 through (the lower end is exclusive), the
  // description refuses it with the reason.
  const RunResult run = runAlgorithm(
      QStringLiteral("veldwacht:dbscan"),
      {{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())}, {QStringLiteral("EPS"), 0.0}},
      context, feedback);
  EXPECT_TRUE(failedBecause(run, feedback, QStringLiteral("EPS: ")));
  EXPECT_TRUE(failedBecause(run, feedback, QStringLiteral("> 0")));
}
TEST(DbscanAlgorithm, ACancelledRunFailsWithoutOutput) {
  auto layer = twoGroupsAndALonePoint();
  QgsProcessingContext context;
  RecordingFeedback feedback;
  feedback.cancel();
  const RunResult run = runAlgorithm(QStringLiteral("veldwacht:dbscan"),
                                     {{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())}},
                                     context, feedback);
  EXPECT_TRUE(failedBecause(run, feedback, kCancelled));
}

TEST(DbscanAlgorithm, WritingIntoAStoreNeedsAStoreLayer) {
  // A memory layer is not a layer of a Veldwacht store: refused before anything is computed.
  auto layer = twoGroupsAndALonePoint();
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run = runAlgorithm(QStringLiteral("veldwacht:dbscan"),
                                     {{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())},
                                      {QStringLiteral("WRITE_TO_STORE"), true}},
                                     context, feedback);
  EXPECT_TRUE(failedBecause(
      run, feedback,
      QStringLiteral("WRITE_TO_STORE: the input layer is not a layer of a Veldwacht store")));
}

TEST(StoreAlgorithms, RefuseABadOptionOrAMissingStoreWithTheReason) {
  const QTemporaryDir dir;
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult missing =
      runAlgorithm(QStringLiteral("veldwacht:store_dbscan"),
                   {{QStringLiteral("STORE"), dir.filePath(QStringLiteral("bestaat_niet.gpkg"))}},
                   context, feedback);
  EXPECT_TRUE(failedBecause(missing, feedback, QStringLiteral("bestaat_niet.gpkg")));
  RecordingFeedback refused;
  const RunResult bad =
      runAlgorithm(QStringLiteral("veldwacht:store_dbscan"),
                   {{QStringLiteral("STORE"), dir.filePath(QStringLiteral("bestaat_niet.gpkg"))},
                    {QStringLiteral("EPS"), 0.0}},
                   context, refused);
  // Options are checked before the store is opened (eps > 0: QGIS's bound lets 0 through).
  EXPECT_TRUE(failedBecause(bad, refused, QStringLiteral("EPS: must be > 0")));
}

TEST(StDbscanAlgorithm, SplitsOnePlaceIntoTwoPeriods) {
  // Ten points within 20 m; five in January, five in June: one cluster per period with a
  // one-week time radius, one cluster with a year.
  auto layer = pointLayer(QStringLiteral("EPSG:28992"));
  const QDateTime jan(QDate(2024, 1, 10), QTime(22, 0), Qt::UTC);
  const QDateTime jun(QDate(2024, 6, 10), QTime(23, 0), Qt::UTC);
  for (int i = 0; i < 10; ++i)
    addPoint(*layer, i, 257000.0 + 2.0 * i, 594000.0, (i < 5 ? jan : jun).addSecs(3600 * i));
  QgsProcessingContext context;
  RecordingFeedback feedback;
  QVariantMap params{{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())},
                     {kKeyField, kId},
                     {QStringLiteral("TIME_FIELD"), QStringLiteral("t")},
                     {QStringLiteral("EPS"), 50.0},
                     {QStringLiteral("EPS_DAYS"), 7.0},
                     {QStringLiteral("MIN_PTS"), 3}};
  const RunResult week =
      runAlgorithm(QStringLiteral("veldwacht:stdbscan"), params, context, feedback);
  ASSERT_TRUE(week.ok) << feedback.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_EQ(clusterCount(*week.output), 2u);
  EXPECT_EQ(week.output->featureCount(), 10);
  const auto labels = labelsById(*week.output);
  EXPECT_NE(labels.at(0), labels.at(9));
  EXPECT_EQ(labels.at(0), labels.at(4));

  params.insert(QStringLiteral("EPS_DAYS"), 365.0);
  const RunResult year =
      runAlgorithm(QStringLiteral("veldwacht:stdbscan"), params, context, feedback);
  ASSERT_TRUE(year.ok);
  EXPECT_EQ(clusterCount(*year.output), 1u);

  // A point without a time is refused as the CLI refuses it, naming the row and the field.
  addPoint(*layer, 10, 257001.0, 594001.0);
  RecordingFeedback refused;
  const RunResult missing =
      runAlgorithm(QStringLiteral("veldwacht:stdbscan"), params, context, refused);
  EXPECT_TRUE(failedBecause(missing, refused, QStringLiteral("field 't': not an ISO date")));
}
namespace {

/// Counts the features of `layer` matching an expression.
long long countWhere(QgsVectorLayer& layer, const QString& expression) {
  long long n = 0;
  QgsFeature f;
  QgsFeatureIterator it = layer.getFeatures(QgsFeatureRequest().setFilterExpression(expression));
  while (it.nextFeature(f)) ++n;
  return n;
}

/// A rows × cols grid of 100 m squares (EPSG:28992) with field `aantal`: 10 in the 3 × 3 block
/// at the lower-left corner, 1 elsewhere. Cell (col, row) has id row * cols + col.
std::unique_ptr<QgsVectorLayer> blockGrid(int cols, int rows) {
  auto layer = std::make_unique<QgsVectorLayer>(
      QStringLiteral("Polygon?crs=EPSG:28992&field=id:integer&field=aantal:double"),
      QStringLiteral("cellen"), QStringLiteral("memory"));
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      QgsFeature f(layer->fields());
      f.setAttribute(0, r * cols + c);
      f.setAttribute(1, (c < 3 && r < 3) ? 10.0 : 1.0);
      const double x = 250000.0 + 100.0 * c, y = 590000.0 + 100.0 * r;
      f.setGeometry(QgsGeometry::fromRect(QgsRectangle(x, y, x + 100.0, y + 100.0)));
      layer->dataProvider()->addFeature(f);
    }
  return layer;
}

QVariant attributeOf(QgsVectorLayer& layer, const QString& expression, const QString& field) {
  QgsFeature f;
  layer.getFeatures(QgsFeatureRequest().setFilterExpression(expression)).nextFeature(f);
  return f.attribute(field);
}

}  // namespace

TEST(DbscanAlgorithm, WritesOneHullPerClusterWhenAsked) {
  auto layer = twoGroupsAndALonePoint();
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run = runAlgorithm(QStringLiteral("veldwacht:dbscan"),
                                     {{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())},
                                      {QStringLiteral("EPS"), 25.0},
                                      {QStringLiteral("MIN_PTS"), 3},
                                      {QStringLiteral("HULLS"), QgsProcessing::TEMPORARY_OUTPUT}},
                                     context, feedback);
  ASSERT_TRUE(run.ok);
  auto* hulls = qobject_cast<QgsVectorLayer*>(QgsProcessingUtils::mapLayerFromString(
      run.results.value(QStringLiteral("HULLS")).toString(), context));
  ASSERT_NE(hulls, nullptr);
  EXPECT_EQ(hulls->featureCount(), 2);
  EXPECT_EQ(countWhere(*hulls, QStringLiteral("aantal = 5")), 2);
  // Five collinear points: the hull is a line, buffered into a polygon and said so.
  EXPECT_EQ(hulls->geometryType(), QgsWkbTypes::PolygonGeometry);
  EXPECT_EQ(countWhere(*hulls, QStringLiteral("opmerking LIKE '%gebufferd%'")), 2);
}
TEST(HdbscanAlgorithm, FindsTheTwoGroupsWithoutARadius) {
  auto layer = pointLayer(QStringLiteral("EPSG:28992"));
  int id = 0;
  for (int g = 0; g < 2; ++g)
    for (int i = 0; i < 10; ++i)
      addPoint(*layer, id++, 256000.0 + 2000.0 * g + 5.0 * (i % 5), 594000.0 + 5.0 * (i / 5));
  addPoint(*layer, id++, 257000.0, 597000.0);
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run = runAlgorithm(QStringLiteral("veldwacht:hdbscan"),
                                     {{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())},
                                      {kKeyField, kId},
                                      {QStringLiteral("MIN_CLUSTER_SIZE"), 5}},
                                     context, feedback);
  ASSERT_TRUE(run.ok) << feedback.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_EQ(clusterCount(*run.output), 2u);
  const auto labels = labelsById(*run.output);
  EXPECT_EQ(labels.at(20), -1);
  EXPECT_NE(labels.at(0), labels.at(10));
  for (int i = 0; i < 10; ++i) EXPECT_EQ(labels.at(i), labels.at(0));
  EXPECT_EQ(countWhere(*run.output, QStringLiteral("lidmaatschap < 0 OR lidmaatschap > 1")), 0);
  EXPECT_EQ(countWhere(*run.output, QStringLiteral("lidmaatschap IS NULL")), 0);
}
TEST(KmeansAlgorithm, SplitsTwoGroupsAndALonePointIntoThreeClusters) {
  auto layer = twoGroupsAndALonePoint();
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run = runAlgorithm(QStringLiteral("veldwacht:kmeans"),
                                     {{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())},
                                      {kKeyField, kId},
                                      {QStringLiteral("K"), 3},
                                      {QStringLiteral("SEED"), 7}},
                                     context, feedback);
  ASSERT_TRUE(run.ok) << feedback.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_EQ(clusterCount(*run.output), 3u);
  const auto labels = labelsById(*run.output);
  for (int i = 1; i < 5; ++i) EXPECT_EQ(labels.at(i), labels.at(0));
  for (int i = 6; i < 10; ++i) EXPECT_EQ(labels.at(i), labels.at(5));
  EXPECT_EQ(std::set<int>({labels.at(0), labels.at(5), labels.at(10)}).size(), 3u);
  EXPECT_EQ(countWhere(*run.output, QStringLiteral("cluster_id < 0")), 0);  // no noise
}
namespace {

/// The filter of polygon unit `id` of a memory layer in the results: units without a store key
/// are keyed by feature id, and a memory layer's feature ids start at 1.
QString unit(int id) { return QStringLiteral("bron_id = '%1'").arg(id + 1); }

/// runAlgorithm with the result table `output` (GLOBAL, RIPLEY …) as the run's output.
RunResult runTable(const QString& id, QVariantMap params, const QString& output,
                   QgsProcessingContext& context, QgsProcessingFeedback& feedback) {
  params.insert(output, QgsProcessing::TEMPORARY_OUTPUT);
  RunResult run = runAlgorithm(id, params, context, feedback);
  if (run.ok)
    run.output = qobject_cast<QgsVectorLayer*>(
        QgsProcessingUtils::mapLayerFromString(run.results.value(output).toString(), context));
  return run;
}

/// The field names of a layer, in order.
QStringList fieldNames(const QgsVectorLayer& layer) {
  QStringList names;
  for (const QgsField& f : layer.fields()) names << f.name();
  return names;
}

}  // namespace

TEST(GridCountAlgorithm, CountsEveryPointInItsSquare) {
  // Squares of 100 m snapped to multiples of 100: (250010, 590010) and (250090, 590090) share
  // cell [250000, 250100) x [590000, 590100); (250150, 590050) is alone in the next one.
  auto layer = pointLayer(QStringLiteral("EPSG:28992"));
  addPoint(*layer, 0, 250010.0, 590010.0);
  addPoint(*layer, 1, 250090.0, 590090.0);
  addPoint(*layer, 2, 250150.0, 590050.0);
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run = runAlgorithm(QStringLiteral("veldwacht:gridcount"),
                                     {{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())},
                                      {QStringLiteral("SHAPE"), QStringLiteral("square")},
                                      {QStringLiteral("CELL_SIZE"), 100.0},
                                      {QStringLiteral("DROP_EMPTY"), true}},
                                     context, feedback);
  ASSERT_TRUE(run.ok) << feedback.errors.join(QLatin1Char('\n')).toStdString();
  ASSERT_NE(run.output, nullptr);
  // The description's fields (as the CLI writes them into a store).
  EXPECT_EQ(fieldNames(*run.output).mid(fieldNames(*run.output).size() - 4),
            (QStringList{QStringLiteral("cel_id"), QStringLiteral("aantal"),
                         QStringLiteral("oppervlakte_ha"), QStringLiteral("per_ha")}));
  EXPECT_EQ(run.output->featureCount(), 2);
  EXPECT_EQ(countWhere(*run.output, QStringLiteral("aantal = 2")), 1);
  EXPECT_EQ(countWhere(*run.output, QStringLiteral("aantal = 1")), 1);
  EXPECT_NEAR(
      attributeOf(*run.output, QStringLiteral("aantal = 2"), QStringLiteral("oppervlakte_ha"))
          .toDouble(),
      1.0, 1e-9);
  EXPECT_NEAR(
      attributeOf(*run.output, QStringLiteral("aantal = 2"), QStringLiteral("per_ha")).toDouble(),
      2.0, 1e-9);
  const QgsRectangle box = [&] {
    QgsFeature f;
    run.output->getFeatures(QgsFeatureRequest().setFilterExpression(QStringLiteral("aantal = 2")))
        .nextFeature(f);
    return f.geometry().boundingBox();
  }();
  EXPECT_NEAR(box.xMinimum(), 250000.0, 1e-6);
  EXPECT_NEAR(box.yMaximum(), 590100.0, 1e-6);
}

TEST(PolygonCountAlgorithm, CountsPointsPerPolygonAndPerHectare) {
  auto polygons = blockGrid(2, 1);  // two 1 ha squares, ids 0 and 1
  auto points = pointLayer(QStringLiteral("EPSG:28992"));
  addPoint(*points, 0, 250010.0, 590010.0);
  addPoint(*points, 1, 250020.0, 590020.0);
  addPoint(*points, 2, 250150.0, 590050.0);
  addPoint(*points, 3, 251000.0, 591000.0);  // outside both
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run =
      runAlgorithm(QStringLiteral("veldwacht:polygoncount"),
                   {{QStringLiteral("INPUT"), QVariant::fromValue(points.get())},
                    {QStringLiteral("POLYGONS"), QVariant::fromValue(polygons.get())}},
                   context, feedback);
  ASSERT_TRUE(run.ok) << feedback.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_EQ(run.output->featureCount(), 2);
  EXPECT_EQ(attributeOf(*run.output, unit(0), QStringLiteral("aantal")).toInt(), 2);
  EXPECT_EQ(attributeOf(*run.output, unit(1), QStringLiteral("aantal")).toInt(), 1);
  EXPECT_NEAR(attributeOf(*run.output, unit(0), QStringLiteral("per_ha")).toDouble(), 2.0, 1e-9);
  EXPECT_NEAR(attributeOf(*run.output, unit(0), QStringLiteral("oppervlakte_ha")).toDouble(), 1.0,
              1e-9);
}

TEST(PolygonCountAlgorithm, WithoutPolygonsTheRunIsRefusedNamingTheParameter) {
  auto points = pointLayer(QStringLiteral("EPSG:28992"));
  addPoint(*points, 0, 250010.0, 590010.0);
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run = runAlgorithm(QStringLiteral("veldwacht:polygoncount"),
                                     {{QStringLiteral("INPUT"), QVariant::fromValue(points.get())}},
                                     context, feedback);
  EXPECT_TRUE(failedBecause(run, feedback, QStringLiteral("POLYGONS")));
}

TEST(GiStarAlgorithm, MarksTheHighBlockHotAndTheFarCornerNot) {
  auto grid = blockGrid(10, 10);
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run = runAlgorithm(QStringLiteral("veldwacht:gistar"),
                                     {{QStringLiteral("POLYGONS"), QVariant::fromValue(grid.get())},
                                      {QStringLiteral("POLYGONS_FIELD"), QStringLiteral("aantal")},
                                      {QStringLiteral("DISTANCE_BAND"), 150.0},
                                      {QStringLiteral("PERMUTATIONS"), 0}},
                                     context, feedback);
  ASSERT_TRUE(run.ok) << feedback.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_EQ(run.output->featureCount(), 100);
  // Cell (1, 1) is the centre of the high block: its 3 x 3 queen neighbourhood is all 10s.
  EXPECT_EQ(attributeOf(*run.output, unit(11), QStringLiteral("gi_bin")).toInt(), 3);
  EXPECT_EQ(attributeOf(*run.output, unit(11), QStringLiteral("buren")).toInt(), 9);
  EXPECT_NEAR(attributeOf(*run.output, unit(11), QStringLiteral("waarde")).toDouble(), 10.0, 0);
  EXPECT_LE(attributeOf(*run.output, unit(99), QStringLiteral("gi_bin")).toInt(), 0);
  EXPECT_EQ(run.output->geometryType(), QgsWkbTypes::PolygonGeometry);
  // The store's names, not the old gi_p_adj / n_buren of the hand-written algorithm.
  EXPECT_GE(run.output->fields().lookupField(QStringLiteral("gi_p_gecorrigeerd")), 0);
  EXPECT_LT(run.output->fields().lookupField(QStringLiteral("n_buren")), 0);
}

TEST(GiStarAlgorithm, APolygonFieldThatIsNotNumericIsRefusedNamingTheParameter) {
  auto grid = blockGrid(3, 3);
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run =
      runAlgorithm(QStringLiteral("veldwacht:gistar"),
                   {{QStringLiteral("POLYGONS"), QVariant::fromValue(grid.get())},
                    {QStringLiteral("POLYGONS_FIELD"), QStringLiteral("bestaat_niet")}},
                   context, feedback);
  EXPECT_TRUE(failedBecause(run, feedback, QStringLiteral("bestaat_niet")));
}

TEST(LocalMoranAlgorithm, FindsHighHighInTheBlockAndTypesEveryCell) {
  auto grid = blockGrid(10, 10);
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run = runAlgorithm(QStringLiteral("veldwacht:localmoran"),
                                     {{QStringLiteral("POLYGONS"), QVariant::fromValue(grid.get())},
                                      {QStringLiteral("POLYGONS_FIELD"), QStringLiteral("aantal")},
                                      {QStringLiteral("DISTANCE_BAND"), 150.0},
                                      {QStringLiteral("PERMUTATIONS"), 0}},
                                     context, feedback);
  ASSERT_TRUE(run.ok) << feedback.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_EQ(attributeOf(*run.output, unit(11), QStringLiteral("lisa_type")).toString(),
            QStringLiteral("HH"));
  EXPECT_EQ(countWhere(*run.output, QStringLiteral("lisa_type IN ('HH','LL','HL','LH','NS')")),
            100);
  // A low cell next to the block is a low value among high ones.
  EXPECT_LT(attributeOf(*run.output, unit(33), QStringLiteral("lisa_i")).toDouble(), 0.0);
}

TEST(KdeAlgorithm, OnePointGivesTheUniformKernelsHeightPerSquareKm) {
  // One point, uniform kernel of radius 100 m: density 1 / (pi r^2) per m^2, i.e.
  // 1e6 / (pi * 1e4) = 31.83 points per km^2 at every pixel centre within the radius.
  auto layer = pointLayer(QStringLiteral("EPSG:28992"));
  addPoint(*layer, 0, 250005.0, 590005.0);
  const QTemporaryDir dir;
  const QString out = dir.filePath(QStringLiteral("kde.tif"));
  QgsProcessingContext context;
  RecordingFeedback feedback;
  std::unique_ptr<QgsProcessingAlgorithm> alg(
      QgsApplication::processingRegistry()->createAlgorithmById(QStringLiteral("veldwacht:kde")));
  ASSERT_NE(alg, nullptr);
  bool ok = false;
  const QVariantMap results = alg->run({{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())},
                                        {QStringLiteral("RADIUS"), 100.0},
                                        {QStringLiteral("PIXEL_SIZE"), 10.0},
                                        {QStringLiteral("KERNEL"), QStringLiteral("uniform")},
                                        {QStringLiteral("SCALING"), QStringLiteral("per_km2")},
                                        {QStringLiteral("OUTPUT"), out}},
                                       context, &feedback, &ok);
  ASSERT_TRUE(ok) << feedback.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_EQ(results.value(QStringLiteral("OUTPUT")).toString(), out);
  QgsRasterLayer raster(out, QStringLiteral("kde"), QStringLiteral("gdal"));
  ASSERT_TRUE(raster.isValid());
  EXPECT_EQ(raster.crs().authid(), QStringLiteral("EPSG:28992"));
  const QgsRasterBandStats stats =
      raster.dataProvider()->bandStatistics(1, QgsRasterBandStats::Max);
  EXPECT_NEAR(stats.maximumValue, 1e6 / (M_PI * 1e4), 1e-6);
}

TEST(OptimizedHotSpotsAlgorithm, FindsTheDenseSpotAmongScatteredIncidents) {
  auto layer = pointLayer(QStringLiteral("EPSG:28992"));
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> ux(250000.0, 254000.0), uy(590000.0, 594000.0);
  int id = 0;
  for (int i = 0; i < 200; ++i) addPoint(*layer, id++, ux(rng), uy(rng));
  std::normal_distribution<double> spot(0.0, 60.0);
  for (int i = 0; i < 120; ++i) addPoint(*layer, id++, 252000.0 + spot(rng), 592000.0 + spot(rng));
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run = runAlgorithm(QStringLiteral("veldwacht:optimizedhotspots"),
                                     {{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())}},
                                     context, feedback);
  ASSERT_TRUE(run.ok) << feedback.errors.join(QLatin1Char('\n')).toStdString();
  // The cell with the highest Gi* z lies on the dense spot (placed in the middle, away from
  // the edges where smaller neighbourhoods inflate z) and is a significant hot spot.
  const QgsRectangle spotBox(251900.0, 591900.0, 252100.0, 592100.0);
  QgsFeature best;
  double bestZ = -1e300;
  QgsFeature f;
  QgsFeatureIterator it = run.output->getFeatures();
  while (it.nextFeature(f))
    if (f.attribute(QStringLiteral("gi_z")).toDouble() > bestZ) {
      bestZ = f.attribute(QStringLiteral("gi_z")).toDouble();
      best = f;
    }
  EXPECT_TRUE(best.geometry().boundingBox().intersects(spotBox))
      << best.geometry().boundingBox().toString().toStdString();
  EXPECT_GE(best.attribute(QStringLiteral("gi_bin")).toInt(), 1);
  EXPECT_EQ(countWhere(*run.output, QStringLiteral("gi_bin < -3 OR gi_bin > 3")), 0);
}

TEST(EmergingHotSpotsAlgorithm, APlaceThatHeatsUpLateIsANewOrConsecutiveHotSpot) {
  // A 2 km square with a steady sprinkle of incidents over twelve months; in the last two
  // months a burst at one spot. That spot's cell is hot only at the end of the series.
  auto layer = pointLayer(QStringLiteral("EPSG:28992"));
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(0.0, 2000.0);
  int id = 0;
  for (int month = 1; month <= 12; ++month)
    for (int i = 0; i < 30; ++i)
      addPoint(*layer, id++, 250000.0 + u(rng), 590000.0 + u(rng),
               QDateTime(QDate(2024, month, 1 + i % 28), QTime(12, 0), Qt::UTC));
  std::normal_distribution<double> spot(0.0, 40.0);
  for (int month = 11; month <= 12; ++month)
    for (int i = 0; i < 40; ++i)
      addPoint(*layer, id++, 251000.0 + spot(rng), 591000.0 + spot(rng),
               QDateTime(QDate(2024, month, 1 + i % 28), QTime(23, 0), Qt::UTC));
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run = runAlgorithm(QStringLiteral("veldwacht:emerginghotspots"),
                                     {{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())},
                                      {QStringLiteral("TIME_FIELD"), QStringLiteral("t")},
                                      {QStringLiteral("BIN_SIZE"), 250.0},
                                      {QStringLiteral("TIME_UNIT"), QStringLiteral("months")},
                                      {QStringLiteral("TIME_STEP"), 1}},
                                     context, feedback);
  ASSERT_TRUE(run.ok) << feedback.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_GT(run.output->featureCount(), 0);
  QgsFeature f;
  QgsFeatureIterator it = run.output->getFeatures(
      QgsFeatureRequest().setFilterRect(QgsRectangle(250990.0, 590990.0, 251010.0, 591010.0)));
  ASSERT_TRUE(it.nextFeature(f));
  const QString category = f.attribute(QStringLiteral("categorie")).toString();
  EXPECT_TRUE(category == QStringLiteral("New Hot Spot") ||
              category == QStringLiteral("Consecutive Hot Spot") ||
              category == QStringLiteral("Intensifying Hot Spot"))
      << category.toStdString();
  EXPECT_EQ(countWhere(*run.output, QStringLiteral("categorie = 'Persistent Hot Spot'")), 0);
}

TEST(DualKdeAlgorithm, TheSamePointsOverThemselvesGiveTheRegionsRatioEverywhere) {
  // Numerator and denominator are the same points: the ratio equals the region's overall ratio
  // wherever the denominator's density is defined, so log2(ratio / regional ratio) = 0 there
  // (and no-data elsewhere).
  auto layer = pointLayer(QStringLiteral("EPSG:28992"));
  addPoint(*layer, 0, 250005.0, 590005.0);
  addPoint(*layer, 1, 250105.0, 590055.0);
  const QTemporaryDir dir;
  const QString out = dir.filePath(QStringLiteral("ratio.tif"));
  QgsProcessingContext context;
  RecordingFeedback feedback;
  std::unique_ptr<QgsProcessingAlgorithm> alg(
      QgsApplication::processingRegistry()->createAlgorithmById(
          QStringLiteral("veldwacht:dualkde")));
  ASSERT_NE(alg, nullptr);
  bool ok = false;
  alg->run({{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())},
            {QStringLiteral("DENOMINATOR"), QVariant::fromValue(layer.get())},
            {QStringLiteral("RADIUS"), 100.0},
            {QStringLiteral("PIXEL_SIZE"), 10.0},
            {QStringLiteral("RATIO_SCALE"), 1000.0},
            {QStringLiteral("OUTPUT"), out}},
           context, &feedback, &ok);
  ASSERT_TRUE(ok) << feedback.errors.join(QLatin1Char('\n')).toStdString();
  QgsRasterLayer raster(out, QStringLiteral("ratio"), QStringLiteral("gdal"));
  ASSERT_TRUE(raster.isValid());
  const QgsRasterBandStats stats =
      raster.dataProvider()->bandStatistics(1, QgsRasterBandStats::Min | QgsRasterBandStats::Max);
  EXPECT_NEAR(stats.minimumValue, 0.0, 1e-9);
  EXPECT_NEAR(stats.maximumValue, 0.0, 1e-9);
}

namespace {

/// A cols x rows checkerboard of 100 m squares: aantal = (row + col) % 2.
std::unique_ptr<QgsVectorLayer> checkerboard(int cols, int rows) {
  auto layer = std::make_unique<QgsVectorLayer>(
      QStringLiteral("Polygon?crs=EPSG:28992&field=id:integer&field=aantal:double"),
      QStringLiteral("schaakbord"), QStringLiteral("memory"));
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      QgsFeature f(layer->fields());
      f.setAttribute(0, r * cols + c);
      f.setAttribute(1, double((r + c) % 2));
      const double x = 250000.0 + 100.0 * c, y = 590000.0 + 100.0 * r;
      f.setGeometry(QgsGeometry::fromRect(QgsRectangle(x, y, x + 100.0, y + 100.0)));
      layer->dataProvider()->addFeature(f);
    }
  return layer;
}

/// A column of row `statistic` in a statistics table (<output>_globaal).
double statistic(QgsVectorLayer& table, const QString& statistic,
                 const QString& column = QStringLiteral("waarde")) {
  return attributeOf(table, QStringLiteral("statistiek = '%1'").arg(statistic), column).toDouble();
}

const QString kGlobal = QStringLiteral("GLOBAL");

}  // namespace

TEST(GlobalMoranAlgorithm, ACheckerboardWithRookNeighboursGivesMinusOne) {
  // Every cell's rook neighbours (100 m; the diagonals at 141 m fall outside a 110 m band) have
  // the other value, so sum_j w_ij z_i z_j = -z_i^2 for every row: I = -1.
  auto grid = checkerboard(8, 8);
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run = runTable(QStringLiteral("veldwacht:globalmoran"),
                                 {{QStringLiteral("POLYGONS"), QVariant::fromValue(grid.get())},
                                  {QStringLiteral("POLYGONS_FIELD"), QStringLiteral("aantal")},
                                  {QStringLiteral("DISTANCE_BAND"), 110.0}},
                                 kGlobal, context, feedback);
  ASSERT_TRUE(run.ok) << feedback.errors.join(QLatin1Char('\n')).toStdString();
  ASSERT_NE(run.output, nullptr);
  EXPECT_EQ(run.output->geometryType(), QgsWkbTypes::NullGeometry);
  EXPECT_NEAR(statistic(*run.output, QStringLiteral("moran_i")), -1.0, 1e-9);
  EXPECT_NEAR(statistic(*run.output, QStringLiteral("moran_i"), QStringLiteral("verwacht")),
              -1.0 / 63.0, 1e-12);
  EXPECT_LT(statistic(*run.output, QStringLiteral("moran_i"), QStringLiteral("z")), -5.0);
  EXPECT_LT(statistic(*run.output, QStringLiteral("moran_i"), QStringLiteral("p")), 1e-6);
  // Polygons: no points, so no nearest neighbour row.
  EXPECT_EQ(run.output->featureCount(), 1);
}

TEST(GlobalMoranAlgorithm, AHighBlockInACornerIsPositivelyAutocorrelated) {
  auto grid = blockGrid(10, 10);
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run = runTable(QStringLiteral("veldwacht:globalmoran"),
                                 {{QStringLiteral("POLYGONS"), QVariant::fromValue(grid.get())},
                                  {QStringLiteral("POLYGONS_FIELD"), QStringLiteral("aantal")},
                                  {QStringLiteral("WEIGHTS"), QStringLiteral("k-nearest")},
                                  {QStringLiteral("K"), 4}},
                                 kGlobal, context, feedback);
  ASSERT_TRUE(run.ok) << feedback.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_GT(statistic(*run.output, QStringLiteral("moran_i")), 0.3);
  EXPECT_GT(statistic(*run.output, QStringLiteral("moran_i"), QStringLiteral("z")), 3.0);
}

TEST(NearestNeighbourIndexAlgorithm, ASquareLatticeGivesTwoWithItsOwnArea) {
  // 10 x 10 points 100 m apart: every nearest neighbour is 100 m away. With the lattice's own
  // area (100 cells of 1 ha) CSR expects 0.5 / sqrt(n / A) = 50 m, so R = 2.
  auto layer = pointLayer(QStringLiteral("EPSG:28992"));
  for (int r = 0; r < 10; ++r)
    for (int c = 0; c < 10; ++c)
      addPoint(*layer, r * 10 + c, 250000.0 + 100.0 * c, 590000.0 + 100.0 * r);
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run = runTable(
      QStringLiteral("veldwacht:nearestneighbourindex"),
      {{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())}, {QStringLiteral("AREA"), 1e6}},
      kGlobal, context, feedback);
  ASSERT_TRUE(run.ok) << feedback.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_NEAR(statistic(*run.output, QStringLiteral("nni_ratio")), 2.0, 1e-9);
  EXPECT_EQ(statistic(*run.output, QStringLiteral("nni_ratio"), QStringLiteral("verwacht")), 1.0);
  EXPECT_GT(statistic(*run.output, QStringLiteral("nni_ratio"), QStringLiteral("z")), 10.0);

  // Without an area the bounding rectangle (900 m)^2 is used: D_e = 0.5 * 900 / 10 = 45 m.
  QgsProcessingContext context2;
  const RunResult bbox = runTable(QStringLiteral("veldwacht:nearestneighbourindex"),
                                  {{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())}},
                                  kGlobal, context2, feedback);
  ASSERT_TRUE(bbox.ok);
  EXPECT_NEAR(statistic(*bbox.output, QStringLiteral("nni_ratio")), 100.0 / 45.0, 1e-9);
}

TEST(RipleyKAlgorithm, TightClustersRiseAboveTheEnvelope) {
  // Four 5 x 5 groups with 4 m spacing in a 616 m square: at the first of ten distances
  // (a tenth of a quarter of the side, ~15 m) each point sees most of its group, far more than
  // random points see, so L lies above the envelope of random patterns there.
  auto layer = pointLayer(QStringLiteral("EPSG:28992"));
  int id = 0;
  for (const auto& [cx, cy] : {std::pair{250200.0, 590200.0}, std::pair{250800.0, 590200.0},
                               std::pair{250200.0, 590800.0}, std::pair{250800.0, 590800.0}})
    for (int r = 0; r < 5; ++r)
      for (int c = 0; c < 5; ++c) addPoint(*layer, id++, cx + 4.0 * c, cy + 4.0 * r);
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run = runTable(QStringLiteral("veldwacht:ripleyk"),
                                 {{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())},
                                  {QStringLiteral("DISTANCES"), 10},
                                  {QStringLiteral("SIMULATIONS"), 19}},
                                 QStringLiteral("RIPLEY"), context, feedback);
  ASSERT_TRUE(run.ok) << feedback.errors.join(QLatin1Char('\n')).toStdString();
  ASSERT_NE(run.output, nullptr);
  EXPECT_EQ(fieldNames(*run.output).mid(fieldNames(*run.output).size() - 5),
            (QStringList{QStringLiteral("afstand_m"), QStringLiteral("k"), QStringLiteral("l"),
                         QStringLiteral("l_laag"), QStringLiteral("l_hoog")}));
  EXPECT_EQ(run.output->featureCount(), 10);
  EXPECT_EQ(run.output->geometryType(), QgsWkbTypes::NullGeometry);
  double first = 1e300;
  QgsFeature f;
  QgsFeatureIterator it = run.output->getFeatures();
  while (it.nextFeature(f)) {
    const double l = f.attribute(QStringLiteral("l")).toDouble();
    EXPECT_NEAR(l, std::sqrt(f.attribute(QStringLiteral("k")).toDouble() / std::numbers::pi), 1e-9);
    EXPECT_LE(f.attribute(QStringLiteral("l_laag")).toDouble(),
              f.attribute(QStringLiteral("l_hoog")).toDouble());
    first = std::min(first, f.attribute(QStringLiteral("afstand_m")).toDouble());
  }
  const QString atFirst = QStringLiteral("afstand_m = %1").arg(first, 0, 'g', 17);
  EXPECT_GT(attributeOf(*run.output, atFirst, QStringLiteral("l")).toDouble(),
            attributeOf(*run.output, atFirst, QStringLiteral("l_hoog")).toDouble());
}

TEST(RipleyKAlgorithm, WithoutSimulationsTheEnvelopeIsEmpty) {
  auto layer = pointLayer(QStringLiteral("EPSG:28992"));
  for (int i = 0; i < 30; ++i)
    addPoint(*layer, i, 250000.0 + 37.0 * (i % 6) + 3.0 * (i % 4), 590000.0 + 41.0 * (i / 6));
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run = runTable(QStringLiteral("veldwacht:ripleyk"),
                                 {{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())},
                                  {QStringLiteral("DISTANCES"), 4},
                                  {QStringLiteral("SIMULATIONS"), 0}},
                                 QStringLiteral("RIPLEY"), context, feedback);
  ASSERT_TRUE(run.ok) << feedback.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_EQ(run.output->featureCount(), 4);
  EXPECT_EQ(countWhere(*run.output, QStringLiteral("l_hoog IS NULL AND l_laag IS NULL")), 4);
}

TEST(RipleyKAlgorithm, ZeroDistancesAreRefusedNamingTheParameter) {
  auto layer = pointLayer(QStringLiteral("EPSG:28992"));
  addPoint(*layer, 0, 250000.0, 590000.0);
  addPoint(*layer, 1, 250100.0, 590100.0);
  QgsProcessingContext context;
  RecordingFeedback feedback;
  const RunResult run = runTable(QStringLiteral("veldwacht:ripleyk"),
                                 {{QStringLiteral("INPUT"), QVariant::fromValue(layer.get())},
                                  {QStringLiteral("DISTANCES"), 0}},
                                 QStringLiteral("RIPLEY"), context, feedback);
  EXPECT_TRUE(failedBecause(run, feedback, QStringLiteral("DISTANCES")));
}

TEST(PatternStatistics, ACancelledRunFailsWithoutOutput) {
  auto grid = blockGrid(4, 4);
  auto points = twoGroupsAndALonePoint();
  for (const auto& [id, params] :
       {std::pair{QStringLiteral("veldwacht:globalmoran"),
                  QVariantMap{{QStringLiteral("POLYGONS"), QVariant::fromValue(grid.get())},
                              {QStringLiteral("POLYGONS_FIELD"), QStringLiteral("aantal")}}},
        std::pair{QStringLiteral("veldwacht:nearestneighbourindex"),
                  QVariantMap{{QStringLiteral("INPUT"), QVariant::fromValue(points.get())}}},
        std::pair{QStringLiteral("veldwacht:ripleyk"),
                  QVariantMap{{QStringLiteral("INPUT"), QVariant::fromValue(points.get())}}}}) {
    QgsProcessingContext context;
    RecordingFeedback feedback;
    feedback.cancel();
    const RunResult run = runAlgorithm(id, params, context, feedback);
    EXPECT_TRUE(failedBecause(run, feedback, kCancelled)) << id.toStdString();
  }
}
