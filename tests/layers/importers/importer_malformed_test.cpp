// Malformed inputs: each case builds its input in a temporary directory, imports it into a copy
// of a small store, and asserts the SPECIFIC problem (file, row, field, what was expected) and
// that the store file's sha256 is unchanged. A few cases must import fine (Excel's semicolons
// with decimal commas, a BOM, cp1252, MakeValid on request, RD without .prj).
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <ostream>

#include <gtest/gtest.h>

#include "geo/core/error.h"
#include "layers/importers/importer.h"
#include "layers/store/checksum.h"
#include "test_support.h"

using namespace veldwacht::layers;
using veldwacht::layers::testing::fixture;
using veldwacht::layers::testing::TempDir;
using veldwacht::layers::testing::writeFile;
using veldwacht::layers::testing::writeVector;
namespace fs = std::filesystem;

namespace {

// ---- building inputs ----

const char* kSignalenHeader =
    "signaal_id;categorie;brontype;waargenomen_van;status;x;y;omschrijving\n";

std::string signalenCsv(const std::string& rows) { return std::string(kSignalenHeader) + rows; }

OGRGeometry* wkt(const char* text) {
  OGRGeometry* g = nullptr;
  OGRGeometryFactory::createFromWkt(text, nullptr, &g);
  return g;
}

void copyIbisShapefile(const TempDir& dir, const std::vector<std::string>& skip = {}) {
  for (const char* ext : {".shp", ".shx", ".dbf", ".prj", ".cpg"}) {
    if (std::find(skip.begin(), skip.end(), ext) != skip.end()) continue;
    fs::copy_file(fixture(std::string("ibis_bedrijventerreinen") + ext),
                  dir.file(std::string("ibis") + ext));
  }
}

std::string readBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A self-intersecting "bow tie" in RD near Delfzijl: two triangles of 25 m² meeting at a point.
const char* kBowTie =
    "POLYGON((257000 594000,257010 594010,257010 594000,257000 594010,257000 594000))";

const char* kUnclosedRing = "[[6.90,53.30],[6.91,53.30],[6.91,53.31],[6.90,53.31]]";

std::string brokenRingGeoJson(const std::string& ring) {
  return R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":)"
         R"({"rin_nummer":"R-1","plan_naam":"Oost"},)"
         R"("geometry":{"type":"Polygon","coordinates":[)" +
         ring + "]}}]}";
}

OGRGeometry* unclosedPolygon() {
  auto* ring = new OGRLinearRing();
  ring->addPoint(257000, 594000);
  ring->addPoint(257100, 594000);
  ring->addPoint(257100, 594100);
  ring->addPoint(257000, 594100);
  auto* poly = new OGRPolygon();
  poly->addRingDirectly(ring);
  return poly;
}

ImportOptions layerOption(const char* layer) {
  ImportOptions o;
  o.layer = layer;
  return o;
}

// ---- cases ----

enum class Outcome { Refused, OptionsRefused, Imported };

struct Input {
  std::vector<std::string> files;
  ImportOptions options;
};

struct Case {
  const char* name = "";
  std::function<Input(const TempDir&)> build;
  Outcome outcome = Outcome::Refused;
  std::string file;                 ///< expected Location::file ends with this
  std::optional<std::int64_t> row;  ///< expected Location::row
  std::string field;                ///< expected Location::field
  std::string expected;             ///< expected substring of the message
  std::function<void(Store&, const ImportReport&)> verify;  ///< Imported: extra checks
};

Case refused(const char* name, std::function<Input(const TempDir&)> build, std::string file,
             std::optional<std::int64_t> row, std::string field, std::string expected) {
  Case k;
  k.name = name;
  k.build = std::move(build);
  k.outcome = Outcome::Refused;
  k.file = std::move(file);
  k.row = row;
  k.field = std::move(field);
  k.expected = std::move(expected);
  return k;
}

Case optionsRefused(const char* name, std::function<Input(const TempDir&)> build, std::string file,
                    std::optional<std::int64_t> row, std::string field, std::string expected) {
  Case k =
      refused(name, std::move(build), std::move(file), row, std::move(field), std::move(expected));
  k.outcome = Outcome::OptionsRefused;
  return k;
}

Case imported(const char* name, std::function<Input(const TempDir&)> build) {
  Case k;
  k.name = name;
  k.build = std::move(build);
  k.outcome = Outcome::Imported;
  return k;
}

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

std::string describe(const std::vector<Problem>& problems) {
  std::string s;
  for (const auto& p : problems) s += "\n  " + p.str();
  return s;
}

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<Case> cases() {
  std::vector<Case> c;
  // 1. Truncated GeoJSON.
  c.push_back(refused(
      "TruncatedGeoJson",
      [](const TempDir& d) {
        const std::string full = readBytes(fixture("signalen_wgs84.geojson"));
        return Input{{writeFile(d.file("cut.geojson"), full.substr(0, full.size() / 2))}, {}};
      },
      "cut.geojson", std::nullopt, "", "cannot be read as a GeoJSON"));
  // 2. A .geojson that is really CSV.
  c.push_back(refused(
      "GeoJsonThatIsReallyCsv",
      [](const TempDir& d) {
        return Input{{writeFile(d.file("data.geojson"),
                                signalenCsv("S-1;HENNEP;boer;01-01-2024;nieuw;256000;594000;x\n"))},
                     {}};
      },
      "data.geojson", std::nullopt, "", "cannot be read as a GeoJSON"));
  // 3. A .geojson that is really a PNG.
  c.push_back(refused(
      "GeoJsonThatIsReallyPng",
      [](const TempDir& d) {
        return Input{
            {writeFile(d.file("kaart.geojson"), std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16))},
            {}};
      },
      "kaart.geojson", std::nullopt, "", "cannot be read as a GeoJSON"));
  // 4. Shapefile without its .shx.
  c.push_back(refused(
      "ShapefileWithoutShx",
      [](const TempDir& d) {
        copyIbisShapefile(d, {".shx"});
        return Input{{d.file("ibis.shp")}, {}};
      },
      "ibis.shp", std::nullopt, "", "ibis.shx is missing"));
  // 5. Shapefile whose .dbf was cut short.
  c.push_back(refused(
      "ShapefileWithTruncatedDbf",
      [](const TempDir& d) {
        copyIbisShapefile(d, {".dbf"});
        const std::string dbf = readBytes(fixture("ibis_bedrijventerreinen.dbf"));
        writeFile(d.file("ibis.dbf"), dbf.substr(0, dbf.size() - 150));
        return Input{{d.file("ibis.shp")}, {}};
      },
      "ibis.shp", std::nullopt, "", "truncated"));
  // 6. Shapefile in lon/lat without .prj: the CRS is missing and the numbers are not RD.
  c.push_back(refused(
      "ShapefileWithoutPrjInDegrees",
      [](const TempDir& d) {
        writeVector(d.file("vab.shp"), "ESRI Shapefile", "vab", 0, wkbPoint,
                    {{"vab_id", OFTString}, {"leegstand", OFTString}},
                    {{{"VAB-1", "leeg"}, new OGRPoint(6.90, 53.32)}});
        return Input{{d.file("vab.shp")}, {}};
      },
      "vab.shp", std::nullopt, "geometry", "no CRS declared (no .prj"));
  // 7. Lat/lon numbers in columns that declare RD (x, y).
  c.push_back(refused(
      "LonLatInRdColumns",
      [](const TempDir& d) {
        return Input{{writeFile(d.file("s.csv"),
                                signalenCsv("S-1;HENNEP;boer;01-01-2024;nieuw;6,919;53,330;x\nS-2;"
                                            "HENNEP;boer;01-01-2024;nieuw;6,86;53,32;x\n"))},
                     {}};
      },
      "s.csv", std::nullopt, "geometry", "--crs EPSG:4326"));
  // 8. Swapped lat/lon in a GeoJSON (which is lon/lat by definition).
  c.push_back(refused(
      "SwappedLatLonInGeoJson",
      [](const TempDir& d) {
        return Input{
            {writeFile(
                d.file("swapped.geojson"),
                R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":)"
                R"({"signaal_id":"S-1","categorie":"HENNEP","brontype":"boer","waargenomen_van":"2024-01-01T00:00:00","status":"nieuw"},)"
                R"("geometry":{"type":"Point","coordinates":[53.33,6.919]}}]})")},
            {}};
      },
      "swapped.geojson", std::nullopt, "geometry", "swap"));
  // 9. Swapped lat/lon columns in a CSV.
  c.push_back(refused(
      "SwappedLatLonColumns",
      [](const TempDir& d) {
        return Input{{writeFile(d.file("ll.csv"),
                                "signaal_id;categorie;brontype;waargenomen_van;status;lat;lon\n"
                                "S-1;HENNEP;boer;01-01-2024;nieuw;6,919;53,330\n")},
                     {}};
      },
      "ll.csv", std::nullopt, "geometry", "latitude/longitude swapped"));
  // 10. Wrong CRS: RD metres in a GeoJSON (WGS 84 by definition).
  c.push_back(refused(
      "RdMetresInGeoJson",
      [](const TempDir& d) {
        return Input{
            {writeFile(
                d.file("rd.geojson"),
                R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":)"
                R"({"signaal_id":"S-1","categorie":"HENNEP","brontype":"boer","waargenomen_van":"2024-01-01T00:00:00","status":"nieuw"},)"
                R"("geometry":{"type":"Point","coordinates":[256984,594814]}}]})")},
            {}};
      },
      "rd.geojson", std::nullopt, "geometry", "--crs EPSG:28992"));
  // 11. Wrong CRS given with --crs: RD numbers declared as EPSG:4326.
  c.push_back(refused(
      "WrongCrsOverride",
      [](const TempDir& d) {
        Input in{{writeFile(d.file("s.csv"),
                            signalenCsv("S-1;HENNEP;boer;01-01-2024;nieuw;256984;594814;x\n"))},
                 {}};
        in.options.sourceCrs = "EPSG:4326";
        return in;
      },
      "s.csv", std::nullopt, "geometry", "not degrees"));
  // 12. One point outside the Netherlands.
  c.push_back(refused(
      "PointOutsideTheNetherlands",
      [](const TempDir& d) {
        return Input{{writeFile(d.file("s.csv"),
                                signalenCsv("S-1;HENNEP;boer;01-01-2024;nieuw;256984;594814;x\n"
                                            "S-2;HENNEP;boer;01-01-2024;nieuw;256984;700000;x\n"))},
                     {}};
      },
      "s.csv", 3, "geometry", "outside the Netherlands"));
  // 13. NaN coordinates in a CSV.
  c.push_back(refused(
      "NaNCoordinateInCsv",
      [](const TempDir& d) {
        return Input{{writeFile(d.file("s.csv"),
                                signalenCsv("S-1;HENNEP;boer;01-01-2024;nieuw;NaN;594814;x\n"))},
                     {}};
      },
      "s.csv", 2, "geometry", "'x' = 'NaN' is not a finite number"));
  // 14. NaN vertex in a shapefile line.
  c.push_back(refused(
      "NaNVertexInShapefile",
      [](const TempDir& d) {
        // GDAL refuses to write NaN, so write a marker value and patch its bytes.
        auto* line = new OGRLineString();
        line->addPoint(256000, 594000);
        line->addPoint(256500.25, 594050);
        line->addPoint(257000, 594100);
        writeVector(
            d.file("wegen.shp"), "ESRI Shapefile", "wegen", 28992, wkbLineString,
            {{"WVK_ID", OFTInteger}, {"JTE_ID_BEG", OFTInteger}, {"JTE_ID_END", OFTInteger}},
            {{{"1", "10", "11"}, line}});
        std::string shp = readBytes(d.file("wegen.shp"));
        const double marker = 256500.25, nan = std::numeric_limits<double>::quiet_NaN();
        const std::string from(reinterpret_cast<const char*>(&marker), 8);
        const std::size_t at = shp.find(from);
        EXPECT_NE(at, std::string::npos);
        if (at != std::string::npos) shp.replace(at, 8, reinterpret_cast<const char*>(&nan), 8);
        writeFile(d.file("wegen.shp"), shp);
        return Input{{d.file("wegen.shp")}, {}};
      },
      "wegen.shp", 1, "geometry", "NaN or infinite"));
  // 15. Missing geometry (null) in a GeoJSON feature.
  c.push_back(refused(
      "NullGeometry",
      [](const TempDir& d) {
        return Input{
            {writeFile(
                d.file("null.geojson"),
                R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":)"
                R"({"signaal_id":"S-1","categorie":"HENNEP","brontype":"boer","waargenomen_van":"2024-01-01T00:00:00","status":"nieuw"},)"
                R"("geometry":null}]})")},
            {}};
      },
      "null.geojson", 1, "geometry", "missing geometry; expected a Point"));
  // 16. Empty polygon in a GeoPackage.
  c.push_back(refused(
      "EmptyPolygon",
      [](const TempDir& d) {
        writeVector(
            d.file("ibis.gpkg"), "GPKG", "ibis", 28992, wkbMultiPolygon,
            {{"rin_nummer", OFTString}, {"plan_naam", OFTString}},
            {{{"R-1", "Oosterhorn"},
              wkt("MULTIPOLYGON(((259500 590000,262000 590000,262000 593000,259500 590000)))")},
             {{"R-2", "Leeg"}, new OGRMultiPolygon()}});
        return Input{{d.file("ibis.gpkg")}, {}};
      },
      "ibis.gpkg", 2, "geometry", "empty geometry"));
  // 17. Self-intersecting polygon: refused without --make-valid.
  c.push_back(refused(
      "SelfIntersectingPolygonRefused",
      [](const TempDir& d) {
        return Input{
            {writeFile(d.file("terreinen.csv"),
                       std::string("rin_nummer;plan_naam;wkt\nR-1;Strik;") + kBowTie + "\n")},
            {}};
      },
      "terreinen.csv", 2, "geometry", "Self-intersection"));
  // 18. Self-intersecting polygon: repaired with --make-valid, and reported.
  {
    Case k = imported("SelfIntersectingPolygonRepairedWithMakeValid", [](const TempDir& d) {
      Input in{{writeFile(d.file("terreinen.csv"),
                          std::string("rin_nummer;plan_naam;wkt\nR-1;Strik;") + kBowTie + "\n")},
               {}};
      in.options.makeValid = true;
      return in;
    });
    k.verify = [](Store& s, const ImportReport& r) {
      ASSERT_EQ(r.sources.size(), 1u);
      EXPECT_EQ(r.sources[0].repaired, 1);
      bool reported = false;
      for (const auto& w : r.sources[0].warnings)
        reported =
            reported || (w.where.row == 2 && w.where.field == "geometry" &&
                         w.message.find("repaired with GEOS MakeValid") != std::string::npos);
      EXPECT_TRUE(reported);
      auto recs = s.read("bedrijventerreinen",
                         compileFilter(layerDef("bedrijventerreinen"), "rin_nummer = 'R-1'"));
      ASSERT_EQ(recs.size(), 1u);
      EXPECT_TRUE(recs[0].geometry->IsValid());
      // Both lobes kept: triangles (0,0)-(5,5)-(0,10) and (5,5)-(10,10)-(10,0), 25 m² each.
      ASSERT_EQ(wkbFlatten(recs[0].geometry->getGeometryType()), wkbMultiPolygon);
      EXPECT_EQ(recs[0].geometry->toMultiPolygon()->getNumGeometries(), 2);
      EXPECT_NEAR(OGR_G_Area(OGRGeometry::ToHandle(recs[0].geometry.get())), 50.0, 1e-6);
    };
    c.push_back(k);
  }
  // 19. Duplicate ids within one file.
  c.push_back(refused(
      "DuplicateIdWithinFile",
      [](const TempDir& d) {
        return Input{{writeFile(d.file("s.csv"),
                                signalenCsv("S-1;HENNEP;boer;01-01-2024;nieuw;256984;594814;x\n"
                                            "S-1;HENNEP;boer;02-01-2024;nieuw;256985;594815;y\n"))},
                     {}};
      },
      "s.csv", 3, "signaal_id", "duplicate signaal_id 'S-1'"));
  // 20. Duplicate id against the store.
  c.push_back(refused(
      "DuplicateIdAgainstStore",
      [](const TempDir& d) {
        return Input{
            {writeFile(d.file("s.csv"),
                       signalenCsv("SIG-STORE-1;HENNEP;boer;01-01-2024;nieuw;256984;594814;x\n"))},
            {}};
      },
      "s.csv", 2, "signaal_id", "is already in the store"));
  // 21. Duplicate id across two files of one import.
  c.push_back(refused(
      "DuplicateIdAcrossFiles",
      [](const TempDir& d) {
        return Input{{writeFile(d.file("a.csv"),
                                signalenCsv("S-9;HENNEP;boer;01-01-2024;nieuw;256984;594814;x\n")),
                      writeFile(d.file("b.csv"),
                                signalenCsv("S-9;MILIEU;boer;01-01-2024;nieuw;256984;594814;x\n"))},
                     {}};
      },
      "b.csv", 2, "signaal_id", "also in"));
  // 22. Text in an integer field.
  c.push_back(refused(
      "TextInIntegerField",
      [](const TempDir& d) {
        return Input{
            {writeFile(
                d.file("vab.csv"),
                "vab_id;leegstand;jaar_stop_agrarisch;x;y\nVAB-1;leeg;twintig;250000;594000\n")},
            {}};
      },
      "vab.csv", 2, "jaar_stop_agrarisch", "expected a whole number (INTEGER), got 'twintig'"));
  // 23. Impossible date.
  c.push_back(refused(
      "ImpossibleDate",
      [](const TempDir& d) {
        return Input{
            {writeFile(d.file("s.csv"),
                       signalenCsv("S-1;HENNEP;boer;31-02-2024 10:00;nieuw;256984;594814;x\n"))},
            {}};
      },
      "s.csv", 2, "waargenomen_van", "'31-02-2024 10:00' is not an existing date and time"));
  // 23b. A date in words.
  c.push_back(refused(
      "DateInWords",
      [](const TempDir& d) {
        return Input{
            {writeFile(d.file("s.csv"),
                       signalenCsv("S-1;HENNEP;boer;gisteravond;nieuw;256984;594814;x\n"))},
            {}};
      },
      "s.csv", 2, "waargenomen_van",
      "expected a date and time dd-mm-jjjj hh:mm(:ss) or jjjj-mm-ddThh:mm:ss, got 'gisteravond'"));
  // 23c. A boolean that is not ja/nee.
  c.push_back(refused(
      "BooleanNotJaNee",
      [](const TempDir& d) {
        return Input{
            {writeFile(d.file("p.csv"),
                       "partner_id;naam;partner_type;beschikbaar_dag;beschikbaar_nacht;x;y\n"
                       "P-1;WBE Fivelingo;jager_wbe;ja;misschien;250000;594000\n")},
            {}};
      },
      "p.csv", 2, "beschikbaar_nacht",
      "expected ja/nee (or j/n, 1/0, true/false), got 'misschien'"));
  // 23d. A CSV for a point layer without coordinate columns: said once, not per row.
  c.push_back(refused(
      "CsvWithoutCoordinateColumns",
      [](const TempDir& d) {
        return Input{{writeFile(d.file("s.csv"),
                                "signaal_id;categorie;brontype;waargenomen_van;status;plaats\n"
                                "S-1;HENNEP;boer;01-01-2024;nieuw;Delfzijl\n")},
                     {}};
      },
      "s.csv", std::nullopt, "geometry", "the file has no geometry columns; expected x and y"));
  // 24. Missing required column.
  c.push_back(refused(
      "MissingRequiredColumn",
      [](const TempDir& d) {
        return Input{{writeFile(d.file("s.csv"),
                                "signaal_id;categorie;waargenomen_van;status;x;y\nS-1;HENNEP;01-01-"
                                "2024;nieuw;256984;594814\n")},
                     {}};
      },
      "s.csv", std::nullopt, "brontype", "required column 'brontype'"));
  // 25. Unknown category lists the allowed codes.
  c.push_back(refused(
      "UnknownCategory",
      [](const TempDir& d) {
        return Input{{writeFile(d.file("s.csv"),
                                signalenCsv("S-1;DRUGS;boer;01-01-2024;nieuw;256984;594814;x\n"))},
                     {}};
      },
      "s.csv", 2, "categorie",
      "unknown category 'DRUGS'; did you mean 'DRUGSAFVAL' (Dumpen of lozen van drugsafval) or "
      "'DRUGSLAB'"));
  // 26. Value outside a closed list.
  c.push_back(refused(
      "BrontypeNotInList",
      [](const TempDir& d) {
        return Input{
            {writeFile(d.file("s.csv"),
                       signalenCsv("S-1;HENNEP;buurman;01-01-2024;nieuw;256984;594814;x\n"))},
            {}};
      },
      "s.csv", 2, "brontype", "'buurman' is not allowed; expected one of: burger"));
  // 27. A 0-byte file.
  c.push_back(refused(
      "ZeroByteFile",
      [](const TempDir& d) {
        return Input{{writeFile(d.file("leeg.csv"), "")}, {}};
      },
      "leeg.csv", std::nullopt, "", "empty (0 bytes)"));
  // 28. A directory.
  c.push_back(refused(
      "Directory",
      [](const TempDir& d) {
        fs::create_directories(d.path() / "map.shp");
        return Input{{d.file("map.shp")}, {}};
      },
      "map.shp", std::nullopt, "", "is a directory"));
  // 29. Ragged CSV rows.
  c.push_back(refused(
      "RaggedCsvRow",
      [](const TempDir& d) {
        return Input{{writeFile(d.file("s.csv"),
                                signalenCsv("S-1;HENNEP;boer;01-01-2024;nieuw;256984;594814;x\n"
                                            "S-2;HENNEP;boer;01-01-2024;nieuw;256984\n"))},
                     {}};
      },
      "s.csv", 3, "", "row has 6 fields but the header has 8"));
  // 30. Unknown layer name in a mapping file.
  c.push_back(optionsRefused(
      "UnknownLayerInMapping",
      [](const TempDir& d) {
        Input in{{writeFile(d.file("s.csv"), "a;b\n1;2\n")}, {}};
        in.options.mappingFile =
            writeFile(d.file("map.json"), R"({"layer":"meldingen","fields":{"a":"signaal_id"}})");
        return in;
      },
      "map.json", std::nullopt, "layer", "unknown layer 'meldingen'; expected one of:"));
  // 31. A mapping onto a field that does not exist.
  c.push_back(optionsRefused(
      "MappingToMissingField",
      [](const TempDir& d) {
        Input in{{writeFile(d.file("s.csv"), "a;b\n1;2\n")}, {}};
        in.options.mappingFile = writeFile(
            d.file("map.json"), R"({"layer":"signalen","fields":{"Soort":"soort_melding"}})");
        return in;
      },
      "map.json", std::nullopt, "fields.Soort", "not a field of signalen"));
  // 32. A mapping naming a source field the file lacks.
  c.push_back(refused(
      "MappingFromMissingSourceField",
      [](const TempDir& d) {
        Input in{{writeFile(d.file("s.csv"),
                            signalenCsv("S-1;HENNEP;boer;01-01-2024;nieuw;256984;594814;x\n"))},
                 {}};
        in.options.layer = "signalen";
        in.options.mapping = "Kleur=omschrijving";
        return in;
      },
      "s.csv", std::nullopt, "Kleur", "which the file does not have"));
  // 33. A BAG id that is not 16 digits.
  c.push_back(refused(
      "BagIdNotSixteenDigits",
      [](const TempDir& d) {
        return Input{{writeFile(d.file("vbo.csv"),
                                "identificatie;huisnummer;pand_identificatie;x;y\n"
                                "1979019990000009;3;19791099900;250000;594000\n")},
                     {}};
      },
      "vbo.csv", 2, "bag_pand_id", "expected a 16-digit BAG identificatie, got '19791099900'"));
  // 34. Wrong geometry type in a mixed GeoJSON.
  c.push_back(refused(
      "WrongGeometryType",
      [](const TempDir& d) {
        return Input{
            {writeFile(
                d.file("mixed.geojson"),
                R"({"type":"FeatureCollection","features":[)"
                R"({"type":"Feature","properties":{"signaal_id":"S-1","categorie":"HENNEP","brontype":"boer","waargenomen_van":"2024-01-01T00:00:00","status":"nieuw"},"geometry":{"type":"Point","coordinates":[6.9,53.3]}},)"
                R"({"type":"Feature","properties":{"signaal_id":"S-2","categorie":"HENNEP","brontype":"boer","waargenomen_van":"2024-01-01T00:00:00","status":"nieuw"},"geometry":{"type":"LineString","coordinates":[[6.9,53.3],[6.91,53.31]]}}]})")},
            {}};
      },
      "mixed.geojson", 2, "geometry", "wrong geometry type LineString; expected a Point"));
  // 35. Unrecognised dataset without a mapping.
  c.push_back(refused(
      "UnrecognisedColumns",
      [](const TempDir& d) {
        return Input{{writeFile(d.file("iets.csv"), "kleur;maat\nrood;42\n")}, {}};
      },
      "iets.csv", std::nullopt, "", "not recognised"));
  // 36. Unterminated quote.
  c.push_back(refused(
      "UnterminatedQuote",
      [](const TempDir& d) {
        return Input{
            {writeFile(d.file("s.csv"),
                       signalenCsv("S-1;HENNEP;boer;01-01-2024;nieuw;256984;594814;\"open\n"))},
            {}};
      },
      "s.csv", 2, "", "never closed"));
  // 37. Truncated GeoPackage.
  c.push_back(refused(
      "TruncatedGeoPackage",
      [](const TempDir& d) {
        const std::string full = readBytes(fixture("bag_light.gpkg"));
        return Input{{writeFile(d.file("bag.gpkg"), full.substr(0, 2000))}, {}};
      },
      "bag.gpkg", std::nullopt, "", "cannot be read as a GeoPackage"));
  // 38. Observation window that ends before it starts.
  c.push_back(refused(
      "ObservationWindowReversed",
      [](const TempDir& d) {
        return Input{
            {writeFile(d.file("s.csv"),
                       "signaal_id;categorie;brontype;waargenomen_van;waargenomen_tot;status;x;y\n"
                       "S-1;HENNEP;boer;02-01-2024 10:00;01-01-2024 10:00;nieuw;256984;594814\n")},
            {}};
      },
      "s.csv", 2, "waargenomen_tot", "lies before its start"));
  // 39. Every problem of a file is reported, not just the first.
  c.push_back(refused(
      "AllProblemsOfAFileAreCollected",
      [](const TempDir& d) {
        return Input{{writeFile(d.file("s.csv"),
                                signalenCsv("S-1;DRUGS;boer;01-01-2024;nieuw;256984;594814;x\n"
                                            "S-2;HENNEP;buurman;01-01-2024;nieuw;256984;594814;x\n"
                                            "S-3;HENNEP;boer;32-01-2024;nieuw;256984;594814;x\n"))},
                     {}};
      },
      "s.csv", 4, "waargenomen_van", "'32-01-2024' is not an existing date"));
  // ---- inputs that must import fine ----
  {
    Case k = imported("SemicolonsAndDecimalCommasImportFine", [](const TempDir& d) {
      return Input{
          {writeFile(d.file("s.csv"),
                     "signaal_id;categorie;brontype;waargenomen_van;status;locatie_precisie_m;x;y\n"
                     "S-1;HENNEP;boer;01-01-2024;nieuw;12,5;256984,75;594814,5\n")},
          {}};
    });
    k.verify = [](Store& s, const ImportReport&) {
      auto recs = s.read("signalen", compileFilter(layerDef("signalen"), "signaal_id = 'S-1'"));
      ASSERT_EQ(recs.size(), 1u);
      const auto& def = layerDef("signalen");
      EXPECT_DOUBLE_EQ(
          std::get<double>(recs[0].values[std::size_t(def.fieldIndex("locatie_precisie_m"))]),
          12.5);
      const auto* p = dynamic_cast<const OGRPoint*>(recs[0].geometry.get());
      ASSERT_TRUE(p);
      EXPECT_DOUBLE_EQ(p->getX(), 256984.75);
      EXPECT_DOUBLE_EQ(p->getY(), 594814.5);
    };
    c.push_back(k);
  }
  {
    Case k = imported("Utf8BomImportsFine", [](const TempDir& d) {
      return Input{
          {writeFile(
              d.file("s.csv"),
              "\xEF\xBB\xBF" +
                  signalenCsv("S-1;HENNEP;boer;01-01-2024;nieuw;256984;594814;caf\xC3\xA9\n"))},
          {}};
    });
    k.verify = [](Store& s, const ImportReport& r) {
      EXPECT_EQ(r.sources.at(0).encoding, "UTF-8 with BOM");
      auto recs = s.read("signalen",
                         compileFilter(layerDef("signalen"),
                                       "signaal_id = 'S-1'"));  // the BOM is not part of the name
      ASSERT_EQ(recs.size(), 1u);
      EXPECT_EQ(std::get<std::string>(
                    recs[0].values[std::size_t(layerDef("signalen").fieldIndex("omschrijving"))]),
                "caf\xC3\xA9");
    };
    c.push_back(k);
  }
  {
    Case k = imported("Cp1252ImportsFineAndIsReported", [](const TempDir& d) {
      return Input{
          {writeFile(
              d.file("s.csv"),
              signalenCsv("S-1;HENNEP;boer;01-01-2024;nieuw;256984;594814;Caf\xE9 \x80 5\n"))},
          {}};
    });
    k.verify = [](Store& s, const ImportReport& r) {
      EXPECT_EQ(r.sources.at(0).encoding, "cp1252 (Windows-1252)");
      ASSERT_FALSE(r.sources[0].warnings.empty());
      EXPECT_NE(r.sources[0].warnings[0].message.find("cp1252"), std::string::npos);
      auto recs = s.read("signalen", compileFilter(layerDef("signalen"), "signaal_id = 'S-1'"));
      ASSERT_EQ(recs.size(), 1u);
      EXPECT_EQ(std::get<std::string>(
                    recs[0].values[std::size_t(layerDef("signalen").fieldIndex("omschrijving"))]),
                "Caf\xC3\xA9 \xE2\x82\xAC 5");
    };
    c.push_back(k);
  }
  {
    Case k = imported("ShapefileWithoutPrjButRdIsAssumedRdWithWarning", [](const TempDir& d) {
      copyIbisShapefile(d, {".prj"});
      return Input{{d.file("ibis.shp")}, {}};
    });
    k.verify = [](Store& s, const ImportReport& r) {
      EXPECT_EQ(r.sources.at(0).sourceCrs, "EPSG:28992");
      bool warned = false;
      for (const auto& w : r.sources[0].warnings)
        warned = warned || w.message.find("EPSG:28992 was assumed") != std::string::npos;
      EXPECT_TRUE(warned);
      EXPECT_EQ(s.read("bedrijventerreinen").size(), 2u);
    };
    c.push_back(k);
  }
  // Issue 7: broken polygon rings were a raw GEOS exception (exit 1) without file, row or field.
  c.push_back(refused(
      "UnclosedRingInGeoJson",
      [](const TempDir& d) {
        return Input{{writeFile(d.file("bt.geojson"), brokenRingGeoJson(kUnclosedRing))},
                     layerOption("bedrijventerreinen")};
      },
      "bt.geojson", 1, "geometry", "the outer ring is not closed"));
  c.push_back(refused(
      "OnePointRingInGeoJson",
      [](const TempDir& d) {
        return Input{{writeFile(d.file("bt.geojson"), brokenRingGeoJson("[[6.9,53.3]]"))},
                     layerOption("bedrijventerreinen")};
      },
      "bt.geojson", 1, "geometry", "has 1 point(s); expected a ring of at least 4"));
  c.push_back(refused(
      "UnclosedRingInGeoPackage",
      [](const TempDir& d) {
        writeVector(d.file("bt.gpkg"), "GPKG", "bt", 28992, wkbPolygon,
                    {{"rin_nummer", OFTString}, {"plan_naam", OFTString}},
                    {{{"R-1", "Oost"}, unclosedPolygon()}});
        return Input{{d.file("bt.gpkg")}, layerOption("bedrijventerreinen")};
      },
      "bt.gpkg", 1, "geometry", "the outer ring is not closed"));
  {
    Case k = imported("UnclosedRingClosedByMakeValid", [](const TempDir& d) {
      Input in{{writeFile(d.file("bt.geojson"), brokenRingGeoJson(kUnclosedRing))},
               layerOption("bedrijventerreinen")};
      in.options.makeValid = true;
      return in;
    });
    k.verify = [](Store& s, const ImportReport& r) {
      EXPECT_EQ(r.sources.at(0).repaired, 1);
      bool said = false;
      for (const auto& w : r.sources[0].warnings)
        said = said || w.message.find("was not closed: closed it") != std::string::npos;
      EXPECT_TRUE(said);
      EXPECT_EQ(s.read("bedrijventerreinen").size(), 1u);
    };
    c.push_back(k);
  }
  // A garbage .prj was reported as "no .prj".
  c.push_back(refused(
      "GarbagePrj",
      [](const TempDir& d) {
        copyIbisShapefile(d, {".prj"});
        writeFile(d.file("ibis.prj"), "dit is geen projectie\n");
        return Input{{d.file("ibis.shp")}, {}};
      },
      "ibis.shp", std::nullopt, "geometry",
      "the .prj could not be read: ibis.prj does not hold a CRS in WKT (starts with 'dit is"));
  // A duplicated header column was dropped with a misleading "not used" message.
  c.push_back(refused(
      "DuplicatedHeaderColumn",
      [](const TempDir& d) {
        return Input{
            {writeFile(d.file("s.csv"),
                       "signaal_id;categorie;brontype;waargenomen_van;status;x;y;omschrijving;"
                       "Omschrijving\nS-1;HENNEP;boer;01-01-2024;nieuw;256984;594814;a;b\n")},
            {}};
      },
      "s.csv", 1, "Omschrijving",
      "column 8 ('omschrijving') and column 9 ('Omschrijving') have the same name"));
  // --map omschrijving=wkt was dropped when the file also had x/y columns.
  c.push_back(refused(
      "WktMappingWinsOverXyColumns",
      [](const TempDir& d) {
        Input in{{writeFile(d.file("s.csv"),
                            signalenCsv("S-1;HENNEP;boer;01-01-2024;nieuw;256984;594814;x\n"))},
                 {}};
        in.options.mapping = "omschrijving=wkt";
        return in;
      },
      "s.csv", 2, "geometry", "'omschrijving' is not valid WKT"));
  return c;
}

