// The Qt-only UI library, built and run against Qt 6 (test_ui_qt6) and against QGIS's Qt 5
// (test_ui_qt5) from this one source, under QT_QPA_PLATFORM=offscreen.
#include <gtest/gtest.h>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

#include <limits>
#include <memory>

#include "plugin/ui/dockpanel.h"
#include "plugin/ui/optionspec.h"
#include "plugin/ui/parameterform.h"
#include "plugin/ui/resulttablemodel.h"

using veldwacht::ui::AlgorithmEntry;
using veldwacht::ui::DockPanel;
using veldwacht::ui::OptionSpec;
using veldwacht::ui::OptionSpecs;
using veldwacht::ui::ParameterForm;
using veldwacht::ui::ResultRow;
using veldwacht::ui::ResultTableModel;

namespace {

/// One QApplication for the whole test process, offscreen.
class QtEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "test_ui";
    static char* argv[] = {name, nullptr};
    app_ = std::make_unique<QApplication>(argc, argv);
  }
  void TearDown() override { app_.reset(); }

 private:
  std::unique_ptr<QApplication> app_;
};

[[maybe_unused]] auto* const kEnvironment = ::testing::AddGlobalTestEnvironment(new QtEnvironment);

OptionSpecs dbscanLikeSpecs() {
  return {OptionSpec::real(QStringLiteral("EPS"), QStringLiteral("Radius"), 100.0, 0.5, 5000.0)
              .withUnit(QStringLiteral("m")),
          OptionSpec::integer(QStringLiteral("MIN_PTS"), QStringLiteral("Minimum"), 5, 1, 100),
          OptionSpec::boolean(QStringLiteral("BORDER_NOISE"), QStringLiteral("DBSCAN*"), false)
              .asAdvanced(),
          OptionSpec::choice(QStringLiteral("SHAPE"), QStringLiteral("Shape"),
                             {QStringLiteral("square"), QStringLiteral("hexagon")}, 1)};
}

}  // namespace

TEST(OptionSpec, NormaliseClampsNumbersIntoTheirRange) {
  const OptionSpec eps = dbscanLikeSpecs().at(0);
  EXPECT_DOUBLE_EQ(eps.normalise(0.1).toDouble(), 0.5);
  EXPECT_DOUBLE_EQ(eps.normalise(9999.0).toDouble(), 5000.0);
  EXPECT_DOUBLE_EQ(eps.normalise(250.0).toDouble(), 250.0);
}

TEST(OptionSpec, NormaliseGivesTheDefaultForUnreadableValues) {
  const OptionSpec minPts = dbscanLikeSpecs().at(1);
  EXPECT_EQ(minPts.normalise(QStringLiteral("vijf")).toInt(), 5);
  EXPECT_EQ(minPts.normalise(QVariant()).toInt(), 5);
  EXPECT_EQ(minPts.normalise(QStringLiteral("7")).toInt(), 7);
}

TEST(OptionSpec, AnIntegerBoundBeyondIntsRangeIsClampedNotZero) {
  // A description's SEED runs to 2^53; QVariant::toInt gives 0 for it, which clamped every seed
  // the dock form sent to 0.
  const OptionSpec seed = OptionSpec::integer(QStringLiteral("SEED"), QStringLiteral("Seed"), 1, 0,
                                              QVariant(qlonglong(1) << 53));
  EXPECT_EQ(seed.normalise(12345).toInt(), 12345);
  EXPECT_EQ(seed.normalise(QVariant(qlonglong(1) << 40)).toInt(), std::numeric_limits<int>::max());
  EXPECT_EQ(veldwacht::ui::toIntClamped(QVariant(-1e30), 0), std::numeric_limits<int>::min());
  EXPECT_EQ(veldwacht::ui::toIntClamped(QStringLiteral("geen getal"), 7), 7);
  ParameterForm form;
  form.setSpecs({seed});
  auto* box = qobject_cast<QSpinBox*>(form.editor(QStringLiteral("SEED")));
  ASSERT_NE(box, nullptr);
  EXPECT_EQ(box->maximum(), std::numeric_limits<int>::max());
  box->setValue(424242);
  EXPECT_EQ(form.values().value(QStringLiteral("SEED")).toInt(), 424242);
}

