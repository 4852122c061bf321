#include "layers/schema/schema.h"

#include <algorithm>

#include <fmt/format.h>

#include "geo/core/error.h"
#include "layers/schema/key_text.h"

namespace veldwacht::layers {

std::string keyText(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v))
    return *d == 0.0 ? std::string("0") : fmt::format("{}", *d);  // fmt: shortest round trip
  return {};
}

namespace {

/// Small builder so that the tables below read like docs/schema.md.
class F {
 public:
  F(std::string name, FieldType type, std::string help) {
    d_.name = std::move(name);
    d_.type = type;
    d_.help = std::move(help);
  }
  F& req() {
    d_.required = true;
    return *this;
  }
  F& uniq() {
    d_.unique = true;
    return *this;
  }
  F& allow(std::vector<std::string> values) {
    d_.allowed = std::move(values);
    return *this;
  }
  F& list() {
    d_.commaList = true;
    return *this;
  }
  F& ref(std::string target) {
    d_.reference = std::move(target);
    d_.indexed = true;
    return *this;
  }
  F& width(int w) {
    d_.width = w;
    return *this;
  }
  F& index() {
    d_.indexed = true;
    return *this;
  }
  F& def(std::string v) {
    d_.defaultValue = std::move(v);
    return *this;
  }
  F& since(int version) {
    d_.sinceVersion = version;
    return *this;
  }
  operator FieldDef() const { return d_; }

