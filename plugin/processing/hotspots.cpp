// Processing adapters for geo/hotspots: Getis-Ord Gi*, Anselin's local Moran's I, the
// optimized hot-spot analysis of incident points, and the global pattern statistics (global
// Moran's I, Clark-Evans nearest neighbour index, Ripley's K/L) as numbers plus a table.
#include <qgsfeaturesink.h>
#include <qgsprocessingparameters.h>

#include <QDateTime>
#include <QFile>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

// oneTBB (included by geo/hotspots/inference.h) has a function named emit(), which Qt's
// keyword macro (already defined by the precompiled QGIS headers) would erase.
#pragma push_macro("emit")
#undef emit
#include "geo/hotspots/emerging.h"
#include "geo/hotspots/gistar.h"
#include "geo/hotspots/moran.h"
#include "geo/hotspots/nearest_neighbour_index.h"
#include "geo/hotspots/optimized.h"
#include "geo/hotspots/ripley.h"
#include "geo/hotspots/weights.h"
#pragma pop_macro("emit")
#include "plugin/processing/algorithms.h"
#include "plugin/processing/common.h"
#include "plugin/processing/fastio.h"

namespace veldwacht::plugin {

namespace {
const QString kInput = QStringLiteral("INPUT");
const QString kField = QStringLiteral("FIELD");
const QString kMask = QStringLiteral("MASK");
const QString kOutput = QStringLiteral("OUTPUT");
const QString kHtml = QStringLiteral("OUTPUT_HTML");

/// Features of a source (any geometry) with a numeric value, located at their centroid in
/// EPSG:28992. Features without geometry or value are reported and skipped.
struct ValueInput {
  std::vector<geo::Point> points;
  std::vector<double> values;
  QgsFeatureList features;
  QList<QgsGeometry> geometries;  ///< in EPSG:28992
};

ValueInput readValues(QgsProcessingFeatureSource& source, const QString& field,
                      QgsProcessingContext& context, QgsProcessingFeedback* feedback) {
  const int idx = source.fields().lookupField(field);
  if (idx < 0)
    throw QgsProcessingException(
        QCoreApplication::translate("Veldwacht", "Field %1 not found").arg(field));
  ValueInput in;
  double value = 0.0;
  FeatureReadSteps steps;
  steps.filter = [&](const QgsFeature& f) {
    bool ok = false;
    value = f.attribute(idx).toDouble(&ok);
    if (ok && std::isfinite(value) && !compat::isNullValue(f.attribute(idx))) return true;
    feedback->reportError(
        QCoreApplication::translate("Veldwacht", "Feature %1 has no value in %2; skipped")
            .arg(f.id())
            .arg(field),
        false);
    return false;
  };
  steps.accept = [&](const QgsFeature& f, const QgsGeometry& g) {
    const QgsPointXY c = g.type() == QgsWkbTypes::PointGeometry && !g.isMultipart()
                             ? g.asPoint()
                             : g.centroid().asPoint();
    in.points.push_back({c.x(), c.y()});
    in.values.push_back(value);
    in.features.append(f);
    in.geometries.append(g);
    return true;
  };
  readFeatures(source, context, feedback, steps);
  return in;
}

/// The spatial weights both local statistics take: a distance band or k nearest neighbours,
/// between the features' centroids.
ui::OptionSpecs weightSpecs() {
  return {
      ui::OptionSpec::choice(QStringLiteral("WEIGHTS"),
                             QCoreApplication::translate("Veldwacht", "Neighbours"),
                             {QCoreApplication::translate("Veldwacht", "Within a distance band"),
                              QCoreApplication::translate("Veldwacht", "K nearest neighbours")},
                             0),
      ui::OptionSpec::real(QStringLiteral("BAND"),
                           QCoreApplication::translate("Veldwacht",
                                                       "Distance band (0 = every feature gets a "
                                                       "neighbour)"),
                           0.0, 0.0, 1e6)
          .withUnit(QStringLiteral("m")),
      ui::OptionSpec::integer(QStringLiteral("K"),
                              QCoreApplication::translate("Veldwacht", "K nearest neighbours"), 8,
                              1, 1000)
          .asAdvanced(),
  };
}

geo::SpatialWeights makeWeights(const QVariantMap& v, std::span<const geo::Point> points,
                                geo::Progress& progress, QgsProcessingFeedback* feedback) {
  if (v.value(QStringLiteral("WEIGHTS")).toInt() == 1) {
    geo::KNearestOptions o;
    o.k = std::size_t(v.value(QStringLiteral("K")).toInt());
    o.validate();
    return geo::kNearestWeights(points, o, progress);
  }
  geo::DistanceBandOptions o;
  o.band = v.value(QStringLiteral("BAND")).toDouble();
  o.validate();
  geo::DistanceBandWeights w = geo::distanceBandWeights(points, o, progress);
  feedback->pushInfo(QCoreApplication::translate("Veldwacht", "Distance band %1 m").arg(w.band));
  return std::move(w.weights);
}

ui::OptionSpec permutationSpec(std::uint32_t def) {
  return ui::OptionSpec::integer(
             QStringLiteral("PERMUTATIONS"),
             QCoreApplication::translate("Veldwacht", "Permutations (0 = analytic only)"), int(def),
             0, 99999)
      .asAdvanced();
}

ui::OptionSpec correctionSpec() {
  return ui::OptionSpec::choice(
             QStringLiteral("CORRECTION"),
             QCoreApplication::translate("Veldwacht", "Multiple-testing correction"),
             {QCoreApplication::translate("Veldwacht", "None"),
              QCoreApplication::translate("Veldwacht", "False discovery rate (FDR)"),
              QCoreApplication::translate("Veldwacht", "Bonferroni")},
             1)
      .asAdvanced();
}

QgsFields copiedFields(const QgsFields& input, const QStringList& added) {
  QgsFields out;
  for (const QgsField& f : input)
    if (!added.contains(f.name())) out.append(f);
  return out;
}

/// What a local statistic (Gi*, local Moran) works on: the values read from `field` and the
/// spatial weights between their centroids (progress up to 0.3).
struct WeightedValues {
  ValueInput in;
  geo::SpatialWeights weights;
};

WeightedValues readWeightedValues(QgsProcessingFeatureSource& source, const QString& field,
                                  const QVariantMap& v, QgsProcessingContext& context,
                                  QgsProcessingFeedback* feedback, geo::Progress& progress) {
  WeightedValues w;
  w.in = readValues(source, field, context, feedback);
  geo::SubProgress weightProgress(progress, 0.1, 0.3);
  w.weights = makeWeights(v, w.in.points, weightProgress, feedback);
  return w;
}

/// The output of a local statistic: per input feature its geometry and attributes (all input
/// fields but the `added` ones), followed by `values(k)` for the `added` fields.
QString writeLocalStatistic(const QgsProcessingAlgorithm& algorithm, const QVariantMap& parameters,
                            QgsProcessingContext& context, QgsProcessingFeedback* feedback,
                            const QgsProcessingFeatureSource& source, const ValueInput& in,
                            const QgsFields& added,
                            const std::function<void(std::size_t, QgsAttributes&)>& values,
                            const QString& style) {
  const QgsFields copied = copiedFields(source.fields(), added.names());
  QgsFields fields = copied;
  for (const QgsField& f : added) fields.append(f);
  return writeRowsToSink(
      algorithm, parameters, kOutput, context, feedback, fields, source.wkbType(),
      std::size_t(in.features.size()),
      [&](std::size_t k, QgsFeature& f) {
        const int i = int(k);
        QgsAttributes a;
        for (const QgsField& c : copied) a << in.features.at(i).attribute(c.name());
        values(k, a);
        f.setAttributes(a);
        f.setGeometry(in.geometries.at(i));
      },
      style);
}

/// The polygon of a grid cell's ring.
QgsGeometry cellPolygon(const geo::GridCell& c) {
  QgsPolylineXY ring;
  for (const geo::Point& p : c.ring) ring.append(QgsPointXY(p.x, p.y));
  return QgsGeometry::fromPolygonXY({ring});
}

void reportWarnings(const std::vector<std::string>& warnings, QgsProcessingFeedback* feedback) {
  for (const std::string& w : warnings) feedback->pushWarning(QString::fromStdString(w));
}

/// Writes (statistic, value) rows to a table sink without geometry, so a global statistic can
/// be used downstream in the Model Builder and in batch runs.
QString writeStatistics(const QgsProcessingAlgorithm& algorithm, const QVariantMap& parameters,
                        QgsProcessingContext& context,
                        const std::vector<std::pair<QString, double>>& rows) {
  QgsFields fields;
  fields.append(compat::makeField(QStringLiteral("statistiek"), compat::FieldKind::String));
  fields.append(compat::makeField(QStringLiteral("waarde"), compat::FieldKind::Double));
  return writeRowsToSink(algorithm, parameters, kOutput, context, nullptr, fields,
                         compat::kWkbNoGeometry, rows.size(), [&](std::size_t i, QgsFeature& f) {
                           f.setAttributes(QgsAttributes() << rows[i].first << rows[i].second);
                         });
}
/// A self-contained HTML page with an SVG chart of L(d) − d against d, with the simulation
/// envelope as a grey band and the CSR line at 0: above the band = clustering at that distance.
void writeRipleyChart(const geo::RipleyResult& r, const QString& path, const QString& title) {
  const double w = 640.0, h = 360.0, left = 60.0, right = 20.0, top = 30.0, bottom = 40.0;
  const bool envelope = !r.envelopeLow.empty();
  double dMax = 0.0, yMin = 0.0, yMax = 0.0;
  for (std::size_t i = 0; i < r.distances.size(); ++i) {
    dMax = std::max(dMax, r.distances[i]);
    const double y = r.l[i] - r.distances[i];
    yMin = std::min(yMin, y);
    yMax = std::max(yMax, y);
    if (envelope) {
      yMin = std::min(yMin, r.envelopeLow[i] - r.distances[i]);
      yMax = std::max(yMax, r.envelopeHigh[i] - r.distances[i]);
    }
  }
  if (!(yMax > yMin)) yMax = yMin + 1.0;
  if (!(dMax > 0.0)) dMax = 1.0;
  auto sx = [&](double d) { return left + (w - left - right) * d / dMax; };
  auto sy = [&](double y) { return top + (h - top - bottom) * (yMax - y) / (yMax - yMin); };
  auto pt = [&](double d, double y) {
    return QStringLiteral("%1,%2 ").arg(sx(d), 0, 'f', 1).arg(sy(y), 0, 'f', 1);
  };
  QString band, line;
  for (std::size_t i = 0; i < r.distances.size(); ++i) {
    line += pt(r.distances[i], r.l[i] - r.distances[i]);
    if (envelope) band += pt(r.distances[i], r.envelopeHigh[i] - r.distances[i]);
  }
  for (std::size_t i = r.distances.size(); envelope && i-- > 0;)
    band += pt(r.distances[i], r.envelopeLow[i] - r.distances[i]);
  QString svg =
      QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%1\" height=\"%2\">")
          .arg(w)
          .arg(h);
  if (envelope)
    svg += QStringLiteral("<polygon points=\"%1\" fill=\"#cccccc\" stroke=\"none\"/>").arg(band);
  svg += QStringLiteral(
             "<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"#666\" "
             "stroke-dasharray=\"4 3\"/>")
             .arg(sx(0.0))
             .arg(sy(0.0))
             .arg(sx(dMax));
  svg += QStringLiteral(
             "<polyline points=\"%1\" fill=\"none\" stroke=\"#c0392b\" "
             "stroke-width=\"2\"/>")
             .arg(line);
  svg += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\" stroke=\"black\"/>")
             .arg(left)
             .arg(top)
             .arg(h - bottom);
  svg += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"black\"/>")
             .arg(left)
             .arg(h - bottom)
             .arg(w - right);
  svg += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"end\">%3 m</text>")
             .arg(w - right)
             .arg(h - 8.0)
             .arg(dMax, 0, 'f', 0);
  svg +=
      QStringLiteral("<text x=\"4\" y=\"%1\">%2</text>").arg(sy(yMax) + 4.0).arg(yMax, 0, 'f', 1);
  svg +=
      QStringLiteral("<text x=\"4\" y=\"%1\">%2</text>").arg(sy(yMin) + 4.0).arg(yMin, 0, 'f', 1);
  svg += QStringLiteral("</svg>");
  QString rows;
  for (std::size_t i = 0; i < r.distances.size(); ++i)
    rows +=
        QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td></tr>")
            .arg(r.distances[i], 0, 'f', 1)
            .arg(r.l[i] - r.distances[i], 0, 'f', 2)
            .arg(envelope ? QString::number(r.envelopeLow[i] - r.distances[i], 'f', 2) : QString())
            .arg(envelope ? QString::number(r.envelopeHigh[i] - r.distances[i], 'f', 2)
                          : QString());
  const QString page = QStringLiteral(
                           "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%1</title>"
                           "</head><body>\n<h2>%1</h2>\n%2\n<table border=\"1\"><tr><th>d</th>"
                           "<th>L(d) − d</th><th>low − d</th><th>high − d</th></tr>%3</table>\n"
                           "</body></html>\n")
                           .arg(title.toHtmlEscaped(), svg, rows);
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(page.toUtf8()) < 0)
    throw QgsProcessingException(
        QCoreApplication::translate("Veldwacht", "Cannot write %1").arg(path));
}
}  // namespace

