// Processing adapter for geo/density: kernel density estimation to a GeoTIFF.
#include <qgsgeometry.h>
#include <qgsprocessingparameters.h>

#include <cmath>

#include "geo/density/dual_kde.h"
#include "geo/density/geotiff.h"
#include "geo/density/kde.h"
#include "plugin/processing/algorithms.h"
#include "plugin/processing/common.h"
#include "plugin/processing/fastio.h"

namespace veldwacht::plugin {

namespace {

/// QGIS's file dialog asked the user before an existing destination is chosen: replace it
/// (still through a temporary file and never through a symbolic link).
geo::GeoTiffOptions overwriteConfirmed() {
  geo::GeoTiffOptions o;
  o.output.overwrite = true;
  return o;
}
const QString kInput = QStringLiteral("INPUT");
const QString kMask = QStringLiteral("MASK");
const QString kWeight = QStringLiteral("WEIGHT_FIELD");
const QString kOutput = QStringLiteral("OUTPUT");
}  // namespace

QString KdeAlgorithm::name() const { return QStringLiteral("kde"); }
QString KdeAlgorithm::displayName() const { return tr("Kernel density (heatmap)"); }
QString KdeAlgorithm::group() const { return tr("Density"); }
QString KdeAlgorithm::groupId() const { return QStringLiteral("density"); }
QStringList KdeAlgorithm::tags() const {
  return tr("kde,heatmap,density,kernel,raster,signalen").split(',');
}
QString KdeAlgorithm::shortHelpString() const {
  return tr(
      "Estimates the density of points as a raster (kernel density estimation, "
      "Silverman 1986): every point spreads its weight over a disc of the given radius "
      "with the chosen kernel. The default output is points per km², so maps made with "
      "different pixel sizes compare. The QGIS-compatible scaling and pixel placement "
      "reproduce QGIS's Heatmap algorithm. An optional mask sets cells outside it to "
      "no-data.");
}

ui::OptionSpecs KdeAlgorithm::optionSpecs() const {
  const geo::KdeOptions d;
  return {
      ui::OptionSpec::real(QStringLiteral("RADIUS"), tr("Radius (bandwidth)"), d.radius, 1.0, 1e6)
          .withUnit(QStringLiteral("m")),
      ui::OptionSpec::real(QStringLiteral("PIXEL_SIZE"), tr("Pixel size"), d.pixelSize, 0.1, 1e5)
          .withUnit(QStringLiteral("m")),
      ui::OptionSpec::choice(QStringLiteral("KERNEL"), tr("Kernel shape"),
                             {tr("Quartic"), tr("Triangular"), tr("Uniform"), tr("Triweight"),
                              tr("Epanechnikov"), tr("Gaussian")},
                             int(d.kernel)),
      ui::OptionSpec::choice(QStringLiteral("SCALING"), tr("Output values"),
                             {tr("Raw kernel sum"), tr("As QGIS's Heatmap"), tr("Points per km²")},
                             int(d.output))
          .asAdvanced(),
      ui::OptionSpec::real(QStringLiteral("DECAY"), tr("Decay ratio (triangular kernel)"), d.decay,
                           -100.0, 1.0)
          .asAdvanced(),
      ui::OptionSpec::choice(QStringLiteral("PLACEMENT"), tr("Pixel placement"),
                             {tr("Exact (pixel centres)"), tr("As QGIS's Heatmap")},
                             int(d.placement))
          .asAdvanced(),
      ui::OptionSpec::choice(QStringLiteral("METHOD"), tr("Method"),
                             {tr("Exact sum"), tr("Binned (faster, approximate)")}, int(d.method))
          .asAdvanced(),
      ui::OptionSpec::integer(QStringLiteral("THREADS"), tr("Threads (0 = all cores)"), d.threads,
                              0, 256)
          .asAdvanced(),
  };
}

void KdeAlgorithm::initAlgorithm(const QVariantMap&) {
  addParameter(new QgsProcessingParameterFeatureSource(kInput, tr("Input point layer"),
                                                       QList<int>() << compat::kSourcePoint));
  addParameter(new QgsProcessingParameterFeatureSource(
      kMask, tr("Mask (study area)"), QList<int>() << compat::kSourcePolygon, QVariant(), true));
  addOptionParameters(optionSpecs(), [this](auto* p) { return addParameter(p); });
  auto* weight = new QgsProcessingParameterField(kWeight, tr("Weight field"), QVariant(), kInput,
                                                 QgsProcessingParameterField::Numeric, false, true);
  weight->setFlags(weight->flags() | compat::kParamAdvanced);
  addParameter(weight);
  addParameter(new QgsProcessingParameterRasterDestination(kOutput, tr("Density")));
}

QVariantMap KdeAlgorithm::processAlgorithm(const QVariantMap& parameters,
                                           QgsProcessingContext& context,
                                           QgsProcessingFeedback* feedback) {
  const QVariantMap v = optionValues(*this, optionSpecs(), parameters, context);
  geo::KdeOptions options;
  options.radius = v.value(QStringLiteral("RADIUS")).toDouble();
  options.pixelSize = v.value(QStringLiteral("PIXEL_SIZE")).toDouble();
  options.kernel = geo::Kernel(v.value(QStringLiteral("KERNEL")).toInt());
  options.output = geo::KernelOutput(v.value(QStringLiteral("SCALING")).toInt());
  options.decay = v.value(QStringLiteral("DECAY")).toDouble();
  options.placement = geo::PixelPlacement(v.value(QStringLiteral("PLACEMENT")).toInt());
  options.method = geo::KdeMethod(v.value(QStringLiteral("METHOD")).toInt());
  options.threads = v.value(QStringLiteral("THREADS")).toInt();
  const QString weightField = parameterAsString(parameters, kWeight, context);
  const QString outputFile = parameterAsOutputLayer(parameters, kOutput, context);

  QVariantMap outputs;
  runCore([&] {
    FieldSelection fields;
    if (!weightField.isEmpty()) fields.names << weightField;
    const PointTable in =
        readPointTable(*this, parameters, kInput, context, feedback, fields, 0.0, 0.1);
    const std::vector<double> weights = tableWeights(in, weightField, feedback);
    if (!compat::isNullValue(parameters.value(kMask))) {
      auto mask = makeSource(*this, parameters, kMask, context);
      const PolygonInput polygons = readPolygons(*mask, context, feedback);
      QVector<QgsGeometry> parts;
      for (const auto& wkb : polygons.wkb) parts << geometryFromWkb(wkb);
      const QByteArray wkb = QgsGeometry::unaryUnion(parts).asWkb();
      options.maskWkb.assign(wkb.begin(), wkb.end());
    }
    options.validate();
    FeedbackProgress progress(feedback);
    geo::SubProgress core(progress, 0.1, 0.9);
    geo::KdeResult result = geo::kernelDensity(in.points, weights, options, core);
    std::map<std::string, std::string> metadata = result.raster.metadata;
    metadata["veldwacht_algorithm"] = "veldwacht:kde";
    geo::writeGeoTiff(outputFile.toStdString(), result.raster, metadata, overwriteConfirmed());
    feedback->pushInfo(tr("%1 points used; %2 × %3 pixels")
                           .arg(result.pointsUsed)
                           .arg(result.raster.grid.cols)
                           .arg(result.raster.grid.rows));
    styleOutputOnLoad(context, feedback, outputFile, QStringLiteral("results/density.qml"));
    outputs.insert(kOutput, outputFile);
  });
  return outputs;
}

// ---- veldwacht:dualkde --------------------------------------------------------------------

QString DualKdeAlgorithm::name() const { return QStringLiteral("dualkde"); }
QString DualKdeAlgorithm::displayName() const {
  return tr("Dual kernel density (rate per address)");
}
QString DualKdeAlgorithm::group() const { return tr("Density"); }
QString DualKdeAlgorithm::groupId() const { return QStringLiteral("density"); }
QStringList DualKdeAlgorithm::tags() const {
  return tr("dual kde,ratio,rate,density,addresses,risk").split(',');
}
QString DualKdeAlgorithm::shortHelpString() const {
  return tr(
      "The ratio of two kernel densities on the same grid (dual KDE, e.g. signals per 1000 "
      "addresses), so that busy places do not look risky only because many people live or "
      "work there. Where the denominator's density is below the minimum the ratio is "
      "no-data (or computed with the minimum).");
}

ui::OptionSpecs DualKdeAlgorithm::optionSpecs() const {
  const geo::DualKdeOptions d;
  return {
      ui::OptionSpec::real(QStringLiteral("RADIUS"), tr("Radius (bandwidth)"), d.kde.radius, 1.0,
                           1e6)
          .withUnit(QStringLiteral("m")),
      ui::OptionSpec::real(QStringLiteral("PIXEL_SIZE"), tr("Pixel size"), d.kde.pixelSize, 0.1,
                           1e5)
          .withUnit(QStringLiteral("m")),
      ui::OptionSpec::choice(QStringLiteral("KERNEL"), tr("Kernel shape"),
                             {tr("Quartic"), tr("Triangular"), tr("Uniform"), tr("Triweight"),
                              tr("Epanechnikov"), tr("Gaussian")},
                             int(d.kde.kernel)),
      ui::OptionSpec::real(QStringLiteral("RATIO_SCALE"), tr("Ratio multiplier (e.g. 1000)"),
                           d.ratioScale, 1e-9, 1e12),
      ui::OptionSpec::real(QStringLiteral("MIN_DENOMINATOR"),
                           tr("Minimum denominator density (per km²)"), d.minDenominator, 0.0, 1e12)
          .asAdvanced(),
      ui::OptionSpec::choice(QStringLiteral("SMALL"), tr("Below the minimum"),
                             {tr("No-data"), tr("Use the minimum")}, int(d.rule))
          .asAdvanced(),
  };
}

void DualKdeAlgorithm::initAlgorithm(const QVariantMap&) {
  addParameter(new QgsProcessingParameterFeatureSource(kInput, tr("Numerator points (signals)"),
                                                       QList<int>() << compat::kSourcePoint));
  addParameter(new QgsProcessingParameterFeatureSource(QStringLiteral("DENOMINATOR"),
                                                       tr("Denominator points (addresses)"),
                                                       QList<int>() << compat::kSourcePoint));
  addOptionParameters(optionSpecs(), [this](auto* p) { return addParameter(p); });
  addParameter(new QgsProcessingParameterRasterDestination(kOutput, tr("Ratio")));
}

QVariantMap DualKdeAlgorithm::processAlgorithm(const QVariantMap& parameters,
                                               QgsProcessingContext& context,
                                               QgsProcessingFeedback* feedback) {
  const QVariantMap v = optionValues(*this, optionSpecs(), parameters, context);
  geo::DualKdeOptions options;
  options.kde.radius = v.value(QStringLiteral("RADIUS")).toDouble();
  options.kde.pixelSize = v.value(QStringLiteral("PIXEL_SIZE")).toDouble();
  options.kde.kernel = geo::Kernel(v.value(QStringLiteral("KERNEL")).toInt());
  options.ratioScale = v.value(QStringLiteral("RATIO_SCALE")).toDouble();
  options.minDenominator = v.value(QStringLiteral("MIN_DENOMINATOR")).toDouble();
  options.rule = geo::SmallDenominator(v.value(QStringLiteral("SMALL")).toInt());
  const QString outputFile = parameterAsOutputLayer(parameters, kOutput, context);

  QVariantMap outputs;
  runCore([&] {
    options.validate();
    const PointTable num =
        readPointTable(*this, parameters, kInput, context, feedback, {}, 0.0, 0.05);
    const PointTable den = readPointTable(*this, parameters, QStringLiteral("DENOMINATOR"), context,
                                          feedback, {}, 0.05, 0.1);
    FeedbackProgress progress(feedback);
    geo::SubProgress core(progress, 0.1, 0.9);
    const geo::DualKdeResult result =
        geo::dualKernelDensity(num.points, {}, den.points, {}, options, core);
    std::map<std::string, std::string> metadata = result.ratio.metadata;
    metadata["veldwacht_algorithm"] = "veldwacht:dualkde";
    geo::writeGeoTiff(outputFile.toStdString(), result.ratio, metadata, overwriteConfirmed());
    feedback->pushInfo(tr("%1 pixels set to no-data by the minimum").arg(result.nodataPixels));
    styleOutputOnLoad(context, feedback, outputFile, QStringLiteral("results/dual_density.qml"));
    outputs.insert(kOutput, outputFile);
  });
  return outputs;
}

}  // namespace veldwacht::plugin
