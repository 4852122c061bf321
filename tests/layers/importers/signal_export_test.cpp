// Signals exports without a mapping (issue 13 item 1): Dutch/English column names, date + time
// columns, everyday category/brontype/status words, generated ids, status nieuw, repeated
// problems reported once with their rows, and the Dutch intake template.
#include "layers/importers/signal_export.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "layers/importers/importer.h"
#include "layers/importers/values.h"
#include "layers/store/checksum.h"
#include "test_support.h"

using namespace veldwacht::layers;
using veldwacht::layers::testing::committedSha256;
using veldwacht::layers::testing::TempDir;
using veldwacht::layers::testing::writeFile;

namespace {

std::string text(const Record& r, const std::string& field) {
  const Value& v = r.values.at(std::size_t(layerDef("signalen").fieldIndex(field)));
  const auto* s = std::get_if<std::string>(&v);
  return s ? *s : "<" + describeValue(v) + ">";
}

std::string allNotes(const SourceReport& s) {
  std::string n;
  for (const auto& line : s.notes) n += line + "\n";
  return n;
}

// The export of the issue: Datum, Tijd, Categorie (labels and words), Omschrijving, X, Y, Bron;
// 40 rows, no id and no status.
struct Export {
  std::string csv;
  std::vector<std::string> expectedCategory, expectedBron, expectedMoment;
};

Export municipalExport() {
  const std::vector<std::pair<std::string, std::string>> categories = {
      {"Drugsafval", "DRUGSAFVAL"}, {"drugslab", "DRUGSLAB"},        {"Hennepkwekerij", "HENNEP"},
      {"XTC-lab", "DRUGSLAB"},      {"drugsdumping", "DRUGSAFVAL"},  {"wietkwekerij", "HENNEP"},
      {"MILIEU", "MILIEU"},         {"Verdachte verhuur", "VERHUUR"}};
  const std::vector<std::pair<std::string, std::string>> bronnen = {{"Burger", "burger"},
                                                                    {"boer", "boer"},
                                                                    {"Meld Misdaad Anoniem", "mma"},
                                                                    {"Wijkagent", "politie"},
                                                                    {"Enexis", "netbeheerder"}};
  Export e;
  e.csv = "Datum;Tijd;Categorie;Omschrijving;X;Y;Bron\n";
  for (int i = 0; i < 40; ++i) {
    const auto& c = categories[std::size_t(i) % categories.size()];
    const auto& b = bronnen[std::size_t(i) % bronnen.size()];
    const int day = 1 + i % 28, hour = (i * 5) % 24, minute = (i * 7) % 60;
    e.csv += fmt::format("{}-4-2024;{}:{:02};{};melding {};{};{};{}\n", day, hour, minute, c.first,
                         i, 250000 + i * 100, 594000 + i * 50, b.first);
    e.expectedCategory.push_back(c.second);
    e.expectedBron.push_back(b.second);
    e.expectedMoment.push_back(fmt::format("2024-04-{:02}T{:02}:{:02}:00", day, hour, minute));
  }
  return e;
}

}  // namespace

TEST(SignalExport, TheIssuesExportImportsWithoutAMapping) {
  TempDir d;
  const Export e = municipalExport();
  const std::string f = writeFile(d.file("meldingen.csv"), e.csv);
  ValidationReport v = validateFile(f, {});
  ASSERT_TRUE(v.ok()) << v.str();
  ASSERT_EQ(v.batches.size(), 1u);
  EXPECT_EQ(v.batches[0].layer, "signalen");
  EXPECT_NE(v.sources[0].recognisedAs.find("signals export"), std::string::npos);
  const auto& recs = v.batches[0].records;
  ASSERT_EQ(recs.size(), 40u);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < recs.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(text(recs[i], "categorie"), e.expectedCategory[i]);
    EXPECT_EQ(text(recs[i], "brontype"), e.expectedBron[i]);
    EXPECT_EQ(text(recs[i], "waargenomen_van"), e.expectedMoment[i]);  // Tijd not dropped
    EXPECT_EQ(text(recs[i], "status"), "nieuw");
    EXPECT_EQ(text(recs[i], "omschrijving"), fmt::format("melding {}", i));
    const std::string id = text(recs[i], "signaal_id");
    EXPECT_EQ(id.size(), 20u);
    EXPECT_EQ(id.rfind("GEN-", 0), 0u);
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 40u);
  // The report shows the mapping that was used: columns and translated values.
  const std::string notes = allNotes(v.sources[0]);
  EXPECT_NE(notes.find("Datum + Tijd -> waargenomen_van"), std::string::npos) << notes;
  EXPECT_NE(notes.find("Categorie -> categorie"), std::string::npos) << notes;
  EXPECT_NE(notes.find("Bron -> brontype"), std::string::npos) << notes;
  EXPECT_NE(notes.find("'Hennepkwekerij' -> HENNEP (label, 5 rows)"), std::string::npos) << notes;
  EXPECT_NE(notes.find("'XTC-lab' -> DRUGSLAB (synonym, 5 rows)"), std::string::npos) << notes;
  EXPECT_NE(notes.find("'Drugsafval' -> DRUGSAFVAL (code in other case"), std::string::npos)
      << notes;
  EXPECT_NE(notes.find("'Enexis' -> netbeheerder (synonym"), std::string::npos) << notes;
  EXPECT_EQ(notes.find("'MILIEU' ->"), std::string::npos) << "an exact code is no translation";
  EXPECT_NE(notes.find("status nieuw"), std::string::npos) << notes;
  EXPECT_NE(v.str().find("signaal_id generated"), std::string::npos) << v.str();
}

