#include "plugin/json_compat.h"  // before any Qt or QGIS header

#include "plugin/ui/planning_panel.h"

#include <qgsapplication.h>
#include <qgscollapsiblegroupbox.h>
#include <qgsdatasourceuri.h>
#include <qgsexception.h>
#include <qgsfeature.h>
#include <qgsfeatureiterator.h>
#include <qgslayertree.h>
#include <qgslayertreegroup.h>
#include <qgsprocessingalgrunnertask.h>
#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingregistry.h>
#include <qgsprocessingutils.h>
#include <qgsproject.h>
#include <qgsproviderregistry.h>
#include <qgsprovidersublayerdetails.h>
#include <qgstaskmanager.h>
#include <qgsvectorlayer.h>
#include <qgswkbtypes.h>

#include <QDate>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "layers/pgstore/backend.h"
#include "plugin/processing/provider.h"
#include "plugin/qgiscompat.h"

namespace veldwacht::ui {

namespace {

/// Keeps the algorithm's error messages for the status line.
class PlanFeedback : public QgsProcessingFeedback {
 public:
  void reportError(const QString& error, bool fatalError = false) override {
    errors << error;
    QgsProcessingFeedback::reportError(error, fatalError);
  }
  QStringList errors;
};

const QStringList& planSuffixes() {
  static const QStringList s = {QStringLiteral("_routes"), QStringLiteral("_bezoeken"),
                                QStringLiteral("_vervallen")};
  return s;
}

bool isBookkeeping(const QString& name) {
  return name.startsWith(QLatin1String("veldwacht_")) || name == QLatin1String("layer_styles") ||
         name.startsWith(QLatin1String("gpkg_")) || name.startsWith(QLatin1String("rtree_")) ||
         name == QLatin1String("sqlite_sequence");
}

/// Whether a table can be planned: a point or area layer other than the partners and earlier
/// plans.
bool plannable(const QString& name, plugin::compat::WkbType type) {
  if (isBookkeeping(name) || name == QLatin1String("partners")) return false;
  if (std::any_of(planSuffixes().begin(), planSuffixes().end(),
                  [&](const QString& suffix) { return name.endsWith(suffix); }))
    return false;
  const auto flat = QgsWkbTypes::flatType(type);
  return flat == plugin::compat::kWkbPoint ||
         flat == QgsWkbTypes::multiType(plugin::compat::kWkbPoint) ||
         flat == plugin::compat::kWkbPolygon || flat == plugin::compat::kWkbMultiPolygon;
}

/// The layers of a store that can be planned (sorted), its tables, and whether it has partners:
/// a GeoPackage's sublayers, or a PostGIS database's spatial tables (plugin/store_source.h).
struct PlanLayers {
  QStringList sites;
  QHash<QString, plugin::StoreTable> tables;  ///< a database's tables, for their URIs
  bool partners = false;
};

PlanLayers planLayersOf(const plugin::StoreSource& source) {
  PlanLayers out;
  if (source.database) {
    auto store = layers::openStore(source.store.toStdString(), false);
    for (const plugin::StoreTable& t : plugin::databaseTables(*store)) {
      out.tables.insert(t.name, t);
      out.partners = out.partners || t.name == QLatin1String("partners");
      if (plannable(t.name, QgsWkbTypes::parseType(t.geometryType))) out.sites << t.name;
    }
  } else if (QFileInfo::exists(source.store)) {
    for (const QgsProviderSublayerDetails& sub :
         QgsProviderRegistry::instance()->querySublayers(source.store)) {
      if (sub.type() != QgsMapLayerType::VectorLayer) continue;
      out.partners = out.partners || sub.name() == QLatin1String("partners");
      if (plannable(sub.name(), sub.wkbType())) out.sites << sub.name();
    }
  }
  out.sites.sort();
  return out;
}

/// A Processing output layer: the provider key and URI (a database's is encoded with its key).
std::pair<QString, QString> decodedOutput(const QString& output) {
  QString provider, uri;
  if (QgsProcessingUtils::decodeProviderKeyAndUri(output, provider, uri)) return {provider, uri};
  return {QStringLiteral("ogr"), output};
}

QString quoted(const QString& text) {
  QString t = text;
  t.replace(QLatin1Char('\''), QStringLiteral("''"));
  return QLatin1Char('\'') + t + QLatin1Char('\'');
}

/// The table of a layer URI: an OGR "path|layername=name" or a postgres data source.
QString layerNameOf(const QString& provider, const QString& uri) {
  if (provider != QLatin1String("ogr")) return QgsDataSourceUri(uri).table();
  const int at = int(uri.indexOf(QLatin1String("|layername=")));
  return at < 0 ? QString() : uri.mid(at + int(qstrlen("|layername=")));
}

QgsLayerTreeGroup* planningGroup() {
  QgsLayerTreeGroup* root = QgsProject::instance()->layerTreeRoot();
  if (QgsLayerTreeGroup* g = root->findGroup(PlanningPanel::groupName())) return g;
  return root->insertGroup(0, PlanningPanel::groupName());
}

/// Removes the project's layers of table `table` of `source` (an earlier plan of the same
/// name): the run replaces those tables.
void removeLayersOf(const plugin::StoreSource& source, const QString& table) {
  QStringList ids;
  const auto layers = QgsProject::instance()->mapLayers();
  for (QgsMapLayer* l : layers) {
    const std::optional<plugin::LayerStore> s = plugin::storeOfLayer(l);
    if (s && s->table == table && plugin::sameStore(s->source, source)) ids << l->id();
  }
  if (!ids.isEmpty()) QgsProject::instance()->removeMapLayers(ids);
}

}  // namespace

PlanningPanel::PlanningPanel(QWidget* parent) : QWidget(parent) {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  auto* box = new QgsCollapsibleGroupBoxBasic(tr("Planning"), this);
  box->setCollapsed(true);
  box->setObjectName(QStringLiteral("planningGroup"));
  outer->addWidget(box);
  auto* layout = new QVBoxLayout(box);

  auto* choose = new QFormLayout();
  auto* storeRow = new QHBoxLayout();
  store_ = new QLineEdit(box);
  store_->setObjectName(QStringLiteral("planStore"));
  store_->setPlaceholderText(tr("Veldwacht store: .gpkg, postgresql://… or a saved connection"));
  auto* browse = new QToolButton(box);
  browse->setText(QStringLiteral("…"));
  storeRow->addWidget(store_, 1);
  storeRow->addWidget(browse);
  choose->addRow(tr("Store"), storeRow);

  sites_ = new QComboBox(box);
  sites_->setObjectName(QStringLiteral("planSites"));
  sites_->setToolTip(tr("The sites to visit: VAB, an address-check list, hot-spot cells, …"));
  choose->addRow(tr("Sites"), sites_);
  priorityField_ = new QComboBox(box);
  priorityField_->setObjectName(QStringLiteral("planPriorityField"));
  priorityField_->setToolTip(
      tr("Numeric field giving each site's priority; none: the field prioriteit when the layer "
         "has one, else the priority below"));
  choose->addRow(tr("Priority field"), priorityField_);
  sitesWhere_ = new QLineEdit(box);
  sitesWhere_->setObjectName(QStringLiteral("planSitesWhere"));
  sitesWhere_->setPlaceholderText(tr("optional filter, e.g. status = 'leeg'"));
  choose->addRow(tr("Sites filter"), sitesWhere_);

  partners_ = new QListWidget(box);
  partners_->setObjectName(QStringLiteral("planPartners"));
  partners_->setMaximumHeight(120);
  choose->addRow(tr("Partners"), partners_);

  auto* period = new QHBoxLayout();
  from_ = new QDateEdit(box);
  from_->setObjectName(QStringLiteral("planFrom"));
  to_ = new QDateEdit(box);
  to_->setObjectName(QStringLiteral("planTo"));
  for (QDateEdit* d : {from_, to_}) {
    d->setCalendarPopup(true);
    d->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
  }
  // Next week, Monday to Sunday.
  const QDate today = QDate::currentDate();
  const QDate monday = today.addDays(8 - today.dayOfWeek());
  from_->setDate(monday);
  to_->setDate(monday.addDays(6));
  period->addWidget(from_);
  period->addWidget(new QLabel(QStringLiteral("–"), box));
  period->addWidget(to_);
  choose->addRow(tr("Period"), period);

  name_ = new QLineEdit(QStringLiteral("plan"), box);
  name_->setObjectName(QStringLiteral("planName"));
  choose->addRow(tr("Plan name"), name_);
  layout->addLayout(choose);

  // The options of the plan description, without the period (chosen above).
  form_ = new ParameterForm(box);
  form_->setObjectName(QStringLiteral("planOptions"));
  if (std::unique_ptr<QgsProcessingAlgorithm> alg{
          QgsApplication::processingRegistry()->createAlgorithmById(algorithmId())}) {
    if (const auto* ours = dynamic_cast<const plugin::Algorithm*>(alg.get())) {
      OptionSpecs specs = ours->optionSpecs();
      specs.erase(
          std::remove_if(specs.begin(), specs.end(),
                         [](const OptionSpec& s) { return s.name == QLatin1String("PERIOD"); }),
          specs.end());
      form_->setSpecs(specs);
    }
  }
  layout->addWidget(form_);

  auto* buttons = new QHBoxLayout();
  run_ = new QPushButton(tr("Plan"), box);
  run_->setObjectName(QStringLiteral("planRun"));
  cancel_ = new QPushButton(tr("Cancel"), box);
  cancel_->setObjectName(QStringLiteral("planCancel"));
  buttons->addWidget(run_);
  buttons->addWidget(cancel_);
  layout->addLayout(buttons);
  progress_ = new QProgressBar(box);
  progress_->setRange(0, 1000);
  progress_->setTextVisible(false);
  layout->addWidget(progress_);
  status_ = new QLabel(box);
  status_->setObjectName(QStringLiteral("planStatus"));
  status_->setWordWrap(true);
  layout->addWidget(status_);
  summary_ = new QLabel(box);
  summary_->setObjectName(QStringLiteral("planSummary"));
  summary_->setWordWrap(true);
  layout->addWidget(summary_);

  dropped_ = new QTableWidget(0, 5, box);
  dropped_->setObjectName(QStringLiteral("planDropped"));
  dropped_->setHorizontalHeaderLabels(
      {tr("Layer"), tr("Site"), tr("Priority"), tr("Mandatory"), tr("Reason")});
  dropped_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  dropped_->setSelectionBehavior(QAbstractItemView::SelectRows);
  dropped_->verticalHeader()->hide();
  dropped_->horizontalHeader()->setStretchLastSection(true);
  dropped_->setToolTip(tr("Visits that could not be planned, with the reason"));
  layout->addWidget(dropped_, 1);

  connect(browse, &QToolButton::clicked, this, &PlanningPanel::browse);
  connect(store_, &QLineEdit::editingFinished, this, [this] {
    if (sites_->count() == 0 || sites_->property("store").toString() != store_->text())
      setStore(store_->text());
  });
  connect(sites_, qOverload<int>(&QComboBox::currentIndexChanged), this,
          &PlanningPanel::sitesLayerChanged);
  connect(run_, &QPushButton::clicked, this, &PlanningPanel::run);
  connect(cancel_, &QPushButton::clicked, this, &PlanningPanel::cancel);
  connect(QgsProject::instance(), &QgsProject::layersAdded, this,
          &PlanningPanel::projectLayersAdded);
  setRunning(false);
}

PlanningPanel::~PlanningPanel() {
  if (feedback_) feedback_->cancel();
}

void PlanningPanel::browse() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Veldwacht store to plan on"),
                                                    store_->text(), tr("Veldwacht store (*.gpkg)"));
  if (!path.isEmpty()) setStore(path);
}

