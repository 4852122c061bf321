// The Planning part of the dock (issue 10 item 6): a store built in code (a 6 km road, three
// partners, six sites, one of them on an island no road reaches), a plan made from the panel
// with two of the three partners and a two-day period, and the same plan made by the CLI
// (`veldwacht plan`) on a copy of the store: the same visits row by row, the same dropped sites
// with the same reasons; the panel puts the three layers into the group "Planning" and lists
// the dropped visits with their reasons.
#include "plugin/json_compat.h"  // before any QGIS header

#include <gtest/gtest.h>

#include <qgsapplication.h>
#include <qgsfeature.h>
#include <qgsfeatureiterator.h>
#include <qgslayertree.h>
#include <qgslayertreegroup.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

#include <QFile>
#include <QProcess>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "plugin/ui/planning_panel.h"
#include "qgis_environment.h"
#include "tests/cli/plan_store.h"
#include "tests/layers/analyses/fixtures.h"
#include "tests/plugin/planning_fixtures.h"

namespace {

using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;
using veldwacht::ui::PlanningPanel;

const auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new veldwacht::plugin::testing::QgisEnvironment);

Record partner(const std::string& id, double x, const std::string& bevoegdheden) {
  return recordOf("partners",
                  {{"partner_id", id},
                   {"naam", "Partner " + id},
                   {"partner_type", std::string(bevoegdheden.empty() ? "jager_wbe" : "boa")},
                   {"beschikbaar_dag", std::int64_t{1}},
                   {"beschikbaar_nacht", std::int64_t{0}},
                   {"bevoegdheden", bevoegdheden.empty() ? Value{} : Value{bevoegdheden}},
                   {"synthetisch", std::int64_t{1}}},
                  pointAt(kX0 + x, kY0 + 10));
}

/// 0 — 2000 — 4000 — 6000 m east and an island road 5 km north; P1 and P2 at the ends of the
/// road, P3 in the middle; five sites beside the road and one on the island.
std::string buildStore(const TempDir& dir) {
  std::vector<Record> roads = planRoads();
  std::vector<Record> partners;
  partners.push_back(partner("P1", 0, ""));
  partners.push_back(partner("P2", 6000, "handhaven,adrescontrole"));
  partners.push_back(partner("P3", 3000, ""));
  auto store =
      storeWith(dir, batch("wegvakken", std::move(roads)), batch("partners", std::move(partners)));
  std::vector<Record> sites;
  for (int i = 1; i <= 5; ++i)
    sites.push_back(
        incidentRecord(i, kX0 + 1000.0 * i - 10, kY0 + (i % 2 ? 20 : -20), "2024-05-01"));
  sites.push_back(incidentRecord(9, kX0 + 500, kY0 + 5020, "2024-05-01"));
  std::vector<ImportBatch> b;
  b.push_back(batch("incidenten", std::move(sites)));
  store->append(b);
  return dir.file("t.gpkg");
}

