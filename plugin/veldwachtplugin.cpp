#include "plugin/veldwachtplugin.h"

#include <qgisinterface.h>
#include <qgsapplication.h>
#include <qgsdockwidget.h>
#include <qgsexception.h>
#include <qgslayertree.h>
#include <qgslayertreegroup.h>
#include <qgslayertreeview.h>
#include <qgslayout.h>
#include <qgslayoutdesignerinterface.h>
#include <qgsmapcanvas.h>
#include <qgsmessagebar.h>
#include <qgsprocessingalgrunnertask.h>
#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingregistry.h>
#include <qgsprocessingutils.h>
#include <qgsproject.h>
#include <qgsprovidermetadata.h>
#include <qgsproviderregistry.h>
#include <qgsprovidersublayerdetails.h>
#include <qgspythonrunner.h>
#include <qgstaskmanager.h>
#include <qgsvectorlayer.h>

#include <QAction>
#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QToolBar>
#include <QTranslator>
#include <QUuid>

#include <algorithm>
#include <map>

#include "plugin/processing/provider.h"
#include "plugin/qgiscompat.h"
#include "plugin/ui/dockpanel.h"
#include "plugin/ui/intake.h"
#include "plugin/ui/kennissessie.h"
#include "plugin/ui/planning_panel.h"
#include "plugin/ui/presenter.h"
#include "plugin/ui/route_tool.h"
#include "plugin/ui/temporal.h"

#include "geo/core/error.h"
#include "layers/pgstore/backend.h"
#include "layers/schema/schema.h"
#include "layers/store/store.h"
#include "layers/store/styles.h"
#include "plugin/store_source.h"

// Resources of the static library (icon, translations) must be registered explicitly.
static void initVeldwachtResources() {
  Q_INIT_RESOURCE(veldwacht);
#ifdef VELDWACHT_HAVE_TRANSLATIONS
  Q_INIT_RESOURCE(veldwacht_i18n);
#endif
}

