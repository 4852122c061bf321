// `veldwacht init/import/info` with a PostgreSQL connection string, run as a user would, against
// the temporary PostgreSQL 15 of this binary.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "layers/pgstore/pg.h"
#include "layers/pgstore/pg_store.h"
#include "layers/schema/schema.h"
#include "tests/cli/run_veldwacht.h"
#include "tests/layers/pgstore/data.h"
#include "tests/layers/pgstore/temp_postgres.h"

namespace veldwacht::layers {
namespace {

using testing::cluster;
using testing::TempPostgres;

struct TempDir {
  TempDir() {
    char tmpl[] = "/tmp/veldwacht_pgcli_XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  const std::filesystem::path& path() const { return dir; }
  std::filesystem::path dir;
};

class PgStoreCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!TempPostgres::available()) GTEST_SKIP() << "PostgreSQL 15 + PostGIS not installed";
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    url_ = cluster().newDatabase(std::string("cli_") + info->name());
  }
  std::int64_t count(const std::string& sql) {
    pg::Connection c(url_);
    return std::stoll(*c.query(sql).at(0).at(0));
  }
  std::string url_;
  TempDir dir_;
};

TEST_F(PgStoreCliTest, InitImportInfoWithAConnectionString) {
  const std::string store = "\"" + url_ + "\"";
  auto r = testing::runVeldwacht(dir_, "init " + store);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("schema version " + std::to_string(veldwacht::layers::kSchemaVersion)),
            std::string::npos)
      << r.out;
  EXPECT_EQ(count("SELECT count(*) FROM signaal_categorieen"), 10);
  r = testing::runVeldwacht(dir_, "init " + store);  // never over an existing store
  EXPECT_EQ(r.code, 1) << r.err;

  const auto good = dir_.path() / "signalen.csv", bad = dir_.path() / "fout.csv";
  std::ofstream(good) << "signaal_id;categorie;brontype;waargenomen_van;status;x;y\n"
                         "A-1;HENNEP;boer;03-02-2024 23:10;nieuw;201000;501000\n"
                         "A-2;DRUGSAFVAL;jager;04-02-2024;nieuw;202000;502000\n";
  std::ofstream(bad) << "signaal_id;categorie;brontype;waargenomen_van;status;x;y\n"
                        "B-1;HENNEP;boer;03-02-2024;nieuw;201000;501000\n"
                        "B-2;HENNEP;boer;31-02-2024;nieuw;201000;501000\n";
  r = testing::runVeldwacht(
      dir_, "import " + store + " '" + good.string() + "' '" + bad.string() + "' -l signalen");
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("fout.csv, row 3, field 'waargenomen_van'"), std::string::npos) << r.err;
  EXPECT_EQ(count("SELECT count(*) FROM signalen"), 0);

  r = testing::runVeldwacht(dir_, "import " + store + " '" + good.string() + "' -l signalen");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(count("SELECT count(*) FROM signalen"), 2);

  r = testing::runVeldwacht(dir_, "info " + store);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("signalen"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Schema version: " + std::to_string(veldwacht::layers::kSchemaVersion)),
            std::string::npos)
      << r.out;
}

TEST_F(PgStoreCliTest, ImportIntoADatabaseWithoutAStoreSaysToInitFirst) {
  const auto good = dir_.path() / "signalen.csv";
  std::ofstream(good) << "signaal_id;categorie;brontype;waargenomen_van;status;x;y\n"
                         "A-1;HENNEP;boer;03-02-2024;nieuw;201000;501000\n";
  const auto r = testing::runVeldwacht(dir_, "import \"" + url_ + "\" '" + good.string() + "'");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("veldwacht init"), std::string::npos) << r.err;
  const auto gone = testing::runVeldwacht(dir_, "info \"" + cluster().url("geen_database") + "\"");
  EXPECT_EQ(gone.code, 1);
  EXPECT_NE(gone.err.find("cannot connect to PostgreSQL"), std::string::npos) << gone.err;
}

