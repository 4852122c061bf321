// Roles on a real server: logins as analist, partner and publiek, each checked for what it can
// and cannot read or write. Data built in code: two partners with a 10 km square each, 40
// signals on a line crossing both squares (data.h), so every expected count is known.
#include <gtest/gtest.h>

#include <set>

#include <filesystem>
#include <fstream>

#include "layers/importers/importer.h"
#include "layers/pgstore/pg_results.h"
#include "layers/pgstore/pg_store.h"
#include "layers/pgstore/roles.h"
#include "layers/privacy/audit.h"
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
       {"vab", "incidenten", "partners", "veldwacht_imports", "veldwacht_gebruikers",
        "veldwacht_rollen", "panden", "verblijfsobjecten", "bedrijventerreinen"})
    EXPECT_EQ(refusal(jan, std::string("SELECT * FROM ") + t), "42501") << t;
  // The category list, to fill in its own signals; the open registers.
  EXPECT_EQ(count(jan, "SELECT count(*) FROM signaal_categorieen"), 10);
  EXPECT_EQ(refusal(jan, "UPDATE signaal_categorieen SET naam = 'x'"), "42501");
  for (const char* t : {"gewaspercelen", "misdrijven_per_buurt", "wegvakken"})
    EXPECT_EQ(refusal(jan, std::string("SELECT * FROM ") + t), "") << t;
  EXPECT_EQ(refusal(jan, "SELECT count(*) FROM gemeenten"), "");
  EXPECT_EQ(refusal(jan, "INSERT INTO gemeenten (code) VALUES ('GM0001')"), "42501");
  EXPECT_EQ(refusal(jan, "CREATE TABLE eigen (id int)"), "42501");
  // Through the store: an import of signals outside its area is refused, nothing written.
  auto w = PgStore::open(cluster().url(db_, login_("jan")), true);
  EXPECT_THROW(w->append(testing::only(testing::signalBatch(200, 3))), geo::Error);
  EXPECT_EQ(count(owner_->connection(), "SELECT count(*) FROM signalen"), 41);
}

// A partner adds signals through the store (its import row, its name, its area; grants version
// 4), and learns whether a key it cannot see exists, not what that row holds.
TEST_F(RolesTest, APartnerImportsItsOwnSignalsAndAsksWhichKeysExist) {
  auto w = PgStore::open(cluster().url(db_, login_("jan")), true);
  auto b = testing::batch("signalen", "veld.csv");
  b.records.push_back(testing::record("signalen",
                                      {{"signaal_id", "J-1"},
                                       {"categorie", "HENNEP"},
                                       {"brontype", "boer"},
                                       {"waargenomen_van", "2024-05-01T10:00:00"},
                                       {"status", "nieuw"},
                                       {"bron_partner_id", "P1"}},
                                      "POINT(205100 505500)", 2));
  w->append(testing::only(std::move(b)));
  auto& o = owner_->connection();
  EXPECT_EQ(*o.query("SELECT i.ingelezen_door FROM signalen s JOIN veldwacht_imports i USING "
                     "(import_id) WHERE s.signaal_id = 'J-1'")
                 .at(0)
                 .at(0),
            login_("jan"));
  // SIG-0 lies outside P1's area: not readable, but its key is taken, so an import of it is
  // refused by the check (naming the key), not by the unique index halfway.
  const LayerDef& sig = layerDef("signalen");
  EXPECT_EQ(w->existing("signalen", *sig.field("signaal_id"), {"SIG-0", "SIG-5", "X-1"}),
            (std::set<std::string>{"SIG-0", "SIG-5"}));
  EXPECT_EQ(w->existing("partners", *layerDef("partners").field("partner_id"), {"P2", "P9"}),
            std::set<std::string>{"P2"});
  auto jan = as("jan");
  EXPECT_EQ(refusal(jan,
                    "SELECT * FROM veldwacht_bestaande_sleutels('vab', 'vab_id', "
                    "ARRAY['V1'])"),
            "P0001");
  EXPECT_EQ(refusal(jan, "SELECT bron_bestand FROM veldwacht_imports"), "42501");
  auto pub = as("iedereen");
  EXPECT_EQ(refusal(pub,
                    "SELECT * FROM veldwacht_bestaande_sleutels('signalen', 'signaal_id', "
                    "ARRAY['SIG-0'])"),
            "42501");
}

