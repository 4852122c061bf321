// Presenter mode inside QGIS, offscreen: a store built in code (tests/layers/privacy/fixtures.h)
// with its public layers, opened the way the plugin opens a store; the switch hides and locks
// every confidential or unknown layer, shows the public ones with large labels, keeps locked
// layers unchecked, is audited in the store, and switching back restores the exact state. Also
// the print refusal's check of a layout and the temporal properties of signalen.
#include "plugin/json_compat.h"  // before any QGIS header

#include <gtest/gtest.h>

#include <qgslayertree.h>
#include <qgslayertreegroup.h>
#include <qgslayertreelayer.h>
#include <qgslayoutitemmap.h>
#include <qgspallabeling.h>
#include <qgsprintlayout.h>
#include <qgsproject.h>
#include <qgsprojecttimesettings.h>
#include <qgsvectorlayer.h>
#include <qgsvectorlayerlabeling.h>
#include <qgsvectorlayertemporalproperties.h>

#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QProcess>
#include <QRegularExpression>
#include <QWidget>

#include <map>
#include <memory>

#include "layers/privacy/audit.h"
#include "layers/privacy/public_layers.h"
#include "plugin/ui/kennissessie.h"
#include "plugin/ui/presenter.h"
#include "plugin/ui/temporal.h"
#include "plugin/veldwachtplugin.h"
#include "qgis_environment.h"
#include "tests/layers/privacy/fixtures.h"

using namespace veldwacht;
using veldwacht::plugin::PresenterMode;
using veldwacht::plugin::PresenterOptions;
using veldwacht::plugin::testing::QgisEnvironment;

[[maybe_unused]] static auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new QgisEnvironment);

namespace {

/// What presenter mode may change of one layer.
struct LayerState {
  bool checked = false;
  QgsMapLayer::LayerFlags flags;
  bool readOnly = false;
  bool labelsEnabled = false;
  double labelSize = -1;  ///< of a simple labeling, -1 = none
  bool operator==(const LayerState&) const = default;
};

struct ProjectState {
  std::map<QString, LayerState> layers;  ///< by layer id
  std::map<QString, bool> groups;        ///< group name -> checked
  bool operator==(const ProjectState&) const = default;
};

ProjectState stateOf(QgsProject* project) {
  ProjectState s;
  for (QgsMapLayer* layer : project->mapLayers()) {
    LayerState l;
    const QgsLayerTreeLayer* node = project->layerTreeRoot()->findLayer(layer->id());
    l.checked = node && node->itemVisibilityChecked();
    l.flags = layer->flags();
    if (auto* v = qobject_cast<QgsVectorLayer*>(layer)) {
      l.readOnly = v->readOnly();
      l.labelsEnabled = v->labelsEnabled();
      if (const auto* simple = dynamic_cast<const QgsVectorLayerSimpleLabeling*>(v->labeling()))
        l.labelSize = simple->settings().format().size();
    }
    s.layers[layer->id()] = l;
  }
  for (QgsLayerTreeGroup* g : project->layerTreeRoot()->findGroups())
    s.groups[g->name()] = g->itemVisibilityChecked();
  return s;
}

/// The project layer reading store table `table`.
QgsVectorLayer* layerOf(QgsProject* project, const QString& table) {
  for (QgsMapLayer* layer : project->mapLayers())
    if (PresenterMode::storeLayerOf(layer).table == table)
      return qobject_cast<QgsVectorLayer*>(layer);
  return nullptr;
}

bool checked(QgsProject* project, const QgsMapLayer* layer) {
  const QgsLayerTreeLayer* node = project->layerTreeRoot()->findLayer(layer->id());
  return node && node->itemVisibilityChecked();
}

bool isLocked(const QgsVectorLayer* layer) {
  return !(layer->flags() & QgsMapLayer::Identifiable) &&
         !(layer->flags() & QgsMapLayer::Removable) &&
         !(layer->flags() & QgsMapLayer::Searchable) && (layer->flags() & QgsMapLayer::Private) &&
         layer->readOnly();
}

/// A store with signals, addresses, buurten and its public layers, opened into the project,
/// plus a memory layer of addresses (unknown data) and a marked basemap.
class PresenterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    project_ = QgsProject::instance();
    project_->clear();
    {
      auto store = layers::testing::privacyStore(dir_);
      layers::PublicLayersOptions o;
      o.seed = 42;
      layers::buildPublicLayers(*store, o);
    }
    path_ = QString::fromStdString(dir_.file("t.gpkg"));
    QString error;
    ASSERT_GT(plugin::VeldwachtPlugin::addStoreToProject(path_, &error), 4) << error.toStdString();

