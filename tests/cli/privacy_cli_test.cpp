// `veldwacht publiceer`, `audit`, `status` and `opvolging` run as a user would, on the privacy
// test store (24 signals with known counts per buurt, all reported on 2024-05-01 by a boer):
// exit codes, the refusal of a confidential layer to a public file with its message, and the
// audit rows each command writes.
#include <gtest/gtest.h>

#include <filesystem>

#include "layers/followup/followup.h"
#include "layers/privacy/audit.h"
#include "tests/cli/run_veldwacht.h"
#include "tests/layers/privacy/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

/// The store made in code and closed, so that the binary is its only user.
std::string makeStore(const TempDir& dir) {
  privacyStore(dir);
  return dir.file("t.gpkg");
}

std::vector<AuditEntry> auditOf(const std::string& path) {
  auto store = Store::open(path, /*update=*/false);
  return readAudit(*store);
}

std::string q(const std::string& s) { return "'" + s + "'"; }

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST(PubliceerCli, RefusesAConfidentialLayerWithTheReasonAndAuditsTheRefusal) {
  TempDir dir;
  const auto store = makeStore(dir);
  const auto out = dir.file("openbaar.gpkg");
  const auto r = runVeldwacht(
      dir, "publiceer " + q(store) + " -o " + q(out) + " --alleen-exporteren --laag signalen");
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_TRUE(has(r.err, "layer 'signalen' is confidential")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  const auto audit = auditOf(store);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "publiceer");
  EXPECT_EQ(audit[0].layer, "signalen");
  EXPECT_EQ(audit[0].outcome, "geweigerd");
}

TEST(PubliceerCli, WritesThePublicFileAndOneAuditRowPerLayer) {
  TempDir dir;
  const auto store = makeStore(dir);
  const auto out = dir.file("openbaar.gpkg");
  const auto r =
      runVeldwacht(dir, "publiceer " + q(store) + " -o " + q(out) + " --seed 42 --laag buurten");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "openbaar_signalen_per_gebied")) << r.out;
  auto ds = geo::openDataset(out);
  ASSERT_NE(ds->GetLayerByName("openbaar_signalen_gemaskeerd"), nullptr);
  EXPECT_EQ(ds->GetLayerByName("openbaar_signalen_gemaskeerd")->GetFeatureCount(), 24);
  EXPECT_EQ(ds->GetLayerByName("signalen"), nullptr);
  const auto audit = auditOf(store);
  ASSERT_EQ(audit.size(), 3u);
  for (const auto& a : audit) {
    EXPECT_EQ(a.outcome, "uitgevoerd");
    EXPECT_EQ(a.sensitivity, Sensitivity::Public);
  }
  // Not again over the same file without --overschrijven: a usage error, the file kept.
  const auto again = runVeldwacht(
      dir, "publiceer " + q(store) + " -o " + q(out) + " --alleen-exporteren --laag buurten");
  EXPECT_EQ(again.code, 2) << again.err;
}

TEST(AuditCli, ShowsTheLogTheClassificationAndRefusesBadUse) {
  TempDir dir;
  const auto store = makeStore(dir);
  auto empty = runVeldwacht(dir, "audit " + q(store));
  EXPECT_EQ(empty.code, 0) << empty.err;
  EXPECT_TRUE(has(empty.out, "is empty")) << empty.out;
  runVeldwacht(dir, "publiceer " + q(store) + " -o " + q(dir.file("o.gpkg")) +
                        " --alleen-exporteren --laag signalen");
  const auto log = runVeldwacht(dir, "audit " + q(store));
  EXPECT_EQ(log.code, 0) << log.err;
  EXPECT_TRUE(has(log.out, "publiceer")) << log.out;
  EXPECT_TRUE(has(log.out, "geweigerd")) << log.out;
  EXPECT_TRUE(has(log.out, currentOsUser())) << log.out;
  const auto classes = runVeldwacht(dir, "audit " + q(store) + " --classificatie");
  EXPECT_EQ(classes.code, 0);
  EXPECT_TRUE(has(classes.out, "signalen")) << classes.out;
  EXPECT_TRUE(has(classes.out, "vertrouwelijk")) << classes.out;
  // 24 signals reported 2024-05-01: 335 days before 2025-04-01.
  const auto listed =
      runVeldwacht(dir, "audit " + q(store) + " --bewaartermijn 300 --vandaag 2025-04-01");
  EXPECT_EQ(listed.code, 0);
  EXPECT_TRUE(has(listed.out, "24 signals older than 300 days")) << listed.out;
  EXPECT_EQ(runVeldwacht(dir, "audit " + q(store) + " --verwijder").code, 2);
  EXPECT_EQ(runVeldwacht(dir, "audit " + q(dir.file("nope.gpkg"))).code, 2);
  const auto removed = runVeldwacht(
      dir, "audit " + q(store) + " --bewaartermijn 300 --vandaag 2025-04-01 --verwijder");
  EXPECT_EQ(removed.code, 0) << removed.err;
  const auto audit = auditOf(store);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].action, "verwijder");
  auto s = Store::open(store, false);
  EXPECT_EQ(s->query("SELECT COUNT(*) FROM signalen").at(0).at(0).value_or(""), "0");
}