bool PlanningPanel::setStore(const QString& path) {
  source_.reset();
  if (path.trimmed().isEmpty()) return useStore(std::nullopt, path);
  try {
    return useStore(plugin::resolveStoreSource(path.trimmed()), path);
  } catch (const std::exception& e) {
    useStore(std::nullopt, path);
    status_->setText(tr("%1 is not a Veldwacht store: %2")
                         .arg(plugin::withoutPassword(path), QString::fromUtf8(e.what())));
    return false;
  }
}

bool PlanningPanel::useStore(const std::optional<plugin::StoreSource>& source,
                             const QString& given) {
  PlanLayers found;
  QString problem;
  if (source) {
    try {
      found = planLayersOf(*source);
    } catch (const std::exception& e) {
      problem = QString::fromUtf8(e.what());
    }
  }
  if (!found.partners) found.sites.clear();
  // The field shows what was given (a database without its password); source_ keeps the
  // connection a login needs.
  const QString shown = !source            ? given
                        : source->database ? plugin::withoutPassword(source->given)
                                           : source->given;
  source_ = found.sites.isEmpty() ? std::nullopt : source;
  tables_ = found.tables;
  {
    const QSignalBlocker block(sites_);
    sites_->clear();
    for (const QString& l : found.sites) sites_->addItem(l, l);
    const int vab = sites_->findData(QStringLiteral("vab"));
    sites_->setCurrentIndex(vab >= 0 ? vab : (found.sites.isEmpty() ? -1 : 0));
  }
  store_->setText(shown);
  sites_->setProperty("store", shown);
  fillPartners();
  sitesLayerChanged();
  if (!shown.isEmpty() && found.sites.isEmpty()) {
    status_->setText(
        problem.isEmpty()
            ? tr("%1 is not a Veldwacht store with a partners layer and sites").arg(shown)
            : tr("%1 is not a Veldwacht store: %2").arg(shown, problem));
    return false;
  }
  status_->clear();
  return !shown.isEmpty();
}

