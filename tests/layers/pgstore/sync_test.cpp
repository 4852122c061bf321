// veldwacht sync between a GeoPackage (the laptop) and a PostGIS store on a temporary server
// (label postgis): new signals up, new registers and results down, conflicts row by row, each
// direction all or nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "layers/pgstore/pg_store.h"
#include "layers/pgstore/roles.h"
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

// --take: conflicts resolved by taking one side's version, in the same transactions, the audit
// row saying so.
TEST_F(SyncTest, TakeResolvesConflictsRowByRow) {
  syncedOnce(*laptop_, *server_);
  // SIG-0, SIG-2: deleted on the laptop, changed on the server. SIG-1, SIG-4: changed on both.
  // SIG-3: changed on the laptop, deleted on the server.
  laptop_->executeSql("DELETE FROM signalen WHERE signaal_id IN ('SIG-0', 'SIG-2')");
  server_->executeSql(
      "UPDATE signalen SET omschrijving = 'server' WHERE signaal_id IN ('SIG-0', 'SIG-2')");
  laptop_->executeSql(
      "UPDATE signalen SET status = 'afgesloten' WHERE signaal_id IN ('SIG-1', 'SIG-4')");
  server_->executeSql(
      "UPDATE signalen SET status = 'nieuw' WHERE signaal_id IN ('SIG-1', 'SIG-4')");
  laptop_->executeSql("UPDATE signalen SET omschrijving = 'laptop' WHERE signaal_id = 'SIG-3'");
  server_->executeSql("DELETE FROM signalen WHERE signaal_id = 'SIG-3'");

  pgstore::SyncOptions o;
  for (const char* t : {"server", "laptop:signalen:SIG-2", "laptop:signalen:SIG-4"})
    o.take.push_back(pgstore::TakeRule::parse(t));
  o.dryRun = true;
  auto report = syncStores(*laptop_, *server_, o);
  EXPECT_EQ(report.taken.size(), 5u);
  EXPECT_EQ(one(*server_, "SELECT count(*) FROM signalen"), "4") << "a dry run writes nothing";
  o.dryRun = false;
  report = syncStores(*laptop_, *server_, o);
  EXPECT_TRUE(report.conflicts.empty()) << report.conflicts[0].describe();
  ASSERT_EQ(report.taken.size(), 5u);
  std::map<std::string, pgstore::SyncSide> sides;
  for (const auto& c : report.taken) sides[c.key] = *c.taken;
  EXPECT_EQ(sides["SIG-0"], pgstore::SyncSide::Server);
  EXPECT_EQ(sides["SIG-1"], pgstore::SyncSide::Server);
  EXPECT_EQ(sides["SIG-2"], pgstore::SyncSide::Laptop);
  EXPECT_EQ(sides["SIG-3"], pgstore::SyncSide::Server);
  EXPECT_EQ(sides["SIG-4"], pgstore::SyncSide::Laptop);
  EXPECT_NE(report.taken[0].describe().find("took the server's version"), std::string::npos)
      << report.taken[0].describe();
  // SIG-0 back on the laptop as the server has it; SIG-2 deleted on the server.
  EXPECT_EQ(one(*laptop_, "SELECT omschrijving FROM signalen WHERE signaal_id = 'SIG-0'"),
            "server");
  EXPECT_EQ(one(*server_, "SELECT count(*) FROM signalen WHERE signaal_id = 'SIG-2'"), "0");
  EXPECT_EQ(one(*laptop_, "SELECT status FROM signalen WHERE signaal_id = 'SIG-1'"), "nieuw");
  EXPECT_EQ(one(*server_, "SELECT status FROM signalen WHERE signaal_id = 'SIG-1'"), "nieuw");
  EXPECT_EQ(one(*laptop_, "SELECT count(*) FROM signalen WHERE signaal_id = 'SIG-3'"), "0");
  EXPECT_EQ(one(*server_, "SELECT status FROM signalen WHERE signaal_id = 'SIG-4'"), "afgesloten");
  EXPECT_EQ(one(*laptop_, "SELECT count(*) FROM signalen"), "3");  // SIG-0, 1, 4
  EXPECT_EQ(one(*server_, "SELECT count(*) FROM signalen"), "3");
  // The audit row says what was taken from which side.
  const std::string remark =
      one(*server_, "SELECT opmerking FROM veldwacht_audit WHERE actie = 'sync' ORDER BY fid DESC");
  EXPECT_NE(remark.find("2 conflicts resolved by taking the laptop's version (--take): signalen "
                        "'SIG-2', signalen 'SIG-4'"),
            std::string::npos)
      << remark;
  EXPECT_NE(remark.find("3 conflicts resolved by taking the server's version"), std::string::npos)
      << remark;
  // Both sides now agree: nothing left.
  report = syncStores(*laptop_, *server_);
  EXPECT_TRUE(report.conflicts.empty() && report.taken.empty());
  EXPECT_TRUE(report.up.empty() && report.changedUp.empty() && report.deletedUp.empty());
  EXPECT_TRUE(report.down.empty() && report.changedDown.empty() && report.deletedDown.empty());
}