 private:
  FieldDef d_;
};

using T = FieldType;

// Closed value lists (docs/schema.md, DOMAIN.md).
const std::vector<std::string> kBrontypes = {
    "burger",  "ondernemer", "boer",         "jager",      "loonbedrijf",     "boa",
    "politie", "mma",        "netbeheerder", "waterschap", "omgevingsdienst", "gebiedsbeheerder"};
const std::vector<std::string> kBetrouwbaarheid = {"A", "B", "C", "D"};
const std::vector<std::string> kSignaalStatus = {"nieuw", "in_behandeling", "doorgezet",
                                                 "afgesloten", "ongegrond"};
const std::vector<std::string> kGebruiksdoelen = {"woonfunctie",
                                                  "bijeenkomstfunctie",
                                                  "celfunctie",
                                                  "gezondheidszorgfunctie",
                                                  "industriefunctie",
                                                  "kantoorfunctie",
                                                  "logiesfunctie",
                                                  "onderwijsfunctie",
                                                  "sportfunctie",
                                                  "winkelfunctie",
                                                  "overige gebruiksfunctie"};
const std::vector<std::string> kVoormaligGebruik = {"melkvee",   "varkens",      "pluimvee",
                                                    "akkerbouw", "glastuinbouw", "overig"};
const std::vector<std::string> kLeegstand = {"leeg", "deels_leeg", "anders_in_gebruik", "gesloopt",
                                             "onbekend"};
const std::vector<std::string> kEigenaarType = {"particulier", "agrarisch", "bedrijf", "overheid",
                                                "onbekend"};
const std::vector<std::string> kHerkomst = {"inventarisatie provincie", "BAG-afleiding",
                                            "veldwaarneming"};
const std::vector<std::string> kPartnerTypes = {
    "jager_wbe", "boer", "loonbedrijf", "boa", "wijkagent", "gebiedsbeheerder", "politie"};
const std::vector<std::string> kBevoegdheden = {"signaleren", "schouwen", "handhaven",
                                                "adrescontrole", "opsporen"};

/// synthetisch and import_id, which every domain layer carries.
void addBookkeeping(std::vector<FieldDef>& fields) {
  fields.push_back(F("synthetisch", T::Boolean,
                     "1 voor gegenereerde (synthetische) records, 0 voor echte gegevens")
                       .req()
                       .def("0"));
  fields.push_back(
      F("import_id", T::Integer, "Importbatch waarmee het record is ingelezen (veldwacht_imports)")
          .ref("veldwacht_imports.import_id"));
}

LayerDef layer(std::string name, std::string title, std::string group, GeometryKind geometry,
               std::string key, std::string help, std::vector<FieldDef> fields,
               int sinceVersion = 1) {
  LayerDef def;
  def.name = std::move(name);
  def.title = std::move(title);
  def.group = std::move(group);
  def.geometry = geometry;
  def.key = std::move(key);
  def.help = std::move(help);
  def.fields = std::move(fields);
  def.sinceVersion = sinceVersion;
  addBookkeeping(def.fields);
  return def;
}

std::vector<FieldDef> areaFields(const std::string& codeHelp, bool withWijkcode) {
  std::vector<FieldDef> f = {
      F("code", T::Text, codeHelp).req().uniq(),
      F("naam", T::Text, "Naam"),
      F("gemeentecode", T::Text, "CBS-gemeentecode (GMxxxx)").index(),
  };
  if (withWijkcode) f.push_back(F("wijkcode", T::Text, "CBS-wijkcode (WKxxxxxx)").index());
  f.push_back(F("water", T::Boolean, "1 als het gebied grotendeels water is"));
  f.push_back(F("aantal_inwoners", T::Integer, "Aantal inwoners (CBS; geheimgehouden = leeg)"));
  f.push_back(F("aantal_huishoudens", T::Integer, "Aantal huishoudens (CBS)"));
  f.push_back(F("oppervlakte_land_ha", T::Real, "Landoppervlakte in hectare (CBS)"));
  return f;
}

std::vector<LayerDef> buildLayerDefs() {
  using G = GeometryKind;
  std::vector<LayerDef> defs;

  defs.push_back(layer("gemeenten", "Gemeenten", "Context", G::MultiPolygon, "code",
                       "Gemeentegrenzen (CBS wijk- en buurtkaart)",
                       areaFields("CBS-gemeentecode, bijv. GM1979", false)));
  defs.push_back(layer("wijken", "Wijken", "Context", G::MultiPolygon, "code",
                       "Wijkgrenzen (CBS wijk- en buurtkaart)",
                       areaFields("CBS-wijkcode, bijv. WK197901", true)));
  defs.push_back(layer("buurten", "Buurten", "Context", G::MultiPolygon, "code",
                       "Buurtgrenzen (CBS wijk- en buurtkaart)",
                       areaFields("CBS-buurtcode, bijv. BU19790101", true)));

  defs.push_back(layer("bedrijventerreinen", "Bedrijventerreinen", "Bedrijventerreinen",
                       G::MultiPolygon, "rin_nummer", "Bedrijventerreinen volgens IBIS",
                       {
                           F("rin_nummer", T::Text, "IBIS RIN-nummer van het terrein").req().uniq(),
                           F("plan_naam", T::Text, "Naam van het bedrijventerrein").req(),
                           F("gem_codes", T::Text, "Gemeentecode(s) uit IBIS"),
                           F("jaar", T::Integer, "Peiljaar van de IBIS-gegevens"),
                           F("ha_bruto", T::Real, "Bruto oppervlakte in hectare"),
                           F("ha_netto", T::Real, "Netto oppervlakte in hectare"),
                           F("ha_tottuit", T::Real, "Totaal uitgegeven oppervlakte in hectare"),
                           F("wloc_type", T::Text, "Type werklocatie (IBIS)"),
                       }));

  defs.push_back(layer(
      "panden", "Panden (BAG)", "Panden & VAB", G::MultiPolygon, "bag_id", "Panden uit de BAG",
      {
          F("bag_id", T::Text, "BAG-identificatie van het pand (16 tekens)").req().uniq().width(16),
          F("bouwjaar", T::Integer, "Oorspronkelijk bouwjaar"),
          F("status", T::Text, "BAG-status, bijv. 'Pand in gebruik'"),
          F("gebruiksdoel", T::Text, "Gebruiksdoelen van de verblijfsobjecten, kommagescheiden")
              .allow(kGebruiksdoelen)
              .list(),
          F("oppervlakte_m2", T::Real, "Oppervlakte in m²"),
          F("aantal_verblijfsobjecten", T::Integer, "Aantal verblijfsobjecten in het pand"),
          F("is_schuur", T::Boolean, "1 als het een agrarisch bijgebouw (schuur, stal) is"),
      }));

  defs.push_back(layer("partner_werkgebieden", "Werkgebieden partners", "Partners", G::MultiPolygon,
                       "", "Gebieden waarin partners signaleren of schouwen",
                       {
                           F("partner_id", T::Text, "Partner van wie dit werkgebied is")
                               .req()
                               .ref("partners.partner_id"),
                           F("naam", T::Text, "Naam van het werkgebied"),
                       },
                       2));

  defs.push_back(
      layer("wegvakken", "Wegvakken (NWB)", "Context", G::LineString, "wvk_id",
            "Wegvakken uit het Nationaal Wegenbestand",
            {
                F("wvk_id", T::Integer, "NWB wegvak-id").req().uniq(),
                F("jte_id_beg", T::Integer, "Junctie aan het begin van het wegvak").req().index(),
                F("jte_id_end", T::Integer, "Junctie aan het eind van het wegvak").req().index(),
                F("wegbehsrt", T::Text,
                  "Soort wegbeheerder: R rijk, P provincie, G gemeente, W waterschap"),
                F("rijrichtng", T::Text,
                  "Rijrichting: H met de digitaliseerrichting mee, T ertegenin, leeg beide"),
                F("bst_code", T::Text, "Baansubsoort, bijv. FP fietspad, BUS busbaan"),
                F("stt_naam", T::Text, "Straatnaam"),
                F("wpsnaam", T::Text, "Woonplaats"),
                F("gme_naam", T::Text, "Gemeente"),
                F("wegnummer", T::Text, "Wegnummer, bijv. N360"),
                F("frc", T::Text, "Functional road class"),
                F("fow", T::Text, "Form of way"),
            }));

  defs.push_back(
      layer("verblijfsobjecten", "Verblijfsobjecten (BAG)", "Panden & VAB", G::Point, "bag_id",
            "Adressen (verblijfsobjecten) uit de BAG",
            {
                F("bag_id", T::Text, "BAG-identificatie van het verblijfsobject (16 tekens)")
                    .req()
                    .uniq()
                    .width(16),
                F("bag_pand_id", T::Text, "Pand waarin het verblijfsobject ligt").width(16).index(),
                F("gebruiksdoel", T::Text, "Gebruiksdoelen, kommagescheiden")
                    .allow(kGebruiksdoelen)
                    .list(),
                F("oppervlakte_m2", T::Real, "Gebruiksoppervlakte in m²"),
                F("status", T::Text, "BAG-status, bijv. 'Verblijfsobject in gebruik'"),
                F("openbare_ruimte_naam", T::Text, "Straatnaam"),
                F("huisnummer", T::Integer, "Huisnummer"),
                F("huisletter", T::Text, "Huisletter"),
                F("toevoeging", T::Text, "Huisnummertoevoeging"),
                F("postcode", T::Text, "Postcode").index(),
                F("woonplaats_naam", T::Text, "Woonplaats"),
            }));

  defs.push_back(layer(
      "vab", "Vrijkomende agrarische bebouwing", "Panden & VAB", G::Point, "vab_id",
      "Vrijkomende agrarische bebouwing (VAB): leegstaande of vrijkomende schuren en stallen",
      {
          F("vab_id", T::Text, "Kenmerk van de VAB-locatie").req().uniq(),
          F("bag_pand_id", T::Text, "BAG-pand van de bebouwing").width(16).index(),
          F("oppervlakte_m2", T::Real, "Oppervlakte van de bebouwing in m²"),
          F("voormalig_gebruik", T::Text, "Voormalig agrarisch gebruik").allow(kVoormaligGebruik),
          F("leegstand", T::Text, "Mate van leegstand").req().allow(kLeegstand).index(),
          F("jaar_stop_agrarisch", T::Integer, "Jaar waarin het agrarisch gebruik stopte"),
          F("eigenaar_type", T::Text, "Soort eigenaar").allow(kEigenaarType),
          F("herkomst", T::Text, "Bron van het gegeven").allow(kHerkomst),
          F("laatste_bezoek", T::Date, "Datum van het laatste bezoek ter plaatse"),
      }));

  defs.push_back(
      layer("incidenten", "Incidenten bedrijventerreinen", "Bedrijventerreinen", G::Point,
            "incident_id", "Incidenten op bedrijventerreinen",
            {
                F("incident_id", T::Text, "Kenmerk van het incident").req().uniq(),
                F("datum", T::Date, "Datum van het incident").req().index(),
                F("misdrijf_code", T::Text, "CBS-code soort misdrijf, bijv. 2.5.2").index(),
                F("misdrijf_omschrijving", T::Text, "Omschrijving van de soort misdrijf"),
                F("rin_nummer", T::Text, "Bedrijventerrein (IBIS RIN-nummer) waarop het gebeurde")
                    .ref("bedrijventerreinen.rin_nummer"),
                F("bag_pand_id", T::Text, "BAG-pand waar het gebeurde").width(16).index(),
                F("omschrijving", T::Text, "Vrije tekst"),
            }));

  defs.push_back(layer(
      "partners", "Partners", "Partners", G::Point, "partner_id",
      "Partners in de samenwerking, met hun thuisbasis",
      {
          F("partner_id", T::Text, "Kenmerk van de partner").req().uniq(),
          F("naam", T::Text, "Naam van de partner").req(),
          F("partner_type", T::Text, "Soort partner").req().allow(kPartnerTypes).index(),
          F("organisatie", T::Text, "Organisatie, bijv. WBE of gemeente"),
          F("beschikbaar_dag", T::Boolean, "1 als de partner overdag beschikbaar is").req(),
          F("beschikbaar_nacht", T::Boolean, "1 als de partner 's nachts beschikbaar is").req(),
          F("bevoegdheden", T::Text, "Bevoegdheden, kommagescheiden").allow(kBevoegdheden).list(),
          F("werkgebied_km", T::Real, "Straal in km die de partner bestrijkt"),
      }));

  defs.push_back(
      layer("signaal_categorieen", "Signaalcategorieën", "Signalen", GeometryKind::None, "code",
            "Bewerkbare lijst van signaalcategorieën",
            {
                F("code", T::Text, "Code van de categorie, bijv. DRUGSAFVAL").req().uniq(),
                F("naam", T::Text, "Naam van de categorie").req(),
                F("indicatoren", T::Text, "Typische indicatoren"),
                F("actief", T::Boolean, "1 als de categorie gekozen kan worden").req().def("1"),
            }));

  defs.push_back(layer(
      "signalen", "Signalen", "Signalen", G::Point, "signaal_id",
      "Signalen (meldingen) van ondermijning",
      {
          F("signaal_id", T::Text, "Kenmerk in het bronsysteem, bijv. SIG-2024-0001").req().uniq(),
          F("categorie", T::Text, "Categorie (signaal_categorieen.code)")
              .req()
              .ref("signaal_categorieen.code"),
          F("brontype", T::Text, "Soort melder").req().allow(kBrontypes).index(),
          F("betrouwbaarheid", T::Text,
            "A betrouwbaar, B meestal betrouwbaar, C niet altijd betrouwbaar, D onbekend")
              .allow(kBetrouwbaarheid),
          F("waargenomen_van", T::DateTime, "Moment, of begin van het venster, van de waarneming")
              .req()
              .index(),
          F("waargenomen_tot", T::DateTime, "Eind van het venster; leeg als het moment bekend is"),
          F("gemeld_op", T::DateTime, "Moment van melden"),
          F("locatie_precisie_m", T::Real, "Straal in meter waarbinnen de echte plek ligt"),
          F("status", T::Text, "Behandelstatus").req().allow(kSignaalStatus).index(),
          F("terugkoppeling", T::Boolean, "1 als de melder terugkoppeling heeft gekregen"),
          F("terugkoppeling_op", T::Date, "Datum van de terugkoppeling").since(2),
          F("omschrijving", T::Text, "Vrije tekst"),
          F("bag_pand_id", T::Text, "BAG-pand waarop het signaal betrekking heeft")
              .width(16)
              .index(),
          F("bron_partner_id", T::Text,
            "Partner die het signaal meldde (bij een signaal uit een schouw)")
              .ref("partners.partner_id")
              .since(3),
      }));

  // Context layers of schema version 4 (issue 13): who farms what where (BRP), and the police's
  // registered crime per buurt (CBS StatLine). BRP publishes no parcel id, so gewaspercelen has
  // no key (years are told apart by jaar); the figures' key is derived from region, kind of
  // crime and period.
  defs.push_back(layer(
      "gewaspercelen", "Gewaspercelen (BRP)", "Context", G::MultiPolygon, "",
      "Landbouwpercelen met hun gewas (Basisregistratie Gewaspercelen, BRP)",
      {
          F("gewascode", T::Integer, "BRP-gewascode, bijv. 265 (grasland, blijvend)").req().index(),
          F("gewas", T::Text, "Omschrijving van het gewas"),
          F("categorie", T::Text,
            "BRP-categorie: Grasland, Bouwland, Natuurterrein, Sloot, Landschapselement, Overige")
              .index(),
          F("jaar", T::Integer, "Jaar van de gewasregistratie").index(),
          F("status", T::Text, "Status van de registratie, bijv. Definitief"),
      },
      4));
  defs.push_back(layer(
      "misdrijven_per_buurt", "Geregistreerde misdrijven (politie)", "Context", G::None, "sleutel",
      "Door de politie geregistreerde misdrijven per buurt, wijk of gemeente (CBS StatLine)",
      {
          F("sleutel", T::Text, "regiocode|soort_misdrijf|periode (afgeleid)").req().uniq(),
          F("regiocode", T::Text, "CBS-regiocode: buurt (BU...), wijk (WK...) of gemeente (GM...)")
              .req()
              .index(),
          F("soort_misdrijf", T::Text, "CBS-code soort misdrijf, bijv. 1.1.1 (0.0.0 = totaal)")
              .req()
              .index(),
          F("periode", T::Text, "StatLine-periode, bijv. 2023JJ00 (jaar) of 2024MM03 (maand)")
              .req(),
          F("jaar", T::Integer, "Jaar van de periode (afgeleid)").index(),
          F("maand", T::Integer, "Maand van de periode (afgeleid; leeg voor een jaarcijfer)"),
          F("aantal", T::Integer, "Aantal geregistreerde misdrijven (leeg = geheim of onbekend)"),
      },
      4));

  // Back from the field (issue 10): what partners found on a schouw. The site is a row of one
  // of the site layers (vab, verblijfsobjecten, panden, bedrijventerreinen, incidenten,
  // signalen) or of a plan's visits table; the importer checks it (a reference to one of
  // several tables cannot be a trigger). No geometry: the site carries the location, and a
  // finding that is a signal is drawn as that signal.
  defs.push_back(layer(
      "schouwresultaten", "Schouwresultaten", "Partners", G::None, "schouw_id",
      "Bevindingen van partners bij een schouw of bezoek, ingelezen uit een formulier of app",
      {
          F("schouw_id", T::Text, "Kenmerk van het resultaat (uit het bestand, of afgeleid)")
              .req()
              .uniq(),
          F("partner_id", T::Text, "Partner die de schouw deed").req().ref("partners.partner_id"),
          F("site_laag", T::Text, "Laag van de bezochte plek, bijv. vab").req().index(),
          F("site_id", T::Text, "Kenmerk van de plek in die laag").req().index(),
          F("tijdstip", T::DateTime, "Moment van de schouw (lokale tijd)").req().index(),
          F("bevinding", T::Text, "Wat de partner zag (vrije tekst)"),
          F("categorie", T::Text, "Signaalcategorie als de bevinding een signaal is")
              .ref("signaal_categorieen.code"),
          F("signaal_id", T::Text, "Signaal dat uit deze bevinding is gemaakt")
              .ref("signalen.signaal_id"),
          F("foto", T::Text, "Verwijzing naar een foto (bestandsnaam of URL)"),
      },
      3));
  return defs;
}

}  // namespace

