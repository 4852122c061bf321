// A small store built in code for the fieldwork tests: partners, vab sites, a pand, an incident
// that shares an id with a vab (to test ambiguity), and optionally a plan's result tables with
// exactly the fields planning writes (<naam>_routes, <naam>_bezoeken).
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include "layers/results/results.h"
#include "tests/layers/analyses/fixtures.h"

namespace veldwacht::layers::testing {

inline void writeText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

/// Partners P01 (jager_wbe), P04 (boer), P07 (boa), P11 (gebiedsbeheerder); vab VAB-1979-0001..3
/// at (kX0 + 1000 i, kY0); pand 0000100000000001 (a 20 m square at kX0, kY0 + 5000);
/// incident VAB-1979-0003 (a look-alike id).
inline std::vector<ImportBatch> fieldBatches() {
  ImportBatch partners;
  partners.layer = "partners";
  partners.sourceFile = "code";
  const std::vector<std::pair<std::string, std::string>> ps = {
      {"P01", "jager_wbe"}, {"P04", "boer"}, {"P07", "boa"}, {"P11", "gebiedsbeheerder"}};
  for (std::size_t i = 0; i < ps.size(); ++i)
    partners.records.push_back(recordOf("partners",
                                        {{"partner_id", ps[i].first},
                                         {"naam", "Partner " + ps[i].first},
                                         {"partner_type", ps[i].second},
                                         {"beschikbaar_dag", std::int64_t(1)},
                                         {"beschikbaar_nacht", std::int64_t(1)},
                                         {"synthetisch", std::int64_t(1)}},
                                        pointAt(kX0 - 500, kY0 + 100.0 * double(i))));
  ImportBatch vab;
  vab.layer = "vab";
  vab.sourceFile = "code";
  for (int i = 1; i <= 3; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "VAB-1979-%04d", i);
    char pand[32];
    std::snprintf(pand, sizeof pand, "00001000000000%02d", 10 + i);
    vab.records.push_back(recordOf("vab",
                                   {{"vab_id", std::string(id)},
                                    {"bag_pand_id", std::string(pand)},
                                    {"leegstand", std::string("leeg")},
                                    {"synthetisch", std::int64_t(1)}},
                                   pointAt(kX0 + 1000.0 * i, kY0)));
  }
  ImportBatch panden;
  panden.layer = "panden";
  panden.sourceFile = "code";
  panden.records.push_back(recordOf(
      "panden", {{"bag_id", std::string("0000100000000001")}, {"synthetisch", std::int64_t(1)}},
      squareAt(kX0, kY0 + 5000, 20)));
  ImportBatch incidents;
  incidents.layer = "incidenten";
  incidents.sourceFile = "code";
  incidents.records.push_back(recordOf("incidenten",
                                       {{"incident_id", std::string("VAB-1979-0003")},
                                        {"datum", std::string("2026-10-01")},
                                        {"synthetisch", std::int64_t(1)}},
                                       pointAt(kX0 + 9000, kY0 + 9000)));
  std::vector<ImportBatch> all;
  all.push_back(std::move(partners));
  all.push_back(std::move(vab));
  all.push_back(std::move(panden));
  all.push_back(std::move(incidents));
  return all;
}

/// A GeoPackage store at `path` with fieldBatches().
inline std::unique_ptr<Store> fieldStore(const std::string& path) {
  auto store = Store::create(path);
  auto all = fieldBatches();
  store->append(all);
  return store;
}

inline std::int64_t rowCount(Store& store, const std::string& table) {
  const auto rows = store.query("SELECT COUNT(*) FROM \"" + table + "\"");
  return std::stoll(*rows.at(0).at(0));
}

/// One planned visit as planning writes it into <naam>_bezoeken.
struct PlannedVisit {
  std::string partner, dienst;
  int volgorde = 1;
  std::string laag = "vab", site;
  std::string aankomst, vertrek;
  double x = kX0, y = kY0;
};

/// One route (partner and shift) as planning writes it into <naam>_routes.
struct PlannedRoute {
  std::string partner, dienst, datum, start, eind;
};

inline FieldDef fd(const std::string& name, FieldType type) {
  FieldDef f;
  f.name = name;
  f.type = type;
  return f;
}

