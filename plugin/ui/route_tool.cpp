#include "plugin/json_compat.h"  // before any Qt or QGIS header

#include "plugin/ui/route_tool.h"

#include <qgscollapsiblegroupbox.h>
#include <qgscoordinatereferencesystem.h>
#include <qgscoordinatetransform.h>
#include <qgsexception.h>
#include <qgsfeature.h>
#include <qgsfields.h>
#include <qgsgeometry.h>
#include <qgsmapcanvas.h>
#include <qgsmapmouseevent.h>
#include <qgsproject.h>
#include <qgsvectordataprovider.h>
#include <qgsvectorlayer.h>

#include <QApplication>
#include <QCursor>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>
#include <exception>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "geo/core/error.h"
#include "geo/network/road_kinds.h"
#include "layers/network/network_analyses.h"
#include "layers/pgstore/backend.h"
#include "layers/store/store.h"
#include "layers/store/styles.h"
#include "plugin/store_source.h"

namespace veldwacht::ui {

namespace {

QString fromStd(const std::string& s) { return QString::fromStdString(s); }

/// A result record's OGR geometry as a QgsGeometry (through WKB).
QgsGeometry toQgs(const OGRGeometry& g) {
  QByteArray wkb(int(g.WkbSize()), Qt::Uninitialized);
  g.exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(wkb.data()), wkbVariantIso);
  QgsGeometry out;
  out.fromWkb(wkb);
  return out;
}

double numberOf(const layers::Value& v) {
  return std::holds_alternative<double>(v) ? std::get<double>(v) : std::nan("");
}

QString textOf(const layers::Value& v) {
  return std::holds_alternative<std::string>(v) ? fromStd(std::get<std::string>(v)) : QString();
}

/// "12.3 km" / "850 m".
QString lengthText(double metres) {
  return metres >= 1000.0 ? QStringLiteral("%1 km").arg(metres / 1000.0, 0, 'f', 2)
                          : QStringLiteral("%1 m").arg(metres, 0, 'f', 0);
}

QString timeText(double seconds) { return QStringLiteral("%1 min").arg(seconds / 60.0, 0, 'f', 1); }

}  // namespace

// ---- the map tool ---------------------------------------------------------------------------

RouteMapTool::RouteMapTool(QgsMapCanvas* canvas) : QgsMapTool(canvas) {
  setCursor(QCursor(Qt::CrossCursor));
}

void RouteMapTool::canvasReleaseEvent(QgsMapMouseEvent* e) {
  if (e->button() != Qt::LeftButton) return;
  emit clicked(e->mapPoint());
}

// ---- the panel ------------------------------------------------------------------------------

RoutePanel::RoutePanel(QgsMapCanvas* canvas, QWidget* parent) : QWidget(parent), canvas_(canvas) {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  auto* box = new QgsCollapsibleGroupBoxBasic(tr("Route between two points"), this);
  box->setCollapsed(true);
  box->setObjectName(QStringLiteral("routeGroup"));
  outer->addWidget(box);
  auto* layout = new QVBoxLayout(box);

  auto* form = new QFormLayout();
  auto* storeRow = new QHBoxLayout();
  store_ = new QLineEdit(box);
  store_->setObjectName(QStringLiteral("routeStore"));
  store_->setPlaceholderText(tr("Veldwacht store (.gpkg, postgresql://… or a connection)"));
  auto* browseButton = new QToolButton(box);
  browseButton->setText(QStringLiteral("…"));
  connect(browseButton, &QToolButton::clicked, this, &RoutePanel::browse);
  storeRow->addWidget(store_, 1);
  storeRow->addWidget(browseButton);
  form->addRow(tr("Store"), storeRow);

  mode_ = new QComboBox(box);
  mode_->setObjectName(QStringLiteral("routeMode"));
  mode_->addItem(tr("car (auto)"), QStringLiteral("auto"));
  mode_->addItem(tr("tractor (landbouw)"), QStringLiteral("landbouw"));
  mode_->addItem(tr("bicycle (fiets)"), QStringLiteral("fiets"));
  mode_->addItem(tr("on foot (lopen)"), QStringLiteral("lopen"));
  form->addRow(tr("Mode"), mode_);
  cost_ = new QComboBox(box);
  cost_->setObjectName(QStringLiteral("routeCost"));
  cost_->addItem(tr("fastest (time)"), QStringLiteral("time"));
  cost_->addItem(tr("shortest (length)"), QStringLiteral("length"));
  form->addRow(tr("Cost"), cost_);
  maxSnap_ = new QDoubleSpinBox(box);
  maxSnap_->setObjectName(QStringLiteral("routeMaxSnap"));
  maxSnap_->setRange(1.0, 100000.0);
  maxSnap_->setDecimals(0);
  maxSnap_->setSuffix(QStringLiteral(" m"));
  maxSnap_->setValue(layers::NetworkCommon{}.maxSnapDistance);
  form->addRow(tr("Max. distance to a road"), maxSnap_);
  layout->addLayout(form);

  auto* buttons = new QHBoxLayout();
  pick_ = new QPushButton(tr("Click start and end on the map"), box);
  pick_->setObjectName(QStringLiteral("routePick"));
  clear_ = new QPushButton(tr("Clear"), box);
  clear_->setObjectName(QStringLiteral("routeClear"));
  buttons->addWidget(pick_, 1);
  buttons->addWidget(clear_);
  layout->addLayout(buttons);
  result_ = new QLabel(box);
  result_->setObjectName(QStringLiteral("routeResult"));
  result_->setWordWrap(true);
  layout->addWidget(result_);
  status_ = new QLabel(box);
  status_->setWordWrap(true);
  layout->addWidget(status_);

  connect(pick_, &QPushButton::clicked, this, &RoutePanel::pick);
  connect(clear_, &QPushButton::clicked, this, &RoutePanel::clear);
  if (canvas) {
    tool_ = new RouteMapTool(canvas);
    connect(tool_, &RouteMapTool::clicked, this, [this](const QgsPointXY& p) { addPoint(p); });
  } else {
    pick_->setEnabled(false);
  }
}

