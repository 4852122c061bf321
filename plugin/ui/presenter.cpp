#include "plugin/ui/presenter.h"

#include <qgslayertree.h>
#include <qgslayertreegroup.h>
#include <qgslayertreelayer.h>
#include <qgslayout.h>
#include <qgslayoutitemattributetable.h>
#include <qgslayoutitemlegend.h>
#include <qgslayoutitemmap.h>
#include <qgslayoutmultiframe.h>
#include <qgsmapcanvas.h>
#include <qgsmessagebar.h>
#include <qgspallabeling.h>
#include <qgsproject.h>
#include <qgsproviderregistry.h>
#include <qgstextformat.h>
#include <qgsvectorlayer.h>
#include <qgsvectorlayerlabeling.h>

#include <QAction>
#include <QFileInfo>
#include <QLabel>
#include <QWidget>

#include <algorithm>
#include <exception>
#include <functional>
#include <map>
#include <span>

#include "layers/pgstore/backend.h"
#include "layers/privacy/audit.h"
#include "layers/privacy/classification.h"
#include "layers/privacy/presenter.h"
#include "layers/store/store.h"
#include "plugin/store_source.h"

namespace veldwacht::plugin {

namespace {

constexpr auto kLockedFlags =
    QgsMapLayer::Identifiable | QgsMapLayer::Removable | QgsMapLayer::Searchable;

/// The Veldwacht stores of one switch, opened read-only once each; a file that is no store
/// maps to null (its layers count as unknown data).
class StoreCache {
 public:
  layers::Store* get(const QString& path) {
    auto it = stores_.find(path);
    if (it == stores_.end()) {
      std::unique_ptr<layers::Store> store;
      try {
        if (isConnectionString(path) || QFileInfo::exists(path))
          store = layers::openStore(path.toStdString(), false);
      } catch (const std::exception&) {
        store.reset();  // not a Veldwacht store
      }
      it = stores_.emplace(path, std::move(store)).first;
    }
    return it->second.get();
  }

  /// The sensitivity of a table of a store; Confidential when the file is no store.
  layers::Sensitivity sensitivity(const StoreLayerRef& ref) {
    layers::Store* store = get(ref.path);
    if (!store) return layers::Sensitivity::Confidential;
    try {
      return layers::classification(*store, ref.table.toStdString()).sensitivity;
    } catch (const std::exception&) {
      return layers::Sensitivity::Confidential;
    }
  }