    unknown_ = new QgsVectorLayer(QStringLiteral("Point?crs=EPSG:28992&field=adres:string"),
                                  QStringLiteral("adressen.csv"), QStringLiteral("memory"));
    project_->addMapLayer(unknown_);
    basemap_ = new QgsVectorLayer(QStringLiteral("Polygon?crs=EPSG:28992"),
                                  QStringLiteral("achtergrond"), QStringLiteral("memory"));
    basemap_->setCustomProperty(QStringLiteral("veldwacht/basemap"), true);
    project_->addMapLayer(basemap_);

    signalen_ = layerOf(project_, QStringLiteral("signalen"));
    adressen_ = layerOf(project_, QStringLiteral("verblijfsobjecten"));
    gebied_ = layerOf(project_, QStringLiteral("openbaar_signalen_per_gebied"));
    gemaskeerd_ = layerOf(project_, QStringLiteral("openbaar_signalen_gemaskeerd"));
    ASSERT_TRUE(signalen_ && adressen_ && gebied_ && gemaskeerd_);
    // The working face: raw signals shown, the public layers off in an unchecked group.
    project_->layerTreeRoot()->findLayer(signalen_->id())->setItemVisibilityChecked(true);
    project_->layerTreeRoot()->findLayer(gebied_->id())->setItemVisibilityChecked(false);
    project_->layerTreeRoot()->findLayer(gebied_->id())->parent()->setItemVisibilityChecked(false);
  }

  void TearDown() override { project_->clear(); }

  std::vector<layers::AuditEntry> auditRows(const std::string& action) {
    auto store = layers::Store::open(path_.toStdString(), false);
    std::vector<layers::AuditEntry> out;
    for (auto& e : layers::readAudit(*store))
      if (e.action == action) out.push_back(e);
    return out;
  }
  std::vector<layers::AuditEntry> presenterAudit() { return auditRows("presentatie"); }

  layers::testing::TempDir dir_;
  QgsProject* project_ = nullptr;
  QString path_;
  QgsVectorLayer* unknown_ = nullptr;
  QgsVectorLayer* basemap_ = nullptr;
  QgsVectorLayer* signalen_ = nullptr;
  QgsVectorLayer* adressen_ = nullptr;
  QgsVectorLayer* gebied_ = nullptr;
  QgsVectorLayer* gemaskeerd_ = nullptr;
};

}  // namespace

TEST_F(PresenterTest, PublicFaceHidesAndLocksConfidentialAndUnknownLayers) {
  PresenterMode presenter(project_);
  const auto report = presenter.switchOn();
  ASSERT_TRUE(presenter.isOn());
  for (QgsVectorLayer* layer : {signalen_, adressen_, unknown_}) {
    SCOPED_TRACE(layer->name().toStdString());
    EXPECT_FALSE(checked(project_, layer));
    EXPECT_TRUE(isLocked(layer));
    EXPECT_TRUE(presenter.lockedLayerIds().contains(layer->id()));
    EXPECT_TRUE(report.hidden.contains(layer->name()));
  }
  // The public layers are shown, their unchecked group too, so they really draw.
  for (QgsVectorLayer* layer : {gebied_, gemaskeerd_}) {
    SCOPED_TRACE(layer->name().toStdString());
    EXPECT_TRUE(project_->layerTreeRoot()->findLayer(layer->id())->isVisible());
    EXPECT_FALSE(isLocked(layer));
    EXPECT_TRUE(report.shown.contains(layer->name()));
  }
  // The basemap keeps its visibility and is not locked.
  EXPECT_TRUE(checked(project_, basemap_));
  EXPECT_TRUE(basemap_->flags() & QgsMapLayer::Identifiable);
  // Counts of the aggregated layer are labelled large.
  ASSERT_TRUE(gebied_->labelsEnabled());
  const auto* simple = dynamic_cast<const QgsVectorLayerSimpleLabeling*>(gebied_->labeling());
  ASSERT_NE(simple, nullptr);
  // The buurt counts only (the wijk and gemeente rows overlap them).
  EXPECT_TRUE(simple->settings().isExpression);
  EXPECT_TRUE(simple->settings().fieldName.contains(QStringLiteral("\"aantal\"")));
  EXPECT_TRUE(simple->settings().fieldName.contains(QStringLiteral("'buurt'")));
  EXPECT_GE(simple->settings().format().size(), 18.0);
}

