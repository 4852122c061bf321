// layers/followup intake: one signal entered by hand lands with the values entered (words
// translated as the signals-export importer translates them), with its veldwacht_imports row;
// anything the store refuses on import is refused here too, naming the field, and writes
// nothing (the store's row counts and import rows are unchanged).
#include "layers/followup/intake.h"

#include <gtest/gtest.h>

#include <set>

#include "layers/followup/followup.h"
#include "layers/store/checksum.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

IntakeEntry validEntry() {
  IntakeEntry e;
  e.x = kX0 + 123.5;
  e.y = kY0 - 45.25;
  e.categorie = "HENNEP";
  e.brontype = "ondernemer";
  e.betrouwbaarheid = "B";
  e.waargenomenVan = "2026-11-28T22:15:00";
  e.gemeldOp = "2026-12-03T19:45:00";
  e.omschrijving = "Zoemende ventilatoren achter de loods";
  e.locatiePrecisieM = 25;
  e.sourceCrs = "EPSG:4326";
  e.transformation = "QGIS: EPSG:4326 -> EPSG:28992";
  return e;
}

std::string one(Store& store, const std::string& sql) {
  const auto rows = store.query(sql);
  if (rows.empty() || rows.front().empty()) return "<no row>";
  return rows.front().front().value_or("NULL");
}

std::int64_t count(Store& store, const std::string& table) {
  return std::stoll(one(store, "SELECT COUNT(*) FROM " + table));
}

/// A store with one signal already in it (so "nothing written" is checked against a non-empty
/// table).
std::unique_ptr<Store> storeWithOne(const TempDir& dir) {
  std::vector<Record> one;
  one.push_back(signalRecord(0, at(kX0, kY0)));
  return storeWith(dir, batch("signalen", std::move(one)));
}

/// Enters `e`, expects a refusal naming `field`, and that nothing was written.
void expectRefused(Store& store, const IntakeEntry& e, const std::string& field,
                   const std::string& words) {
  SCOPED_TRACE(field);
  const std::int64_t signals = count(store, "signalen"), imports = count(store, kImportsTable);
  try {
    enterSignal(store, e);
    ADD_FAILURE() << "accepted";
  } catch (const ValidationError& err) {
    bool named = false;
    for (const Problem& p : err.problems()) {
      EXPECT_EQ(p.where.file, kIntakeSource);
      if (p.where.field == field) {
        named = true;
        EXPECT_NE(p.message.find(words), std::string::npos) << p.message;
      }
    }
    EXPECT_TRUE(named) << err.what();
  }
  EXPECT_EQ(count(store, "signalen"), signals);
  EXPECT_EQ(count(store, kImportsTable), imports);
}

}  // namespace

TEST(Intake, AValidEntryLandsWithItsValuesAndItsImportRow) {
  TempDir dir;
  auto store = storeWithOne(dir);
  const std::int64_t imports = count(*store, kImportsTable);

  const IntakeResult r = enterSignal(*store, validEntry());
  EXPECT_EQ(r.signaalId.rfind("GEN-", 0), 0u) << r.signaalId;
  EXPECT_EQ(r.signaalId.size(), 20u);
  EXPECT_TRUE(r.translated.empty());
  EXPECT_EQ(count(*store, "signalen"), 2);
  EXPECT_EQ(count(*store, kImportsTable), imports + 1);

  const std::string where = " FROM signalen WHERE signaal_id = '" + r.signaalId + "'";
  EXPECT_EQ(one(*store, "SELECT categorie" + where), "HENNEP");
  EXPECT_EQ(one(*store, "SELECT brontype" + where), "ondernemer");
  EXPECT_EQ(one(*store, "SELECT betrouwbaarheid" + where), "B");
  EXPECT_EQ(one(*store, "SELECT status" + where), "nieuw");
  EXPECT_EQ(one(*store, "SELECT terugkoppeling" + where), "NULL");
  EXPECT_EQ(one(*store, "SELECT synthetisch" + where), "0");
  EXPECT_EQ(one(*store, "SELECT omschrijving" + where), "Zoemende ventilatoren achter de loods");
  EXPECT_DOUBLE_EQ(std::stod(one(*store, "SELECT locatie_precisie_m" + where)), 25.0);
  EXPECT_EQ(one(*store, "SELECT substr(waargenomen_van, 1, 19)" + where), "2026-11-28T22:15:00");
  EXPECT_EQ(one(*store, "SELECT substr(gemeld_op, 1, 19)" + where), "2026-12-03T19:45:00");
  EXPECT_EQ(one(*store, "SELECT ST_MinX(geom)" + where), "250123.5");
  EXPECT_EQ(one(*store, "SELECT ST_MinY(geom)" + where), "589954.75");
  EXPECT_EQ(one(*store, "SELECT CAST(import_id AS INTEGER)" + where), std::to_string(r.importId));

  const std::string imp = " FROM veldwacht_imports WHERE import_id = " + std::to_string(r.importId);
  EXPECT_EQ(one(*store, "SELECT laag" + imp), "signalen");
  EXPECT_EQ(one(*store, "SELECT bron_bestand" + imp), kIntakeSource);
  EXPECT_EQ(one(*store, "SELECT rijen" + imp), "1");
  EXPECT_EQ(one(*store, "SELECT bron_crs" + imp), "EPSG:4326");
  EXPECT_EQ(one(*store, "SELECT bestand_sha256" + imp), sha256Hex(r.signaalId));

  // The evening counts in the follow-up figures per evening (the date of gemeld_op).
  FollowupOptions o;
  o.per = FollowupGrouping::Avond;
  o.today = "2026-12-05";
  const FollowupReport report = followupReport(*store, o);
  bool found = false;
  for (const auto& g : report.groups)
    if (g.group == "2026-12-03") {
      found = true;
      EXPECT_EQ(g.reported, 1);
      EXPECT_EQ(g.feedbackGiven, 0);
    }
  EXPECT_TRUE(found);
}

