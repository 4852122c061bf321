#include "plugin/processing/result_gpkg.h"

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

}  // namespace veldwacht::plugin