TEST_F(SyncTest, TakeOnTheFirstSync) {
  // No basis yet: rows that differ are conflicts; a register cannot be taken from the laptop.
  server_->append(testing::partnerBatches());
  server_->append(testing::only(testing::signalBatch(0, 3)));
  laptop_->append(testing::partnerBatches());
  laptop_->append(testing::only(testing::signalBatch(0, 3, "veld.csv")));
  laptop_->executeSql("UPDATE signalen SET status = 'afgesloten' WHERE signaal_id = 'SIG-1'");
  laptop_->executeSql("UPDATE partners SET naam = 'Jan L.' WHERE partner_id = 'P1'");
  pgstore::SyncOptions o;
  o.take.push_back(pgstore::TakeRule::parse("laptop"));
  auto report = syncStores(*laptop_, *server_, o);
  ASSERT_EQ(report.taken.size(), 1u);
  EXPECT_EQ(report.taken[0].key, "SIG-1");
  EXPECT_EQ(one(*server_, "SELECT status FROM signalen WHERE signaal_id = 'SIG-1'"), "afgesloten");
  ASSERT_EQ(report.conflicts.size(), 1u);
  EXPECT_EQ(report.conflicts[0].key, "P1");
  EXPECT_NE(report.conflicts[0].describe().find("--take laptop does not apply"), std::string::npos)
      << report.conflicts[0].describe();
  EXPECT_EQ(one(*server_, "SELECT naam FROM partners WHERE partner_id = 'P1'"), "Jan");
  // The register from the server.
  o.take = {pgstore::TakeRule::parse("server:partners")};
  report = syncStores(*laptop_, *server_, o);
  EXPECT_TRUE(report.conflicts.empty());
  ASSERT_EQ(report.taken.size(), 1u);
  EXPECT_EQ(one(*laptop_, "SELECT naam FROM partners WHERE partner_id = 'P1'"), "Jan");
  // Bad rules are refused before anything happens.
  EXPECT_THROW(pgstore::TakeRule::parse("beide"), geo::OptionError);
  EXPECT_THROW(pgstore::TakeRule::parse("server:"), geo::OptionError);
  o.take = {pgstore::TakeRule::parse("server:geen_laag")};
  EXPECT_THROW(syncStores(*laptop_, *server_, o), geo::OptionError);
  o.take = {pgstore::TakeRule::parse("server:partner_werkgebieden")};
  EXPECT_THROW(syncStores(*laptop_, *server_, o), geo::OptionError);
}