/// The rows of a store table as text, field by field, sorted.
std::vector<std::string> rowsOf(const QString& path, const QString& layer,
                                const QStringList& fields) {
  QgsVectorLayer l(QStringLiteral("%1|layername=%2").arg(path, layer), layer,
                   QStringLiteral("ogr"));
  EXPECT_TRUE(l.isValid()) << path.toStdString() << " " << layer.toStdString();
  std::vector<std::string> rows;
  QgsFeatureIterator it = l.getFeatures();
  QgsFeature f;
  while (it.nextFeature(f)) {
    QStringList values;
    for (const QString& field : fields) values << f.attribute(field).toString();
    rows.push_back(values.join(QLatin1Char('|')).toStdString());
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

/// Checks every partner but those in `off`.
void choosePartners(PlanningPanel& panel, const QStringList& off) {
  for (int i = 0; i < panel.partners()->count(); ++i) {
    QListWidgetItem* item = panel.partners()->item(i);
    item->setCheckState(off.contains(item->data(Qt::UserRole).toString()) ? Qt::Unchecked
                                                                          : Qt::Checked);
  }
}

TEST(PlanningPanel, ListsTheStoresSitesLayersAndPartners) {
  TempDir dir;
  const QString path = QString::fromStdString(buildStore(dir));
  PlanningPanel panel;
  ASSERT_TRUE(panel.setStore(path));
  // Point and area layers of the store with the partners left out; vab is chosen when present.
  EXPECT_GE(panel.sitesLayer()->findData(QStringLiteral("incidenten")), 0);
  EXPECT_GE(panel.sitesLayer()->findData(QStringLiteral("vab")), 0);
  EXPECT_EQ(panel.sitesLayer()->currentData().toString(), QStringLiteral("vab"));
  EXPECT_LT(panel.sitesLayer()->findData(QStringLiteral("partners")), 0);
  EXPECT_LT(panel.sitesLayer()->findData(QStringLiteral("wegvakken")), 0);
  ASSERT_EQ(panel.partners()->count(), 3);
  // The form is the plan description's, without the period (the two dates).
  EXPECT_NE(panel.form()->editor(QStringLiteral("SHIFTS_PER_PARTNER")), nullptr);
  EXPECT_EQ(panel.form()->editor(QStringLiteral("PERIOD")), nullptr);
  // Every partner chosen: no partner filter; one left out: a filter on the others.
  EXPECT_FALSE(panel.parameters().contains(QStringLiteral("PARTNERS_WHERE")));
  choosePartners(panel, {QStringLiteral("P3")});
  EXPECT_EQ(panel.parameters().value(QStringLiteral("PARTNERS_WHERE")).toString(),
            QStringLiteral("partner_id IN ('P1', 'P2')"));
  smallPlan(panel);
  EXPECT_EQ(panel.parameters().value(QStringLiteral("PERIOD")).toString(),
            QStringLiteral("2026-12-07/2026-12-08"));
  // The values set reach the parameters (the seed's bound of 2^53 does not clamp it to 0).
  EXPECT_EQ(panel.parameters().value(QStringLiteral("SEED")).toInt(), 5);
  EXPECT_EQ(panel.parameters().value(QStringLiteral("ITERATIONS")).toInt(), 300);
  EXPECT_EQ(panel.parameters().value(QStringLiteral("SHIFTS_PER_PARTNER")).toInt(), 0);

  PlanningPanel other;
  EXPECT_FALSE(other.setStore(QString::fromStdString(dir.file("missing.gpkg"))));
  EXPECT_EQ(other.sitesLayer()->count(), 0);
}

TEST(PlanningPanel, PlansLikeTheCliAndShowsTheDroppedVisitsWithTheirReasons) {
  TempDir dir;
  const QString path = QString::fromStdString(buildStore(dir));
  const QString copy = QString::fromStdString(dir.file("cli.gpkg"));
  ASSERT_TRUE(QFile::copy(path, copy));

  PlanningPanel panel;
  panel.setRunInBackground(false);
  ASSERT_TRUE(panel.setStore(path));
  panel.sitesLayer()->setCurrentIndex(panel.sitesLayer()->findData(QStringLiteral("incidenten")));
  choosePartners(panel, {QStringLiteral("P3")});
  smallPlan(panel);
  bool finished = false, succeeded = false;
  QObject::connect(&panel, &PlanningPanel::planFinished, [&](bool ok) {
    finished = true;
    succeeded = ok;
  });
  panel.runButton()->click();
  ASSERT_TRUE(finished);
  ASSERT_TRUE(succeeded) << panel.statusText().toStdString();

  // The same plan from the command line.
  QProcess cli;
  cli.start(QStringLiteral(VELDWACHT_CLI),
            {QStringLiteral("plan"), copy, QStringLiteral("--sites"), QStringLiteral("incidenten"),
             QStringLiteral("--partners-where"), QStringLiteral("partner_id IN ('P1', 'P2')"),
             QStringLiteral("--period"), QStringLiteral("2026-12-07/2026-12-08"),
             QStringLiteral("--shifts-per-partner"), QStringLiteral("0"),
             QStringLiteral("--iterations"), QStringLiteral("300"), QStringLiteral("--seconds"),
             QStringLiteral("600"), QStringLiteral("--seed"), QStringLiteral("5")});
  ASSERT_TRUE(cli.waitForFinished(120000));
  ASSERT_EQ(cli.exitCode(), 0) << cli.readAllStandardError().toStdString();

  const QStringList visitFields = {QStringLiteral("partner_id"), QStringLiteral("dienst"),
                                   QStringLiteral("volgorde"),   QStringLiteral("site_id"),
                                   QStringLiteral("aankomst"),   QStringLiteral("vertrek")};
  const auto panelVisits = rowsOf(path, QStringLiteral("plan_bezoeken"), visitFields);
  const auto cliVisits = rowsOf(copy, QStringLiteral("plan_bezoeken"), visitFields);
  ASSERT_FALSE(panelVisits.empty());
  EXPECT_EQ(panelVisits, cliVisits);
  for (const auto& row : panelVisits) EXPECT_EQ(row.rfind("P3|", 0), std::string::npos) << row;
  const QStringList droppedFields = {QStringLiteral("site_id"), QStringLiteral("reden")};
  const auto panelDropped = rowsOf(path, QStringLiteral("plan_vervallen"), droppedFields);
  EXPECT_EQ(panelDropped, rowsOf(copy, QStringLiteral("plan_vervallen"), droppedFields));
  EXPECT_EQ(rowsOf(path, QStringLiteral("plan_routes"),
                   {QStringLiteral("dienst"), QStringLiteral("n_bezoeken"),
                    QStringLiteral("reistijd_min")}),
            rowsOf(copy, QStringLiteral("plan_routes"),
                   {QStringLiteral("dienst"), QStringLiteral("n_bezoeken"),
                    QStringLiteral("reistijd_min")}));

  // The dropped table lists each dropped visit with its reason; the island site is unreachable.
  ASSERT_EQ(std::size_t(panel.dropped()->rowCount()), panelDropped.size());
  bool island = false;
  for (int r = 0; r < panel.dropped()->rowCount(); ++r) {
    EXPECT_FALSE(panel.dropped()->item(r, 4)->text().isEmpty());
    if (panel.dropped()->item(r, 1)->text() == QLatin1String("INC-T-00009")) {
      island = true;
      EXPECT_EQ(panel.dropped()->item(r, 4)->text(), QStringLiteral("onbereikbaar"));
    }
  }
  EXPECT_TRUE(island);

  // Routes, visits and dropped sites are in the group Planning.
  QgsLayerTreeGroup* group =
      QgsProject::instance()->layerTreeRoot()->findGroup(PlanningPanel::groupName());
  ASSERT_NE(group, nullptr);
  ASSERT_EQ(panel.addedLayers().size(), 3);
  for (const QString& id : panel.addedLayers()) {
    EXPECT_NE(group->findLayer(id), nullptr);
    const auto* layer = qobject_cast<QgsVectorLayer*>(QgsProject::instance()->mapLayer(id));
    ASSERT_NE(layer, nullptr);
    EXPECT_TRUE(layer->isValid());
  }

  // A second run replaces the plan's layers instead of adding more.
  panel.runButton()->click();
  EXPECT_EQ(group->findLayers().size(), 3);
  QgsProject::instance()->removeAllMapLayers();
}

TEST(PlanningPanel, RefusesARunWithoutPartnersOrWithABackwardPeriodAndWritesNothing) {
  TempDir dir;
  const QString path = QString::fromStdString(buildStore(dir));
  PlanningPanel panel;
  panel.setRunInBackground(false);
  ASSERT_TRUE(panel.setStore(path));
  choosePartners(panel, {QStringLiteral("P1"), QStringLiteral("P2"), QStringLiteral("P3")});
  panel.runButton()->click();
  EXPECT_TRUE(panel.statusText().contains(QStringLiteral("partner")))
      << panel.statusText().toStdString();
  choosePartners(panel, {});
  panel.from()->setDate(QDate(2026, 12, 9));
  panel.to()->setDate(QDate(2026, 12, 8));
  panel.runButton()->click();
  EXPECT_TRUE(panel.statusText().contains(QStringLiteral("period")))
      << panel.statusText().toStdString();
  // A period the runner refuses (more than 62 days): its message reaches the status line.
  panel.from()->setDate(QDate(2026, 1, 1));
  panel.to()->setDate(QDate(2026, 6, 1));
  panel.runButton()->click();
  EXPECT_TRUE(panel.statusText().contains(QStringLiteral("62")))
      << panel.statusText().toStdString();
  QgsVectorLayer visits(path + QStringLiteral("|layername=plan_bezoeken"), QStringLiteral("v"),
                        QStringLiteral("ogr"));
  EXPECT_FALSE(visits.isValid());
}

}  // namespace