 private:
  std::map<QString, std::unique_ptr<layers::Store>> stores_;
};

/// The host-free description of a layer (layers/privacy/presenter.h); storeLayer stays empty
/// for a file that is no Veldwacht store, so that it counts as unknown data.
layers::ProjectLayer describe(QgsProject* project, QgsMapLayer* layer, StoreCache& stores) {
  layers::ProjectLayer out;
  out.id = layer->id().toStdString();
  const StoreLayerRef ref = PresenterMode::storeLayerOf(layer);
  if (!ref.table.isEmpty() && stores.get(ref.path)) out.storeLayer = ref.table.toStdString();
  const QgsLayerTreeLayer* node = project->layerTreeRoot()->findLayer(layer->id());
  out.visible = node && node->itemVisibilityChecked();
  out.basemap = PresenterMode::isBasemap(layer);
  return out;
}

QString overlayText(const PresenterOptions& o) {
  return QStringLiteral(
             "<div style='font-size:22pt; font-weight:bold'>%1</div>"
             "<div style='font-size:12pt'>%2 · Bron: %3</div>")
      .arg(o.title.toHtmlEscaped(), o.date.toString(QStringLiteral("d-M-yyyy")),
           o.source.toHtmlEscaped());
}

}  // namespace

PresenterMode::PresenterMode(QgsProject* project, QObject* parent)
    : QObject(parent), project_(project) {}

PresenterMode::~PresenterMode() {
  if (on_) switchOff();
}

StoreLayerRef PresenterMode::storeLayerOf(const QgsMapLayer* layer) {
  const std::optional<LayerStore> s = storeOfLayer(layer);
  if (!s) return {};
  return {s->source.store, s->table, s->source.shown};
}

bool PresenterMode::isBasemap(const QgsMapLayer* layer) {
  if (!layer) return false;
  if (layer->customProperty(QStringLiteral("veldwacht/basemap")).toBool()) return true;
  const QString provider = layer->providerType();
  return provider == QLatin1String("wms") || provider == QLatin1String("xyzvectortiles") ||
         provider == QLatin1String("arcgismapserver") ||
         layer->type() == QgsMapLayerType::VectorTileLayer;
}

namespace {

bool isPublic(const QgsMapLayer* layer, StoreCache& stores) {
  if (PresenterMode::isBasemap(layer)) return true;
  const StoreLayerRef ref = PresenterMode::storeLayerOf(layer);
  if (ref.table.isEmpty()) return false;
  return stores.sensitivity(ref) == layers::Sensitivity::Public;
}

}  // namespace

bool PresenterMode::isPublicLayer(const QgsMapLayer* layer) {
  StoreCache stores;
  return isPublic(layer, stores);
}

QStringList PresenterMode::confidentialLayoutLayers(QgsLayout* layout) {
  QStringList out;
  if (!layout) return out;
  QSet<QString> seen;
  StoreCache stores;
  const auto note = [&](QgsMapLayer* layer) {
    if (!layer || seen.contains(layer->id())) return;
    seen.insert(layer->id());
    if (!isPublic(layer, stores)) out << layer->name();
  };
  QList<QgsLayoutItemMap*> maps;
  layout->layoutItems(maps);
  for (QgsLayoutItemMap* map : maps)
    for (QgsMapLayer* layer : map->layersToRender()) note(layer);
  QList<QgsLayoutItemLegend*> legends;
  layout->layoutItems(legends);
  for (QgsLayoutItemLegend* legend : legends) {
    if (!legend->model() || !legend->model()->rootGroup()) continue;
    for (QgsLayerTreeLayer* node : legend->model()->rootGroup()->findLayers())
      if (node->isVisible()) note(node->layer());
  }
  for (QgsLayoutMultiFrame* frame : layout->multiFrames())
    if (auto* table = qobject_cast<QgsLayoutItemAttributeTable*>(frame)) note(table->sourceLayer());
  out.sort();
  return out;
}

QStringList PresenterMode::lockedLayerIds() const {
  QStringList ids(locked_.begin(), locked_.end());
  ids.sort();
  return ids;
}

void PresenterMode::saveLayer(QgsMapLayer* layer) {
  SavedLayer saved{layer->id(), layer->flags(), false, false, nullptr};
  if (auto* v = qobject_cast<QgsVectorLayer*>(layer)) {
    saved.readOnly = v->readOnly();
    saved.labelsEnabled = v->labelsEnabled();
    if (v->labeling()) saved.labeling.reset(v->labeling()->clone());
  }
  savedLayers_.push_back(std::move(saved));
}

void PresenterMode::lockLayer(QgsMapLayer* layer) {
  locked_.insert(layer->id());
  layer->setFlags((layer->flags() & ~kLockedFlags) | QgsMapLayer::Private);
  if (auto* v = qobject_cast<QgsVectorLayer*>(layer)) {
    if (v->isEditable()) v->rollBack();  // an edit session of a confidential layer ends here
    v->setReadOnly(true);
  }
  if (QgsLayerTreeLayer* node = project_->layerTreeRoot()->findLayer(layer->id()))
    node->setItemVisibilityChecked(false);
}

void PresenterMode::enlargeLabels(QgsMapLayer* layer, double pointSize) {
  auto* v = qobject_cast<QgsVectorLayer*>(layer);
  if (!v) return;
  QgsPalLayerSettings settings;
  if (const auto* simple = dynamic_cast<const QgsVectorLayerSimpleLabeling*>(v->labeling());
      simple && v->labelsEnabled()) {
    settings = simple->settings();
  } else if (v->fields().indexOf(QStringLiteral("aantal")) >= 0) {
    settings.fieldName = QStringLiteral("aantal");  // the count of an aggregated layer
    if (v->fields().indexOf(QStringLiteral("niveau")) >= 0) {
      // Per buurt only: the wijk and gemeente rows lie on top of their buurten.
      settings.fieldName = QStringLiteral("if(\"niveau\" = 'buurt', \"aantal\", NULL)");
      settings.isExpression = true;
    }
  } else if (v->fields().indexOf(QStringLiteral("categorie")) >= 0 &&
             v->geometryType() != QgsWkbTypes::PointGeometry) {
    settings.fieldName = QStringLiteral("categorie");
  } else {
    return;  // masked points: no label, the symbol says enough
  }
  QgsTextFormat format = settings.format();
  if (format.size() < pointSize) {
    format.setSize(pointSize);
    format.setSizeUnit(QgsUnitTypes::RenderPoints);
  }
  QFont font = format.font();
  font.setBold(true);
  format.setFont(font);
  QgsTextBufferSettings buffer = format.buffer();
  buffer.setEnabled(true);
  buffer.setSize(1.5);
  buffer.setColor(Qt::white);
  format.setBuffer(buffer);
  settings.setFormat(format);
  settings.drawLabels = true;
  v->setLabeling(new QgsVectorLayerSimpleLabeling(settings));
  v->setLabelsEnabled(true);
  v->triggerRepaint();
}

void PresenterMode::keepLockedUnchecked(QgsLayerTreeNode* node) {
  if (!on_ || guard_ || !QgsLayerTree::isLayer(node)) return;
  auto* layerNode = QgsLayerTree::toLayer(node);
  if (!locked_.contains(layerNode->layerId()) || !layerNode->itemVisibilityChecked()) return;
  guard_ = true;
  layerNode->setItemVisibilityChecked(false);
  guard_ = false;
}

void PresenterMode::layersAddedWhileOn(const QList<QgsMapLayer*>& added) {
  if (!on_) return;
  StoreCache stores;
  for (QgsMapLayer* layer : added) {
    if (!layer) continue;
    const layers::ProjectLayer described = describe(project_, layer, stores);
    const auto steps = layers::publicFace(std::span(&described, 1), [&](const std::string& table) {
      StoreLayerRef ref = storeLayerOf(layer);
      ref.table = QString::fromStdString(table);
      return stores.sensitivity(ref);
    });
    if (!steps.front().locked) continue;
    saveLayer(layer);
    lockLayer(layer);
  }
}

PresenterReport PresenterMode::switchOn(const PresenterOptions& options) {
  PresenterReport report;
  if (on_ || !project_) return report;

  // Save the whole tree's check state and every layer's flags, read-only state and labeling.
  savedChecks_.clear();
  savedLayers_.clear();
  locked_.clear();
  QgsLayerTreeGroup* root = project_->layerTreeRoot();
  const std::function<void(QgsLayerTreeNode*)> saveNode = [&](QgsLayerTreeNode* node) {
    savedChecks_.emplace_back(node, node->itemVisibilityChecked());
    for (QgsLayerTreeNode* child : node->children()) saveNode(child);
  };
  saveNode(root);

  StoreCache stores;
  std::vector<QgsMapLayer*> mapLayers;
  std::vector<layers::ProjectLayer> described;
  for (QgsMapLayer* layer : project_->mapLayers()) {
    mapLayers.push_back(layer);
    described.push_back(describe(project_, layer, stores));
    saveLayer(layer);
  }
  // One layer at a time, so that each answer comes from that layer's own store (two stores in
  // one project may hold tables of the same name).
  std::vector<layers::PresenterStep> steps;
  for (std::size_t i = 0; i < mapLayers.size(); ++i) {
    const StoreLayerRef ref = storeLayerOf(mapLayers[i]);
    const auto one = layers::publicFace(
        std::span(&described[i], 1), [&](const std::string&) { return stores.sensitivity(ref); });
    steps.push_back(one.front());
  }

  on_ = true;
  QStringList hiddenIds;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    QgsMapLayer* layer = mapLayers[i];
    if (steps[i].locked) {
      lockLayer(layer);
      report.hidden << layer->name();
      hiddenIds << layer->id();
      continue;
    }
    QgsLayerTreeLayer* node = root->findLayer(layer->id());
    if (steps[i].visible && node) {
      node->setItemVisibilityCheckedParentRecursive(true);
      if (described[i].storeLayer.rfind("openbaar_", 0) == 0) {
        enlargeLabels(layer, options.labelPointSize);
        report.shown << layer->name();
      }
    }
  }
  report.hidden.sort();
  report.shown.sort();