// ---- veldwacht:gistar ---------------------------------------------------------------------

QString GiStarAlgorithm::name() const { return QStringLiteral("gistar"); }
QString GiStarAlgorithm::displayName() const { return tr("Hot spots (Getis-Ord Gi*)"); }
QString GiStarAlgorithm::group() const { return tr("Hot spots"); }
QString GiStarAlgorithm::groupId() const { return QStringLiteral("hotspots"); }
QStringList GiStarAlgorithm::tags() const {
  return tr("gi*,getis,ord,hotspot,coldspot,statistics").split(',');
}
QString GiStarAlgorithm::shortHelpString() const {
  return tr(
      "Finds statistically significant hot and cold spots of a value (e.g. counts per grid "
      "cell or per neighbourhood) with the Getis-Ord Gi* statistic (Getis & Ord 1992; Ord "
      "& Getis 1995): each feature's neighbourhood sum, itself included, compared with "
      "what chance gives. gi_bin is −3…+3 for 99/95/90% cold or hot spots, as ArcGIS's "
      "Gi_Bin, after a false-discovery-rate correction by default.");
}

ui::OptionSpecs GiStarAlgorithm::optionSpecs() const {
  const geo::GiStarOptions d;
  ui::OptionSpecs specs = weightSpecs();
  specs << permutationSpec(d.permutations) << correctionSpec()
        << ui::OptionSpec::integer(QStringLiteral("SEED"), tr("Random seed"), int(d.seed), 0,
                                   std::numeric_limits<int>::max())
               .asAdvanced();
  return specs;
}

