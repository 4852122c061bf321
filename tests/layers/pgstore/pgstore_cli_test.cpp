// `veldwacht init/import/info` with a PostgreSQL connection string, run as a user would, against
// the temporary PostgreSQL 15 of this binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "layers/pgstore/pg.h"
#include "layers/schema/schema.h"
#include "tests/cli/run_veldwacht.h"
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

  r = testing::runVeldwacht(dir_, "hotspots " + store + " --cell-size 500 -o h1");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("wrote layer  h1"), std::string::npos) << r.out;
  EXPECT_GT(count("SELECT count(*) FROM h1"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_resultaten"), 5);

  // A density surface is a file: a PostGIS store has no folder, so one must be given.
  r = testing::runVeldwacht(dir_, "density " + store + " --radius 100 --pixel-size 10 -o d1");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--output-dir"), std::string::npos) << r.err;
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_resultaten"), 5);
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
  // A conflict: the server closed S-0 meanwhile; the laptop still has it new.
  {
    pg::Connection c(url_);
    c.exec("UPDATE signalen SET status = 'afgesloten' WHERE signaal_id = 'S-0'");
  }
  r = testing::runVeldwacht(dir_, "sync " + laptop + " " + store);
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("signalen signaal_id 'S-0' (laptop row 1, server row 1): status: 'nieuw' "
                       "on the laptop, 'afgesloten' on the server"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(count("SELECT count(*) FROM signalen"), 73);
}

}  // namespace
}  // namespace veldwacht::layers
