// density's output files (issue 7): never over a user's file, never through a symlink, its own
// earlier result replaced, --overwrite honoured, no temporary file left behind.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "geo/core/error.h"
#include "layers/analyses/density.h"
#include "tests/geo/expect_error.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;
namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::unique_ptr<Store> smallStore(const TempDir& dir) {
  std::vector<Record> recs;
  for (int i = 0; i < 3; ++i) recs.push_back(signalRecord(i, at(kX0 + 200.0 * i, kY0)));
  return storeWith(dir, batch("signalen", std::move(recs)));
}

DensityRequest request() {
  DensityRequest req;
  req.output = "dichtheid";
  req.kde.radius = 100;
  req.kde.pixelSize = 10;
  return req;
}

std::vector<std::string> namesIn(const TempDir& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir.path())) out.push_back(e.path().filename());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST(DensityOutput, AUsersFileOfThatNameIsRefusedAndKept) {
  TempDir dir;
  auto store = smallStore(dir);
  std::ofstream(dir.file("t_dichtheid.tif")) << "user raster";
  try {
    runDensity(*store, request());
    FAIL() << "a user's file was overwritten";
  } catch (const geo::InputError& e) {
    EXPECT_EQ(e.where().file, dir.file("t_dichtheid.tif"));
    EXPECT_NE(std::string(e.what()).find("was not written by Veldwacht"), std::string::npos);
  }
  EXPECT_EQ(slurp(dir.file("t_dichtheid.tif")), "user raster");
  EXPECT_TRUE(listResults(*store).empty());
}

TEST(DensityOutput, AUsersQmlOfThatNameIsRefusedAndKept) {
  TempDir dir;
  auto store = smallStore(dir);
  std::ofstream(dir.file("t_dichtheid.qml")) << "user style";
  EXPECT_THROW_WITH(runDensity(*store, request()), geo::InputError,
                    "the file exists and was not written by Veldwacht");
  EXPECT_EQ(slurp(dir.file("t_dichtheid.qml")), "user style");
  EXPECT_FALSE(fs::exists(dir.file("t_dichtheid.tif")));
}

TEST(DensityOutput, ASymlinkIsRefusedAndItsTargetUntouched) {
  TempDir dir;
  auto store = smallStore(dir);
  std::ofstream(dir.file("elders.txt")) << "precious";
  fs::create_symlink(dir.file("elders.txt"), dir.file("t_dichtheid.tif"));
  DensityRequest req = request();
  req.overwrite = true;  // not even then
  EXPECT_THROW_WITH(runDensity(*store, req), geo::InputError, "the output file is a symbolic link");
  EXPECT_EQ(slurp(dir.file("elders.txt")), "precious");
  EXPECT_TRUE(fs::is_symlink(dir.file("t_dichtheid.tif")));
}

TEST(DensityOutput, ItsOwnEarlierResultIsReplacedWithoutLeftovers) {
  TempDir dir;
  auto store = smallStore(dir);
  runDensity(*store, request());
  const std::string first = slurp(dir.file("t_dichtheid.tif"));
  DensityRequest wider = request();
  wider.kde.radius = 300;
  runDensity(*store, wider);
  EXPECT_NE(slurp(dir.file("t_dichtheid.tif")), first);
  EXPECT_EQ(listResults(*store).size(), 1u);
  const std::vector<std::string> expected = {"t.gpkg", "t_dichtheid.qml", "t_dichtheid.tif"};
  std::vector<std::string> names;
  for (const auto& n : namesIn(dir))
    if (n.find("-wal") == std::string::npos && n.find("-shm") == std::string::npos &&
        n.find("-journal") == std::string::npos)
      names.push_back(n);
  EXPECT_EQ(names, expected);
}

TEST(DensityOutput, OverwriteReplacesAUsersFile) {
  TempDir dir;
  auto store = smallStore(dir);
  std::ofstream(dir.file("t_dichtheid.tif")) << "user raster";
  DensityRequest req = request();
  req.overwrite = true;
  runDensity(*store, req);
  EXPECT_NE(slurp(dir.file("t_dichtheid.tif")), "user raster");
}

TEST(DensityOutput, TheMetadataCarriesTheNormalisedFilterThatWasApplied) {
  TempDir dir;
  auto store = smallStore(dir);
  DensityRequest req = request();
  req.input.where = "signaal_id in ('SIG-T-0000','SIG-T-0002')   and status='nieuw'";
  runDensity(*store, req);
  const auto results = listResults(*store);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].metadata.inputRows, 2);
  EXPECT_NE(results[0].metadata.parametersJson.find(
                "signaal_id IN ('SIG-T-0000', 'SIG-T-0002') AND status = 'nieuw'"),
            std::string::npos)
      << results[0].metadata.parametersJson;

  req.input.where = "categorie = 'HENNEP'; status = 'nieuw'";
  try {
    runDensity(*store, req);
    FAIL() << "text after ';' was accepted";
  } catch (const geo::OptionError& e) {
    EXPECT_EQ(e.option(), "where");
    EXPECT_NE(std::string(e.what()).find("position 21: ';' is not allowed"), std::string::npos);
  }
}
