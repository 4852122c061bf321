// Helpers shared by the importer tests: a temporary directory that cleans up after itself, and
// small file writers.
#pragma once

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <unistd.h>

#include "geo/core/gdal.h"
#include "layers/store/checksum.h"
#include "layers/store/store.h"

namespace veldwacht::layers::testing {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("veldwacht-importers-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  return path;
}

struct VectorField {
  std::string name;
  OGRFieldType type;
};

/// Writes a vector file with OGR (for inputs a CSV cannot express: NaN vertices, empty polygons).
inline void writeVector(
    const std::string& path, const char* driver, const std::string& layerName, int epsg,
    OGRwkbGeometryType type, const std::vector<VectorField>& fields,
    const std::vector<std::pair<std::vector<std::string>, OGRGeometry*>>& rows) {
  veldwacht::geo::ensureGdalRegistered();
  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver);
  veldwacht::geo::DatasetPtr ds(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  ASSERT_TRUE(ds);
  OGRSpatialReference srs;
  if (epsg) srs.importFromEPSG(epsg);
  OGRLayer* layer = ds->CreateLayer(layerName.c_str(), epsg ? &srs : nullptr, type, nullptr);
  ASSERT_TRUE(layer);
  for (const auto& f : fields) {
    OGRFieldDefn defn(f.name.c_str(), f.type);
    layer->CreateField(&defn);
  }
  for (const auto& [values, geom] : rows) {
    veldwacht::geo::FeaturePtr feat(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    for (std::size_t i = 0; i < values.size(); ++i)
      if (!values[i].empty()) feat->SetField(int(i), values[i].c_str());
    if (geom) feat->SetGeometryDirectly(geom);
    ASSERT_EQ(layer->CreateFeature(feat.get()), OGRERR_NONE);
  }
}

/// An axis-aligned square polygon for writeVector's rows (which take it over).
inline OGRGeometry* squarePolygon(double x, double y, double size) {
  auto* ring = new OGRLinearRing();
  ring->addPoint(x, y);
  ring->addPoint(x + size, y);
  ring->addPoint(x + size, y + size);
  ring->addPoint(x, y + size);
  ring->addPoint(x, y);
  auto* poly = new OGRPolygon();
  poly->addRingDirectly(ring);
  return poly;
}

/// SHA-256 of the store's file with every committed change in it (the write-ahead log
/// checkpointed into the file): what a refused, rolled-back import must leave unchanged. The
/// plain file bytes would also change when a later close checkpoints an earlier commit.
inline std::string committedSha256(veldwacht::layers::Store& store) {
  store.executeSql("PRAGMA wal_checkpoint(TRUNCATE)");
  return veldwacht::layers::fileSha256(store.path());
}

inline std::string fixture(const std::string& name) {
  return std::string(VELDWACHT_SOURCE_DIR) + "/sample-data/fixtures/" + name;
}

}  // namespace veldwacht::layers::testing
