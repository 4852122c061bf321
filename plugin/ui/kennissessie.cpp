#include "plugin/ui/kennissessie.h"

#include <qgsheatmaprenderer.h>
#include <qgslayertree.h>
#include <qgslayertreegroup.h>
#include <qgslayertreelayer.h>
#include <qgslayoutexporter.h>
#include <qgslayoutitemlegend.h>
#include <qgslayoutitemmap.h>
#include <qgslayoutitempage.h>
#include <qgslayoutitempicture.h>
#include <qgslayoutmanager.h>
#include <qgslayoutpagecollection.h>
#include <qgspallabeling.h>
#include <qgsprintlayout.h>
#include <qgsproject.h>
#include <qgsstyle.h>
#include <qgstextformat.h>
#include <qgsvectorlayer.h>
#include <qgsvectorlayerlabeling.h>

#include <QDir>
#include <QFileInfo>
#include <QFont>
#include <QHash>
#include <QImage>
#include <QPainter>
#include <QSet>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>

#include "layers/followup/followup.h"
#include "layers/pgstore/backend.h"
#include "layers/privacy/audit.h"
#include "layers/privacy/classification.h"
#include "layers/store/store.h"
#include "plugin/processing/layout_label.h"
#include "plugin/store_source.h"
#include "plugin/ui/presenter.h"

namespace veldwacht::plugin {

namespace {

const QList<QColor>& palette() {
  static const QList<QColor> colors = {
      QColor(31, 119, 180),  QColor(255, 127, 14), QColor(44, 160, 44),  QColor(214, 39, 40),
      QColor(148, 103, 189), QColor(140, 86, 75),  QColor(127, 127, 127)};
  return colors;
}

struct Series {
  QString name;
  std::vector<double> values;
};

/// A line or bar chart as a PNG (2400x1200 px): x labels below, a y axis from 0 with round
/// ticks, a legend on the right. Bars are grouped per x label.
void drawChart(const QString& path, const QStringList& xLabels, const std::vector<Series>& series,
               bool bars, const QString& yTitle, const QString& note) {
  QImage image(2400, 1200, QImage::Format_ARGB32);
  image.fill(Qt::white);
  QPainter p(&image);
  p.setRenderHint(QPainter::Antialiasing);
  const QRectF plot(170, 60, 1700, 920);
  double maxValue = 1;
  for (const Series& s : series)
    for (double v : s.values) maxValue = std::max(maxValue, v);
  // Round tick step: 1, 2 or 5 times a power of ten, about 5 ticks.
  const double raw = maxValue / 5.0;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double f : {1.0, 2.0, 5.0, 10.0})
    if (f * magnitude >= raw) {
      step = std::max(1.0, f * magnitude);
      break;
    }
  const double top = std::ceil(maxValue / step) * step;
  QFont font(QStringLiteral("Sans"));
  font.setPixelSize(30);
  p.setFont(font);
  for (double v = 0; v <= top + 1e-9; v += step) {
    const double y = plot.bottom() - plot.height() * v / top;
    p.setPen(QPen(QColor(220, 220, 220), 2));
    p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
    p.setPen(Qt::black);
    p.drawText(QRectF(0, y - 20, plot.left() - 15, 40), Qt::AlignRight | Qt::AlignVCenter,
               QString::number(v, 'f', 0));
  }
  p.save();
  p.translate(40, plot.center().y());
  p.rotate(-90);
  p.drawText(QRectF(-400, -25, 800, 50), Qt::AlignCenter, yTitle);
  p.restore();
  p.setPen(QPen(Qt::black, 3));
  p.drawLine(plot.bottomLeft(), plot.bottomRight());
  p.drawLine(plot.bottomLeft(), plot.topLeft());

