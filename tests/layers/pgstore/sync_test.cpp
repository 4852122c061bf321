// veldwacht sync between a GeoPackage (the laptop) and a PostGIS store on a temporary server
// (label postgis): new signals up, new registers and results down, conflicts row by row, each
// direction all or nothing.
#include <gtest/gtest.h>

#include <filesystem>

#include "layers/pgstore/pg_store.h"
#include "layers/pgstore/sync.h"
#include "layers/results/results.h"
#include "tests/layers/pgstore/data.h"
#include "tests/layers/pgstore/temp_postgres.h"

namespace veldwacht::layers {
namespace {

namespace fs = std::filesystem;
using pgstore::PgStore;
using pgstore::syncStores;
using testing::cluster;
using testing::TempPostgres;

class SyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!TempPostgres::available()) GTEST_SKIP() << "PostgreSQL 15 + PostGIS not installed";
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    server_ = PgStore::create(cluster().newDatabase(std::string("s_") + info->name()));
    char tmpl[] = "/tmp/veldwacht_sync_XXXXXX";
    ASSERT_TRUE(mkdtemp(tmpl));
    dir_ = tmpl;
    laptop_ = Store::create((dir_ / "laptop.gpkg").string());
  }
  void TearDown() override {
    laptop_.reset();
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }
  static std::int64_t count(Store& s, const std::string& sql) {
    return std::stoll(*s.query(sql).at(0).at(0));
  }
  fs::path dir_;
  std::unique_ptr<PgStore> server_;
  std::unique_ptr<Store> laptop_;
};

/// A small result table: two points with a count.
ResultLayer countsResult() {
  ResultLayer l;
  l.name = "tellingen";
  l.metadata.algorithm = "telling";
  l.metadata.inputLayer = "signalen";
  l.metadata.inputRows = 5;
  l.metadata.startedAt = "2024-06-01T10:00:00";
  l.geometry = GeometryKind::Point;
  FieldDef f;
  f.name = "aantal";
  f.type = FieldType::Integer;
  l.fields = {f};
  for (int i = 0; i < 2; ++i) {
    Record r;
    r.values = {std::int64_t(3 + i)};
    r.geometry.reset(new OGRPoint(201000.0 + i, 501000.0));
    l.records.push_back(std::move(r));
  }
  return l;
}

TEST_F(SyncTest, SignalsUpRegistersAndResultsDownConflictsRowByRow) {
  // The server: two partners with werkgebieden, SIG-0..4, one result.
  server_->append(testing::partnerBatches());
  server_->append(testing::only(testing::signalBatch(0, 5)));
  writeResultLayer(*server_, countsResult());
  // The laptop: SIG-0..2 as the server had them, SIG-10..13 new. Then SIG-2 changes on the
  // server (its status was "afgesloten").
  laptop_->append(testing::only(testing::signalBatch(0, 3, "veld.csv")));
  laptop_->append(testing::only(testing::signalBatch(10, 4, "veld.csv")));
  server_->executeSql("UPDATE signalen SET status = 'in_behandeling' WHERE signaal_id = 'SIG-2'");

  // A dry run reports and writes nothing.
  pgstore::SyncOptions dry;
  dry.dryRun = true;
  auto report = syncStores(*laptop_, *server_, dry);
  EXPECT_EQ(report.up["signalen"], 4);
  EXPECT_EQ(count(*server_, "SELECT count(*) FROM signalen"), 5);
  EXPECT_EQ(count(*laptop_, "SELECT count(*) FROM partners"), 0);

  report = syncStores(*laptop_, *server_);
  EXPECT_EQ(report.up.size(), 1u);
  EXPECT_EQ(report.up["signalen"], 4);
  EXPECT_EQ(report.down["partners"], 2);
  EXPECT_EQ(report.down["partner_werkgebieden"], 2);
  EXPECT_EQ(report.down.count("signalen"), 0u);  // signals only go up
  EXPECT_EQ(report.down.size(), 2u) << "only the partners' layers differ";
  ASSERT_EQ(report.resultsDown, std::vector<std::string>{"tellingen"});
  ASSERT_EQ(report.conflicts.size(), 1u);
  const auto& c = report.conflicts[0];
  EXPECT_EQ(c.layer, "signalen");
  EXPECT_EQ(c.key, "SIG-2");
  ASSERT_EQ(c.differences.size(), 1u);
  EXPECT_EQ(c.differences[0], "status: 'afgesloten' on the laptop, 'in_behandeling' on the server");
  EXPECT_NE(c.describe().find("laptop row 3"), std::string::npos) << c.describe();

  // Up: the four new ones, the conflicting one left as it was on both sides.
  EXPECT_EQ(count(*server_, "SELECT count(*) FROM signalen"), 9);
  EXPECT_EQ(count(*server_, "SELECT count(*) FROM signalen WHERE signaal_id LIKE 'SIG-1_'"), 4);
  EXPECT_EQ(*server_->query("SELECT status FROM signalen WHERE signaal_id = 'SIG-2'").at(0).at(0),
            "in_behandeling");
  EXPECT_EQ(count(*laptop_, "SELECT count(*) FROM signalen"), 7);
  // Down: the partners with their werkgebieden, and the result with its rows and metadata.
  EXPECT_EQ(count(*laptop_, "SELECT count(*) FROM partner_werkgebieden"), 2);
  const ResultLayer got = readResultLayer(*laptop_, "tellingen");
  ASSERT_EQ(got.records.size(), 2u);
  EXPECT_EQ(std::get<std::int64_t>(got.records[1].values[0]), 4);
  EXPECT_EQ(got.metadata.algorithm, "telling");
  EXPECT_EQ(got.metadata.startedAt, "2024-06-01T10:00:00");

  // Again: nothing left to move; the conflict is still reported.
  report = syncStores(*laptop_, *server_);
  EXPECT_TRUE(report.up.empty());
  EXPECT_TRUE(report.down.empty());
  EXPECT_TRUE(report.resultsDown.empty());
  EXPECT_EQ(report.conflicts.size(), 1u);
}

