// `veldwacht import --update` and `veldwacht validate` as a user runs them (issue 13): the update
// report on stdout, a refused update exits 3 with one line and leaves the store as it was.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "layers/store/checksum.h"
#include "tests/cli/run_veldwacht.h"

using namespace veldwacht::layers::testing;

namespace {

class Dir {
 public:
  Dir() {
    static std::atomic<int> n{0};
    path_ = std::filesystem::temp_directory_path() /
            ("veldwacht-import-cli-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~Dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(file(name)) << text;
    return file(name);
  }

 private:
  std::filesystem::path path_;
};

std::string buurten(const std::vector<std::pair<std::string, int>>& rows) {
  std::string s = "buurtcode;buurtnaam;gemeentecode;aantal_inwoners;wkt\n";
  int i = 0;
  for (const auto& [code, inwoners] : rows) {
    const int x = 250000 + 1000 * i++;
    s += code + ";Buurt " + code + ";GM1979;" + std::to_string(inwoners) + ";\"POLYGON ((" +
         std::to_string(x) + " 590000, " + std::to_string(x + 900) + " 590000, " +
         std::to_string(x + 900) + " 590900, " + std::to_string(x) + " 590000))\"\n";
  }
  return s;
}

std::size_t lines(const std::string& s) {
  return std::size_t(std::count(s.begin(), s.end(), '\n'));
}

}  // namespace

TEST(CliImport, UpdateOfCbsBuurtenReportsAddedChangedRemoved) {
  Dir dir;
  const std::string store = dir.file("s.gpkg");
  const std::string v1 = dir.write(
      "buurten_2023.csv", buurten({{"BU19790101", 100}, {"BU19790102", 200}, {"BU19790103", 300}}));
  const std::string v2 = dir.write(
      "buurten_2024.csv", buurten({{"BU19790101", 100}, {"BU19790102", 210}, {"BU19790104", 50}}));
  ASSERT_EQ(runVeldwacht(dir, "import '" + store + "' '" + v1 + "'").code, 0);
  // Without --update the newer file is refused, with the hint; the store is unchanged.
  const std::string before = veldwacht::layers::fileSha256(store);
  const Outcome refused = runVeldwacht(dir, "import '" + store + "' '" + v2 + "'");
  EXPECT_EQ(refused.code, 3) << refused.err;
  EXPECT_NE(refused.err.find("--update"), std::string::npos) << refused.err;
  EXPECT_EQ(veldwacht::layers::fileSha256(store), before);

  const Outcome r = runVeldwacht(dir, "import '" + store + "' '" + v2 + "' --update");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("update of buurten by code: 1 added (BU19790104), 1 changed (BU19790102), "
                       "1 removed (BU19790103), 1 unchanged"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("--update: the files are the registers' new version"), std::string::npos);
}

TEST(CliImport, ValidateReportsWithoutAStoreAndExitsThreeOnADuplicate) {
  Dir dir;
  const std::string ok = dir.write("b.csv", buurten({{"BU19790101", 100}, {"BU19790102", 5}}));
  const Outcome good = runVeldwacht(dir, "validate '" + ok + "'");
  EXPECT_EQ(good.code, 0) << good.err;
  EXPECT_NE(good.out.find("OK: no problems found"), std::string::npos) << good.out;
  const std::string dup = dir.write("d.csv", buurten({{"BU19790101", 100}, {"BU19790101", 5}}));
  const Outcome bad = runVeldwacht(dir, "validate '" + dup + "'");
  EXPECT_EQ(bad.code, 3) << bad.err;
  EXPECT_EQ(lines(bad.err), 1u) << bad.err;
  EXPECT_NE(bad.err.find("duplicate code 'BU19790101'"), std::string::npos) << bad.err;
}

// `veldwacht import` of a large signals CSV stays within the import's memory bound (issue 13).
// Before, the command first asked whether the file was a schouw CSV by reading all of it into
// memory (about 330 bytes per row: 443 MiB peak for 1M rows where the import itself needs 184,
// 3 GB at 10M); now it reads the header. 500k rows (~43 MB), measured: 233 MiB before, 155 after.
TEST(CliImport, ALargeSignalsCsvImportsWithinTheMemoryBound) {
  Dir d;
  const std::string csv = d.file("signalen.csv");
  {
    std::ofstream out(csv);
    out << "signaal_id;categorie;brontype;waargenomen_van;status;x;y;omschrijving\n";
    char buf[160];
    for (long i = 0; i < 500000; ++i) {
      std::snprintf(
          buf, sizeof buf, "SIG-%08ld;HENNEP;burger;%02ld-01-2023 10:00;nieuw;%.2f;%.2f;rij %ld\n",
          i, 1 + i % 28, 100000.0 + double(i % 1000) * 37.0, 400000.0 + double(i / 1000) * 41.0, i);
      out << buf;
    }
  }
  const std::string store = d.file("store.gpkg");
  ASSERT_EQ(runVeldwacht(d, "init '" + store + "'").code, 0);
  const Outcome r = runVeldwacht(d, "-q import '" + store + "' '" + csv + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  rusage after{};
  getrusage(RUSAGE_CHILDREN, &after);
  // ru_maxrss of the children is the largest so far: the import's when it grew past the init's.
  const double peakMiB = double(after.ru_maxrss) / 1024.0;
  std::printf("veldwacht import of 500000 signals: peak RSS %.1f MiB\n", peakMiB);
  EXPECT_LT(peakMiB, 200.0) << "the command held more than the streamed import needs";
}