void GiStarAlgorithm::initAlgorithm(const QVariantMap&) {
  addParameter(new QgsProcessingParameterFeatureSource(kInput, tr("Input layer"),
                                                       QList<int>() << compat::kSourceAnyGeometry));
  addParameter(new QgsProcessingParameterField(kField, tr("Value field"), QStringLiteral("aantal"),
                                               kInput, QgsProcessingParameterField::Numeric));
  addOptionParameters(optionSpecs(), [this](auto* p) { return addParameter(p); });
  addParameter(
      new QgsProcessingParameterFeatureSink(kOutput, tr("Hot spots"), compat::kSourceAnyGeometry));
}

QVariantMap GiStarAlgorithm::processAlgorithm(const QVariantMap& parameters,
                                              QgsProcessingContext& context,
                                              QgsProcessingFeedback* feedback) {
  const QVariantMap v = optionValues(*this, optionSpecs(), parameters, context);
  geo::GiStarOptions options;
  options.permutations = std::uint32_t(v.value(QStringLiteral("PERMUTATIONS")).toInt());
  options.correction = geo::Correction(v.value(QStringLiteral("CORRECTION")).toInt());
  options.seed = std::uint64_t(v.value(QStringLiteral("SEED")).toLongLong());
  const QString field = parameterAsString(parameters, kField, context);

  QVariantMap outputs;
  runCore([&] {
    options.validate();
    auto source = makeSource(*this, parameters, kInput, context);
    FeedbackProgress progress(feedback);
    const WeightedValues w = readWeightedValues(*source, field, v, context, feedback, progress);
    geo::SubProgress core(progress, 0.3, 0.9);
    const geo::GiStarResult r = geo::getisOrdGiStar(w.in.values, w.weights, options, core);
    reportWarnings(r.warnings, feedback);

    QgsFields added;
    for (const char* name : {"gi_z", "gi_p", "gi_p_adj"})
      added.append(compat::makeField(QString::fromLatin1(name), compat::FieldKind::Double));
    added.append(compat::makeField(QStringLiteral("gi_bin"), compat::FieldKind::Int));
    added.append(compat::makeField(QStringLiteral("n_buren"), compat::FieldKind::Int));
    const QString dest = writeLocalStatistic(
        *this, parameters, context, feedback, *source, w.in, added,
        [&r](std::size_t k, QgsAttributes& a) {
          a << r.z[k] << r.p[k] << r.pAdjusted[k] << int(r.bin[k]) << int(r.neighbourCount[k]);
        },
        QStringLiteral("results/hotspots_gi.qml"));
    outputs.insert(kOutput, dest);
  });
  return outputs;
}