TEST_F(SyncTest, ARefusedDirectionWritesNothingAndNamesTheRow) {
  server_->append(testing::partnerBatches());
  // On the laptop a partner the server does not know, and a signal in its name next to a good
  // one: the server refuses the reference, so neither goes up.
  auto p = testing::batch("partners", "veld.csv");
  p.records.push_back(testing::record("partners",
                                      {{"partner_id", "P9"},
                                       {"naam", "Veld"},
                                       {"partner_type", "boer"},
                                       {"beschikbaar_dag", std::int64_t(1)},
                                       {"beschikbaar_nacht", std::int64_t(0)}},
                                      "POINT(205000 505000)", 2));
  laptop_->append(testing::only(std::move(p)));
  auto s = testing::signalBatch(20, 2, "veld.csv");
  const LayerDef& sig = layerDef("signalen");
  s.records[1].values[std::size_t(sig.fieldIndex("bron_partner_id"))] = std::string("P9");
  laptop_->append(testing::only(std::move(s)));
  const std::int64_t laptopFid =
      count(*laptop_, "SELECT CAST(fid AS INTEGER) FROM signalen WHERE signaal_id = 'SIG-21'");
  try {
    syncStores(*laptop_, *server_);
    ADD_FAILURE() << "the server took a signal of an unknown partner";
  } catch (const ValidationError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("laptop.gpkg (signalen)"), std::string::npos) << what;
    EXPECT_NE(what.find("row " + std::to_string(laptopFid)), std::string::npos) << what;
    EXPECT_NE(what.find("bron_partner_id"), std::string::npos) << what;
  }
  EXPECT_EQ(count(*server_, "SELECT count(*) FROM signalen"), 0);
}

/// Both stores with the partners and SIG-0..4, synced once so that the basis is laid.
void syncedOnce(Store& laptop, PgStore& server) {
  server.append(testing::partnerBatches());
  server.append(testing::only(testing::signalBatch(0, 5)));
  laptop.append(testing::only(testing::signalBatch(0, 5, "veld.csv")));
  auto first = syncStores(laptop, server);
  ASSERT_TRUE(first.conflicts.empty()) << first.conflicts[0].describe();
  ASSERT_EQ(first.down["partners"], 2);
  ASSERT_TRUE(first.up.empty());
}

std::string one(Store& s, const std::string& sql) {
  const auto rows = s.query(sql);
  if (rows.empty()) return "<no row>";
  return rows.at(0).at(0).value_or("NULL");
}

