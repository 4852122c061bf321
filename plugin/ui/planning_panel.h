// The Planning part of the Veldwacht dock (issue 10 item 6): a coordinator picks the sites layer
// of a store (VAB, an address-check list, hot-spot cells …), the partners, a period (date from–to)
// and the options of the `plan` description (the form is made from the description, as the
// analyses' forms are), and runs it exactly as veldwacht:store_plan runs — the same Processing
// algorithm, so the same runner as `veldwacht plan`. The plan's routes, visits and dropped sites
// are added to a layer group "Planning" (styled by the store's default styles) and the dropped
// visits are listed with their reasons in a table.
//
// Unlike the rest of plugin/ui this widget needs QGIS (the processing registry, the project), so
// it is built into veldwacht_plugin_core, not into the Qt-only UI library.
#pragma once

#include <QComboBox>
#include <QDateEdit>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVariantMap>
#include <QWidget>

#include <QHash>

#include <optional>

#include "plugin/store_source.h"
#include "plugin/ui/parameterform.h"

class QgsProcessingFeedback;
class QgsVectorLayer;

namespace veldwacht::ui {

class PlanningPanel : public QWidget {
  Q_OBJECT

 public:
  /// The Processing algorithm the panel runs.
  static QString algorithmId() { return QStringLiteral("veldwacht:store_plan"); }
  /// The layer group the plans go into.
  static QString groupName() { return QStringLiteral("Planning"); }

  explicit PlanningPanel(QWidget* parent = nullptr);
  ~PlanningPanel() override;

  /// The store to plan on: a GeoPackage, a PostgreSQL connection string or the name of a
  /// PostgreSQL connection saved in QGIS (plugin/store_source.h). Fills the sites and partners
  /// lists from it. An empty path clears them. Returns false (and says why in the status line)
  /// when it is not a Veldwacht store.
  bool setStore(const QString& path);
  QString store() const { return store_->text(); }

  /// The Processing parameters of veldwacht:store_plan for the current choices.
  QVariantMap parameters() const;

  /// false: run() finishes the plan before it returns (tests); true (default): a background
  /// task of QGIS's task manager.
  void setRunInBackground(bool background) { background_ = background; }

  // The editors, for tests and the host.
  QComboBox* sitesLayer() const { return sites_; }
  QComboBox* priorityField() const { return priorityField_; }
  QLineEdit* sitesFilter() const { return sitesWhere_; }
  QListWidget* partners() const { return partners_; }
  QDateEdit* from() const { return from_; }
  QDateEdit* to() const { return to_; }
  QLineEdit* planName() const { return name_; }
  ParameterForm* form() const { return form_; }
  QTableWidget* dropped() const { return dropped_; }
  QPushButton* runButton() const { return run_; }
  QString statusText() const { return status_->text(); }
  /// Layer ids added to the project by the last run (routes, visits, dropped).
  QStringList addedLayers() const { return added_; }

 public slots:
  void run();
  void cancel();

 signals:
  /// After every run; ok = false when it failed or was cancelled (the status line says why).
  void planFinished(bool ok);

 private:
  void browse();
  /// setStore with the source resolved (nullopt: none); `given` is what the user typed.
  bool useStore(const std::optional<plugin::StoreSource>& source, const QString& given);
  /// A layer of table `table` of the store (nullptr when it cannot be opened); the caller owns
  /// it.
  QgsVectorLayer* storeLayer(const QString& table) const;
  void sitesLayerChanged();
  void fillPartners();
  void projectLayersAdded();
  void finish(bool ok, const QVariantMap& outputs, const QString& error);
  void showDropped(const QString& uri);
  void setRunning(bool running);

  QLineEdit* store_ = nullptr;
  QComboBox* sites_ = nullptr;
  QComboBox* priorityField_ = nullptr;
  QLineEdit* sitesWhere_ = nullptr;
  QListWidget* partners_ = nullptr;
  QDateEdit* from_ = nullptr;
  QDateEdit* to_ = nullptr;
  QLineEdit* name_ = nullptr;
  ParameterForm* form_ = nullptr;
  QPushButton* run_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  QLabel* summary_ = nullptr;
  QTableWidget* dropped_ = nullptr;
  bool background_ = true;
  QPointer<QgsProcessingFeedback> feedback_;
  QStringList added_;
  std::optional<plugin::StoreSource> source_;
  QHash<QString, plugin::StoreTable> tables_;
};

}  // namespace veldwacht::ui
