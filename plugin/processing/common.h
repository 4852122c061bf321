// What every Veldwacht Processing algorithm shares, none of it algorithm logic:
//  - FeedbackProgress: geo::Progress forwarding to QgsProcessingFeedback (progress + cancel);
//  - runCore(): converts the core's typed errors into QgsProcessingException, once;
//  - OptionSpec <-> QgsProcessingParameter mapping (parameters declared once per algorithm);
//  - reading a feature source into EPSG:28992 points, reporting and skipping bad features;
//  - styling outputs with styles/*.qml through the layer post-processor.
#pragma once

#include <qgscoordinatetransform.h>
#include <qgsfeature.h>
#include <qgsprocessingalgorithm.h>
#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingparameters.h>

#include <QCoreApplication>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "geo/core/progress.h"
#include "geo/core/types.h"
#include "plugin/qgiscompat.h"
#include "plugin/ui/optionspec.h"

class QgsProcessingFeatureSource;
class QgsFeatureSink;

namespace veldwacht::plugin {

/// Parameter names several algorithms share: the Veldwacht store (a GeoPackage or a
/// postgresql:// connection) and the title of a printed document.
inline const QString kStore = QStringLiteral("STORE");
inline const QString kTitle = QStringLiteral("TITLE");

/// geo::Progress over a QgsProcessingFeedback. Thread-safe as the feedback is.
class FeedbackProgress final : public geo::Progress {
 public:
  explicit FeedbackProgress(QgsProcessingFeedback* feedback) : feedback_(feedback) {}
  void setFraction(double fraction) override;
  void setPhase(std::string_view phase) override;
  bool isCancelled() const override;