TEST_F(SyncTest, ChangesAndDeletionsOnTheLaptopGoUp) {
  syncedOnce(*laptop_, *server_);
  laptop_->executeSql("UPDATE signalen SET status = 'afgesloten' WHERE signaal_id = 'SIG-1'");
  laptop_->executeSql(
      "UPDATE signalen SET omschrijving = 'twee busjes' WHERE signaal_id = 'SIG-2'");
  laptop_->executeSql("DELETE FROM signalen WHERE signaal_id = 'SIG-3'");
  laptop_->append(testing::only(testing::signalBatch(10, 1, "veld.csv")));

  pgstore::SyncOptions dry;
  dry.dryRun = true;
  auto report = syncStores(*laptop_, *server_, dry);
  EXPECT_EQ(report.changedUp["signalen"], 2);
  EXPECT_EQ(report.deletedUp["signalen"], 1);
  EXPECT_EQ(one(*server_, "SELECT count(*) FROM signalen"), "5") << "a dry run writes nothing";

  report = syncStores(*laptop_, *server_);
  EXPECT_TRUE(report.conflicts.empty());
  EXPECT_EQ(report.up["signalen"], 1);
  EXPECT_EQ(report.changedUp["signalen"], 2);
  EXPECT_EQ(report.deletedUp["signalen"], 1);
  EXPECT_TRUE(report.changedDown.empty());
  EXPECT_TRUE(report.deletedDown.empty());
  EXPECT_EQ(one(*server_, "SELECT status FROM signalen WHERE signaal_id = 'SIG-1'"), "afgesloten");
  EXPECT_EQ(one(*server_, "SELECT omschrijving FROM signalen WHERE signaal_id = 'SIG-2'"),
            "twee busjes");
  EXPECT_EQ(one(*server_, "SELECT count(*) FROM signalen WHERE signaal_id = 'SIG-3'"), "0");
  EXPECT_EQ(one(*server_, "SELECT count(*) FROM signalen"), "5");  // -SIG-3 +SIG-10
  // Untouched fields of a changed row are as they were.
  EXPECT_EQ(one(*server_, "SELECT categorie FROM signalen WHERE signaal_id = 'SIG-1'"),
            "DRUGSAFVAL");

  // Again: nothing to do either way.
  report = syncStores(*laptop_, *server_);
  EXPECT_TRUE(report.up.empty() && report.changedUp.empty() && report.deletedUp.empty());
  EXPECT_TRUE(report.down.empty() && report.changedDown.empty() && report.deletedDown.empty());
  EXPECT_TRUE(report.conflicts.empty());
}

TEST_F(SyncTest, ChangesAndDeletionsOnTheServerComeDown) {
  syncedOnce(*laptop_, *server_);
  server_->executeSql("UPDATE signalen SET status = 'afgesloten' WHERE signaal_id = 'SIG-0'");
  server_->executeSql("DELETE FROM signalen WHERE signaal_id = 'SIG-4'");
  server_->executeSql("UPDATE partners SET naam = 'Jan de Boer' WHERE partner_id = 'P1'");

  auto report = syncStores(*laptop_, *server_);
  EXPECT_TRUE(report.conflicts.empty());
  EXPECT_EQ(report.changedDown["signalen"], 1);
  EXPECT_EQ(report.deletedDown["signalen"], 1);
  EXPECT_EQ(report.changedDown["partners"], 1);
  EXPECT_TRUE(report.changedUp.empty() && report.deletedUp.empty());
  EXPECT_EQ(one(*laptop_, "SELECT status FROM signalen WHERE signaal_id = 'SIG-0'"), "afgesloten");
  EXPECT_EQ(one(*laptop_, "SELECT count(*) FROM signalen WHERE signaal_id = 'SIG-4'"), "0");
  EXPECT_EQ(one(*laptop_, "SELECT naam FROM partners WHERE partner_id = 'P1'"), "Jan de Boer");
  // The geometry of the changed row came through unchanged.
  EXPECT_EQ(one(*laptop_,
                "SELECT CAST(ST_MinX(geom) AS INTEGER) FROM signalen WHERE "
                "signaal_id = 'SIG-0'"),
            "195500");
  // A register changed on the laptop is not sent up (noted), and stays a laptop change.
  laptop_->executeSql("UPDATE partners SET naam = 'Els B.' WHERE partner_id = 'P2'");
  const auto again = syncStores(*laptop_, *server_);
  EXPECT_TRUE(again.changedUp.empty());
  EXPECT_TRUE(again.conflicts.empty());
  ASSERT_EQ(again.notes.size(), 1u);
  EXPECT_NE(again.notes[0].find("partners partner_id 'P2'"), std::string::npos) << again.notes[0];
  EXPECT_EQ(one(*server_, "SELECT naam FROM partners WHERE partner_id = 'P2'"), "Els");
}

