// `veldwacht schouw`, `veldwacht import STORE schouw FILE` and `veldwacht plan-vs-done` run as a
// user would: exit codes, messages, what lands in the store, the CSV.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "layers/store/checksum.h"
#include "tests/cli/run_veldwacht.h"
#include "tests/layers/fieldwork/fieldwork_fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {}  // namespace

TEST(CliFieldwork, SchouwImportsAndPlanVsDoneReports) {
  TempDir dir;
  const std::string path = dir.file("s.gpkg");
  {
    auto store = fieldStore(path);
    writePlan(
        *store, "week", {{"P01", "d1", "2026-11-02", "20:00", "02:00"}},
        {{"P01", "d1", 1, "vab", "VAB-1979-0001", "2026-11-02T21:00:00", "2026-11-02T21:12:00"},
         {"P01", "d1", 2, "vab", "VAB-1979-0002", "2026-11-02T23:30:00", "2026-11-02T23:42:00"}});
  }
  writeText(dir.file("a.csv"),
            "Plek;Laag;Waarnemer;Datum;Tijd;Bevinding;Categorie\n"
            "VAB-1979-0001;vab;P01;2-11-2026;21:40;Licht aan;HENNEP\n");
  auto r = runVeldwacht(dir, "schouw '" + path + "' '" + dir.file("a.csv") + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("1 rows imported; signalen: 1"), std::string::npos) << r.out;

  // The same through `import`, with the keyword.
  writeText(dir.file("b.csv"),
            "site,site_laag,partner,tijdstip,bevinding\n"
            "VAB-1979-0002,vab,P04,2026-11-02 23:50,Niets\n");
  r = runVeldwacht(dir, "import '" + path + "' schouw '" + dir.file("b.csv") + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  {
    auto store = Store::open(path, false);
    EXPECT_EQ(rowCount(*store, "schouwresultaten"), 2);
    EXPECT_EQ(rowCount(*store, "signalen"), 1);
  }

  // A bad row: exit 3, the row and field named, nothing written.
  writeText(dir.file("bad.csv"),
            "site;partner;tijdstip;bevinding\n"
            "VAB-1979-0001;P01;2026-11-04T10:00;ok\n"
            "VAB-1979-0001;P99;2026-11-04T11:00;x\n");
  const auto before = fileSha256(path);
  r = runVeldwacht(dir, "schouw '" + path + "' '" + dir.file("bad.csv") + "'");
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("row 3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unknown partner 'P99'"), std::string::npos) << r.err;
  EXPECT_EQ(fileSha256(path), before);

  // Plan versus done: vab 1 done, vab 2 missed (P04 went there: unplanned).
  r = runVeldwacht(dir,
                   "plan-vs-done '" + path + "' --plan week --csv '" + dir.file("pvd.csv") + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("P01 d1 #2 vab VAB-1979-0002"), std::string::npos) << r.out;
  EXPECT_NE(slurp(dir.file("pvd.csv")).find("totaal;;;;2;1;1;1;50,0;2;1\n"), std::string::npos)
      << slurp(dir.file("pvd.csv"));
  {
    auto store = Store::open(path, false);
    EXPECT_EQ(rowCount(*store, "week_gedaan_bezoeken"), 3);
  }
  r = runVeldwacht(dir, "plan-vs-done '" + path + "' --plan maand");
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("maand_bezoeken"), std::string::npos) << r.err;
}