// The comparison streams both stores in key order and merges them: text keys must come in
// the same (bytewise) order from PostgreSQL, whatever its collation, as from SQLite, and integer
// keys numerically (9 < 10 < 100), or equal rows would be taken for new ones.
TEST_F(SyncTest, KeysMergeInOneOrderOnBothSides) {
  auto wegvakken = [](std::initializer_list<std::int64_t> ids, const std::string& file) {
    auto b = testing::batch("wegvakken", file);
    for (std::int64_t id : ids)
      b.records.push_back(
          testing::record("wegvakken", {{"wvk_id", id}, {"jte_id_beg", id}, {"jte_id_end", id + 1}},
                          "LINESTRING(200000 " + std::to_string(500000 + id) + ", 200100 " +
                              std::to_string(500000 + id) + ")",
                          id));
    return testing::only(std::move(b));
  };
  server_->append(wegvakken({9, 10, 100, 1000}, "nwb.gpkg"));
  laptop_->append(wegvakken({9, 100, 1000}, "nwb.gpkg"));
  // Signal keys whose order differs between collations: case, accents, digits.
  const std::vector<std::string> ids = {"sig-b", "SIG-a", "SIG-\u00e9", "Sig-10", "SIG-9", "_x"};
  auto signals = [&](const std::string& file, std::size_t n) {
    auto b = testing::signalBatch(0, int(n), file);
    for (std::size_t i = 0; i < n; ++i)
      b.records[i].values[std::size_t(layerDef("signalen").fieldIndex("signaal_id"))] = ids[i];
    return testing::only(std::move(b));
  };
  server_->append(signals("signalen.csv", ids.size() - 1));
  laptop_->append(signals("veld.csv", ids.size()));  // "_x" only on the laptop
  auto report = syncStores(*laptop_, *server_);
  EXPECT_TRUE(report.conflicts.empty()) << report.conflicts[0].describe();
  EXPECT_EQ(report.up["signalen"], 1);
  EXPECT_EQ(report.down["wegvakken"], 1);
  EXPECT_EQ(one(*laptop_, "SELECT count(*) FROM wegvakken WHERE wvk_id = 10"), "1");
  EXPECT_EQ(one(*server_, "SELECT count(*) FROM signalen WHERE signaal_id = '_x'"), "1");
  report = syncStores(*laptop_, *server_);
  EXPECT_TRUE(report.up.empty() && report.down.empty() && report.conflicts.empty());
  // The basis holds every key once, so a change on one side is one change, not a conflict.
  server_->executeSql("UPDATE wegvakken SET stt_naam = 'Dorpsstraat' WHERE wvk_id = 100");
  laptop_->executeSql("UPDATE signalen SET status = 'afgesloten' WHERE signaal_id = 'Sig-10'");
  report = syncStores(*laptop_, *server_);
  EXPECT_TRUE(report.conflicts.empty());
  EXPECT_EQ(report.changedDown["wegvakken"], 1);
  EXPECT_EQ(report.changedUp["signalen"], 1);
  EXPECT_EQ(one(*laptop_, "SELECT stt_naam FROM wegvakken WHERE wvk_id = 100"), "Dorpsstraat");
}

/// Sync under each role on a store with roles installed: the server's owner fills it, the sync
/// logs in as analist, partner (P1) or publiek.
class SyncRolesTest : public SyncTest {
 protected:
  void SetUp() override {
    SyncTest::SetUp();
    if (IsSkipped()) return;
    db_ = std::string("s_") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    server_->append(testing::partnerBatches());
    server_->append(testing::only(testing::signalBatch(0, 40)));
    options_.prefix = "sy_" + std::to_string(++serial_) + "_";  // roles are cluster-wide
    pgstore::installRoles(server_->connection(), options_);
    pgstore::addLogin(server_->connection(), login("anna"), pgstore::Role::Analist, {}, {},
                      options_);
    pgstore::addLogin(server_->connection(), login("jan"), pgstore::Role::Partner, "P1", {},
                      options_);
    pgstore::addLogin(server_->connection(), login("iedereen"), pgstore::Role::Publiek, {}, {},
                      options_);
    // The laptop had everything once (from an analist): the partners and all 40 signals.
    laptop_->append(testing::partnerBatches());
    laptop_->append(testing::only(testing::signalBatch(0, 40, "veld.csv")));
  }
  std::string login(const std::string& who) const { return options_.prefix + who; }
  std::unique_ptr<PgStore> as(const std::string& who) {
    return PgStore::open(cluster().url(db_, login(who)), true);
  }
  /// A signal of the laptop's in partner `partner`'s name at x (y = 505500).
  void newSignal(const std::string& id, double x, const std::string& partner) {
    auto b = testing::batch("signalen", "veld.csv");
    b.records.push_back(testing::record("signalen",
                                        {{"signaal_id", id},
                                         {"categorie", "HENNEP"},
                                         {"brontype", "boer"},
                                         {"waargenomen_van", "2024-05-01T10:00:00"},
                                         {"status", "nieuw"},
                                         {"bron_partner_id", partner}},
                                        "POINT(" + std::to_string(x) + " 505500)", 2));
    laptop_->append(testing::only(std::move(b)));
  }
  std::string fidOf(const std::string& id) {
    return one(*laptop_,
               "SELECT CAST(fid AS INTEGER) FROM signalen WHERE signaal_id = '" + id + "'");
  }
  inline static int serial_ = 0;
  std::string db_;
  pgstore::RoleOptions options_;
};

