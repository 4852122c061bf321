#include "layers/importers/recognise.h"

#include <ostream>

#include <gtest/gtest.h>

#include "geo/core/error.h"

using namespace veldwacht::layers;

namespace {

struct RecogniseCase {
  const char* name;
  std::vector<std::string> fields;
  SourceGeometry geometry;
  const char* sourceLayer;
  const char* expectedLayer;    ///< "" = not recognised
  const char* profileContains;  ///< substring of the profile name
};

void PrintTo(const RecogniseCase& c, std::ostream* os) { *os << c.name; }

class Recognise : public ::testing::TestWithParam<RecogniseCase> {};

TEST_P(Recognise, PicksTheRightTargetLayer) {
  const auto& c = GetParam();
  const DatasetProfile* p = recognise(c.fields, c.geometry, c.sourceLayer);
  if (std::string(c.expectedLayer).empty()) {
    EXPECT_EQ(p, nullptr) << (p ? p->name : "");
    return;
  }
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->layer, c.expectedLayer) << p->name;
  EXPECT_NE(p->name.find(c.profileContains), std::string::npos) << p->name;
}

using G = GeometryKind;

INSTANTIATE_TEST_SUITE_P(
    Datasets, Recognise,
    ::testing::Values(
        RecogniseCase{"BagPand",
                      {"identificatie", "bouwjaar", "status", "gebruiksdoel", "oppervlakte_min",
                       "oppervlakte_max", "aantal_verblijfsobjecten"},
                      G::MultiPolygon,
                      "pand",
                      "panden",
                      "BAG light pand"},
        RecogniseCase{"BagVerblijfsobjectWithUnderscore",
                      {"identificatie", "oppervlakte", "huisnummer", "pand_identificatie"},
                      G::Point,
                      "verblijfsobject",
                      "verblijfsobjecten",
                      "verblijfsobject"},
        RecogniseCase{"BagVerblijfsobjectWithoutUnderscore",
                      {"identificatie", "oppervlakte", "pandidentificatie"},
                      G::Point,
                      "vbo",
                      "verblijfsobjecten",
                      "verblijfsobject"},
        RecogniseCase{"Cbs2021Buurten",
                      {"buurtcode", "buurtnaam", "wijkcode", "gemeentecode", "gemeentenaam",
                       "water", "aantal_inwoners"},
                      G::MultiPolygon,
                      "buurten",
                      "buurten",
                      "2021+"},
        RecogniseCase{"Cbs2021Wijken",
                      {"wijkcode", "wijknaam", "gemeentecode", "water"},
                      G::MultiPolygon,
                      "wijken",
                      "wijken",
                      "2021+"},
        RecogniseCase{"Cbs2021Gemeenten",
                      {"gemeentecode", "gemeentenaam", "water"},
                      G::MultiPolygon,
                      "gemeenten",
                      "gemeenten",
                      "2021+"},
        RecogniseCase{"CbsPre2021BuurtenUpperCase",
                      {"BU_CODE", "BU_NAAM", "WK_CODE", "GM_CODE", "H2O", "AANT_INW"},
                      G::MultiPolygon,
                      "buurt_2019",
                      "buurten",
                      "pre-2021"},
        RecogniseCase{"CbsPre2021Gemeenten",
                      {"GM_CODE", "GM_NAAM", "H2O", "AANT_INW"},
                      G::MultiPolygon,
                      "gem_2019",
                      "gemeenten",
                      "pre-2021"},
        RecogniseCase{"NwbShapefileUpperCase",
                      {"WVK_ID", "JTE_ID_BEG", "JTE_ID_END", "WEGBEHSRT", "RIJRICHTNG"},
                      G::LineString,
                      "Wegvakken",
                      "wegvakken",
                      "NWB"},
        RecogniseCase{"NwbGeoPackageLowerCase",
                      {"wvk_id", "jte_id_beg", "jte_id_end", "bst_code"},
                      G::LineString,
                      "wegvakken",
                      "wegvakken",
                      "NWB"},
        RecogniseCase{"Ibis",
                      {"RIN_NUMMER", "PLAN_NAAM", "GEM_CODES", "HA_BRUTO"},
                      G::MultiPolygon,
                      "ibis_2023",
                      "bedrijventerreinen",
                      "IBIS"},
        RecogniseCase{"OwnSignalenAnyCase",
                      {"Signaal_ID", "CATEGORIE", "brontype", "waargenomen_van", "status"},
                      G::Point,
                      "export",
                      "signalen",
                      "Veldwacht signalen"},
        RecogniseCase{"OwnIncidentenNotIbisDespiteRinNummer",
                      {"incident_id", "datum", "rin_nummer", "plan_naam"},
                      G::Point,
                      "x",
                      "incidenten",
                      "Veldwacht incidenten"},
        RecogniseCase{"PartnersArePoints",
                      {"partner_id", "naam", "partner_type"},
                      G::Point,
                      "p",
                      "partners",
                      "Veldwacht partners"},
        RecogniseCase{"PartnerWerkgebiedenArePolygons",
                      {"partner_id", "naam"},
                      G::MultiPolygon,
                      "w",
                      "partner_werkgebieden",
                      "partner_werkgebieden"},
        RecogniseCase{"UnknownGeometryFitsAnything",
                      {"vab_id", "leegstand"},
                      std::nullopt,
                      "x",
                      "vab",
                      "Veldwacht vab"},
        RecogniseCase{"SignalenWithLineGeometryIsNotRecognised",
                      {"signaal_id", "categorie"},
                      G::LineString,
                      "x",
                      "",
                      ""},
        RecogniseCase{"Unknown", {"kleur", "maat"}, G::Point, "x", "", ""}),
    [](const ::testing::TestParamInfo<RecogniseCase>& i) { return std::string(i.param.name); });

TEST(RecogniseForced, ForcedLayerRestrictsTheCandidates) {
  const std::vector<std::string> fields = {"partner_id", "naam"};
  const DatasetProfile* p = recognise(fields, GeometryKind::Point, "x", "partner_werkgebieden");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->layer, "partner_werkgebieden");
}

TEST(RecogniseForced, OwnLayerProfileMapsEveryFieldByName) {
  const DatasetProfile& p = ownLayerProfile("signalen");
  EXPECT_EQ(p.layer, "signalen");
  bool hasStatus = false;
  for (const auto& f : p.fields)
    hasStatus = hasStatus || (f.target == "status" && f.sources[0] == "status");
  EXPECT_TRUE(hasStatus);
  EXPECT_THROW(ownLayerProfile("meldingen"), veldwacht::geo::Error);
}

}  // namespace