/// 70 signals as a CSV: three tight groups (25, 18, 12 within 40 m of their centres) and 15
/// scattered, every fifth VERHUUR and the rest HENNEP; ids <prefix>0…
void writeSignalsCsv(const std::filesystem::path& file, const std::string& prefix = "S-") {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> near(-40.0, 40.0), far(0.0, 20000.0);
  std::ofstream out(file);
  out << "signaal_id;categorie;brontype;waargenomen_van;status;x;y\n";
  int k = 0;
  auto add = [&](double x, double y) {
    char when[32];
    std::snprintf(when, sizeof when, "%02d-%02d-2024 21:00", 1 + k % 28, 1 + k % 12);
    out << prefix << k << ';' << (k % 5 == 4 ? "VERHUUR" : "HENNEP") << ";boer;" << when
        << ";nieuw;" << x << ';' << y << '\n';
    ++k;
  };
  const double centres[3][2] = {{201000, 501000}, {205000, 503000}, {209000, 507000}};
  const int sizes[3] = {25, 18, 12};
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < sizes[c]; ++i) add(centres[c][0] + near(rng), centres[c][1] + near(rng));
  for (int i = 0; i < 15; ++i) add(190000 + far(rng), 480000 + far(rng));
}

TEST_F(PgStoreCliTest, AnalysesWriteTheirResultsIntoThePostgisStore) {
  const std::string store = "\"" + url_ + "\"";
  ASSERT_EQ(testing::runVeldwacht(dir_, "init " + store).code, 0);
  const auto csv = dir_.path() / "signalen.csv";
  writeSignalsCsv(csv);
  auto r = testing::runVeldwacht(dir_, "import " + store + " '" + csv.string() + "' -l signalen");
  ASSERT_EQ(r.code, 0) << r.err;

  r = testing::runVeldwacht(dir_, "cluster " + store + " --eps 60 --min-pts 4 -o c1");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("wrote layer  c1_clusters"), std::string::npos) << r.out;
  EXPECT_EQ(count("SELECT count(*) FROM c1_punten"), 70);
  EXPECT_EQ(count("SELECT count(*) FROM c1_clusters"), 3);
  // The filter goes into the SQL of the read: only the HENNEP signals are clustered.
  r = testing::runVeldwacht(
      dir_, "cluster " + store + " --eps 60 --min-pts 4 -w \"categorie = 'HENNEP'\" -o c2");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(count("SELECT count(*) FROM c2_punten"), 56);
  // A bbox goes there too (geom && the rectangle, through the GiST index): the group of 18
  // around (205000, 503000), 15 of them HENNEP (k = 29, 34, 39 are VERHUUR).
  r = testing::runVeldwacht(dir_, "cluster " + store +
                                      " --eps 60 --min-pts 4 --bbox 204900,502900,205100,503100 "
                                      "-w \"categorie = 'HENNEP'\" -o c3");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(count("SELECT count(*) FROM c3_punten"), 15);
  EXPECT_EQ(count("SELECT count(*) FROM c3_clusters"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_resultaten WHERE laag = 'c3_punten' AND "
                  "invoer_laag = 'signalen [bbox 204900,502900,205100,503100; categorie = "
                  "''HENNEP'']'"),
            1);

  r = testing::runVeldwacht(dir_, "hotspots " + store + " --cell-size 500 -o h1");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("wrote layer  h1"), std::string::npos) << r.out;
  EXPECT_GT(count("SELECT count(*) FROM h1"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_resultaten"), 7);

  // A density surface is a file: a PostGIS store has no folder, so one must be given.
  r = testing::runVeldwacht(dir_, "density " + store + " --radius 100 --pixel-size 10 -o d1");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--output-dir"), std::string::npos) << r.err;
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_resultaten"), 7);
  const auto out = dir_.path() / "uit";
  std::filesystem::create_directory(out);
  r = testing::runVeldwacht(dir_, "density " + store + " --radius 100 --pixel-size 10 -o d1 " +
                                      "--output-dir '" + out.string() + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string db = url_.substr(url_.find("@/") + 2, url_.find('?') - url_.find("@/") - 2);
  const auto tif = out / (db + "_d1.tif");
  EXPECT_TRUE(std::filesystem::exists(tif)) << tif;
  pg::Connection c(url_);
  EXPECT_EQ(*c.query("SELECT bestand FROM veldwacht_resultaten WHERE laag = $1",
                     {tif.filename().string()})
                 .at(0)
                 .at(0),
            tif.string());
}

TEST_F(PgStoreCliTest, SyncSendsNewSignalsUpAndReportsConflicts) {
  const std::string store = "\"" + url_ + "\"";
  ASSERT_EQ(testing::runVeldwacht(dir_, "init " + store).code, 0);
  const auto csv = dir_.path() / "signalen.csv";
  writeSignalsCsv(csv);
  ASSERT_EQ(testing::runVeldwacht(dir_, "import " + store + " '" + csv.string() + "'").code, 0);
  // The laptop: the same signals, plus a field CSV with three new ones.
  const std::string laptop = "'" + (dir_.path() / "laptop.gpkg").string() + "'";
  ASSERT_EQ(testing::runVeldwacht(dir_, "init " + laptop).code, 0);
  ASSERT_EQ(testing::runVeldwacht(dir_, "import " + laptop + " '" + csv.string() + "'").code, 0);
  const auto field = dir_.path() / "veld.csv";
  std::ofstream(field) << "signaal_id;categorie;brontype;waargenomen_van;status;x;y\n"
                          "V-1;HENNEP;boer;03-02-2024 23:10;nieuw;201000;501000\n"
                          "V-2;HENNEP;boer;04-02-2024 23:10;nieuw;201100;501000\n"
                          "V-3;DRUGSAFVAL;jager;05-02-2024;nieuw;202000;502000\n";
  ASSERT_EQ(testing::runVeldwacht(dir_, "import " + laptop + " '" + field.string() + "'").code, 0);
  auto r = testing::runVeldwacht(dir_, "sync " + laptop + " " + store);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("3 rows went up"), std::string::npos) << r.out;
  EXPECT_EQ(count("SELECT count(*) FROM signalen"), 73);
  // Since that sync: the server closed S-0 and S-1; the laptop took S-0 in hand. S-0 changed on
  // both sides is a conflict; S-1 comes down.
  {
    pg::Connection c(url_);
    c.exec("UPDATE signalen SET status = 'afgesloten' WHERE signaal_id IN ('S-0', 'S-1')");
    Store::open((dir_.path() / "laptop.gpkg").string(), true)
        ->executeSql("UPDATE signalen SET status = 'in_behandeling' WHERE signaal_id = 'S-0'");
  }
  r = testing::runVeldwacht(dir_, "sync " + laptop + " " + store);
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("signalen signaal_id 'S-0' (laptop row 1, server row 1): changed on both "
                       "sides since the last sync; status: 'in_behandeling' on the laptop, "
                       "'afgesloten' on the server"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("1 rows changed"), std::string::npos) << r.out;
  EXPECT_EQ(*Store::open((dir_.path() / "laptop.gpkg").string(), false)
                 ->query("SELECT status FROM signalen WHERE signaal_id = 'S-1'")
                 .at(0)
                 .at(0),
            "afgesloten");
  EXPECT_EQ(count("SELECT count(*) FROM signalen"), 73);
  // --take server: the server's version of S-0 comes down, the audit row says so.
  r = testing::runVeldwacht(dir_, "sync " + laptop + " " + store + " --take server:signalen");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("taken: signalen signaal_id 'S-0'"), std::string::npos) << r.out;
  EXPECT_EQ(*Store::open((dir_.path() / "laptop.gpkg").string(), false)
                 ->query("SELECT status FROM signalen WHERE signaal_id = 'S-0'")
                 .at(0)
                 .at(0),
            "afgesloten");
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_audit WHERE actie = 'sync' AND opmerking LIKE "
                  "'%1 conflicts resolved by taking the server''s version (--take): signalen "
                  "''S-0''%'"),
            1);
  EXPECT_EQ(testing::runVeldwacht(dir_, "sync " + laptop + " " + store + " --take beide").code, 2);
}