TEST_F(SyncRolesTest, APartnerLeavesWhatItCannotSeeAlone) {
  ASSERT_EQ(testing::signalsInside(0, 40, 200000, 210000), 10);
  auto jan = as("jan");
  auto report = syncStores(*laptop_, *jan);
  // The 30 signals outside P1's area are on the server: not new, not duplicates, not deleted.
  EXPECT_TRUE(report.conflicts.empty()) << report.conflicts[0].describe();
  EXPECT_TRUE(report.up.empty());
  EXPECT_TRUE(report.deletedDown.empty());
  const auto hiddenNote = std::find_if(report.notes.begin(), report.notes.end(), [](auto& n) {
    return n.find("30 rows of signalen") != std::string::npos;
  });
  ASSERT_NE(hiddenNote, report.notes.end());
  EXPECT_NE(hiddenNote->find("outside what login '" + login("jan") + "' (role " + login("partner") +
                             ") may see"),
            std::string::npos)
      << *hiddenNote;
  for (const char* layer : {"partners", "vab", "veldwacht_resultaten"})
    EXPECT_NE(std::find(report.unreadable.begin(), report.unreadable.end(), layer),
              report.unreadable.end())
        << layer;
  EXPECT_EQ(one(*laptop_, "SELECT count(*) FROM signalen"), "40");
  EXPECT_EQ(one(*laptop_, "SELECT count(*) FROM partners"), "2");

  // The analist moves SIG-5 out of P1's area and deletes SIG-6; jan adds a signal in its area.
  server_->executeSql(
      "UPDATE signalen SET geom = ST_SetSRID(ST_MakePoint(215500, 505500), 28992) WHERE "
      "signaal_id = 'SIG-5'");
  server_->executeSql("DELETE FROM signalen WHERE signaal_id = 'SIG-6'");
  newSignal("J-1", 205100, "P1");
  report = syncStores(*laptop_, *jan);
  EXPECT_TRUE(report.conflicts.empty());
  EXPECT_EQ(report.up["signalen"], 1);
  EXPECT_EQ(report.deletedDown["signalen"], 1);  // SIG-6, not SIG-5
  EXPECT_EQ(one(*laptop_, "SELECT count(*) FROM signalen WHERE signaal_id = 'SIG-5'"), "1");
  EXPECT_EQ(one(*laptop_, "SELECT count(*) FROM signalen WHERE signaal_id = 'SIG-6'"), "0");
  EXPECT_EQ(one(*server_, "SELECT bron_partner_id FROM signalen WHERE signaal_id = 'J-1'"), "P1");
  EXPECT_EQ(one(*server_,
                "SELECT i.ingelezen_door FROM signalen s JOIN veldwacht_imports i USING "
                "(import_id) WHERE s.signaal_id = 'J-1'"),
            login("jan"));
  EXPECT_EQ(one(*server_, "SELECT count(*) FROM signalen"), "40");  // -SIG-6 +J-1
  EXPECT_EQ(one(*server_,
                "SELECT login FROM veldwacht_audit WHERE actie = 'sync' ORDER BY fid "
                "DESC"),
            login("jan"));
  // Again: nothing to do.
  report = syncStores(*laptop_, *jan);
  EXPECT_TRUE(report.up.empty() && report.deletedDown.empty() && report.conflicts.empty());
}