  connections_ << connect(root, &QgsLayerTreeNode::visibilityChanged, this,
                          &PresenterMode::keepLockedUnchecked);
  connections_ << connect(
      root, &QgsLayerTreeNode::addedChildren, this,
      [this](QgsLayerTreeNode* parent, int from, int to) {
        for (int i = from; i <= to && i < parent->children().size(); ++i)
          for (QgsLayerTreeLayer* l :
               QgsLayerTree::isLayer(parent->children()[i])
                   ? QList<QgsLayerTreeLayer*>{QgsLayerTree::toLayer(parent->children()[i])}
                   : QgsLayerTree::toGroup(parent->children()[i])->findLayers())
            keepLockedUnchecked(l);
      });
  connections_ << connect(project_, &QgsProject::layersAdded, this,
                          &PresenterMode::layersAddedWhileOn);

  if (options.canvas) {
    auto* label = new QLabel(options.canvas);
    label->setObjectName(QStringLiteral("veldwachtPresenterTitle"));
    label->setTextFormat(Qt::RichText);
    label->setText(overlayText(options));
    label->setStyleSheet(QStringLiteral(
        "QLabel { background: rgba(255,255,255,225); color: #1a1a1a; padding: 10px 16px; "
        "border: 1px solid #888; border-radius: 4px; }"));
    label->setAttribute(Qt::WA_TransparentForMouseEvents);
    label->setWordWrap(true);
    label->setMaximumWidth(std::max(200, options.canvas->width() - 32));
    label->adjustSize();
    // Bottom left: the top of the canvas is where QGIS's message bar appears.
    label->move(16, std::max(16, options.canvas->height() - label->height() - 16));
    label->show();
    label->raise();
    overlay_ = label;
  }

