// Records built in code for the pgstore tests: two partners with a square werkgebied each and
// signals on a grid whose position relative to those squares is known.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "geo/core/gdal.h"
#include "layers/store/store.h"

namespace veldwacht::layers::testing {

/// A record of `layer` with the named values (others NULL) and a geometry from WKT (RD).
inline Record record(const std::string& layer, const std::map<std::string, Value>& values,
                     const std::string& wkt, std::int64_t row) {
  const LayerDef& d = layerDef(layer);
  Record r;
  r.values.resize(d.fields.size());
  for (const auto& [name, v] : values) {
    const int i = d.fieldIndex(name);
    if (i < 0) throw std::runtime_error("no field " + name + " in " + layer);
    r.values[std::size_t(i)] = v;
  }
  if (!wkt.empty()) {
    OGRGeometry* g = nullptr;
    OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g);
    r.geometry.reset(g);
  }
  r.sourceRow = row;
  return r;
}

inline std::string square(double x0, double y0, double size) {
  const std::string a = std::to_string(x0), b = std::to_string(y0), c = std::to_string(x0 + size),
                    d = std::to_string(y0 + size);
  return "MULTIPOLYGON(((" + a + " " + b + "," + c + " " + b + "," + c + " " + d + "," + a + " " +
         d + "," + a + " " + b + ")))";
}

inline ImportBatch batch(const std::string& layer, const std::string& file) {
  ImportBatch b;
  b.layer = layer;
  b.sourceFile = file;
  b.sourceSha256 = std::string(64, '0');
  b.sourceCrs = "EPSG:28992";
  return b;
}

/// A vector of one batch (ImportBatch is move-only: no initializer lists).
inline std::vector<ImportBatch> only(ImportBatch b) {
  std::vector<ImportBatch> v;
  v.push_back(std::move(b));
  return v;
}

/// Partners P1 (werkgebied 200000..210000 x 500000..510000) and P2 (220000..230000 x same).
inline std::vector<ImportBatch> partnerBatches() {
  auto p = batch("partners", "partners.csv");
  p.records.push_back(record("partners",
                             {{"partner_id", "P1"},
                              {"naam", "Jan"},
                              {"partner_type", "boer"},
                              {"beschikbaar_dag", std::int64_t(1)},
                              {"beschikbaar_nacht", std::int64_t(0)}},
                             "POINT(205000 505000)", 2));
  p.records.push_back(record("partners",
                             {{"partner_id", "P2"},
                              {"naam", "Els"},
                              {"partner_type", "boa"},
                              {"beschikbaar_dag", std::int64_t(1)},
                              {"beschikbaar_nacht", std::int64_t(1)},
                              {"bevoegdheden", "signaleren, handhaven"}},
                             "POINT(225000 505000)", 3));
  auto w = batch("partner_werkgebieden", "werkgebieden.gpkg");
  w.records.push_back(record("partner_werkgebieden", {{"partner_id", "P1"}, {"naam", "Noord"}},
                             square(200000, 500000, 10000), 1));
  w.records.push_back(record("partner_werkgebieden", {{"partner_id", "P2"}, {"naam", "Oost"}},
                             square(220000, 500000, 10000), 2));
  std::vector<ImportBatch> out;
  out.push_back(std::move(p));
  out.push_back(std::move(w));
  return out;
}

/// `n` signals SIG-<first+i> on a line from x = 195500 eastwards every 1000 m at y = 505500:
/// x < 200000 lies outside both werkgebieden, 200000..210000 inside P1's, 210000..220000 outside,
/// 220000..230000 inside P2's. Category and status cycle; one per month of 2024 cycling.
inline ImportBatch signalBatch(int first, int n, const std::string& file = "signalen.csv") {
  static const char* cats[] = {"HENNEP", "DRUGSAFVAL", "VERHUUR"};
  static const char* statuses[] = {"nieuw", "in_behandeling", "afgesloten"};
  auto b = batch("signalen", file);
  for (int i = 0; i < n; ++i) {
    const int k = first + i;
    char when[32];
    std::snprintf(when, sizeof when, "2024-%02d-15T22:30:00", 1 + k % 12);
    const double x = 195500.0 + 1000.0 * (k % 40);
    b.records.push_back(record("signalen",
                               {{"signaal_id", "SIG-" + std::to_string(k)},
                                {"categorie", cats[k % 3]},
                                {"brontype", "boer"},
                                {"waargenomen_van", std::string(when)},
                                {"status", statuses[k % 3]},
                                {"locatie_precisie_m", 25.5 + k},
                                {"omschrijving", "busje\tmet \"aanhanger\"\nom 03:00; \\ pad"},
                                {"terugkoppeling", std::int64_t(k % 2)}},
                               "POINT(" + std::to_string(x) + " 505500)", k + 2));
  }
  return b;
}

/// Expected count of signalBatch(first, n) rows inside [x0, x1).
inline int signalsInside(int first, int n, double x0, double x1) {
  int c = 0;
  for (int i = 0; i < n; ++i) {
    const double x = 195500.0 + 1000.0 * ((first + i) % 40);
    c += x >= x0 && x < x1;
  }
  return c;
}

}  // namespace veldwacht::layers::testing