 private:
  QgsProcessingFeedback* feedback_;
};

/// Runs `work`, converting geo::OptionError / InputError / LibraryError / Error and
/// std::exception into QgsProcessingException (fatal), and geo::CancelledError into a
/// QgsProcessingException saying the run was cancelled (so no half output is loaded).
void runCore(const std::function<void()>& work);

/// Adds one QgsProcessingParameter per spec to `algorithm` (advanced ones flagged). Call from
/// initAlgorithm() via the algorithm's own addParameter (QgsProcessingAlgorithm::addParameter is
/// protected, hence the callback).
void addOptionParameters(const ui::OptionSpecs& specs,
                         const std::function<bool(QgsProcessingParameterDefinition*)>& add);
/// Builds the parameter for one spec (caller owns it).
QgsProcessingParameterDefinition* makeParameter(const ui::OptionSpec& spec);
/// Reads the values of all specs from `parameters`, normalised to each spec.
QVariantMap optionValues(const QgsProcessingAlgorithm& algorithm, const ui::OptionSpecs& specs,
                         const QVariantMap& parameters, QgsProcessingContext& context);

/// The working CRS, EPSG:28992.
QgsCoordinateReferenceSystem workingCrs();

/// The steps of the one per-feature reading loop every reader shares (readFeatures).
struct FeatureReadSteps {
  /// Optional, first: false skips the feature (the filter reports why).
  std::function<bool(const QgsFeature&)> filter;
  /// Optional, on the geometry in the source CRS before it is transformed (e.g. a centroid).
  std::function<QgsGeometry(const QgsGeometry&)> prepare;
  /// The feature and its geometry in EPSG:28992; false = skipped (accept reports why).
  std::function<bool(const QgsFeature&, const QgsGeometry&)> accept;
  bool reportProgress = false;  ///< report progress in [begin, end) while reading
  double begin = 0.0;
  double end = 0.0;
};

/// Iterates `source` (cancellation checked per feature): features refused by `steps.filter`,
/// with no (or an empty) geometry, or whose geometry cannot be transformed to EPSG:28992 are
/// reported through `feedback` and skipped; the rest go to `steps.accept`. Returns how many
/// features were skipped.
long long readFeatures(QgsProcessingFeatureSource& source, QgsProcessingContext& context,
                       QgsProcessingFeedback* feedback, const FeatureReadSteps& steps);

/// Points of a feature source in the working CRS, parallel to the features they came from.
struct PointInput {
  std::vector<geo::Point> points;
  QgsFeatureList features;  ///< the source features kept (attributes copied to outputs)
  long long skipped = 0;    ///< features without a usable point (reported one by one)
};

/// Reads all features of `source` as points in EPSG:28992 (a point, or the first part of a
/// multipoint; other geometries → their centroid). Features with no geometry, an empty one or a
/// failed transformation are reported through `feedback` and skipped. Progress [begin, end).
PointInput readPoints(QgsProcessingFeatureSource& source, QgsProcessingContext& context,
                      QgsProcessingFeedback* feedback, double begin = 0.0, double end = 0.2);

/// The optional, advanced numeric field parameter `name` of input `parent` that weights each
/// point (`description` translated by the caller).
QgsProcessingParameterField* weightParameter(const QString& name, const QString& parent,
                                             const QString& description);
/// One weight per kept point from numeric field `field` of `fields`; an invalid or negative
/// value counts as 0 and is reported. An empty `field` gives no weights.
std::vector<double> readWeights(const PointInput& in, const QgsFields& fields, const QString& field,
                                QgsProcessingFeedback* feedback);

/// Polygons of a feature source as WKB in the working CRS, parallel to the features kept.
struct PolygonInput {
  std::vector<std::vector<std::uint8_t>> wkb;
  QgsFeatureList features;
  long long skipped = 0;
};

/// Reads every feature with a polygon geometry, transformed to EPSG:28992 and made valid;
/// others are reported and skipped.
PolygonInput readPolygons(QgsProcessingFeatureSource& source, QgsProcessingContext& context,
                          QgsProcessingFeedback* feedback);

/// A QgsGeometry from core WKB.
QgsGeometry geometryFromWkb(const std::vector<std::uint8_t>& wkb);

/// The sink of output `name` in the working CRS (QgsProcessingParameters' public form of
/// QgsProcessingAlgorithm::parameterAsSink, so helpers can use it). Null only for an optional
/// output that was not asked for; otherwise throws QgsProcessingException.
std::unique_ptr<QgsFeatureSink> makeSink(const QgsProcessingAlgorithm& algorithm,
                                         const QVariantMap& parameters, const QString& name,
                                         QgsProcessingContext& context, QString& destination,
                                         const QgsFields& fields, compat::WkbType type);
/// The feature source of input `name`; throws QgsProcessingException when it is invalid.
std::unique_ptr<QgsProcessingFeatureSource> makeSource(const QgsProcessingAlgorithm& algorithm,
                                                       const QVariantMap& parameters,
                                                       const QString& name,
                                                       QgsProcessingContext& context);

/// Creates the sink of output `name` (fields `fields`, geometry `type`), adds `count` features,
/// the i-th filled by `row(i, feature)` (attributes, geometry), and when `style` is not empty
/// styles the output on load with styles/<style>. Returns the destination. An optional output
/// that was not asked for writes nothing and returns an empty destination.
QString writeRowsToSink(const QgsProcessingAlgorithm& algorithm, const QVariantMap& parameters,
                        const QString& name, QgsProcessingContext& context,
                        QgsProcessingFeedback* feedback, const QgsFields& fields,
                        compat::WkbType type, std::size_t count,
                        const std::function<void(std::size_t, QgsFeature&)>& row,
                        const QString& style = QString());

/// Adds `feature` to `sink`, throwing QgsProcessingException when the sink refuses it.
void addToSink(QgsFeatureSink& sink, QgsFeature& feature, const QString& parameterName);

/// The folder of styles/ as layers::stylesDirectory() finds it (env VELDWACHT_STYLES_DIR, the
/// plugin's own folder or <prefix>/share/veldwacht/styles beside the .so, the install prefix),
/// empty when none is found.
QString stylesDir();
/// Full path of styles/<relative> (e.g. "results/clusters_points.qml"), empty when missing.
QString stylePath(const QString& relative);

/// When the output `destinationId` will be loaded into the project, style it with
/// styles/<relative> (a QgsProcessingLayerPostProcessorInterface); a missing style only warns.
void styleOutputOnLoad(QgsProcessingContext& context, QgsProcessingFeedback* feedback,
                       const QString& destinationId, const QString& relativeStyle);

}  // namespace veldwacht::plugin