  const PresenterReport audited = audit(true, hiddenIds);
  report.audited = audited.audited;
  report.auditErrors = audited.auditErrors;
  emit switched(true);
  return report;
}

PresenterReport PresenterMode::switchOff() {
  PresenterReport report;
  if (!on_) return report;
  for (const QMetaObject::Connection& c : connections_) disconnect(c);
  connections_.clear();
  on_ = false;

  const QStringList hiddenIds = lockedLayerIds();
  for (const SavedLayer& saved : savedLayers_) {
    QgsMapLayer* layer = project_->mapLayer(saved.id);
    if (!layer) continue;  // removed meanwhile (a public layer: locked ones are not removable)
    layer->setFlags(saved.flags);
    if (auto* v = qobject_cast<QgsVectorLayer*>(layer)) {
      v->setReadOnly(saved.readOnly);
      v->setLabeling(saved.labeling ? saved.labeling->clone() : nullptr);
      v->setLabelsEnabled(saved.labelsEnabled);
      v->triggerRepaint();
    }
    if (locked_.contains(saved.id)) report.shown << layer->name();
  }
  // Parents before children, as saved: a parent's setItemVisibilityChecked does not touch its
  // children, so each node gets exactly its old state.
  for (const auto& [node, checked] : savedChecks_)
    if (node) node->setItemVisibilityChecked(checked);
  locked_.clear();
  savedLayers_.clear();
  savedChecks_.clear();
  delete overlay_.data();

  const PresenterReport audited = audit(false, hiddenIds);
  report.audited = audited.audited;
  report.auditErrors = audited.auditErrors;
  report.shown.sort();
  emit switched(false);
  return report;
}