namespace veldwacht::plugin {

namespace {

/// The groups of the layer tree, top to bottom (docs/schema.md, LayerDef::group).
const QStringList& storeGroups() {
  static const QStringList groups = {
      QStringLiteral("Signalen"),           QStringLiteral("Panden & VAB"),
      QStringLiteral("Bedrijventerreinen"), QStringLiteral("Partners"),
      QStringLiteral("Analyses"),           QStringLiteral("Context")};
  return groups;
}

struct StoreLayerInfo {
  QString group;
  QString title;
  int order = 0;  ///< drawing order, bottom first
};

/// Group, title and drawing order of the store's domain and context layers.
std::map<QString, StoreLayerInfo> storeLayerInfo() {
  std::map<QString, StoreLayerInfo> info;
  int order = 0;
  for (const layers::LayerDef& def : layers::layerDefs()) {
    if (def.geometry == layers::GeometryKind::None) continue;
    info[QString::fromStdString(def.name)] = {QString::fromStdString(def.group),
                                              QString::fromStdString(def.title), order++};
  }
  return info;
}

/// A database store as messages show it (no password).
QString shownStore(const QString& given) {
  try {
    return resolveStoreSource(given).shown;
  } catch (const std::exception&) {
    return given;
  }
}

bool isBookkeeping(const QString& name) {
  return name.startsWith(QLatin1String("veldwacht_")) || name == QLatin1String("layer_styles") ||
         name.startsWith(QLatin1String("gpkg_")) || name.startsWith(QLatin1String("rtree_")) ||
         name == QLatin1String("signaal_categorieen") || name == QLatin1String("sqlite_sequence");
}

QgsLayerTreeGroup* ensureGroup(QgsLayerTreeGroup* root, const QString& name) {
  if (QgsLayerTreeGroup* g = root->findGroup(name)) return g;
  // Keep the fixed order of storeGroups() among the groups that exist.
  const int wanted = int(storeGroups().indexOf(name));
  int insertAt = 0;
  const QList<QgsLayerTreeNode*> children = root->children();
  for (int i = 0; i < children.size(); ++i) {
    if (!QgsLayerTree::isGroup(children[i])) continue;
    const int rank = int(storeGroups().indexOf(QgsLayerTree::toGroup(children[i])->name()));
    if (rank >= 0 && rank < wanted) insertAt = i + 1;
  }
  return root->insertGroup(insertAt, name);
}

/// Where a store's layer goes: its own group, title and order, or (a result layer written by an
/// analysis) the Analyses group after the rest.
StoreLayerInfo layerInfoOf(const std::map<QString, StoreLayerInfo>& known, const QString& name) {
  const auto it = known.find(name);
  return it != known.end() ? it->second
                           : StoreLayerInfo{QStringLiteral("Analyses"), QString(), 1000};
}

/// Adds a store's (valid) layer to the project at the top of its group, with its time settings.
void addToItsGroup(QgsProject* project, QgsVectorLayer* layer, const QString& table,
                   const StoreLayerInfo& info) {
  applyTemporalProperties(layer, table, project);
  project->addMapLayer(layer, false);
  ensureGroup(project->layerTreeRoot(), info.group)->insertLayer(0, layer);
}

}  // namespace

const QString& VeldwachtPlugin::pluginName() {
  static const QString s = QStringLiteral("Veldwacht");
  return s;
}
const QString& VeldwachtPlugin::pluginDescription() {
  static const QString s = QStringLiteral(
      "Signals of ondermijning, vacant barns and business-park incidents: clustering, hotspots, "
      "density and planning");
  return s;
}
const QString& VeldwachtPlugin::pluginCategory() {
  static const QString s = QStringLiteral("Plugins");
  return s;
}
const QString& VeldwachtPlugin::pluginVersion() {
  static const QString s = QStringLiteral(VELDWACHT_PLUGIN_VERSION);
  return s;
}
const QString& VeldwachtPlugin::pluginIcon() {
  static const QString s = QStringLiteral(":/veldwacht/icon.svg");
  return s;
}

VeldwachtPlugin::VeldwachtPlugin(QgisInterface* iface)
    : QgisPlugin(pluginName(), pluginDescription(), pluginCategory(), pluginVersion(),
                 QgisPlugin::UI),
      iface_(iface) {
  initVeldwachtResources();
}

VeldwachtPlugin::~VeldwachtPlugin() = default;

void VeldwachtPlugin::initGui() {
  // Dutch when QGIS runs in Dutch (locale "nl" or "nl_NL"); the sources are English.
  if (QgsApplication::locale().startsWith(QLatin1String("nl"))) {
    translator_ = new QTranslator(QCoreApplication::instance());
    if (translator_->load(QStringLiteral(":/veldwacht/i18n/veldwacht_nl.qm")))
      QCoreApplication::installTranslator(translator_);
  }

  auto* window = qobject_cast<QMainWindow*>(iface_->mainWindow());
  const QIcon icon(pluginIcon());

  openStoreAction_ = new QAction(icon, tr("Open a Veldwacht store…"), this);
  openStoreAction_->setObjectName(QStringLiteral("veldwachtOpenStore"));
  connect(openStoreAction_, &QAction::triggered, this, &VeldwachtPlugin::openStore);
  openDatabaseStoreAction_ = new QAction(icon, tr("Open a Veldwacht store on PostgreSQL…"), this);
  openDatabaseStoreAction_->setObjectName(QStringLiteral("veldwachtOpenDatabaseStore"));
  connect(openDatabaseStoreAction_, &QAction::triggered, this, &VeldwachtPlugin::openDatabaseStore);
  dockAction_ = new QAction(icon, tr("Veldwacht panel"), this);
  dockAction_->setObjectName(QStringLiteral("veldwachtShowDock"));
  dockAction_->setCheckable(true);
  toolboxAction_ = new QAction(tr("Veldwacht analyses in Processing…"), this);
  toolboxAction_->setObjectName(QStringLiteral("veldwachtProcessing"));
  connect(toolboxAction_, &QAction::triggered, this, [this] {
    if (panel_) openProcessingDialog(panel_->currentAlgorithm());
  });

  menu_ = new QMenu(tr("&Veldwacht"), window ? window->menuBar() : nullptr);
  menu_->setObjectName(QStringLiteral("veldwachtMenu"));
  menu_->addAction(openStoreAction_);
  menu_->addAction(openDatabaseStoreAction_);
  menu_->addSeparator();
  menu_->addAction(dockAction_);
  menu_->addAction(toolboxAction_);
  presenterAction_ = new QAction(tr("Presenter mode (public face)"), this);
  presenterAction_->setObjectName(QStringLiteral("veldwachtPresenter"));
  presenterAction_->setCheckable(true);
  presenter_ = new PresenterMode(QgsProject::instance(), this);
  connect(presenterAction_, &QAction::toggled, this, &VeldwachtPlugin::setPresenter);
  kennissessieAction_ = new QAction(tr("Kennissessie export (PDF and slides)…"), this);
  kennissessieAction_->setObjectName(QStringLiteral("veldwachtKennissessie"));
  connect(kennissessieAction_, &QAction::triggered, this,
          &VeldwachtPlugin::exportKennissessieDialog);
  // QGIS's own "Save map as image/PDF" is refused in presenter mode and while the canvas shows
  // a confidential layer (presenter.h, SaveMapGuard).
  saveGuard_ = new SaveMapGuard(QgsProject::instance(), presenter_, iface_->mapCanvas(),
                                iface_->messageBar(), this);
  saveGuard_->guard(iface_->actionSaveMapAsImage(), QStringLiteral("kaart opslaan als afbeelding"));
  if (window)
    saveGuard_->guard(window->findChild<QAction*>(QStringLiteral("mActionSaveMapAsPdf")),
                      QStringLiteral("kaart opslaan als PDF"));
  menu_->addSeparator();
  menu_->addAction(presenterAction_);
  menu_->addAction(kennissessieAction_);
  if (window) {
    QMenu* before = iface_->firstRightStandardMenu();
    window->menuBar()->insertMenu(before ? before->menuAction() : nullptr, menu_);
  }

  toolbar_ = iface_->addToolBar(tr("Veldwacht"));
  toolbar_->setObjectName(QStringLiteral("veldwachtToolbar"));
  toolbar_->addAction(openStoreAction_);
  toolbar_->addAction(dockAction_);
  toolbar_->addAction(presenterAction_);

  // Processing provider; the Python companion (qgis_process) may have registered it already.
  if (!QgsApplication::processingRegistry()->providerById(Provider::providerId())) {
    provider_ = new Provider();
    if (!QgsApplication::processingRegistry()->addProvider(provider_)) provider_ = nullptr;
  }

  panel_ = new ui::DockPanel();
  panel_->addSection(new ui::PlanningPanel(panel_));
  auto* routePanel = new ui::RoutePanel(iface_->mapCanvas(), panel_);
  connect(routePanel, &ui::RoutePanel::message, this,
          [this](const QString& text, Qgis::MessageLevel level) {
            iface_->messageBar()->pushMessage(tr("Veldwacht route"), text, level);
          });
  panel_->addSection(routePanel);
  panel_->addSection(new ui::IntakePanel(iface_->mapCanvas(), iface_->messageBar(), panel_));
  dock_ = new QgsDockWidget(tr("Veldwacht"), window);
  dock_->setObjectName(QStringLiteral("veldwachtDock"));
  dock_->setWidget(panel_);
  iface_->addDockWidget(Qt::RightDockWidgetArea, dock_);
  dock_->setUserVisible(false);
  dock_->setToggleVisibilityAction(dockAction_);

  connect(panel_, &ui::DockPanel::openStoreRequested, this, &VeldwachtPlugin::openStore);
  connect(panel_, &ui::DockPanel::runRequested, this, &VeldwachtPlugin::runFromDock);
  connect(panel_, &ui::DockPanel::dialogRequested, this, &VeldwachtPlugin::openProcessingDialog);
  connect(panel_, &ui::DockPanel::cancelRequested, this, &VeldwachtPlugin::cancelRun);
  connect(panel_, &ui::DockPanel::presenterRequested, presenterAction_, &QAction::setChecked);
  connections_ << connect(iface_, &QgisInterface::layoutDesignerOpened, this,
                          &VeldwachtPlugin::guardLayoutDesigner);
  connections_ << connect(QgsApplication::processingRegistry(),
                          &QgsProcessingRegistry::providerAdded, this,
                          &VeldwachtPlugin::refreshAlgorithms);
  connections_ << connect(QgsProject::instance(), &QgsProject::layersAdded, this,
                          &VeldwachtPlugin::refreshInputLayers);
  connections_ << connect(QgsProject::instance(), &QgsProject::layersRemoved, this,
                          &VeldwachtPlugin::refreshInputLayers);
  refreshAlgorithms();
  refreshInputLayers();
}

void VeldwachtPlugin::unload() {
  cancelRun();
  if (presenterAction_) presenterAction_->setChecked(false);  // the working face comes back
  // QGIS's own save actions come back.
  delete saveGuard_;
  saveGuard_ = nullptr;
  delete presenter_;
  presenter_ = nullptr;
  for (const QMetaObject::Connection& c : connections_) disconnect(c);
  connections_.clear();
  if (dock_) {
    iface_->removeDockWidget(dock_);
    delete dock_;  // deletes panel_
    dock_ = nullptr;
    panel_ = nullptr;
  }
  if (menu_) {
    if (auto* window = qobject_cast<QMainWindow*>(iface_->mainWindow()))
      window->menuBar()->removeAction(menu_->menuAction());
    delete menu_;
    menu_ = nullptr;
  }
  delete toolbar_;  // created by iface->addToolBar, parented to the main window
  toolbar_ = nullptr;
  delete openStoreAction_;
  delete openDatabaseStoreAction_;
  openDatabaseStoreAction_ = nullptr;
  delete dockAction_;
  delete toolboxAction_;
  delete presenterAction_;
  delete kennissessieAction_;
  openStoreAction_ = dockAction_ = toolboxAction_ = presenterAction_ = kennissessieAction_ =
      nullptr;
  if (provider_) {
    QgsApplication::processingRegistry()->removeProvider(provider_);  // deletes it
    provider_ = nullptr;
  }
  if (translator_) {
    QCoreApplication::removeTranslator(translator_);
    delete translator_;
    translator_ = nullptr;
  }
}

void VeldwachtPlugin::refreshAlgorithms() {
  if (!panel_) return;
  const TextLanguageScope language;  // the names, groups and options of every algorithm
  QList<ui::AlgorithmEntry> entries;
  if (QgsProcessingProvider* p =
          QgsApplication::processingRegistry()->providerById(Provider::providerId())) {
    for (const QgsProcessingAlgorithm* alg : p->algorithms()) {
      // The dock runs analyses of a map layer; importing into a store has its own dialog.
      if (alg->groupId() == QLatin1String("store")) continue;
      const auto* a = dynamic_cast<const Algorithm*>(alg);
      entries.append(
          {alg->id(), alg->displayName(), alg->group(), a ? a->optionSpecs() : ui::OptionSpecs{}});
    }
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return std::tie(a.group, a.name) < std::tie(b.group, b.name);
  });
  panel_->setAlgorithms(entries);
}

