#include "layers/store/styles.h"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "geo/core/error.h"
#include "layers/store/sqlite_sql.h"
#include "layers/store/store_internal.h"

#include <dlfcn.h>
#include <link.h>

#ifndef VELDWACHT_INSTALLED_STYLES_DIR
#define VELDWACHT_INSTALLED_STYLES_DIR ""
#endif

namespace veldwacht::layers {

namespace {

bool isDir(const std::string& p) {
  std::error_code ec;
  return !p.empty() && std::filesystem::is_directory(p, ec);
}

/// layer_styles exactly as QGIS (QgsOgrProviderMetadata::saveStyle) creates it through OGR.
OGRLayer& stylesLayer(GDALDataset& ds) {
  if (OGRLayer* l = ds.GetLayerByName(kStylesTableName)) return *l;
  const char* opts[] = {"FID=id", nullptr};
  CPLErrorReset();
  OGRLayer* l = ds.CreateLayer(kStylesTableName, nullptr, wkbNone, const_cast<char**>(opts));
  if (!l) throw geo::LibraryError("cannot create layer_styles: " + geo::lastGdalError());
  auto add = [&](const char* name, OGRFieldType type, int width = 0, OGRFieldSubType sub = OFSTNone,
                 const char* def = nullptr) {
    OGRFieldDefn f(name, type);
    f.SetSubType(sub);
    if (width) f.SetWidth(width);
    if (def) f.SetDefault(def);
    if (l->CreateField(&f, TRUE) != OGRERR_NONE)
      throw geo::LibraryError(std::string("cannot create layer_styles.") + name + ": " +
                              geo::lastGdalError());
  };
  add("f_table_catalog", OFTString, 256);
  add("f_table_schema", OFTString, 256);
  add("f_table_name", OFTString, 256);
  add("f_geometry_column", OFTString, 256);
  add("styleName", OFTString, 30);
  add("styleQML", OFTString);
  add("styleSLD", OFTString);
  add("useAsDefault", OFTInteger, 0, OFSTBoolean);
  add("description", OFTString);
  add("owner", OFTString, 30);
  add("ui", OFTString, 30);
  add("update_time", OFTDateTime, 0, OFSTNone, "CURRENT_TIMESTAMP");
  return *l;
}

std::string geometryColumnOf(GDALDataset& ds, const std::string& table) {
  if (OGRLayer* l = ds.GetLayerByName(table.c_str())) return l->GetGeometryColumn();
  // A table created with SQL in the running transaction (the result writer's own tables),
  // which GDAL's dataset learns of only when it is reopened.
  if (EQUAL(ds.GetDriverName(), "GPKG") &&
      !runQuery(ds, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = " +
                        sqlite::literal(table))
           .empty()) {
    const auto geom =
        runQuery(ds, "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = " +
                         sqlite::literal(table));
    return geom.empty() || !geom[0][0] ? std::string() : *geom[0][0];
  }
  throw geo::Error("no layer '" + table + "' to attach a style to");
}

/// Resets filter and reading position when it goes out of scope.
struct FilterScope {
  OGRLayer& layer;
  FilterScope(OGRLayer& l, const std::string& filter) : layer(l) {
    if (layer.SetAttributeFilter(filter.c_str()) != OGRERR_NONE)
      throw geo::LibraryError("bad filter on layer_styles: " + geo::lastGdalError());
    layer.ResetReading();
  }
  ~FilterScope() {
    layer.SetAttributeFilter(nullptr);
    layer.ResetReading();
  }
  FilterScope(const FilterScope&) = delete;
  FilterScope& operator=(const FilterScope&) = delete;
};

/// The styles of `table` in `ds`'s layer_styles: QGIS writes f_table_schema '' in a GeoPackage
/// and the table's schema in PostgreSQL (the store's tables are in its search path).
std::string tableFilter(GDALDataset& ds, const std::string& table, const std::string& geomColumn) {
  const char* schema = EQUAL(ds.GetDriverName(), "PostgreSQL") ? "f_table_schema = current_schema()"
                                                               : "f_table_schema = ''";
  return std::string(schema) + " AND f_table_name = " + sqlite::literal(table) +
         " AND f_geometry_column = " + sqlite::literal(geomColumn);
}

}  // namespace

std::string binaryDirectory() {
  // The shared object holding this code (the plugin's .so); for the main program the link map
  // has no name (dladdr's dli_fname would be argv[0], e.g. "veldwacht" found through PATH), so
  // the executable is read from /proc/self/exe.
  Dl_info info{};
  struct link_map* map = nullptr;
  if (dladdr1(reinterpret_cast<void*>(&binaryDirectory), &info, reinterpret_cast<void**>(&map),
              RTLD_DL_LINKMAP) == 0)
    return {};
  const std::string file =
      map && map->l_name && map->l_name[0] != '\0' ? map->l_name : "/proc/self/exe";
  std::error_code ec;
  const std::filesystem::path path = std::filesystem::canonical(file, ec);
  return ec ? std::string() : path.parent_path().string();
}

std::string stylesNextTo(const std::string& binaryDir) {
  if (binaryDir.empty()) return {};
  std::filesystem::path dir(binaryDir);
  // The plugin's own folder: <plugin dir>/veldwacht/styles beside libveldwachtplugin.so.
  if (const auto own = dir / "veldwacht" / "styles"; isDir(own.string())) return own.string();
  // <prefix>/share/veldwacht/styles from <prefix>/bin (the CLI), <prefix>/lib/qgis/plugins (the
  // plugin) or a build tree's folders (which link share/veldwacht/styles to the sources').
  for (int up = 0; up <= 4 && !dir.empty(); ++up) {
    if (const auto s = dir / "share" / "veldwacht" / "styles"; isDir(s.string())) return s.string();
    if (dir == dir.parent_path()) break;
    dir = dir.parent_path();
  }
  return {};
}

std::string stylesDirectory(const std::string& explicitDir) {
  if (!explicitDir.empty()) return isDir(explicitDir) ? explicitDir : std::string();
  if (const char* env = std::getenv("VELDWACHT_STYLES_DIR"); env && isDir(env)) return env;
  if (std::string s = stylesNextTo(binaryDirectory()); !s.empty()) return s;
  if (isDir(VELDWACHT_INSTALLED_STYLES_DIR)) return VELDWACHT_INSTALLED_STYLES_DIR;
  return {};
}

std::optional<std::string> readStyleFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::optional<std::string> shippedLayerStyle(const std::string& stylesDir,
                                             const std::string& layer) {
  if (stylesDir.empty()) return std::nullopt;
  return readStyleFile((std::filesystem::path(stylesDir) / "layers" / (layer + ".qml")).string());
}

std::string shippedLayerStyleDescription(const std::string& layerTitle) {
  return "Veldwacht-standaardstijl voor " + layerTitle;
}

void embedDefaultStyle(GDALDataset& ds, const std::string& table, const std::string& styleName,
                       const std::string& qml, const std::string& description) {
  const std::string geom = geometryColumnOf(ds, table);
  OGRLayer& styles = stylesLayer(ds);
  OGRFeatureDefn* defn = styles.GetLayerDefn();
  const int iDefault = defn->GetFieldIndex("useAsDefault");
  // Clear the previous default, as QGIS does.
  std::vector<GIntBig> others;
  std::optional<GIntBig> sameName;
  {
    FilterScope scope(styles, tableFilter(ds, table, geom));
    for (geo::FeaturePtr f(styles.GetNextFeature()); f; f.reset(styles.GetNextFeature())) {
      if (styleName == f->GetFieldAsString("styleName"))
        sameName = f->GetFID();
      else if (f->GetFieldAsInteger(iDefault))
        others.push_back(f->GetFID());
    }
  }
  for (GIntBig fid : others) {
    geo::FeaturePtr f(styles.GetFeature(fid));
    f->SetField(iDefault, 0);
    if (styles.SetFeature(f.get()) != OGRERR_NONE)
      throw geo::LibraryError("cannot update layer_styles: " + geo::lastGdalError());
  }
  geo::FeaturePtr f(sameName ? styles.GetFeature(*sameName) : OGRFeature::CreateFeature(defn));
  f->SetField("f_table_catalog", "");
  f->SetField("f_table_schema", "");
  f->SetField("f_table_name", table.c_str());
  f->SetField("f_geometry_column", geom.c_str());
  f->SetField("styleName", styleName.c_str());
  f->SetField("styleQML", qml.c_str());
  f->SetField("styleSLD", "");
  f->SetField(iDefault, 1);
  f->SetField("description", description.c_str());
  f->SetField("owner", "");
  {
    // update_time in UTC; QGIS falls back to the newest style when none is the default.
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    f->SetField(defn->GetFieldIndex("update_time"), tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, static_cast<float>(tm.tm_sec), 100);
  }
  const OGRErr err = sameName ? styles.SetFeature(f.get()) : styles.CreateFeature(f.get());
  if (err != OGRERR_NONE)
    throw geo::LibraryError("cannot write the style of '" + table + "': " + geo::lastGdalError());
}

std::optional<std::string> defaultStyle(GDALDataset& ds, const std::string& table) {
  OGRLayer* styles = ds.GetLayerByName(kStylesTableName);
  if (!styles) return std::nullopt;
  const std::string geom = geometryColumnOf(ds, table);
  // CAST: an integer 0/1 in a GeoPackage, a boolean in PostgreSQL (which has no boolean = 1).
  FilterScope scope(*styles,
                    tableFilter(ds, table, geom) + " AND CAST(useAsDefault AS INTEGER) = 1");
  geo::FeaturePtr f(styles->GetNextFeature());
  if (!f) return std::nullopt;
  return std::string(f->GetFieldAsString("styleQML"));
}

void removeStyles(GDALDataset& ds, const std::string& table) {
  OGRLayer* styles = ds.GetLayerByName(kStylesTableName);
  if (!styles) return;
  std::vector<GIntBig> fids;
  {
    FilterScope scope(*styles, "f_table_name = " + sqlite::literal(table));
    for (geo::FeaturePtr f(styles->GetNextFeature()); f; f.reset(styles->GetNextFeature()))
      fids.push_back(f->GetFID());
  }
  for (GIntBig fid : fids)
    if (styles->DeleteFeature(fid) != OGRERR_NONE)
      throw geo::LibraryError("cannot delete a style of '" + table + "': " + geo::lastGdalError());
}

}  // namespace veldwacht::layers