// ---- veldwacht:localmoran -----------------------------------------------------------------

QString LocalMoranAlgorithm::name() const { return QStringLiteral("localmoran"); }
QString LocalMoranAlgorithm::displayName() const {
  return tr("Clusters and outliers (local Moran's I)");
}
QString LocalMoranAlgorithm::group() const { return tr("Hot spots"); }
QString LocalMoranAlgorithm::groupId() const { return QStringLiteral("hotspots"); }
QStringList LocalMoranAlgorithm::tags() const {
  return tr("lisa,moran,cluster,outlier,statistics").split(',');
}
QString LocalMoranAlgorithm::shortHelpString() const {
  return tr(
      "Anselin's local Moran's I (LISA, 1995): where high values sit among high ones (HH), "
      "low among low (LL), and where a value stands out from its neighbours (HL, LH). "
      "Significance from conditional permutations, corrected for multiple testing; "
      "lisa_type NS = not significant.");
}

ui::OptionSpecs LocalMoranAlgorithm::optionSpecs() const {
  const geo::LocalMoranOptions d;
  ui::OptionSpecs specs = weightSpecs();
  specs << permutationSpec(d.permutations) << correctionSpec()
        << ui::OptionSpec::real(QStringLiteral("ALPHA"), tr("Significance level"), d.alpha, 0.0001,
                                0.5)
               .asAdvanced()
        << ui::OptionSpec::integer(QStringLiteral("SEED"), tr("Random seed"), int(d.seed), 0,
                                   std::numeric_limits<int>::max())
               .asAdvanced();
  return specs;
}

void LocalMoranAlgorithm::initAlgorithm(const QVariantMap&) {
  addParameter(new QgsProcessingParameterFeatureSource(kInput, tr("Input layer"),
                                                       QList<int>() << compat::kSourceAnyGeometry));
  addParameter(new QgsProcessingParameterField(kField, tr("Value field"), QStringLiteral("aantal"),
                                               kInput, QgsProcessingParameterField::Numeric));
  addOptionParameters(optionSpecs(), [this](auto* p) { return addParameter(p); });
  addParameter(new QgsProcessingParameterFeatureSink(kOutput, tr("Clusters and outliers"),
                                                     compat::kSourceAnyGeometry));
}

QVariantMap LocalMoranAlgorithm::processAlgorithm(const QVariantMap& parameters,
                                                  QgsProcessingContext& context,
                                                  QgsProcessingFeedback* feedback) {
  const QVariantMap v = optionValues(*this, optionSpecs(), parameters, context);
  geo::LocalMoranOptions options;
  options.permutations = std::uint32_t(v.value(QStringLiteral("PERMUTATIONS")).toInt());
  options.correction = geo::Correction(v.value(QStringLiteral("CORRECTION")).toInt());
  options.alpha = v.value(QStringLiteral("ALPHA")).toDouble();
  options.seed = std::uint64_t(v.value(QStringLiteral("SEED")).toLongLong());
  if (options.permutations == 0) options.clustersFrom = geo::PValueSource::Analytic;
  const QString field = parameterAsString(parameters, kField, context);

  QVariantMap outputs;
  runCore([&] {
    options.validate();
    auto source = makeSource(*this, parameters, kInput, context);
    FeedbackProgress progress(feedback);
    const WeightedValues w = readWeightedValues(*source, field, v, context, feedback, progress);
    geo::SubProgress core(progress, 0.3, 0.9);
    const geo::LocalMoranResult r = geo::localMoran(w.in.values, w.weights, options, core);
    reportWarnings(r.warnings, feedback);

    QgsFields added;
    for (const char* name : {"lisa_i", "lisa_z", "lisa_p"})
      added.append(compat::makeField(QString::fromLatin1(name), compat::FieldKind::Double));
    added.append(compat::makeField(QStringLiteral("lisa_type"), compat::FieldKind::String, 2));
    static const char* const kTypes[] = {"NS", "HH", "LL", "HL", "LH"};
    const QString dest = writeLocalStatistic(
        *this, parameters, context, feedback, *source, w.in, added,
        [&r](std::size_t k, QgsAttributes& a) {
          a << r.i[k] << r.z[k] << r.pAdjusted[k]
            << QString::fromLatin1(kTypes[std::size_t(r.type[k])]);
        },
        QStringLiteral("results/local_moran.qml"));
    outputs.insert(kOutput, dest);
  });
  return outputs;
}

// ---- veldwacht:optimizedhotspots ----------------------------------------------------------