QgsVectorLayer* PlanningPanel::storeLayer(const QString& table) const {
  if (!source_) return nullptr;
  QString uri;
  if (source_->database) {
    const plugin::StoreTable t = tables_.value(table);
    uri = source_->layerUri(table, t.schema,
                            t.geometryColumn.isEmpty() ? QStringLiteral("geom") : t.geometryColumn,
                            t.geometryType);
  } else {
    uri = source_->layerUri(table);
  }
  auto* layer = new QgsVectorLayer(uri, table, source_->providerKey());
  if (layer->isValid()) return layer;
  delete layer;
  return nullptr;
}

void PlanningPanel::fillPartners() {
  partners_->clear();
  if (sites_->count() == 0) return;
  const std::unique_ptr<QgsVectorLayer> layer(storeLayer(QStringLiteral("partners")));
  if (!layer) return;
  QgsFeatureRequest request;
  request.setFlags(QgsFeatureRequest::NoGeometry);
  QgsFeatureIterator it = layer->getFeatures(request);
  QgsFeature f;
  while (it.nextFeature(f)) {
    const QString id = f.attribute(QStringLiteral("partner_id")).toString();
    if (id.isEmpty()) continue;
    QString text = id;
    const QString naam = f.attribute(QStringLiteral("naam")).toString();
    if (!naam.isEmpty()) text += QStringLiteral(" — ") + naam;
    const QString bevoegd = f.attribute(QStringLiteral("bevoegdheden")).toString();
    if (!bevoegd.isEmpty()) text += QStringLiteral(" (%1)").arg(bevoegd);
    auto* item = new QListWidgetItem(text, partners_);
    item->setData(Qt::UserRole, id);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Checked);
  }
}