TEST_F(SyncRolesTest, WhatAPartnerMayNotWriteIsRefusedUpFront) {
  auto jan = as("jan");
  syncStores(*laptop_, *jan);
  newSignal("J-2", 215100, "P1");  // outside its area
  newSignal("J-3", 205300, "P2");  // in another partner's name
  newSignal("J-4", 205400, "P1");  // fine on its own
  laptop_->executeSql("UPDATE signalen SET status = 'afgesloten' WHERE signaal_id = 'SIG-7'");
  laptop_->executeSql("DELETE FROM signalen WHERE signaal_id = 'SIG-8'");
  try {
    syncStores(*laptop_, *jan);
    ADD_FAILURE() << "the partner's sync wrote what it may not";
  } catch (const ValidationError& e) {
    const std::string what = e.what();
    ASSERT_EQ(e.problems().size(), 4u) << what;
    for (const std::string& id : {std::string("J-2"), std::string("J-3"), std::string("SIG-7")}) {
      const auto at = std::find_if(e.problems().begin(), e.problems().end(), [&](auto& p) {
        return p.message.find("'" + id + "'") != std::string::npos;
      });
      ASSERT_NE(at, e.problems().end()) << id << ": " << what;
      EXPECT_EQ(at->where.file, laptop_->path() + " (signalen)");
      EXPECT_EQ(at->where.row.value_or(-1), std::stoll(fidOf(id))) << id;
      EXPECT_NE(at->message.find("login '" + login("jan") + "' (role " + login("partner") + ")"),
                std::string::npos)
          << at->message;
    }
    EXPECT_NE(what.find("may not UPDATE rows of signalen"), std::string::npos) << what;
    EXPECT_NE(what.find("'SIG-8' was deleted on the laptop"), std::string::npos) << what;
    EXPECT_NE(what.find("may not DELETE rows of signalen"), std::string::npos) << what;
    EXPECT_NE(what.find("row-level security of signalen"), std::string::npos) << what;
  }
  EXPECT_EQ(one(*server_, "SELECT count(*) FROM signalen"), "40");
  EXPECT_EQ(one(*server_, "SELECT count(*) FROM signalen WHERE signaal_id LIKE 'J-%'"), "0");
  EXPECT_EQ(one(*server_, "SELECT status FROM signalen WHERE signaal_id = 'SIG-7'"),
            "in_behandeling");
}

TEST_F(SyncRolesTest, PubliekAndAnalist) {
  server_->append(testing::only([] {
    auto g = testing::batch("gemeenten", "gemeenten.gpkg");
    g.records.push_back(testing::record("gemeenten", {{"code", "GM0001"}, {"naam", "Eerste"}},
                                        testing::square(190000, 490000, 50000), 1));
    return g;
  }()));
  // publiek reads no signals: the laptop's 40, never synced with this server, cannot go up.
  auto pub = as("iedereen");
  try {
    syncStores(*laptop_, *pub);
    ADD_FAILURE() << "publiek sent signals up";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.problems().size(), 40u);
    EXPECT_NE(std::string(e.what()).find("login '" + login("iedereen") + "' (role " +
                                         login("publiek") + ") may not read layer signalen"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(one(*laptop_, "SELECT count(*) FROM gemeenten"), "0") << "nothing came down";
  // Without signals of its own the laptop gets the public layers and keeps the rest.
  laptop_->executeSql("DELETE FROM signalen");
  auto report = syncStores(*laptop_, *pub);
  EXPECT_EQ(report.down["gemeenten"], 1);
  EXPECT_EQ(one(*laptop_, "SELECT naam FROM gemeenten"), "Eerste");
  for (const char* layer : {"signalen", "partners", "partner_werkgebieden"})
    EXPECT_NE(std::find(report.unreadable.begin(), report.unreadable.end(), layer),
              report.unreadable.end())
        << layer;
  EXPECT_EQ(one(*laptop_, "SELECT count(*) FROM partners"), "2");

  // The analist sees and writes everything (row-level security lets it): a change goes up.
  auto anna = as("anna");
  laptop_->append(testing::only(testing::signalBatch(0, 40, "veld.csv")));
  report = syncStores(*laptop_, *anna);
  EXPECT_TRUE(report.conflicts.empty());
  EXPECT_TRUE(report.notes.empty()) << report.notes[0];
  EXPECT_TRUE(report.unreadable.empty()) << report.unreadable[0];
  laptop_->executeSql("UPDATE signalen SET status = 'afgesloten' WHERE signaal_id = 'SIG-30'");
  laptop_->executeSql("DELETE FROM signalen WHERE signaal_id = 'SIG-31'");
  report = syncStores(*laptop_, *anna);
  EXPECT_EQ(report.changedUp["signalen"], 1);
  EXPECT_EQ(report.deletedUp["signalen"], 1);
  EXPECT_EQ(one(*server_, "SELECT status FROM signalen WHERE signaal_id = 'SIG-30'"), "afgesloten");
  EXPECT_EQ(one(*server_, "SELECT count(*) FROM signalen"), "39");
}

}  // namespace
}  // namespace veldwacht::layers
