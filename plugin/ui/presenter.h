// Presenter mode inside QGIS: one switch turns the project to its public face (a map shown at an
// Ondernemers Alert evening or a Kennissessie) and back.
//
// On: the decisions of layers/privacy/presenter.h applied to the QgsProject — confidential
// layers, and layers from no Veldwacht store (except basemaps), are unchecked and locked: not
// identifiable, not searchable, not removable, read-only, hidden from the layers panel (Private)
// and kept unchecked when someone ticks them; the public openbaar_* layers are shown (with their
// groups) with large labels; a title, date and source box is laid over the map canvas. Layers
// added while the mode is on are locked the same way (fail safe). The switch is recorded in the
// audit table of every store the project shows.
//
// Off: the exact previous state comes back — the check state of every layer-tree node, each
// layer's flags, read-only state and labeling — and the overlay is removed.
//
// And the print refusal: a layout that renders a confidential layer (a map item, its legend or an
// attribute table) may not be exported while presenter mode is on; confidentialLayoutLayers()
// names them, and the plugin disables the export actions of the layout designer.
#pragma once

#include <qgsmaplayer.h>

#include <QDate>
#include <QHash>
#include <QKeySequence>
#include <QList>
#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

class QAction;
class QgsAbstractVectorLayerLabeling;
class QgsMapCanvas;
class QgsMessageBar;
class QgsLayerTreeNode;
class QgsLayout;
class QgsProject;
class QLabel;
class QWidget;

namespace veldwacht::plugin {

/// Where a project layer comes from: the store and its table (plugin/store_source.h,
/// storeOfLayer). `path` opens the store with layers::openStore: a GeoPackage's path, or
/// "PG:<connection>" (with the password) for a layer of a PostGIS store; `shown` is the same
/// without a password, for messages. All empty when the layer reads no table of a file or a
/// database (a WMS, a memory layer, a CSV).
struct StoreLayerRef {
  QString path;
  QString table;
  QString shown;
};

struct PresenterOptions {
  QString title = QStringLiteral("Veldwacht");
  QString source = QStringLiteral("Veldwacht; openbare lagen (onderdrukt en gemaskeerd)");
  QDate date = QDate::currentDate();
  /// Point size of the labels of the public layers (at least; larger ones stay).
  double labelPointSize = 18.0;
  /// The map canvas to lay the title box over; none = no overlay (headless use).
  QWidget* canvas = nullptr;
};

/// What a switch did, for the message bar and for tests.
struct PresenterReport {
  QStringList hidden;       ///< names of the layers hidden and locked
  QStringList shown;        ///< names of the public layers shown
  QStringList audited;      ///< stores the switch was recorded in
  QStringList auditErrors;  ///< stores it could not be recorded in, with the reason
};

class PresenterMode : public QObject {
  Q_OBJECT

 public:
  explicit PresenterMode(QgsProject* project, QObject* parent = nullptr);
  ~PresenterMode() override;

  bool isOn() const { return on_; }
  PresenterReport switchOn(const PresenterOptions& options = {});
  PresenterReport switchOff();

  /// Ids of the layers locked now (empty when off).
  QStringList lockedLayerIds() const;

  /// The store and table a layer reads (an ogr layer of a file's table, a postgres layer).
  static StoreLayerRef storeLayerOf(const QgsMapLayer* layer);
  /// A basemap: an online map (wms/xyz/vector tiles) or a layer with the custom property
  /// "veldwacht/basemap" = true.
  static bool isBasemap(const QgsMapLayer* layer);
  /// true when `layer` may be shown in public: a table its Veldwacht store classifies openbaar,
  /// or a basemap. Unknown data is confidential (fail safe).
  static bool isPublicLayer(const QgsMapLayer* layer);
  /// Names of the confidential layers a layout renders: map items (their layers to render),
  /// legends and attribute tables. Empty = the layout may go to a public destination.
  static QStringList confidentialLayoutLayers(QgsLayout* layout);

 signals:
  void switched(bool on);

 private:
  struct SavedLayer {
    QString id;
    QgsMapLayer::LayerFlags flags;
    bool readOnly = false;
    bool labelsEnabled = false;
    std::shared_ptr<QgsAbstractVectorLayerLabeling> labeling;  // a clone, or null
  };

  void lockLayer(QgsMapLayer* layer);
  void saveLayer(QgsMapLayer* layer);
  void enlargeLabels(QgsMapLayer* layer, double pointSize);
  void keepLockedUnchecked(QgsLayerTreeNode* node);
  void layersAddedWhileOn(const QList<QgsMapLayer*>& layers);
  PresenterReport audit(bool toPublic, const QStringList& hiddenIds);

  QgsProject* project_ = nullptr;
  bool on_ = false;
  bool guard_ = false;
  std::vector<std::pair<QPointer<QgsLayerTreeNode>, bool>> savedChecks_;
  std::vector<SavedLayer> savedLayers_;
  QSet<QString> locked_;
  QPointer<QLabel> overlay_;
  QList<QMetaObject::Connection> connections_;
};

/// Refuses QGIS's own "Save map as image…" / "Save map as PDF…" (Project > Import/Export) while
/// presenter mode is on (the public face goes out through the Kennissessie export, which checks
/// and audits it). Outside presenter mode, saving a map that draws a confidential layer is an
/// analyst's internal work: allowed, recorded as a confidential export, with a warning that the
/// image is confidential.
///
/// QGIS 3.22 offers no hook before these actions run, so the guard stands in for them: in every
/// menu and toolbar that shows an original action it puts a guard action with the same text,
/// icon and shortcut. Triggering the guard checks (refusal()); a refusal is shown in the message
/// bar and written to the audit log of every store the project shows, and the original is not
/// run; otherwise the original is triggered (QGIS's own dialog) and the export is audited.
/// release() (and the destructor) put the originals back. Code that triggers the original
/// QAction directly (another plugin, the Python console) is not guarded.
class SaveMapGuard : public QObject {
  Q_OBJECT

 public:
  SaveMapGuard(QgsProject* project, PresenterMode* presenter, QgsMapCanvas* canvas,
               QgsMessageBar* bar = nullptr, QObject* parent = nullptr);
  ~SaveMapGuard() override;

  /// Stands in for `original` (see the class comment); `what` names the action in messages and
  /// the audit log, e.g. "kaart opslaan als afbeelding". Returns the guard action.
  QAction* guard(QAction* original, const QString& what);
  /// Gives the menus and toolbars back to the originals.
  void release();

  /// Why saving the map is refused now; empty = allowed.
  QString refusal() const;
  /// Names of the confidential layers the canvas draws now (sorted).
  QStringList confidentialOnCanvas() const;

  /// The guard actions, in the order guarded.
  QList<QAction*> guards() const;

 signals:
  /// After each attempt: refused = true when it was refused (`reason` says why).
  void attempted(const QString& what, bool refused, const QString& reason);

 private:
  struct Guarded {
    QPointer<QAction> original;
    QAction* guard = nullptr;
    QString what;
    QKeySequence shortcut;
    QList<QPointer<QWidget>> places;
  };
  void attempt(int index);
  QStringList audit(const QString& what, bool refused, const QString& reason,
                    const QStringList& confidential);

  QgsProject* project_ = nullptr;
  QPointer<PresenterMode> presenter_;
  QPointer<QgsMapCanvas> canvas_;
  QPointer<QgsMessageBar> bar_;
  std::vector<Guarded> guarded_;
};

}  // namespace veldwacht::plugin
