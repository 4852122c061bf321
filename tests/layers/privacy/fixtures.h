// A small store built in code for the privacy tests: one gemeente (4 km square), two wijken (west
// and east half), four buurten (quadrants), addresses every 100 m, and signals with known
// counts per buurt: SW 2, NW 7, SE 9, NE 6 (wijk west 9, wijk east 15, gemeente 24).
#pragma once

#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "tests/layers/analyses/fixtures.h"

namespace veldwacht::layers::testing {

inline constexpr double kSide = 4000.0;

inline Record areaRecord(const std::string& layer, const std::string& code, const std::string& wijk,
                         double x, double y, double w, double h) {
  std::vector<std::pair<std::string, Value>> v{{"code", code},
                                               {"naam", "naam " + code},
                                               {"gemeentecode", std::string("GM9999")},
                                               {"synthetisch", std::int64_t{1}}};
  if (!wijk.empty()) v.push_back({"wijkcode", wijk});
  const auto r = [&](double a, double b) { return std::to_string(a) + " " + std::to_string(b); };
  return recordOf(layer, v,
                  wkt("MULTIPOLYGON (((" + r(x, y) + ", " + r(x + w, y) + ", " + r(x + w, y + h) +
                      ", " + r(x, y + h) + ", " + r(x, y) + ")))"));
}

/// Signals per quadrant (SW, NW, SE, NE), placed on a 30 m lattice inside each quadrant.
inline std::vector<Record> quadrantSignals(const std::array<int, 4>& perQuadrant) {
  std::vector<Record> out;
  int id = 0;
  for (int q = 0; q < 4; ++q) {
    const double qx = kX0 + (q >= 2 ? kSide / 2 : 0.0) + 700.0;
    const double qy = kY0 + (q % 2 == 1 ? kSide / 2 : 0.0) + 700.0;
    for (int j = 0; j < perQuadrant[q]; ++j) {
      SignalSpec s = at(qx + 30.0 * (j % 5), qy + 30.0 * (j / 5));
      s.categorie = j % 2 ? "HENNEP" : "DRUGSAFVAL";
      out.push_back(signalRecord(id++, s));
    }
  }
  return out;
}

inline std::vector<Record> addressGrid(double step) {
  std::vector<Record> out;
  int id = 0;
  for (double x = 0; x <= kSide; x += step)
    for (double y = 0; y <= kSide; y += step) {
      char bag[20];
      std::snprintf(bag, sizeof bag, "9999010%09d", id++);
      out.push_back(recordOf("verblijfsobjecten",
                             {{"bag_id", std::string(bag)}, {"synthetisch", std::int64_t{1}}},
                             pointAt(kX0 + x, kY0 + y)));
    }
  return out;
}

/// The store's batches (also appended to a PostGIS store by tests/layers/pgstore).
inline std::vector<ImportBatch> privacyBatches(const std::array<int, 4>& perQuadrant = {2, 7, 9,
                                                                                        6}) {
  const double h = kSide / 2;
  std::vector<ImportBatch> batches;
  batches.push_back(batch("gemeenten", {}));
  batches.back().records.push_back(areaRecord("gemeenten", "GM9999", "", kX0, kY0, kSide, kSide));
  std::vector<Record> wijken;
  wijken.push_back(areaRecord("wijken", "WK999900", "WK999900", kX0, kY0, h, kSide));
  wijken.push_back(areaRecord("wijken", "WK999901", "WK999901", kX0 + h, kY0, h, kSide));
  batches.push_back(batch("wijken", std::move(wijken)));
  std::vector<Record> buurten;
  buurten.push_back(areaRecord("buurten", "BU99990000", "WK999900", kX0, kY0, h, h));
  buurten.push_back(areaRecord("buurten", "BU99990001", "WK999900", kX0, kY0 + h, h, h));
  buurten.push_back(areaRecord("buurten", "BU99990100", "WK999901", kX0 + h, kY0, h, h));
  buurten.push_back(areaRecord("buurten", "BU99990101", "WK999901", kX0 + h, kY0 + h, h, h));
  batches.push_back(batch("buurten", std::move(buurten)));
  batches.push_back(batch("verblijfsobjecten", addressGrid(100.0)));
  batches.push_back(batch("signalen", quadrantSignals(perQuadrant)));
  for (auto& b : batches)
    for (std::size_t i = 0; i < b.records.size(); ++i) b.records[i].sourceRow = std::int64_t(i + 1);
  return batches;
}

inline std::unique_ptr<Store> privacyStore(const TempDir& dir,
                                           const std::array<int, 4>& perQuadrant = {2, 7, 9, 6}) {
  auto store = Store::create(dir.file("t.gpkg"));
  auto batches = privacyBatches(perQuadrant);
  store->append(batches);
  return store;
}

}  // namespace veldwacht::layers::testing