RoutePanel::~RoutePanel() {
  // The tool is a child of the canvas; when the canvas is still there, take it away from it.
  delete tool_.data();
}

void RoutePanel::setStore(const QString& path) { store_->setText(path); }

void RoutePanel::browse() {
  const QString path =
      QFileDialog::getOpenFileName(this, tr("Veldwacht store"), store_->text(),
                                   tr("Veldwacht store (*.gpkg *.sqlite);;All files (*)"));
  if (!path.isEmpty()) setStore(path);
}

void RoutePanel::pick() {
  if (!canvas_ || !tool_) return;
  pendingStart_.reset();
  canvas_->setMapTool(tool_);
  status_->setText(tr("Click the start on the map."));
}

void RoutePanel::clear() {
  pendingStart_.reset();
  length_ = time_ = 0.0;
  result_->clear();
  status_->clear();
  if (QgsVectorLayer* layer = routeLayer()) {
    layer->dataProvider()->truncate();
    layer->triggerRepaint();
  }
}

QgsPointXY RoutePanel::toRd(const QgsPointXY& canvasPoint, bool* ok) const {
  *ok = true;
  const QgsCoordinateReferenceSystem rd(QStringLiteral("EPSG:28992"));
  const QgsCoordinateReferenceSystem crs = canvas_ ? canvas_->mapSettings().destinationCrs() : rd;
  if (!crs.isValid() || crs == rd) return canvasPoint;
  try {
    const QgsCoordinateTransform t(crs, rd, QgsProject::instance());
    return t.transform(canvasPoint);
  } catch (const QgsCsException&) {
    *ok = false;
    return {};
  }
}

bool RoutePanel::addPoint(const QgsPointXY& canvasPoint) {
  bool ok = false;
  const QgsPointXY rd = toRd(canvasPoint, &ok);
  if (!ok) {
    fail(tr("The clicked point cannot be transformed to EPSG:28992 (RD New)."),
         Qgis::MessageLevel::Warning);
    return false;
  }
  if (!pendingStart_) {
    pendingStart_ = rd;
    status_->setText(
        tr("Start at %1, %2 (RD). Click the end.").arg(rd.x(), 0, 'f', 1).arg(rd.y(), 0, 'f', 1));
    return false;
  }
  const QgsPointXY from = *pendingStart_;
  pendingStart_.reset();
  return route(from, rd);
}

void RoutePanel::fail(const QString& text, Qgis::MessageLevel level) {
  status_->setText(text);
  emit message(text, level);
  emit routeFinished(false);
}

