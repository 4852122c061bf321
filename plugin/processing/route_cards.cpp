// veldwacht:routekaarten — for a plan in a store, an A4 route card per partner and shift, from
// a QGIS print layout with an atlas over <plan>_routes: the map of the route with the visit
// numbers, the table of stops (volgorde, aankomst, site, vaardigheid, dag/nacht), a title with
// partner, shift and date, and "VERTROUWELIJK". All cards are exported as one PDF.
#include "plugin/processing/route_cards.h"

#include <qgsfillsymbol.h>
#include <qgslayoutatlas.h>
#include <qgslayoutexporter.h>
#include <qgslayoutframe.h>
#include <qgslayoutitemattributetable.h>
#include <qgslayoutitemmap.h>
#include <qgslayoutitempage.h>
#include <qgslayoutpagecollection.h>
#include <qgslayouttablecolumn.h>
#include <qgslinesymbol.h>
#include <qgsmarkersymbol.h>
#include <qgspallabeling.h>
#include <qgsprintlayout.h>
#include <qgsprocessingparameters.h>
#include <qgsproject.h>
#include <qgsrulebasedlabeling.h>
#include <qgsrulebasedrenderer.h>
#include <qgssinglesymbolrenderer.h>
#include <qgstextformat.h>
#include <qgsvectorlayer.h>

#include <QFont>
#include <QRegularExpression>

#include "plugin/processing/algorithms.h"
#include "plugin/processing/common.h"
#include "plugin/processing/layout_label.h"

namespace veldwacht::plugin {

namespace {

const QString kPlan = QStringLiteral("PLAN");
const QString kOutput = QStringLiteral("OUTPUT");

/// Stops on one card; more are cut off (a shift rarely has more than a dozen).
constexpr int kMaxStops = 24;

QString quoted(const QString& text) {
  QString t = text;
  t.replace(QLatin1Char('\''), QStringLiteral("''"));
  return QLatin1Char('\'') + t + QLatin1Char('\'');
}

/// The visits of the atlas page's route: same partner and shift.
QString sameRoute() {
  return QStringLiteral(
      "\"partner_id\" = attribute(@atlas_feature, 'partner_id') AND "
      "\"dienst\" = attribute(@atlas_feature, 'dienst')");
}

QgsVectorLayer* loadTable(QgsProject& project, const QString& store, const QString& table) {
  auto* layer = new QgsVectorLayer(store + QStringLiteral("|layername=") + table, table,
                                   QStringLiteral("ogr"));
  if (!layer->isValid()) {
    delete layer;
    return nullptr;
  }
  project.addMapLayer(layer);
  return layer;
}

void requireFields(const QgsVectorLayer& layer, const QStringList& fields) {
  for (const QString& f : fields)
    if (layer.fields().indexOf(f) < 0)
      throw QgsProcessingException(
          QCoreApplication::translate("RouteCards",
                                      "Table %1 has no field %2 (planning's "
                                      "result tables are expected)")
              .arg(layer.name(), f));
}

/// A CASE expression giving the partner's name for "partner_id" (names read from the store's
/// partners layer; the layout's expressions cannot reach a layer of a private project).
QString partnerNameExpression(QgsVectorLayer* partners) {
  if (!partners || partners->fields().indexOf(QStringLiteral("naam")) < 0)
    return QStringLiteral("\"partner_id\"");
  QString e = QStringLiteral("CASE");
  QgsFeature f;
  QgsFeatureIterator it = partners->getFeatures();
  int n = 0;
  while (it.nextFeature(f)) {
    e += QStringLiteral(" WHEN attribute(@atlas_feature, 'partner_id') = %1 THEN %2")
             .arg(quoted(f.attribute(QStringLiteral("partner_id")).toString()),
                  quoted(f.attribute(QStringLiteral("naam")).toString()));
    ++n;
  }
  if (n == 0) return QStringLiteral("attribute(@atlas_feature, 'partner_id')");
  return e + QStringLiteral(" ELSE attribute(@atlas_feature, 'partner_id') END");
}

/// Adds a text label (layout_label.h) or says the card could not be built.
void addLabel(QgsPrintLayout& layout, const QString& text, double x, double y, double w, double h,
              int pointSize, bool bold, const QColor& color = Qt::black,
              Qt::Alignment align = Qt::AlignLeft) {
  if (!addLayoutLabel(layout, text, x, y, w, h, pointSize, bold, color, align))
    throw QgsProcessingException(
        QCoreApplication::translate("RouteCards", "The route card layout could not be built"));
}

void styleLayers(QgsVectorLayer* routes, QgsVectorLayer* visits) {
  // The page's route in orange; the other routes are not drawn.
  auto* routeRoot = new QgsRuleBasedRenderer::Rule(nullptr);
  auto* line =
      QgsLineSymbol::createSimple({{QStringLiteral("line_color"), QStringLiteral("230,85,13")},
                                   {QStringLiteral("line_width"), QStringLiteral("0.9")}});
  routeRoot->appendChild(new QgsRuleBasedRenderer::Rule(
      line, 0, 0, QStringLiteral("$id = @atlas_featureid"), QStringLiteral("route")));
  routes->setRenderer(new QgsRuleBasedRenderer(routeRoot));

  auto* visitRoot = new QgsRuleBasedRenderer::Rule(nullptr);
  auto* marker =
      QgsMarkerSymbol::createSimple({{QStringLiteral("name"), QStringLiteral("circle")},
                                     {QStringLiteral("color"), QStringLiteral("255,255,255")},
                                     {QStringLiteral("outline_color"), QStringLiteral("179,0,0")},
                                     {QStringLiteral("outline_width"), QStringLiteral("0.5")},
                                     {QStringLiteral("size"), QStringLiteral("5")}});
  visitRoot->appendChild(
      new QgsRuleBasedRenderer::Rule(marker, 0, 0, sameRoute(), QStringLiteral("bezoeken")));
  visits->setRenderer(new QgsRuleBasedRenderer(visitRoot));

  // The visit number in the circle.
  QgsPalLayerSettings settings;
  settings.fieldName = QStringLiteral("volgorde");
  settings.placement = QgsPalLayerSettings::OverPoint;
  QgsTextFormat format;
  QFont font(QStringLiteral("Sans"));
  font.setBold(true);
  format.setFont(font);
  format.setSize(7);
  format.setColor(QColor(179, 0, 0));
  settings.setFormat(format);
  auto* labelRoot = new QgsRuleBasedLabeling::Rule(nullptr);
  labelRoot->appendChild(new QgsRuleBasedLabeling::Rule(new QgsPalLayerSettings(settings), 0, 0,
                                                        sameRoute(), QStringLiteral("volgorde")));
  visits->setLabeling(new QgsRuleBasedLabeling(labelRoot));
  visits->setLabelsEnabled(true);
}

class RouteCardsAlgorithm : public Algorithm {
  Q_DECLARE_TR_FUNCTIONS(RouteCardsAlgorithm)