void VeldwachtPlugin::refreshInputLayers() {
  if (!panel_) return;
  QList<QPair<QString, QString>> layers;
  const auto all = QgsProject::instance()->mapLayers();
  for (QgsMapLayer* layer : all)
    if (qobject_cast<QgsVectorLayer*>(layer)) layers.append({layer->id(), layer->name()});
  std::sort(layers.begin(), layers.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  panel_->setInputLayers(layers);
}

void VeldwachtPlugin::showDock() {
  if (dock_) dock_->setUserVisible(true);
}

void VeldwachtPlugin::openStore() {
  const QString path =
      QFileDialog::getOpenFileName(iface_->mainWindow(), tr("Open a Veldwacht store"), QString(),
                                   tr("Veldwacht store (*.gpkg *.sqlite);;All files (*)"));
  if (!path.isEmpty()) openStoreAt(path);
}

void VeldwachtPlugin::openDatabaseStore() {
  // A PostgreSQL connection saved in QGIS (Browser › PostgreSQL), or a connection string typed in.
  QStringList saved;
  if (QgsProviderMetadata* md =
          QgsProviderRegistry::instance()->providerMetadata(QStringLiteral("postgres"))) {
    try {
      saved = md->connections().keys();
    } catch (const QgsProviderConnectionException&) {
    }
  }
  bool ok = false;
  const QString store = QInputDialog::getItem(
      iface_->mainWindow(), tr("Open a Veldwacht store on PostgreSQL"),
      tr("Saved PostgreSQL connection or postgresql://…"), saved, 0, true, &ok);
  if (ok && !store.trimmed().isEmpty()) openStoreAt(store.trimmed());
}

void VeldwachtPlugin::openStoreAt(const QString& path) {
  const bool file = QFileInfo(path).isFile();
  // The route tool routes on the store opened last (a database's only when the text given
  // carries no password, which the tool's field would show).
  if (auto* route = panel_ ? panel_->findChild<ui::RoutePanel*>() : nullptr)
    if (file || (namesDatabase(path) && withoutPassword(path) == path)) route->setStore(path);
  QString error;
  QList<ui::ResultRow> history;
  const int added = addStoreToProject(path, &error, &history);
  if (added == 0)
    iface_->messageBar()->pushWarning(tr("Veldwacht"),
                                      error.isEmpty() ? tr("No layers in %1").arg(path) : error);
  else
    iface_->messageBar()->pushSuccess(
        tr("Veldwacht"), tr("%n layer(s) added from %1", nullptr, added)
                             .arg(file ? QFileInfo(path).fileName() : shownStore(path)));
  // The store's result history in the dock's run list (once per result).
  if (panel_)
    for (const ui::ResultRow& row : history)
      if (!panel_->results()->run(row.runId)) panel_->results()->addRun(row);
  showDock();
}

int VeldwachtPlugin::addStoreToProject(const QString& path, QString* error,
                                       QList<ui::ResultRow>* history) {
  if (isConnectionString(path) ||
      (!path.isEmpty() && !QFileInfo::exists(path) && !path.contains(QLatin1Char('/')))) {
    // A PostGIS store: a connection string or a saved connection's name.
    try {
      return addDatabaseStoreToProject(resolveStoreSource(path), history);
    } catch (const std::exception& e) {
      if (error) *error = QString::fromUtf8(e.what());
      return 0;
    }
  }
  if (!QFileInfo::exists(path)) {
    if (error) *error = tr("File not found: %1").arg(path);
    return 0;
  }
  if (history) {
    try {
      const std::unique_ptr<layers::Store> store = layers::openStore(path.toStdString(), false);
      *history = resultHistory(*store, resolveStoreSource(path));
    } catch (const std::exception&) {
      // Not a Veldwacht store (a plain GeoPackage): its layers are added, no history.
    }
  }
  const QList<QgsProviderSublayerDetails> sublayers =
      QgsProviderRegistry::instance()->querySublayers(path);
  const std::map<QString, StoreLayerInfo> known = storeLayerInfo();

  struct Pending {
    QString name;
    StoreLayerInfo info;
  };
  std::vector<Pending> pending;
  for (const QgsProviderSublayerDetails& s : sublayers) {
    if (s.type() != QgsMapLayerType::VectorLayer) continue;
    if (s.wkbType() == compat::kWkbNoGeometry || isBookkeeping(s.name())) continue;
    pending.push_back({s.name(), layerInfoOf(known, s.name())});
  }
  // Bottom first within a group: insert each at the top of its group in drawing order.
  std::sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
    return std::tie(a.info.order, a.name) < std::tie(b.info.order, b.name);
  });

  QgsProject* project = QgsProject::instance();
  int added = 0;
  for (const Pending& p : pending) {
    const QString uri = QStringLiteral("%1|layername=%2").arg(path, p.name);
    auto* layer = new QgsVectorLayer(uri, p.info.title.isEmpty() ? p.name : p.info.title,
                                     QStringLiteral("ogr"));  // applies the default style
    if (!layer->isValid()) {
      delete layer;
      if (error) *error = tr("Layer %1 of %2 could not be opened").arg(p.name, path);
      continue;
    }
    addToItsGroup(project, layer, p.name, p.info);
    ++added;
  }
  return added;
}