TEST_F(PresenterTest, ALockedLayerStaysUncheckedAndNewLayersAreLocked) {
  PresenterMode presenter(project_);
  presenter.switchOn();
  project_->layerTreeRoot()->findLayer(signalen_->id())->setItemVisibilityChecked(true);
  EXPECT_FALSE(checked(project_, signalen_));

  auto* dragged = new QgsVectorLayer(QStringLiteral("Point?crs=EPSG:28992"),
                                     QStringLiteral("nog een csv"), QStringLiteral("memory"));
  project_->addMapLayer(dragged);
  EXPECT_FALSE(checked(project_, dragged));
  EXPECT_TRUE(isLocked(dragged));

  presenter.switchOff();
  EXPECT_FALSE(isLocked(dragged));
  EXPECT_TRUE(dragged->flags() & QgsMapLayer::Identifiable);
}

TEST_F(PresenterTest, SwitchingBackRestoresTheExactPreviousState) {
  // Give the addresses a label of their own and make one layer read-only beforehand.
  QgsPalLayerSettings own;
  own.fieldName = QStringLiteral("bag_id");
  QgsTextFormat format;
  format.setSize(7.5);
  own.setFormat(format);
  adressen_->setLabeling(new QgsVectorLayerSimpleLabeling(own));
  adressen_->setLabelsEnabled(true);
  gemaskeerd_->setReadOnly(true);
  const ProjectState before = stateOf(project_);

  PresenterMode presenter(project_);
  presenter.switchOn();
  ASSERT_NE(stateOf(project_), before);
  presenter.switchOff();
  EXPECT_FALSE(presenter.isOn());
  EXPECT_TRUE(presenter.lockedLayerIds().isEmpty());
  const ProjectState after = stateOf(project_);
  for (const auto& [id, state] : before.layers) {
    SCOPED_TRACE(id.toStdString());
    ASSERT_TRUE(after.layers.count(id));
    EXPECT_EQ(after.layers.at(id).checked, state.checked);
    EXPECT_EQ(int(after.layers.at(id).flags), int(state.flags));
    EXPECT_EQ(after.layers.at(id).readOnly, state.readOnly);
    EXPECT_EQ(after.layers.at(id).labelsEnabled, state.labelsEnabled);
    EXPECT_EQ(after.layers.at(id).labelSize, state.labelSize);
  }
  EXPECT_EQ(after.groups, before.groups);
  EXPECT_EQ(after, before);
}

TEST_F(PresenterTest, BothSwitchesAreAuditedInTheStore) {
  PresenterMode presenter(project_);
  const auto on = presenter.switchOn();
  EXPECT_TRUE(on.auditErrors.isEmpty()) << on.auditErrors.join(QStringLiteral("; ")).toStdString();
  EXPECT_EQ(on.audited, QStringList{path_});
  presenter.switchOff();
  const auto rows = presenterAudit();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].filter, "aan");
  EXPECT_EQ(rows[0].sensitivity, layers::Sensitivity::Public);
  // The remark names the store tables hidden; the unknown memory layer is not the store's.
  EXPECT_NE(rows[0].remark.find("signalen"), std::string::npos) << rows[0].remark;
  EXPECT_NE(rows[0].remark.find("verblijfsobjecten"), std::string::npos) << rows[0].remark;
  EXPECT_EQ(rows[0].remark.find("openbaar_"), std::string::npos) << rows[0].remark;
  EXPECT_EQ(rows[1].filter, "uit");
  EXPECT_EQ(rows[0].who, layers::currentOsUser());
}

