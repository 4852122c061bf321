// Issue 12 inside QGIS, offscreen, on a store built in code (tests/layers/privacy/fixtures.h):
//  - the dock's intake form: a place clicked on a canvas in EPSG:4326 lands in EPSG:28992 with
//    the values chosen and its import row; an entry without a category, with a bad reliability,
//    without a place or outside the Netherlands writes nothing and the message bar names the
//    field;
//  - SaveMapGuard: QGIS's own "Save map as image/PDF" stands behind a guard that refuses in
//    presenter mode, runs the original otherwise (auditing a map with confidential layers as such),
//    both written to the audit log;
//  - veldwacht:kennissessie: the Processing algorithm writes the PDF and the slides into a folder,
//    and refuses (audited, nothing written) a store without public layers.
#include "plugin/json_compat.h"  // before any QGIS header

#include <gtest/gtest.h>

#include <qgscoordinatetransform.h>
#include <qgslayertree.h>
#include <qgslayertreegroup.h>
#include <qgslayoutmanager.h>
#include <qgslayoutpagecollection.h>
#include <qgsmapcanvas.h>
#include <qgsmapmouseevent.h>
#include <qgsmaptoolemitpoint.h>
#include <qgsmessagebar.h>
#include <qgsmessagebaritem.h>
#include <qgsprintlayout.h>
#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingregistry.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

#include <QAction>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QMenu>
#include <QToolBar>

#include <memory>

#include "layers/followup/intake.h"
#include "layers/privacy/audit.h"
#include "layers/privacy/public_layers.h"
#include "plugin/ui/intake.h"
#include "plugin/ui/kennissessie.h"
#include "plugin/ui/presenter.h"
#include "plugin/veldwachtplugin.h"
#include "qgis_environment.h"
#include "tests/layers/privacy/fixtures.h"

using namespace veldwacht;
using veldwacht::plugin::PresenterMode;
using veldwacht::plugin::SaveMapGuard;
using veldwacht::plugin::testing::QgisEnvironment;

[[maybe_unused]] static auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new QgisEnvironment);