TEST_F(SyncTest, ARowChangedOnBothSidesIsAConflictAndLeftAlone) {
  syncedOnce(*laptop_, *server_);
  laptop_->executeSql("UPDATE signalen SET status = 'afgesloten' WHERE signaal_id = 'SIG-1'");
  server_->executeSql("UPDATE signalen SET status = 'nieuw' WHERE signaal_id = 'SIG-1'");
  laptop_->executeSql("DELETE FROM signalen WHERE signaal_id = 'SIG-2'");
  server_->executeSql(
      "UPDATE signalen SET omschrijving = 'vrachtwagen' WHERE signaal_id = 'SIG-2'");
  laptop_->executeSql("UPDATE signalen SET status = 'in_behandeling' WHERE signaal_id = 'SIG-3'");

  auto report = syncStores(*laptop_, *server_);
  ASSERT_EQ(report.conflicts.size(), 2u);
  const auto& both = report.conflicts[0];
  EXPECT_EQ(both.key, "SIG-1");
  ASSERT_EQ(both.differences.size(), 2u);
  EXPECT_EQ(both.differences[0], "changed on both sides since the last sync");
  EXPECT_EQ(both.differences[1], "status: 'afgesloten' on the laptop, 'nieuw' on the server");
  const auto& gone = report.conflicts[1];
  EXPECT_EQ(gone.key, "SIG-2");
  EXPECT_EQ(gone.laptopRow, 0);
  ASSERT_EQ(gone.differences.size(), 1u);
  EXPECT_NE(gone.differences[0].find("deleted on the laptop and changed on the server"),
            std::string::npos);
  EXPECT_NE(gone.differences[0].find("omschrijving 'vrachtwagen'"), std::string::npos)
      << gone.differences[0];
  EXPECT_EQ(report.changedUp["signalen"], 1);  // SIG-3
  EXPECT_TRUE(report.deletedUp.empty());
  // Both conflicting rows as they were on each side.
  EXPECT_EQ(one(*laptop_, "SELECT status FROM signalen WHERE signaal_id = 'SIG-1'"), "afgesloten");
  EXPECT_EQ(one(*server_, "SELECT status FROM signalen WHERE signaal_id = 'SIG-1'"), "nieuw");
  EXPECT_EQ(one(*laptop_, "SELECT count(*) FROM signalen WHERE signaal_id = 'SIG-2'"), "0");
  EXPECT_EQ(one(*server_, "SELECT omschrijving FROM signalen WHERE signaal_id = 'SIG-2'"),
            "vrachtwagen");
  EXPECT_EQ(one(*server_, "SELECT status FROM signalen WHERE signaal_id = 'SIG-3'"),
            "in_behandeling");
  // Still conflicts on the next sync (the basis kept), until one side is made like the other.
  report = syncStores(*laptop_, *server_);
  EXPECT_EQ(report.conflicts.size(), 2u);
  laptop_->executeSql("UPDATE signalen SET status = 'nieuw' WHERE signaal_id = 'SIG-1'");
  report = syncStores(*laptop_, *server_);
  ASSERT_EQ(report.conflicts.size(), 1u);
  EXPECT_EQ(report.conflicts[0].key, "SIG-2");
}

TEST_F(SyncTest, ARefusedChangeSendsNothingUp) {
  syncedOnce(*laptop_, *server_);
  // The laptop gets a partner of its own and moves SIG-1 to it; a new signal goes with it. The
  // server does not know P9, so neither the change nor the new signal goes up.
  auto p = testing::batch("partners", "veld.csv");
  p.records.push_back(testing::record("partners",
                                      {{"partner_id", "P9"},
                                       {"naam", "Veld"},
                                       {"partner_type", "boer"},
                                       {"beschikbaar_dag", std::int64_t(1)},
                                       {"beschikbaar_nacht", std::int64_t(0)}},
                                      "POINT(205000 505000)", 2));
  laptop_->append(testing::only(std::move(p)));
  laptop_->executeSql("UPDATE signalen SET bron_partner_id = 'P9' WHERE signaal_id = 'SIG-1'");
  laptop_->executeSql("DELETE FROM signalen WHERE signaal_id = 'SIG-0'");
  laptop_->append(testing::only(testing::signalBatch(30, 1, "veld.csv")));
  const std::string fid =
      one(*laptop_, "SELECT CAST(fid AS INTEGER) FROM signalen WHERE signaal_id = 'SIG-1'");
  try {
    syncStores(*laptop_, *server_);
    ADD_FAILURE() << "the server took a change to an unknown partner";
  } catch (const ValidationError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("laptop.gpkg (signalen)"), std::string::npos) << what;
    EXPECT_NE(what.find("row " + fid), std::string::npos) << what;
    EXPECT_NE(what.find("SIG-1"), std::string::npos) << what;
  }
  EXPECT_EQ(one(*server_, "SELECT count(*) FROM signalen"), "5");
  EXPECT_EQ(one(*server_, "SELECT count(*) FROM signalen WHERE signaal_id IN ('SIG-0', 'SIG-30')"),
            "1");
  EXPECT_EQ(
      one(*server_, "SELECT bron_partner_id IS NULL FROM signalen WHERE signaal_id = 'SIG-1'"),
      "t");
}

}  // namespace
}  // namespace veldwacht::layers
