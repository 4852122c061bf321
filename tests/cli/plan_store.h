// The plan tests' store, built in code: a 6 km road at 36 km/h (three wegvakken) and an island
// road, two partners at the road's ends (P2 with adrescontrole), three sites (incidents; one on
// the island road). Used by tests/cli/plan_cli_test.cpp on a GeoPackage and by
// tests/layers/pgstore/commands_test.cpp on both stores; its roads also by
// tests/layers/planning/plan_runner_test.cpp.
#pragma once

#include <string>
#include <vector>

#include "tests/layers/analyses/fixtures.h"

namespace veldwacht::layers::testing {

inline Record planPartner(const std::string& id, double x, const std::string& bev) {
  return recordOf("partners",
                  {{"partner_id", id},
                   {"naam", "Partner " + id},
                   {"partner_type", std::string("boa")},
                   {"beschikbaar_dag", std::int64_t{1}},
                   {"beschikbaar_nacht", std::int64_t{1}},
                   {"bevoegdheden", bev.empty() ? Value{} : Value{bev}},
                   {"synthetisch", std::int64_t{1}}},
                  pointAt(kX0 + x, kY0 + 10));
}

/// 0 — 2000 — 4000 — 6000 m east of (kX0, kY0) and an island road 5 km north (also the plugin's
/// planning panel tests).
inline std::vector<Record> planRoads() {
  std::vector<Record> roads;
  roads.push_back(wegvakRecord(1, 1, 2, 0, 0, 2000, 0));
  roads.push_back(wegvakRecord(2, 2, 3, 2000, 0, 4000, 0));
  roads.push_back(wegvakRecord(3, 3, 4, 4000, 0, 6000, 0));
  roads.push_back(wegvakRecord(9, 8, 9, 0, 5000, 1000, 5000));
  return roads;
}

/// The roads, the partners and the sites.
inline std::vector<ImportBatch> planBatches() {
  std::vector<Record> roads = planRoads();
  std::vector<Record> partners;
  partners.push_back(planPartner("P1", 0, ""));
  partners.push_back(planPartner("P2", 6000, "handhaven,adrescontrole"));
  std::vector<Record> sites;
  sites.push_back(incidentRecord(1, kX0 + 1000, kY0 + 20, "2024-05-01"));
  sites.push_back(incidentRecord(2, kX0 + 5000, kY0 - 20, "2024-05-01"));
  sites.push_back(incidentRecord(3, kX0 + 500, kY0 + 5000, "2024-05-01"));
  std::vector<ImportBatch> b;
  b.push_back(batch("wegvakken", std::move(roads)));
  b.push_back(batch("partners", std::move(partners)));
  b.push_back(batch("incidenten", std::move(sites)));
  return b;
}

/// A speed table of 36 km/h on every road (10 m/s: times are lengths / 10).
inline const char* kPlanSpeedsJson =
    R"({"wegbeheerder": {"G": 36, "P": 36, "W": 36, "R": 36, "T": 36},
                              "factor": 1.0, "baansubsoort": {}})";

}  // namespace veldwacht::layers::testing