PresenterReport PresenterMode::audit(bool toPublic, const QStringList& hiddenIds) {
  PresenterReport report;
  // Per store: its layers in the project and what the switch did with them.
  std::map<QString,
           std::pair<std::vector<layers::ProjectLayer>, std::vector<layers::PresenterStep>>>
      perStore;
  StoreCache stores;
  for (QgsMapLayer* layer : project_->mapLayers()) {
    const StoreLayerRef ref = storeLayerOf(layer);
    if (ref.table.isEmpty() || !stores.get(ref.path)) continue;
    const bool locked = hiddenIds.contains(layer->id());
    auto& [described, steps] = perStore[ref.path];
    described.push_back({layer->id().toStdString(), ref.table.toStdString(), false, false});
    steps.push_back({layer->id().toStdString(), !locked, toPublic && locked});
  }
  const std::string projectName = project_->fileName().isEmpty()
                                      ? std::string("(niet opgeslagen project)")
                                      : project_->fileName().toStdString();
  for (const auto& [path, entry] : perStore) {
    try {
      auto store = layers::openStore(path.toStdString(), true);
      layers::recordPresenterSwitch(*store, toPublic, projectName, entry.first, entry.second);
      report.audited << withoutPassword(path);
    } catch (const std::exception& e) {
      report.auditErrors << QStringLiteral("%1: %2").arg(withoutPassword(path),
                                                         QString::fromUtf8(e.what()));
    }
  }
  return report;
}

// ---- SaveMapGuard ----------------------------------------------------------------------

SaveMapGuard::SaveMapGuard(QgsProject* project, PresenterMode* presenter, QgsMapCanvas* canvas,
                           QgsMessageBar* bar, QObject* parent)
    : QObject(parent), project_(project), presenter_(presenter), canvas_(canvas), bar_(bar) {}

SaveMapGuard::~SaveMapGuard() { release(); }

QAction* SaveMapGuard::guard(QAction* original, const QString& what) {
  if (!original) return nullptr;
  for (const Guarded& g : guarded_)
    if (g.original == original) return g.guard;
  Guarded g;
  g.original = original;
  g.what = what;
  g.guard = new QAction(original->icon(), original->text(), this);
  g.guard->setObjectName(original->objectName() + QStringLiteral("VeldwachtGuard"));
  g.guard->setToolTip(original->toolTip());
  g.guard->setStatusTip(original->statusTip());
  g.guard->setWhatsThis(original->whatsThis());
  // The shortcut moves to the guard (two actions with one shortcut would both be ambiguous).
  g.shortcut = original->shortcut();
  original->setShortcut(QKeySequence());
  g.guard->setShortcut(g.shortcut);
  for (QWidget* w : original->associatedWidgets()) {
    w->insertAction(original, g.guard);
    w->removeAction(original);
    g.places << w;
  }
  const int index = int(guarded_.size());
  connect(g.guard, &QAction::triggered, this, [this, index] { attempt(index); });
  guarded_.push_back(std::move(g));
  return guarded_.back().guard;
}

void SaveMapGuard::release() {
  for (Guarded& g : guarded_) {
    for (const QPointer<QWidget>& w : g.places) {
      if (!w) continue;
      if (g.original) w->insertAction(g.guard, g.original);
      w->removeAction(g.guard);
    }
    if (g.original) g.original->setShortcut(g.shortcut);
    delete g.guard;
  }
  guarded_.clear();
}

QList<QAction*> SaveMapGuard::guards() const {
  QList<QAction*> out;
  for (const Guarded& g : guarded_) out << g.guard;
  return out;
}