TEST_F(RolesTest, FileImportsGoThroughRowLevelSecurityInChunks) {
  // signalen has row-level security once the roles are installed, and COPY is refused on such
  // a table: importFiles copies each chunk into a temporary table and moves it with INSERT …
  // SELECT, which the policies check. As the analist: written, and a key repeated in a later
  // chunk is still named with both rows.
  const auto dir = std::filesystem::temp_directory_path() / ("vw_roles_" + db_);
  std::filesystem::create_directories(dir);
  auto csv = [&](const std::string& name, int n, int repeat) {
    const std::string path = (dir / name).string();
    std::ofstream out(path);
    out << "signaal_id;categorie;brontype;waargenomen_van;status;x;y\n";
    for (int i = 0; i < n; ++i)
      out << "F-" << (i == repeat ? 0 : i) << ";HENNEP;boer;01-05-2024 10:00;nieuw;"
          << 201000 + 100 * i << ";505000\n";
    return path;
  };
  const std::vector<std::string> good = {csv("goed.csv", 5, -1)};
  const std::vector<std::string> twice = {csv("dubbel.csv", 5, 4)};  // row 6 repeats row 2
  ImportOptions o;
  o.chunkRows = 2;
  auto anna = PgStore::open(cluster().url(db_, login_("anna")), true);
  try {
    importFiles(*anna, twice, o);
    ADD_FAILURE() << "a duplicate was written";
  } catch (const ValidationError& e) {
    ASSERT_EQ(e.problems().size(), 1u) << e.what();
    EXPECT_EQ(e.problems()[0].where.row, 6);
    EXPECT_NE(e.problems()[0].message.find("(also in " + twice[0] + " row 2)"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(count(owner_->connection(), "SELECT count(*) FROM signalen"), 40);
  EXPECT_EQ(importFiles(*anna, good, o).rowsPerLayer.at(0).second, 5);
  EXPECT_EQ(count(owner_->connection(),
                  "SELECT count(*) FROM signalen WHERE signaal_id LIKE "
                  "'F-%' AND ST_X(geom) BETWEEN 201000 AND 201400"),
            5);
  EXPECT_EQ(count(owner_->connection(), "SELECT count(*) FROM signalen"), 45);
  std::filesystem::remove_all(dir);
}

// A partner imports a file of its own signals (issue 14): streamed in chunks through row-level
// security, its import row counted through veldwacht_import_afsluiten (it may not UPDATE import
// records). A key held by a signal it cannot see, a signal outside its area and one in another
// partner's name are refused naming file, row and field, and nothing of the import is written.
TEST_F(RolesTest, APartnerImportsAFileOfItsOwnSignals) {
  const auto dir = std::filesystem::temp_directory_path() / ("vw_roles_" + db_);
  std::filesystem::create_directories(dir);
  struct Row {
    std::string id;
    int x;
    std::string partner;
  };
  auto csv = [&](const std::string& name, const std::vector<Row>& rows) {
    const std::string path = (dir / name).string();
    std::ofstream out(path);
    out << "signaal_id;categorie;brontype;waargenomen_van;status;bron_partner_id;x;y\n";
    for (const Row& r : rows)
      out << r.id << ";HENNEP;boer;01-05-2024 10:00;nieuw;" << r.partner << ";" << r.x
          << ";505000\n";
    return std::vector<std::string>{path};
  };
  std::vector<Row> own;  // file rows 2..6, inside P1's werkgebied (200000..210000)
  for (int i = 0; i < 5; ++i) own.push_back({"J-" + std::to_string(i), 201000 + 100 * i, "P1"});
  ImportOptions o;
  o.chunkRows = 2;  // rows 2-3, 4-5, 6
  auto jan = PgStore::open(cluster().url(db_, login_("jan")), true);
  auto& owner = owner_->connection();
  const std::string nothing = "; nothing of this import was written";
  // One problem, named by file, row and field; nothing written, no import row left.
  const auto expectRefused = [&](const std::vector<Row>& rows, const std::string& name, int row,
                                 const std::string& field, const std::string& message) {
    try {
      importFiles(*jan, csv(name, rows), o);
      ADD_FAILURE() << name << " was imported";
    } catch (const ValidationError& e) {
      ASSERT_EQ(e.problems().size(), 1u) << e.what();
      const Problem& p = e.problems()[0];
      EXPECT_EQ(p.where.file, (dir / name).string());
      EXPECT_EQ(p.where.row, row) << name;
      EXPECT_EQ(p.where.field, field) << name;
      EXPECT_EQ(p.message, message) << name;
    }
    EXPECT_EQ(count(owner, "SELECT count(*) FROM signalen"), 40) << name;
    EXPECT_EQ(count(owner, "SELECT count(*) FROM veldwacht_imports"), 4) << name;
  };
  const std::string rls = "the row-level security of signalen lets login '" + login_("jan") +
                          "' (partner 'P1') add rows ";

  // SIG-0 lies outside P1's area: jan does not see it, but its key is taken (row 5, chunk 2).
  auto janSql = as("jan");
  ASSERT_EQ(count(janSql, "SELECT count(*) FROM signalen WHERE signaal_id = 'SIG-0'"), 0);
  auto hidden = own;
  hidden[3].id = "SIG-0";
  expectRefused(hidden, "verborgen.csv", 5, "signaal_id",
                "signaal_id 'SIG-0' is already in the store (layer signalen); expected a new "
                "signaal_id");
  // Row 6 (chunk 3) outside its werkgebied; the chunks before it were written, and undone.
  auto outside = own;
  outside[4].x = 215100;
  expectRefused(outside, "buiten.csv", 6, "geometry",
                "outside the werkgebieden of partner 'P1': " + rls + "inside them only" + nothing);
  // Row 3 in P2's name (inside P1's area).
  auto other = own;
  other[1].partner = "P2";
  expectRefused(other, "ander.csv", 3, "bron_partner_id",
                "bron_partner_id 'P2' is another partner's: " + rls +
                    "in its own name only (bron_partner_id 'P1')" + nothing);

  // Its own file: written whole, in its name, one import row that counts the rows.
  const ImportReport report = importFiles(*jan, csv("eigen.csv", own), o);
  ASSERT_EQ(report.rowsPerLayer.size(), 1u);
  EXPECT_EQ(report.rowsPerLayer[0].second, 5);
  EXPECT_EQ(count(owner,
                  "SELECT count(*) FROM signalen WHERE signaal_id LIKE 'J-%' AND bron_partner_id "
                  "= 'P1' AND ST_X(geom) BETWEEN 201000 AND 201400"),
            5);
  const auto imported = owner.query(
      "SELECT i.import_id, i.rijen, i.ingelezen_door, count(*) FROM signalen s JOIN "
      "veldwacht_imports i USING (import_id) WHERE s.signaal_id LIKE 'J-%' GROUP BY 1, 2, 3");
  ASSERT_EQ(imported.size(), 1u);
  EXPECT_EQ(*imported[0][1], "5");
  EXPECT_EQ(*imported[0][2], login_("jan"));
  EXPECT_EQ(*imported[0][3], "5");
  EXPECT_EQ(count(janSql, "SELECT count(*) FROM signalen"), 15);

  // The count is set once, by the import that left it at 0: not that of a finished import, nor
  // of another login's; the import records stay closed to UPDATE.
  EXPECT_EQ(refusal(janSql, "SELECT veldwacht_import_afsluiten(" + *imported[0][0] + ", 1)"),
            "P0001");
  EXPECT_EQ(refusal(janSql, "SELECT veldwacht_import_afsluiten(1, 1)"), "P0001");
  EXPECT_EQ(refusal(janSql, "UPDATE veldwacht_imports SET rijen = 1"), "42501");
  EXPECT_EQ(*owner.query("SELECT rijen FROM veldwacht_imports WHERE import_id = 1").at(0).at(0),
            "2");
  std::filesystem::remove_all(dir);
}

TEST_F(RolesTest, PubliekReadsOnlyThePublicSafeLayers) {
  auto c = as("iedereen");
  for (const auto& layer : pgstore::publicLayers())
    EXPECT_EQ(refusal(c, "SELECT * FROM " + layer), "") << layer;
  owner_->connection().exec(
      "INSERT INTO misdrijven_per_buurt (sleutel, regiocode, soort_misdrijf, periode, jaar, "
      "aantal) VALUES ('BU1|0.0.0|2024JJ00', 'BU1', '0.0.0', '2024JJ00', 2024, 7), "
      "('BU2|0.0.0|2024JJ00', 'BU2', '0.0.0', '2024JJ00', 2024, 4)");
  EXPECT_EQ(count(c, "SELECT sum(aantal) FROM misdrijven_per_buurt"), 11);
  // It can open the store (schema version) and read a public layer through it.
  auto s = PgStore::open(cluster().url(db_, login_("iedereen")), false);
  EXPECT_EQ(s->read("misdrijven_per_buurt").size(), 2u);
  EXPECT_THROW(s->read("signalen"), pg::PgError);
  for (const char* t : {"signalen", "signalen_geaggregeerd", "vab", "partners",
                        "partner_werkgebieden", "schouwresultaten", "incidenten",
                        "veldwacht_imports", "veldwacht_gebruikers", "veldwacht_rollen",
                        "signaal_categorieen", "panden", "verblijfsobjecten", "bedrijventerreinen"})
    EXPECT_EQ(refusal(c, std::string("SELECT * FROM ") + t), "42501") << t;
  EXPECT_EQ(refusal(c, "INSERT INTO gemeenten (code) VALUES ('GM0001')"), "42501");
  EXPECT_EQ(refusal(c, "UPDATE misdrijven_per_buurt SET aantal = 0"), "42501");
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

// The class of each layer follows from its definition: known answers for the current schema,
// and two layers that are not in it (a new context register, a new layer of partners' rows).
TEST(Sharing, FollowsFromTheLayerDefinition) {
  using pgstore::Sharing;
  using pgstore::sharingOf;
  const std::map<std::string, Sharing> expected = {{"gemeenten", Sharing::Openbaar},
                                                   {"wijken", Sharing::Openbaar},
                                                   {"buurten", Sharing::Openbaar},
                                                   {"wegvakken", Sharing::Openbaar},
                                                   {"gewaspercelen", Sharing::Openbaar},
                                                   {"misdrijven_per_buurt", Sharing::Openbaar},
                                                   {"signaal_categorieen", Sharing::Opzoeklijst},
                                                   {"signalen", Sharing::PerPartner},
                                                   {"partner_werkgebieden", Sharing::PerPartner},
                                                   {"schouwresultaten", Sharing::PerPartner},
                                                   {"partners", Sharing::Vertrouwelijk},
                                                   {"vab", Sharing::Vertrouwelijk},
                                                   {"incidenten", Sharing::Vertrouwelijk},
                                                   {"panden", Sharing::Vertrouwelijk},
                                                   {"verblijfsobjecten", Sharing::Vertrouwelijk},
                                                   {"bedrijventerreinen", Sharing::Vertrouwelijk}};
  ASSERT_EQ(layerDefs().size(), expected.size());  // a new layer: add its expected class here
  for (const auto& def : layerDefs()) EXPECT_EQ(sharingOf(def), expected.at(def.name)) << def.name;

  LayerDef context;
  context.name = "geluidskaart";
  context.group = "Context";
  EXPECT_EQ(sharingOf(context), Sharing::Openbaar);
  LayerDef own = layerDef("vab");
  own.name = "partner_notities";
  own.fields.push_back(FieldDef{});
  own.fields.back().name = "partner_id";
  own.fields.back().reference = "partners.partner_id";
  EXPECT_EQ(sharingOf(own), Sharing::PerPartner);
  EXPECT_EQ(pgstore::publicLayers(),
            (std::vector<std::string>{"gemeenten", "wijken", "buurten", "wegvakken",
                                      "gewaspercelen", "misdrijven_per_buurt"}));
}

// Every layer of the schema, read under each role's login: allowed exactly when its class
// says so (RLS may then still hide rows). Also checked in the catalog.
TEST_F(RolesTest, EveryLayerOfTheSchemaIsGrantedByItsClass) {
  using pgstore::Sharing;
  for (const char* who : {"anna", "jan", "iedereen"}) {
    auto c = as(who);
    for (const auto& def : layerDefs()) {
      const Sharing s = pgstore::sharingOf(def);
      const bool may = std::string(who) == "anna" ||
                       (std::string(who) == "jan" && s != Sharing::Vertrouwelijk) ||
                       s == Sharing::Openbaar;
      EXPECT_EQ(refusal(c, "SELECT count(*) FROM " + def.name), may ? "" : "42501")
          << who << " " << def.name << " (" << pgstore::sharingName(s) << ")";
      EXPECT_EQ(
          *owner_->connection().query("SELECT has_table_privilege($1, $2, 'INSERT')",
                                      {login_(who), def.name})[0][0],
          std::string(who) == "anna" || (std::string(who) == "jan" &&
                                         (def.name == "signalen" || def.name == "schouwresultaten"))
              ? "t"
              : "f")
          << who << " " << def.name;
    }
  }
}

// QGIS's layer_styles: each login reads the styles of exactly the layers it may read; only
// the analist writes them.
TEST_F(RolesTest, LayerStylesFollowTheLayersEachRoleMayRead) {
  auto& o = owner_->connection();
  for (const char* table : {"gemeenten", "signalen", "vab", "signaal_categorieen"}) {
    pg::Transaction t(o);
    pgstore::embedDefaultStyle(o, table, layerDef(table).geometry, "standaard",
                               "<qgis version=\"3.22\"/>", "test");
    t.commit();
  }
  const auto styled = [&](const std::string& who) {
    auto c = as(who);
    std::string out;
    for (const auto& r :
         c.query("SELECT f_table_name FROM public.layer_styles WHERE stylename = 'standaard' "
                 "ORDER BY f_table_name"))
      out += *r[0] + " ";
    return out;
  };
  EXPECT_EQ(styled("anna"), "gemeenten signaal_categorieen signalen vab ");
  EXPECT_EQ(styled("jan"), "gemeenten signaal_categorieen signalen ");
  EXPECT_EQ(styled("iedereen"), "gemeenten ");
  // QGIS's default-style lookup as the partner: found for its layer, not for vab.
  auto jan = as("jan");
  EXPECT_TRUE(pgstore::defaultStyle(jan, "signalen").has_value());
  EXPECT_FALSE(pgstore::defaultStyle(jan, "vab").has_value());
  // Writing: the analist may, partner and publiek may not.
  auto anna = as("anna");
  EXPECT_EQ(refusal(anna,
                    "UPDATE public.layer_styles SET description = 'x' WHERE f_table_name "
                    "= 'vab' AND stylename = 'standaard'"),
            "");
  EXPECT_EQ(refusal(anna,
                    "INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, "
                    "f_table_name, stylename) VALUES (current_database(), "
                    "current_schema(), 'vab', 'tweede')"),
            "");
  for (const char* who : {"jan", "iedereen"}) {
    auto c = as(who);
    EXPECT_EQ(refusal(c, "UPDATE public.layer_styles SET description = 'x'"), "42501") << who;
    EXPECT_EQ(refusal(c, "DELETE FROM public.layer_styles"), "42501") << who;
    EXPECT_EQ(refusal(c, "INSERT INTO public.layer_styles (f_table_name) VALUES ('gemeenten')"),
              "42501")
        << who;
  }
  EXPECT_EQ(count(o, "SELECT count(*) FROM public.layer_styles WHERE description = 'x'"), 1);
}

// A store whose roles were installed by the previous Veldwacht (grants version 1: no
// veldwacht_rollen, a hand list of public layers, no grants on the new layers nor on
// layer_styles) is brought up to date when its owner opens it for writing; not by another
// login, and its options are read back from the catalog.
TEST_F(RolesTest, OlderGrantsAreMigratedByTheOwner) {
  options_.minAggregateCount = 4;
  options_.cellSize = 500;
  pgstore::installRoles(owner_->connection(), options_);
  auto& o = owner_->connection();
  const std::string partner = options_.groupRole(Role::Partner),
                    publiek = options_.groupRole(Role::Publiek);
  o.exec("DROP TABLE veldwacht_rollen");
  o.exec("REVOKE ALL ON gewaspercelen, misdrijven_per_buurt, public.layer_styles FROM " + partner +
         ", " + publiek);
  o.exec("GRANT SELECT ON panden, verblijfsobjecten, bedrijventerreinen, signaal_categorieen TO " +
         partner + ", " + publiek);
  int version = 0;
  const auto back = pgstore::installedRoles(o, &version);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(version, 1);
  EXPECT_EQ(back->prefix, options_.prefix);
  EXPECT_EQ(back->minAggregateCount, 4);
  EXPECT_EQ(back->cellSize, 500.0);

  auto pub = as("iedereen");
  EXPECT_EQ(refusal(pub, "SELECT * FROM gewaspercelen"), "42501");
  EXPECT_EQ(refusal(pub, "SELECT * FROM panden"), "");
  PgStore::open(cluster().url(db_, login_("anna")), true);  // not the owner: unchanged
  EXPECT_EQ(refusal(pub, "SELECT * FROM gewaspercelen"), "42501");
  PgStore::open(cluster().url(db_), true);  // the owner
  EXPECT_EQ(refusal(pub, "SELECT * FROM gewaspercelen"), "");
  EXPECT_EQ(refusal(pub, "SELECT * FROM misdrijven_per_buurt"), "");
  EXPECT_EQ(refusal(pub, "SELECT * FROM panden"), "42501");
  EXPECT_EQ(refusal(pub, "SELECT * FROM public.layer_styles"), "");
  auto jan = as("jan");
  EXPECT_EQ(refusal(jan, "SELECT * FROM signaal_categorieen"), "");
  EXPECT_EQ(refusal(jan, "SELECT * FROM bedrijventerreinen"), "42501");
  const auto now = pgstore::installedRoles(o, &version);
  EXPECT_EQ(version, pgstore::kGrantsVersion);
  EXPECT_EQ(now->minAggregateCount, 4);
  EXPECT_EQ(now->cellSize, 500.0);
  // The partner's view kept its options: groups under 4 left out.
  EXPECT_EQ(count(o, "SELECT count(*) FROM signalen_geaggregeerd WHERE aantal < 4"), 0);
}

// Granting and revoking: members listed from the catalog, one role per login, clear refusals.
TEST_F(RolesTest, GrantAndRevokeRoles) {
  auto& o = owner_->connection();
  const auto members = [&] {
    std::string out;
    for (const auto& m : pgstore::roleMembers(o, options_))
      out += m.role + ":" + m.login.substr(options_.prefix.size()) +
             (m.partnerId.empty() ? "" : "/" + m.partnerId) + " ";
    return out;
  };
  EXPECT_EQ(members(), "analist:anna partner:els/P2 partner:jan/P1 publiek:iedereen ");
  // A new login, and an existing PostgreSQL role made a member.
  pgstore::grantRole(o, Role::Partner, login_("piet"), "P2", options_);
  o.exec("CREATE ROLE " + login_("kees") + " LOGIN");
  pgstore::grantRole(o, Role::Analist, login_("kees"), {}, options_);
  EXPECT_EQ(members(),
            "analist:anna analist:kees partner:els/P2 partner:jan/P1 partner:piet/P2 "
            "publiek:iedereen ");
  auto piet = as("piet");
  EXPECT_EQ(count(piet, "SELECT count(*) FROM signalen"), 10);  // P2's area
  auto kees = as("kees");
  EXPECT_EQ(count(kees, "SELECT count(*) FROM vab"), 1);

  const auto optionError = [](auto&& f) -> std::string {
    try {
      f();
      return "accepted";
    } catch (const geo::OptionError& e) {
      return e.what();
    }
  };
  EXPECT_NE(optionError([&] {
              pgstore::grantRole(o, Role::Publiek, login_("kees"), {}, options_);
            }).find("already has role analist"),
            std::string::npos);
  EXPECT_NE(optionError([&] {
              pgstore::grantRole(o, Role::Partner, login_("x1"), "P9", options_);
            }).find("no partner 'P9'"),
            std::string::npos);
  EXPECT_NE(optionError([&] {
              pgstore::revokeRole(o, Role::Publiek, login_("jan"), options_);
            }).find("does not have role publiek (it has: partner)"),
            std::string::npos);
  EXPECT_NE(optionError([] {
              pgstore::parseRole("beheerder");
            }).find("unknown role 'beheerder': analist, partner or publiek"),
            std::string::npos);

  pgstore::revokeRole(o, Role::Analist, login_("kees"), options_);
  auto kees2 = as("kees");
  EXPECT_EQ(refusal(kees2, "SELECT * FROM vab"), "42501");
  EXPECT_EQ(
      count(o, "SELECT count(*) FROM veldwacht_gebruikers WHERE login = '" + login_("kees") + "'"),
      0);
  // A login without CREATEROLE (the analist) may not grant: a clear error, nothing changed.
  auto anna = as("anna");
  try {
    pgstore::grantRole(anna, Role::Analist, login_("kees"), {}, options_);
    ADD_FAILURE() << "the analist granted a role";
  } catch (const geo::Error& e) {
    EXPECT_NE(std::string(e.what()).find("may not grant roles in this store"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(refusal(kees2, "SELECT * FROM vab"), "42501");
}

}  // namespace
// Passwords: stored as the SCRAM verifier computed on this side; the password itself is never
// in the catalog. An empty one is refused before anything changes.
TEST_F(RolesTest, PasswordsAreSetAsScramVerifiers) {
  pg::Connection& c = owner_->connection();
  const std::string piet = login_("piet"), kees = login_("kees");
  pgstore::grantRole(c, Role::Partner, piet, "P1", options_, {}, std::string("geheim-123"));
  pgstore::addLogin(c, kees, Role::Publiek, {}, "ander-geheim", options_);
  for (const auto& [login, secret] : std::vector<std::pair<std::string, std::string>>{
           {piet, "geheim-123"}, {kees, "ander-geheim"}}) {
    const auto stored =
        c.query("SELECT rolpassword FROM pg_authid WHERE rolname = $1", {login}).at(0).at(0);
    ASSERT_TRUE(stored.has_value()) << login;
    EXPECT_EQ(stored->rfind("SCRAM-SHA-256$4096:", 0), 0u) << *stored;
    EXPECT_EQ(stored->find(secret), std::string::npos);
  }
  // A new password for an existing login replaces the verifier (a new salt).
  const auto before =
      c.query("SELECT rolpassword FROM pg_authid WHERE rolname = $1", {piet}).at(0).at(0);
  pgstore::revokeRole(c, Role::Partner, piet, options_);
  pgstore::grantRole(c, Role::Partner, piet, "P1", options_, {}, std::string("nieuw-geheim"));
  EXPECT_NE(c.query("SELECT rolpassword FROM pg_authid WHERE rolname = $1", {piet}).at(0).at(0),
            before);
  // Empty: refused, no login made.
  EXPECT_THROW(
      pgstore::grantRole(c, Role::Publiek, login_("leeg"), {}, options_, {}, std::string()),
      geo::OptionError);
  EXPECT_TRUE(c.query("SELECT 1 FROM pg_roles WHERE rolname = $1", {login_("leeg")}).empty());
  EXPECT_THROW(pgstore::passwordVerifier(c, piet, ""), geo::OptionError);
}

// The audit table: every role adds rows (its exports), only the analist reads them; the login
// in a row is the one that wrote it.
TEST_F(RolesTest, EveryRoleAuditsOnlyTheAnalistReadsTheAudit) {
  for (const char* who : {"anna", "jan", "iedereen"}) {
    auto c = as(who);
    EXPECT_EQ(refusal(c, auditInsertSql({.who = who, .action = "export", .layer = "wijken"})), "")
        << who;
    EXPECT_EQ(refusal(c, "SELECT count(*) FROM veldwacht_audit"),
              std::string(who) == "anna" ? "" : "42501")
        << who;
  }
  EXPECT_EQ(*owner_->connection()
                 .query("SELECT string_agg(login, ',' ORDER BY fid) FROM veldwacht_audit")
                 .at(0)
                 .at(0),
            login_("anna") + "," + login_("jan") + "," + login_("iedereen"));
}

}  // namespace veldwacht::layers