 public:
  QString name() const override { return QStringLiteral("routekaarten"); }
  QString displayName() const override { return tr("Route cards (PDF)"); }
  QString group() const override { return tr("Planning"); }
  QString groupId() const override { return QStringLiteral("planning"); }
  QStringList tags() const override {
    return tr("routekaart,route card,plan,schouw,pdf,atlas,layout").split(QLatin1Char(','));
  }
  QString shortHelpString() const override {
    return tr(
        "Makes the route cards of a plan in a Veldwacht store: one A4 page per partner and "
        "shift (a row of <plan>_routes), with a map of the route and its numbered visits, the "
        "table of stops (volgorde, aankomst, site, vaardigheid, dag/nacht), the partner, shift "
        "and date, marked VERTROUWELIJK. All pages go into one PDF. Made with a QGIS print "
        "layout and atlas.");
  }
  /// A print layout and its private project are made and rendered in one thread; QGIS's own
  /// layout-export algorithms run in the main thread as well.
  compat::AlgorithmFlags flags() const override {
    return QgsProcessingAlgorithm::flags() | compat::kAlgNoThreading;
  }
  QString inputParameterName() const override { return kStore; }
  RouteCardsAlgorithm* createInstance() const override { return new RouteCardsAlgorithm(); }

  void initAlgorithm(const QVariantMap& = QVariantMap()) override {
    addParameter(new QgsProcessingParameterFile(
        kStore, tr("Veldwacht store"), QgsProcessingParameterFile::File, QStringLiteral("gpkg")));
    addParameter(new QgsProcessingParameterString(kPlan, tr("Plan name"), QStringLiteral("week")));
    addParameter(
        new QgsProcessingParameterString(kTitle, tr("Title"), tr("Routekaart"), false, true));
    addParameter(new QgsProcessingParameterFileDestination(kOutput, tr("Route cards"),
                                                           tr("PDF files (*.pdf)")));
    addOutput(new QgsProcessingOutputNumber(QStringLiteral("PAGES"), tr("Pages")));
  }