TEST(SignalExport, EnglishNamesLatLonAndADateTimeColumn) {
  TempDir d;
  const std::string f = writeFile(
      d.file("export.csv"),
      "Timestamp,Category,Description,Lat,Lon,Source,Status,Reliability\n"
      "2024-05-02 23:00,Cannabis,smell,53.333149,6.871814,Resident,Closed,usually "
      "reliable\n"
      "2024-05-03 01:30,drug dumping,barrels,53.321767,6.919450,police,in behandeling,D\n");
  ValidationReport v = validateFile(f, {});
  ASSERT_TRUE(v.ok()) << v.str();
  const auto& recs = v.batches[0].records;
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(text(recs[0], "categorie"), "HENNEP");
  EXPECT_EQ(text(recs[1], "categorie"), "DRUGSAFVAL");
  EXPECT_EQ(text(recs[0], "brontype"), "burger");
  EXPECT_EQ(text(recs[0], "status"), "afgesloten");
  EXPECT_EQ(text(recs[1], "status"), "in_behandeling");
  EXPECT_EQ(text(recs[0], "betrouwbaarheid"), "B");
  EXPECT_EQ(text(recs[1], "betrouwbaarheid"), "D");
  EXPECT_EQ(text(recs[1], "waargenomen_van"), "2024-05-03T01:30:00");
  const auto* p = dynamic_cast<const OGRPoint*>(recs[0].geometry.get());
  ASSERT_TRUE(p);
  // lat/lon transformed to RD: the same point through OGR directly (within a metre: the
  // importer may pick a more accurate PROJ pipeline).
  OGRSpatialReference wgs, rd;
  wgs.importFromEPSG(4326);
  rd.importFromEPSG(28992);
  wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  rd.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&wgs, &rd));
  ASSERT_TRUE(ct);
  double x = 6.871814, y = 53.333149;
  ASSERT_TRUE(ct->Transform(1, &x, &y));
  EXPECT_NEAR(p->getX(), x, 1.0);
  EXPECT_NEAR(p->getY(), y, 1.0);
}

TEST(SignalExport, OwnFormatStaysOwnAndKeepsItsIdsAndStatus) {
  TempDir d;
  const std::string f = writeFile(d.file("s.csv"),
                                  "signaal_id;categorie;brontype;waargenomen_van;status;x;y\n"
                                  "S-1;hennep;boer;01-01-2024 22:15;doorgezet;256984;594814\n");
  ValidationReport v = validateFile(f, {});
  ASSERT_TRUE(v.ok()) << v.str();
  EXPECT_EQ(v.sources[0].recognisedAs, "Veldwacht signalen");
  EXPECT_EQ(text(v.batches[0].records[0], "signaal_id"), "S-1");
  EXPECT_EQ(text(v.batches[0].records[0], "status"), "doorgezet");
  EXPECT_EQ(text(v.batches[0].records[0], "categorie"), "HENNEP");  // any case, also here
}