bool RoutePanel::route(const QgsPointXY& from, const QgsPointXY& to) {
  start_ = from;
  end_ = to;
  const QString path = store_->text();
  if (path.trimmed().isEmpty()) {
    fail(tr("Choose a Veldwacht store for the route first."), Qgis::MessageLevel::Warning);
    return false;
  }
  // A GeoPackage, a connection string or a saved PostgreSQL connection (store_source.h).
  plugin::StoreSource source;
  try {
    source = plugin::resolveStoreSource(path);
  } catch (const std::exception& e) {
    fail(tr("Store not found: %1").arg(fromStd(e.what())), Qgis::MessageLevel::Warning);
    return false;
  }
  layers::RouteRequest request;
  layers::AnalysisResult built;
  try {
    request.common.mode = geo::parseTravelMode(mode_->currentData().toString().toStdString());
    request.common.cost = cost_->currentData().toString() == QLatin1String("length")
                              ? geo::CostKind::Length
                              : geo::CostKind::Time;
    request.common.maxSnapDistance = maxSnap_->value();
    request.from = {from.x(), from.y()};
    request.to = {to.x(), to.y()};
    // Updatable, so the network is built once and kept in the store as `veldwacht route` does;
    // a read-only store still routes (building the network in memory).
    std::unique_ptr<layers::Store> store;
    try {
      store = layers::openStore(source.store.toStdString(), true);
    } catch (const geo::Error&) {
      store = layers::openStore(source.store.toStdString(), false);
    }
    QApplication::setOverrideCursor(Qt::WaitCursor);
    struct RestoreCursor {
      ~RestoreCursor() { QApplication::restoreOverrideCursor(); }
    } restore;
    built = layers::buildRoute(*store, request);
  } catch (const std::exception& e) {
    // Too far from a road (layer "route", row 1 = start, 2 = end, with the distance),
    // unreachable, not a store, no wegvakken: the runner's own words.
    fail(fromStd(e.what()), Qgis::MessageLevel::Warning);
    return false;
  }
  if (built.layers.empty() || built.layers.front().records.empty() ||
      !built.layers.front().records.front().geometry) {
    fail(tr("The route runner returned no route."), Qgis::MessageLevel::Critical);
    return false;
  }
  const layers::Record& r = built.layers.front().records.front();
  const QString mode = textOf(r.values.at(0));
  length_ = numberOf(r.values.at(1));
  time_ = numberOf(r.values.at(2));
  QString drawError;
  if (!draw(toQgs(*r.geometry), mode, length_, time_, textOf(r.values.at(3)), &drawError)) {
    fail(tr("The route (%1, %2) could not be drawn in the layer \"%3\": %4")
             .arg(lengthText(length_), timeText(time_), layerName(), drawError),
         Qgis::MessageLevel::Critical);
    return false;
  }

  result_->setText(tr("Route (%1): %2, %3").arg(mode, lengthText(length_), timeText(time_)));
  QStringList lines;
  for (const auto& l : built.report.lines) lines << fromStd(l);
  status_->setText(lines.join(QLatin1Char('\n')));
  for (const auto& w : built.report.warnings) emit message(fromStd(w), Qgis::MessageLevel::Warning);
  emit message(result_->text(), Qgis::MessageLevel::Success);
  emit routeFinished(true);
  return true;
}

QgsVectorLayer* RoutePanel::routeLayer() const {
  if (layerId_.isEmpty()) return nullptr;
  return qobject_cast<QgsVectorLayer*>(QgsProject::instance()->mapLayer(layerId_));
}

bool RoutePanel::draw(const QgsGeometry& line, const QString& mode, double length, double time,
                      const QString& wegvakken, QString* error) {
  QgsVectorLayer* layer = routeLayer();
  if (!layer) {
    // The fields of the store's <output>_route table, so its style applies unchanged. The
    // memory provider gives a string field without a length 255 characters and refuses a
    // longer value: a route over more than ~25 wegvakken was silently not drawn. (0) = no limit.
    auto owned = std::make_unique<QgsVectorLayer>(
        QStringLiteral("LineString?crs=EPSG:28992&field=modus:string(0)&field=lengte_m:double"
                       "&field=tijd_s:double&field=wegvakken:string(0)"),
        layerName(), QStringLiteral("memory"));
    const std::string styles = layers::stylesDirectory();
    if (!styles.empty()) {
      const QString qml = fromStd(styles) + QStringLiteral("/results/network_route.qml");
      if (QFileInfo::exists(qml)) {
        bool loaded = false;
        owned->loadNamedStyle(qml, loaded);
      }
    }
    layer = owned.release();
    QgsProject::instance()->addMapLayer(layer);  // the project owns it
    layerId_ = layer->id();
  }
  layer->dataProvider()->truncate();
  QgsFeature f(layer->fields());
  f.setGeometry(line);
  f.setAttribute(QStringLiteral("modus"), mode);
  f.setAttribute(QStringLiteral("lengte_m"), length);
  f.setAttribute(QStringLiteral("tijd_s"), time);
  f.setAttribute(QStringLiteral("wegvakken"), wegvakken);
  QgsFeatureList features{f};
  const int errorsBefore = layer->dataProvider()->errors().size();
  const bool added = layer->dataProvider()->addFeatures(features);
  layer->updateExtents();
  layer->triggerRepaint();
  if (!added && error) {
    const QStringList errors = layer->dataProvider()->errors().mid(errorsBefore);
    *error =
        errors.isEmpty() ? tr("the layer refused the feature") : errors.join(QStringLiteral("; "));
  }
  return added;
}

}  // namespace veldwacht::ui
