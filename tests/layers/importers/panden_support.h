// Helpers shared by the register-update tests of both stores (GeoPackage and PostGIS): BAG light
// panden written as CSV, and a store layer's content in a form two stores can be compared by.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <cpl_conv.h>

#include "layers/store/store.h"
#include "test_support.h"

namespace veldwacht::layers::testing {

/// The BAG identificatie of pand `i`: 16 digits.
inline std::string pandId(int i) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016d", 1900100000 + i);
  return buf;
}

/// A square as quoted WKT, for a CSV cell.
inline std::string squareWkt(double x, double y, double size) {
  return "\"POLYGON ((" + std::to_string(x) + " " + std::to_string(y) + ", " +
         std::to_string(x + size) + " " + std::to_string(y) + ", " + std::to_string(x + size) +
         " " + std::to_string(y + size) + ", " + std::to_string(x) + " " +
         std::to_string(y + size) + ", " + std::to_string(x) + " " + std::to_string(y) + "))\"";
}

struct Pand {
  int id;
  int bouwjaar;
  double size;
};

/// BAG light panden as CSV (identificatie, bouwjaar, status, wkt in RD): pand p is a square of
/// p.size metres at x = 250000 + 100·p.id.
inline std::string writePanden(const std::string& path, const std::vector<Pand>& panden) {
  std::string s = "identificatie;bouwjaar;status;wkt\n";
  for (const auto& p : panden)
    s += pandId(p.id) + ";" + std::to_string(p.bouwjaar) + ";Pand in gebruik;" +
         squareWkt(250000 + 100 * p.id, 590000, p.size) + "\n";
  return writeFile(path, s);
}

/// Every row of `layer` as key -> field values (all but import_id) and geometry WKT: what two
/// stores must agree on.
inline std::map<std::string, std::string> content(Store& store, const std::string& layer) {
  const LayerDef& def = layerDef(layer);
  std::map<std::string, std::string> out;
  for (const Record& r : store.read(layer)) {
    std::string row;
    for (std::size_t i = 0; i < def.fields.size(); ++i) {
      if (def.fields[i].name == "import_id") continue;
      const Value& v = r.values[i];
      if (const auto* s = std::get_if<std::string>(&v)) row += *s;
      if (const auto* n = std::get_if<std::int64_t>(&v)) row += std::to_string(*n);
      if (const auto* d = std::get_if<double>(&v)) row += std::to_string(*d);
      row += '|';
    }
    if (r.geometry) {
      char* wkt = nullptr;
      r.geometry->exportToWkt(&wkt);
      const std::unique_ptr<char, decltype(&CPLFree)> owned(wkt, CPLFree);
      row += wkt;
    }
    const Value& key = r.values[std::size_t(def.fieldIndex(def.key))];
    out[std::holds_alternative<std::string>(key) ? std::get<std::string>(key)
                                                 : std::to_string(std::get<std::int64_t>(key))] =
        row;
  }
  return out;
}

/// The first column of the first row of `sql`: "(none)" without a row, "NULL" for NULL.
inline std::string one(Store& store, const std::string& sql) {
  const auto rows = store.query(sql);
  return rows.empty() || rows[0].empty() ? std::string("(none)") : rows[0][0].value_or("NULL");
}

}  // namespace veldwacht::layers::testing
