// `veldwacht import --update` and `veldwacht validate` as a user runs them (issue 13): the update
// report on stdout, a refused update exits 3 with one line and leaves the store as it was.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
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