int VeldwachtPlugin::addDatabaseStoreToProject(const StoreSource& source,
                                               QList<ui::ResultRow>* history) {
  // The store through the CLI's code: a database without a Veldwacht store, or a newer one, is
  // refused here with the store's own message.
  const std::unique_ptr<layers::Store> store = layers::openStore(source.store.toStdString(), false);
  if (history) {
    try {
      *history = resultHistory(*store, source);
    } catch (const std::exception&) {
      // A login that may not read veldwacht_resultaten (partner, publiek) has no history.
    }
  }
  const std::map<QString, StoreLayerInfo> known = storeLayerInfo();
  struct Pending {
    StoreTable table;
    StoreLayerInfo info;
  };
  std::vector<Pending> pending;
  for (const StoreTable& t : databaseTables(*store)) {  // only what this login may read
    if (isBookkeeping(t.name)) continue;
    pending.push_back({t, layerInfoOf(known, t.name)});
  }
  std::sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
    return std::tie(a.info.order, a.table.name) < std::tie(b.info.order, b.table.name);
  });

  // Domain layers without a style in the database's layer_styles get the one Veldwacht ships.
  const QString stylesDir = QString::fromStdString(layers::stylesDirectory());
  QgsProject* project = QgsProject::instance();
  QStringList failed;
  int added = 0;
  for (const Pending& p : pending) {
    QgsVectorLayer::LayerOptions options(project->transformContext());
    options.loadDefaultStyle = false;
    auto* layer = new QgsVectorLayer(
        source.layerUri(p.table.name, p.table.schema, p.table.geometryColumn, p.table.geometryType),
        p.info.title.isEmpty() ? p.table.name : p.info.title, QStringLiteral("postgres"), options);
    if (!layer->isValid()) {
      delete layer;
      failed << p.table.name;
      continue;
    }
    bool styled = false;
    layer->loadDefaultStyle(styled);  // layer_styles of the database, as QGIS itself does
    const QString shipped = stylesDir + QStringLiteral("/layers/%1.qml").arg(p.table.name);
    if (!styled && !stylesDir.isEmpty() && QFileInfo::exists(shipped))
      layer->loadNamedStyle(shipped, styled);
    layer->setCustomProperty(QStringLiteral("veldwacht/store"), source.shown);
    addToItsGroup(project, layer, p.table.name, p.info);
    ++added;
  }
  if (added == 0 && !failed.isEmpty())
    throw geo::LibraryError(
        "no layer of " + source.shown.toStdString() +
        " could be opened in QGIS: " + failed.join(QStringLiteral(", ")).toStdString());
  return added;
}