TEST(SignalExport, GeneratedIdsAreStableSoASecondImportIsRefusedAsDuplicates) {
  TempDir d;
  const Export e = municipalExport();
  const std::string f = writeFile(d.file("meldingen.csv"), e.csv);
  const std::string storePath = d.file("store.gpkg");
  auto store = Store::create(storePath);
  const std::vector<std::string> files = {f};
  importFiles(*store, files, {});
  EXPECT_EQ(store->read("signalen").size(), 40u);
  const std::string before = committedSha256(*store);
  try {
    importFiles(*store, files, {});
    FAIL() << "the same export was imported twice";
  } catch (const ValidationError& err) {
    ASSERT_EQ(err.problems().size(), 1u) << err.what();  // one problem, not 40
    const Problem& p = err.problems()[0];
    EXPECT_EQ(p.where.row, 2);
    EXPECT_EQ(p.where.field, "signaal_id");
    EXPECT_NE(p.message.find("already in the store (layer signalen) in 40 rows: 2, 3, 4, 5, 6, "
                             "7, 8, 9, 10, 11, \u2026; e.g. 'GEN-"),
              std::string::npos)
        << p.message;
    EXPECT_NE(p.message.find("imported before"), std::string::npos) << p.message;
  }
  EXPECT_EQ(committedSha256(*store), before);
  // A changed row (file row 9) gets another id: the other 39 are the duplicates.
  std::string changed = e.csv;
  changed.replace(changed.find("melding 7;"), 10, "melding 7b;");
  const std::vector<std::string> one = {writeFile(d.file("changed.csv"), changed)};
  try {
    importFiles(*store, one, {});
    FAIL();
  } catch (const ValidationError& err) {
    ASSERT_EQ(err.problems().size(), 1u) << err.what();
    EXPECT_NE(err.problems()[0].message.find("in 39 rows: 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, "),
              std::string::npos)
        << err.problems()[0].message;
  }
  EXPECT_EQ(committedSha256(*store), before);
}

TEST(SignalExport, ARepeatedProblemIsReportedOnceWithItsRowsAndASuggestion) {
  TempDir d;
  std::string csv = "Datum;Tijd;Categorie;X;Y;Bron\n";
  std::vector<std::int64_t> badRows, typoRows;
  for (int i = 0; i < 120; ++i) {
    const std::int64_t row = i + 2;
    std::string cat = "hennep";
    if (i % 3 == 1 && badRows.size() < 37) {
      cat = "Wapenhandel";
      badRows.push_back(row);
    } else if (i == 5 || i == 50) {
      cat = "Drugslabb";
      typoRows.push_back(row);
    }
    csv += fmt::format("1-4-2024;{};{};{};{};burger\n", i == 42 ? "25:00" : "12:00", cat,
                       250000 + i, 594000);
  }
  csv += "1-4-2024;12:00;hennep;250000\n";  // ragged row 122 (a reader error)
  const std::string f = writeFile(d.file("m.csv"), csv);
  ValidationReport v = validateFile(f, {});
  ASSERT_FALSE(v.ok());
  const std::vector<Problem> errors = v.errors();
  ASSERT_EQ(errors.size(), 4u) << v.str();
  // Ordered by row: the first is the first in the file (row 3), not the reader's row 122.
  EXPECT_EQ(errors[0].where.row, 3);
  EXPECT_EQ(errors[0].where.field, "categorie");
  std::string rows;
  for (std::size_t k = 0; k < 10; ++k) rows += (k ? ", " : "") + std::to_string(badRows[k]);
  EXPECT_EQ(errors[0].message.rfind("unknown category 'Wapenhandel' in 37 rows: " + rows +
                                        ", \u2026; expected a code or label of: ",
                                    0),
            0u)
      << errors[0].message;
  EXPECT_EQ(errors[1].where.row, typoRows[0]);
  EXPECT_NE(errors[1].message.find("unknown category 'Drugslabb' in 2 rows: 7, 52; did you mean "
                                   "'DRUGSLAB' (Synthetisch drugslab)?"),
            std::string::npos)
      << errors[1].message;
  EXPECT_EQ(errors[2].where.row, 44);
  EXPECT_EQ(errors[2].where.field, "Tijd");
  EXPECT_NE(errors[2].message.find("'25:00'"), std::string::npos);
  EXPECT_EQ(errors[3].where.row, 122);
  // Rows with a problem are not counted as valid, also when their problem was a repeat.
  EXPECT_EQ(v.sources[0].rowsValid, 120 - 37 - 2 - 1);
  // The one-line summary (first line of what()) is the first problem at its own place.
  try {
    TempDir d2;
    auto store = Store::create(d2.file("store.gpkg"));
    const std::vector<std::string> files = {f};
    importFiles(*store, files, {});
    FAIL();
  } catch (const ValidationError& e) {
    const std::string what = e.what();
    const std::string first = what.substr(0, what.find('\n'));
    EXPECT_EQ(first.rfind(f + ", row 3, field 'categorie': unknown category 'Wapenhandel' in 37 "
                              "rows",
                          0),
              0u)
        << first;
    EXPECT_NE(what.find("\n4 problems in the input:"), std::string::npos) << what;
  }
}

