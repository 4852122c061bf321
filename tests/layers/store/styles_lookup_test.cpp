// Where the default styles are found (layers/store/styles.h, issue 8 item 5): no source-tree
// path is compiled in; the styles are found beside the binary as installed
// (<prefix>/share/veldwacht/styles from <prefix>/bin or <prefix>/lib/qgis/plugins, the plugin's
// own <plugin dir>/veldwacht/styles) and, in a build tree, through its share/veldwacht/styles
// link to the sources.
#include "layers/store/styles.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include "tests/layers/store/fixtures.h"

using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;
namespace fs = std::filesystem;

namespace {

/// Makes <root>/<relative> with a layers/signalen.qml in it; returns its path.
std::string stylesAt(const fs::path& root, const std::string& relative) {
  const fs::path dir = root / relative;
  fs::create_directories(dir / "layers");
  std::ofstream(dir / "layers" / "signalen.qml") << "<qgis/>";
  return dir.string();
}

std::string mkdirs(const fs::path& p) {
  fs::create_directories(p);
  return p.string();
}

/// Unsets an environment variable for the scope of a test.
class WithoutEnv {
 public:
  explicit WithoutEnv(const char* name) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::unsetenv(name);
  }
  ~WithoutEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
  }
  WithoutEnv(const WithoutEnv&) = delete;
  WithoutEnv& operator=(const WithoutEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST(StylesLookup, InstalledCliFindsPrefixShare) {
  TempDir dir;
  const auto styles = stylesAt(dir.path() / "prefix", "share/veldwacht/styles");
  EXPECT_EQ(stylesNextTo(mkdirs(dir.path() / "prefix" / "bin")), styles);
}

TEST(StylesLookup, InstalledPluginFindsPrefixShareThreeLevelsUp) {
  TempDir dir;
  const auto styles = stylesAt(dir.path() / "usr", "share/veldwacht/styles");
  EXPECT_EQ(stylesNextTo(mkdirs(dir.path() / "usr" / "lib" / "qgis" / "plugins")), styles);
}

TEST(StylesLookup, ThePluginsOwnFolderComesFirst) {
  TempDir dir;
  stylesAt(dir.path() / "usr", "share/veldwacht/styles");
  const auto plugins = mkdirs(dir.path() / "usr" / "lib" / "qgis" / "plugins");
  const auto own = stylesAt(plugins, "veldwacht/styles");
  EXPECT_EQ(stylesNextTo(plugins), own);
}

TEST(StylesLookup, NothingNearbyGivesEmpty) {
  TempDir dir;
  // share/ five levels above the binary is too far: not this installation's.
  stylesAt(dir.path(), "share/veldwacht/styles");
  EXPECT_EQ(stylesNextTo(mkdirs(dir.path() / "a" / "b" / "c" / "d" / "e")), "");
  EXPECT_NE(stylesNextTo(mkdirs(dir.path() / "a" / "b" / "c" / "d")), "");
  EXPECT_EQ(stylesNextTo(""), "");
}

// Also when run through PATH from another folder (argv[0] is then a bare name).
TEST(StylesLookup, BinaryDirectoryIsThisTestsFolder) {
  const fs::path self = fs::canonical("/proc/self/exe");
  EXPECT_EQ(binaryDirectory(), self.parent_path().string());
}

// The build tree mirrors the installed layout: a test binary finds the sources' styles through
// <build>/share/veldwacht/styles without any path compiled in, and the environment still wins.
TEST(StylesLookup, BuildTreeFindsTheSourceStylesAndTheEnvironmentWins) {
  {
    WithoutEnv env("VELDWACHT_STYLES_DIR");
    const std::string found = stylesDirectory();
    ASSERT_FALSE(found.empty());
    EXPECT_TRUE(fs::equivalent(fs::path(found) / "layers",
                               fs::path(VELDWACHT_SOURCE_DIR) / "styles" / "layers"))
        << found;
  }
  TempDir dir;
  const auto mine = stylesAt(dir.path(), "mine");
  ::setenv("VELDWACHT_STYLES_DIR", mine.c_str(), 1);
  EXPECT_EQ(stylesDirectory(), mine);
  ::unsetenv("VELDWACHT_STYLES_DIR");
}