  const int n = int(xLabels.size());
  const double slot = n > 0 ? plot.width() / n : plot.width();
  const int labelEvery = std::max(1, n / 12);
  for (int i = 0; i < n; ++i) {
    if (i % labelEvery != 0) continue;
    p.drawText(QRectF(plot.left() + slot * i, plot.bottom() + 10, slot * labelEvery, 40),
               Qt::AlignHCenter | Qt::AlignTop, xLabels[i]);
  }
  const int k = int(series.size());
  for (int s = 0; s < k; ++s) {
    const QColor color = palette()[s % palette().size()];
    if (bars) {
      const double width = slot * 0.8 / std::max(1, k);
      for (int i = 0; i < n && i < int(series[s].values.size()); ++i) {
        const double h = plot.height() * series[s].values[i] / top;
        p.fillRect(
            QRectF(plot.left() + slot * i + slot * 0.1 + width * s, plot.bottom() - h, width, h),
            color);
      }
    } else {
      QPolygonF line;
      for (int i = 0; i < n && i < int(series[s].values.size()); ++i)
        line << QPointF(plot.left() + slot * (i + 0.5),
                        plot.bottom() - plot.height() * series[s].values[i] / top);
      p.setPen(QPen(color, 6));
      p.drawPolyline(line);
      for (const QPointF& pt : line) p.drawEllipse(pt, 6, 6);
    }
    p.fillRect(QRectF(plot.right() + 40, plot.top() + 60 * s + 8, 40, 30), color);
    p.setPen(Qt::black);
    p.drawText(QRectF(plot.right() + 95, plot.top() + 60 * s, 420, 50),
               Qt::AlignLeft | Qt::AlignVCenter, series[s].name);
  }
  if (!note.isEmpty()) {
    p.setPen(Qt::black);
    p.drawText(QRectF(plot.left(), plot.bottom() + 70, plot.width() + 500, 120),
               Qt::AlignLeft | Qt::TextWordWrap, note);
  }
  p.end();
  if (!image.save(path)) throw std::runtime_error("cannot write " + path.toStdString());
}

std::string isoDate(const QDate& d) {
  return d.isValid() ? d.toString(Qt::ISODate).toStdString() : std::string();
}

void trendChart(layers::Store& store, const QString& path, const KennissessieOptions& options) {
  const layers::CategoryTrend trend =
      layers::categoryTrend(store, 6, isoDate(options.from), isoDate(options.to));
  QStringList months;
  for (const auto& m : trend.months) months << QString::fromStdString(m);
  std::vector<Series> series;
  for (const auto& s : trend.series)
    series.push_back({QString::fromStdString(s.category),
                      std::vector<double>(s.counts.begin(), s.counts.end())});
  drawChart(path, months, series, false, QStringLiteral("meldingen per maand"),
            QStringLiteral("Aantallen voor de hele regio, naar maand van waarneming."));
}

void followupChart(layers::Store& store, const QString& path, const KennissessieOptions& options) {
  const int days = options.followupDays;
  layers::FollowupOptions o;
  o.days = days;
  o.per = layers::FollowupGrouping::Maand;
  o.from = isoDate(options.from);
  o.to = isoDate(options.to);
  const layers::FollowupReport report = layers::followupReport(store, o);
  QStringList months;
  Series reported{QStringLiteral("gemeld"), {}};
  Series feedback{QStringLiteral("teruggekoppeld"), {}};
  Series handled{QStringLiteral("afgehandeld"), {}};
  for (const auto& g : report.groups) {
    months << QString::fromStdString(g.group);
    reported.values.push_back(g.reported);
    feedback.values.push_back(g.feedbackGiven);
    handled.values.push_back(g.handled);
  }
  const auto& t = report.total;
  const QString median = t.medianDaysToFeedback ? QString::number(*t.medianDaysToFeedback, 'f', 1)
                                                : QStringLiteral("–");
  drawChart(path, months, {reported, feedback, handled}, true, QStringLiteral("meldingen"),
            QStringLiteral("Totaal %1 gemeld, %2 teruggekoppeld, %3 afgehandeld; mediaan %4 "
                           "dagen tot terugkoppeling; %5 wachten langer dan %6 dagen.")
                .arg(t.reported)
                .arg(t.feedbackGiven)
                .arg(t.handled)
                .arg(median)
                .arg(t.overdue)
                .arg(days));
}

/// The counts (`aantal`) as bold labels with a white buffer; suppressed counts stay empty.
void labelCounts(QgsVectorLayer* layer) {
  if (layer->fields().indexOf(QStringLiteral("aantal")) < 0) return;
  QgsPalLayerSettings settings;
  settings.fieldName = QStringLiteral("aantal");
  QgsTextFormat format;
  QFont font(QStringLiteral("Sans"));
  font.setBold(true);
  format.setFont(font);
  format.setSize(11);
  format.setSizeUnit(QgsUnitTypes::RenderPoints);
  QgsTextBufferSettings buffer;
  buffer.setEnabled(true);
  buffer.setSize(1.2);
  buffer.setColor(Qt::white);
  format.setBuffer(buffer);
  settings.setFormat(format);
  layer->setLabeling(new QgsVectorLayerSimpleLabeling(settings));
  layer->setLabelsEnabled(true);
}

/// The public layers of `store` in the project, in layer-tree order (top first).
QList<QgsVectorLayer*> publicStoreLayers(QgsProject* project, const StoreSource& store) {
  QList<QgsVectorLayer*> out;
  for (QgsLayerTreeLayer* node : project->layerTreeRoot()->findLayers()) {
    auto* layer = qobject_cast<QgsVectorLayer*>(node->layer());
    if (!layer) continue;
    const std::optional<LayerStore> s = storeOfLayer(layer);
    if (!s || !sameStore(s->source, store)) continue;
    if (PresenterMode::isPublicLayer(layer)) out << layer;
  }
  return out;
}

/// Places the items of one page: title, subtitle, a body (map with its legend, or a
/// chart picture) and the footer.
class PageBuilder {
 public:
  PageBuilder(QgsPrintLayout& layout, QgsLayoutSize size) : layout_(layout), size_(size) {}