TEST(SignalExport, BrontypeTyposGetASuggestion) {
  TempDir d;
  const std::string f = writeFile(d.file("m.csv"),
                                  "Datum;Categorie;X;Y;Melder\n"
                                  "1-4-2024;hennep;250000;594000;burgr\n"
                                  "2-4-2024;hennep;250000;594000;marsmannetje\n");
  ValidationReport v = validateFile(f, {});
  const auto errors = v.errors();
  ASSERT_EQ(errors.size(), 2u) << v.str();
  EXPECT_NE(errors[0].message.find("'burgr' is not allowed; did you mean 'burger'?"),
            std::string::npos)
      << errors[0].message;
  EXPECT_NE(errors[1].message.find("'marsmannetje' is not allowed; expected one of: burger"),
            std::string::npos)
      << errors[1].message;
}

TEST(SignalExport, VocabularyMatchesCodesLabelsAndSynonymsInAnyCase) {
  std::map<std::string, std::string> cats;
  for (const auto& c : signalCategorySeeds()) cats[c.code] = c.naam;
  cats["WAPENS"] = "Wapenopslag";  // a category of this store, without synonyms
  const SignalVocabulary voc(cats);
  struct Case {
    std::string field, raw, value;
    MatchKind kind;
  };
  const std::vector<Case> cases = {
      {"categorie", "HENNEP", "HENNEP", MatchKind::Exact},
      {"categorie", " hennep ", "HENNEP", MatchKind::Case},
      {"categorie", "Synthetisch drugslab", "DRUGSLAB", MatchKind::Label},
      {"categorie", "XTC lab", "DRUGSLAB", MatchKind::Synonym},
      {"categorie", "xtc-LAB", "DRUGSLAB", MatchKind::Synonym},
      {"categorie", "Drugs-dumping", "DRUGSAFVAL", MatchKind::Synonym},
      {"categorie", "wapenopslag", "WAPENS", MatchKind::Label},
      {"brontype", "Meld Misdaad Anoniem", "mma", MatchKind::Synonym},
      {"brontype", "BOA", "boa", MatchKind::Case},
      {"status", "Afgehandeld", "afgesloten", MatchKind::Synonym},
      {"status", "in behandeling", "in_behandeling", MatchKind::Case},  // only spacing differs
      {"status", "Doorgestuurd", "doorgezet", MatchKind::Synonym},
      {"betrouwbaarheid", "a", "A", MatchKind::Case},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.raw);
    const auto m = voc.match(c.field, c.raw);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->value, c.value);
    EXPECT_EQ(m->kind, c.kind);
  }
  EXPECT_FALSE(voc.match("categorie", "Wapenhandel"));
  EXPECT_FALSE(voc.match("categorie", ""));
  EXPECT_FALSE(voc.match("omschrijving", "hennep"));
  // Synonyms of a code the store does not have are not used.
  const SignalVocabulary few(std::map<std::string, std::string>{{"MILIEU", "Milieucriminaliteit"}});
  EXPECT_FALSE(few.match("categorie", "hennepkwekerij"));
  EXPECT_TRUE(few.match("categorie", "mestfraude"));
  EXPECT_EQ(voc.suggest("categorie", "Hennepkwekrij"), "'HENNEP' (Hennepkwekerij)");
  EXPECT_EQ(voc.suggest("categorie", "Wapenhandel"), "");
}

TEST(SignalExport, GeneratedIdDependsOnEveryValueAndNothingElse) {
  const std::vector<Value> a = {std::string("1-4-2024"), std::string("hennep"), Value{}};
  std::vector<Value> b = a;
  EXPECT_EQ(generatedSignalId(a), generatedSignalId(b));
  b[2] = std::string("x");
  EXPECT_NE(generatedSignalId(a), generatedSignalId(b));
  // Column boundaries count: ("ab", "c") differs from ("a", "bc").
  EXPECT_NE(generatedSignalId({std::string("ab"), std::string("c")}),
            generatedSignalId({std::string("a"), std::string("bc")}));
  EXPECT_EQ(generatedSignalId({std::string("abc")}), "GEN-" + sha256Hex("abc").substr(0, 16));
}