QString OptimizedHotSpotsAlgorithm::name() const { return QStringLiteral("optimizedhotspots"); }
QString OptimizedHotSpotsAlgorithm::displayName() const {
  return tr("Optimized hot spots of incidents");
}
QString OptimizedHotSpotsAlgorithm::group() const { return tr("Hot spots"); }
QString OptimizedHotSpotsAlgorithm::groupId() const { return QStringLiteral("hotspots"); }
QStringList OptimizedHotSpotsAlgorithm::tags() const {
  return tr("optimized,hotspot,gi*,grid,incidents,signalen").split(',');
}
QString OptimizedHotSpotsAlgorithm::shortHelpString() const {
  return tr(
      "From incident points straight to hot spots, choosing the parameters from the data "
      "as ArcGIS's Optimized Hot Spot Analysis does: a cell size from the points' spacing, "
      "counts per cell, the distance band at the first peak of spatial autocorrelation, "
      "then Gi* with FDR-corrected bins. Every choice is written to the log.");
}

ui::OptionSpecs OptimizedHotSpotsAlgorithm::optionSpecs() const {
  const geo::OptimizedHotSpotOptions d;
  return {
      ui::OptionSpec::choice(QStringLiteral("SHAPE"), tr("Cell shape"),
                             {tr("Square"), tr("Hexagon (pointy top)"), tr("Hexagon (flat top)")},
                             int(d.shape)),
      ui::OptionSpec::real(QStringLiteral("CELL_SIZE"), tr("Cell size (0 = from the data)"),
                           d.cellSize, 0.0, 1e6)
          .withUnit(QStringLiteral("m")),
      ui::OptionSpec::integer(QStringLiteral("BANDS"), tr("Distance bands tested"), int(d.bands), 2,
                              100)
          .asAdvanced(),
      permutationSpec(d.permutations),
      ui::OptionSpec::integer(QStringLiteral("SEED"), tr("Random seed"), int(d.seed), 0,
                              std::numeric_limits<int>::max())
          .asAdvanced(),
  };
}

void OptimizedHotSpotsAlgorithm::initAlgorithm(const QVariantMap&) {
  addParameter(new QgsProcessingParameterFeatureSource(kInput, tr("Incident points"),
                                                       QList<int>() << compat::kSourcePoint));
  addParameter(new QgsProcessingParameterFeatureSource(
      kMask, tr("Mask (study area)"), QList<int>() << compat::kSourcePolygon, QVariant(), true));
  addOptionParameters(optionSpecs(), [this](auto* p) { return addParameter(p); });
  addParameter(
      new QgsProcessingParameterFeatureSink(kOutput, tr("Hot spots"), compat::kSourcePolygon));
  addOutput(new QgsProcessingOutputNumber(QStringLiteral("CELL_SIZE_USED"), tr("Cell size")));
  addOutput(new QgsProcessingOutputNumber(QStringLiteral("DISTANCE_BAND"), tr("Distance band")));
}

QVariantMap OptimizedHotSpotsAlgorithm::processAlgorithm(const QVariantMap& parameters,
                                                         QgsProcessingContext& context,
                                                         QgsProcessingFeedback* feedback) {
  const QVariantMap v = optionValues(*this, optionSpecs(), parameters, context);
  geo::OptimizedHotSpotOptions options;
  options.shape = geo::GridShape(v.value(QStringLiteral("SHAPE")).toInt());
  options.cellSize = v.value(QStringLiteral("CELL_SIZE")).toDouble();
  options.bands = std::size_t(v.value(QStringLiteral("BANDS")).toInt());
  options.permutations = std::uint32_t(v.value(QStringLiteral("PERMUTATIONS")).toInt());
  options.seed = std::uint64_t(v.value(QStringLiteral("SEED")).toLongLong());

  QVariantMap outputs;
  runCore([&] {
    const PointTable in =
        readPointTable(*this, parameters, kInput, context, feedback, {}, 0.0, 0.1);
    if (!compat::isNullValue(parameters.value(kMask))) {
      auto mask = makeSource(*this, parameters, kMask, context);
      options.maskWkb = readPolygons(*mask, context, feedback).wkb;
    }
    options.validate();
    FeedbackProgress progress(feedback);
    geo::SubProgress core(progress, 0.1, 0.9);
    const geo::OptimizedHotSpotResult r = geo::optimizedHotSpots(in.points, options, {}, core);
    for (const std::string& c : r.choices) feedback->pushInfo(QString::fromStdString(c));
    reportWarnings(r.warnings, feedback);

    QgsFields fields;
    fields.append(compat::makeField(QStringLiteral("cel_id"), compat::FieldKind::Int));
    fields.append(compat::makeField(QStringLiteral("aantal"), compat::FieldKind::Double));
    fields.append(compat::makeField(QStringLiteral("gi_z"), compat::FieldKind::Double));
    fields.append(compat::makeField(QStringLiteral("gi_p"), compat::FieldKind::Double));
    fields.append(compat::makeField(QStringLiteral("gi_p_adj"), compat::FieldKind::Double));
    fields.append(compat::makeField(QStringLiteral("gi_bin"), compat::FieldKind::Int));
    const QString dest = writeRowsToSink(
        *this, parameters, kOutput, context, feedback, fields, compat::kWkbPolygon,
        r.grid.cells.size(),
        [&r](std::size_t i, QgsFeature& f) {
          const geo::GridCell& c = r.grid.cells[i];
          QgsAttributes a;
          a << int(i) << r.counts[i] << r.gi.z[i] << r.gi.p[i] << r.gi.pAdjusted[i]
            << int(r.gi.bin[i]);
          f.setAttributes(a);
          f.setGeometry(c.clipped ? geometryFromWkb(c.clippedWkb) : cellPolygon(c));
        },
        QStringLiteral("results/hotspots_gi.qml"));
    outputs.insert(kOutput, dest);
    outputs.insert(QStringLiteral("CELL_SIZE_USED"), r.cellSize);
    outputs.insert(QStringLiteral("DISTANCE_BAND"), r.distanceBand);
  });
  return outputs;
}