class ImporterMalformed : public ::testing::TestWithParam<Case> {
 protected:
  static void SetUpTestSuite() {
    base_ = new TempDir();
    auto store = Store::create(base_->file("base.gpkg"));
    const std::string seed = writeFile(
        base_->file("seed.csv"),
        signalenCsv("SIG-STORE-1;HENNEP;boer;01-01-2024;nieuw;256984;594814;al aanwezig\n"));
    const std::vector<std::string> files = {seed};
    importFiles(*store, files, {});
  }
  static void TearDownTestSuite() {
    delete base_;
    base_ = nullptr;
  }
  static TempDir* base_;
};

TempDir* ImporterMalformed::base_ = nullptr;

TEST_P(ImporterMalformed, ReportsTheSpecificProblemAndLeavesTheStoreUntouched) {
  const Case& k = GetParam();
  TempDir dir;
  const std::string storePath = dir.file("store.gpkg");
  fs::copy_file(base_->file("base.gpkg"), storePath);
  const Input in = k.build(dir);
  const std::string before = fileSha256(storePath);
  {
    auto store = Store::open(storePath, true);
    switch (k.outcome) {
      case Outcome::Imported: {
        ImportReport r = importFiles(*store, in.files, in.options);
        if (k.verify) k.verify(*store, r);
        break;
      }
      case Outcome::OptionsRefused: {
        try {
          importFiles(*store, in.files, in.options);
          ADD_FAILURE() << "expected the options to be refused";
        } catch (const veldwacht::geo::InputError& e) {
          EXPECT_TRUE(endsWith(e.where().file, k.file)) << e.what();
          EXPECT_EQ(e.where().field, k.field) << e.what();
          EXPECT_NE(std::string(e.what()).find(k.expected), std::string::npos) << e.what();
        }
        break;
      }
      case Outcome::Refused: {
        try {
          importFiles(*store, in.files, in.options);
          ADD_FAILURE() << "expected the import to be refused";
        } catch (const ValidationError& e) {
          bool found = false;
          for (const auto& p : e.problems())
            found = found ||
                    (endsWith(p.where.file, k.file) && p.where.row == k.row &&
                     p.where.field == k.field && p.message.find(k.expected) != std::string::npos);
          EXPECT_TRUE(found) << "no problem at " << k.file << " row "
                             << (k.row ? std::to_string(*k.row) : "-") << " field '" << k.field
                             << "' saying '" << k.expected << "'; got:" << describe(e.problems());
        }
        break;
      }
    }
  }
  if (k.outcome != Outcome::Imported) {
    EXPECT_EQ(fileSha256(storePath), before);
  }
}