TEST(SignalExport, DutchExcelDates) {
  EXPECT_EQ(parseDate("3-apr-2024"), "2024-04-03");
  EXPECT_EQ(parseDate("3-apr-24"), "2024-04-03");
  EXPECT_EQ(parseDate("03-mrt.-2024"), "2024-03-03");
  EXPECT_EQ(parseDate("3 april 2024"), "2024-04-03");
  EXPECT_EQ(parseDate("di 3 april 2024"), "2024-04-03");
  EXPECT_EQ(parseDate("dinsdag 2 januari 2024"), "2024-01-02");
  EXPECT_EQ(parseDate("1-okt-99"), "1999-10-01");
  EXPECT_EQ(parseDateTime("3 april 2024 22:15"), "2024-04-03T22:15:00");
  EXPECT_EQ(parseDateTime("3-apr-2024 22:15:30"), "2024-04-03T22:15:30");
  EXPECT_FALSE(parseDate("31-feb-2024"));
  EXPECT_FALSE(parseDate("3-foo-2024"));
  EXPECT_FALSE(parseDate("xx 3 april 2024"));
  EXPECT_FALSE(parseDate("3 april 202"));
  EXPECT_FALSE(parseDate("03-04-24"));  // numeric two-digit years stay refused
  // Excel serials (an unformatted date cell): days since 1899-12-30, the fraction is the time.
  EXPECT_EQ(parseDate("45385"), "2024-04-03");
  EXPECT_EQ(parseDate("32874"), "1990-01-01");
  EXPECT_EQ(parseDateTime("45385,5"), "2024-04-03T12:00:00");
  EXPECT_EQ(parseDateTime("45385.927083333"), "2024-04-03T22:15:00");
  EXPECT_EQ(parseDateTime("45385,99999999"), "2024-04-04T00:00:00");  // rounds to midnight
  EXPECT_FALSE(parseDate("45385,5"));                                 // a moment, not a date
  EXPECT_FALSE(parseDate("32873"));  // before 1990: an ordinary number
  EXPECT_FALSE(parseDate("73416"));  // after 2100
  EXPECT_FALSE(parseDate("2024"));
}

TEST(SignalExport, TheIntakeTemplateImportsWithoutAMapping) {
  const std::string f =
      std::string(VELDWACHT_SOURCE_DIR) + "/sample-data/templates/signalen_invulformulier.csv";
  ValidationReport v = validateFile(f, {});
  ASSERT_TRUE(v.ok()) << v.str();
  ASSERT_EQ(v.batches.size(), 1u);
  EXPECT_EQ(v.batches[0].layer, "signalen");
  EXPECT_TRUE(v.sources[0].warnings.empty()) << v.str();  // every column is used
  const auto& recs = v.batches[0].records;
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(text(recs[0], "categorie"), "HENNEP");
  EXPECT_EQ(text(recs[0], "waargenomen_van"), "2024-03-12T22:15:00");
  EXPECT_EQ(text(recs[1], "brontype"), "boer");
  EXPECT_EQ(text(recs[1], "betrouwbaarheid"), "A");
  EXPECT_EQ(text(recs[1], "status"), "nieuw");
  EXPECT_DOUBLE_EQ(
      std::get<double>(
          recs[1].values[std::size_t(layerDef("signalen").fieldIndex("locatie_precisie_m"))]),
      25.0);
}

TEST(SignalExport, TheSampleRegionsFilesKeepTheirOwnProfiles) {
  // The export profile must not take over files that other profiles read (signalen.csv is in
  // Veldwacht's own names; incidenten.csv has datum and a category-like column).
  const std::string dir = std::string(VELDWACHT_SOURCE_DIR) + "/sample-data/eemsdelta/";
  for (const char* name : {"signalen.csv", "incidenten.csv", "vab.geojson", "partners.geojson"}) {
    SCOPED_TRACE(name);
    ValidationReport v = validateFile(dir + name, {});
    ASSERT_TRUE(v.ok()) << v.str();
    ASSERT_FALSE(v.sources.empty());
    EXPECT_EQ(v.sources[0].recognisedAs.find("signals export"), std::string::npos)
        << v.sources[0].recognisedAs;
    EXPECT_EQ(v.sources[0].recognisedAs.rfind("Veldwacht ", 0), 0u) << v.sources[0].recognisedAs;
  }
}
