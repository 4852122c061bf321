// Schouw result import: recognised columns, known rows and signals, every bad row named, nothing
// half-written, the template imports as is, and the 2 -> 3 migration.
#include <gtest/gtest.h>

#include "layers/fieldwork/schouw_import.h"
#include "layers/store/checksum.h"
#include "tests/layers/fieldwork/fieldwork_fixtures.h"

namespace veldwacht::layers {
namespace {

using namespace testing;

SchouwImportOptions at(const std::string& now) {
  SchouwImportOptions o;
  o.now = now;
  return o;
}

std::string text(const Record& r, const char* layer, const char* field) {
  const auto& v = r.values[std::size_t(layerDef(layer).fieldIndex(field))];
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  return "NULL";
}

TEST(SchouwImport, ImportsADutchFileAndMakesSignalsOfFindingsWithACategory) {
  TempDir dir;
  auto store = fieldStore(dir.file("s.gpkg"));
  const std::string csv = dir.file("schouw.csv");
  writeText(csv,
            "Plek;Waarnemer;Datum;Tijd;Opmerking;Categorie;Foto\n"
            "VAB-1979-0001;P01;2-11-2026;21:40;Donker, niets te zien;;\n"
            "VAB-1979-0002;P01;2-11-2026;22.15;Zoemende ventilatoren;hennep;IMG_1.jpg\n"
            "0000100000000001;P11;03-11-2026;10:05;Vaten achter de schuur;Dumpen of lozen van "
            "drugsafval;\n");
  const std::vector<std::string> files = {csv};
  const auto report = importSchouw(*store, files, at("2026-12-01T12:00:00"));
  EXPECT_EQ(report.rows, 3);
  EXPECT_EQ(report.signalCount, 2);

  auto results = store->read("schouwresultaten");
  ASSERT_EQ(results.size(), 3u);
  std::sort(results.begin(), results.end(), [](const Record& a, const Record& b) {
    return text(a, "schouwresultaten", "tijdstip") < text(b, "schouwresultaten", "tijdstip");
  });
  const char* L = "schouwresultaten";
  EXPECT_EQ(text(results[0], L, "schouw_id"), "SCH-P01-20261102T214000-VAB-1979-0001");
  EXPECT_EQ(text(results[0], L, "site_laag"), "vab");
  EXPECT_EQ(text(results[0], L, "tijdstip"), "2026-11-02T21:40:00");
  EXPECT_EQ(text(results[0], L, "signaal_id"), "NULL");
  EXPECT_EQ(text(results[1], L, "tijdstip"), "2026-11-02T22:15:00");
  EXPECT_EQ(text(results[1], L, "categorie"), "HENNEP");
  EXPECT_EQ(text(results[1], L, "foto"), "IMG_1.jpg");
  EXPECT_EQ(text(results[1], L, "signaal_id"), "SIG-SCH-P01-20261102T221500-VAB-1979-0002");
  EXPECT_EQ(text(results[2], L, "site_laag"), "panden");
  EXPECT_EQ(text(results[2], L, "categorie"), "DRUGSAFVAL");  // matched by the category's name

  const auto signals = store->read("signalen");
  ASSERT_EQ(signals.size(), 2u);
  for (const Record& s : signals) {
    const char* S = "signalen";
    EXPECT_EQ(text(s, S, "status"), "nieuw");
    const std::string id = text(s, S, "signaal_id");
    ASSERT_TRUE(s.geometry);
    const auto* p = s.geometry->toPoint();
    if (id == "SIG-SCH-P01-20261102T221500-VAB-1979-0002") {
      EXPECT_EQ(text(s, S, "brontype"), "jager");
      EXPECT_EQ(text(s, S, "bron_partner_id"), "P01");
      EXPECT_EQ(text(s, S, "categorie"), "HENNEP");
      EXPECT_EQ(text(s, S, "waargenomen_van"), "2026-11-02T22:15:00");
      EXPECT_EQ(text(s, S, "bag_pand_id"), "0000100000000012");
      EXPECT_DOUBLE_EQ(p->getX(), kX0 + 2000);  // at the vab
      EXPECT_DOUBLE_EQ(p->getY(), kY0);
      EXPECT_NE(text(s, S, "omschrijving").find("Zoemende ventilatoren"), std::string::npos);
    } else {
      EXPECT_EQ(id, "SIG-SCH-P11-20261103T100500-0000100000000001");
      EXPECT_EQ(text(s, S, "brontype"), "gebiedsbeheerder");
      EXPECT_EQ(text(s, S, "bag_pand_id"), "0000100000000001");
      // On the pand's surface (a 20 m square).
      EXPECT_GE(p->getX(), kX0);
      EXPECT_LE(p->getX(), kX0 + 20);
      EXPECT_GE(p->getY(), kY0 + 5000);
      EXPECT_LE(p->getY(), kY0 + 5020);
    }
  }
  // One import row per layer; importing the same file again is refused (same schouw_ids).
  EXPECT_EQ(store->imports().size(), 2u + 4u);
  EXPECT_THROW(importSchouw(*store, files, at("2026-12-01T12:00:00")), ValidationError);
  EXPECT_EQ(rowCount(*store, "schouwresultaten"), 3);
}

TEST(SchouwImport, RecognisesEnglishHeadersAndTheSignalMark) {
  TempDir dir;
  auto store = fieldStore(dir.file("s.gpkg"));
  const std::string csv = dir.file("app.csv");
  writeText(csv,
            "Site,Site Layer,Observer,Timestamp,Findings,Category,Signal,Photo,ID\n"
            "VAB-1979-0003,vab,P07,2026-11-20 23:10,Van at the back door,ACTIVITEIT,yes,p.jpg,F-1\n"
            "VAB-1979-0003,incidenten,P04,2026-11-21T08:00:00,Fence repaired,MILIEU,no,,F-2\n");
  const std::vector<std::string> files = {csv};
  const auto report = importSchouw(*store, files, at("2026-12-01T12:00:00"));
  EXPECT_EQ(report.rows, 2);
  EXPECT_EQ(report.signalCount, 1);  // F-2 has a category but is marked as no signal
  const auto signals = store->read("signalen");
  ASSERT_EQ(signals.size(), 1u);
  EXPECT_EQ(text(signals[0], "signalen", "signaal_id"), "SIG-F-1");
  EXPECT_EQ(text(signals[0], "signalen", "brontype"), "boa");
  EXPECT_EQ(rowCount(*store, "schouwresultaten"), 2);
  EXPECT_EQ(store->query("SELECT site_laag FROM schouwresultaten WHERE schouw_id = 'F-2'")[0][0],
            std::optional<std::string>("incidenten"));
}

TEST(SchouwImport, NamesEveryBadRowAndWritesNothing) {
  TempDir dir;
  const std::string path = dir.file("s.gpkg");
  fieldStore(path).reset();
  const std::string csv = dir.file("bad.csv");
  writeText(csv,
            "site;partner;tijdstip;bevinding;categorie;signaal\n"
            "VAB-1979-0001;P01;2026-11-02T21:40;ok;;\n"     // row 2: fine
            "VAB-1979-0001;P99;2026-11-02T21:40;x;;\n"      // row 3: unknown partner
            "VAB-9999;P01;2026-11-02T21:40;x;;\n"           // row 4: unknown site
            "VAB-1979-0002;P01;31-02-2026 10:00;x;;\n"      // row 5: bad time
            "VAB-1979-0002;P01;2027-01-01T10:00;x;;\n"      // row 6: in the future
            "VAB-1979-0003;P01;2026-11-02T21:40;x;;\n"      // row 7: vab or incident?
            "VAB-1979-0002;P01;2026-11-02T21:40;x;NOPE;\n"  // row 8: unknown category
            "VAB-1979-0002;P04;2026-11-02T21:40;x;;ja\n");  // row 9: signal, no category
  const auto before = fileSha256(path);
  auto store = Store::open(path, true);
  const std::vector<std::string> files = {csv};
  try {
    importSchouw(*store, files, at("2026-12-01T12:00:00"));
    FAIL() << "bad rows were accepted";
  } catch (const ValidationError& e) {
    const auto& p = e.problems();
    ASSERT_EQ(p.size(), 7u) << e.what();
    const std::vector<std::tuple<std::int64_t, std::string, std::string>> expected = {
        {3, "partner", "unknown partner 'P99'"},
        {4, "site", "unknown site 'VAB-9999'"},
        {5, "tijdstip", "bad time"},
        {6, "tijdstip", "in the future"},
        {7, "site", "several layers"},
        {8, "categorie", "unknown categorie 'NOPE'"},
        {9, "signaal", "no categorie"}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(p[i].where.file, csv);
      EXPECT_EQ(p[i].where.row, std::get<0>(expected[i]));
      EXPECT_EQ(p[i].where.field, std::get<1>(expected[i]));
      EXPECT_NE(p[i].message.find(std::get<2>(expected[i])), std::string::npos) << p[i].message;
    }
  }
  store.reset();
  EXPECT_EQ(fileSha256(path), before);
}

TEST(SchouwImport, AFileWithoutTheNeededColumnsIsRefusedNamingThem) {
  TempDir dir;
  auto store = fieldStore(dir.file("s.gpkg"));
  const std::string csv = dir.file("wrong.csv");
  writeText(csv, "naam;opmerking\nx;y\n");
  const std::vector<std::string> files = {csv};
  try {
    importSchouw(*store, files, at("2026-12-01T12:00:00"));
    FAIL();
  } catch (const ValidationError& e) {
    ASSERT_EQ(e.problems().size(), 3u) << e.what();
    EXPECT_EQ(e.problems()[0].where.field, "site");
    EXPECT_EQ(e.problems()[1].where.field, "partner");
    EXPECT_EQ(e.problems()[2].where.field, "tijdstip");
  }
  EXPECT_FALSE(looksLikeSchouwCsv(csv));
}

TEST(SchouwImport, TheTemplateImportsAsIs) {
  TempDir dir;
  auto store = fieldStore(dir.file("s.gpkg"));
  const std::string tpl =
      std::string(VELDWACHT_SOURCE_DIR) + "/sample-data/fixtures/schouw_voorbeeld.csv";
  EXPECT_TRUE(looksLikeSchouwCsv(tpl));
  const std::vector<std::string> files = {tpl};
  const auto report = importSchouw(*store, files, at("2026-12-01T12:00:00"));
  EXPECT_EQ(report.rows, 4);
  EXPECT_EQ(report.signalCount, 2);
}

TEST(SchouwImport, PartnerTypesBecomeBrontypesTheSchemaAllows) {
  const auto& allowed = layerDef("signalen").field("brontype")->allowed;
  for (const auto& type : layerDef("partners").field("partner_type")->allowed) {
    const std::string b = brontypeForPartnerType(type);
    EXPECT_NE(std::find(allowed.begin(), allowed.end(), b), allowed.end()) << type << " -> " << b;
  }
}

TEST(SchouwImport, MigratesAVersionTwoStoreForward) {
  TempDir dir;
  const std::string path = dir.file("v2.gpkg");
  CreateOptions o;
  o.schemaVersion = 2;
  Store::create(path, o).reset();
  {
    auto old = Store::open(path, false);
    EXPECT_EQ(old->schemaVersion(), 2);
    EXPECT_EQ(old->dataset().GetLayerByName("schouwresultaten"), nullptr);
  }
  auto store = Store::open(path, true);
  EXPECT_EQ(store->schemaVersion(), kSchemaVersion);
  ASSERT_NE(store->dataset().GetLayerByName("schouwresultaten"), nullptr);
  EXPECT_GE(
      store->dataset().GetLayerByName("signalen")->GetLayerDefn()->GetFieldIndex("bron_partner_id"),
      0);
  // The new reference is enforced in the database: no schouw result of an unknown partner.
  EXPECT_THROW(store->executeSql("INSERT INTO schouwresultaten (schouw_id, partner_id, site_laag, "
                                 "site_id, tijdstip, synthetisch) VALUES ('x', 'P99', 'vab', "
                                 "'v', '2026-01-01T00:00:00', 0)"),
               geo::LibraryError);
}

}  // namespace
}  // namespace veldwacht::layers
