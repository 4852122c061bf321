// The intake part of the Veldwacht dock (issue 12, Ondernemers Alert): enter one signal of an
// evening — click its place on the map (any canvas CRS; transformed to EPSG:28992), choose the
// category from the store's value list, the moment observed, the evening (gemeld_op), the source
// type, the reliability A–D and a description — and write it into the store.
//
// The form has no rules of its own: layers/followup/intake (enterSignal) translates the words
// as the signals-export importer does and writes through Store::append, which checks the record
// as every import is checked and writes it with its veldwacht_imports row in one transaction.
// A refusal writes nothing; its problems, each naming the field, go to the message bar and the
// form's status line. After a write the project's signalen layers of that store are reloaded.
//
// Like the Planning panel this widget needs QGIS (the canvas, a map tool, CRS transforms), so it
// is built into veldwacht_plugin_core, not into the Qt-only UI library.
#pragma once

#include <qgscoordinatereferencesystem.h>
#include <qgsmapcanvas.h>
#include <qgsmaptoolemitpoint.h>
#include <qgspointxy.h>

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QWidget>

#include <optional>

#include "layers/followup/intake.h"
#include "plugin/store_source.h"

class QgsMessageBar;
class QgsVertexMarker;

namespace veldwacht::ui {

class IntakePanel : public QWidget {
  Q_OBJECT

 public:
  /// `canvas` for picking (none: only setPoint()); `bar` for the messages (none: status line).
  IntakePanel(QgsMapCanvas* canvas, QgsMessageBar* bar, QWidget* parent = nullptr);
  ~IntakePanel() override;

  /// The store to write into: a GeoPackage, a PostgreSQL connection string or the name of a
  /// PostgreSQL connection saved in QGIS (plugin/store_source.h). Fills the category list from
  /// it. Returns false (and says why in the status line) when it cannot be opened as a
  /// Veldwacht store.
  bool setStore(const QString& path);
  /// The store as the field shows it (a database without its password).
  QString store() const { return store_->text(); }

  /// The place of the signal, given in `crs` (the canvas's); kept in EPSG:28992. Returns false
  /// (and says why) when it cannot be transformed.
  bool setPoint(const QgsPointXY& point, const QgsCoordinateReferenceSystem& crs);
  /// The place in EPSG:28992, when one was given.
  std::optional<QgsPointXY> rdPoint() const { return point_; }
  void clearPoint();

  /// What the form holds, as enterSignal takes it.
  layers::IntakeEntry entry() const;

  // The editors, for tests and the host.
  QComboBox* category() const { return category_; }
  QComboBox* sourceType() const { return brontype_; }
  QComboBox* reliability() const { return reliability_; }
  QDateTimeEdit* observed() const { return observed_; }
  QDateTimeEdit* evening() const { return evening_; }
  QPlainTextEdit* description() const { return description_; }
  QDoubleSpinBox* precision() const { return precision_; }
  QPushButton* pickButton() const { return pick_; }
  QPushButton* saveButton() const { return save_; }
  QString statusText() const { return status_->text(); }
  /// The map tool that picks the place (for tests).
  QgsMapToolEmitPoint* mapTool() const { return tool_.data(); }

 public slots:
  /// Writes the form's signal. true when it was written.
  bool submit();
  /// Starts (or stops) picking the place on the map.
  void pick(bool on);

 signals:
  /// After a write: the new signal's id and the store.
  void signalEntered(const QString& signalId, const QString& store);

 private:
  void browse();
  void projectLayersAdded();
  void showPoint();
  void message(bool ok, const QString& text);
  void reloadSignalLayers();
  /// setStore for a store already resolved (the store of a project layer).
  bool useStore(const plugin::StoreSource& source);

  QPointer<QgsMapCanvas> canvas_;
  QPointer<QgsMessageBar> bar_;
  QLineEdit* store_ = nullptr;
  /// The store the field names, resolved (with the password a database login needs).
  std::optional<plugin::StoreSource> source_;
  QPushButton* pick_ = nullptr;
  QLabel* pointLabel_ = nullptr;
  QComboBox* category_ = nullptr;
  QComboBox* brontype_ = nullptr;
  QComboBox* reliability_ = nullptr;
  QDateTimeEdit* observed_ = nullptr;
  QDateTimeEdit* evening_ = nullptr;
  QDoubleSpinBox* precision_ = nullptr;
  QPlainTextEdit* description_ = nullptr;
  QPushButton* save_ = nullptr;
  QLabel* status_ = nullptr;
  QPointer<QgsMapToolEmitPoint> tool_;  // deleted here (or with the canvas, its QObject parent)
  QPointer<QgsMapTool> previousTool_;
  QgsVertexMarker* marker_ = nullptr;  // in the canvas's scene; deleted here while it lives
  std::optional<QgsPointXY> point_;
  QString pointCrs_ = QStringLiteral("EPSG:28992");
  QString transformation_;
};

}  // namespace veldwacht::ui