// veldwacht import --update on PostGIS: a newer IBIS adds, changes and removes by rin_nummer,
// reported as on a GeoPackage store.
TEST_F(PgStoreCliTest, ImportUpdateOfARegister) {
  const std::string store = "\"" + url_ + "\"";
  ASSERT_EQ(testing::runVeldwacht(dir_, "init " + store).code, 0);
  const auto v1 = dir_.path() / "ibis_v1.csv", v2 = dir_.path() / "ibis_v2.csv";
  const std::string sq1 =
      "\"POLYGON ((250000 590000, 250500 590000, 250500 590500, 250000 "
      "590500, 250000 590000))\"";
  const std::string sq2 =
      "\"POLYGON ((252000 590000, 252500 590000, 252500 590500, 252000 "
      "590500, 252000 590000))\"";
  std::ofstream(v1) << "rin_nummer;plan_naam;wkt\nRIN1;De Haven;" << sq1 << "\nRIN2;Oosterhorn;"
                    << sq2 << "\n";
  std::ofstream(v2) << "rin_nummer;plan_naam;wkt\nRIN1;De Haven Noord;" << sq1 << "\nRIN3;Nieuw;"
                    << sq2 << "\n";
  ASSERT_EQ(testing::runVeldwacht(dir_, "import " + store + " '" + v1.string() + "'").code, 0);
  auto r = testing::runVeldwacht(dir_, "import " + store + " '" + v2.string() + "'");
  EXPECT_EQ(r.code, 3) << "a newer version without --update is refused: " << r.out;
  r = testing::runVeldwacht(dir_, "import --update " + store + " '" + v2.string() + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("update of bedrijventerreinen by rin_nummer: 1 added (RIN3), 1 changed "
                       "(RIN1), 1 removed (RIN2), 0 unchanged"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(count("SELECT count(*) FROM bedrijventerreinen"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM bedrijventerreinen WHERE plan_naam = 'De Haven Noord'"), 1);
}

// veldwacht rollen --grant … --password-env NAME: the password from the environment, stored as
// a SCRAM verifier, never printed or audited; missing or empty refused before anything changes.
TEST_F(PgStoreCliTest, RollenSetsAPasswordFromTheEnvironment) {
  const std::string store = "\"" + url_ + "\"";
  ASSERT_EQ(testing::runVeldwacht(dir_, "init " + store).code, 0);
  ASSERT_EQ(testing::runVeldwacht(dir_, "rollen " + store + " --install").code, 0);
  ::setenv("VW_TEST_PW", "s3cret-pw", 1);
  ::setenv("VW_TEST_LEEG", "", 1);
  ::unsetenv("VW_TEST_NIET");
  auto r = testing::runVeldwacht(
      dir_, "rollen " + store + " --grant publiek cli_kees --password-env VW_TEST_PW");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Gave publiek to cli_kees (password set)"), std::string::npos) << r.out;
  EXPECT_EQ((r.out + r.err).find("s3cret-pw"), std::string::npos);
  EXPECT_EQ(count("SELECT count(*) FROM pg_authid WHERE rolname = 'cli_kees' AND rolpassword "
                  "LIKE 'SCRAM-SHA-256$4096:%' AND strpos(rolpassword, 's3cret-pw') = 0"),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_audit WHERE opmerking LIKE 'login ''cli_kees''%"
                  "wachtwoord gezet'"),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_audit WHERE strpos(opmerking, 's3cret') > 0"), 0);
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"--grant publiek cli_pw_x --password-env VW_TEST_NIET",
       "the environment variable VW_TEST_NIET is not set"},
      {"--grant publiek cli_pw_x --password-env VW_TEST_LEEG",
       "the environment variable VW_TEST_LEEG is empty"},
      {"--password-env VW_TEST_PW", "go with --grant"},
      {"--grant publiek cli_pw_x --password s3cret-pw", "--password"}};
  for (const auto& [flags, message] : refused) {
    r = testing::runVeldwacht(dir_, "rollen " + store + " " + flags);
    EXPECT_EQ(r.code, 2) << flags << ": " << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << flags << ": " << r.err;
  }
  EXPECT_EQ(count("SELECT count(*) FROM pg_roles WHERE rolname = 'cli_pw_x'"), 0);

  // --password-prompt: typed twice on a terminal; script(1) gives the command one.
  if (std::system("command -v script > /dev/null 2>&1") != 0) return;
  const auto typed = [&](const std::string& input, const std::string& login) {
    const std::string cmd = "printf '" + input + "' | script -qec \"'" + VELDWACHT_EXE +
                            "' rollen '" + url_ + "' --grant publiek " + login +
                            " --password-prompt\" /dev/null > '" +
                            (dir_.path() / "tty.txt").string() + "' 2>&1";
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  EXPECT_EQ(typed("een-geheim\\neen-ander\\n", "cli_pw_y"), 2);
  EXPECT_NE(testing::slurp(dir_.path() / "tty.txt").find("the two passwords differ"),
            std::string::npos)
      << testing::slurp(dir_.path() / "tty.txt");
  EXPECT_EQ(count("SELECT count(*) FROM pg_roles WHERE rolname = 'cli_pw_y'"), 0);
  ASSERT_EQ(typed("een-geheim\\neen-geheim\\n", "cli_pw_y"), 0)
      << testing::slurp(dir_.path() / "tty.txt");
  EXPECT_EQ(count("SELECT count(*) FROM pg_authid WHERE rolname = 'cli_pw_y' AND rolpassword "
                  "LIKE 'SCRAM-SHA-256$4096:%'"),
            1);
}

// veldwacht rollen: install, list, grant and revoke, each refusal with its reason and exit code;
// grants and revocations recorded in the store's audit table.
TEST_F(PgStoreCliTest, RollenListsGrantsAndRevokesRoles) {
  const std::string db = "cli_RollenListsGrantsAndRevokesRoles";
  const std::string store = "\"" + url_ + "\"";
  const auto as = [&](const std::string& login) { return "\"" + cluster().url(db, login) + "\""; };
  ASSERT_EQ(testing::runVeldwacht(dir_, "init " + store).code, 0);
  pgstore::PgStore::open(url_, true)->append(testing::partnerBatches());

  auto r = testing::runVeldwacht(dir_, "rollen " + store);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no Veldwacht roles are installed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--install"), std::string::npos) << r.err;
  r = testing::runVeldwacht(dir_, "rollen '" + (dir_.path() / "regio.gpkg").string() + "'");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("exist only in a PostGIS store"), std::string::npos) << r.err;

  r = testing::runVeldwacht(dir_, "rollen " + store + " --install");
  ASSERT_EQ(r.code, 0) << r.err;
  // The store has an audit table (made by init): grants and revocations are recorded in it.
  r = testing::runVeldwacht(dir_, "rollen " + store + " --grant partner cli_jan --partner P1");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Gave partner to cli_jan"), std::string::npos) << r.out;
  ASSERT_EQ(testing::runVeldwacht(dir_, "rollen " + store + " --grant analist cli_anna").code, 0);
  ASSERT_EQ(testing::runVeldwacht(dir_, "rollen " + store + " --grant publiek cli_piet").code, 0);
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_audit WHERE actie = 'rol-toekennen'"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_audit WHERE opmerking = 'login ''cli_jan'', "
                  "rol partner (partner P1), door login ''postgres'''"),
            1);

  // Refusals: exit 2 for what the user typed, nothing changed.
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"--grant beheerder cli_x", "unknown role 'beheerder': analist, partner or publiek"},
      {"--grant partner cli_x", "a partner login needs a partner id"},
      {"--grant partner cli_x --partner P9", "no partner 'P9' in layer partners"},
      {"--grant publiek cli_jan", "login 'cli_jan' already has role partner"},
      {"--revoke analist cli_jan", "login 'cli_jan' does not have role analist (it has: partner)"},
      {"--grant analist Robert_Drop", "lower-case letters, digits and _ only"}};
  for (const auto& [flags, message] : refused) {
    r = testing::runVeldwacht(dir_, "rollen " + store + " " + flags);
    EXPECT_EQ(r.code, 2) << flags << ": " << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << flags << ": " << r.err;
  }
  EXPECT_EQ(count("SELECT count(*) FROM pg_roles WHERE rolname = 'cli_x'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_audit"), 3);

  // The listing: each role with its members, the layers by class.
  r = testing::runVeldwacht(dir_, "rollen " + store);
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* line :
       {"analist (veldwacht_analist)", "  cli_anna\n", "  cli_jan  partner P1\n",
        "publiek (veldwacht_publiek)", "  cli_piet\n",
        "openbaar       gemeenten, wijken, buurten, wegvakken, gewaspercelen, misdrijven_per_buurt",
        "opzoeklijst    signaal_categorieen"})
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;

  // Missing rights: the analist may list but not grant; a publiek login may not even list.
  r = testing::runVeldwacht(dir_, "rollen " + as("cli_anna") + " --grant publiek cli_y");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("login 'cli_anna' may not grant roles in this store"), std::string::npos)
      << r.err;
  EXPECT_EQ(testing::runVeldwacht(dir_, "rollen " + as("cli_anna")).code, 0);
  r = testing::runVeldwacht(dir_, "rollen " + as("cli_piet"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("login 'cli_piet' may not read the store's roles"), std::string::npos)
      << r.err;

  // Revoking: the partner login loses its signals at once; recorded.
  r = testing::runVeldwacht(dir_, "rollen " + store + " --revoke partner cli_jan");
  ASSERT_EQ(r.code, 0) << r.err;
  {
    pg::Connection jan(cluster().url(db, "cli_jan"));
    EXPECT_THROW(jan.query("SELECT count(*) FROM signalen"), pg::PgError);
  }
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_audit WHERE actie = 'rol-intrekken' AND "
                  "opmerking LIKE 'login ''cli_jan''%'"),
            1);
  r = testing::runVeldwacht(dir_, "rollen " + store);
  EXPECT_EQ(r.out.find("cli_jan"), std::string::npos) << r.out;
}