TEST(OptionSpec, ChoiceIsBoundedByItsChoices) {
  const OptionSpec shape = dbscanLikeSpecs().at(3);
  EXPECT_EQ(shape.normalise(5).toInt(), 1);
  EXPECT_EQ(shape.normalise(-2).toInt(), 0);
}

TEST(ParameterForm, StartsWithEveryDefault) {
  ParameterForm form;
  form.setSpecs(dbscanLikeSpecs());
  const QVariantMap v = form.values();
  EXPECT_DOUBLE_EQ(v.value(QStringLiteral("EPS")).toDouble(), 100.0);
  EXPECT_EQ(v.value(QStringLiteral("MIN_PTS")).toInt(), 5);
  EXPECT_FALSE(v.value(QStringLiteral("BORDER_NOISE")).toBool());
  EXPECT_EQ(v.value(QStringLiteral("SHAPE")).toInt(), 1);
}

TEST(ParameterForm, EditorsCarryTheRangeAndUnitOfTheirSpec) {
  ParameterForm form;
  form.setSpecs(dbscanLikeSpecs());
  auto* eps = qobject_cast<QDoubleSpinBox*>(form.editor(QStringLiteral("EPS")));
  ASSERT_NE(eps, nullptr);
  EXPECT_DOUBLE_EQ(eps->minimum(), 0.5);
  EXPECT_DOUBLE_EQ(eps->maximum(), 5000.0);
  EXPECT_EQ(eps->suffix(), QStringLiteral(" m"));
  auto* minPts = qobject_cast<QSpinBox*>(form.editor(QStringLiteral("MIN_PTS")));
  ASSERT_NE(minPts, nullptr);
  EXPECT_EQ(minPts->maximum(), 100);
  auto* shape = qobject_cast<QComboBox*>(form.editor(QStringLiteral("SHAPE")));
  ASSERT_NE(shape, nullptr);
  EXPECT_EQ(shape->count(), 2);
}

TEST(ParameterForm, SetValuesRoundTripsAndClamps) {
  ParameterForm form;
  form.setSpecs(dbscanLikeSpecs());
  form.setValues({{QStringLiteral("EPS"), 250.0},
                  {QStringLiteral("MIN_PTS"), 1000},
                  {QStringLiteral("BORDER_NOISE"), true}});
  const QVariantMap v = form.values();
  EXPECT_DOUBLE_EQ(v.value(QStringLiteral("EPS")).toDouble(), 250.0);
  EXPECT_EQ(v.value(QStringLiteral("MIN_PTS")).toInt(), 100);
  EXPECT_TRUE(v.value(QStringLiteral("BORDER_NOISE")).toBool());
  EXPECT_EQ(v.value(QStringLiteral("SHAPE")).toInt(), 1);  // untouched
}

TEST(ParameterForm, AdvancedOptionsAreHiddenUntilAskedFor) {
  ParameterForm form;
  form.setSpecs(dbscanLikeSpecs());
  QWidget* border = form.editor(QStringLiteral("BORDER_NOISE"));
  QWidget* eps = form.editor(QStringLiteral("EPS"));
  EXPECT_TRUE(border->isHidden());
  EXPECT_FALSE(eps->isHidden());
  form.setAdvancedShown(true);
  EXPECT_FALSE(border->isHidden());
  form.setAdvancedShown(false);
  EXPECT_TRUE(border->isHidden());
}

TEST(ParameterForm, TypingInAnEditorSignalsAChange) {
  ParameterForm form;
  form.setSpecs(dbscanLikeSpecs());
  QSignalSpy changed(&form, &ParameterForm::valuesChanged);
  qobject_cast<QSpinBox*>(form.editor(QStringLiteral("MIN_PTS")))->setValue(8);
  EXPECT_EQ(changed.count(), 1);
  EXPECT_EQ(form.values().value(QStringLiteral("MIN_PTS")).toInt(), 8);
}

TEST(ResultTableModel, NewestRunIsOnTop) {
  ResultTableModel model;
  ResultRow a;
  a.runId = QStringLiteral("a");
  a.algorithm = QStringLiteral("DBSCAN");
  ResultRow b = a;
  b.runId = QStringLiteral("b");
  b.algorithm = QStringLiteral("ST-DBSCAN");
  model.addRun(a);
  model.addRun(b);
  ASSERT_EQ(model.rowCount(), 2);
  EXPECT_EQ(model.data(model.index(0, ResultTableModel::Algorithm)).toString(),
            QStringLiteral("ST-DBSCAN"));
  EXPECT_EQ(model.columnCount(), int(ResultTableModel::ColumnCount));
}