namespace {

// The RD origin (Amersfoort, 155000 463000) in ETRS89/WGS84 (RDNAPTRANS2018); a Helmert
// transformation without the grid is within about 1 m of it.
constexpr double kAmersfoortLon = 5.387206315, kAmersfoortLat = 52.155174377;

std::string one(layers::Store& store, const std::string& sql) {
  const auto rows = store.query(sql);
  if (rows.empty() || rows.front().empty()) return "<no row>";
  return rows.front().front().value_or("NULL");
}

std::int64_t count(const QString& path, const std::string& table) {
  auto store = layers::Store::open(path.toStdString(), false);
  return std::stoll(one(*store, "SELECT COUNT(*) FROM " + table));
}

std::vector<layers::AuditEntry> auditRows(const QString& path, const std::string& action) {
  auto store = layers::Store::open(path.toStdString(), false);
  std::vector<layers::AuditEntry> out;
  for (auto& e : layers::readAudit(*store))
    if (e.action == action) out.push_back(e);
  return out;
}

QString lastMessage(QgsMessageBar& bar) {
  return bar.currentItem() ? bar.currentItem()->text() : QString();
}

/// The project layer reading store table `table`.
QgsVectorLayer* layerOf(const QString& table) {
  for (QgsMapLayer* layer : QgsProject::instance()->mapLayers())
    if (PresenterMode::storeLayerOf(layer).table == table)
      return qobject_cast<QgsVectorLayer*>(layer);
  return nullptr;
}

class IntakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    QgsProject::instance()->clear();
    {
      auto store = layers::testing::privacyStore(dir_);
      layers::PublicLayersOptions o;
      o.seed = 42;
      layers::buildPublicLayers(*store, o);
    }
    path_ = QString::fromStdString(dir_.file("t.gpkg"));
    canvas_ = std::make_unique<QgsMapCanvas>();
    canvas_->resize(800, 600);
    canvas_->show();
    bar_ = std::make_unique<QgsMessageBar>();
    panel_ = std::make_unique<ui::IntakePanel>(canvas_.get(), bar_.get());
  }
  void TearDown() override {
    panel_.reset();
    QgsProject::instance()->clear();
  }

  /// A complete, valid form at `rd` (EPSG:28992).
  void fillValid(const QgsPointXY& rd = QgsPointXY(layers::testing::kX0 + 1500,
                                                   layers::testing::kY0 + 2500)) {
    ASSERT_TRUE(panel_->setStore(path_)) << panel_->statusText().toStdString();
    ASSERT_TRUE(panel_->setPoint(rd, QgsCoordinateReferenceSystem(QStringLiteral("EPSG:28992"))));
    panel_->category()->setCurrentIndex(panel_->category()->findData(QStringLiteral("HENNEP")));
    panel_->sourceType()->setCurrentIndex(panel_->sourceType()->findData(QStringLiteral("boer")));
    panel_->reliability()->setCurrentIndex(panel_->reliability()->findData(QStringLiteral("B")));
    panel_->observed()->setDateTime(QDateTime(QDate(2026, 11, 28), QTime(22, 15)));
    panel_->evening()->setDateTime(QDateTime(QDate(2026, 12, 3), QTime(20, 0)));
    panel_->description()->setPlainText(QStringLiteral("Busjes 's nachts bij de schuur"));
  }

  /// Clicks Save on a form that must be refused: nothing written, `field` named in the message
  /// bar and the status line.
  void expectRefused(const QString& field) {
    SCOPED_TRACE(field.toStdString());
    const std::int64_t signalCount = count(path_, "signalen");
    const std::int64_t imports = count(path_, layers::kImportsTable);
    panel_->saveButton()->click();
    EXPECT_EQ(count(path_, "signalen"), signalCount);
    EXPECT_EQ(count(path_, layers::kImportsTable), imports);
    const QString message = lastMessage(*bar_);
    EXPECT_TRUE(message.contains(QStringLiteral("field '%1'").arg(field))) << message.toStdString();
    EXPECT_TRUE(message.startsWith(QStringLiteral("Not saved"))) << message.toStdString();
    EXPECT_EQ(panel_->statusText(), message);
  }

  layers::testing::TempDir dir_;
  QString path_;
  std::unique_ptr<QgsMapCanvas> canvas_;
  std::unique_ptr<QgsMessageBar> bar_;
  std::unique_ptr<ui::IntakePanel> panel_;
};

}  // namespace

TEST_F(IntakeTest, TheCategoryListIsTheStoresAndTheStoreIsFoundInTheProject) {
  QString error;
  ASSERT_GT(plugin::VeldwachtPlugin::addStoreToProject(path_, &error), 4) << error.toStdString();
  EXPECT_EQ(panel_->store(), path_);  // from the signalen layer added
  ASSERT_EQ(panel_->category()->count(), int(layers::signalCategorySeeds().size()));
  const int hennep = panel_->category()->findData(QStringLiteral("HENNEP"));
  ASSERT_GE(hennep, 0);
  EXPECT_EQ(panel_->category()->itemText(hennep), QStringLiteral("HENNEP — Hennepkwekerij"));
  EXPECT_EQ(panel_->category()->currentText(), QString());  // nothing chosen yet
  // The source types and reliabilities are the schema's.
  EXPECT_EQ(panel_->sourceType()->count(),
            int(layers::layerDef("signalen").field("brontype")->allowed.size()));
  EXPECT_EQ(panel_->reliability()->count(), 5);  // not given, A–D
}

