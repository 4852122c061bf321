// `veldwacht init/import/info` with a PostgreSQL connection string, run as a user would, against
// the temporary PostgreSQL 15 of this binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "layers/pgstore/pg.h"
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
  EXPECT_NE(r.out.find("schema version 3"), std::string::npos) << r.out;
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
  EXPECT_NE(r.out.find("Schema version: 3"), std::string::npos) << r.out;
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

}  // namespace
}  // namespace veldwacht::layers
