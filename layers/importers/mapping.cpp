#include "layers/importers/mapping.h"

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "geo/core/error.h"
#include "layers/importers/values.h"
#include "layers/schema/schema.h"

namespace veldwacht::layers {

using veldwacht::geo::InputError;
using veldwacht::geo::OptionError;

namespace {

std::string layerNames() {
  std::string s;
  for (const auto& d : layerDefs()) s += (s.empty() ? "" : ", ") + d.name;
  return s;
}

std::string fieldNames(const LayerDef& def) {
  std::string s;
  for (const auto& f : def.fields)
    if (f.name != "import_id") s += (s.empty() ? "" : ", ") + f.name;
  if (def.geometry != GeometryKind::None) s += ", x, y, lon, lat, wkt";
  return s;
}

bool isKnownLayer(const std::string& name) {
  return std::any_of(layerDefs().begin(), layerDefs().end(),
                     [&](const LayerDef& d) { return d.name == name; });
}

std::string trimmed(std::string s) {
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

std::string FieldMapping::sourceFor(const std::string& target) const {
  const std::string t = toLowerAscii(target);
  for (const auto& [src, dst] : fields)
    if (toLowerAscii(dst) == t) return src;
  return {};
}

void checkLayerName(const std::string& layer, const std::string& option) {
  if (!isKnownLayer(layer))
    throw OptionError(option, "unknown layer '" + layer + "'; expected one of: " + layerNames());
}

void checkMappingTargets(const FieldMapping& mapping, const std::string& layer) {
  const bool fromFile = mapping.origin != "--map";
  if (!isKnownLayer(layer)) {
    const std::string msg = "unknown layer '" + layer + "'; expected one of: " + layerNames();
    if (fromFile) throw InputError({mapping.origin, std::nullopt, "layer"}, msg);
    throw OptionError("layer", msg);
  }
  const LayerDef& def = layerDef(layer);
  for (const auto& [src, dst] : mapping.fields) {
    const std::string d = toLowerAscii(dst);
    const bool geometryTarget =
        def.geometry != GeometryKind::None &&
        std::any_of(std::begin(kGeometryTargets), std::end(kGeometryTargets),
                    [&](const char* g) { return d == g; });
    if (geometryTarget || (def.field(d) && d != "import_id")) continue;
    const std::string msg = "'" + src + "' is mapped to '" + dst + "', which is not a field of " +
                            layer + "; expected one of: " + fieldNames(def);
    if (fromFile) throw InputError({mapping.origin, std::nullopt, "fields." + src}, msg);
    throw OptionError("mapping", msg);
  }
}

FieldMapping loadMappingFile(const std::string& path) {
  FieldMapping m;
  m.origin = path;
  std::ifstream in(path);
  if (!in) throw InputError({path, std::nullopt, {}}, "cannot open the mapping file");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InputError({path, std::nullopt, {}},
                     std::string("not valid JSON (") + e.what() +
                         "); expected {\"layer\": ..., \"fields\": {\"source\": \"target\"}}");
  }
  if (!j.is_object())
    throw InputError({path, std::nullopt, {}},
                     "expected a JSON object with \"layer\" and \"fields\"");
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() != "layer" && it.key() != "fields" && it.key() != "crs")
      throw InputError({path, std::nullopt, it.key()},
                       "unknown key; expected only \"layer\", \"fields\" and \"crs\"");
  }
  if (j.contains("layer")) {
    if (!j["layer"].is_string())
      throw InputError({path, std::nullopt, "layer"}, "expected a layer name as a string");
    m.layer = j["layer"].get<std::string>();
  }
  if (j.contains("crs")) {
    if (!j["crs"].is_string())
      throw InputError({path, std::nullopt, "crs"},
                       "expected a CRS as a string, e.g. \"EPSG:4326\"");
    m.crs = j["crs"].get<std::string>();
  }
  if (j.contains("fields")) {
    if (!j["fields"].is_object())
      throw InputError({path, std::nullopt, "fields"},
                       "expected an object {\"source field\": \"target field\"}");
    for (auto it = j["fields"].begin(); it != j["fields"].end(); ++it) {
      if (!it.value().is_string())
        throw InputError({path, std::nullopt, "fields." + it.key()},
                         "expected the name of a target field as a string");
      m.fields.emplace_back(it.key(), it.value().get<std::string>());
    }
  }
  if (!m.layer.empty()) checkMappingTargets(m, m.layer);
  return m;
}

FieldMapping parseMappingPairs(const std::string& text) {
  FieldMapping m;
  m.origin = "--map";
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string item = trimmed(text.substr(start, end - start));
    start = end + 1;
    if (item.empty()) continue;
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
      throw OptionError("mapping", "'" + item + "' is not a pair; expected source=target");
    m.fields.emplace_back(trimmed(item.substr(0, eq)), trimmed(item.substr(eq + 1)));
  }
  if (m.fields.empty()) throw OptionError("mapping", "empty; expected source=target[,...]");
  return m;
}

}  // namespace veldwacht::layers
