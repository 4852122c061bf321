// Processing adapters for geo/aggregation: points counted in grid cells and in polygons.
#include <qgsfeaturesink.h>
#include <qgsprocessingparameters.h>

#include <cmath>

#include "geo/aggregation/grid.h"
#include "geo/aggregation/polygon_counts.h"
#include "plugin/processing/algorithms.h"
#include "plugin/processing/common.h"
#include "plugin/processing/fastio.h"

namespace veldwacht::plugin {

namespace {
const QString kInput = QStringLiteral("INPUT");
const QString kMask = QStringLiteral("MASK");
const QString kPolygons = QStringLiteral("POLYGONS");
const QString kWeight = QStringLiteral("WEIGHT_FIELD");
const QString kOutput = QStringLiteral("OUTPUT");

}  // namespace

// ---- veldwacht:gridcount ------------------------------------------------------------------

QString GridCountAlgorithm::name() const { return QStringLiteral("gridcount"); }
QString GridCountAlgorithm::displayName() const { return tr("Count points in a grid"); }
QString GridCountAlgorithm::group() const { return tr("Aggregation"); }
QString GridCountAlgorithm::groupId() const { return QStringLiteral("aggregation"); }
QStringList GridCountAlgorithm::tags() const {
  return tr("grid,hexagon,square,count,aggregate,privacy").split(',');
}
QString GridCountAlgorithm::shortHelpString() const {
  return tr(
      "Counts points (or sums a weight) in square or hexagonal cells. Hexagons have six "
      "equal neighbours and smaller edge effects (Birch, Oom & Beecham 2007). An optional "
      "mask (study area, or where it can happen) limits the cells; cells can be kept whole "
      "or clipped. Output cells carry aantal, the cell area and the count per km². Cells "
      "are the basis of hotspot statistics and of privacy-safe maps.");
}

ui::OptionSpecs GridCountAlgorithm::optionSpecs() const {
  const geo::GridOptions d;
  return {
      ui::OptionSpec::choice(QStringLiteral("SHAPE"), tr("Cell shape"),
                             {tr("Square"), tr("Hexagon (pointy top)"), tr("Hexagon (flat top)")},
                             int(d.shape)),
      ui::OptionSpec::real(QStringLiteral("CELL_SIZE"), tr("Cell size"), d.cellSize, 1.0, 1e6)
          .withUnit(QStringLiteral("m"))
          .withHelp(tr("Square side, or hexagon width across flats (centre distance).")),
      ui::OptionSpec::choice(
          QStringLiteral("CLIP_MODE"), tr("Cells at the mask's edge"),
          {tr("Keep every cell that touches the mask"), tr("Keep cells whose centre is inside"),
           tr("Clip cells to the mask")},
          int(d.clipMode))
          .asAdvanced(),
      ui::OptionSpec::boolean(QStringLiteral("KEEP_EMPTY"), tr("Keep empty cells"), true)
          .asAdvanced(),
  };
}

void GridCountAlgorithm::initAlgorithm(const QVariantMap&) {
  addParameter(new QgsProcessingParameterFeatureSource(kInput, tr("Input point layer"),
                                                       QList<int>() << compat::kSourcePoint));
  addParameter(new QgsProcessingParameterFeatureSource(
      kMask, tr("Mask (study area)"), QList<int>() << compat::kSourcePolygon, QVariant(), true));
  addOptionParameters(optionSpecs(), [this](auto* p) { return addParameter(p); });
  addParameter(weightParameter(kWeight, kInput, tr("Weight field")));
  addParameter(
      new QgsProcessingParameterFeatureSink(kOutput, tr("Grid counts"), compat::kSourcePolygon));
}

QVariantMap GridCountAlgorithm::processAlgorithm(const QVariantMap& parameters,
                                                 QgsProcessingContext& context,
                                                 QgsProcessingFeedback* feedback) {
  const QVariantMap v = optionValues(*this, optionSpecs(), parameters, context);
  geo::GridOptions options;
  options.shape = geo::GridShape(v.value(QStringLiteral("SHAPE")).toInt());
  options.cellSize = v.value(QStringLiteral("CELL_SIZE")).toDouble();
  options.clipMode = geo::ClipMode(v.value(QStringLiteral("CLIP_MODE")).toInt());
  const bool keepEmpty = v.value(QStringLiteral("KEEP_EMPTY")).toBool();
  const QString weightField = parameterAsString(parameters, kWeight, context);

  QVariantMap outputs;
  runCore([&] {
    FieldSelection wanted;
    if (!weightField.isEmpty()) wanted.names << weightField;
    const PointTable in =
        readPointTable(*this, parameters, kInput, context, feedback, wanted, 0.0, 0.15);
    const std::vector<double> weights = tableWeights(in, weightField, feedback);
    if (!compat::isNullValue(parameters.value(kMask))) {
      auto mask = makeSource(*this, parameters, kMask, context);
      options.maskWkb = readPolygons(*mask, context, feedback).wkb;
    }
    if (options.maskWkb.empty())
      for (const geo::Point& p : in.points) options.extent.include(p);
    options.validate();

    FeedbackProgress progress(feedback);
    geo::SubProgress gridProgress(progress, 0.15, 0.5);
    const geo::Grid grid = geo::makeGrid(options, gridProgress);
    geo::SubProgress countProgress(progress, 0.5, 0.8);
    const std::vector<double> counts = geo::countPoints(grid, in.points, weights, countProgress);

    QgsFields fields;
    fields.append(compat::makeField(QStringLiteral("cel_id"), compat::FieldKind::Int));
    fields.append(compat::makeField(QStringLiteral("kolom"), compat::FieldKind::Int));
    fields.append(compat::makeField(QStringLiteral("rij"), compat::FieldKind::Int));
    fields.append(compat::makeField(QStringLiteral("aantal"), compat::FieldKind::Double));
    fields.append(compat::makeField(QStringLiteral("oppervlakte_m2"), compat::FieldKind::Double));
    fields.append(compat::makeField(QStringLiteral("per_km2"), compat::FieldKind::Double));
    QString dest;
    auto sink = makeSink(*this, parameters, kOutput, context, dest, fields, compat::kWkbPolygon);
    for (std::size_t i = 0; i < grid.cells.size(); ++i) {
      if (feedback->isCanceled()) throw geo::CancelledError();
      if (!keepEmpty && counts[i] == 0.0) continue;
      const geo::GridCell& c = grid.cells[i];
      QgsGeometry g;
      if (c.clipped) {
        g = geometryFromWkb(c.clippedWkb);
      } else {
        QgsPolylineXY ring;
        ring.reserve(int(c.ring.size()));
        for (const geo::Point& p : c.ring) ring.append(QgsPointXY(p.x, p.y));
        g = QgsGeometry::fromPolygonXY({ring});
      }
      QgsFeature f(fields);
      QgsAttributes a;
      a << int(i) << c.col << c.row << counts[i] << c.area
        << (c.area > 0 ? counts[i] / (c.area / 1e6) : QVariant());
      f.setAttributes(a);
      f.setGeometry(g);
      addToSink(*sink, f, kOutput);
      if (i % 1000 == 0) feedback->setProgress(80.0 + 20.0 * double(i) / double(grid.cells.size()));
    }
    feedback->pushInfo(tr("%1 cells; %2 features skipped").arg(grid.size()).arg(in.skipped));
    styleOutputOnLoad(context, feedback, dest, QStringLiteral("results/grid_counts.qml"));
    outputs.insert(kOutput, dest);
  });
  return outputs;
}

// ---- veldwacht:polygoncount ---------------------------------------------------------------

QString PolygonCountAlgorithm::name() const { return QStringLiteral("polygoncount"); }
QString PolygonCountAlgorithm::displayName() const { return tr("Count points in polygons"); }
QString PolygonCountAlgorithm::group() const { return tr("Aggregation"); }
QString PolygonCountAlgorithm::groupId() const { return QStringLiteral("aggregation"); }
QStringList PolygonCountAlgorithm::tags() const {
  return tr("count,polygon,rate,bedrijventerrein,buurt,incidenten").split(',');
}
QString PolygonCountAlgorithm::shortHelpString() const {
  return tr(
      "Counts points (or sums a weight) in each polygon, e.g. incidents per business park "
      "or signals per neighbourhood, and the count per hectare. A point on a shared "
      "boundary counts in every polygon that covers it, only in the first one, or in none "
      "(interior only).");
}

ui::OptionSpecs PolygonCountAlgorithm::optionSpecs() const {
  return {ui::OptionSpec::choice(
              QStringLiteral("BOUNDARY"), tr("Points on a boundary"),
              {tr("Count in every covering polygon"), tr("Count in the first covering polygon"),
               tr("Do not count (interior only)")},
              0)
              .asAdvanced()};
}

void PolygonCountAlgorithm::initAlgorithm(const QVariantMap&) {
  addParameter(new QgsProcessingParameterFeatureSource(kInput, tr("Input point layer"),
                                                       QList<int>() << compat::kSourcePoint));
  addParameter(new QgsProcessingParameterFeatureSource(kPolygons, tr("Polygons"),
                                                       QList<int>() << compat::kSourcePolygon));
  addOptionParameters(optionSpecs(), [this](auto* p) { return addParameter(p); });
  addParameter(weightParameter(kWeight, kInput, tr("Weight field")));
  addParameter(
      new QgsProcessingParameterFeatureSink(kOutput, tr("Polygon counts"), compat::kSourcePolygon));
}

QVariantMap PolygonCountAlgorithm::processAlgorithm(const QVariantMap& parameters,
                                                    QgsProcessingContext& context,
                                                    QgsProcessingFeedback* feedback) {
  const QVariantMap v = optionValues(*this, optionSpecs(), parameters, context);
  geo::PolygonCountOptions options;
  options.boundary = geo::BoundaryRule(v.value(QStringLiteral("BOUNDARY")).toInt());
  const QString weightField = parameterAsString(parameters, kWeight, context);

  QVariantMap outputs;
  runCore([&] {
    options.validate();
    auto polygonSource = makeSource(*this, parameters, kPolygons, context);
    FieldSelection wanted;
    if (!weightField.isEmpty()) wanted.names << weightField;
    const PointTable in =
        readPointTable(*this, parameters, kInput, context, feedback, wanted, 0.0, 0.2);
    const std::vector<double> weights = tableWeights(in, weightField, feedback);
    const PolygonInput polygons = readPolygons(*polygonSource, context, feedback);
    FeedbackProgress progress(feedback);
    geo::SubProgress core(progress, 0.3, 0.9);
    const geo::PolygonCounts counts =
        geo::countPointsInPolygons(polygons.wkb, in.points, weights, options, core);

    QgsFields fields = polygonSource->fields();
    for (const QString& n : {QStringLiteral("aantal"), QStringLiteral("per_ha")})
      if (fields.lookupField(n) >= 0) fields.remove(fields.lookupField(n));
    const int copied = fields.count();
    fields.append(compat::makeField(QStringLiteral("aantal"), compat::FieldKind::Double));
    fields.append(compat::makeField(QStringLiteral("per_ha"), compat::FieldKind::Double));
    QString dest;
    auto sink =
        makeSink(*this, parameters, kOutput, context, dest, fields, compat::kWkbMultiPolygon);
    for (int i = 0; i < polygons.features.size(); ++i) {
      const QgsFeature& src = polygons.features.at(i);
      QgsFeature f(fields);
      QgsAttributes a;
      for (const QgsField& field : fields.toList().mid(0, copied)) a << src.attribute(field.name());
      QgsGeometry g = geometryFromWkb(polygons.wkb[std::size_t(i)]);
      g.convertToMultiType();
      const double ha = g.area() / 1e4;
      a << counts.counts[std::size_t(i)]
        << (ha > 0 ? counts.counts[std::size_t(i)] / ha : QVariant());
      f.setAttributes(a);
      f.setGeometry(g);
      addToSink(*sink, f, kOutput);
    }
    feedback->pushInfo(tr("%1 points fell in no polygon").arg(counts.outside));
    outputs.insert(kOutput, dest);
  });
  return outputs;
}

}  // namespace veldwacht::plugin