// ---- veldwacht:globalmoran ----------------------------------------------------------------

QString GlobalMoranAlgorithm::name() const { return QStringLiteral("globalmoran"); }
QString GlobalMoranAlgorithm::displayName() const {
  return tr("Spatial autocorrelation (global Moran's I)");
}
QString GlobalMoranAlgorithm::group() const { return tr("Pattern statistics"); }
QString GlobalMoranAlgorithm::groupId() const { return QStringLiteral("patterns"); }
QStringList GlobalMoranAlgorithm::tags() const {
  return tr("moran,global,autocorrelation,cluster,statistics").split(',');
}
QString GlobalMoranAlgorithm::shortHelpString() const {
  return tr(
      "One number for the whole layer: do similar values of a field lie near each other "
      "(Moran's I > E[I], clustered), alternate (I < E[I], dispersed), or neither (Moran "
      "1950; moments from Cliff & Ord 1981)? Polygons count at their centroid. z and p are "
      "under the randomisation assumption, as ArcGIS's Spatial Autocorrelation tool; the "
      "table also lists the normality ones.");
}

ui::OptionSpecs GlobalMoranAlgorithm::optionSpecs() const {
  const geo::GlobalMoranOptions d;
  ui::OptionSpecs specs = weightSpecs();
  specs << ui::OptionSpec::boolean(QStringLiteral("ROW_STANDARDISE"),
                                   tr("Row-standardise the weights"), d.rowStandardise)
               .asAdvanced();
  return specs;
}

void GlobalMoranAlgorithm::initAlgorithm(const QVariantMap&) {
  addParameter(new QgsProcessingParameterFeatureSource(kInput, tr("Input layer"),
                                                       QList<int>() << compat::kSourceAnyGeometry));
  addParameter(new QgsProcessingParameterField(kField, tr("Value field"), QStringLiteral("aantal"),
                                               kInput, QgsProcessingParameterField::Numeric));
  addOptionParameters(optionSpecs(), [this](auto* p) { return addParameter(p); });
  addParameter(
      new QgsProcessingParameterFeatureSink(kOutput, tr("Moran's I table"), compat::kSourceVector));
  addOutput(new QgsProcessingOutputNumber(QStringLiteral("MORANS_I"), tr("Moran's I")));
  addOutput(new QgsProcessingOutputNumber(QStringLiteral("EXPECTED_I"), tr("Expected I")));
  addOutput(new QgsProcessingOutputNumber(QStringLiteral("Z_SCORE"), tr("z-score")));
  addOutput(new QgsProcessingOutputNumber(QStringLiteral("P_VALUE"), tr("p-value")));
}

QVariantMap GlobalMoranAlgorithm::processAlgorithm(const QVariantMap& parameters,
                                                   QgsProcessingContext& context,
                                                   QgsProcessingFeedback* feedback) {
  const QVariantMap v = optionValues(*this, optionSpecs(), parameters, context);
  geo::GlobalMoranOptions options;
  options.rowStandardise = v.value(QStringLiteral("ROW_STANDARDISE")).toBool();
  const QString field = parameterAsString(parameters, kField, context);

  QVariantMap outputs;
  runCore([&] {
    options.validate();
    auto source = makeSource(*this, parameters, kInput, context);
    const ValueInput in = readValues(*source, field, context, feedback);
    if (in.values.size() < 3)
      throw QgsProcessingException(
          tr("Moran's I needs at least 3 features with a value, got %1").arg(in.values.size()));
    FeedbackProgress progress(feedback);
    geo::SubProgress weightProgress(progress, 0.1, 0.8);
    const geo::SpatialWeights weights = makeWeights(v, in.points, weightProgress, feedback);
    if (feedback->isCanceled()) throw geo::CancelledError();
    const geo::GlobalMoranResult r = geo::globalMoran(in.values, weights, options);
    if (r.islands > 0) feedback->pushWarning(tr("%1 features have no neighbour").arg(r.islands));
    feedback->pushInfo(tr("Moran's I = %1 (expected %2), z = %3, p = %4")
                           .arg(r.i)
                           .arg(r.expected)
                           .arg(r.zRandom)
                           .arg(r.pRandom));
    const QString dest = writeStatistics(*this, parameters, context,
                                         {{QStringLiteral("morans_i"), r.i},
                                          {QStringLiteral("verwacht_i"), r.expected},
                                          {QStringLiteral("variantie"), r.varianceRandom},
                                          {QStringLiteral("z"), r.zRandom},
                                          {QStringLiteral("p"), r.pRandom},
                                          {QStringLiteral("variantie_normaal"), r.varianceNormal},
                                          {QStringLiteral("z_normaal"), r.zNormal},
                                          {QStringLiteral("p_normaal"), r.pNormal},
                                          {QStringLiteral("n"), double(r.n)},
                                          {QStringLiteral("eilanden"), double(r.islands)}});
    outputs.insert(kOutput, dest);
    outputs.insert(QStringLiteral("MORANS_I"), r.i);
    outputs.insert(QStringLiteral("EXPECTED_I"), r.expected);
    outputs.insert(QStringLiteral("Z_SCORE"), r.zRandom);
    outputs.insert(QStringLiteral("P_VALUE"), r.pRandom);
    progress.setFraction(1.0);
  });
  return outputs;
}

// ---- veldwacht:nearestneighbourindex ------------------------------------------------------

