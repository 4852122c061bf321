#include "plugin/processing/common.h"

#include <qgsapplication.h>
#include <qgscoordinatereferencesystem.h>
#include <qgsexception.h>
#include <qgsfeaturesink.h>
#include <qgsgeometry.h>
#include <qgsmaplayer.h>
#include <qgsprocessingutils.h>
#include <qgsvectorlayer.h>

#include <QDir>
#include <QFileInfo>

#include "geo/core/error.h"
#include "layers/store/styles.h"

namespace veldwacht::plugin {

void FeedbackProgress::setFraction(double fraction) {
  if (feedback_) feedback_->setProgress(100.0 * fraction);
}

void FeedbackProgress::setPhase(std::string_view phase) {
  if (feedback_ && !phase.empty())
    feedback_->setProgressText(QString::fromUtf8(phase.data(), qsizetype(phase.size())));
}

bool FeedbackProgress::isCancelled() const { return feedback_ && feedback_->isCanceled(); }

void runCore(const std::function<void()>& work) {
  try {
    work();
  } catch (const geo::CancelledError&) {
    throw QgsProcessingException(QCoreApplication::translate(
        "Veldwacht", "The analysis was cancelled; no output was kept."));
  } catch (const geo::OptionError& e) {
    throw QgsProcessingException(QCoreApplication::translate("Veldwacht", "Invalid option %1")
                                     .arg(QString::fromStdString(e.what())));
  } catch (const geo::InputError& e) {
    throw QgsProcessingException(QCoreApplication::translate("Veldwacht", "Invalid input: %1")
                                     .arg(QString::fromStdString(e.what())));
  } catch (const geo::Error& e) {
    throw QgsProcessingException(QString::fromStdString(e.what()));
  } catch (const QgsProcessingException&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw QgsProcessingException(QCoreApplication::translate("Veldwacht", "Out of memory"));
  } catch (const std::exception& e) {
    throw QgsProcessingException(QCoreApplication::translate("Veldwacht", "Unexpected error: %1")
                                     .arg(QString::fromStdString(e.what())));
  }
}

QgsProcessingParameterDefinition* makeParameter(const ui::OptionSpec& spec) {
  using Kind = ui::OptionSpec::Kind;
  QgsProcessingParameterDefinition* p = nullptr;
  const double min = spec.minimum.isValid() ? spec.minimum.toDouble() : -1e300;
  const double max = spec.maximum.isValid() ? spec.maximum.toDouble() : 1e300;
  switch (spec.kind) {
    case Kind::Integer:
      p = new QgsProcessingParameterNumber(spec.name, spec.label, compat::kNumberInteger,
                                           spec.defaultValue, false, min, max);
      break;
    case Kind::Double:
      p = new QgsProcessingParameterNumber(spec.name, spec.label, compat::kNumberDouble,
                                           spec.defaultValue, false, min, max);
      break;
    case Kind::Boolean:
      p = new QgsProcessingParameterBoolean(spec.name, spec.label, spec.defaultValue);
      break;
    case Kind::Choice:
      p = new QgsProcessingParameterEnum(spec.name, spec.label, spec.choices, false,
                                         spec.defaultValue);
      break;
    case Kind::Text:
      p = new QgsProcessingParameterString(spec.name, spec.label, spec.defaultValue);
      break;
  }
  p->setHelp(spec.help);
  // Free text with an empty default (a mapping, a filter) may stay empty.
  if (spec.kind == Kind::Text && spec.defaultValue.toString().isEmpty())
    p->setFlags(p->flags() | compat::kParamOptional);
  if (spec.advanced) p->setFlags(p->flags() | compat::kParamAdvanced);
  return p;
}

void addOptionParameters(const ui::OptionSpecs& specs,
                         const std::function<bool(QgsProcessingParameterDefinition*)>& add) {
  for (const ui::OptionSpec& spec : specs) add(makeParameter(spec));
}

namespace {
QVariant parameterValue(ui::OptionSpec::Kind kind, const QgsProcessingParameterDefinition* def,
                        const QVariantMap& parameters, QgsProcessingContext& context) {
  using Kind = ui::OptionSpec::Kind;
  using P = QgsProcessingParameters;
  switch (kind) {
    case Kind::Integer:
      return P::parameterAsInt(def, parameters, context);
    case Kind::Double:
      return P::parameterAsDouble(def, parameters, context);
    case Kind::Boolean:
      return P::parameterAsBool(def, parameters, context);
    case Kind::Choice:
      return P::parameterAsEnum(def, parameters, context);
    case Kind::Text:
      return P::parameterAsString(def, parameters, context);
  }
  return {};
}
}  // namespace

QVariantMap optionValues(const QgsProcessingAlgorithm& algorithm, const ui::OptionSpecs& specs,
                         const QVariantMap& parameters, QgsProcessingContext& context) {
  QVariantMap values;
  for (const ui::OptionSpec& spec : specs) {
    const QVariant v =
        parameterValue(spec.kind, algorithm.parameterDefinition(spec.name), parameters, context);
    values.insert(spec.name, spec.normalise(v));
  }
  return values;
}

QgsCoordinateReferenceSystem workingCrs() {
  return QgsCoordinateReferenceSystem(QStringLiteral("EPSG:%1").arg(geo::kWorkingEpsg));
}

namespace {
void reportSkipped(QgsProcessingFeedback* feedback, const QString& message) {
  if (feedback) feedback->reportError(message, false);
}
}  // namespace

long long readFeatures(QgsProcessingFeatureSource& source, QgsProcessingContext& context,
                       QgsProcessingFeedback* feedback, const FeatureReadSteps& steps) {
  const QgsCoordinateTransform transform(source.sourceCrs(), workingCrs(),
                                         context.transformContext());
  const long long total = source.featureCount();
  long long skipped = 0;
  QgsFeatureIterator it = source.getFeatures();
  QgsFeature f;
  long long done = 0;
  while (it.nextFeature(f)) {
    if (feedback && feedback->isCanceled()) throw geo::CancelledError();
    ++done;
    if (steps.reportProgress && feedback && total > 0 && done % 1000 == 0)
      feedback->setProgress(
          100.0 * (steps.begin + (steps.end - steps.begin) * double(done) / double(total)));
    if (steps.filter && !steps.filter(f)) {
      ++skipped;
      continue;
    }
    QgsGeometry g = f.geometry();
    if (g.isNull() || g.isEmpty()) {
      ++skipped;
      reportSkipped(feedback,
                    QCoreApplication::translate("Veldwacht", "Feature %1 has no geometry; skipped")
                        .arg(f.id()));
      continue;
    }
    if (steps.prepare) g = steps.prepare(g);
    try {
      if (transform.isValid() && !transform.isShortCircuited()) g.transform(transform);
    } catch (const QgsCsException&) {
      ++skipped;
      reportSkipped(feedback,
                    QCoreApplication::translate(
                        "Veldwacht", "Feature %1 could not be transformed to EPSG:28992; skipped")
                        .arg(f.id()));
      continue;
    }
    if (!steps.accept(f, g)) ++skipped;
  }
  if (steps.reportProgress && feedback) feedback->setProgress(100.0 * steps.end);
  return skipped;
}

PointInput readPoints(QgsProcessingFeatureSource& source, QgsProcessingContext& context,
                      QgsProcessingFeedback* feedback, double begin, double end) {
  PointInput in;
  const long long total = source.featureCount();
  if (total > 0) {
    in.points.reserve(std::size_t(total));
    in.features.reserve(int(total));
  }
  FeatureReadSteps steps;
  steps.reportProgress = true;
  steps.begin = begin;
  steps.end = end;
  steps.prepare = [](const QgsGeometry& g) {
    return g.type() != QgsWkbTypes::PointGeometry ? g.centroid() : g;
  };
  steps.accept = [&](const QgsFeature& f, const QgsGeometry& g) {
    const QgsPointXY p = g.isMultipart() ? QgsPointXY(g.vertices().next()) : g.asPoint();
    if (!std::isfinite(p.x()) || !std::isfinite(p.y())) {
      reportSkipped(feedback, QCoreApplication::translate(
                                  "Veldwacht", "Feature %1 has no finite coordinates; skipped")
                                  .arg(f.id()));
      return false;
    }
    in.points.push_back(geo::Point{p.x(), p.y()});
    in.features.append(f);
    return true;
  };
  in.skipped = readFeatures(source, context, feedback, steps);
  return in;
}

QgsProcessingParameterField* weightParameter(const QString& name, const QString& parent,
                                             const QString& description) {
  auto* p = new QgsProcessingParameterField(name, description, QVariant(), parent,
                                            QgsProcessingParameterField::Numeric, false, true);
  p->setFlags(p->flags() | compat::kParamAdvanced);
  return p;
}

std::vector<double> readWeights(const PointInput& in, const QgsFields& fields, const QString& field,
                                QgsProcessingFeedback* feedback) {
  if (field.isEmpty()) return {};
  const int idx = fields.lookupField(field);
  if (idx < 0)
    throw QgsProcessingException(
        QCoreApplication::translate("Veldwacht", "Weight field %1 not found").arg(field));
  std::vector<double> weights;
  weights.reserve(in.points.size());
  for (const QgsFeature& f : in.features) {
    bool ok = false;
    const double w = f.attribute(idx).toDouble(&ok);
    const bool valid = ok && std::isfinite(w) && w >= 0 && !compat::isNullValue(f.attribute(idx));
    if (!valid && feedback)
      feedback->reportError(
          QCoreApplication::translate("Veldwacht", "Feature %1 has no valid weight; it counts as 0")
              .arg(f.id()),
          false);
    weights.push_back(valid ? w : 0.0);
  }
  return weights;
}

PolygonInput readPolygons(QgsProcessingFeatureSource& source, QgsProcessingContext& context,
                          QgsProcessingFeedback* feedback) {
  PolygonInput in;
  FeatureReadSteps steps;
  steps.filter = [feedback](const QgsFeature& f) {
    const QgsGeometry g = f.geometry();
    if (!g.isNull() && !g.isEmpty() && g.type() == QgsWkbTypes::PolygonGeometry) return true;
    reportSkipped(
        feedback,
        QCoreApplication::translate("Veldwacht", "Feature %1 has no polygon; skipped").arg(f.id()));
    return false;
  };
  steps.accept = [&in](const QgsFeature& f, const QgsGeometry& transformed) {
    const QgsGeometry g = transformed.isGeosValid() ? transformed : transformed.makeValid();
    const QByteArray wkb = g.asWkb();
    in.wkb.emplace_back(wkb.begin(), wkb.end());
    in.features.append(f);
    return true;
  };
  in.skipped = readFeatures(source, context, feedback, steps);
  return in;
}

QgsGeometry geometryFromWkb(const std::vector<std::uint8_t>& wkb) {
  QgsGeometry g;
  g.fromWkb(QByteArray(reinterpret_cast<const char*>(wkb.data()), int(wkb.size())));
  return g;
}

std::unique_ptr<QgsFeatureSink> makeSink(const QgsProcessingAlgorithm& algorithm,
                                         const QVariantMap& parameters, const QString& name,
                                         QgsProcessingContext& context, QString& destination,
                                         const QgsFields& fields, compat::WkbType type) {
  const QgsProcessingParameterDefinition* def = algorithm.parameterDefinition(name);
  std::unique_ptr<QgsFeatureSink> sink(QgsProcessingParameters::parameterAsSink(
      def, parameters, fields, type, workingCrs(), context, destination));
  if (!sink && !(def && (def->flags() & compat::kParamOptional) &&
                 compat::isNullValue(parameters.value(name))))
    throw QgsProcessingException(
        QCoreApplication::translate("Veldwacht", "Could not create the output %1").arg(name));
  return sink;
}

std::unique_ptr<QgsProcessingFeatureSource> makeSource(const QgsProcessingAlgorithm& algorithm,
                                                       const QVariantMap& parameters,
                                                       const QString& name,
                                                       QgsProcessingContext& context) {
  std::unique_ptr<QgsProcessingFeatureSource> source(QgsProcessingParameters::parameterAsSource(
      algorithm.parameterDefinition(name), parameters, context));
  if (!source)
    throw QgsProcessingException(
        QCoreApplication::translate("Veldwacht", "Could not load the input %1").arg(name));
  return source;
}

void addToSink(QgsFeatureSink& sink, QgsFeature& feature, const QString& parameterName) {
  if (!sink.addFeature(feature, QgsFeatureSink::FastInsert))
    throw QgsProcessingException(QStringLiteral("%1: %2").arg(parameterName, sink.lastError()));
}

QString writeRowsToSink(const QgsProcessingAlgorithm& algorithm, const QVariantMap& parameters,
                        const QString& name, QgsProcessingContext& context,
                        QgsProcessingFeedback* feedback, const QgsFields& fields,
                        compat::WkbType type, std::size_t count,
                        const std::function<void(std::size_t, QgsFeature&)>& row,
                        const QString& style) {
  QString dest;
  auto sink = makeSink(algorithm, parameters, name, context, dest, fields, type);
  if (!sink) return dest;
  for (std::size_t i = 0; i < count; ++i) {
    QgsFeature f(fields);
    row(i, f);
    addToSink(*sink, f, name);
  }
  if (!style.isEmpty()) styleOutputOnLoad(context, feedback, dest, style);
  return dest;
}

QString stylesDir() {
  // The store's lookup (env, beside the plugin's .so, the install prefix): one rule for the
  // styles the store embeds and the ones Processing applies.
  const QString dir = QString::fromStdString(layers::stylesDirectory());
  return dir.isEmpty() ? QString() : QDir(dir).absolutePath();
}

QString stylePath(const QString& relative) {
  const QString dir = stylesDir();
  if (dir.isEmpty()) return {};
  const QString path = QDir(dir).filePath(relative);
  return QFileInfo::exists(path) ? path : QString();
}

namespace {
class StylePostProcessor final : public QgsProcessingLayerPostProcessorInterface {
 public:
  explicit StylePostProcessor(QString qml) : qml_(std::move(qml)) {}
  void postProcessLayer(QgsMapLayer* layer, QgsProcessingContext&,
                        QgsProcessingFeedback* feedback) override {
    if (!layer) return;
    bool ok = false;
    // For vector layers loadFromLocalDb=true: load the file even when the layer's GeoPackage
    // has a default style (QgsMapLayer's overload would silently load the database style).
    auto* vector = qobject_cast<QgsVectorLayer*>(layer);
    const QString message =
        vector ? vector->loadNamedStyle(qml_, ok, true) : layer->loadNamedStyle(qml_, ok);
    if (!ok && feedback)
      feedback->pushWarning(
          QCoreApplication::translate("Veldwacht", "Style %1 not applied: %2").arg(qml_, message));
    layer->triggerRepaint();
  }

 private:
  QString qml_;
};
}  // namespace

void styleOutputOnLoad(QgsProcessingContext& context, QgsProcessingFeedback* feedback,
                       const QString& destinationId, const QString& relativeStyle) {
  if (!context.willLoadLayerOnCompletion(destinationId)) return;
  const QString path = stylePath(relativeStyle);
  if (path.isEmpty()) {
    if (feedback)
      feedback->pushWarning(
          QCoreApplication::translate(
              "Veldwacht", "Style styles/%1 not found; the output keeps QGIS's default style")
              .arg(relativeStyle));
    return;
  }
  context.layerToLoadOnCompletionDetails(destinationId)
      .setPostProcessor(new StylePostProcessor(path));
}

}  // namespace veldwacht::plugin
