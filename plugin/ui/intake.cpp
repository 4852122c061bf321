#include "plugin/json_compat.h"  // before any Qt or QGIS header

#include "plugin/ui/intake.h"

#include <qgscollapsiblegroupbox.h>
#include <qgscoordinatetransform.h>
#include <qgsexception.h>
#include <qgsmapcanvas.h>
#include <qgsmaptoolemitpoint.h>
#include <qgsmessagebar.h>
#include <qgsproject.h>
#include <qgsvectordataprovider.h>
#include <qgsvectorlayer.h>
#include <qgsvertexmarker.h>

#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QToolButton>
#include <QVBoxLayout>

#include <string>

#include "layers/pgstore/backend.h"
#include "layers/schema/schema.h"
#include "layers/store/store.h"

namespace veldwacht::ui {

namespace {

QString iso(const QDateTime& t) { return t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")); }

/// The value of an editable combo box: the item's data when the text is one of its items, else
/// the text as typed (the store then judges it).
std::string comboValue(const QComboBox* box) {
  const QString text = box->currentText().trimmed();
  const int i = box->findText(text);
  const QString value =
      i >= 0 && !box->itemData(i).toString().isEmpty() ? box->itemData(i).toString() : text;
  return value.toStdString();
}

QDateTime wholeMinute(const QDateTime& t) {
  QDateTime out = t;
  out.setTime(QTime(t.time().hour(), t.time().minute()));
  return out;
}

}  // namespace

IntakePanel::IntakePanel(QgsMapCanvas* canvas, QgsMessageBar* bar, QWidget* parent)
    : QWidget(parent), canvas_(canvas), bar_(bar) {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  auto* box = new QgsCollapsibleGroupBoxBasic(tr("Intake of a report"), this);
  box->setCollapsed(true);
  box->setObjectName(QStringLiteral("intakeGroup"));
  outer->addWidget(box);
  auto* form = new QFormLayout(box);

  auto* storeRow = new QHBoxLayout();
  store_ = new QLineEdit(box);
  store_->setObjectName(QStringLiteral("intakeStore"));
  store_->setPlaceholderText(tr("Veldwacht store (.gpkg, postgresql://… or a connection)"));
  auto* browse = new QToolButton(box);
  browse->setText(QStringLiteral("…"));
  storeRow->addWidget(store_, 1);
  storeRow->addWidget(browse);
  form->addRow(tr("Store"), storeRow);

  auto* placeRow = new QHBoxLayout();
  pick_ = new QPushButton(tr("Click on the map"), box);
  pick_->setObjectName(QStringLiteral("intakePick"));
  pick_->setCheckable(true);
  pick_->setEnabled(canvas_ != nullptr);
  pointLabel_ = new QLabel(tr("no place yet"), box);
  pointLabel_->setObjectName(QStringLiteral("intakePoint"));
  placeRow->addWidget(pick_);
  placeRow->addWidget(pointLabel_, 1);
  form->addRow(tr("Place"), placeRow);

  category_ = new QComboBox(box);
  category_->setObjectName(QStringLiteral("intakeCategory"));
  category_->setEditable(true);
  category_->setToolTip(tr("A category of the store, or a word for it (e.g. hennepkwekerij)"));
  form->addRow(tr("Category"), category_);

  observed_ = new QDateTimeEdit(wholeMinute(QDateTime::currentDateTime()), box);
  observed_->setObjectName(QStringLiteral("intakeObserved"));
  observed_->setCalendarPopup(true);
  observed_->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
  form->addRow(tr("Observed at"), observed_);

  evening_ = new QDateTimeEdit(wholeMinute(QDateTime::currentDateTime()), box);
  evening_->setObjectName(QStringLiteral("intakeEvening"));
  evening_->setCalendarPopup(true);
  evening_->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
  evening_->setToolTip(tr("When it was reported: the evening (gemeld_op)"));
  form->addRow(tr("Reported at (evening)"), evening_);

  // The allowed values come from the schema (the store's own rule), not from a list here.
  const layers::LayerDef& signalen = layers::layerDef("signalen");
  brontype_ = new QComboBox(box);
  brontype_->setObjectName(QStringLiteral("intakeSourceType"));
  brontype_->setEditable(true);
  for (const std::string& v : signalen.field("brontype")->allowed) {
    const QString s = QString::fromStdString(v);
    brontype_->addItem(s, s);
  }
  const int ondernemer = brontype_->findData(QStringLiteral("ondernemer"));
  brontype_->setCurrentIndex(ondernemer);
  form->addRow(tr("Source type"), brontype_);

  reliability_ = new QComboBox(box);
  reliability_->setObjectName(QStringLiteral("intakeReliability"));
  reliability_->setEditable(true);
  reliability_->addItem(QString(), QString());  // not given
  const QStringList words = {tr("reliable"), tr("usually reliable"), tr("not always reliable"),
                             tr("unknown")};
  int w = 0;
  for (const std::string& v : signalen.field("betrouwbaarheid")->allowed) {
    const QString s = QString::fromStdString(v);
    reliability_->addItem(w < words.size() ? s + QStringLiteral(" — ") + words[w] : s, s);
    ++w;
  }
  form->addRow(tr("Reliability"), reliability_);

  precision_ = new QDoubleSpinBox(box);
  precision_->setObjectName(QStringLiteral("intakePrecision"));
  precision_->setRange(0, 100000);
  precision_->setDecimals(0);
  precision_->setSuffix(QStringLiteral(" m"));
  precision_->setSpecialValueText(tr("unknown"));
  form->addRow(tr("Place within"), precision_);

  description_ = new QPlainTextEdit(box);
  description_->setObjectName(QStringLiteral("intakeDescription"));
  description_->setMaximumHeight(80);
  form->addRow(tr("Description"), description_);

  save_ = new QPushButton(tr("Save the report"), box);
  save_->setObjectName(QStringLiteral("intakeSave"));
  form->addRow(save_);
  status_ = new QLabel(box);
  status_->setObjectName(QStringLiteral("intakeStatus"));
  status_->setWordWrap(true);
  form->addRow(status_);

  if (canvas_) {
    tool_ = new QgsMapToolEmitPoint(canvas_.data());
    tool_->setObjectName(QStringLiteral("intakeMapTool"));
    connect(tool_.data(), &QgsMapToolEmitPoint::canvasClicked, this,
            [this](const QgsPointXY& p, Qt::MouseButton button) {
              if (button != Qt::LeftButton) return;
              setPoint(p, canvas_->mapSettings().destinationCrs());
              pick(false);
            });
    connect(tool_.data(), &QgsMapTool::deactivated, this, [this] {
      const QSignalBlocker block(pick_);
      pick_->setChecked(false);
    });
  }
  connect(pick_, &QPushButton::toggled, this, &IntakePanel::pick);
  connect(save_, &QPushButton::clicked, this, &IntakePanel::submit);
  connect(browse, &QToolButton::clicked, this, &IntakePanel::browse);
  connect(store_, &QLineEdit::editingFinished, this, [this] {
    if (category_->property("store").toString() != store_->text()) setStore(store_->text());
  });
  connect(QgsProject::instance(), &QgsProject::layersAdded, this, &IntakePanel::projectLayersAdded);
}

IntakePanel::~IntakePanel() {
  if (!canvas_) return;  // the canvas took its tool and its scene's marker with it
  if (tool_ && canvas_->mapTool() == tool_.data()) canvas_->unsetMapTool(tool_.data());
  delete tool_.data();
  delete marker_;
}

void IntakePanel::browse() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Veldwacht store to write into"),
                                                    store_->text(), tr("Veldwacht store (*.gpkg)"));
  if (!path.isEmpty()) setStore(path);
}