TEST(Intake, EverydayWordsAreTranslatedAsTheImporterTranslatesThem) {
  TempDir dir;
  auto store = storeWithOne(dir);
  IntakeEntry e = validEntry();
  e.categorie = " hennepkwekerij ";
  e.betrouwbaarheid = "b";
  const IntakeResult r = enterSignal(*store, e);
  ASSERT_EQ(r.translated.size(), 2u);
  EXPECT_EQ(r.translated[0], "categorie: 'hennepkwekerij' -> 'HENNEP'");
  EXPECT_EQ(r.translated[1], "betrouwbaarheid: 'b' -> 'B'");
  const std::string where = " FROM signalen WHERE signaal_id = '" + r.signaalId + "'";
  EXPECT_EQ(one(*store, "SELECT categorie" + where), "HENNEP");
  EXPECT_EQ(one(*store, "SELECT betrouwbaarheid" + where), "B");
  // The same report again (same values) is the same signal: refused as a duplicate.
  expectRefused(*store, e, "signaal_id", r.signaalId);
}

TEST(Intake, WhatTheStoreRefusesIsRefusedNamingTheFieldAndNothingIsWritten) {
  TempDir dir;
  auto store = storeWithOne(dir);

  IntakeEntry e = validEntry();
  e.categorie = "";
  expectRefused(*store, e, "categorie", "required");

  e = validEntry();
  e.categorie = "KOEIEN";  // not in signaal_categorieen
  expectRefused(*store, e, "categorie", "KOEIEN");

  e = validEntry();
  e.betrouwbaarheid = "E";
  expectRefused(*store, e, "betrouwbaarheid", "'E' is not allowed");

  e = validEntry();
  e.brontype = "buurman";
  expectRefused(*store, e, "brontype", "'buurman' is not allowed");

  e = validEntry();
  e.x = 6.9;  // degrees, not RD: outside the Netherlands in EPSG:28992
  e.y = 53.3;
  expectRefused(*store, e, "geometry", "outside the Netherlands");

  e = validEntry();
  e.x = e.y = std::numeric_limits<double>::quiet_NaN();  // no point clicked
  expectRefused(*store, e, "geometry", "a geometry is required");

  e = validEntry();
  e.waargenomenVan = "28-11-2026";
  expectRefused(*store, e, "waargenomen_van", "YYYY-MM-DDTHH:MM:SS");

  // Several problems at once are all named.
  e = validEntry();
  e.categorie = "";
  e.betrouwbaarheid = "Z";
  try {
    enterSignal(*store, e);
    ADD_FAILURE() << "accepted";
  } catch (const ValidationError& err) {
    std::set<std::string> fields;
    for (const Problem& p : err.problems()) fields.insert(p.where.field);
    EXPECT_TRUE(fields.count("categorie"));
    EXPECT_TRUE(fields.count("betrouwbaarheid"));
  }
  EXPECT_EQ(count(*store, "signalen"), 1);
}

TEST(Intake, TheFormsValueListIsTheStoresCategories) {
  TempDir dir;
  auto store = storeWithOne(dir);
  const auto categories = signalCategories(*store);
  ASSERT_EQ(categories.size(), signalCategorySeeds().size());
  for (std::size_t i = 1; i < categories.size(); ++i)
    EXPECT_LT(categories[i - 1].first, categories[i].first);
  bool hennep = false;
  for (const auto& [code, naam] : categories)
    if (code == "HENNEP") hennep = naam == "Hennepkwekerij";
  EXPECT_TRUE(hennep);
}
