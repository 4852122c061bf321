// A result raster and its registry row are of the same run whatever moment a writer is killed
// at (issue 7). The writer runs in a forked child that _exits at each step of writeResultSet's
// journaled file move (testing::resultFileStep). The child is this test binary started afresh
// (posix_spawn of /proc/self/exe running only RasterKillChild.Run): a plain fork would inherit
// GDAL's GeoTIFF worker pool without its threads and hang. The parent then reads the store as
// Veldwacht does (listResults) and compares the registry row's parameters with the GeoTIFF's own
// VELDWACHT_PARAMETERS. Before the journal, the GeoTIFF was renamed into place just before the
// COMMIT, and a kill at "recorded" left the new raster under the old run's row.
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <gdal_priv.h>

#include "geo/core/gdal.h"
#include "layers/analyses/density.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;
namespace fs = std::filesystem;

namespace {

std::string g_killAt;  // the step at which the child stops

void exitAt(const char* step) {
  if (g_killAt == step) ::_exit(0);
}

DensityRequest request(double radius) {
  DensityRequest req;
  req.output = "dichtheid";
  req.kde.radius = radius;
  req.kde.pixelSize = 10;
  return req;
}

std::unique_ptr<Store> smallStore(const TempDir& dir) {
  std::vector<Record> recs;
  for (int i = 0; i < 4; ++i) recs.push_back(signalRecord(i, at(kX0 + 150.0 * i, kY0 + 40.0 * i)));
  return storeWith(dir, batch("signalen", std::move(recs)));
}

/// The parameters the GeoTIFF itself carries ("" without a readable file).
std::string rasterParameters(const std::string& tif) {
  geo::ensureGdalRegistered();
  GDALDatasetUniquePtr ds(GDALDataset::Open(tif.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
  if (!ds) return "";
  const char* p = ds->GetMetadataItem("VELDWACHT_PARAMETERS");
  return p ? p : "";
}

std::string registeredParameters(Store& store, const std::string& layer) {
  for (const auto& r : listResults(store))
    if (r.layer == layer) return r.metadata.parametersJson;
  return "(no row)";
}

std::vector<std::string> temporaries(const TempDir& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir.path()))
    if (e.path().filename().string().find(".tmp-") != std::string::npos)
      out.push_back(e.path().filename().string());
  return out;
}

std::size_t moveRecords(Store& store) {
  return store.query("SELECT key FROM veldwacht_meta WHERE key LIKE 'bestandswissel:%'").size();
}

/// Writes radius 100, then in a child radius 150 stopped at `step`; returns the parent's view.
struct Outcome {
  std::string rowParams, fileParams, oldParams, newParams;
  std::vector<std::string> leftBehind;
};

Outcome killedAt(const TempDir& dir, const std::string& step) {
  Outcome o;
  {
    auto store = smallStore(dir);
    runDensity(*store, request(100));
    o.oldParams = registeredParameters(*store, "t_dichtheid.tif");
  }
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  env.push_back("VELDWACHT_RASTER_KILL_STEP=" + step);
  env.push_back("VELDWACHT_RASTER_KILL_STORE=" + dir.file("t.gpkg"));
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string self = "/proc/self/exe", filter = "--gtest_filter=RasterKillChild.Run";
  char* argv[] = {self.data(), filter.data(), nullptr};
  pid_t child = -1;
  EXPECT_EQ(::posix_spawn(&child, self.c_str(), nullptr, nullptr, argv, envp.data()), 0);
  int status = 0;
  EXPECT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "the child did not stop at '" << step << "' (status " << status << ")";
  o.leftBehind = temporaries(dir);
  auto store = Store::open(dir.file("t.gpkg"), true);
  o.rowParams = registeredParameters(*store, "t_dichtheid.tif");  // finishes a committed move
  o.fileParams = rasterParameters(dir.file("t_dichtheid.tif"));
  // The next write works and removes what the killed run left.
  runDensity(*store, request(200));
  o.newParams = registeredParameters(*store, "t_dichtheid.tif");
  EXPECT_EQ(rasterParameters(dir.file("t_dichtheid.tif")), o.newParams);
  EXPECT_TRUE(temporaries(dir).empty()) << "left after the next write: " << temporaries(dir)[0];
  EXPECT_EQ(moveRecords(*store), 0u);
  return o;
}

}  // namespace