INSTANTIATE_TEST_SUITE_P(Inputs, ImporterMalformed, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& i) {
                           return std::string(i.param.name);
                         });

TEST(ImporterMalformedDetails, AllProblemsOfAFileAreReportedTogether) {
  TempDir dir;
  const std::string f = writeFile(
      dir.file("s.csv"), signalenCsv("S-1;DRUGS;boer;01-01-2024;nieuw;256984;594814;x\n"
                                     "S-2;HENNEP;buurman;01-01-2024;nieuw;256984;594814;x\n"
                                     "S-3;HENNEP;boer;32-01-2024;nieuw;256984;594814;x\n"
                                     "S-3;HENNEP;boer;01-01-2024;nieuw;NaN;594814;x\n"));
  ValidationReport v = validateFile(f, {});
  EXPECT_FALSE(v.ok());
  EXPECT_TRUE(v.batches.empty());
  const auto errors = v.errors();
  ASSERT_EQ(errors.size(), 5u) << v.str();
  EXPECT_EQ(errors[0].where.field, "categorie");
  EXPECT_EQ(errors[1].where.field, "brontype");
  EXPECT_EQ(errors[2].where.field, "waargenomen_van");
  EXPECT_EQ(*errors[3].where.row, 5);
  EXPECT_EQ(errors[3].where.field, "geometry");
  EXPECT_EQ(errors[4].where.field, "signaal_id");  // S-3 twice
}

}  // namespace