void PlanningPanel::sitesLayerChanged() {
  priorityField_->clear();
  priorityField_->addItem(tr("(prioriteit, else the fixed priority)"), QString());
  const QString layerName = sites_->currentData().toString();
  if (layerName.isEmpty()) return;
  const std::unique_ptr<QgsVectorLayer> layer(storeLayer(layerName));
  if (!layer) return;
  for (const QgsField& field : layer->fields())
    if (field.isNumeric() && field.name() != QLatin1String("fid"))
      priorityField_->addItem(field.name(), field.name());
}

void PlanningPanel::projectLayersAdded() {
  if (!store_->text().isEmpty()) return;
  // Take the store of the first layer that comes from a Veldwacht store with partners and
  // sites (Open a store…): a GeoPackage or a PostGIS database.
  const auto layers = QgsProject::instance()->mapLayers();
  for (QgsMapLayer* l : layers) {
    const std::optional<plugin::LayerStore> s = plugin::storeOfLayer(l);
    if (!s || (!s->source.database &&
               !s->source.store.endsWith(QLatin1String(".gpkg"), Qt::CaseInsensitive)))
      continue;
    if (useStore(s->source, s->source.given)) return;
    store_->clear();  // not one to plan on: the field stays empty for the user
    status_->clear();
  }
}

