// Plan versus done and the schouw import through their descriptions and runners (what the
// Processing algorithms run): the tables equal the description's results, the counts are the
// ones known by hand (as in plan_vs_done_test.cpp), bad options are refused by name, and a bad
// schouw file writes nothing.
#include <gtest/gtest.h>

#include "layers/fieldwork/describe_fieldwork.h"
#include "tests/layers/fieldwork/fieldwork_fixtures.h"

namespace veldwacht::layers {
namespace {

using namespace testing;

/// The plan "week" (fieldwork_fixtures.h), its schouw results imported through the runner.
std::unique_ptr<Store> weekStore(TempDir& dir, RunReport* importReport = nullptr) {
  auto store = fieldStore(dir.file("s.gpkg"));
  const std::string csv = writeWeekPlanAndSchouw(*store, dir);
  const auto& a = describe::schouwImportAnalyses().front();
  SchouwImportRequest r = a.defaults();
  a.set(r, "file", std::string(csv));
  const RunReport rep = runSchouwImport(*store, r);
  if (importReport) *importReport = rep;
  return store;
}

TEST(FieldworkDescriptions, PlanVsDoneWritesTheDescribedTablesWithTheKnownCounts) {
  TempDir dir;
  RunReport imported;
  auto store = weekStore(dir, &imported);
  EXPECT_EQ(imported.layers, (std::vector<std::string>{"schouwresultaten", "signalen"}));
  EXPECT_EQ(rowCount(*store, "schouwresultaten"), 6);

  const auto& a = describe::planVsDoneAnalyses().front();
  EXPECT_EQ(a.id, "plan_vs_done");
  PlanVsDoneRequest r = a.defaults();
  a.set(r, "plan", std::string("week"));
  const AnalysisResult res = buildPlanVsDone(*store, r);
  ASSERT_EQ(res.layers.size(), a.results.size());
  for (std::size_t i = 0; i < res.layers.size(); ++i) {
    EXPECT_EQ(res.layers[i].name, "week_gedaan" + a.results[i].suffix);
    EXPECT_EQ(res.layers[i].geometry, a.results[i].geometry);
    const auto want = a.results[i].fieldDefs();
    ASSERT_EQ(res.layers[i].fields.size(), want.size());
    for (std::size_t f = 0; f < want.size(); ++f) {
      EXPECT_EQ(res.layers[i].fields[f].name, want[f].name);
      EXPECT_EQ(res.layers[i].fields[f].type, want[f].type);
    }
  }
  // 5 planned, 3 done, 2 missed, 2 unplanned (see plan_vs_done_test.cpp).
  const ResultLayer& partners = res.layers[1];
  const auto& total = partners.records.back().values;
  EXPECT_EQ(std::get<std::string>(total[0]), "totaal");
  EXPECT_EQ(std::get<std::int64_t>(total[1]), 5);
  EXPECT_EQ(std::get<std::int64_t>(total[2]), 3);
  EXPECT_EQ(std::get<std::int64_t>(total[3]), 2);
  EXPECT_EQ(std::get<std::int64_t>(total[4]), 2);
  ASSERT_FALSE(res.report.lines.empty());
  EXPECT_NE(res.report.lines.front().find("Plan week tegen gedaan"), std::string::npos);
  // The output prefix is the request's output.
  r.output = "controle";
  EXPECT_EQ(buildPlanVsDone(*store, r).layers[0].name, "controle_bezoeken");
}

TEST(FieldworkDescriptions, BadOptionsAndABadFileAreRefusedAndNothingIsWritten) {
  const auto& pv = describe::planVsDoneAnalyses().front();
  PlanVsDoneRequest p = pv.defaults();
  EXPECT_THROW(pv.set(p, "tolerantie-uren", -1.0), geo::OptionError);
  pv.set(p, "van", std::string("3-11-2026"));
  EXPECT_THROW(p.validate(), geo::OptionError);

  const auto& si = describe::schouwImportAnalyses().front();
  SchouwImportRequest s = si.defaults();
  EXPECT_THROW(s.validate(), geo::OptionError);  // no file
  EXPECT_THROW(si.set(s, "speling-min", std::int64_t{-5}), geo::OptionError);

  TempDir dir;
  auto store = fieldStore(dir.file("s.gpkg"));
  const std::string csv = dir.file("fout.csv");
  writeText(csv,
            "site;partner;tijdstip;bevinding\n"
            "VAB-1979-0001;P01;2026-11-02T21:40;goed\n"
            "VAB-1979-0001;P99;2026-11-02T22:40;onbekende partner\n");
  si.set(s, "file", std::string(csv));
  try {
    runSchouwImport(*store, s);
    FAIL() << "accepted an unknown partner";
  } catch (const geo::InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("row 3"), std::string::npos) << m;
    EXPECT_NE(m.find("P99"), std::string::npos) << m;
  }
  EXPECT_EQ(rowCount(*store, "schouwresultaten"), 0);
}

}  // namespace
}  // namespace veldwacht::layers