QString NearestNeighbourIndexAlgorithm::name() const {
  return QStringLiteral("nearestneighbourindex");
}
QString NearestNeighbourIndexAlgorithm::displayName() const {
  return tr("Average nearest neighbour (Clark-Evans)");
}
QString NearestNeighbourIndexAlgorithm::group() const { return tr("Pattern statistics"); }
QString NearestNeighbourIndexAlgorithm::groupId() const { return QStringLiteral("patterns"); }
QStringList NearestNeighbourIndexAlgorithm::tags() const {
  return tr("nearest,neighbour,clark,evans,ratio,cluster,dispersed,statistics").split(',');
}
QString NearestNeighbourIndexAlgorithm::shortHelpString() const {
  return tr(
      "Clark & Evans's (1954) nearest neighbour index: the mean distance from each point to "
      "its nearest neighbour divided by what complete spatial randomness of the same density "
      "gives. R < 1 clustered, R = 1 random, R > 1 dispersed (a square lattice gives 2). The "
      "answer depends on the area: give the study area in m² when it is known, otherwise "
      "the points' bounding rectangle is used.");
}

ui::OptionSpecs NearestNeighbourIndexAlgorithm::optionSpecs() const {
  const geo::NearestNeighbourIndexOptions d;
  return {
      ui::OptionSpec::real(QStringLiteral("AREA"),
                           tr("Study area (0 = the points' bounding rectangle)"), d.area, 0.0, 1e13)
          .withUnit(QStringLiteral("m²")),
  };
}

void NearestNeighbourIndexAlgorithm::initAlgorithm(const QVariantMap&) {
  addParameter(new QgsProcessingParameterFeatureSource(kInput, tr("Points"),
                                                       QList<int>() << compat::kSourcePoint));
  addOptionParameters(optionSpecs(), [this](auto* p) { return addParameter(p); });
  addParameter(new QgsProcessingParameterFeatureSink(kOutput, tr("Nearest neighbour table"),
                                                     compat::kSourceVector));
  addOutput(new QgsProcessingOutputNumber(QStringLiteral("RATIO"), tr("Nearest neighbour ratio")));
  addOutput(
      new QgsProcessingOutputNumber(QStringLiteral("OBSERVED_MEAN"), tr("Observed mean distance")));
  addOutput(
      new QgsProcessingOutputNumber(QStringLiteral("EXPECTED_MEAN"), tr("Expected mean distance")));
  addOutput(new QgsProcessingOutputNumber(QStringLiteral("Z_SCORE"), tr("z-score")));
  addOutput(new QgsProcessingOutputNumber(QStringLiteral("P_VALUE"), tr("p-value")));
}

QVariantMap NearestNeighbourIndexAlgorithm::processAlgorithm(const QVariantMap& parameters,
                                                             QgsProcessingContext& context,
                                                             QgsProcessingFeedback* feedback) {
  const QVariantMap v = optionValues(*this, optionSpecs(), parameters, context);
  geo::NearestNeighbourIndexOptions options;
  options.area = v.value(QStringLiteral("AREA")).toDouble();

  QVariantMap outputs;
  runCore([&] {
    options.validate();
    const PointTable in =
        readPointTable(*this, parameters, kInput, context, feedback, {}, 0.0, 0.3);
    FeedbackProgress progress(feedback);
    geo::SubProgress core(progress, 0.3, 0.9);
    const geo::NearestNeighbourIndexResult r = geo::nearestNeighbourIndex(in.points, options, core);
    feedback->pushInfo(tr("R = %1 (observed %2 m, expected %3 m, area %4 m²), z = %5, p = %6")
                           .arg(r.ratio)
                           .arg(r.observedMean)
                           .arg(r.expectedMean)
                           .arg(r.area)
                           .arg(r.z)
                           .arg(r.p));
    const QString dest = writeStatistics(*this, parameters, context,
                                         {{QStringLiteral("ratio"), r.ratio},
                                          {QStringLiteral("waargenomen_afstand"), r.observedMean},
                                          {QStringLiteral("verwachte_afstand"), r.expectedMean},
                                          {QStringLiteral("standaardfout"), r.standardError},
                                          {QStringLiteral("z"), r.z},
                                          {QStringLiteral("p"), r.p},
                                          {QStringLiteral("oppervlakte"), r.area},
                                          {QStringLiteral("n"), double(r.n)}});
    outputs.insert(kOutput, dest);
    outputs.insert(QStringLiteral("RATIO"), r.ratio);
    outputs.insert(QStringLiteral("OBSERVED_MEAN"), r.observedMean);
    outputs.insert(QStringLiteral("EXPECTED_MEAN"), r.expectedMean);
    outputs.insert(QStringLiteral("Z_SCORE"), r.z);
    outputs.insert(QStringLiteral("P_VALUE"), r.p);
    progress.setFraction(1.0);
  });
  return outputs;
}

// ---- veldwacht:ripleyk --------------------------------------------------------------------

QString RipleyKAlgorithm::name() const { return QStringLiteral("ripleyk"); }
QString RipleyKAlgorithm::displayName() const {
  return tr("Multi-distance clustering (Ripley's K)");
}
QString RipleyKAlgorithm::group() const { return tr("Pattern statistics"); }
QString RipleyKAlgorithm::groupId() const { return QStringLiteral("patterns"); }
QStringList RipleyKAlgorithm::tags() const {
  return tr("ripley,k,l,function,multi-distance,cluster,envelope,statistics").split(',');
}
QString RipleyKAlgorithm::shortHelpString() const {
  return tr(
      "Ripley's K and Besag's L function (Ripley 1976; Besag 1977): at which distances are "
      "points more clustered than complete spatial randomness? L(d) = d under randomness; "
      "an observed L above the envelope of simulated random patterns (99 simulations ≈ 2% "
      "significance per distance) means clustering at that distance. One table row per "
      "distance: afstand, k, l, l_min_d, envelope_laag, envelope_hoog. The study area is a "
      "rectangle (default: the points' bounding rectangle); Ripley's isotropic edge "
      "correction is exact for it.");
}