TEST_F(IntakeTest, AClickOnAWgs84CanvasLandsInRdWithTheValuesChosen) {
  fillValid();
  panel_->clearPoint();
  // A canvas in EPSG:4326 around Amersfoort, about 0.1 m per pixel.
  const QgsCoordinateReferenceSystem wgs84(QStringLiteral("EPSG:4326"));
  canvas_->setDestinationCrs(wgs84);
  canvas_->setExtent(QgsRectangle(kAmersfoortLon - 0.0006, kAmersfoortLat - 0.0004,
                                  kAmersfoortLon + 0.0006, kAmersfoortLat + 0.0004));
  QCoreApplication::processEvents();
  panel_->pickButton()->click();
  ASSERT_EQ(canvas_->mapTool(), panel_->mapTool());
  const QgsPointXY pixel =
      canvas_->getCoordinateTransform()->transform(QgsPointXY(kAmersfoortLon, kAmersfoortLat));
  // QGIS 3.22's emit-point tool reports the click on the press; both are sent, as a click is.
  const QPoint at(qRound(pixel.x()), qRound(pixel.y()));
  QgsMapMouseEvent press(canvas_.get(), QEvent::MouseButtonPress, at, Qt::LeftButton);
  panel_->mapTool()->canvasPressEvent(&press);
  QgsMapMouseEvent release(canvas_.get(), QEvent::MouseButtonRelease, at, Qt::LeftButton);
  if (panel_->mapTool()) panel_->mapTool()->canvasReleaseEvent(&release);
  EXPECT_NE(canvas_->mapTool(), panel_->mapTool());  // picking ends with the click
  EXPECT_FALSE(panel_->pickButton()->isChecked());
  ASSERT_TRUE(panel_->rdPoint().has_value());
  EXPECT_NEAR(panel_->rdPoint()->x(), 155000.0, 2.0);
  EXPECT_NEAR(panel_->rdPoint()->y(), 463000.0, 2.0);

  const std::int64_t before = count(path_, "signalen");
  QString entered;
  QObject::connect(panel_.get(), &ui::IntakePanel::signalEntered,
                   [&](const QString& id, const QString&) { entered = id; });
  ASSERT_TRUE(panel_->submit()) << panel_->statusText().toStdString();
  ASSERT_TRUE(entered.startsWith(QStringLiteral("GEN-"))) << entered.toStdString();
  EXPECT_TRUE(lastMessage(*bar_).contains(entered)) << lastMessage(*bar_).toStdString();
  EXPECT_EQ(count(path_, "signalen"), before + 1);

  auto store = layers::Store::open(path_.toStdString(), false);
  const std::string where = " FROM signalen WHERE signaal_id = '" + entered.toStdString() + "'";
  EXPECT_EQ(one(*store, "SELECT categorie" + where), "HENNEP");
  EXPECT_EQ(one(*store, "SELECT brontype" + where), "boer");
  EXPECT_EQ(one(*store, "SELECT betrouwbaarheid" + where), "B");
  EXPECT_EQ(one(*store, "SELECT status" + where), "nieuw");
  EXPECT_EQ(one(*store, "SELECT substr(waargenomen_van, 1, 16)" + where), "2026-11-28T22:15");
  EXPECT_EQ(one(*store, "SELECT substr(gemeld_op, 1, 16)" + where), "2026-12-03T20:00");
  EXPECT_EQ(one(*store, "SELECT omschrijving" + where), "Busjes 's nachts bij de schuur");
  EXPECT_NEAR(std::stod(one(*store, "SELECT ST_MinX(geom)" + where)), 155000.0, 2.0);
  EXPECT_NEAR(std::stod(one(*store, "SELECT ST_MinY(geom)" + where)), 463000.0, 2.0);
  const std::string imp =
      " FROM veldwacht_imports WHERE import_id = (SELECT import_id" + where + ")";
  EXPECT_EQ(one(*store, "SELECT bron_bestand" + imp), layers::kIntakeSource);
  EXPECT_EQ(one(*store, "SELECT bron_crs" + imp), "EPSG:4326");
  EXPECT_EQ(one(*store, "SELECT rijen" + imp), "1");
  // The form is ready for the next report: no place, no description.
  EXPECT_FALSE(panel_->rdPoint().has_value());
  EXPECT_TRUE(panel_->description()->toPlainText().isEmpty());
}

TEST_F(IntakeTest, TheSameReportTwiceIsRefusedAsADuplicate) {
  fillValid();
  ASSERT_TRUE(panel_->submit()) << panel_->statusText().toStdString();
  fillValid();
  expectRefused(QStringLiteral("signaal_id"));
}