TEST(ResultTableModel, FinishingARunUpdatesItsRowOnly) {
  ResultTableModel model;
  ResultRow a;
  a.runId = QStringLiteral("a");
  ResultRow b = a;
  b.runId = QStringLiteral("b");
  model.addRun(a);
  model.addRun(b);
  QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
  EXPECT_TRUE(
      model.finishRun(QStringLiteral("a"), ResultRow::Status::Failed, 1.5, QStringLiteral("boom")));
  ASSERT_EQ(changed.count(), 1);
  EXPECT_EQ(changed.at(0).at(0).value<QModelIndex>().row(), 1);
  EXPECT_EQ(model.run(QStringLiteral("a"))->status, ResultRow::Status::Failed);
  EXPECT_EQ(model.run(QStringLiteral("b"))->status, ResultRow::Status::Running);
  EXPECT_EQ(model.data(model.index(1, ResultTableModel::Message)).toString(),
            QStringLiteral("boom"));
  EXPECT_FALSE(model.finishRun(QStringLiteral("zzz"), ResultRow::Status::Succeeded, 0, {}));
}

TEST(DockPanel, RunSendsTheChosenAlgorithmLayerAndValues) {
  DockPanel panel;
  panel.setAlgorithms({{QStringLiteral("veldwacht:dbscan"), QStringLiteral("DBSCAN"),
                        QStringLiteral("Clustering"), dbscanLikeSpecs()},
                       {QStringLiteral("veldwacht:gridcount"),
                        QStringLiteral("Grid"),
                        QStringLiteral("Aggregation"),
                        {}}});
  panel.setInputLayers({{QStringLiteral("layer1"), QStringLiteral("signalen")}});
  panel.selectAlgorithm(QStringLiteral("veldwacht:dbscan"));
  panel.form()->setValues({{QStringLiteral("EPS"), 300.0}});
  QSignalSpy run(&panel, &DockPanel::runRequested);
  QTest::mouseClick(panel.findChild<QPushButton*>(QStringLiteral("run")), Qt::LeftButton);
  ASSERT_EQ(run.count(), 1);
  EXPECT_EQ(run.at(0).at(0).toString(), QStringLiteral("veldwacht:dbscan"));
  EXPECT_EQ(run.at(0).at(1).toString(), QStringLiteral("layer1"));
  EXPECT_DOUBLE_EQ(run.at(0).at(2).toMap().value(QStringLiteral("EPS")).toDouble(), 300.0);
}

TEST(DockPanel, ChoosingAnotherAlgorithmRebuildsTheForm) {
  DockPanel panel;
  panel.setAlgorithms(
      {{QStringLiteral("a"), QStringLiteral("A"), {}, dbscanLikeSpecs()},
       {QStringLiteral("b"),
        QStringLiteral("B"),
        {},
        {OptionSpec::text(QStringLiteral("NAME"), QStringLiteral("Name"), QStringLiteral("x"))}}});
  panel.selectAlgorithm(QStringLiteral("b"));
  EXPECT_EQ(panel.form()->specs().size(), 1);
  EXPECT_NE(panel.form()->editor(QStringLiteral("NAME")), nullptr);
  EXPECT_EQ(panel.form()->editor(QStringLiteral("EPS")), nullptr);
}

TEST(DockPanel, WhileRunningOnlyCancelIsEnabled) {
  DockPanel panel;
  panel.setAlgorithms({{QStringLiteral("a"), QStringLiteral("A"), {}, dbscanLikeSpecs()}});
  auto* run = panel.findChild<QPushButton*>(QStringLiteral("run"));
  auto* cancel = panel.findChild<QPushButton*>(QStringLiteral("cancel"));
  EXPECT_TRUE(run->isEnabled());
  EXPECT_FALSE(cancel->isEnabled());
  panel.setRunning(true);
  EXPECT_FALSE(run->isEnabled());
  EXPECT_TRUE(cancel->isEnabled());
  QSignalSpy cancelled(&panel, &DockPanel::cancelRequested);
  QTest::mouseClick(cancel, Qt::LeftButton);
  EXPECT_EQ(cancelled.count(), 1);
  panel.setRunning(false);
  EXPECT_TRUE(run->isEnabled());
}