ui::OptionSpecs RipleyKAlgorithm::optionSpecs() const {
  const geo::RipleyOptions d;
  return {
      ui::OptionSpec::integer(QStringLiteral("BANDS"), tr("Number of distances"), int(d.bands), 1,
                              1000),
      ui::OptionSpec::text(QStringLiteral("DISTANCES"),
                           tr("Distances, comma separated (empty = equal steps)"), QString())
          .withUnit(QStringLiteral("m"))
          .asAdvanced(),
      ui::OptionSpec::choice(QStringLiteral("EDGE_CORRECTION"), tr("Edge correction"),
                             {tr("None"), tr("Ripley's isotropic")}, int(d.edgeCorrection))
          .asAdvanced(),
      ui::OptionSpec::integer(QStringLiteral("SIMULATIONS"),
                              tr("Random simulations for the envelope (0 = none)"),
                              int(d.simulations), 0, 9999),
      ui::OptionSpec::integer(QStringLiteral("SEED"), tr("Random seed"), int(d.seed), 0,
                              std::numeric_limits<int>::max())
          .asAdvanced(),
  };
}

void RipleyKAlgorithm::initAlgorithm(const QVariantMap&) {
  addParameter(new QgsProcessingParameterFeatureSource(kInput, tr("Points"),
                                                       QList<int>() << compat::kSourcePoint));
  addOptionParameters(optionSpecs(), [this](auto* p) { return addParameter(p); });
  auto* extent = new QgsProcessingParameterExtent(
      QStringLiteral("STUDY_AREA"), tr("Study area (empty = the points' bounding rectangle)"),
      QVariant(), true);
  extent->setFlags(extent->flags() | compat::kParamAdvanced);
  addParameter(extent);
  addParameter(new QgsProcessingParameterFeatureSink(kOutput, tr("Ripley's K table"),
                                                     compat::kSourceVector));
  addParameter(new QgsProcessingParameterFileDestination(
      kHtml, tr("L(d) − d chart"), tr("HTML files (*.html *.htm)"), QVariant(), true, false));
}

QVariantMap RipleyKAlgorithm::processAlgorithm(const QVariantMap& parameters,
                                               QgsProcessingContext& context,
                                               QgsProcessingFeedback* feedback) {
  const QVariantMap v = optionValues(*this, optionSpecs(), parameters, context);
  geo::RipleyOptions options;
  options.bands = std::size_t(v.value(QStringLiteral("BANDS")).toInt());
  options.edgeCorrection = geo::EdgeCorrection(v.value(QStringLiteral("EDGE_CORRECTION")).toInt());
  options.simulations = std::uint32_t(v.value(QStringLiteral("SIMULATIONS")).toInt());
  options.seed = std::uint64_t(v.value(QStringLiteral("SEED")).toLongLong());
  const QString distances = v.value(QStringLiteral("DISTANCES")).toString().trimmed();
  if (!distances.isEmpty()) {
    for (const QString& part : distances.split(QLatin1Char(','))) {
      bool ok = false;
      const double d = part.trimmed().toDouble(&ok);
      if (!ok) throw QgsProcessingException(tr("Distance '%1' is not a number").arg(part));
      options.distances.push_back(d);
    }
  }
  if (!compat::isNullValue(parameters.value(QStringLiteral("STUDY_AREA")))) {
    const QgsRectangle r =
        parameterAsExtent(parameters, QStringLiteral("STUDY_AREA"), context, workingCrs());
    if (!r.isEmpty()) {
      options.studyArea.minX = r.xMinimum();
      options.studyArea.minY = r.yMinimum();
      options.studyArea.maxX = r.xMaximum();
      options.studyArea.maxY = r.yMaximum();
    }
  }

  QVariantMap outputs;
  runCore([&] {
    options.validate();
    const PointTable in =
        readPointTable(*this, parameters, kInput, context, feedback, {}, 0.0, 0.1);
    FeedbackProgress progress(feedback);
    geo::SubProgress core(progress, 0.1, 0.95);
    const geo::RipleyResult r = geo::ripleyK(in.points, options, core);
    reportWarnings(r.warnings, feedback);

    QgsFields fields;
    for (const char* name : {"afstand", "k", "l", "l_min_d", "envelope_laag", "envelope_hoog"})
      fields.append(compat::makeField(QString::fromLatin1(name), compat::FieldKind::Double));
    const bool envelope = !r.envelopeLow.empty();
    const QString dest = writeRowsToSink(
        *this, parameters, kOutput, context, feedback, fields, compat::kWkbNoGeometry,
        r.distances.size(), [&](std::size_t i, QgsFeature& f) {
          QgsAttributes a;
          a << r.distances[i] << r.k[i] << r.l[i] << r.l[i] - r.distances[i];
          if (envelope)
            a << r.envelopeLow[i] << r.envelopeHigh[i];
          else
            a << QVariant() << QVariant();
          f.setAttributes(a);
        });
    const QString htmlPath = parameterAsFileOutput(parameters, kHtml, context);
    if (!htmlPath.isEmpty()) {
      writeRipleyChart(r, htmlPath, tr("Ripley's L(d) − d"));
      outputs.insert(kHtml, htmlPath);
    }
    feedback->pushInfo(
        tr("%1 distances over a study area of %2 m²").arg(r.distances.size()).arg(r.area));
    outputs.insert(kOutput, dest);
  });
  return outputs;
}

}  // namespace veldwacht::plugin