TEST(StatusCli, MovesASignalRefusesIllegalJumpsAndAuditsEachChange) {
  TempDir dir;
  const auto store = makeStore(dir);
  const std::string base = "status " + q(store) + " --signaal SIG-T-0000";
  const auto ok = runVeldwacht(
      dir, base + " --naar in_behandeling --datum 2025-03-05 --terugkoppeling 'In behandeling'");
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_TRUE(has(ok.out, "SIG-T-0000: nieuw -> in_behandeling")) << ok.out;
  const auto back = runVeldwacht(dir, base + " --naar nieuw");
  EXPECT_EQ(back.code, 3) << back.err;  // nothing goes back
  EXPECT_TRUE(has(back.err, "cannot go from in_behandeling to nieuw")) << back.err;
  const auto jump =
      runVeldwacht(dir, "status " + q(store) + " --signaal SIG-T-0001 --naar afgesloten");
  EXPECT_EQ(jump.code, 3) << jump.err;
  EXPECT_TRUE(has(jump.err, "signal 'SIG-T-0001' cannot go from nieuw to afgesloten")) << jump.err;
  const auto unknown = runVeldwacht(dir, "status " + q(store) + " --signaal XYZ --naar doorgezet");
  EXPECT_EQ(unknown.code, 3);
  EXPECT_TRUE(has(unknown.err, "no signal 'XYZ'")) << unknown.err;
  EXPECT_EQ(runVeldwacht(dir, base + " --naar klaar").code, 2);
  EXPECT_EQ(runVeldwacht(dir, base).code, 2);  // neither --naar nor --terugkoppeling
  EXPECT_EQ(runVeldwacht(dir, "status " + q(store) + " --naar doorgezet").code, 2);
  const auto audit = auditOf(store);
  ASSERT_EQ(audit.size(), 1u);  // only the one change that was made
  EXPECT_EQ(audit[0].action, "status");
  EXPECT_EQ(audit[0].remark, "nieuw -> in_behandeling; terugkoppeling gegeven op 2025-03-05");
  auto s = Store::open(store, false);
  EXPECT_EQ(followupHistory(*s, "SIG-T-0000").size(), 1u);
}

TEST(OpvolgingCli, PrintsAndWritesTheFiguresAndAuditsTheCsv) {
  TempDir dir;
  const auto store = makeStore(dir);
  ASSERT_EQ(runVeldwacht(dir, "status " + q(store) +
                                  " --signaal SIG-T-0000 --naar in_behandeling --datum 2025-03-05 "
                                  "--terugkoppeling 'Dank voor uw melding'")
                .code,
            0);
  const auto csv = dir.file("opvolging.csv");
  const auto r = runVeldwacht(
      dir, "opvolging " + q(store) + " --per brontype --vandaag 2025-04-01 --csv " + q(csv));
  ASSERT_EQ(r.code, 0) << r.err;
  // 24 reports of 2024-05-01; one given feedback after 308 days; 23 waiting 335 days.
  EXPECT_EQ(slurp(csv),
            "groep;gemeld;in_behandeling_genomen;afgehandeld;teruggekoppeld;te_laat;"
            "mediaan_dagen_tot_terugkoppeling\n"
            "boer;24;1;0;1;23;308,0\n"
            "totaal;24;1;0;1;23;308,0\n");
  EXPECT_TRUE(has(r.out, "23 reports without feedback after more than 14 days")) << r.out;
  EXPECT_TRUE(has(r.out, "SIG-T-0001")) << r.out;
  EXPECT_FALSE(has(r.out, "SIG-T-0000 ")) << r.out;
  const auto audit = auditOf(store);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].action, "export");
  EXPECT_EQ(audit[1].destination, csv);
  // Bad options: exit 2; a missing store: exit 3.
  EXPECT_EQ(runVeldwacht(dir, "opvolging " + q(store) + " --per week").code, 2);
  EXPECT_EQ(runVeldwacht(dir, "opvolging " + q(store) + " --dagen 0").code, 2);
  EXPECT_EQ(runVeldwacht(dir, "opvolging " + q(store) + " --vandaag 1-4-2025").code, 2);
  EXPECT_EQ(runVeldwacht(dir, "opvolging " + q(dir.file("nope.gpkg"))).code, 3);
  // Without --csv the store is opened read-only and nothing is recorded.
  EXPECT_EQ(runVeldwacht(dir, "opvolging " + q(store) + " --per avond").code, 0);
  EXPECT_EQ(auditOf(store).size(), 2u);
}

