// Roles on a real server: logins as analist, partner and publiek, each checked for what it can
// and cannot read or write. Data built in code: two partners with a 10 km square each, 40
// signals on a line crossing both squares (data.h), so every expected count is known.
#include <gtest/gtest.h>

#include "layers/pgstore/pg_store.h"
#include "layers/pgstore/roles.h"
#include "tests/layers/pgstore/data.h"
#include "tests/layers/pgstore/temp_postgres.h"

namespace veldwacht::layers {
namespace {

using pgstore::PgStore;
using pgstore::Role;
using testing::cluster;
using testing::TempPostgres;

class RolesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!TempPostgres::available()) GTEST_SKIP() << "PostgreSQL 15 + PostGIS not installed";
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    db_ = std::string("r_") + info->name();
    owner_ = PgStore::create(cluster().newDatabase(db_));
    owner_->append(testing::partnerBatches());
    owner_->append(testing::only(testing::signalBatch(0, 40)));
    auto vab = testing::batch("vab", "vab.csv");
    vab.records.push_back(testing::record("vab", {{"vab_id", "V1"}, {"leegstand", "leeg"}},
                                          "POINT(201000 501000)", 2));
    owner_->append(testing::only(std::move(vab)));
    options_.prefix = "vw_" + std::to_string(++serial_) + "_";  // roles are cluster-wide
    pgstore::installRoles(owner_->connection(), options_);
    login_ = [&](const std::string& who) { return options_.prefix + who; };
    pgstore::addLogin(owner_->connection(), login_("anna"), Role::Analist, {}, {}, options_);
    pgstore::addLogin(owner_->connection(), login_("jan"), Role::Partner, "P1", {}, options_);
    pgstore::addLogin(owner_->connection(), login_("els"), Role::Partner, "P2", {}, options_);
    pgstore::addLogin(owner_->connection(), login_("iedereen"), Role::Publiek, {}, {}, options_);
  }
  /// A connection logged in as `who`.
  pg::Connection as(const std::string& who) {
    return pg::Connection(cluster().url(db_, login_(who)));
  }
  static std::int64_t count(pg::Connection& c, const std::string& sql) {
    return std::stoll(*c.query(sql).at(0).at(0));
  }
  /// SQLSTATE of the refusal of `sql`, or "" when it was accepted.
  static std::string refusal(pg::Connection& c, const std::string& sql) {
    try {
      c.exec(sql);
      return "";
    } catch (const pg::PgError& e) {
      return e.sqlState();
    }
  }
  static std::string insertSignal(const std::string& id, double x, const std::string& partner) {
    return "INSERT INTO signalen (signaal_id, categorie, brontype, waargenomen_van, status, "
           "bron_partner_id, geom) VALUES ('" +
           id + "', 'HENNEP', 'boer', '2024-05-01T10:00:00', 'nieuw', '" + partner +
           "', ST_SetSRID(ST_MakePoint(" + std::to_string(x) + ", 505500), 28992))";
  }

  inline static int serial_ = 0;
  std::string db_;
  std::unique_ptr<PgStore> owner_;
  pgstore::RoleOptions options_;
  std::function<std::string(const std::string&)> login_;
};

TEST_F(RolesTest, AnalistReadsAndWritesEverything) {
  auto c = as("anna");
  EXPECT_EQ(count(c, "SELECT count(*) FROM signalen"), 40);
  EXPECT_EQ(count(c, "SELECT count(*) FROM vab"), 1);
  EXPECT_EQ(count(c, "SELECT count(*) FROM partners"), 2);
  EXPECT_EQ(count(c, "SELECT count(*) FROM veldwacht_imports"), 4);
  EXPECT_EQ(refusal(c, insertSignal("A-1", 150000, "P1")), "");
  EXPECT_EQ(refusal(c, "UPDATE vab SET leegstand = 'deels_leeg'"), "");
  EXPECT_EQ(refusal(c, "CREATE TABLE resultaat_test (id int)"), "");
  // The store's checks hold for the analist too.
  EXPECT_EQ(refusal(c, "UPDATE signalen SET status = 'weg'"), "23514");
  // An import through the store as the analist: recorded under the analist's name.
  auto s = PgStore::open(cluster().url(db_, login_("anna")), true);
  s->append(testing::only(testing::signalBatch(100, 5)));
  EXPECT_EQ(*s->query("SELECT ingelezen_door FROM veldwacht_imports ORDER BY import_id DESC "
                      "LIMIT 1")[0][0],
            login_("anna"));
  EXPECT_EQ(s->read("signalen").size(), 46u);
}