void VeldwachtPlugin::openProcessingDialog(const QString& algorithmId) {
  if (algorithmId.isEmpty()) return;
  // Processing's own dialog lives in Python (processing.createAlgorithmDialog) in QGIS 3.22;
  // it runs the algorithm as a background task with its own cancel button.
  if (!QgsPythonRunner::isValid()) {
    iface_->messageBar()->pushWarning(tr("Veldwacht"),
                                      tr("Python is not available; use the Run button instead"));
    return;
  }
  QgsPythonRunner::run(QStringLiteral("import processing\n"
                                      "from qgis.utils import iface as _vw_iface\n"
                                      "_vw_dlg = processing.createAlgorithmDialog('%1')\n"
                                      "if _vw_dlg is not None:\n"
                                      "    _vw_dlg.show()\n")
                           .arg(algorithmId));
}

void VeldwachtPlugin::cancelRun() {
  if (runningFeedback_) runningFeedback_->cancel();
}

void VeldwachtPlugin::runFromDock(const QString& algorithmId, const QString& inputLayerId,
                                  const QVariantMap& values) {
  if (runningFeedback_) return;  // one run at a time from the dock
  std::unique_ptr<QgsProcessingAlgorithm> alg(
      QgsApplication::processingRegistry()->createAlgorithmById(algorithmId));
  if (!alg) return;
  QgsMapLayer* input = QgsProject::instance()->mapLayer(inputLayerId);
  if (!input) {
    panel_->setStatusText(tr("Choose an input layer first"));
    return;
  }

  QVariantMap params = values;
  const auto* veldwachtAlg = dynamic_cast<const Algorithm*>(alg.get());
  params.insert(veldwachtAlg ? veldwachtAlg->inputParameterName() : QStringLiteral("INPUT"),
                inputLayerId);
  // Temporary outputs destined for this project, so they end up in layersToLoadOnCompletion.
  for (const QgsProcessingParameterDefinition* def : alg->destinationParameterDefinitions()) {
    QgsProcessingOutputLayerDefinition destination(QgsProcessing::TEMPORARY_OUTPUT,
                                                   QgsProject::instance());
    destination.destinationName = def->description();
    params.insert(def->name(), QVariant::fromValue(destination));
  }

  // The context and feedback outlive the task; both are freed when it has finished.
  auto context = std::make_shared<QgsProcessingContext>();
  context->setProject(QgsProject::instance());
  context->setTransformContext(QgsProject::instance()->transformContext());
  auto* feedback = new QgsProcessingFeedback();
  runningFeedback_ = feedback;
  auto* task = new QgsProcessingAlgRunnerTask(alg.get(), params, *context, feedback);

  const QString runId = QUuid::createUuid().toString();
  ui::ResultRow row;
  row.runId = runId;
  row.algorithm = alg->displayName();
  row.input = input->name();
  row.parameters = params;
  row.started = QDateTime::currentDateTime();
  panel_->results()->addRun(row);
  panel_->setRunning(true);
  panel_->setStatusText(tr("%1 is running…").arg(alg->displayName()));
  auto timer = std::make_shared<QElapsedTimer>();
  timer->start();

  QPointer<ui::DockPanel> panel = panel_;
  connect(feedback, &QgsFeedback::progressChanged, panel_, [panel](double percent) {
    if (panel) panel->setProgress(percent / 100.0);
  });
  connect(
      task, &QgsProcessingAlgRunnerTask::executed, this,
      [this, panel, context, feedback, timer, runId](bool ok, const QVariantMap&) {
        QStringList added;
        if (ok) {
          QgsLayerTreeGroup* group =
              ensureGroup(QgsProject::instance()->layerTreeRoot(), QStringLiteral("Analyses"));
          const auto toLoad = context->layersToLoadOnCompletion();
          for (auto it = toLoad.constBegin(); it != toLoad.constEnd(); ++it) {
            QgsMapLayer* layer = QgsProcessingUtils::mapLayerFromString(it.key(), *context);
            if (!layer) continue;
            it.value().setOutputLayerName(layer);
            context->temporaryLayerStore()->takeMapLayer(layer);
            QgsProject::instance()->addMapLayer(layer, false);
            group->insertLayer(0, layer);
            if (it.value().postProcessor())
              it.value().postProcessor()->postProcessLayer(layer, *context, feedback);
            added << layer->name();
          }
        }
        const bool cancelled = feedback->isCanceled();
        if (panel) {
          panel->results()->finishRun(
              runId,
              ok ? ui::ResultRow::Status::Succeeded
                 : (cancelled ? ui::ResultRow::Status::Cancelled : ui::ResultRow::Status::Failed),
              double(timer->elapsed()) / 1000.0,
              ok ? added.join(QStringLiteral(", ")) : tr("See the log messages"));
          panel->setRunning(false);
          panel->setStatusText(ok ? tr("Done") : (cancelled ? tr("Cancelled") : tr("Failed")));
        }
        runningFeedback_.clear();
        feedback->deleteLater();
      });
  QgsApplication::taskManager()->addTask(task);
}

