// The audit trail on PostGIS (pg_audit.h), on a temporary server (label postgis): created with
// the store and for an older one, append-only whoever asks, the login set by the server, and a
// row written in the same transaction as what it records (sync, import --update): there when
// that was written, absent when it was refused.
#include <gtest/gtest.h>

#include <filesystem>

#include "layers/importers/importer.h"
#include "layers/pgstore/pg_audit.h"
#include "layers/pgstore/pg_store.h"
#include "layers/pgstore/pg_update.h"
#include "layers/pgstore/sync.h"
#include "layers/privacy/audit.h"
#include "tests/layers/importers/test_support.h"
#include "tests/layers/pgstore/data.h"
#include "tests/layers/pgstore/temp_postgres.h"

namespace veldwacht::layers {
namespace {

using pgstore::PgStore;
using testing::cluster;
using testing::TempDir;
using testing::TempPostgres;

class PgAuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!TempPostgres::available()) GTEST_SKIP() << "PostgreSQL 15 + PostGIS not installed";
    url_ = cluster().newDatabase(std::string("a_") +
                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    store_ = PgStore::create(url_);
  }
  std::vector<AuditEntry> audit() { return pgstore::readAudit(store_->connection()); }
  std::string url_;
  TempDir dir_;
  std::unique_ptr<PgStore> store_;
};

TEST_F(PgAuditTest, AppendOnlyWithTheLoginFromTheServer) {
  pg::Connection& c = store_->connection();
  ASSERT_TRUE(pgstore::hasAuditTable(c));
  pgstore::recordAudit(c, {.who = "els",
                           .when = "2024-06-01T10:00:00",
                           .action = "export",
                           .layer = "signalen",
                           .filter = "status = 'nieuw'",
                           .destination = "/tmp/x.gpkg",
                           .sensitivity = Sensitivity::Confidential});
  // The GeoPackage module's INSERT works here too (veldwacht rollen writes it), and a login
  // given by the client is overwritten by the server's.
  c.exec(auditInsertSql({.who = "jan", .action = "print", .layer = "wijken"}));
  c.exec(
      "INSERT INTO veldwacht_audit (wie, actie, klasse, uitkomst, login) VALUES ('piet', "
      "'export', 'openbaar', 'uitgevoerd', 'iemand_anders')");
  const auto rows = audit();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].who, "els");
  EXPECT_EQ(rows[0].when, "2024-06-01T10:00:00");
  EXPECT_EQ(rows[0].action, "export");
  EXPECT_EQ(rows[0].filter, "status = 'nieuw'");
  EXPECT_EQ(rows[0].sensitivity, Sensitivity::Confidential);
  EXPECT_EQ(rows[0].outcome, "uitgevoerd");
  EXPECT_EQ(rows[1].action, "print");
  EXPECT_EQ(rows[1].sensitivity, Sensitivity::Public);
  const std::string me = c.user();
  EXPECT_EQ(rows[2].remark, "[login " + me + "]");
  EXPECT_EQ(*c.query("SELECT count(*) FROM veldwacht_audit WHERE login = $1", {me}).at(0).at(0),
            "3");
  EXPECT_EQ(pgstore::readAudit(c, 1).size(), 1u);
  EXPECT_EQ(pgstore::readAudit(c, 1)[0].who, "piet");
  // Not changed, not removed, not emptied: also by the owner.
  for (const char* sql : {"UPDATE veldwacht_audit SET wie = 'x'", "DELETE FROM veldwacht_audit",
                          "TRUNCATE veldwacht_audit"}) {
    try {
      c.exec(sql);
      ADD_FAILURE() << sql << " was accepted";
    } catch (const pg::PgError& e) {
      EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(audit().size(), 3u);
}

// The store-neutral audit module (layers/privacy/audit.h: exports, prints, presenter mode,
// opvolging) writes and reads the same table through the Store interface on PostGIS.
TEST_F(PgAuditTest, TheStoreAuditModuleWritesAndReadsItThroughTheStore) {
  Store& store = *store_;
  EXPECT_TRUE(store.hasTable(kAuditTable));
  EXPECT_FALSE(store.hasTable("geen_tabel"));
  EXPECT_FALSE(store.hasTable("x'); DROP TABLE veldwacht_audit; --"));
  recordAudit(store, {.who = "els",
                      .when = "2024-06-01T10:00:00",
                      .action = "publiceer",
                      .layer = "openbaar_signalen",
                      .destination = "/tmp/openbaar.gpkg"});
  recordAudit(store, {.action = "print", .layer = "wijken"});
  const auto rows = readAudit(store);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].who, "els");
  EXPECT_EQ(rows[0].when, "2024-06-01T10:00:00");
  EXPECT_EQ(rows[0].action, "publiceer");
  EXPECT_EQ(rows[0].destination, "/tmp/openbaar.gpkg");
  EXPECT_EQ(rows[1].who, currentOsUser());
  EXPECT_EQ(rows[1].when.size(), 19u);
  EXPECT_EQ(rows[1].when[10], 'T');
  ASSERT_EQ(readAudit(store, 1).size(), 1u);
  EXPECT_EQ(readAudit(store, 1)[0].action, "print");
  // The same rows as the PostGIS reader sees, with the server's login.
  EXPECT_EQ(audit().size(), 2u);
  EXPECT_TRUE(store.hasTable(kAuditTable));
}

