// Explicit field mappings for sources Veldwacht does not recognise by their fields: a small JSON
// file {"layer": "signalen", "fields": {"Soort": "categorie", ...}, "crs": "EPSG:4326"} or a
// command-line list "Soort=categorie,Datum=waargenomen_van". Targets are fields of the layer
// (docs/schema.md) or the geometry pseudo-fields x, y (projected), lon, lat (degrees) and wkt.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace veldwacht::layers {

struct FieldMapping {
  std::string layer;  ///< target layer; empty = from ImportOptions::layer or recognised
  std::vector<std::pair<std::string, std::string>> fields;  ///< source name -> target name
  std::string crs;                                          ///< source CRS override; empty = none
  std::string origin;  ///< where it came from, for messages ("mapping.json", "--map")

  bool empty() const { return layer.empty() && fields.empty() && crs.empty(); }
  /// The source field mapped onto `target` (case-insensitive), or "" when none.
  std::string sourceFor(const std::string& target) const;
};

/// Geometry pseudo-targets a mapping may name besides layer fields.
inline constexpr const char* kGeometryTargets[] = {"x", "y", "lon", "lat", "wkt"};

/// Reads a JSON mapping file. Throws geo::InputError naming the file and the offending key
/// ("layer", "fields.Soort", ...) with what was expected: unknown layer (lists the layers),
/// unknown target field (lists the layer's fields), bad JSON.
FieldMapping loadMappingFile(const std::string& path);

/// Parses "src=dst,src2=dst2" (spaces around names trimmed). Throws geo::OptionError("mapping").
FieldMapping parseMappingPairs(const std::string& text);

/// Checks the targets of `mapping` against layer `layer`; throws geo::InputError (JSON file) or
/// geo::OptionError (command line) listing the allowed names.
void checkMappingTargets(const FieldMapping& mapping, const std::string& layer);

/// Checks that `layer` names a Veldwacht layer; throws geo::OptionError(option) listing them.
void checkLayerName(const std::string& layer, const std::string& option);

}  // namespace veldwacht::layers
