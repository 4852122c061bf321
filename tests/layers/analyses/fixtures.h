// Small stores built in code for the analysis runner tests: signals, incidents, parks, areas
// at known places (EPSG:28992 near Delfzijl) with known answers.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "layers/results/results.h"
#include "layers/schema/schema.h"
#include "layers/store/store.h"
#include "tests/layers/store/fixtures.h"

namespace veldwacht::layers::testing {

inline constexpr double kX0 = 250000, kY0 = 590000;

/// A record of `layer` with every field NULL, then the given (field, value) pairs.
inline Record recordOf(const std::string& layer,
                       const std::vector<std::pair<std::string, Value>>& values,
                       geo::GeometryPtr geometry) {
  const LayerDef& def = layerDef(layer);
  Record r;
  r.values.resize(def.fields.size());
  for (const auto& [name, v] : values) {
    const int i = def.fieldIndex(name);
    EXPECT_GE(i, 0) << name;
    if (i >= 0) r.values[std::size_t(i)] = v;
  }
  r.geometry = std::move(geometry);
  return r;
}

/// A wegvak `id` from junction `beg` to `end`, a straight line from (x0, y0) to (x1, y1)
/// relative to (kX0, kY0); `rijrichting` empty = NULL (both ways), wegbeheerder `beheerder`
/// (G: a municipal road).
inline Record wegvakRecord(std::int64_t id, std::int64_t beg, std::int64_t end, double x0,
                           double y0, double x1, double y1, const std::string& rijrichting = "",
                           const std::string& beheerder = "G") {
  auto* line = new OGRLineString();
  line->addPoint(kX0 + x0, kY0 + y0);
  line->addPoint(kX0 + x1, kY0 + y1);
  return recordOf("wegvakken",
                  {{"wvk_id", id},
                   {"jte_id_beg", beg},
                   {"jte_id_end", end},
                   {"wegbehsrt", beheerder},
                   {"rijrichtng", rijrichting.empty() ? Value{} : Value{rijrichting}},
                   {"synthetisch", std::int64_t{1}}},
                  geo::GeometryPtr(line));
}

inline geo::GeometryPtr pointAt(double x, double y) { return geo::GeometryPtr(new OGRPoint(x, y)); }

inline geo::GeometryPtr squareAt(double x, double y, double side) {
  return wkt("MULTIPOLYGON (((" + std::to_string(x) + " " + std::to_string(y) + ", " +
             std::to_string(x + side) + " " + std::to_string(y) + ", " + std::to_string(x + side) +
             " " + std::to_string(y + side) + ", " + std::to_string(x) + " " +
             std::to_string(y + side) + ", " + std::to_string(x) + " " + std::to_string(y) + ")))");
}

struct SignalSpec {
  double x = 0, y = 0;
  std::string categorie = "DRUGSAFVAL";
  std::string brontype = "boer";
  std::string van = "2024-05-01T10:00:00";
  std::string tot;  ///< empty = NULL
};

inline SignalSpec at(double x, double y) {
  SignalSpec s;
  s.x = x;
  s.y = y;
  return s;
}

inline Record signalRecord(int i, const SignalSpec& s) {
  char id[32];
  std::snprintf(id, sizeof id, "SIG-T-%04d", i);
  return recordOf("signalen",
                  {{"signaal_id", std::string(id)},
                   {"categorie", s.categorie},
                   {"brontype", s.brontype},
                   {"waargenomen_van", s.van},
                   {"waargenomen_tot", s.tot.empty() ? Value{} : Value{s.tot}},
                   {"status", std::string("nieuw")},
                   {"synthetisch", std::int64_t{1}}},
                  pointAt(s.x, s.y));
}

inline ImportBatch batch(const std::string& layer, std::vector<Record> records) {
  ImportBatch b;
  b.layer = layer;
  b.sourceFile = layer + ".test";
  b.sourceSha256 = std::string(64, 'b');
  b.sourceCrs = "EPSG:28992";
  b.transformation = "none";
  b.records = std::move(records);
  for (std::size_t i = 0; i < b.records.size(); ++i) b.records[i].sourceRow = std::int64_t(i + 1);
  return b;
}

/// Two planted groups of signals: group 0 = 6 DRUGSAFVAL points on a 3×2 lattice of 20 m at
/// (kX0, kY0) (ids 0..5, sources boer/jager); group 1 = 6 HENNEP points on the same lattice 2 km
/// east (ids 6..11); and 2 lone points far away (ids 12, 13).
inline std::vector<Record> twoGroupSignals() {
  std::vector<Record> out;
  int id = 0;
  for (int g = 0; g < 2; ++g)
    for (int j = 0; j < 6; ++j) {
      SignalSpec s = at(kX0 + 2000.0 * g + 20.0 * (j % 3), kY0 + 20.0 * (j / 3));
      s.categorie = g == 0 ? "DRUGSAFVAL" : "HENNEP";
      s.brontype = j % 2 ? "jager" : "boer";
      s.van = "2024-0" + std::to_string(5 + g) + "-0" + std::to_string(1 + j) + "T10:00:00";
      out.push_back(signalRecord(id++, s));
    }
  out.push_back(signalRecord(id++, at(kX0 + 5000, kY0 + 5000)));
  out.push_back(signalRecord(id++, at(kX0 - 5000, kY0 + 3000)));
  return out;
}

inline std::unique_ptr<Store> storeWith(const TempDir& dir, ImportBatch&& first,
                                        ImportBatch&& second = {}) {
  auto store = Store::create(dir.file("t.gpkg"));
  std::vector<ImportBatch> batches;
  batches.push_back(std::move(first));
  if (!second.layer.empty()) batches.push_back(std::move(second));
  store->append(batches);
  return store;
}

}  // namespace veldwacht::layers::testing

namespace veldwacht::layers::testing {

inline Record incidentRecord(int i, double x, double y, const std::string& datum) {
  char id[32];
  std::snprintf(id, sizeof id, "INC-T-%05d", i);
  return recordOf(
      "incidenten",
      {{"incident_id", std::string(id)}, {"datum", datum}, {"synthetisch", std::int64_t{1}}},
      pointAt(x, y));
}

/// The Value of field `name` in row `row` of a result layer read back.
inline const Value& resultValue(const ResultLayer& r, std::size_t row, const std::string& name) {
  for (std::size_t i = 0; i < r.fields.size(); ++i)
    if (r.fields[i].name == name) return r.records.at(row).values.at(i);
  ADD_FAILURE() << "no field " << name;
  static Value none;
  return none;
}

inline std::int64_t defaultStyleCount(Store& store, const std::string& layer) {
  const auto rows = store.query("SELECT COUNT(*) FROM layer_styles WHERE f_table_name = '" + layer +
                                "' AND useAsDefault = 1");
  return std::stoll(*rows.at(0).at(0));
}

}  // namespace veldwacht::layers::testing