TEST(ImporterMalformedDetails, AGeometryMappingOnAVectorFileIsRefusedNotDropped) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  const std::string before = fileSha256(dir.file("s.gpkg"));
  ImportOptions o;
  o.layer = "bedrijventerreinen";
  o.mapping = "plan_naam=wkt";
  const std::vector<std::string> files = {
      writeFile(dir.file("bt.geojson"),
                R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":)"
                R"({"rin_nummer":"R-1","plan_naam":"Oost"},"geometry":{"type":"Polygon",)"
                R"("coordinates":[[[6.90,53.30],[6.91,53.30],[6.91,53.31],[6.90,53.30]]]}}]})")};
  try {
    importFiles(*store, files, o);
    ADD_FAILURE() << "a wkt mapping on a GeoJSON was accepted";
  } catch (const veldwacht::geo::OptionError& e) {
    EXPECT_EQ(e.option(), "mapping");
    EXPECT_NE(std::string(e.what()).find("'plan_naam' is mapped to wkt, but a GeoJSON carries its "
                                         "own geometry"),
              std::string::npos)
        << e.what();
  }
  store.reset();
  EXPECT_EQ(fileSha256(dir.file("s.gpkg")), before);
}

TEST(ImporterMalformedDetails, WktAndXyMappedTogetherAreRefused) {
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  ImportOptions o;
  o.mapping = "omschrijving=wkt,x=x,y=y";
  const std::vector<std::string> files = {writeFile(
      dir.file("s.csv"), signalenCsv("S-1;HENNEP;boer;01-01-2024;nieuw;256984;594814;x\n"))};
  try {
    importFiles(*store, files, o);
    ADD_FAILURE() << "wkt and x/y together were accepted";
  } catch (const veldwacht::geo::OptionError& e) {
    EXPECT_NE(std::string(e.what()).find("expected one geometry"), std::string::npos) << e.what();
  }
}