void VeldwachtPlugin::setPresenter(bool on) {
  if (!presenter_ || presenter_->isOn() == on) return;
  PresenterReport report;
  if (on) {
    PresenterOptions options;
    const QString title = QgsProject::instance()->title();
    if (!title.isEmpty()) options.title = title;
    options.canvas = iface_->mapCanvas();
    report = presenter_->switchOn(options);
  } else {
    report = presenter_->switchOff();
  }
  if (panel_) panel_->setPresenterOn(on);
  // The layers panel filters Private layers but does not watch the flags: filter again.
  if (QgsLayerTreeView* view = iface_->layerTreeView())
    view->setShowPrivateLayers(view->showPrivateLayers());
  const QString what = on ? tr("Presenter mode on: %n layer(s) hidden and locked", nullptr,
                               int(report.hidden.size()))
                          : tr("Presenter mode off: the working view is back");
  if (!report.auditErrors.isEmpty())
    iface_->messageBar()->pushWarning(tr("Veldwacht"),
                                      what + QStringLiteral("; ") +
                                          tr("not recorded in the audit log: %1")
                                              .arg(report.auditErrors.join(QStringLiteral("; "))));
  else if (report.audited.isEmpty())
    iface_->messageBar()->pushInfo(
        tr("Veldwacht"), what + QStringLiteral("; ") + tr("no Veldwacht store to audit in"));
  else
    iface_->messageBar()->pushSuccess(tr("Veldwacht"), what);
  for (QgsLayoutDesignerInterface* designer : iface_->openLayoutDesigners())
    guardLayoutDesigner(designer);
}