TEST_F(IntakeTest, WithoutACategoryNothingIsWrittenAndTheFieldIsNamed) {
  fillValid();
  panel_->category()->setCurrentIndex(-1);
  panel_->category()->setEditText(QString());
  expectRefused(QStringLiteral("categorie"));
}

TEST_F(IntakeTest, AnUnknownCategoryOrSourceTypeIsRefused) {
  fillValid();
  panel_->category()->setEditText(QStringLiteral("KOEIEN"));
  expectRefused(QStringLiteral("categorie"));
  fillValid();
  panel_->sourceType()->setEditText(QStringLiteral("buurman"));
  expectRefused(QStringLiteral("brontype"));
}

TEST_F(IntakeTest, ABadReliabilityIsRefused) {
  fillValid();
  panel_->reliability()->setEditText(QStringLiteral("E"));
  expectRefused(QStringLiteral("betrouwbaarheid"));
  EXPECT_TRUE(lastMessage(*bar_).contains(QStringLiteral("'E' is not allowed")))
      << lastMessage(*bar_).toStdString();
}

TEST_F(IntakeTest, WithoutAPlaceOrOutsideTheNetherlandsNothingIsWritten) {
  fillValid();
  panel_->clearPoint();
  expectRefused(QStringLiteral("geometry"));
  fillValid(QgsPointXY(6.9, 53.3));  // degrees given as RD: outside the Netherlands
  expectRefused(QStringLiteral("geometry"));
  EXPECT_TRUE(lastMessage(*bar_).contains(QStringLiteral("outside the Netherlands")));
}

TEST_F(IntakeTest, EverydayWordsAreTranslatedAsOnImport) {
  fillValid();
  panel_->category()->setEditText(QStringLiteral("hennepkwekerij"));
  panel_->reliability()->setEditText(QStringLiteral("b"));
  ASSERT_TRUE(panel_->submit()) << panel_->statusText().toStdString();
  EXPECT_TRUE(lastMessage(*bar_).contains(QStringLiteral("'hennepkwekerij' -> 'HENNEP'")));
}

// ---- SaveMapGuard ----------------------------------------------------------------------------

namespace {

class SaveGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    QgsProject::instance()->clear();
    {
      auto store = layers::testing::privacyStore(dir_);
      layers::PublicLayersOptions o;
      o.seed = 42;
      layers::buildPublicLayers(*store, o);
    }
    path_ = QString::fromStdString(dir_.file("t.gpkg"));
    QString error;
    ASSERT_GT(plugin::VeldwachtPlugin::addStoreToProject(path_, &error), 4) << error.toStdString();
    signalen_ = layerOf(QStringLiteral("signalen"));
    gebied_ = layerOf(QStringLiteral("openbaar_signalen_per_gebied"));
    ASSERT_TRUE(signalen_ && gebied_);

    // Stand-ins for QGIS's action, shown in a menu and a toolbar as the main window shows it.
    original_ = new QAction(QStringLiteral("Save Map as &Image…"), &menu_);
    original_->setObjectName(QStringLiteral("mActionSaveMapAsImage"));
    original_->setShortcut(QKeySequence(QStringLiteral("Ctrl+Alt+I")));
    QObject::connect(original_, &QAction::triggered, [this] { ++saved_; });
    menu_.addAction(QStringLiteral("before"));
    menu_.addAction(original_);
    menu_.addAction(QStringLiteral("after"));
    toolbar_.addAction(original_);
    presenter_ = std::make_unique<PresenterMode>(QgsProject::instance());
    guard_ =
        std::make_unique<SaveMapGuard>(QgsProject::instance(), presenter_.get(), &canvas_, &bar_);
  }
  void TearDown() override {
    guard_.reset();
    presenter_.reset();
    QgsProject::instance()->clear();
  }

  layers::testing::TempDir dir_;
  QString path_;
  QgsVectorLayer* signalen_ = nullptr;
  QgsVectorLayer* gebied_ = nullptr;
  QMenu menu_;
  QToolBar toolbar_;
  QAction* original_ = nullptr;
  int saved_ = 0;
  QgsMapCanvas canvas_;
  QgsMessageBar bar_;
  std::unique_ptr<PresenterMode> presenter_;
  std::unique_ptr<SaveMapGuard> guard_;
};

}  // namespace