TEST_F(PresenterTest, TheTitleBoxLiesOverTheCanvasWhileOn) {
  QWidget canvas;
  canvas.resize(800, 600);
  PresenterOptions options;
  options.title = QStringLiteral("Kennissessie Delfzijl");
  options.date = QDate(2026, 12, 5);
  options.canvas = &canvas;
  PresenterMode presenter(project_);
  presenter.switchOn(options);
  auto* box = canvas.findChild<QLabel*>(QStringLiteral("veldwachtPresenterTitle"));
  ASSERT_NE(box, nullptr);
  EXPECT_TRUE(box->text().contains(QStringLiteral("Kennissessie Delfzijl")));
  EXPECT_TRUE(box->text().contains(QStringLiteral("5-12-2026")));
  EXPECT_TRUE(box->text().contains(QStringLiteral("Bron:")));
  presenter.switchOff();
  EXPECT_EQ(canvas.findChild<QLabel*>(QStringLiteral("veldwachtPresenterTitle")), nullptr);
}

TEST_F(PresenterTest, ALayoutShowingAConfidentialLayerIsNamedForRefusal) {
  QgsPrintLayout layout(project_);
  layout.initializeDefaults();
  auto* map = new QgsLayoutItemMap(&layout);
  layout.addLayoutItem(map);
  map->setLayers({gebied_, gemaskeerd_, basemap_});
  map->setKeepLayerSet(true);
  EXPECT_TRUE(PresenterMode::confidentialLayoutLayers(&layout).isEmpty());

  map->setLayers({gebied_, signalen_, unknown_});
  const QStringList refused = PresenterMode::confidentialLayoutLayers(&layout);
  QStringList expected{unknown_->name(), signalen_->name()};
  expected.sort();
  EXPECT_EQ(refused, expected);

  // A map that follows the project shows what is checked: in presenter mode, nothing secret.
  map->setKeepLayerSet(false);
  map->setLayers({});
  PresenterMode presenter(project_);
  presenter.switchOn();
  EXPECT_TRUE(PresenterMode::confidentialLayoutLayers(&layout).isEmpty());
  presenter.switchOff();
  EXPECT_TRUE(PresenterMode::confidentialLayoutLayers(&layout).contains(signalen_->name()));
}

TEST_F(PresenterTest, OpeningAStoreMakesSignalsTemporal) {
  auto* props = qobject_cast<QgsVectorLayerTemporalProperties*>(signalen_->temporalProperties());
  ASSERT_NE(props, nullptr);
  EXPECT_TRUE(props->isActive());
  EXPECT_EQ(props->mode(), Qgis::VectorTemporalMode::FeatureDateTimeStartAndEndFromExpressions);
  EXPECT_EQ(props->startExpression(), QStringLiteral("\"waargenomen_van\""));
  // Every fixture signal was observed at 2024-05-01T10:00: the project's range starts there.
  const QgsDateTimeRange range = project_->timeSettings()->temporalRange();
  EXPECT_EQ(range.begin(), QDateTime(QDate(2024, 5, 1), QTime(10, 0)));
  EXPECT_FALSE(adressen_->temporalProperties()->isActive());
}