bool IntakePanel::setStore(const QString& path) {
  if (path.trimmed().isEmpty()) {
    store_->clear();
    source_.reset();
    category_->setProperty("store", QString());
    category_->clear();
    return false;
  }
  try {
    return useStore(plugin::resolveStoreSource(path));
  } catch (const std::exception& e) {
    store_->setText(path);
    source_.reset();
    category_->setProperty("store", path);
    category_->clear();
    status_->setText(tr("%1 is not a Veldwacht store: %2")
                         .arg(plugin::withoutPassword(path), QString::fromUtf8(e.what())));
    return false;
  }
}

bool IntakePanel::useStore(const plugin::StoreSource& source) {
  // The field shows what was given (a database without its password); the source keeps the
  // connection a login needs.
  const QString shown = source.database ? plugin::withoutPassword(source.given) : source.given;
  store_->setText(shown);
  category_->setProperty("store", shown);
  source_ = source;
  const QString typed = category_->currentText();
  category_->clear();
  try {
    auto store = layers::openStore(source.store.toStdString(), false);
    for (const auto& [code, naam] : layers::signalCategories(*store)) {
      const QString c = QString::fromStdString(code);
      category_->addItem(
          naam.empty() ? c : c + QStringLiteral(" — ") + QString::fromStdString(naam), c);
    }
  } catch (const std::exception& e) {
    status_->setText(
        tr("%1 is not a Veldwacht store: %2").arg(source.shown, QString::fromUtf8(e.what())));
    source_.reset();
    return false;
  }
  category_->setCurrentIndex(-1);
  category_->setEditText(typed);
  status_->clear();
  return true;
}