TEST_F(SaveGuardTest, TheGuardStandsInForTheActionAndReleasesIt) {
  QAction* guard = guard_->guard(original_, QStringLiteral("kaart opslaan als afbeelding"));
  ASSERT_TRUE(guard);
  EXPECT_EQ(guard->text(), original_->text());
  ASSERT_EQ(menu_.actions().size(), 3);
  EXPECT_EQ(menu_.actions()[1], guard);  // in the original's place
  EXPECT_FALSE(toolbar_.actions().contains(original_));
  EXPECT_TRUE(toolbar_.actions().contains(guard));
  EXPECT_EQ(guard->shortcut(), QKeySequence(QStringLiteral("Ctrl+Alt+I")));
  EXPECT_TRUE(original_->shortcut().isEmpty());
  EXPECT_EQ(guard_->guard(original_, QStringLiteral("again")), guard);  // once only

  guard_->release();
  ASSERT_EQ(menu_.actions().size(), 3);
  EXPECT_EQ(menu_.actions()[1], original_);
  EXPECT_TRUE(toolbar_.actions().contains(original_));
  EXPECT_EQ(original_->shortcut(), QKeySequence(QStringLiteral("Ctrl+Alt+I")));
  EXPECT_TRUE(guard_->guards().isEmpty());
}

TEST_F(SaveGuardTest, OnlyPublicLayersDrawnTheOriginalRunsAndIsAudited) {
  QAction* guard = guard_->guard(original_, QStringLiteral("kaart opslaan als afbeelding"));
  canvas_.setLayers({gebied_});
  EXPECT_TRUE(guard_->refusal().isEmpty()) << guard_->refusal().toStdString();
  guard->trigger();
  EXPECT_EQ(saved_, 1);
  const auto rows = auditRows(path_, "export");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].outcome, "uitgevoerd");
  EXPECT_EQ(rows[0].layer, "openbaar_signalen_per_gebied");
  EXPECT_EQ(rows[0].destination, "QGIS: kaart opslaan als afbeelding");
}

TEST_F(SaveGuardTest, AConfidentialLayerDrawnIsAllowedButAuditedAsConfidential) {
  QAction* guard = guard_->guard(original_, QStringLiteral("kaart opslaan als afbeelding"));
  canvas_.setLayers({gebied_, signalen_});
  EXPECT_EQ(guard_->confidentialOnCanvas(), QStringList{signalen_->name()});
  EXPECT_TRUE(guard_->refusal().isEmpty());  // outside presenter mode: an analyst's own map
  bool refusedSeen = true;
  QObject::connect(guard_.get(), &SaveMapGuard::attempted,
                   [&](const QString&, bool refused, const QString&) { refusedSeen = refused; });
  guard->trigger();
  EXPECT_EQ(saved_, 1);
  EXPECT_FALSE(refusedSeen);
  const QString message = lastMessage(bar_);
  EXPECT_TRUE(message.contains(QStringLiteral("confidential"))) << message.toStdString();
  EXPECT_TRUE(message.contains(signalen_->name())) << message.toStdString();
  const auto rows = auditRows(path_, "export");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].outcome, "uitgevoerd");
  EXPECT_EQ(rows[0].sensitivity, layers::Sensitivity::Confidential);
  EXPECT_EQ(rows[0].layer, "openbaar_signalen_per_gebied,signalen");
  EXPECT_NE(rows[0].remark.find(signalen_->name().toStdString()), std::string::npos);
}

