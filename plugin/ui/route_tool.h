// The dock's route tool (issue 9 item 4): the user clicks two points on the map canvas (in any
// CRS; they are transformed to EPSG:28992), picks the travel mode and the cost in the dock, and
// gets the shortest route over the store's road network drawn as a memory layer "route" (styled
// like the store's route results, styles/results/network_route.qml) with its length and time.
// The route comes from the same runner as `veldwacht route` (layers::buildRoute), so snapping,
// the too-far refusal and unreachable pairs behave the same; their messages go to the message
// bar (the `message` signal, connected by the plugin) and to the panel's status line.
//
// Like the Planning panel this needs QGIS (the canvas, the project), so it is built into
// veldwacht_plugin_core, not into the Qt-only UI library.
#pragma once

#include <qgis.h>
#include <qgsmaptool.h>
#include <qgspointxy.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QWidget>

#include <optional>

class QgsGeometry;
class QgsMapCanvas;
class QgsMapMouseEvent;
class QgsVectorLayer;

namespace veldwacht::ui {

/// A map tool that hands every left click (on release) to its owner, in the canvas's CRS.
class RouteMapTool : public QgsMapTool {
  Q_OBJECT

 public:
  explicit RouteMapTool(QgsMapCanvas* canvas);
  void canvasReleaseEvent(QgsMapMouseEvent* e) override;

 signals:
  void clicked(const QgsPointXY& mapPoint);
};

class RoutePanel : public QWidget {
  Q_OBJECT

 public:
  /// The memory layer the route is drawn in.
  static QString layerName() { return QStringLiteral("route"); }

  /// `canvas` may be null (no clicking then; route() still works).
  explicit RoutePanel(QgsMapCanvas* canvas, QWidget* parent = nullptr);
  ~RoutePanel() override;

  /// The store to route on (a Veldwacht GeoPackage with wegvakken).
  void setStore(const QString& path);
  QString store() const { return store_->text(); }

  QComboBox* mode() const { return mode_; }
  QComboBox* cost() const { return cost_; }
  QDoubleSpinBox* maxSnapDistance() const { return maxSnap_; }
  QPushButton* pickButton() const { return pick_; }
  RouteMapTool* tool() const { return tool_.data(); }
  QString statusText() const { return status_->text(); }

  /// A click in the canvas's CRS, as the tool gives it: the first sets the start, the second
  /// the end and routes. Returns true when this click drew a route.
  bool addPoint(const QgsPointXY& canvasPoint);
  /// Routes between two points in EPSG:28992 with the current mode and cost and draws the
  /// route. false (the message bar and the status line say why) when there is none.
  bool route(const QgsPointXY& from, const QgsPointXY& to);

  /// Start and end (EPSG:28992) of the last route asked for.
  QgsPointXY start() const { return start_; }
  QgsPointXY end() const { return end_; }
  /// The layer "route" in the project (null before the first route or after it was removed).
  QgsVectorLayer* routeLayer() const;
  double lengthMetres() const { return length_; }
  double timeSeconds() const { return time_; }

 public slots:
  /// Makes the route tool the canvas's map tool; the next two clicks are start and end.
  void pick();
  /// Forgets a half-chosen start and empties the route layer.
  void clear();

 signals:
  /// For the message bar: snapping, refusals, unreachable pairs, the route's summary.
  void message(const QString& text, Qgis::MessageLevel level);
  /// After every route attempt.
  void routeFinished(bool ok);

 private:
  void browse();
  void fail(const QString& text, Qgis::MessageLevel level);
  /// Replaces the route layer's feature; false (with the provider's words in `error`) when the
  /// layer refused it.
  bool draw(const QgsGeometry& line, const QString& mode, double length, double time,
            const QString& wegvakken, QString* error);
  QgsPointXY toRd(const QgsPointXY& canvasPoint, bool* ok) const;

  QPointer<QgsMapCanvas> canvas_;
  QPointer<RouteMapTool> tool_;  // a child of the canvas
  QLineEdit* store_ = nullptr;
  QComboBox* mode_ = nullptr;
  QComboBox* cost_ = nullptr;
  QDoubleSpinBox* maxSnap_ = nullptr;
  QPushButton* pick_ = nullptr;
  QPushButton* clear_ = nullptr;
  QLabel* status_ = nullptr;
  QLabel* result_ = nullptr;
  QString layerId_;
  std::optional<QgsPointXY> pendingStart_;
  QgsPointXY start_, end_;
  double length_ = 0.0, time_ = 0.0;
};

}  // namespace veldwacht::ui