void IntakePanel::projectLayersAdded() {
  if (!store_->text().isEmpty()) return;
  // The store of the first signalen layer in the project (Open a store…), a GeoPackage or a
  // PostGIS database.
  const auto layers = QgsProject::instance()->mapLayers();
  for (QgsMapLayer* l : layers) {
    const std::optional<plugin::LayerStore> s = plugin::storeOfLayer(l);
    if (s && s->table == QLatin1String("signalen") && useStore(s->source)) return;
  }
}

bool IntakePanel::setPoint(const QgsPointXY& point, const QgsCoordinateReferenceSystem& crs) {
  const QgsCoordinateReferenceSystem rd(QStringLiteral("EPSG:28992"));
  if (!crs.isValid()) {
    message(false, tr("The map has no valid CRS: the place cannot be transformed to EPSG:28992"));
    return false;
  }
  QgsPointXY p = point;
  transformation_.clear();
  if (crs != rd) {
    try {
      const QgsCoordinateTransform transform(crs, rd, QgsProject::instance()->transformContext());
      p = transform.transform(point);
      transformation_ = tr("QGIS %1 -> EPSG:28992").arg(crs.authid());
    } catch (const QgsCsException& e) {
      message(false, tr("The place cannot be transformed to EPSG:28992: %1").arg(e.what()));
      return false;
    }
  }
  point_ = p;
  pointCrs_ = crs.authid().isEmpty() ? crs.description() : crs.authid();
  if (canvas_) {
    if (!marker_) {
      marker_ = new QgsVertexMarker(canvas_.data());
      marker_->setIconType(QgsVertexMarker::ICON_CROSS);
      marker_->setIconSize(18);
      marker_->setPenWidth(3);
      marker_->setColor(QColor(220, 30, 30));
    }
    marker_->setCenter(point);  // in the canvas's CRS
    marker_->show();
  }
  showPoint();
  return true;
}

void IntakePanel::clearPoint() {
  point_.reset();
  transformation_.clear();
  if (marker_) marker_->hide();
  showPoint();
}

void IntakePanel::showPoint() {
  pointLabel_->setText(point_ ? QStringLiteral("%1, %2 (EPSG:28992)")
                                    .arg(point_->x(), 0, 'f', 1)
                                    .arg(point_->y(), 0, 'f', 1)
                              : tr("no place yet"));
}