TEST_F(SaveGuardTest, InPresenterModeSavingTheMapIsRefused) {
  QAction* guard = guard_->guard(original_, QStringLiteral("kaart opslaan als PDF"));
  canvas_.setLayers({gebied_});
  presenter_->switchOn();
  EXPECT_TRUE(guard_->refusal().contains(QStringLiteral("presenter mode")));
  guard->trigger();
  EXPECT_EQ(saved_, 0);
  EXPECT_TRUE(lastMessage(bar_).contains(QStringLiteral("Kennissessie")));
  ASSERT_EQ(auditRows(path_, "export").size(), 1u);
  EXPECT_EQ(auditRows(path_, "export")[0].outcome, "geweigerd");
  presenter_->switchOff();
  guard->trigger();
  EXPECT_EQ(saved_, 1);
}

// ---- veldwacht:kennissessie --------------------------------------------------------------------

namespace {

struct AlgRun {
  bool ok = false;
  QVariantMap outputs;
  QString error;
};

AlgRun runKennissessie(const QVariantMap& parameters, QgsProject* project = nullptr) {
  std::unique_ptr<QgsProcessingAlgorithm> alg(
      QgsApplication::processingRegistry()->createAlgorithmById(
          QStringLiteral("veldwacht:kennissessie")));
  AlgRun r;
  if (!alg) {
    r.error = QStringLiteral("no algorithm veldwacht:kennissessie");
    return r;
  }
  QgsProcessingContext context;
  context.setProject(project);
  QgsProcessingFeedback feedback;
  try {
    r.outputs = alg->run(parameters, context, &feedback, &r.ok, {}, false);
  } catch (const QgsProcessingException& e) {
    r.error = e.what();
  }
  return r;
}

}  // namespace

TEST(KennissessieAlgorithm, WritesThePdfAndFourSlidesIntoTheFolderAndAudits) {
  QgsProject::instance()->clear();
  layers::testing::TempDir dir;
  {
    auto store = layers::testing::privacyStore(dir);
    layers::PublicLayersOptions o;
    o.seed = 42;
    layers::buildPublicLayers(*store, o);
  }
  const QString store = QString::fromStdString(dir.file("t.gpkg"));
  const QString folder = QString::fromStdString(dir.file("uit"));
  const AlgRun r = runKennissessie({{QStringLiteral("STORE"), store},
                                    {QStringLiteral("TITLE"), QStringLiteral("Avond Testdorp")},
                                    {QStringLiteral("FROM"), QStringLiteral("2024-01-01")},
                                    {QStringLiteral("TO"), QStringLiteral("2026-12-31")},
                                    {QStringLiteral("OUTPUT_FOLDER"), folder}});
  ASSERT_TRUE(r.ok) << r.error.toStdString();
  EXPECT_EQ(r.outputs.value(QStringLiteral("PAGES")).toInt(), 4);
  const QString pdf = QDir(folder).filePath(QStringLiteral("kennissessie.pdf"));
  EXPECT_EQ(r.outputs.value(QStringLiteral("PDF")).toString(), pdf);
  EXPECT_GT(QFileInfo(pdf).size(), 10000);
  const QStringList slides =
      r.outputs.value(QStringLiteral("SLIDES")).toString().split(QLatin1Char(';'));
  ASSERT_EQ(slides.size(), 4);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(slides[i], QDir(folder).filePath(QStringLiteral("kennissessie_%1.png").arg(i + 1)));
    EXPECT_EQ(QImage(slides[i]).size(), QSize(1920, 1080));
  }
  const QString shown = r.outputs.value(QStringLiteral("LAYERS")).toString();
  EXPECT_TRUE(shown.contains(QStringLiteral("openbaar_signalen_per_gebied")))
      << shown.toStdString();
  for (const QString& table : shown.split(QLatin1Char(',')))
    EXPECT_TRUE(table.startsWith(QLatin1String("openbaar_")) ||
                table == QLatin1String("gemeenten") || table == QLatin1String("bedrijventerreinen"))
        << table.toStdString();
  const auto rows = auditRows(store, "print");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].outcome, "uitgevoerd");
  EXPECT_EQ(rows[0].destination, pdf.toStdString());
}