TEST_F(RolesTest, PartnerSeesOwnAreaInFullAndTheRestOnlyAggregated) {
  const int inP1 = testing::signalsInside(0, 40, 200000, 210000);
  const int inP2 = testing::signalsInside(0, 40, 220000, 230000);
  ASSERT_EQ(inP1, 10);
  ASSERT_EQ(inP2, 10);
  auto jan = as("jan");
  EXPECT_EQ(count(jan, "SELECT count(*) FROM signalen"), inP1);
  EXPECT_EQ(count(jan,
                  "SELECT count(*) FROM signalen WHERE ST_X(geom) < 200000 OR ST_X(geom) > "
                  "210000"),
            0);
  EXPECT_EQ(count(jan, "SELECT count(*) FROM partner_werkgebieden"), 1);
  EXPECT_EQ(*jan.query("SELECT partner_id FROM partner_werkgebieden")[0][0], "P1");
  auto els = as("els");
  EXPECT_EQ(count(els, "SELECT count(*) FROM signalen"), inP2);

  // The PgStore read path under the partner's login gets the same rows.
  auto s = PgStore::open(cluster().url(db_, login_("jan")), false);
  EXPECT_EQ(s->read("signalen").size(), std::size_t(inP1));

  // Aggregated: every km cell x category x month with at least minAggregateCount signals,
  // computed here from the signals as built.
  std::map<std::tuple<int, int, int>, int> groups;  // cell x, category index, month
  for (int k = 0; k < 40; ++k) groups[{int(195500 + 1000 * k) / 1000, k % 3, k % 12}]++;
  std::int64_t kept = 0, keptSum = 0;
  for (const auto& [key, n] : groups)
    if (n >= options_.minAggregateCount) {
      ++kept;
      keptSum += n;
    }
  EXPECT_EQ(count(jan, "SELECT count(*) FROM signalen_geaggregeerd"), kept);
  EXPECT_EQ(count(jan, "SELECT coalesce(sum(aantal), 0) FROM signalen_geaggregeerd"), keptSum);
  EXPECT_EQ(refusal(jan, "SELECT signaal_id FROM signalen_geaggregeerd"), "42703");

  // Writes: a signal in its own area in its own name, nothing else.
  EXPECT_EQ(refusal(jan, insertSignal("J-1", 205100, "P1")), "");
  EXPECT_EQ(refusal(jan, insertSignal("J-2", 215100, "P1")), "42501");  // outside its area
  EXPECT_EQ(refusal(jan, insertSignal("J-3", 205200, "P2")), "42501");  // in another's name
  EXPECT_EQ(refusal(jan, "UPDATE signalen SET status = 'afgesloten'"), "42501");
  EXPECT_EQ(refusal(jan, "DELETE FROM signalen"), "42501");
  EXPECT_EQ(count(jan, "SELECT count(*) FROM signalen"), inP1 + 1);
  EXPECT_EQ(count(els, "SELECT count(*) FROM signalen"), inP2);  // J-1 is not in P2's area

  // Layers outside its remit.
  for (const char* t :
       {"vab", "incidenten", "partners", "veldwacht_imports", "veldwacht_gebruikers"})
    EXPECT_EQ(refusal(jan, std::string("SELECT * FROM ") + t), "42501") << t;
  EXPECT_EQ(refusal(jan, "SELECT count(*) FROM gemeenten"), "");
  EXPECT_EQ(refusal(jan, "INSERT INTO gemeenten (code) VALUES ('GM0001')"), "42501");
  EXPECT_EQ(refusal(jan, "CREATE TABLE eigen (id int)"), "42501");
  // Through the store: an import of signals outside its area is refused, nothing written.
  auto w = PgStore::open(cluster().url(db_, login_("jan")), true);
  EXPECT_THROW(w->append(testing::only(testing::signalBatch(200, 3))), geo::Error);
  EXPECT_EQ(count(owner_->connection(), "SELECT count(*) FROM signalen"), 41);
}

TEST_F(RolesTest, PubliekReadsOnlyThePublicSafeLayers) {
  auto c = as("iedereen");
  for (const auto& layer : pgstore::publicLayers())
    EXPECT_EQ(refusal(c, "SELECT * FROM " + layer), "") << layer;
  EXPECT_EQ(count(c, "SELECT count(*) FROM signaal_categorieen"), 10);
  // It can open the store (schema version) and read a public layer through it.
  auto s = PgStore::open(cluster().url(db_, login_("iedereen")), false);
  EXPECT_EQ(s->read("signaal_categorieen").size(), 10u);
  EXPECT_THROW(s->read("signalen"), pg::PgError);
  for (const char* t :
       {"signalen", "signalen_geaggregeerd", "vab", "partners", "partner_werkgebieden",
        "schouwresultaten", "incidenten", "veldwacht_imports", "veldwacht_gebruikers"})
    EXPECT_EQ(refusal(c, std::string("SELECT * FROM ") + t), "42501") << t;
  EXPECT_EQ(refusal(c, "INSERT INTO gemeenten (code) VALUES ('GM0001')"), "42501");
  EXPECT_EQ(refusal(c, "UPDATE signaal_categorieen SET naam = 'x'"), "42501");
  EXPECT_EQ(refusal(c, "SELECT veldwacht_eigen_gebied()"), "42501");
}

TEST_F(RolesTest, LoginsAreCheckedAndInstallingTwiceIsHarmless) {
  EXPECT_THROW(
      pgstore::addLogin(owner_->connection(), login_("x"), Role::Partner, "P9", {}, options_),
      geo::OptionError);
  EXPECT_THROW(
      pgstore::addLogin(owner_->connection(), login_("y"), Role::Partner, {}, {}, options_),
      geo::OptionError);
  EXPECT_THROW(
      pgstore::addLogin(owner_->connection(), "Robert'); DROP", Role::Publiek, {}, {}, options_),
      geo::OptionError);
  pgstore::installRoles(owner_->connection(), options_);
  auto jan = as("jan");
  EXPECT_EQ(count(jan, "SELECT count(*) FROM signalen"), 10);
}

}  // namespace
}  // namespace veldwacht::layers
