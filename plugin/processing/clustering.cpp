// Processing adapters for geo/clustering: DBSCAN / DBSCAN* and ST-DBSCAN.
#include <qgsfeaturesink.h>
#include <qgsprocessingparameters.h>

#include <QDateTime>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <unordered_map>

#include "geo/clustering/dbscan.h"
#include "geo/clustering/hdbscan.h"
#include "geo/clustering/kmeans.h"
#include "geo/clustering/st_dbscan.h"
#include "geo/clustering/summary.h"
#include "plugin/processing/algorithms.h"
#include "plugin/processing/common.h"
#include "plugin/processing/fastio.h"

namespace veldwacht::plugin {

namespace {

const QString kInput = QStringLiteral("INPUT");
const QString kOutput = QStringLiteral("OUTPUT");
const QString kHulls = QStringLiteral("HULLS");
const QString kWeight = QStringLiteral("WEIGHT_FIELD");
const QString kNumClusters = QStringLiteral("NUM_CLUSTERS");

/// One extra output column computed per kept point.
using Column = OutputColumn;

Column boolColumn(const QString& name, std::function<bool(std::size_t)> value) {
  return {compat::makeField(name, compat::FieldKind::Bool), geo::GpkgFieldType::Boolean,
          [value = std::move(value)](std::size_t i) {
            return geo::GpkgValue(std::int64_t(value(i) ? 1 : 0));
          }};
}

Column realColumn(const QString& name, std::function<double(std::size_t)> value) {
  return {compat::makeField(name, compat::FieldKind::Double), geo::GpkgFieldType::Real,
          [value = std::move(value)](std::size_t i) { return geo::GpkgValue(value(i)); }};
}

bool isAddedField(const QString& name, const std::vector<Column>& extra) {
  if (name == QLatin1String("cluster_id") || name == QLatin1String("cluster_size")) return true;
  for (const Column& c : extra)
    if (c.field.name() == name) return true;
  return false;
}

/// Drops from `in` the input columns the output adds itself (cluster_id, cluster_size, extras).
void keepCopiedAttributes(PointTable& in, const std::vector<Column>& extra) {
  QgsFields copied;
  std::vector<geo::GpkgFieldType> types;
  std::vector<std::vector<geo::GpkgValue>> columns;
  for (int i = 0; i < in.fields.count(); ++i) {
    if (isAddedField(in.fields.at(i).name(), extra)) continue;
    copied.append(in.fields.at(i));
    types.push_back(in.types[std::size_t(i)]);
    columns.push_back(std::move(in.columns[std::size_t(i)]));
  }
  in.fields = copied;
  in.types = std::move(types);
  in.columns = std::move(columns);
}

/// Reads the input points with every attribute (GDAL directly when possible), progress [0, 0.2).
PointTable readClusterInput(const QgsProcessingAlgorithm& alg, const QVariantMap& parameters,
                            QgsProcessingContext& context, QgsProcessingFeedback* feedback) {
  FieldSelection all;
  all.all = true;
  return readPointTable(alg, parameters, kInput, context, feedback, all, 0.0, 0.2);
}

/// Writes every kept input point with its label and the extra columns, in EPSG:28992.
/// Returns the destination id.
QString writeClusters(const QgsProcessingAlgorithm& alg, const QVariantMap& parameters,
                      QgsProcessingContext& context, QgsProcessingFeedback* feedback,
                      const PointTable& in, std::span<const std::int32_t> labels,
                      const std::vector<Column>& extra,
                      const QString& style = QStringLiteral("results/clusters_points.qml")) {
  std::unordered_map<std::int32_t, int> sizes;
  for (const std::int32_t label : labels)
    if (label >= 0) ++sizes[label];
  std::vector<Column> columns{
      {compat::makeField(QStringLiteral("cluster_id"), compat::FieldKind::Int),
       geo::GpkgFieldType::Int32, [labels](std::size_t i) { return geo::GpkgValue(labels[i]); }},
      {compat::makeField(QStringLiteral("cluster_size"), compat::FieldKind::Int),
       geo::GpkgFieldType::Int32, [labels, &sizes](std::size_t i) {
         return geo::GpkgValue(std::int64_t(labels[i] >= 0 ? sizes.at(labels[i]) : 0));
       }}};
  columns.insert(columns.end(), extra.begin(), extra.end());
  return writePointTable(alg, parameters, kOutput, context, feedback, in, columns, style, 0.9,
                         0.98);
}

/// The optional "cluster hulls" output: one polygon per cluster (geo::summarizeClusters),
/// with cluster_id and aantal. Hulls of one point or of collinear points are widened by 1 m.
QgsProcessingParameterFeatureSink* hullsParameter() {
  return new QgsProcessingParameterFeatureSink(
      kHulls, QCoreApplication::translate("Veldwacht", "Cluster hulls"), compat::kSourcePolygon,
      QVariant(), true, false);
}

void writeHulls(const QgsProcessingAlgorithm& alg, const QVariantMap& parameters,
                QgsProcessingContext& context, QgsProcessingFeedback* feedback,
                std::span<const geo::Point> points, std::span<const std::int32_t> labels,
                QVariantMap& outputs) {
  QgsFields fields;
  fields.append(compat::makeField(QStringLiteral("cluster_id"), compat::FieldKind::Int));
  fields.append(compat::makeField(QStringLiteral("aantal"), compat::FieldKind::Int));
  QString dest;
  std::unique_ptr<QgsFeatureSink> sink =
      makeSink(alg, parameters, kHulls, context, dest, fields, compat::kWkbPolygon);
  if (!sink) return;  // optional output not asked for
  FeedbackProgress progress(feedback);
  geo::SubProgress sub(progress, 0.98, 1.0);
  geo::ClusterSummaryOptions options;
  const geo::ClusterSummaryResult summary =
      geo::summarizeClusters(points, labels, {}, options, sub);
  for (const geo::ClusterSummary& c : summary.clusters) {
    if (c.count == 0 || !c.convexHull) continue;
    QgsGeometry g;
    g.fromWkb(QByteArray(reinterpret_cast<const char*>(c.convexHull->wkb.data()),
                         int(c.convexHull->wkb.size())));
    if (g.type() != QgsWkbTypes::PolygonGeometry) g = g.buffer(1.0, 8);
    QgsFeature f(fields);
    f.setAttribute(0, c.label);
    f.setAttribute(1, qlonglong(c.count));
    f.setGeometry(g);
    addToSink(*sink, f, kHulls);
  }
  styleOutputOnLoad(context, feedback, dest, QStringLiteral("results/clusters_hulls.qml"));
  outputs.insert(kHulls, dest);
}

/// Writes the clustered points (OUTPUT), the cluster hulls (HULLS, when asked for) and the
/// number of clusters into `outputs`.
void writeClusterOutputs(const QgsProcessingAlgorithm& alg, const QVariantMap& parameters,
                         QgsProcessingContext& context, QgsProcessingFeedback* feedback,
                         const PointTable& in, std::span<const std::int32_t> labels,
                         const std::vector<Column>& extra, std::size_t clusterCount,
                         QVariantMap& outputs) {
  outputs.insert(kOutput, writeClusters(alg, parameters, context, feedback, in, labels, extra));
  writeHulls(alg, parameters, context, feedback, in.points, labels, outputs);
  outputs.insert(kNumClusters, qlonglong(clusterCount));
}

/// Seconds since the epoch of a date/datetime attribute, reading the value as written (local
/// Dutch time per docs/schema.md, no time-zone conversion): only differences matter.
std::optional<geo::TimeSeconds> timeSeconds(const QVariant& v) {
  if (compat::isNullValue(v)) return std::nullopt;
  QDateTime dt;
  if (v.userType() == QMetaType::QDateTime) {
    dt = v.toDateTime();
  } else if (v.userType() == QMetaType::QDate) {
    dt = QDateTime(v.toDate(), QTime(0, 0));
  } else {
    const QString s = v.toString().trimmed();
    dt = QDateTime::fromString(s, Qt::ISODate);
    if (!dt.isValid()) dt = QDateTime(QDate::fromString(s, Qt::ISODate), QTime(0, 0));
  }
  if (!dt.isValid()) return std::nullopt;
  dt = QDateTime(dt.date(), dt.time(), Qt::UTC);
  return dt.toSecsSinceEpoch();
}

}  // namespace

// ---- veldwacht:dbscan ---------------------------------------------------------------------

QString DbscanAlgorithm::name() const { return QStringLiteral("dbscan"); }
QString DbscanAlgorithm::displayName() const { return tr("DBSCAN clustering"); }
QString DbscanAlgorithm::group() const { return tr("Clustering"); }
QString DbscanAlgorithm::groupId() const { return QStringLiteral("clustering"); }
QStringList DbscanAlgorithm::tags() const {
  return tr("dbscan,cluster,density,signalen,hotspot").split(',');
}
QString DbscanAlgorithm::shortHelpString() const {
  return tr(
      "Groups points that lie close together (DBSCAN, Ester et al. 1996). A point with at "
      "least <i>minimum points</i> points (itself included) within <i>radius</i> metres is "
      "a core point; core points within the radius of each other form one cluster, points "
      "near a core point join it, the rest is noise (cluster_id = -1). DBSCAN* drops "
      "those border points to noise. Coordinates are taken in EPSG:28992. The result "
      "equals scikit-learn's DBSCAN; clusters are numbered from 0.");
}

ui::OptionSpecs DbscanAlgorithm::optionSpecs() const {
  const geo::DbscanOptions d;
  return {
      ui::OptionSpec::real(QStringLiteral("EPS"), tr("Radius (eps)"), d.eps, 0.001, 1e6)
          .withUnit(QStringLiteral("m"))
          .withHelp(tr("Neighbourhood radius in metres; a neighbour at exactly this distance "
                       "counts.")),
      ui::OptionSpec::integer(QStringLiteral("MIN_PTS"), tr("Minimum points"), int(d.minPts), 1,
                              1000000)
          .withHelp(tr("Points within the radius, the point itself included, that make a core "
                       "point.")),
      ui::OptionSpec::boolean(QStringLiteral("BORDER_NOISE"),
                              tr("Border points are noise (DBSCAN*)"), d.borderPointsAreNoise)
          .asAdvanced(),
      ui::OptionSpec::integer(QStringLiteral("THREADS"), tr("Threads (0 = all cores)"), d.threads,
                              0, 256)
          .asAdvanced(),
  };
}

void DbscanAlgorithm::initAlgorithm(const QVariantMap&) {
  addParameter(new QgsProcessingParameterFeatureSource(kInput, tr("Input point layer"),
                                                       QList<int>() << compat::kSourcePoint));
  addOptionParameters(optionSpecs(), [this](auto* p) { return addParameter(p); });
  addParameter(weightParameter(kWeight, kInput, tr("Weight field")));
  addParameter(
      new QgsProcessingParameterFeatureSink(kOutput, tr("Clusters"), compat::kSourcePoint));
  addParameter(hullsParameter());
  addOutput(new QgsProcessingOutputNumber(kNumClusters, tr("Number of clusters")));
}

QVariantMap DbscanAlgorithm::processAlgorithm(const QVariantMap& parameters,
                                              QgsProcessingContext& context,
                                              QgsProcessingFeedback* feedback) {
  const QVariantMap v = optionValues(*this, optionSpecs(), parameters, context);
  geo::DbscanOptions options;
  options.eps = v.value(QStringLiteral("EPS")).toDouble();
  options.minPts = std::size_t(v.value(QStringLiteral("MIN_PTS")).toInt());
  options.borderPointsAreNoise = v.value(QStringLiteral("BORDER_NOISE")).toBool();
  options.threads = v.value(QStringLiteral("THREADS")).toInt();
  const QString weightField = parameterAsString(parameters, kWeight, context);

  QVariantMap outputs;
  runCore([&] {
    options.validate();
    PointTable in = readClusterInput(*this, parameters, context, feedback);
    const std::vector<double> weights = tableWeights(in, weightField, feedback);
    geo::DbscanResult result;
    std::vector<Column> extra{boolColumn(
        QStringLiteral("is_core"), [&result](std::size_t i) { return bool(result.core[i]); })};
    keepCopiedAttributes(in, extra);
    FeedbackProgress progress(feedback);
    geo::SubProgress core(progress, 0.2, 0.9);
    result = weights.empty() ? geo::dbscan(in.points, options, core)
                             : geo::dbscan(in.points, weights, options, core);
    writeClusterOutputs(*this, parameters, context, feedback, in, result.labels, extra,
                        result.clusterCount, outputs);
    feedback->pushInfo(
        tr("%1 clusters; %2 features skipped").arg(result.clusterCount).arg(in.skipped));
  });
  return outputs;
}

// ---- veldwacht:hdbscan --------------------------------------------------------------------

QString HdbscanAlgorithm::name() const { return QStringLiteral("hdbscan"); }
QString HdbscanAlgorithm::displayName() const { return tr("HDBSCAN clustering"); }
QString HdbscanAlgorithm::group() const { return tr("Clustering"); }
QString HdbscanAlgorithm::groupId() const { return QStringLiteral("clustering"); }
QStringList HdbscanAlgorithm::tags() const {
  return tr("hdbscan,cluster,density,hierarchical,outlier,signalen").split(',');
}
QString HdbscanAlgorithm::shortHelpString() const {
  return tr(
      "Finds clusters of varying density without a fixed radius (HDBSCAN, Campello, "
      "Moulavi & Sander 2013): it builds the hierarchy of all DBSCAN* clusterings and keeps "
      "the most stable clusters. Only the smallest cluster size is needed. Each point gets "
      "cluster_id (-1 = noise), a membership probability and a GLOSH outlier score. "
      "Results match the hdbscan Python library.");
}

ui::OptionSpecs HdbscanAlgorithm::optionSpecs() const {
  const geo::HdbscanOptions d;
  return {
      ui::OptionSpec::integer(QStringLiteral("MIN_CLUSTER_SIZE"), tr("Minimum cluster size"),
                              int(d.minClusterSize), 2, 1000000),
      ui::OptionSpec::integer(QStringLiteral("MIN_SAMPLES"),
                              tr("Minimum samples (0 = minimum cluster size)"), int(d.minSamples),
                              0, 1000000)
          .asAdvanced(),
      ui::OptionSpec::choice(QStringLiteral("SELECTION"), tr("Cluster selection"),
                             {tr("Excess of mass (most stable)"), tr("Leaf (finest)")},
                             d.selection == geo::ClusterSelection::Leaf ? 1 : 0)
          .asAdvanced(),
      ui::OptionSpec::boolean(QStringLiteral("ALLOW_SINGLE"), tr("Allow a single cluster"),
                              d.allowSingleCluster)
          .asAdvanced(),
      ui::OptionSpec::integer(QStringLiteral("THREADS"), tr("Threads (0 = all cores)"), d.threads,
                              0, 256)
          .asAdvanced(),
  };
}

void HdbscanAlgorithm::initAlgorithm(const QVariantMap&) {
  addParameter(new QgsProcessingParameterFeatureSource(kInput, tr("Input point layer"),
                                                       QList<int>() << compat::kSourcePoint));
  addOptionParameters(optionSpecs(), [this](auto* p) { return addParameter(p); });
  addParameter(
      new QgsProcessingParameterFeatureSink(kOutput, tr("Clusters"), compat::kSourcePoint));
  addParameter(hullsParameter());
  addOutput(new QgsProcessingOutputNumber(kNumClusters, tr("Number of clusters")));
}

QVariantMap HdbscanAlgorithm::processAlgorithm(const QVariantMap& parameters,
                                               QgsProcessingContext& context,
                                               QgsProcessingFeedback* feedback) {
  const QVariantMap v = optionValues(*this, optionSpecs(), parameters, context);
  geo::HdbscanOptions options;
  options.minClusterSize = std::size_t(v.value(QStringLiteral("MIN_CLUSTER_SIZE")).toInt());
  options.minSamples = std::size_t(v.value(QStringLiteral("MIN_SAMPLES")).toInt());
  options.selection = v.value(QStringLiteral("SELECTION")).toInt() == 1
                          ? geo::ClusterSelection::Leaf
                          : geo::ClusterSelection::ExcessOfMass;
  options.allowSingleCluster = v.value(QStringLiteral("ALLOW_SINGLE")).toBool();
  options.threads = v.value(QStringLiteral("THREADS")).toInt();

  QVariantMap outputs;
  runCore([&] {
    options.validate();
    PointTable in = readClusterInput(*this, parameters, context, feedback);
    geo::HdbscanResult result;
    std::vector<Column> extra{
        realColumn(QStringLiteral("probability"),
                   [&result](std::size_t i) { return result.probabilities[i]; }),
        realColumn(QStringLiteral("outlier_score"),
                   [&result](std::size_t i) { return result.outlierScores[i]; })};
    keepCopiedAttributes(in, extra);
    FeedbackProgress progress(feedback);
    geo::SubProgress core(progress, 0.2, 0.9);
    result = geo::hdbscan(in.points, options, core);
    writeClusterOutputs(*this, parameters, context, feedback, in, result.labels, extra,
                        result.clusterCount, outputs);
    feedback->pushInfo(
        tr("%1 clusters; %2 features skipped").arg(result.clusterCount).arg(in.skipped));
  });
  return outputs;
}

// ---- veldwacht:kmeans ---------------------------------------------------------------------

QString KmeansAlgorithm::name() const { return QStringLiteral("kmeans"); }
QString KmeansAlgorithm::displayName() const { return tr("K-means clustering"); }
QString KmeansAlgorithm::group() const { return tr("Clustering"); }
QString KmeansAlgorithm::groupId() const { return QStringLiteral("clustering"); }
QStringList KmeansAlgorithm::tags() const {
  return tr("kmeans,k-means,cluster,areas,partition").split(',');
}
QString KmeansAlgorithm::shortHelpString() const {
  return tr(
      "Splits all points into exactly <i>k</i> groups around centres (Lloyd's k-means "
      "with k-means++ seeding, Arthur & Vassilvitskii 2007), e.g. to share out addresses "
      "among k teams. Every point belongs to a group (no noise). The seed makes the result "
      "reproducible; the best of several restarts is kept.");
}

ui::OptionSpecs KmeansAlgorithm::optionSpecs() const {
  const geo::KmeansOptions d;
  return {
      ui::OptionSpec::integer(QStringLiteral("K"), tr("Number of clusters (k)"), int(d.k), 1,
                              100000),
      ui::OptionSpec::integer(QStringLiteral("SEED"), tr("Random seed"), int(d.seed), 0,
                              std::numeric_limits<int>::max())
          .asAdvanced(),
      ui::OptionSpec::integer(QStringLiteral("N_INIT"), tr("Restarts"), int(d.nInit), 1, 1000)
          .asAdvanced(),
      ui::OptionSpec::integer(QStringLiteral("MAX_ITER"), tr("Maximum iterations"), int(d.maxIter),
                              1, 100000)
          .asAdvanced(),
      ui::OptionSpec::integer(QStringLiteral("THREADS"), tr("Threads (0 = all cores)"), d.threads,
                              0, 256)
          .asAdvanced(),
  };
}

void KmeansAlgorithm::initAlgorithm(const QVariantMap&) {
  addParameter(new QgsProcessingParameterFeatureSource(kInput, tr("Input point layer"),
                                                       QList<int>() << compat::kSourcePoint));
  addOptionParameters(optionSpecs(), [this](auto* p) { return addParameter(p); });
  addParameter(weightParameter(kWeight, kInput, tr("Weight field")));
  addParameter(
      new QgsProcessingParameterFeatureSink(kOutput, tr("Clusters"), compat::kSourcePoint));
  addParameter(hullsParameter());
  addOutput(new QgsProcessingOutputNumber(kNumClusters, tr("Number of clusters")));
}

QVariantMap KmeansAlgorithm::processAlgorithm(const QVariantMap& parameters,
                                              QgsProcessingContext& context,
                                              QgsProcessingFeedback* feedback) {
  const QVariantMap v = optionValues(*this, optionSpecs(), parameters, context);
  geo::KmeansOptions options;
  options.k = std::size_t(v.value(QStringLiteral("K")).toInt());
  options.seed = std::uint64_t(v.value(QStringLiteral("SEED")).toLongLong());
  options.nInit = std::size_t(v.value(QStringLiteral("N_INIT")).toInt());
  options.maxIter = std::size_t(v.value(QStringLiteral("MAX_ITER")).toInt());
  options.threads = v.value(QStringLiteral("THREADS")).toInt();
  const QString weightField = parameterAsString(parameters, kWeight, context);

  QVariantMap outputs;
  runCore([&] {
    options.validate();
    PointTable in = readClusterInput(*this, parameters, context, feedback);
    const std::vector<double> weights = tableWeights(in, weightField, feedback);
    geo::KmeansResult result;
    std::vector<Column> extra{realColumn(QStringLiteral("centre_dist"), [&](std::size_t i) {
      const geo::Point& c = result.centres[std::size_t(result.labels[i])];
      return std::hypot(in.points[i].x - c.x, in.points[i].y - c.y);
    })};
    keepCopiedAttributes(in, extra);
    FeedbackProgress progress(feedback);
    geo::SubProgress core(progress, 0.2, 0.9);
    result = weights.empty() ? geo::kmeans(in.points, options, core)
                             : geo::kmeans(in.points, weights, options, core);
    writeClusterOutputs(*this, parameters, context, feedback, in, result.labels, extra,
                        result.centres.size(), outputs);
    feedback->pushInfo(
        tr("Inertia %1 m², %2 iterations").arg(result.inertia).arg(result.iterations));
  });
  return outputs;
}

// ---- veldwacht:stdbscan -------------------------------------------------------------------

QString StDbscanAlgorithm::name() const { return QStringLiteral("stdbscan"); }
QString StDbscanAlgorithm::displayName() const { return tr("ST-DBSCAN space-time clustering"); }
QString StDbscanAlgorithm::group() const { return tr("Clustering"); }
QString StDbscanAlgorithm::groupId() const { return QStringLiteral("clustering"); }
QStringList StDbscanAlgorithm::tags() const {
  return tr("st-dbscan,space-time,cluster,time window,signalen").split(',');
}
QString StDbscanAlgorithm::shortHelpString() const {
  return tr(
      "Clusters points close in space AND time (ST-DBSCAN, Birant & Kut 2007): two points "
      "are neighbours when they lie within the radius and their times within the time "
      "radius. With an end-time field each point is a time window (an observation "
      "between two moments) and the gap between windows counts. Points without a time "
      "are reported and skipped. Times are read as written (no time-zone conversion).");
}

ui::OptionSpecs StDbscanAlgorithm::optionSpecs() const {
  const geo::StDbscanOptions d;
  return {
      ui::OptionSpec::real(QStringLiteral("EPS"), tr("Radius (eps)"), d.eps, 0.001, 1e6)
          .withUnit(QStringLiteral("m")),
      ui::OptionSpec::real(QStringLiteral("EPS_DAYS"), tr("Time radius"), d.epsSeconds / 86400.0,
                           0.0, 36500.0)
          .withUnit(tr("days"))
          .withHelp(tr("Largest time difference (or gap between windows) of neighbours.")),
      ui::OptionSpec::integer(QStringLiteral("MIN_PTS"), tr("Minimum points"), int(d.minPts), 1,
                              1000000),
      ui::OptionSpec::boolean(QStringLiteral("BORDER_NOISE"),
                              tr("Border points are noise (DBSCAN*)"), d.borderPointsAreNoise)
          .asAdvanced(),
      ui::OptionSpec::integer(QStringLiteral("THREADS"), tr("Threads (0 = all cores)"), d.threads,
                              0, 256)
          .asAdvanced(),
  };
}

void StDbscanAlgorithm::initAlgorithm(const QVariantMap&) {
  addParameter(new QgsProcessingParameterFeatureSource(kInput, tr("Input point layer"),
                                                       QList<int>() << compat::kSourcePoint));
  addParameter(new QgsProcessingParameterField(
      QStringLiteral("TIME_FIELD"), tr("Time (or window start) field"),
      QStringLiteral("waargenomen_van"), kInput, QgsProcessingParameterField::Any));
  addParameter(new QgsProcessingParameterField(QStringLiteral("TIME_END_FIELD"),
                                               tr("Window end field"), QVariant(), kInput,
                                               QgsProcessingParameterField::Any, false, true));
  addOptionParameters(optionSpecs(), [this](auto* p) { return addParameter(p); });
  addParameter(new QgsProcessingParameterFeatureSink(kOutput, tr("Space-time clusters"),
                                                     compat::kSourcePoint));
  addParameter(hullsParameter());
  addOutput(new QgsProcessingOutputNumber(kNumClusters, tr("Number of clusters")));
}

QVariantMap StDbscanAlgorithm::processAlgorithm(const QVariantMap& parameters,
                                                QgsProcessingContext& context,
                                                QgsProcessingFeedback* feedback) {
  const QVariantMap v = optionValues(*this, optionSpecs(), parameters, context);
  geo::StDbscanOptions options;
  options.eps = v.value(QStringLiteral("EPS")).toDouble();
  options.epsSeconds = v.value(QStringLiteral("EPS_DAYS")).toDouble() * 86400.0;
  options.minPts = std::size_t(v.value(QStringLiteral("MIN_PTS")).toInt());
  options.borderPointsAreNoise = v.value(QStringLiteral("BORDER_NOISE")).toBool();
  options.threads = v.value(QStringLiteral("THREADS")).toInt();
  const QString fromField = parameterAsString(parameters, QStringLiteral("TIME_FIELD"), context);
  const QString toField = parameterAsString(parameters, QStringLiteral("TIME_END_FIELD"), context);

  QVariantMap outputs;
  runCore([&] {
    options.validate();
    PointTable in = readClusterInput(*this, parameters, context, feedback);
    const int fromIdx = in.column(fromField);
    const int toIdx = toField.isEmpty() ? -1 : in.column(toField);
    if (fromIdx < 0) throw QgsProcessingException(tr("Time field %1 not found").arg(fromField));
    if (!toField.isEmpty() && toIdx < 0)
      throw QgsProcessingException(tr("Window end field %1 not found").arg(toField));

    // Keep the points with a usable time; a window without an end is a moment.
    std::vector<bool> keep(in.points.size(), false);
    std::vector<geo::TimeSeconds> from, to;
    for (std::size_t i = 0; i < in.points.size(); ++i) {
      const auto value = [&](int col) {
        return toVariant(in.columns[std::size_t(col)][i], in.fields.at(col));
      };
      const auto t0 = timeSeconds(value(fromIdx));
      if (!t0) {
        ++in.skipped;
        feedback->reportError(
            tr("Feature %1 has no valid time in %2; skipped").arg(in.ids[i]).arg(fromField), false);
        continue;
      }
      // A window without an end (or with an end before its start) is a moment.
      geo::TimeSeconds end = *t0;
      if (toIdx >= 0) {
        if (const auto t1 = timeSeconds(value(toIdx)); t1 && *t1 >= *t0) {
          end = *t1;
        } else if (t1) {
          feedback->reportError(
              tr("Feature %1 ends before it starts; its start is used as a moment").arg(in.ids[i]),
              false);
        }
      }
      keep[i] = true;
      from.push_back(*t0);
      to.push_back(end);
    }
    in.keepRows(keep);
    geo::DbscanResult result;
    std::vector<Column> extra{boolColumn(
        QStringLiteral("is_core"), [&result](std::size_t i) { return bool(result.core[i]); })};
    keepCopiedAttributes(in, extra);
    FeedbackProgress progress(feedback);
    geo::SubProgress core(progress, 0.2, 0.9);
    result = toIdx >= 0 ? geo::stDbscan(in.points, from, to, options, core)
                        : geo::stDbscan(in.points, from, options, core);
    writeClusterOutputs(*this, parameters, context, feedback, in, result.labels, extra,
                        result.clusterCount, outputs);
    feedback->pushInfo(
        tr("%1 clusters; %2 features skipped").arg(result.clusterCount).arg(in.skipped));
  });
  return outputs;
}

}  // namespace veldwacht::plugin
