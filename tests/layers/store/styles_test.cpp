// Default styles in layer_styles, as QGIS reads them (QgsOgrProviderMetadata::loadStyle).
#include "layers/store/styles.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "layers/store/store.h"
#include "tests/layers/store/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

std::string stylesWith(const TempDir& dir, const std::vector<std::string>& layers) {
  const auto root = dir.path() / "mystyles";
  std::filesystem::create_directories(root / "layers");
  for (const auto& l : layers)
    std::ofstream(root / "layers" / (l + ".qml")) << "<qgis>" + l + "</qgis>";
  return root.string();
}

/// Sets an environment variable for the scope of a test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST(DefaultStyles, CreateEmbedsTheStyleOfEachLayerThatHasOne) {
  TempDir dir;
  CreateOptions options;
  options.stylesDir = stylesWith(dir, {"signalen", "signaal_categorieen"});
  auto store = Store::create(dir.file("s.gpkg"), options);
  EXPECT_EQ(defaultStyle(store->dataset(), "signalen").value_or(""), "<qgis>signalen</qgis>");
  EXPECT_EQ(defaultStyle(store->dataset(), "signaal_categorieen").value_or(""),
            "<qgis>signaal_categorieen</qgis>");
  EXPECT_FALSE(defaultStyle(store->dataset(), "panden").has_value());
}

TEST(DefaultStyles, RowsLookLikeTheOnesQgisWrites) {
  TempDir dir;
  CreateOptions options;
  options.stylesDir = stylesWith(dir, {"vab"});
  auto store = Store::create(dir.file("s.gpkg"), options);
  const auto rows = store->query(
      "SELECT f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
      "useAsDefault, update_time FROM layer_styles");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].value_or("null"), "");
  EXPECT_EQ(rows[0][1].value_or("null"), "");
  EXPECT_EQ(rows[0][2].value_or(""), "vab");
  EXPECT_EQ(rows[0][3].value_or(""), "geom");
  EXPECT_EQ(rows[0][4].value_or(""), "vab");
  EXPECT_EQ(rows[0][5].value_or(""), "1");
  EXPECT_EQ(rows[0][6].value_or("").size(), 19u);
  // QGIS finds the table as an OGR layer with FID column "id".
  OGRLayer* l = store->dataset().GetLayerByName("layer_styles");
  ASSERT_NE(l, nullptr);
  EXPECT_STREQ(l->GetFIDColumn(), "id");
}

TEST(DefaultStyles, ANewDefaultReplacesTheOldOneAndASameNamedStyleIsUpdated) {
  TempDir dir;
  CreateOptions options;
  options.embedStyles = false;
  auto store = Store::create(dir.file("s.gpkg"), options);
  GDALDataset& ds = store->dataset();
  embedDefaultStyle(ds, "panden", "a", "<qgis>a</qgis>", "");
  embedDefaultStyle(ds, "panden", "b", "<qgis>b</qgis>", "");
  EXPECT_EQ(defaultStyle(ds, "panden").value_or(""), "<qgis>b</qgis>");
  embedDefaultStyle(ds, "panden", "a", "<qgis>a2</qgis>", "");
  EXPECT_EQ(defaultStyle(ds, "panden").value_or(""), "<qgis>a2</qgis>");
  EXPECT_EQ(store->query("SELECT COUNT(*) FROM layer_styles")[0][0].value_or(""), "2");
  EXPECT_EQ(
      store->query("SELECT COUNT(*) FROM layer_styles WHERE useAsDefault = 1")[0][0].value_or(""),
      "1");
  removeStyles(ds, "panden");
  EXPECT_FALSE(defaultStyle(ds, "panden").has_value());
}

TEST(DefaultStyles, EnvironmentOverridesTheCompiledInDirectoryAndAParameterOverridesBoth) {
  TempDir dir;
  const auto fromEnv = stylesWith(dir, {"signalen"});
  ScopedEnv env("VELDWACHT_STYLES_DIR", fromEnv);
  EXPECT_EQ(stylesDirectory(), fromEnv);
  const auto explicitDir = (dir.path() / "other").string();
  std::filesystem::create_directories(explicitDir);
  EXPECT_EQ(stylesDirectory(explicitDir), explicitDir);
  EXPECT_EQ(stylesDirectory((dir.path() / "missing").string()), "");
  auto store = Store::create(dir.file("s.gpkg"));
  EXPECT_EQ(defaultStyle(store->dataset(), "signalen").value_or(""), "<qgis>signalen</qgis>");
}

TEST(DefaultStyles, TheRepositoryStylesAreEmbeddedVerbatim) {
  const std::filesystem::path styles = std::filesystem::path(VELDWACHT_SOURCE_DIR) / "styles";
  if (!std::filesystem::exists(styles / "layers")) GTEST_SKIP() << "no styles/layers yet";
  TempDir dir;
  CreateOptions options;
  options.stylesDir = styles.string();
  auto store = Store::create(dir.file("s.gpkg"), options);
  int embedded = 0;
  for (const auto& def : layerDefs()) {
    const auto qml = readStyleFile((styles / "layers" / (def.name + ".qml")).string());
    if (!qml) continue;
    ++embedded;
    EXPECT_EQ(defaultStyle(store->dataset(), def.name).value_or(""), *qml) << def.name;
  }
  EXPECT_GT(embedded, 0);
}