  void add(int page, const QString& title, const QString& subtitle, const QString& footer) {
    const double w = size_.width(), h = size_.height();
    label(page, title, 0.04 * w, 0.03 * h, 0.92 * w, 0.08 * h, h * 0.042, true);
    if (!subtitle.isEmpty())
      label(page, subtitle, 0.04 * w, 0.105 * h, 0.92 * w, 0.05 * h, h * 0.028, false);
    // Two lines' room: the date, source and the public-layers note wrap on a slide.
    label(page, footer, 0.04 * w, 0.915 * h, 0.92 * w, 0.08 * h, h * 0.022, false);
  }

  QgsLayoutItemMap* map(int page, const QList<QgsMapLayer*>& layers, const QgsRectangle& extent,
                        const QgsCoordinateReferenceSystem& crs) {
    const double w = size_.width(), h = size_.height();
    auto* m = new QgsLayoutItemMap(&layout_);
    layout_.addLayoutItem(m);
    m->attemptMove(QgsLayoutPoint(0.04 * w, 0.17 * h), true, false, page);
    m->attemptResize(QgsLayoutSize(0.575 * w, 0.73 * h));
    m->setCrs(crs);
    m->setLayers(layers);
    m->setKeepLayerSet(true);
    m->setFrameEnabled(true);
    // QGIS 3.22's zoomToExtent leaves a map without an extent empty: set it first (which
    // resizes the item to the extent's shape), size the item back, then fit.
    m->setExtent(extent);
    m->attemptResize(QgsLayoutSize(0.575 * w, 0.73 * h));
    m->zoomToExtent(extent);

    auto* legend = new QgsLayoutItemLegend(&layout_);
    layout_.addLayoutItem(legend);
    legend->setLinkedMap(m);
    legend->setAutoUpdateModel(false);
    legend->model()->rootGroup()->clear();
    for (QgsMapLayer* l : layers) legend->model()->rootGroup()->addLayer(l);
    legend->setTitle(QStringLiteral("Legenda"));
    // The legend's longest entry ("Niet getoond (minder dan 5, of afgeschermd)") needs about a
    // third of the page's width: the map leaves it from 0.63 of the width (about 110 mm on A4).
    legend->attemptMove(QgsLayoutPoint(0.63 * w, 0.17 * h), true, false, page);
    legend->setResizeToContents(true);

    return m;
  }