 protected:
  QVariantMap processAlgorithm(const QVariantMap& parameters, QgsProcessingContext& context,
                               QgsProcessingFeedback* feedback) override {
    const QString store = parameterAsFile(parameters, kStore, context);
    const QString plan = parameterAsString(parameters, kPlan, context).trimmed();
    QString title = parameterAsString(parameters, kTitle, context).trimmed();
    if (title.isEmpty()) title = tr("Routekaart");
    const QString output = parameterAsFileOutput(parameters, kOutput, context);
    static const QRegularExpression planName(QStringLiteral("^[a-z0-9_]+$"));
    if (!planName.match(plan).hasMatch())
      throw QgsProcessingException(
          tr("'%1' is not a plan name (lower-case letters, digits and _)").arg(plan));

    QgsProject project;
    project.setCrs(workingCrs());
    QgsVectorLayer* routes = loadTable(project, store, plan + QStringLiteral("_routes"));
    QgsVectorLayer* visits = loadTable(project, store, plan + QStringLiteral("_bezoeken"));
    if (!routes || !visits)
      throw QgsProcessingException(
          tr("The store %1 has no plan '%2' (tables %2_routes and %2_bezoeken); make it with "
             "veldwacht plan")
              .arg(store, plan));
    requireFields(*routes,
                  {QStringLiteral("partner_id"), QStringLiteral("dienst"), QStringLiteral("datum"),
                   QStringLiteral("start"), QStringLiteral("eind")});
    requireFields(
        *visits, {QStringLiteral("partner_id"), QStringLiteral("dienst"),
                  QStringLiteral("volgorde"), QStringLiteral("aankomst"), QStringLiteral("site_id"),
                  QStringLiteral("vaardigheid"), QStringLiteral("dag_nacht")});
    const long long pages = routes->featureCount();
    if (pages <= 0) throw QgsProcessingException(tr("The plan '%1' has no routes").arg(plan));
    QgsVectorLayer* partners = loadTable(project, store, QStringLiteral("partners"));
    styleLayers(routes, visits);
    // The roads of the store, when it has them, in light grey under the route.
    QList<QgsMapLayer*> mapLayers = {visits, routes};
    if (QgsVectorLayer* roads = loadTable(project, store, QStringLiteral("wegvakken"))) {
      roads->setRenderer(new QgsSingleSymbolRenderer(QgsLineSymbol::createSimple(
          {{QStringLiteral("line_color"), QStringLiteral("190,190,190")},
           {QStringLiteral("line_width"), QStringLiteral("0.25")}})));
      mapLayers << roads;
    }

    QgsPrintLayout layout(&project);
    layout.initializeDefaults();
    layout.pageCollection()->page(0)->setPageSize(QStringLiteral("A4"),
                                                  QgsLayoutItemPage::Portrait);
    const QString partnerName = partnerNameExpression(partners);
    addLabel(layout,
             QStringLiteral("%1 — [% %2 %] ([% attribute(@atlas_feature, 'partner_id') %])")
                 .arg(title, partnerName),
             15, 10, 150, 9, 15, true);
    addLabel(layout,
             QStringLiteral("Dienst [% attribute(@atlas_feature, 'dienst') %], "
                            "[% format_date(to_date(attribute(@atlas_feature, 'datum')), "
                            "'dd-MM-yyyy') %], [% attribute(@atlas_feature, 'start') %] – "
                            "[% attribute(@atlas_feature, 'eind') %]"),
             15, 19, 150, 7, 10, false);
    addLabel(layout, QStringLiteral("VERTROUWELIJK"), 150, 10, 45, 8, 12, true, QColor(179, 0, 0),
             Qt::AlignRight);

    auto* map = new QgsLayoutItemMap(&layout);
    layout.addLayoutItem(map);
    map->attemptMove(QgsLayoutPoint(15, 28, QgsUnitTypes::LayoutMillimeters));
    map->attemptResize(QgsLayoutSize(180, 140, QgsUnitTypes::LayoutMillimeters));
    map->setCrs(workingCrs());
    map->setLayers(mapLayers);
    map->setKeepLayerSet(true);
    // An extent first (setExtent may resize the item to its shape), then the card's size, then
    // the extent fitted to that size: the atlas keeps the map's proportions from here on.
    map->setExtent(routes->extent());
    map->attemptResize(QgsLayoutSize(180, 140, QgsUnitTypes::LayoutMillimeters));
    map->zoomToExtent(routes->extent());
    map->setAtlasDriven(true);
    map->setAtlasScalingMode(QgsLayoutItemMap::Auto);
    map->setAtlasMargin(0.15);
    map->setFrameEnabled(true);

    auto* table = new QgsLayoutItemAttributeTable(&layout);
    layout.addMultiFrame(table);
    table->setVectorLayer(visits);
    table->setFilterFeatures(true);
    table->setFeatureFilter(sameRoute());
    table->setMaximumNumberOfFeatures(kMaxStops);
    QgsLayoutTableColumns columns;
    const QList<QPair<QString, QString>> wanted = {
        {QStringLiteral("volgorde"), tr("Nr")},
        {QStringLiteral("aankomst"), tr("Aankomst")},
        {QStringLiteral("site_id"), tr("Plek")},
        {QStringLiteral("vaardigheid"), tr("Vaardigheid")},
        {QStringLiteral("dag_nacht"), tr("Dag/nacht")}};
    for (const auto& [field, heading] : wanted) {
      QgsLayoutTableColumn c(heading);
      // Arrival as a time of day; the date is in the title.
      c.setAttribute(field == QStringLiteral("aankomst")
                         ? QStringLiteral("format_date(to_datetime(\"aankomst\"), 'HH:mm')")
                         : field);
      columns << c;
    }
    table->setColumns(columns);
    QgsLayoutTableColumn sortBy;
    sortBy.setAttribute(QStringLiteral("volgorde"));
    sortBy.setSortOrder(Qt::AscendingOrder);
    table->setSortColumns({sortBy});
    auto* frame = new QgsLayoutFrame(&layout, table);
    frame->attemptMove(QgsLayoutPoint(15, 173, QgsUnitTypes::LayoutMillimeters));
    frame->attemptResize(QgsLayoutSize(180, 105, QgsUnitTypes::LayoutMillimeters));
    table->addFrame(frame);

    addLabel(layout,
             tr("VERTROUWELIJK — alleen voor de partner op deze route. Gemaakt met Veldwacht, "
                "plan %1, [% format_date(now(), 'dd-MM-yyyy HH:mm') %]. Kaart %2 van %3.")
                 .arg(plan, QStringLiteral("[% @atlas_featurenumber %]"),
                      QStringLiteral("[% @atlas_totalfeatures %]")),
             15, 282, 180, 6, 7, false, QColor(90, 90, 90));

    QgsLayoutAtlas* atlas = layout.atlas();
    atlas->setCoverageLayer(routes);
    atlas->setEnabled(true);
    atlas->setSortFeatures(true);
    atlas->setSortExpression(
        QStringLiteral("concat(\"datum\", ' ', \"start\", ' ', \"partner_id\", ' ', \"dienst\")"));
    atlas->setSortAscending(true);

    // Routes with more stops than fit are cut off on the card: say so.
    QgsFeature f;
    QgsFeatureIterator it = routes->getFeatures();
    while (it.nextFeature(f)) {
      QgsFeatureRequest request;
      request.setFilterExpression(
          QStringLiteral("\"partner_id\" = %1 AND \"dienst\" = %2")
              .arg(quoted(f.attribute(QStringLiteral("partner_id")).toString()),
                   quoted(f.attribute(QStringLiteral("dienst")).toString())));
      long long n = 0;
      QgsFeatureIterator vit = visits->getFeatures(request);
      QgsFeature v;
      while (vit.nextFeature(v)) ++n;
      if (n > kMaxStops)
        feedback->pushWarning(tr("Route %1 / %2 has %3 stops; the card lists the first %4")
                                  .arg(f.attribute(QStringLiteral("partner_id")).toString(),
                                       f.attribute(QStringLiteral("dienst")).toString())
                                  .arg(n)
                                  .arg(kMaxStops));
    }

    QgsLayoutExporter::PdfExportSettings settings;
    settings.dpi = 150;
    settings.rasterizeWholeImage = false;
    settings.textRenderFormat = Qgis::TextRenderFormat::AlwaysText;  // searchable text
    QString error;
    const auto result = QgsLayoutExporter::exportToPdf(atlas, output, settings, error, feedback);
    if (result != QgsLayoutExporter::Success)
      throw QgsProcessingException(
          tr("The route cards could not be exported to %1: %2").arg(output, error));
    feedback->pushInfo(tr("%1 route card(s) written to %2").arg(pages).arg(output));
    QVariantMap outputs;
    outputs.insert(kOutput, output);
    outputs.insert(QStringLiteral("PAGES"), pages);
    return outputs;
  }
};

}  // namespace

QgsProcessingAlgorithm* createRouteCardsAlgorithm() { return new RouteCardsAlgorithm(); }

}  // namespace veldwacht::plugin
