#include "plugin/processing/result_gpkg.h"

#include "geo/core/error.h"

namespace veldwacht::plugin {

std::optional<geo::GpkgLayerOptions> gpkgOptionsFor(const layers::ResultLayer& layer,
                                                    const std::string& table) {
  geo::GpkgLayerOptions o;
  o.table = table;
  o.expectedRows = std::int64_t(layer.records.size());
  switch (layer.geometry) {
    case layers::GeometryKind::None:
      return std::nullopt;
    case layers::GeometryKind::Point:
      o.geometryType = geo::GpkgGeometryType::Point;
      break;
    case layers::GeometryKind::LineString:
      o.geometryType = geo::GpkgGeometryType::LineString;
      break;
    case layers::GeometryKind::MultiPolygon:
      o.geometryType = geo::GpkgGeometryType::MultiPolygon;
      break;
  }
  for (const layers::FieldDef& f : layer.fields) {
    geo::GpkgFieldType t = geo::GpkgFieldType::Text;
    switch (f.type) {
      case layers::FieldType::Text:
        t = geo::GpkgFieldType::Text;
        break;
      case layers::FieldType::Integer:
        t = geo::GpkgFieldType::Int64;
        break;
      case layers::FieldType::Real:
        t = geo::GpkgFieldType::Real;
        break;
      case layers::FieldType::Boolean:
        t = geo::GpkgFieldType::Boolean;
        break;
      case layers::FieldType::Date:
        t = geo::GpkgFieldType::Date;
        break;
      case layers::FieldType::DateTime:
        t = geo::GpkgFieldType::DateTime;
        break;
    }
    o.fields.push_back({f.name, t});
  }
  if (!layer.metadata.algorithm.empty()) o.description = layer.metadata.describe();
  return o;
}

bool writeResultLayerGpkg(const layers::ResultLayer& layer, const std::string& path,
                          const std::string& table, geo::Progress& progress) {
  const std::optional<geo::GpkgLayerOptions> options = gpkgOptionsFor(layer, table);
  if (!options) return false;
  geo::GpkgWriter writer(path, *options, progress);
  for (const layers::Record& r : layer.records) writer.addGeometry(r.geometry.get(), r.values);
  writer.commit();
  return true;
}

void writePointColumnsGpkg(const layers::ResultLayer& layer, const layers::PointColumns& columns,
                           const std::string& path, const std::string& table,
                           geo::Progress& progress) {
  std::optional<geo::GpkgLayerOptions> options = gpkgOptionsFor(layer, table);
  if (!options || layer.geometry != layers::GeometryKind::Point)
    throw geo::Error("'" + layer.name + "' is not a point table");
  if (columns.columns.size() != layer.fields.size())
    throw geo::Error("'" + layer.name + "': " + std::to_string(columns.columns.size()) +
                     " columns for " + std::to_string(layer.fields.size()) + " fields");
  options->expectedRows = std::int64_t(columns.size());
  geo::GpkgWriter writer(path, *options, progress);
  std::vector<layers::Value> values;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    columns.row(i, values);
    writer.addPoint(columns.points[i].x, columns.points[i].y, values);
  }
  writer.commit();
}

}  // namespace veldwacht::plugin