  void picture(int page, const QString& path) {
    const double w = size_.width(), h = size_.height();
    auto* pic = new QgsLayoutItemPicture(&layout_);
    layout_.addLayoutItem(pic);
    pic->setPicturePath(path, QgsLayoutItemPicture::FormatRaster);
    pic->setResizeMode(QgsLayoutItemPicture::Zoom);
    pic->attemptMove(QgsLayoutPoint(0.04 * w, 0.17 * h), true, false, page);
    pic->attemptResize(QgsLayoutSize(0.92 * w, 0.73 * h));
  }

 private:
  /// A text label (layout_label.h) on `page`.
  void label(int page, const QString& text, double x, double y, double w, double h, double sizeMm,
             bool bold) {
    QgsLayoutItem* item = addLayoutLabel(layout_, text, x, y, w, h, sizeMm / 0.3528, bold);
    if (!item) throw std::runtime_error("the Kennissessie layout could not be built (label)");
    item->attemptMove(QgsLayoutPoint(x, y), true, false, page);
    item->attemptResize(QgsLayoutSize(w, h));
  }

  QgsPrintLayout& layout_;
  QgsLayoutSize size_;
};

}  // namespace

int addKennissessieLayers(QgsProject* project, const QString& store) {
  if (!project) throw std::invalid_argument("no project");
  // A GeoPackage, a connection string or a saved PostgreSQL connection (store_source.h).
  const StoreSource source = resolveStoreSource(store);
  std::vector<layers::LayerClassification> classes;
  QHash<QString, StoreTable> tables;  // a database's spatial tables, for their postgres URIs
  {
    auto s = layers::openStore(source.store.toStdString(), false);
    classes = layers::classifications(*s);
    if (source.database)
      for (const StoreTable& t : databaseTables(*s)) tables.insert(t.name, t);
  }
  // Tables of this store the project shows already are not added again.
  QSet<QString> present;
  for (QgsMapLayer* l : project->mapLayers())
    if (const std::optional<LayerStore> s = storeOfLayer(l); s && sameStore(s->source, source))
      present.insert(s->table);
  int added = 0;
  for (const layers::LayerClassification& c : classes) {
    if (c.sensitivity != layers::Sensitivity::Public) continue;
    const QString table = QString::fromStdString(c.layer);
    if (!table.startsWith(QLatin1String("openbaar_")) && table != QLatin1String("gemeenten") &&
        table != QLatin1String("bedrijventerreinen"))
      continue;
    if (present.contains(table)) continue;
    QString uri = source.layerUri(table);
    if (source.database) {
      if (!tables.contains(table)) continue;  // no geometry, or not readable by this login
      const StoreTable& t = tables.value(table);
      uri = source.layerUri(t.name, t.schema, t.geometryColumn, t.geometryType);
    }
    auto layer = std::make_unique<QgsVectorLayer>(uri, table, source.providerKey());
    if (!layer->isValid() || !layer->isSpatial()) continue;
    if (!PresenterMode::isPublicLayer(layer.get())) continue;  // the same check as the export
    project->addMapLayer(layer.release());
    ++added;
  }
  return added;
}

QString kennissessieLayoutName() { return QStringLiteral("Kennissessie (openbaar)"); }

QStringList kennissessiePageTitles() {
  return {QStringLiteral("Overzicht"), QStringLiteral("Hot spots"),
          QStringLiteral("Trend per categorie"), QStringLiteral("Opvolging van meldingen")};
}