// veldwacht risk on a PostGIS store: its GeoTIFF goes into --output-dir (a PostGIS store has no
// folder of its own) and is registered there; without --output-dir it is refused before any
// work, nothing written. Data as in tests/cli/risk_cli_test.cpp: a 3 x 3 km gemeente, six VAB,
// signals per 100 m cell from log mu = -1.5 + 1.3 [a barn within 300 m] (seeded).
TEST_F(PgStoreCliTest, RiskWritesItsRasterIntoTheOutputDir) {
  const double x0 = 200000, y0 = 500000;
  std::mt19937_64 rng(77);
  std::uniform_real_distribution<double> u(300.0, 2700.0), inCell(0.0, 100.0);
  auto gemeenten = testing::batch("gemeenten", "gemeenten.gpkg");
  gemeenten.records.push_back(testing::record("gemeenten", {{"code", std::string("GM9999")}},
                                              testing::square(x0, y0, 3000), 1));
  auto vab = testing::batch("vab", "vab.csv");
  std::vector<std::pair<double, double>> barns;
  for (int i = 0; i < 6; ++i) {
    barns.emplace_back(x0 + u(rng), y0 + u(rng));
    vab.records.push_back(testing::record(
        "vab", {{"vab_id", "VAB-" + std::to_string(i)}, {"leegstand", std::string("leeg")}},
        "POINT(" + std::to_string(barns.back().first) + " " + std::to_string(barns.back().second) +
            ")",
        i + 2));
  }
  auto signals = testing::batch("signalen", "signalen.csv");
  int id = 0;
  for (int r = 0; r < 30; ++r)
    for (int c = 0; c < 30; ++c) {
      const double cx = x0 + 100 * c + 50, cy = y0 + 100 * r + 50;
      double nearest = 1e300;
      for (const auto& [bx, by] : barns) nearest = std::min(nearest, std::hypot(bx - cx, by - cy));
      std::poisson_distribution<int> pois(std::exp(-1.5 + 1.3 * (nearest <= 300.0)));
      for (int k = pois(rng); k > 0; --k, ++id) {
        const double x = x0 + 100 * c + inCell(rng), y = y0 + 100 * r + inCell(rng);
        signals.records.push_back(testing::record(
            "signalen",
            {{"signaal_id", "R-" + std::to_string(id)},
             {"categorie", std::string("VERHUUR")},
             {"brontype", std::string("boer")},
             {"waargenomen_van", "2025-0" + std::to_string(1 + id % 9) + "-10T12:00:00"},
             {"status", std::string("nieuw")}},
            "POINT(" + std::to_string(x) + " " + std::to_string(y) + ")", id + 2));
      }
    }
  {
    auto s = pgstore::PgStore::create(url_);
    std::vector<ImportBatch> batches;
    batches.push_back(std::move(gemeenten));
    batches.push_back(std::move(vab));
    batches.push_back(std::move(signals));
    s->append(batches);
  }
  const std::string store = "\"" + url_ + "\"";
  const std::string quick = " --factors vab --distances 100,300,600 --folds 3 --n-lambda 10";
  auto r = testing::runVeldwacht(dir_, "risk " + store + quick);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--output-dir"), std::string::npos) << r.err;
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_resultaten"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM pg_tables WHERE tablename = 'risico_factoren'"), 0);

  const auto out = dir_.path() / "kaarten";
  std::filesystem::create_directory(out);
  r = testing::runVeldwacht(dir_, "risk " + store + quick + " --output-dir '" + out.string() + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("vab: proximity"), std::string::npos) << r.out;
  const std::string db = "cli_RiskWritesItsRasterIntoTheOutputDir";
  const auto tif = out / (db + "_risico.tif");
  EXPECT_TRUE(std::filesystem::exists(tif)) << tif;
  EXPECT_TRUE(std::filesystem::exists(out / (db + "_risico.qml")));
  EXPECT_GT(count("SELECT count(*) FROM risico_factoren"), 0);
  pg::Connection c(url_);
  EXPECT_EQ(*c.query("SELECT bestand FROM veldwacht_resultaten WHERE laag = $1",
                     {tif.filename().string()})
                 .at(0)
                 .at(0),
            tif.string());
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_resultaten WHERE laag = 'risico_factoren'"), 1);
  // Nothing next to the working directory or elsewhere: only the two files in the folder.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(out), {}), 2);
}

}  // namespace
}  // namespace veldwacht::layers