QStringList SaveMapGuard::confidentialOnCanvas() const {
  QStringList out;
  if (!canvas_) return out;
  StoreCache stores;
  for (QgsMapLayer* layer : canvas_->layers())
    if (layer && !isPublic(layer, stores)) out << layer->name();
  out.sort();
  return out;
}

QString SaveMapGuard::refusal() const {
  if (presenter_ && presenter_->isOn())
    return tr(
        "presenter mode is on: the public face goes out through the Kennissessie export "
        "(Veldwacht menu), which checks and records it");
  return {};
}

void SaveMapGuard::attempt(int index) {
  if (index < 0 || index >= int(guarded_.size())) return;
  const Guarded& g = guarded_[std::size_t(index)];
  const QString reason = refusal();
  const bool refused = !reason.isEmpty();
  // Outside presenter mode an analyst may save a map of confidential layers for internal use:
  // allowed, but recorded as a confidential export and said so.
  const QStringList secret = refused ? QStringList() : confidentialOnCanvas();
  const QStringList errors = audit(g.what, refused, reason, secret);
  if (!refused && !secret.isEmpty() && bar_)
    bar_->pushWarning(tr("Veldwacht"),
                      tr("the saved map shows confidential layers (%1): it is confidential, "
                         "do not show it in public; recorded in the audit log")
                          .arg(secret.join(QStringLiteral(", "))));
  if (refused) {
    if (bar_)
      bar_->pushCritical(
          tr("Veldwacht"),
          tr("%1 refused: %2")
              .arg(g.original ? g.original->text().remove(QLatin1Char('&')) : g.what, reason));
  } else if (g.original) {
    g.original->trigger();  // QGIS's own dialog
  }
  if (!errors.isEmpty() && bar_)
    bar_->pushWarning(
        tr("Veldwacht"),
        tr("not recorded in the audit log: %1").arg(errors.join(QStringLiteral("; "))));
  emit attempted(g.what, refused, reason);
}

QStringList SaveMapGuard::audit(const QString& what, bool refused, const QString& reason,
                                const QStringList& confidential) {
  QStringList errors;
  if (!project_) return errors;
  // Per store of the project: the layers of that store the canvas draws now.
  std::map<QString, QStringList> drawn;
  StoreCache stores;
  for (QgsMapLayer* layer : project_->mapLayers()) {
    const StoreLayerRef ref = PresenterMode::storeLayerOf(layer);
    if (ref.table.isEmpty() || !stores.get(ref.path)) continue;
    QStringList& tables = drawn[ref.path];
    if (canvas_ && canvas_->layers().contains(layer) && !tables.contains(ref.table))
      tables << ref.table;
  }
  for (auto& [path, tables] : drawn) {
    tables.sort();
    try {
      auto store = layers::openStore(path.toStdString(), true);
      layers::recordAudit(
          *store,
          {.action = "export",
           .layer = tables.isEmpty() ? std::string("(kaartbeeld)")
                                     : tables.join(QLatin1Char(',')).toStdString(),
           .destination = "QGIS: " + what.toStdString(),
           .sensitivity = confidential.isEmpty() ? layers::Sensitivity::Public
                                                 : layers::Sensitivity::Confidential,
           .outcome = refused ? "geweigerd" : "uitgevoerd",
           .remark =
               refused ? reason.toStdString()
               : confidential.isEmpty()
                   ? std::string("toegestaan; het bestand wordt in de dialoog van QGIS gekozen")
                   : "toegestaan als vertrouwelijk (toont " +
                         confidential.join(QStringLiteral(", ")).toStdString() +
                         "); het bestand wordt in de dialoog van QGIS gekozen"});
    } catch (const std::exception& e) {
      errors << QStringLiteral("%1: %2").arg(withoutPassword(path), QString::fromUtf8(e.what()));
    }
  }
  return errors;
}

}  // namespace veldwacht::plugin