namespace {

/// The public layers a Kennissessie draws: the first per-area count layer, the first masked
/// points layer, and the gemeenten and bedrijventerreinen as context.
struct SessionLayers {
  QgsVectorLayer* perArea = nullptr;
  QgsVectorLayer* masked = nullptr;
  QList<QgsMapLayer*> context;
};

SessionLayers sessionLayers(const QList<QgsVectorLayer*>& publicLayers) {
  SessionLayers out;
  for (QgsVectorLayer* l : publicLayers) {
    const QString table = PresenterMode::storeLayerOf(l).table;
    if (!out.perArea && table.startsWith(QLatin1String("openbaar_")) &&
        table.endsWith(QLatin1String("_per_gebied")))
      out.perArea = l;
    else if (!out.masked && table.startsWith(QLatin1String("openbaar_")) &&
             table.endsWith(QLatin1String("_gemaskeerd")))
      out.masked = l;
    else if (!table.startsWith(QLatin1String("openbaar_")) &&
             l->geometryType() == QgsWkbTypes::PolygonGeometry &&
             (table == QLatin1String("gemeenten") || table == QLatin1String("bedrijventerreinen")))
      out.context << l;
  }
  return out;
}

/// The hot-spot page's layer: the masked points drawn as a heatmap (a clone; the project keeps
/// its own). Null without masked points.
std::unique_ptr<QgsVectorLayer> heatmapOf(QgsVectorLayer* masked) {
  if (!masked) return nullptr;
  std::unique_ptr<QgsVectorLayer> heat(masked->clone());
  heat->setName(QStringLiteral("Dichtheid gemaskeerde meldingen"));
  auto* renderer = new QgsHeatmapRenderer();
  renderer->setRadius(12);
  renderer->setRadiusUnit(QgsUnitTypes::RenderMillimeters);
  if (QgsColorRamp* ramp = QgsStyle::defaultStyle()->colorRamp(QStringLiteral("Reds")))
    renderer->setColorRamp(ramp);
  heat->setRenderer(renderer);
  return heat;
}

/// The extent of the given layers (nulls skipped), with a margin of 5 % of its longer side.
QgsRectangle sessionExtent(const QList<QgsMapLayer*>& layers) {
  QgsRectangle extent;
  for (QgsMapLayer* l : layers)
    if (l) {
      if (extent.isEmpty())
        extent = l->extent();
      else
        extent.combineExtentWith(l->extent());
    }
  return extent.buffered(std::max(extent.width(), extent.height()) * 0.05);
}

/// The overview's layer: the buurten of the per-area layer (its wijk and gemeente rows overlap
/// them), the counts as large labels; a clone, so the project keeps its own. Null without one.
std::unique_ptr<QgsVectorLayer> buurtenOf(QgsVectorLayer* perArea) {
  if (!perArea) return nullptr;
  std::unique_ptr<QgsVectorLayer> buurten(perArea->clone());
  buurten->setName(QStringLiteral("Meldingen per buurt"));
  if (buurten->fields().indexOf(QStringLiteral("niveau")) >= 0)
    buurten->setSubsetString(QStringLiteral("\"niveau\" = 'buurt'"));
  labelCounts(buurten.get());
  return buurten;
}

/// Every page's footer: the date, the period, the source and what the public layers hide.
QString sessionFooter(const KennissessieOptions& options) {
  const QString date = options.date.toString(QStringLiteral("d-M-yyyy"));
  QString period;
  if (options.from.isValid() || options.to.isValid())
    period = QStringLiteral(" · Periode %1 t/m %2")
                 .arg(options.from.isValid() ? options.from.toString(QStringLiteral("d-M-yyyy"))
                                             : QStringLiteral("…"),
                      options.to.isValid() ? options.to.toString(QStringLiteral("d-M-yyyy"))
                                           : QStringLiteral("…"));
  return QStringLiteral(
             "%1%2 · Bron: %3 · Alleen openbare lagen: kleine aantallen "
             "onderdrukt, punten gemaskeerd")
      .arg(date, period, options.source);
}

using BuildLayout = std::function<void(QgsPrintLayout&, QgsLayoutSize)>;

/// The pages as 16:9 slides, 1920 x 1080 PNGs in `dir` (kennissessie_1.png, ...).
QStringList exportSlides(QgsProject* project, const BuildLayout& build, const QString& dir) {
  QDir().mkpath(dir);
  QgsPrintLayout slides(project);
  slides.setName(QStringLiteral("Kennissessie dia's"));
  build(slides, QgsLayoutSize(338.6667, 190.5));  // 16:9; 1920x1080 at 144 dpi
  QgsLayoutExporter slideExporter(&slides);
  QStringList paths;
  for (int i = 0; i < slides.pageCollection()->pageCount(); ++i) {
    const QImage image = slideExporter.renderPageToImage(i, QSize(1920, 1080));
    const QString path = QDir(dir).filePath(QStringLiteral("kennissessie_%1.png").arg(i + 1));
    if (!image.save(path)) throw std::runtime_error("cannot write " + path.toStdString());
    paths << path;
  }
  return paths;
}

/// The project keeps the A4 layout and the two layers it draws, with their styles, in a hidden
/// group; an earlier layout and group of that name are replaced.
void keepSessionLayout(QgsProject* project, const BuildLayout& build,
                       std::unique_ptr<QgsVectorLayer>& buurten,
                       std::unique_ptr<QgsVectorLayer>& heat) {
  auto kept = std::make_unique<QgsPrintLayout>(project);
  build(*kept, QgsLayoutSize(297, 210));
  kept->setName(kennissessieLayoutName());
  QgsLayoutManager* manager = project->layoutManager();
  if (QgsMasterLayoutInterface* old = manager->layoutByName(kennissessieLayoutName()))
    manager->removeLayout(old);
  QgsLayerTreeGroup* root = project->layerTreeRoot();
  if (QgsLayerTreeGroup* old = root->findGroup(kennissessieLayoutName())) {
    const QStringList ids = old->findLayerIds();
    root->removeChildNode(old);
    project->removeMapLayers(ids);
  }
  QgsLayerTreeGroup* group = root->addGroup(kennissessieLayoutName());
  for (std::unique_ptr<QgsVectorLayer>* clone : {&buurten, &heat}) {
    if (!*clone) continue;
    project->addMapLayer(clone->get(), false);
    group->addLayer(clone->release());
  }
  group->setItemVisibilityChecked(false);
  if (!manager->addLayout(kept.release()))
    throw std::runtime_error("the Kennissessie layout could not be added to the project");
}

}  // namespace