TEST(OpvolgingCli, KeepsTheReportsOfAPeriodAndNamesABadDateOrOrder) {
  TempDir dir;
  const auto store = makeStore(dir);
  {  // Reported on three evenings: 14 on 2024-05-01 (waargenomen_van, gemeld_op NULL), 6 on
     // 2024-06-10 and 4 on 2024-07-20.
    auto s = Store::open(store, /*update=*/true);
    s->executeSql(
        "UPDATE signalen SET gemeld_op = '2024-06-10T19:30:00' WHERE signaal_id IN "
        "('SIG-T-0000', 'SIG-T-0001', 'SIG-T-0002', 'SIG-T-0003', 'SIG-T-0004', 'SIG-T-0005')");
    s->executeSql(
        "UPDATE signalen SET gemeld_op = '2024-07-20T20:00:00' WHERE signaal_id IN "
        "('SIG-T-0006', 'SIG-T-0007', 'SIG-T-0008', 'SIG-T-0009')");
    ASSERT_EQ(s->query("SELECT COUNT(*) FROM signalen WHERE gemeld_op IS NOT NULL")[0][0], "10");
  }
  const std::string base = "opvolging " + q(store) + " --per avond --vandaag 2024-08-01";
  auto total = [&](const std::string& period) {
    const auto csv = dir.file("p.csv");
    const auto r = runVeldwacht(dir, base + period + " --csv " + q(csv));
    EXPECT_EQ(r.code, 0) << period << ": " << r.err;
    return slurp(csv);
  };
  const std::string header =
      "groep;gemeld;in_behandeling_genomen;afgehandeld;teruggekoppeld;te_laat;"
      "mediaan_dagen_tot_terugkoppeling\n";
  // Without a period: all three evenings (waiting 92, 52 and 12 days on 2024-08-01).
  EXPECT_EQ(total(""), header +
                           "2024-05-01;14;0;0;0;14;\n2024-06-10;6;0;0;0;6;\n"
                           "2024-07-20;4;0;0;0;0;\ntotaal;24;0;0;0;20;\n");
  EXPECT_EQ(total(" --from 2024-06-01 --to 2024-06-30"),
            header + "2024-06-10;6;0;0;0;6;\ntotaal;6;0;0;0;6;\n");
  // Both ends inclusive, either end open.
  EXPECT_EQ(total(" --from 2024-06-10 --to 2024-06-10"),
            header + "2024-06-10;6;0;0;0;6;\ntotaal;6;0;0;0;6;\n");
  EXPECT_EQ(total(" --from 2024-06-11"), header + "2024-07-20;4;0;0;0;0;\ntotaal;4;0;0;0;0;\n");
  EXPECT_EQ(total(" --to 2024-06-10"),
            header + "2024-05-01;14;0;0;0;14;\n2024-06-10;6;0;0;0;6;\ntotaal;20;0;0;0;20;\n");
  EXPECT_EQ(total(" --from 2025-01-01"), header + "totaal;0;0;0;0;0;\n");
  // The printed figures say the period; the late list holds only the period's reports.
  const auto shown = runVeldwacht(dir, base + " --from 2024-06-01 --to 2024-06-30");
  ASSERT_EQ(shown.code, 0) << shown.err;
  EXPECT_TRUE(has(shown.out, "Period: reported 2024-06-01 to 2024-06-30 (inclusive)")) << shown.out;
  EXPECT_TRUE(has(shown.out, "6 reports without feedback after more than 14 days")) << shown.out;
  EXPECT_TRUE(has(shown.out, "SIG-T-0005")) << shown.out;
  EXPECT_FALSE(has(shown.out, "SIG-T-0006")) << shown.out;
  // The CSV's audit row records the period.
  const auto audit = auditOf(store);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.back().filter, "opvolging per avond, reported on or after 2025-01-01");
  // A bad date or an end before the start: exit 2, naming the option; nothing written.
  const auto before = auditOf(store).size();
  const auto badFrom = runVeldwacht(dir, base + " --from 2024-13-01");
  EXPECT_EQ(badFrom.code, 2);
  EXPECT_TRUE(has(badFrom.err, "from: expected a date YYYY-MM-DD, got '2024-13-01'"))
      << badFrom.err;
  const auto badTo = runVeldwacht(dir, base + " --to 31-12-2024");
  EXPECT_EQ(badTo.code, 2);
  EXPECT_TRUE(has(badTo.err, "to: expected a date YYYY-MM-DD, got '31-12-2024'")) << badTo.err;
  const auto reversed =
      runVeldwacht(dir, base + " --from 2024-06-30 --to 2024-06-01 --csv " + q(dir.file("no.csv")));
  EXPECT_EQ(reversed.code, 2);
  EXPECT_TRUE(has(reversed.err, "to: the period ends (2024-06-01) before it starts (2024-06-30)"))
      << reversed.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("no.csv")));
  EXPECT_EQ(auditOf(store).size(), before);
}