// The child of killedAt: does nothing unless started by it.
TEST(RasterKillChild, Run) {
  const char* step = std::getenv("VELDWACHT_RASTER_KILL_STEP");
  const char* path = std::getenv("VELDWACHT_RASTER_KILL_STORE");
  if (!step || !path) GTEST_SKIP() << "only run by RasterKill.* as their writer";
  g_killAt = step;
  resultFileStep = exitAt;
  try {
    auto store = Store::open(path, true);
    runDensity(*store, request(150));
  } catch (...) {
    ::_exit(2);
  }
  ::_exit(3);  // the step was never reached
}

TEST(RasterKill, BeforeTheCommitTheOldRowAndTheOldRaster) {
  TempDir dir;
  const Outcome o = killedAt(dir, "recorded");
  EXPECT_EQ(o.rowParams, o.oldParams) << "a kill before the COMMIT keeps the old row";
  EXPECT_EQ(o.fileParams, o.rowParams) << "the raster is not the registered run's";
  EXPECT_FALSE(o.leftBehind.empty()) << "the killed run's temporary files are there to clean";
}

TEST(RasterKill, AfterTheCommitTheNewRowAndTheNewRaster) {
  TempDir dir;
  const Outcome o = killedAt(dir, "committed");
  EXPECT_NE(o.rowParams, o.oldParams) << "the COMMIT was made";
  EXPECT_NE(o.rowParams.find("150"), std::string::npos) << o.rowParams;
  EXPECT_EQ(o.fileParams, o.rowParams) << "the raster is not the registered run's";
  EXPECT_FALSE(o.leftBehind.empty()) << "the recorded move was left to the reader";
}

TEST(RasterKill, BetweenTheSidecarAndTheRaster) {
  TempDir dir;
  const Outcome o = killedAt(dir, "moved-sidecar");
  EXPECT_NE(o.rowParams, o.oldParams);
  EXPECT_EQ(o.fileParams, o.rowParams) << "the raster is not the registered run's";
}

TEST(RasterKill, AfterTheMovesBeforeTheRecordIsDeleted) {
  TempDir dir;
  const Outcome o = killedAt(dir, "moved");
  EXPECT_NE(o.rowParams, o.oldParams);
  EXPECT_EQ(o.fileParams, o.rowParams);
  EXPECT_TRUE(o.leftBehind.empty());
}

TEST(RasterKill, AFinishedWriteLeavesNoRecordAndNoTemporaryFile) {
  TempDir dir;
  auto store = smallStore(dir);
  runDensity(*store, request(100));
  runDensity(*store, request(150));
  EXPECT_EQ(moveRecords(*store), 0u);
  EXPECT_TRUE(temporaries(dir).empty());
  EXPECT_EQ(rasterParameters(dir.file("t_dichtheid.tif")),
            registeredParameters(*store, "t_dichtheid.tif"));
}

TEST(RasterKill, ATemporaryFileOfARunningProcessIsNotRemoved) {
  TempDir dir;
  auto store = smallStore(dir);
  runDensity(*store, request(100));
  // Our own process is running: a file in its name is never another's leftover.
  const std::string mine =
      dir.file("t_dichtheid.tif.tmp-" + std::to_string(::getpid()) + "-abcdef");
  const std::string dead = dir.file("t_dichtheid.tif.tmp-999999999-abcdef");  // > pid_max
  const std::string user = dir.file("t_dichtheid.tif.tmp-notes");             // not our pattern
  for (const auto& p : {mine, dead, user}) std::ofstream(p) << "x";
  runDensity(*store, request(150));
  EXPECT_TRUE(fs::exists(mine));
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(user));
}
