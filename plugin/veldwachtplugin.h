// The QGIS plugin object: a Veldwacht menu and toolbar, the dock, the Processing provider, and
// background runs of the dock's analyses (QgsProcessingAlgRunnerTask, cancellable).
#pragma once

#include <qgisplugin.h>

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QVariantMap>

#include <memory>

#include "plugin/store_source.h"
#include "plugin/ui/resulttablemodel.h"

class QAction;
class QMenu;
class QToolBar;
class QTranslator;
class QgisInterface;
class QgsDockWidget;
class QgsLayoutDesignerInterface;
class QgsProcessingFeedback;

namespace veldwacht::ui {
class DockPanel;
}

namespace veldwacht::plugin {

class PresenterMode;
class Provider;
class SaveMapGuard;

class VeldwachtPlugin : public QObject, public QgisPlugin {
  Q_OBJECT

 public:
  explicit VeldwachtPlugin(QgisInterface* iface);
  ~VeldwachtPlugin() override;

  void initGui() override;
  void unload() override;

  static const QString& pluginName();
  static const QString& pluginDescription();
  static const QString& pluginCategory();
  static const QString& pluginVersion();
  static const QString& pluginIcon();

  /// Adds the layers of a Veldwacht store to the current project, in groups, styled with the
  /// store's default styles. `path`: a GeoPackage/SpatiaLite file, a PostgreSQL connection
  /// string (postgresql://…, PG:…) or the name of a PostgreSQL connection saved in QGIS (layers
  /// through the "postgres" provider; store_source.h). Returns the number of layers added; with
  /// `history`, the store's result history (veldwacht_resultaten) as rows of the dock's run list.
  static int addStoreToProject(const QString& path, QString* error = nullptr,
                               QList<ui::ResultRow>* history = nullptr);
  /// The PostGIS part of addStoreToProject: the tables the login may read (geometry_columns),
  /// styled from the database's layer_styles, else with the style Veldwacht ships for a domain
  /// layer. Throws geo::Error (the store's message) when the database holds no Veldwacht store.
  static int addDatabaseStoreToProject(const StoreSource& source,
                                       QList<ui::ResultRow>* history = nullptr);

  // For tests and the e2e script.
  ui::DockPanel* dockPanel() const { return panel_; }
  QMenu* menu() const { return menu_; }
  PresenterMode* presenter() const { return presenter_; }
  QAction* presenterAction() const { return presenterAction_; }
  SaveMapGuard* saveMapGuard() const { return saveGuard_; }

 private:
  void openStore();
  void openDatabaseStore();
  /// Opens the store at `path` (file, connection string or saved connection): layers, message,
  /// the result history in the dock.
  void openStoreAt(const QString& path);
  void showDock();
  void refreshAlgorithms();
  void refreshInputLayers();
  void runFromDock(const QString& algorithmId, const QString& inputLayerId,
                   const QVariantMap& values);
  void openProcessingDialog(const QString& algorithmId);
  void cancelRun();
  void setPresenter(bool on);
  /// Asks for a PDF path and writes the Kennissessie export of the project's public layers.
  void exportKennissessieDialog();
  /// Print refusal: while presenter mode is on, a layout designer whose layout renders a
  /// confidential layer gets its export and print actions disabled, with the reason.
  void guardLayoutDesigner(QgsLayoutDesignerInterface* designer);

  QgisInterface* iface_ = nullptr;
  QTranslator* translator_ = nullptr;  // parented to the application
  QMenu* menu_ = nullptr;
  QToolBar* toolbar_ = nullptr;
  QAction* openStoreAction_ = nullptr;
  QAction* openDatabaseStoreAction_ = nullptr;
  QAction* dockAction_ = nullptr;
  QAction* toolboxAction_ = nullptr;
  QAction* presenterAction_ = nullptr;
  QAction* kennissessieAction_ = nullptr;
  PresenterMode* presenter_ = nullptr;  // child of this
  SaveMapGuard* saveGuard_ = nullptr;   // child of this
  QgsDockWidget* dock_ = nullptr;
  ui::DockPanel* panel_ = nullptr;
  Provider* provider_ = nullptr;  // owned by the processing registry once added
  QPointer<QgsProcessingFeedback> runningFeedback_;
  QList<QMetaObject::Connection> connections_;
};

}  // namespace veldwacht::plugin