void VeldwachtPlugin::guardLayoutDesigner(QgsLayoutDesignerInterface* designer) {
  if (!designer || !designer->layout() || !designer->window()) return;
  QgsLayout* layout = designer->layout();
  const QStringList confidential = presenter_ && presenter_->isOn()
                                       ? PresenterMode::confidentialLayoutLayers(layout)
                                       : QStringList();
  const bool refuse = !confidential.isEmpty();
  for (QAction* action : designer->window()->findChildren<QAction*>()) {
    const QString name = action->objectName();
    if (name.startsWith(QLatin1String("mActionExport")) ||
        name.startsWith(QLatin1String("mActionPrint")))
      action->setEnabled(!refuse);
  }
  const bool wasRefused = layout->property("veldwachtRefused").toBool();
  layout->setProperty("veldwachtRefused", refuse);
  if (refuse && !wasRefused && designer->messageBar())
    designer->messageBar()->pushCritical(
        tr("Veldwacht"),
        tr("Export and print refused: presenter mode is on and this layout shows confidential "
           "layers (%1). Remove them from the layout or switch presenter mode off.")
            .arg(confidential.join(QStringLiteral(", "))));
  // Check again when the layout changes (a map item gets another layer set).
  if (!layout->property("veldwachtGuarded").toBool()) {
    layout->setProperty("veldwachtGuarded", true);
    QPointer<QgsLayoutDesignerInterface> guarded = designer;
    connect(layout, &QgsLayout::changed, this, [this, guarded] {
      if (guarded) guardLayoutDesigner(guarded);
    });
  }
}