QVariantMap PlanningPanel::parameters() const {
  QVariantMap p = form_->values();
  // The connection a login needs (a saved connection's or a project layer's password) stays out
  // of the field; the algorithm resolves it as the field's text would be.
  p.insert(QStringLiteral("STORE"), source_ ? source_->store : store_->text());
  p.insert(QStringLiteral("SITES"), sites_->currentData().toString());
  if (!sitesWhere_->text().trimmed().isEmpty())
    p.insert(QStringLiteral("SITES_WHERE"), sitesWhere_->text().trimmed());
  const QString weight = priorityField_->currentData().toString();
  if (!weight.isEmpty()) p.insert(QStringLiteral("SITES_WEIGHT_FIELD"), weight);
  p.insert(QStringLiteral("PARTNERS"), QStringLiteral("partners"));
  QStringList chosen;
  for (int i = 0; i < partners_->count(); ++i)
    if (partners_->item(i)->checkState() == Qt::Checked)
      chosen << quoted(partners_->item(i)->data(Qt::UserRole).toString());
  if (chosen.size() < partners_->count())
    p.insert(QStringLiteral("PARTNERS_WHERE"),
             QStringLiteral("partner_id IN (%1)").arg(chosen.join(QStringLiteral(", "))));
  p.insert(QStringLiteral("PERIOD"), from_->date().toString(Qt::ISODate) + QLatin1Char('/') +
                                         to_->date().toString(Qt::ISODate));
  p.insert(QStringLiteral("OUTPUT_NAME"), name_->text().trimmed());
  return p;
}

void PlanningPanel::setRunning(bool running) {
  run_->setEnabled(!running);
  cancel_->setEnabled(running);
  if (!running) progress_->setValue(0);
}

void PlanningPanel::cancel() {
  if (feedback_) feedback_->cancel();
}

void PlanningPanel::run() {
  if (feedback_) return;  // one plan at a time
  QString problem;
  bool anyPartner = false;
  for (int i = 0; i < partners_->count(); ++i)
    anyPartner = anyPartner || partners_->item(i)->checkState() == Qt::Checked;
  if (store_->text().isEmpty() || sites_->count() == 0)
    problem = tr("Choose a Veldwacht store first");
  else if (sites_->currentData().toString().isEmpty())
    problem = tr("Choose the sites layer");
  else if (!anyPartner)
    problem = tr("Choose at least one partner");
  else if (from_->date() > to_->date())
    problem = tr("The period ends before it starts");
  else if (name_->text().trimmed().isEmpty())
    problem = tr("Give the plan a name");
  std::unique_ptr<QgsProcessingAlgorithm> alg(
      QgsApplication::processingRegistry()->createAlgorithmById(algorithmId()));
  if (problem.isEmpty() && !alg) problem = tr("The Veldwacht Processing provider is not loaded");
  if (!problem.isEmpty()) {
    status_->setText(problem);
    emit planFinished(false);
    return;
  }

  const QVariantMap params = parameters();
  // The run replaces the tables of a plan of the same name: take those layers out first.
  const QString name = params.value(QStringLiteral("OUTPUT_NAME")).toString();
  if (source_)
    for (const QString& suffix : planSuffixes()) removeLayersOf(*source_, name + suffix);
  added_.clear();
  dropped_->setRowCount(0);
  summary_->clear();

  // The context and feedback outlive a background task; both go when it has finished.
  auto context = std::make_shared<QgsProcessingContext>();
  context->setTransformContext(QgsProject::instance()->transformContext());
  auto* feedback = new PlanFeedback();
  feedback_ = feedback;
  connect(feedback, &QgsFeedback::progressChanged, this,
          [this](double percent) { progress_->setValue(int(percent * 10.0)); });
  setRunning(true);
  status_->setText(tr("Planning…"));

  if (!background_) {
    bool ok = false;
    QVariantMap outputs;
    try {
      outputs = alg->run(params, *context, feedback, &ok);
    } catch (const QgsProcessingException& e) {
      feedback->errors << e.what();
    }
    feedback_.clear();
    finish(ok, outputs,
           feedback->isCanceled() ? QString() : feedback->errors.join(QLatin1Char('\n')));
    delete feedback;
    return;
  }

  auto* task = new QgsProcessingAlgRunnerTask(alg.get(), params, *context, feedback);
  QPointer<PlanningPanel> self = this;
  connect(task, &QgsProcessingAlgRunnerTask::executed, feedback,
          [self, context, feedback](bool ok, const QVariantMap& outputs) {
            if (self) {
              self->feedback_.clear();
              self->finish(
                  ok, outputs,
                  feedback->isCanceled() ? QString() : feedback->errors.join(QLatin1Char('\n')));
            }
            feedback->deleteLater();
          });
  QgsApplication::taskManager()->addTask(task);
}