void IntakePanel::pick(bool on) {
  if (!canvas_ || !tool_) return;
  {
    const QSignalBlocker block(pick_);
    pick_->setChecked(on);
  }
  if (on) {
    if (canvas_->mapTool() != tool_.data()) previousTool_ = canvas_->mapTool();
    canvas_->setMapTool(tool_.data());
  } else if (canvas_->mapTool() == tool_.data()) {
    if (previousTool_)
      canvas_->setMapTool(previousTool_.data());
    else
      canvas_->unsetMapTool(tool_.data());
  }
}

layers::IntakeEntry IntakePanel::entry() const {
  layers::IntakeEntry e;
  if (point_) {
    e.x = point_->x();
    e.y = point_->y();
  }
  e.categorie = comboValue(category_);
  e.brontype = comboValue(brontype_);
  e.betrouwbaarheid = comboValue(reliability_);
  e.waargenomenVan = iso(observed_->dateTime()).toStdString();
  e.gemeldOp = iso(evening_->dateTime()).toStdString();
  e.omschrijving = description_->toPlainText().toStdString();
  e.locatiePrecisieM = precision_->value();
  e.sourceCrs = pointCrs_.toStdString();
  e.transformation = transformation_.toStdString();
  return e;
}

bool IntakePanel::submit() {
  const QString path = store_->text().trimmed();
  if (path.isEmpty()) {
    message(false, tr("Choose the store to write into first"));
    return false;
  }
  try {
    // The store the field names: resolved again when it was typed over.
    if (!source_ || category_->property("store").toString() != store_->text())
      source_ = plugin::resolveStoreSource(path);
    const plugin::StoreSource source = *source_;
    auto store = layers::openStore(source.store.toStdString(), true);
    const layers::IntakeResult r = layers::enterSignal(*store, entry());
    store.reset();  // closed before QGIS reloads the layers
    const QString id = QString::fromStdString(r.signaalId);
    QString text = tr("Report %1 saved in %2 (status nieuw)")
                       .arg(id, source.database ? source.shown : QFileInfo(path).fileName());
    if (!r.translated.empty()) {
      QStringList t;
      for (const std::string& s : r.translated) t << QString::fromStdString(s);
      text += QStringLiteral("; ") + t.join(QStringLiteral(", "));
    }
    message(true, text);
    description_->clear();
    clearPoint();
    reloadSignalLayers();
    emit signalEntered(id, source.database ? source.shown : path);
    return true;
  } catch (const layers::ValidationError& e) {
    QStringList problems;
    for (const layers::Problem& p : e.problems()) {
      const QString field = QString::fromStdString(p.where.field);
      problems << (field.isEmpty() ? QString() : tr("field '%1': ").arg(field)) +
                      QString::fromStdString(p.message);
    }
    message(false, tr("Not saved: %1").arg(problems.join(QStringLiteral("; "))));
  } catch (const std::exception& e) {
    message(false, tr("Not saved: %1").arg(QString::fromUtf8(e.what())));
  }
  return false;
}

void IntakePanel::message(bool ok, const QString& text) {
  status_->setText(text);
  if (!bar_) return;
  if (ok)
    bar_->pushSuccess(tr("Veldwacht intake"), text);
  else
    bar_->pushCritical(tr("Veldwacht intake"), text);
}

void IntakePanel::reloadSignalLayers() {
  if (!source_) return;
  const auto layers = QgsProject::instance()->mapLayers();
  for (QgsMapLayer* l : layers) {
    const std::optional<plugin::LayerStore> s = plugin::storeOfLayer(l);
    if (!s || s->table != QLatin1String("signalen") || !plugin::sameStore(s->source, *source_))
      continue;
    if (auto* v = qobject_cast<QgsVectorLayer*>(l)) {
      v->dataProvider()->reloadData();
      v->triggerRepaint();
    }
  }
}

}  // namespace veldwacht::ui
