// Result tables of the shared builder (layers::buildClustering, what the CLI writes into the
// store) written by the plugin's GeoPackage path (plugin/processing/result_gpkg.h) keep their
// field names, the store's types and their values; read back with GDAL. No QGIS headers here:
// layers/analyses pulls in nlohmann/json, which clashes with QGIS 3.22's json_fwd.hpp.
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <map>
#include <string>

#include <unistd.h>

#include "geo/core/gdal.h"
#include "layers/analyses/clustering.h"
#include "plugin/processing/result_gpkg.h"

namespace {

OGRFieldType storeType(veldwacht::layers::FieldType t) {
  using veldwacht::layers::FieldType;
  switch (t) {
    case FieldType::Integer:
      return OFTInteger64;
    case FieldType::Real:
      return OFTReal;
    case FieldType::Boolean:
      return OFTInteger;
    case FieldType::Date:
      return OFTDate;
    case FieldType::DateTime:
      return OFTDateTime;
    case FieldType::Text:
      break;
  }
  return OFTString;
}

}  // namespace

TEST(ResultGpkg, TablesOfTheSharedBuilderKeepTheirFieldsTypesAndValues) {
  // Two groups of five points 10 m apart and a lone point: DBSCAN (eps 25 m, minPts 3).
  veldwacht::layers::PointInput in;
  in.layer = "signalen";
  for (int g = 0; g < 2; ++g)
    for (int i = 0; i < 5; ++i) in.points.push_back({256000.0 + 1000.0 * g + 10.0 * i, 594000.0});
  in.points.push_back({258500.0, 596000.0});
  for (std::size_t i = 0; i < in.points.size(); ++i) in.keys.push_back("S" + std::to_string(i));
  veldwacht::layers::ClusteringRequest request;
  request.dbscan.eps = 25.0;
  request.dbscan.minPts = 3;
  veldwacht::layers::AnalysisResult result = veldwacht::layers::buildClustering(in, request);
  ASSERT_EQ(result.layers.size(), 2u);
  // The points table is held column by column and written from the columns.
  ASSERT_EQ(result.columns.size(), 1u);
  ASSERT_EQ(result.columnsOf(result.layers[0].name), &result.columns[0]);
  EXPECT_TRUE(result.layers[0].records.empty());
  EXPECT_EQ(result.rowCount(result.layers[0]), in.points.size());

  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("veldwacht_result_gpkg_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "result.gpkg").string();
  for (const veldwacht::layers::ResultLayer& layer : result.layers) {
    if (const auto* columns = result.columnsOf(layer.name))
      veldwacht::plugin::writePointColumnsGpkg(layer, *columns, path, layer.name,
                                               veldwacht::geo::nullProgress());
    else
      ASSERT_TRUE(veldwacht::plugin::writeResultLayerGpkg(layer, path, layer.name,
                                                          veldwacht::geo::nullProgress()));
  }
  // The records the store host writes (materialised from the columns) to compare with.
  result.materialise();
  EXPECT_TRUE(result.columns.empty());
  ASSERT_EQ(result.layers[0].records.size(), in.points.size());

  veldwacht::geo::DatasetPtr ds = veldwacht::geo::openDataset(path);
  ASSERT_EQ(ds->GetLayerCount(), 2);
  std::size_t valuesCompared = 0;
  for (const veldwacht::layers::ResultLayer& layer : result.layers) {
    OGRLayer* back = ds->GetLayerByName(layer.name.c_str());
    ASSERT_NE(back, nullptr) << layer.name;
    ASSERT_EQ(back->GetFeatureCount(), GIntBig(layer.records.size())) << layer.name;
    OGRFeatureDefn* defn = back->GetLayerDefn();
    ASSERT_EQ(defn->GetFieldCount(), int(layer.fields.size())) << layer.name;
    for (int c = 0; c < defn->GetFieldCount(); ++c) {
      EXPECT_EQ(defn->GetFieldDefn(c)->GetNameRef(), layer.fields[std::size_t(c)].name);
      EXPECT_EQ(defn->GetFieldDefn(c)->GetType(), storeType(layer.fields[std::size_t(c)].type))
          << layer.fields[std::size_t(c)].name;
    }
    std::size_t row = 0;
    for (auto& f : *back) {
      const veldwacht::layers::Record& r = layer.records.at(row++);
      for (int c = 0; c < defn->GetFieldCount(); ++c) {
        const auto& want = r.values[std::size_t(c)];
        const std::string& name = layer.fields[std::size_t(c)].name;
        if (std::holds_alternative<std::monostate>(want)) {
          EXPECT_TRUE(f->IsFieldNull(c)) << name;
        } else if (const auto* n = std::get_if<std::int64_t>(&want)) {
          EXPECT_EQ(f->GetFieldAsInteger64(c), *n) << name;
        } else if (const auto* d = std::get_if<double>(&want)) {
          EXPECT_EQ(f->GetFieldAsDouble(c), *d) << name;
        } else if (layer.fields[std::size_t(c)].type == veldwacht::layers::FieldType::Text) {
          EXPECT_EQ(f->GetFieldAsString(c), std::get<std::string>(want)) << name;
        }
        ++valuesCompared;
      }
      ASSERT_TRUE(r.geometry);
      ASSERT_NE(f->GetGeometryRef(), nullptr);
      EXPECT_TRUE(f->GetGeometryRef()->Equals(r.geometry.get())) << layer.name << " row " << row;
    }
    EXPECT_EQ(row, layer.records.size());
  }
  EXPECT_GT(valuesCompared, 11u);
  // the points table: two clusters of five and one noise point
  const veldwacht::layers::ResultLayer& points = result.layers.front();
  std::size_t clusterColumn = points.fields.size();
  for (std::size_t c = 0; c < points.fields.size(); ++c)
    if (points.fields[c].name == "cluster_id") clusterColumn = c;
  ASSERT_LT(clusterColumn, points.fields.size());
  std::map<std::int64_t, int> sizes;
  for (const auto& r : points.records)
    if (const auto* id = std::get_if<std::int64_t>(&r.values[clusterColumn])) ++sizes[*id];
  EXPECT_EQ(sizes.size(), 3u);
  EXPECT_EQ(sizes[-1], 1);
  // keys, cluster sizes and core flags as the builder knows them
  ASSERT_EQ(points.fields[0].name, "bron_id");
  ASSERT_EQ(points.fields[2].name, "cluster_grootte");
  ASSERT_EQ(points.fields[3].name, "kernpunt");
  for (std::size_t i = 0; i < points.records.size(); ++i) {
    const auto& v = points.records[i].values;
    EXPECT_EQ(std::get<std::string>(v[0]), "S" + std::to_string(i));
    const bool noise = i == 10;
    EXPECT_EQ(std::get<std::int64_t>(v[2]), noise ? 0 : 5) << i;
    // the ends of a row of five 10 m apart have two neighbours within 25 m (with themselves 3)
    EXPECT_EQ(std::get<std::int64_t>(v[3]), noise ? 0 : 1) << i;
    EXPECT_EQ(points.records[i].geometry->toPoint()->getX(), in.points[i].x);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}