void PlanningPanel::finish(bool ok, const QVariantMap& outputs, const QString& error) {
  setRunning(false);
  if (!ok) {
    status_->setText(error.isEmpty() ? tr("Cancelled") : tr("The plan failed: %1").arg(error));
    emit planFinished(false);
    return;
  }
  // Routes at the bottom of the group, then the visits, the dropped sites on top.
  QgsLayerTreeGroup* group = planningGroup();
  int visits = 0, routes = 0;
  for (const QString& key :
       {QStringLiteral("ROUTES"), QStringLiteral("VISITS"), QStringLiteral("DROPPED")}) {
    const QString output = outputs.value(key).toString();
    if (output.isEmpty()) continue;
    const auto [provider, uri] = decodedOutput(output);
    auto* layer = new QgsVectorLayer(uri, layerNameOf(provider, uri), provider);
    if (!layer->isValid()) {
      delete layer;
      continue;
    }
    if (key == QLatin1String("ROUTES")) routes = int(layer->featureCount());
    if (key == QLatin1String("VISITS")) visits = int(layer->featureCount());
    QgsProject::instance()->addMapLayer(layer, false);
    group->insertLayer(0, layer);
    added_ << layer->id();
  }
  showDropped(outputs.value(QStringLiteral("DROPPED")).toString());
  summary_->setText(tr("%1 visits on %2 routes; %3 visits could not be planned")
                        .arg(visits)
                        .arg(routes)
                        .arg(dropped_->rowCount()));
  status_->setText(tr("Done: the plan is in the group %1").arg(groupName()));
  emit planFinished(true);
}

void PlanningPanel::showDropped(const QString& output) {
  dropped_->setRowCount(0);
  if (output.isEmpty()) return;
  const auto [provider, uri] = decodedOutput(output);
  QgsVectorLayer layer(uri, QStringLiteral("vervallen"), provider);
  if (!layer.isValid()) return;
  QgsFeatureRequest request;
  request.setFlags(QgsFeatureRequest::NoGeometry);
  struct Row {
    QString layer, site, reason;
    double priority = 0;
    bool mandatory = false;
  };
  std::vector<Row> rows;
  QgsFeatureIterator it = layer.getFeatures(request);
  QgsFeature f;
  while (it.nextFeature(f))
    rows.push_back({f.attribute(QStringLiteral("site_laag")).toString(),
                    f.attribute(QStringLiteral("site_id")).toString(),
                    f.attribute(QStringLiteral("reden")).toString(),
                    f.attribute(QStringLiteral("prioriteit")).toDouble(),
                    f.attribute(QStringLiteral("verplicht")).toInt() != 0});
  // Mandatory first, then the highest priority.
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::make_pair(a.mandatory, a.priority) > std::make_pair(b.mandatory, b.priority);
  });
  dropped_->setRowCount(int(rows.size()));
  for (int i = 0; i < int(rows.size()); ++i) {
    const Row& r = rows[std::size_t(i)];
    dropped_->setItem(i, 0, new QTableWidgetItem(r.layer));
    dropped_->setItem(i, 1, new QTableWidgetItem(r.site));
    auto* priority = new QTableWidgetItem();
    priority->setData(Qt::DisplayRole, r.priority);
    dropped_->setItem(i, 2, priority);
    dropped_->setItem(i, 3, new QTableWidgetItem(r.mandatory ? tr("yes") : tr("no")));
    dropped_->setItem(i, 4, new QTableWidgetItem(r.reason));
  }
  dropped_->resizeColumnsToContents();
}

}  // namespace veldwacht::ui