namespace {

QString run(const QString& program, const QStringList& args) {
  QProcess p;
  p.start(program, args);
  if (!p.waitForFinished(60000) || p.exitCode() != 0) return {};
  return QString::fromUtf8(p.readAllStandardOutput());
}

/// Pixels that are not (near) white: a rendered page has content, a failed one is blank.
int inkedPixels(const QImage& image) {
  int n = 0;
  for (int y = 0; y < image.height(); y += 4)
    for (int x = 0; x < image.width(); x += 4)
      if (qGray(image.pixel(x, y)) < 200) ++n;
  return n;
}

/// Pixels with a clear colour (map fills and charts; text and frames are grey).
int colouredPixels(const QImage& image) {
  int n = 0;
  for (int y = 0; y < image.height(); y += 4)
    for (int x = 0; x < image.width(); x += 4)
      if (QColor(image.pixel(x, y)).saturation() > 60) ++n;
  return n;
}

}  // namespace

TEST_F(PresenterTest, KennissessieWritesFourA4PagesAndSlidesOfPublicLayersOnly) {
  plugin::KennissessieOptions o;
  o.store = path_;
  o.pdf = QString::fromStdString(dir_.file("kennissessie.pdf"));
  o.slidesDir = QString::fromStdString(dir_.file("dias"));
  o.title = QStringLiteral("Kennissessie Testdorp");
  o.date = QDate(2026, 12, 5);
  const plugin::KennissessieResult r = plugin::exportKennissessie(project_, o);
  EXPECT_EQ(r.pages, 4);
  EXPECT_TRUE(r.layers.contains(QStringLiteral("openbaar_signalen_per_gebied")))
      << r.layers.join(QStringLiteral(", ")).toStdString();
  EXPECT_TRUE(r.layers.contains(QStringLiteral("openbaar_signalen_gemaskeerd")));
  for (const QString& secret : {QStringLiteral("signalen"), QStringLiteral("verblijfsobjecten")})
    EXPECT_FALSE(r.layers.contains(secret)) << secret.toStdString();

  const QString info = run(QStringLiteral("pdfinfo"), {o.pdf});
  ASSERT_FALSE(info.isEmpty()) << "pdfinfo failed on " << o.pdf.toStdString();
  EXPECT_TRUE(info.contains(QRegularExpression(QStringLiteral("Pages:\\s+4\\b"))))
      << info.toStdString();
  EXPECT_TRUE(info.contains(QStringLiteral("(A4)"))) << info.toStdString();
  // One line per label, however pdftotext breaks it.
  const QString text = run(QStringLiteral("pdftotext"), {o.pdf, QStringLiteral("-")}).simplified();
  for (const QString& title : plugin::kennissessiePageTitles())
    EXPECT_TRUE(text.contains(title)) << title.toStdString();
  EXPECT_TRUE(text.contains(QStringLiteral("Kennissessie Testdorp")));
  EXPECT_TRUE(text.contains(QStringLiteral("5-12-2026")));

  ASSERT_EQ(r.slides.size(), 4);
  for (const QString& slide : r.slides) {
    SCOPED_TRACE(slide.toStdString());
    const QImage image(slide);
    EXPECT_EQ(image.size(), QSize(1920, 1080));
    EXPECT_GT(inkedPixels(image), 500);
  }
  // The overview's map is drawn (coloured buurten), not just its frame and legend.
  EXPECT_GT(colouredPixels(QImage(r.slides[0])), 2000);
  const auto rows = auditRows("print");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].outcome, "uitgevoerd");
  EXPECT_EQ(rows[0].destination, o.pdf.toStdString());
  EXPECT_EQ(rows[0].sensitivity, layers::Sensitivity::Public);
}

TEST_F(PresenterTest, KennissessieWithoutPublicLayersIsRefusedAndAudited) {
  project_->removeMapLayers(QStringList{gebied_->id(), gemaskeerd_->id()});
  plugin::KennissessieOptions o;
  o.store = path_;
  o.pdf = QString::fromStdString(dir_.file("kennissessie.pdf"));
  try {
    plugin::exportKennissessie(project_, o);
    FAIL() << "expected a refusal";
  } catch (const plugin::KennissessieRefused& e) {
    EXPECT_NE(std::string(e.what()).find("publiceer"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(QFileInfo::exists(o.pdf));
  const auto rows = auditRows("print");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].outcome, "geweigerd");
}