KennissessieResult exportKennissessie(QgsProject* project, const KennissessieOptions& options) {
  if (!project) throw std::invalid_argument("no project");
  if (options.pdf.isEmpty()) throw std::invalid_argument("no PDF path given");
  const StoreSource source = resolveStoreSource(options.store);
  auto store = layers::openStore(source.store.toStdString(), true);

  const SessionLayers picked = sessionLayers(publicStoreLayers(project, source));
  QgsVectorLayer* const perArea = picked.perArea;
  QgsVectorLayer* const masked = picked.masked;
  const QList<QgsMapLayer*>& context = picked.context;
  const auto refuse = [&](const std::string& why) {
    layers::recordAudit(*store, {.action = "print",
                                 .layer = "kennissessie",
                                 .destination = options.pdf.toStdString(),
                                 .sensitivity = layers::Sensitivity::Public,
                                 .outcome = "geweigerd",
                                 .remark = why});
    throw KennissessieRefused(why);
  };
  if (!perArea && !masked)
    refuse("geen openbare lagen (openbaar_*) van " + source.shown.toStdString() +
           " in het project: bouw ze eerst met veldwacht publiceer");

  // Charts, written to a temporary folder that lives until the export is done.
  QTemporaryDir charts;
  if (!charts.isValid()) throw std::runtime_error("no temporary folder for the charts");
  if (options.keepLayout && (options.chartsDir.isEmpty() || !QDir().mkpath(options.chartsDir)))
    throw std::runtime_error("keepLayout needs a folder for the charts: '" +
                             options.chartsDir.toStdString() + "'");
  // Charts of a kept layout stay next to the project; else they live as long as the export.
  const QDir chartDir(options.keepLayout ? options.chartsDir : charts.path());
  const QString trendPng = chartDir.filePath(QStringLiteral("kennissessie_trend.png"));
  const QString followupPng = chartDir.filePath(QStringLiteral("kennissessie_opvolging.png"));
  trendChart(*store, trendPng, options);
  followupChart(*store, followupPng, options);

  // The hot-spot page (the masked points as a heatmap) and the overview (the buurten, counts as
  // labels): clones, so the project keeps its own layers.
  std::unique_ptr<QgsVectorLayer> heat = heatmapOf(masked);
  const QgsRectangle extent = sessionExtent(QList<QgsMapLayer*>{perArea, masked} + context);
  const QgsCoordinateReferenceSystem crs = (perArea ? perArea : masked)->crs();

  std::unique_ptr<QgsVectorLayer> buurten = buurtenOf(perArea);
  QList<QgsMapLayer*> overview;
  if (buurten) overview << buurten.get();
  overview += context;
  QList<QgsMapLayer*> hotspots;
  if (heat) hotspots << heat.get();
  hotspots += context;

  const QString footer = sessionFooter(options);
  const QStringList titles = kennissessiePageTitles();
  const auto build = [&](QgsPrintLayout& layout, QgsLayoutSize size) {
    layout.initializeDefaults();
    layout.pageCollection()->page(0)->setPageSize(size);
    for (int i = 1; i < titles.size(); ++i) {
      auto* page = new QgsLayoutItemPage(&layout);
      page->setPageSize(size);
      layout.pageCollection()->addPage(page);
    }
    PageBuilder pages(layout, size);
    for (int i = 0; i < titles.size(); ++i)
      pages.add(i, options.title + QStringLiteral(" — ") + titles[i], options.subtitle, footer);
    pages.map(0, overview.isEmpty() ? hotspots : overview, extent, crs);
    pages.map(1, hotspots.isEmpty() ? overview : hotspots, extent, crs);
    pages.picture(2, trendPng);
    pages.picture(3, followupPng);
  };

  QgsPrintLayout a4(project);
  a4.setName(QStringLiteral("Kennissessie A4"));
  build(a4, QgsLayoutSize(297, 210));
  QStringList secret = PresenterMode::confidentialLayoutLayers(&a4);
  if (!secret.isEmpty())
    refuse("vertrouwelijke lagen op de kaart: " + secret.join(QStringLiteral(", ")).toStdString());

  KennissessieResult result;
  for (QgsMapLayer* l : overview + hotspots)
    if (const QString table = PresenterMode::storeLayerOf(l).table; !result.layers.contains(table))
      result.layers << table;
  QgsLayoutExporter exporter(&a4);
  QgsLayoutExporter::PdfExportSettings pdf;
  pdf.dpi = 200;
  pdf.rasterizeWholeImage = false;
  if (const auto status = exporter.exportToPdf(options.pdf, pdf);
      status != QgsLayoutExporter::Success)
    throw std::runtime_error("cannot write " + options.pdf.toStdString() + " (QgsLayoutExporter " +
                             std::to_string(int(status)) + ")");
  result.pages = a4.pageCollection()->pageCount();

  if (!options.slidesDir.isEmpty()) result.slides = exportSlides(project, build, options.slidesDir);
  if (options.keepLayout) keepSessionLayout(project, build, buurten, heat);

  layers::recordAudit(*store, {.action = "print",
                               .layer = "kennissessie",
                               .destination = options.pdf.toStdString(),
                               .sensitivity = layers::Sensitivity::Public,
                               .remark = QStringLiteral("%1 pagina's, %2 dia's; lagen: %3")
                                             .arg(result.pages)
                                             .arg(result.slides.size())
                                             .arg(result.layers.join(QStringLiteral(", ")))
                                             .toStdString()});
  return result;
}

}  // namespace veldwacht::plugin