/// Writes <naam>_routes and <naam>_bezoeken with the fields of the planning contract.
inline void writePlan(Store& store, const std::string& naam,
                      const std::vector<PlannedRoute>& routes,
                      const std::vector<PlannedVisit>& visits) {
  using T = FieldType;
  ResultLayer r;
  r.name = naam + "_routes";
  r.geometry = GeometryKind::LineString;
  r.fields = {
      fd("partner_id", T::Text),   fd("dienst", T::Text),     fd("datum", T::Date),
      fd("start", T::Text),        fd("eind", T::Text),       fd("n_bezoeken", T::Integer),
      fd("reistijd_min", T::Real), fd("afstand_km", T::Real), fd("prioriteit_totaal", T::Real)};
  r.metadata.algorithm = "plan";
  for (const auto& p : routes) {
    Record rec;
    int n = 0;
    for (const auto& v : visits) n += (v.partner == p.partner && v.dienst == p.dienst);
    rec.values = {p.partner, p.dienst, p.datum, p.start, p.eind, std::int64_t(n), 10.0, 5.0, 1.0};
    rec.geometry = wkt("LINESTRING (" + std::to_string(kX0) + " " + std::to_string(kY0) + ", " +
                       std::to_string(kX0 + 3000) + " " + std::to_string(kY0) + ")");
    r.records.push_back(std::move(rec));
  }
  ResultLayer b;
  b.name = naam + "_bezoeken";
  b.geometry = GeometryKind::Point;
  b.fields = {fd("partner_id", T::Text),  fd("dienst", T::Text),       fd("volgorde", T::Integer),
              fd("site_laag", T::Text),   fd("site_id", T::Text),      fd("aankomst", T::DateTime),
              fd("vertrek", T::DateTime), fd("verblijf_min", T::Real), fd("prioriteit", T::Real),
              fd("vaardigheid", T::Text), fd("dag_nacht", T::Text)};
  b.metadata.algorithm = "plan";
  for (const auto& v : visits) {
    Record rec;
    rec.values = {v.partner,
                  v.dienst,
                  std::int64_t(v.volgorde),
                  v.laag,
                  v.site,
                  v.aankomst,
                  v.vertrek,
                  12.0,
                  1.0,
                  std::string("schouwen"),
                  std::string("nacht")};
    rec.geometry = pointAt(v.x, v.y);
    b.records.push_back(std::move(rec));
  }
  std::vector<ResultLayer> set;
  set.push_back(std::move(r));
  set.push_back(std::move(b));
  writeResultSet(store, std::move(set));
}

/// Plan "week": P01 a night shift 2-11 20:00..02:00 with three vab, P07 a day shift 3-11
/// 09:00..13:00 with two. Schouw results: P01 vab 1 at 21:40 (done), P01 vab 2 at 01:30 the
/// next morning (done: inside the night shift), nothing for P01 vab 3 (missed), P07 vab 3 at
/// 14:30 (done within the 2 h tolerance), P07 vab 1 at 16:00 (too late: missed, and unplanned),
/// P04 vab 2 (not in the plan: unplanned, a signal), P01 vab 1 a week later (outside the period).
/// Writes the plan into `store` and the schouw results to `dir`/schouw.csv; returns its path.
inline std::string writeWeekPlanAndSchouw(Store& store, TempDir& dir) {
  writePlan(
      store, "week",
      {{"P01", "d1", "2026-11-02", "20:00", "02:00"},
       {"P07", "d2", "2026-11-03", "09:00", "13:00"}},
      {{"P01", "d1", 1, "vab", "VAB-1979-0001", "2026-11-02T21:00:00", "2026-11-02T21:12:00"},
       {"P01", "d1", 2, "vab", "VAB-1979-0002", "2026-11-02T23:30:00", "2026-11-02T23:42:00"},
       {"P01", "d1", 3, "vab", "VAB-1979-0003", "2026-11-03T01:00:00", "2026-11-03T01:12:00"},
       {"P07", "d2", 1, "vab", "VAB-1979-0003", "2026-11-03T10:00:00", "2026-11-03T10:12:00"},
       {"P07", "d2", 2, "vab", "VAB-1979-0001", "2026-11-03T11:00:00", "2026-11-03T11:12:00"}});
  const std::string csv = dir.file("schouw.csv");
  writeText(csv,
            "site;site_laag;partner;tijdstip;bevinding;categorie\n"
            "VAB-1979-0001;vab;P01;2026-11-02T21:40;donker;\n"
            "VAB-1979-0002;vab;P01;2026-11-03T01:30;;\n"
            "VAB-1979-0003;vab;P07;2026-11-03T14:30;deur open;\n"
            "VAB-1979-0001;vab;P07;2026-11-03T16:00;;\n"
            "VAB-1979-0002;vab;P04;2026-11-03T09:00;vaten;DRUGSAFVAL\n"
            "VAB-1979-0001;vab;P01;2026-11-10T21:40;;\n");
  return csv;
}

}  // namespace veldwacht::layers::testing