const FieldDef* LayerDef::field(std::string_view fieldName) const {
  for (const auto& f : fields)
    if (f.name == fieldName) return &f;
  return nullptr;
}

int LayerDef::fieldIndex(std::string_view fieldName) const {
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == fieldName) return static_cast<int>(i);
  return -1;
}

const std::vector<LayerDef>& layerDefs() {
  static const std::vector<LayerDef> defs = buildLayerDefs();
  return defs;
}

const LayerDef& layerDef(std::string_view name) {
  for (const auto& d : layerDefs())
    if (d.name == name) return d;
  throw geo::Error("unknown layer '" + std::string(name) + "'");
}

std::vector<LayerDef> layerDefsForVersion(int version) {
  if (version < 1 || version > kSchemaVersion)
    throw geo::Error("unknown schema version " + std::to_string(version));
  std::vector<LayerDef> out;
  for (const auto& d : layerDefs()) {
    if (d.sinceVersion > version) continue;
    LayerDef copy = d;
    std::erase_if(copy.fields, [&](const FieldDef& f) { return f.sinceVersion > version; });
    out.push_back(std::move(copy));
  }
  return out;
}

const std::vector<CategorySeed>& signalCategorySeeds() {
  static const std::vector<CategorySeed> seeds = {
      {"DRUGSAFVAL", "Dumpen of lozen van drugsafval",
       "vaten, jerrycans of IBC's 's nachts gedumpt; dode vegetatie of vis; afval in een mestput"},
      {"DRUGSLAB", "Synthetisch drugslab",
       "anijs- of acetonlucht; busjes 's nachts tegen een gebouw; dichtgemaakte ramen"},
      {"HENNEP", "Hennepkwekerij",
       "geur, zoemende ventilatoren, afgedekte ramen, sneeuwvrij dak, stroomdiefstal"},
      {"VERHUUR", "Verdachte verhuur van schuur of pand",
       "contant vooruit betalen, anonieme huurder, verse BV's, een tussenpersoon"},
      {"ACTIVITEIT", "Activiteit bij een leegstaand gebouw",
       "nachtelijk verkeer, dure of buitenlandse auto's, zware beveiliging"},
      {"OPSLAG", "Opslag of transport", "precursoren, drugs, wapens, gestolen goederen"},
      {"HUISVESTING", "Slechte huisvesting van arbeidsmigranten", ""},
      {"INTIMIDATIE", "Druk op of bedreiging van boeren of personeel", ""},
      {"MILIEU", "Milieucriminaliteit", "illegaal storten, mestfraude"},
      {"BEDRIJFSPAND", "Signaal op een bedrijventerrein",
       "wisselende gebruikers, risicobranches, inbraken"},
  };
  return seeds;
}

const std::vector<DerivedTable>& derivedTables() {
  // The names are layers/network's kNetworkTable and kHierarchyTable (network_store.h), which
  // also rebuilds them by checksum whenever wegvakken differ from what they were built from.
  static const std::vector<DerivedTable> tables = {
      {"veldwacht_netwerk", "wegvakken",
       "rebuilt from wegvakken on the next route, matrix or reach analysis"},
      {"veldwacht_netwerk_ch", "wegvakken",
       "rebuilt with the road network on the next route or matrix analysis"},
  };
  return tables;
}

bool isRegisterLayer(std::string_view layer) {
  for (const char* r : {"gemeenten", "wijken", "buurten", "bedrijventerreinen", "panden",
                        "wegvakken", "verblijfsobjecten"})
    if (layer == r) return true;
  return false;
}

const char* fieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::Text:
      return "TEXT";
    case FieldType::Integer:
      return "INTEGER";
    case FieldType::Real:
      return "REAL";
    case FieldType::Boolean:
      return "BOOLEAN";
    case FieldType::Date:
      return "DATE";
    case FieldType::DateTime:
      return "DATETIME";
  }
  return "?";
}

}  // namespace veldwacht::layers