TEST_F(PgAuditTest, AnOlderStoreGetsItWhenItsOwnerOpensIt) {
  // A store of before the audit, classification and follow-up tables.
  store_->executeSql("DROP TABLE veldwacht_audit, veldwacht_classificatie, veldwacht_opvolging");
  store_.reset();
  {
    auto readOnly = PgStore::open(url_, false);
    EXPECT_FALSE(pgstore::hasAuditTable(readOnly->connection()));
    EXPECT_FALSE(pgstore::hasHistoryTables(readOnly->connection()));
    EXPECT_TRUE(pgstore::readAudit(readOnly->connection()).empty());
    // Without the table the defaults hold.
    EXPECT_EQ(classification(*readOnly, "gemeenten").sensitivity, Sensitivity::Public);
  }
  store_ = PgStore::open(url_, true);
  EXPECT_TRUE(pgstore::hasAuditTable(store_->connection()));
  EXPECT_TRUE(pgstore::hasHistoryTables(store_->connection()));
  // And they work: a class set and read back, its CHECK, the history refusing a change.
  setClassification(*store_, "signalen", Sensitivity::Public, "proef");
  EXPECT_EQ(classification(*store_, "signalen").reason, "proef");
  EXPECT_THROW(store_->executeSql("UPDATE veldwacht_classificatie SET klasse = 'geheim'"),
               std::exception);
  store_->executeSql(
      "INSERT INTO veldwacht_opvolging (signaal_id, wanneer, wie, van_status, naar_status) "
      "VALUES ('S-1', '2025-01-01', 'x', 'nieuw', 'in_behandeling')");
  EXPECT_THROW(store_->executeSql("UPDATE veldwacht_opvolging SET wie = 'y'"), std::exception);
}

TEST_F(PgAuditTest, SyncRecordsWhatWentUpAndCameDownOnlyWhenItWasWritten) {
  store_->append(testing::partnerBatches());
  store_->append(testing::only(testing::signalBatch(0, 3)));
  auto laptop = Store::create(dir_.file("laptop.gpkg"));
  laptop->append(testing::only(testing::signalBatch(0, 3, "veld.csv")));
  laptop->append(testing::only(testing::signalBatch(10, 2, "veld.csv")));
  pgstore::syncStores(*laptop, *store_);
  auto rows = audit();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].action, "sync");
  EXPECT_EQ(rows[0].destination, laptop->path());
  EXPECT_EQ(rows[0].sensitivity, Sensitivity::Confidential);
  EXPECT_EQ(rows[0].layer, "partner_werkgebieden, partners, signalen");
  EXPECT_NE(rows[0].remark.find(
                "up: 2 new, 0 changed, 0 deleted; down: 4 new, 0 changed, 0 deleted, 0 results; 0 "
                "conflicts"),
            std::string::npos)
      << rows[0].remark;

  // A refused sync (a change to a partner the server lacks) writes no audit row either.
  auto p = testing::batch("partners", "veld.csv");
  p.records.push_back(testing::record("partners",
                                      {{"partner_id", "P9"},
                                       {"naam", "Veld"},
                                       {"partner_type", "boer"},
                                       {"beschikbaar_dag", std::int64_t(1)},
                                       {"beschikbaar_nacht", std::int64_t(0)}},
                                      "POINT(205000 505000)", 2));
  laptop->append(testing::only(std::move(p)));
  laptop->executeSql("UPDATE signalen SET bron_partner_id = 'P9' WHERE signaal_id = 'SIG-1'");
  EXPECT_THROW(pgstore::syncStores(*laptop, *store_), ValidationError);
  EXPECT_EQ(audit().size(), 1u);
}

TEST_F(PgAuditTest, ImportUpdateRecordsWhatItChangedOnlyWhenItWasWritten) {
  const std::string sq =
      "\"POLYGON ((250000 590000, 250500 590000, 250500 590500, 250000 "
      "590500, 250000 590000))\"";
  const std::string v1 = testing::writeFile(dir_.file("ibis_v1.csv"),
                                            "rin_nummer;plan_naam;wkt\nRIN1;De Haven;" + sq + "\n");
  const std::string v2 = testing::writeFile(
      dir_.file("ibis_v2.csv"), "rin_nummer;plan_naam;wkt\nRIN1;De Haven Noord;" + sq + "\n");
  const std::string incident =
      testing::writeFile(dir_.file("incidenten.csv"),
                         "incident_id;datum;rin_nummer;x;y\nINC-1;01-03-2024;RIN1;250100;590100\n");
  const std::vector<std::string> first = {v1, incident};
  importFiles(*store_, first, {});
  ImportOptions update;
  update.update = true;
  const std::vector<std::string> second = {v2};
  pgstore::importUpdate(*store_, second, update);
  auto rows = audit();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].action, "import --update");
  EXPECT_EQ(rows[0].layer, "bedrijventerreinen");
  EXPECT_NE(rows[0].remark.find("update of bedrijventerreinen by rin_nummer: 0 added, 1 changed "
                                "(RIN1), 0 removed, 0 unchanged"),
            std::string::npos)
      << rows[0].remark;
  // Removing RIN1 (an incident is on it) is refused: no audit row.
  const std::string empty = testing::writeFile(
      dir_.file("ibis_v3.csv"), "rin_nummer;plan_naam;wkt\nRIN2;Elders;" + sq + "\n");
  const std::vector<std::string> third = {empty};
  EXPECT_THROW(pgstore::importUpdate(*store_, third, update), ValidationError);
  EXPECT_EQ(audit().size(), 1u);
}

}  // namespace
}  // namespace veldwacht::layers