TEST(KennissessieAlgorithm, AStoreWithoutPublicLayersIsRefusedAuditedAndNothingWritten) {
  QgsProject::instance()->clear();
  layers::testing::TempDir dir;
  { auto store = layers::testing::privacyStore(dir); }  // no `publiceer`
  const QString store = QString::fromStdString(dir.file("t.gpkg"));
  const QString folder = QString::fromStdString(dir.file("uit"));
  const AlgRun r = runKennissessie(
      {{QStringLiteral("STORE"), store}, {QStringLiteral("OUTPUT_FOLDER"), folder}});
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.error.contains(QStringLiteral("publiceer"))) << r.error.toStdString();
  EXPECT_FALSE(QFileInfo::exists(QDir(folder).filePath(QStringLiteral("kennissessie.pdf"))));
  const auto rows = auditRows(store, "print");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].outcome, "geweigerd");
}

TEST(KennissessieAlgorithm, ABadPeriodIsRefusedNamingTheParameter) {
  layers::testing::TempDir dir;
  { auto store = layers::testing::privacyStore(dir); }
  const QString store = QString::fromStdString(dir.file("t.gpkg"));
  AlgRun r =
      runKennissessie({{QStringLiteral("STORE"), store},
                       {QStringLiteral("FROM"), QStringLiteral("3-12-2026")},
                       {QStringLiteral("OUTPUT_FOLDER"), QString::fromStdString(dir.file("u"))}});
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.error.contains(QStringLiteral("FROM"))) << r.error.toStdString();
  r = runKennissessie({{QStringLiteral("STORE"), store},
                       {QStringLiteral("FROM"), QStringLiteral("2026-12-03")},
                       {QStringLiteral("TO"), QStringLiteral("2026-12-01")},
                       {QStringLiteral("OUTPUT_FOLDER"), QString::fromStdString(dir.file("u"))}});
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.error.contains(QStringLiteral("TO"))) << r.error.toStdString();
}

TEST(KennissessieAlgorithm, KeepsTheSameLayoutInTheProjectForTheSampleProject) {
  QgsProject* project = QgsProject::instance();
  project->clear();
  layers::testing::TempDir dir;
  {
    auto store = layers::testing::privacyStore(dir);
    layers::PublicLayersOptions o;
    o.seed = 42;
    layers::buildPublicLayers(*store, o);
  }
  const QString store = QString::fromStdString(dir.file("t.gpkg"));
  QString error;
  ASSERT_GT(plugin::VeldwachtPlugin::addStoreToProject(store, &error), 4) << error.toStdString();
  const int layersBefore = int(project->mapLayers().size());
  const QString folder = QString::fromStdString(dir.file("project"));
  for (int run = 0; run < 2; ++run) {  // a second run replaces the first
    SCOPED_TRACE(run);
    const AlgRun r = runKennissessie({{QStringLiteral("STORE"), store},
                                      {QStringLiteral("KEEP_LAYOUT"), true},
                                      {QStringLiteral("OUTPUT_FOLDER"), folder}},
                                     project);
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    auto* layout = dynamic_cast<QgsPrintLayout*>(
        project->layoutManager()->layoutByName(plugin::kennissessieLayoutName()));
    ASSERT_TRUE(layout);
    EXPECT_EQ(layout->pageCollection()->pageCount(), 4);
    EXPECT_TRUE(PresenterMode::confidentialLayoutLayers(layout).isEmpty())
        << PresenterMode::confidentialLayoutLayers(layout).join(QStringLiteral(", ")).toStdString();
    int kept = 0;
    for (QgsLayerTreeGroup* g : project->layerTreeRoot()->findGroups())
      if (g->name() == plugin::kennissessieLayoutName()) {
        ++kept;
        EXPECT_FALSE(g->itemVisibilityChecked());
        EXPECT_EQ(g->findLayers().size(), 2);  // buurten with counts, the heatmap
      }
    EXPECT_EQ(kept, 1);
    // The store's public layers were in the project already: only the two are added.
    EXPECT_EQ(int(project->mapLayers().size()), layersBefore + 2);
    for (const char* chart : {"kennissessie_trend.png", "kennissessie_opvolging.png"})
      EXPECT_FALSE(QImage(QDir(folder).filePath(QString::fromLatin1(chart))).isNull()) << chart;
  }
  project->clear();
}
