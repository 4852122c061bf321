// Processing adapters for geo/clustering: DBSCAN / DBSCAN* and ST-DBSCAN.
#include <qgsfeaturesink.h>
#include <qgsprocessingparameters.h>

#include <QDateTime>

#include <algorithm>
#include <unordered_map>

#include "geo/clustering/dbscan.h"
#include "geo/clustering/st_dbscan.h"
#include "plugin/processing/algorithms.h"
#include "plugin/processing/common.h"

namespace veldwacht::plugin {

namespace {

const QString kInput = QStringLiteral("INPUT");
const QString kOutput = QStringLiteral("OUTPUT");
const QString kWeight = QStringLiteral("WEIGHT_FIELD");
const QString kNumClusters = QStringLiteral("NUM_CLUSTERS");

/// Output fields: the input's, then cluster_id (-1 = noise), cluster_size, is_core.
QgsFields clusterFields(const QgsFields& inputFields) {
  QgsFields fields = inputFields;
  for (const QString& name :
       {QStringLiteral("cluster_id"), QStringLiteral("cluster_size"), QStringLiteral("is_core")}) {
    const int existing = fields.lookupField(name);
    if (existing >= 0) fields.remove(existing);
  }
  fields.append(compat::makeField(QStringLiteral("cluster_id"), compat::FieldKind::Int));
  fields.append(compat::makeField(QStringLiteral("cluster_size"), compat::FieldKind::Int));
  fields.append(compat::makeField(QStringLiteral("is_core"), compat::FieldKind::Bool));
  return fields;
}

/// Writes every kept input feature with its label; geometry in EPSG:28992.
void writeClusters(QgsFeatureSink& sink, const QgsFields& fields, const PointInput& in,
                   const geo::DbscanResult& result, QgsProcessingFeedback* feedback) {
  std::vector<int> sizes(result.clusterCount, 0);
  for (const std::int32_t label : result.labels)
    if (label >= 0) ++sizes[std::size_t(label)];
  const int inputFieldCount = fields.count() - 3;
  for (std::size_t i = 0; i < in.points.size(); ++i) {
    if (feedback->isCanceled()) throw geo::CancelledError();
    const QgsFeature& src = in.features.at(int(i));
    QgsFeature out(fields);
    QgsAttributes attrs = src.attributes();
    attrs.resize(inputFieldCount);
    const std::int32_t label = result.labels[i];
    attrs << label << (label >= 0 ? sizes[std::size_t(label)] : 0) << bool(result.core[i]);
    out.setAttributes(attrs);
    out.setGeometry(QgsGeometry::fromPointXY(QgsPointXY(in.points[i].x, in.points[i].y)));
    addToSink(sink, out, kOutput);
    if (i % 1000 == 0) feedback->setProgress(90.0 + 10.0 * double(i) / double(in.points.size()));
  }
}

/// Fields of the input that the cluster output copies: all except the ones it adds.
QgsFields copiedFields(const QgsFields& input) {
  QgsFields copied;
  for (const QgsField& f : input)
    if (f.name() != QLatin1String("cluster_id") && f.name() != QLatin1String("cluster_size") &&
        f.name() != QLatin1String("is_core"))
      copied.append(f);
  return copied;
}

/// A copy of `in` whose features hold only the copied fields' values, in order.
void keepCopiedAttributes(PointInput& in, const QgsFields& input, const QgsFields& copied) {
  QList<int> indices;
  for (const QgsField& f : copied) indices << input.indexFromName(f.name());
  for (QgsFeature& f : in.features) {
    const QgsAttributes all = f.attributes();
    QgsAttributes kept;
    for (int idx : indices) kept << all.value(idx);
    f.setAttributes(kept);
  }
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
  auto* weight = new QgsProcessingParameterField(kWeight, tr("Weight field"), QVariant(), kInput,
                                                 QgsProcessingParameterField::Numeric, false, true);
  weight->setFlags(weight->flags() | compat::kParamAdvanced);
  addParameter(weight);
  addParameter(
      new QgsProcessingParameterFeatureSink(kOutput, tr("Clusters"), compat::kSourcePoint));
  addOutput(new QgsProcessingOutputNumber(kNumClusters, tr("Number of clusters")));
}

QVariantMap DbscanAlgorithm::processAlgorithm(const QVariantMap& parameters,
                                              QgsProcessingContext& context,
                                              QgsProcessingFeedback* feedback) {
  std::unique_ptr<QgsProcessingFeatureSource> source(
      parameterAsSource(parameters, kInput, context));
  if (!source) throw QgsProcessingException(invalidSourceError(parameters, kInput));

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
    PointInput in = readPoints(*source, context, feedback);
    const QgsFields copied = copiedFields(source->fields());
    keepCopiedAttributes(in, source->fields(), copied);
    geo::DbscanResult result;
    FeedbackProgress progress(feedback);
    geo::SubProgress core(progress, 0.2, 0.9);
    if (weightField.isEmpty()) {
      result = geo::dbscan(in.points, options, core);
    } else {
      const int idx = source->fields().lookupField(weightField);
      if (idx < 0) throw QgsProcessingException(tr("Weight field %1 not found").arg(weightField));
      // Weights come from the kept features (in.features carries only copied attributes).
      std::vector<double> weights;
      weights.reserve(in.points.size());
      const int copiedIdx = copied.lookupField(weightField);
      for (const QgsFeature& f : in.features) {
        bool ok = false;
        const double w = f.attribute(copiedIdx).toDouble(&ok);
        weights.push_back(ok && w >= 0 ? w : 0.0);
        if (!ok || w < 0)
          feedback->reportError(tr("Feature %1 has no valid weight; it counts as 0").arg(f.id()),
                                false);
      }
      result = geo::dbscan(in.points, weights, options, core);
    }
    const QgsFields fields = clusterFields(copied);
    QString dest;
    std::unique_ptr<QgsFeatureSink> sink(parameterAsSink(parameters, kOutput, context, dest, fields,
                                                         compat::kWkbPoint, workingCrs()));
    if (!sink) throw QgsProcessingException(invalidSinkError(parameters, kOutput));
    writeClusters(*sink, fields, in, result, feedback);
    feedback->pushInfo(
        tr("%1 clusters; %2 features skipped").arg(result.clusterCount).arg(in.skipped));
    styleOutputOnLoad(context, feedback, dest, QStringLiteral("results/clusters_points.qml"));
    outputs.insert(kOutput, dest);
    outputs.insert(kNumClusters, qlonglong(result.clusterCount));
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
  addOutput(new QgsProcessingOutputNumber(kNumClusters, tr("Number of clusters")));
}

QVariantMap StDbscanAlgorithm::processAlgorithm(const QVariantMap& parameters,
                                                QgsProcessingContext& context,
                                                QgsProcessingFeedback* feedback) {
  std::unique_ptr<QgsProcessingFeatureSource> source(
      parameterAsSource(parameters, kInput, context));
  if (!source) throw QgsProcessingException(invalidSourceError(parameters, kInput));
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
    const int fromIdx = source->fields().lookupField(fromField);
    const int toIdx = toField.isEmpty() ? -1 : source->fields().lookupField(toField);
    if (fromIdx < 0) throw QgsProcessingException(tr("Time field %1 not found").arg(fromField));
    if (!toField.isEmpty() && toIdx < 0)
      throw QgsProcessingException(tr("Window end field %1 not found").arg(toField));

    PointInput all = readPoints(*source, context, feedback);
    // Keep the points with a usable time; a window without an end is a moment.
    PointInput in;
    in.skipped = all.skipped;
    std::vector<geo::TimeSeconds> from, to;
    for (std::size_t i = 0; i < all.points.size(); ++i) {
      const QgsFeature& f = all.features.at(int(i));
      const auto t0 = timeSeconds(f.attribute(fromIdx));
      if (!t0) {
        ++in.skipped;
        feedback->reportError(
            tr("Feature %1 has no valid time in %2; skipped").arg(f.id()).arg(fromField), false);
        continue;
      }
      auto t1 = toIdx >= 0 ? timeSeconds(f.attribute(toIdx)) : std::nullopt;
      if (t1 && *t1 < *t0) {
        feedback->reportError(
            tr("Feature %1 ends before it starts; its start is used as a moment").arg(f.id()),
            false);
        t1.reset();
      }
      in.points.push_back(all.points[i]);
      in.features.append(f);
      from.push_back(*t0);
      to.push_back(t1.value_or(*t0));
    }
    const QgsFields copied = copiedFields(source->fields());
    keepCopiedAttributes(in, source->fields(), copied);
    FeedbackProgress progress(feedback);
    geo::SubProgress core(progress, 0.2, 0.9);
    const geo::DbscanResult result = toIdx >= 0 ? geo::stDbscan(in.points, from, to, options, core)
                                                : geo::stDbscan(in.points, from, options, core);
    const QgsFields fields = clusterFields(copied);
    QString dest;
    std::unique_ptr<QgsFeatureSink> sink(parameterAsSink(parameters, kOutput, context, dest, fields,
                                                         compat::kWkbPoint, workingCrs()));
    if (!sink) throw QgsProcessingException(invalidSinkError(parameters, kOutput));
    writeClusters(*sink, fields, in, result, feedback);
    feedback->pushInfo(
        tr("%1 clusters; %2 features skipped").arg(result.clusterCount).arg(in.skipped));
    styleOutputOnLoad(context, feedback, dest, QStringLiteral("results/clusters_points.qml"));
    outputs.insert(kOutput, dest);
    outputs.insert(kNumClusters, qlonglong(result.clusterCount));
  });
  return outputs;
}

}  // namespace veldwacht::plugin