void VeldwachtPlugin::exportKennissessieDialog() {
  QString store;
  for (QgsMapLayer* layer : QgsProject::instance()->mapLayers()) {
    const StoreLayerRef ref = PresenterMode::storeLayerOf(layer);
    if (ref.table.startsWith(QLatin1String("openbaar_"))) {
      store = ref.path;
      break;
    }
  }
  if (store.isEmpty()) {
    iface_->messageBar()->pushWarning(
        tr("Veldwacht"), tr("No public layers (openbaar_*) in the project: build them with "
                            "'veldwacht publiceer' and open the store again"));
    return;
  }
  const QString pdf = QFileDialog::getSaveFileName(
      iface_->mainWindow(), tr("Kennissessie export"),
      // A database has no folder: the home folder then.
      (isConnectionString(store) ? QDir::home() : QFileInfo(store).absoluteDir())
          .filePath(QStringLiteral("kennissessie.pdf")),
      tr("PDF (*.pdf)"));
  if (pdf.isEmpty()) return;
  KennissessieOptions options;
  options.store = store;
  options.pdf = pdf;
  const QFileInfo info(pdf);
  options.slidesDir =
      info.absoluteDir().filePath(info.completeBaseName() + QStringLiteral("_dias"));
  if (!QgsProject::instance()->title().isEmpty())
    options.subtitle = QgsProject::instance()->title();
  try {
    const KennissessieResult r = exportKennissessie(QgsProject::instance(), options);
    iface_->messageBar()->pushSuccess(tr("Veldwacht"),
                                      tr("Kennissessie: %1 pages in %2, %3 slides in %4")
                                          .arg(r.pages)
                                          .arg(pdf)
                                          .arg(r.slides.size())
                                          .arg(options.slidesDir));
  } catch (const KennissessieRefused& e) {
    iface_->messageBar()->pushCritical(
        tr("Veldwacht"), tr("Kennissessie refused: %1").arg(QString::fromUtf8(e.what())));
  } catch (const std::exception& e) {
    iface_->messageBar()->pushWarning(tr("Veldwacht"), QString::fromUtf8(e.what()));
  }
}

}  // namespace veldwacht::plugin
