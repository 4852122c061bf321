#include "layers/importers/recognise.h"

#include <algorithm>
#include <set>

#include "geo/core/error.h"
#include "layers/importers/signal_export.h"
#include "layers/importers/values.h"

namespace veldwacht::layers {

namespace {

FieldSource fs(std::string target, std::vector<std::string> sources) {
  return {std::move(target), std::move(sources)};
}

/// target <- same name, for every field of the layer except bookkeeping.
std::vector<FieldSource> identity(const std::string& layer) {
  std::vector<FieldSource> out;
  for (const auto& f : layerDef(layer).fields)
    if (f.name != "import_id") out.push_back(fs(f.name, {f.name}));
  return out;
}

std::vector<DatasetProfile> cbsProfiles() {
  std::vector<DatasetProfile> out;
  // 2021+ names (wijk- en buurtkaart 2021 and later).
  const auto common2021 = [](std::vector<FieldSource> f) {
    f.push_back(fs("water", {"water"}));
    f.push_back(fs("aantal_inwoners", {"aantal_inwoners"}));
    f.push_back(fs("aantal_huishoudens", {"aantal_huishoudens"}));
    f.push_back(fs("oppervlakte_land_ha", {"oppervlakte_land_in_ha", "oppervlakte_land_ha"}));
    return f;
  };
  out.push_back({"CBS wijk- en buurtkaart buurten (2021+ names)",
                 "buurten",
                 {"buurtcode"},
                 {"code"},
                 {"buurten", "cbs_buurten"},
                 common2021({fs("code", {"buurtcode"}), fs("naam", {"buurtnaam"}),
                             fs("gemeentecode", {"gemeentecode"}), fs("wijkcode", {"wijkcode"})}),
                 Derivation::Cbs});
  out.push_back({"CBS wijk- en buurtkaart wijken (2021+ names)",
                 "wijken",
                 {"wijkcode"},
                 {"code", "buurtcode"},
                 {"wijken", "cbs_wijken"},
                 common2021({fs("code", {"wijkcode"}), fs("naam", {"wijknaam"}),
                             fs("gemeentecode", {"gemeentecode"}), fs("wijkcode", {"wijkcode"})}),
                 Derivation::Cbs});
  out.push_back({"CBS wijk- en buurtkaart gemeenten (2021+ names)",
                 "gemeenten",
                 {"gemeentecode"},
                 {"code", "buurtcode", "wijkcode"},
                 {"gemeenten", "cbs_gemeenten"},
                 common2021({fs("code", {"gemeentecode"}), fs("naam", {"gemeentenaam"}),
                             fs("gemeentecode", {"gemeentecode"})}),
                 Derivation::Cbs});
  // Pre-2021 names.
  const auto commonOld = [](std::vector<FieldSource> f) {
    f.push_back(fs("water", {"h2o"}));
    f.push_back(fs("aantal_inwoners", {"aant_inw"}));
    f.push_back(fs("aantal_huishoudens", {"aant_hh"}));
    f.push_back(fs("oppervlakte_land_ha", {"opp_land"}));
    return f;
  };
  out.push_back({"CBS wijk- en buurtkaart buurten (pre-2021 names)",
                 "buurten",
                 {"bu_code"},
                 {},
                 {"buurten", "buurt"},
                 commonOld({fs("code", {"bu_code"}), fs("naam", {"bu_naam"}),
                            fs("gemeentecode", {"gm_code"}), fs("wijkcode", {"wk_code"})}),
                 Derivation::Cbs});
  out.push_back({"CBS wijk- en buurtkaart wijken (pre-2021 names)",
                 "wijken",
                 {"wk_code"},
                 {"bu_code"},
                 {"wijken", "wijk"},
                 commonOld({fs("code", {"wk_code"}), fs("naam", {"wk_naam"}),
                            fs("gemeentecode", {"gm_code"}), fs("wijkcode", {"wk_code"})}),
                 Derivation::Cbs});
  out.push_back({"CBS wijk- en buurtkaart gemeenten (pre-2021 names)",
                 "gemeenten",
                 {"gm_code"},
                 {"bu_code", "wk_code"},
                 {"gemeenten", "gemeente"},
                 commonOld({fs("code", {"gm_code"}), fs("naam", {"gm_naam"}),
                            fs("gemeentecode", {"gm_code"})}),
                 Derivation::Cbs});
  return out;
}

/// "type melding" -> also "type_melding" and "typemelding" (exports spell spaces either way).
std::vector<std::string> spellings(std::vector<std::string> names) {
  std::vector<std::string> out;
  for (const auto& n : names) {
    out.push_back(n);
    if (n.find(' ') == std::string::npos) continue;
    std::string under = n, none;
    std::replace(under.begin(), under.end(), ' ', '_');
    for (char c : n)
      if (c != ' ') none += c;
    out.push_back(under);
    out.push_back(none);
  }
  return out;
}

std::string alternatives(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : "|") + n;
  return s;
}

/// A signals export from a reporting system or an Excel sheet (signal_export.h).
DatasetProfile signalExportProfile() {
  const auto dates =
      spellings({"waargenomen_van", "datum en tijd", "datum tijd", "datumtijd", "datetime",
                 "timestamp", "datum waarneming", "waarneemdatum", "datum melding", "meldingsdatum",
                 "meldDatum", "datum", "date", "tijdstip"});
  const auto categories =
      spellings({"categorie", "category", "soort", "soort melding", "type melding", "melding type",
                 "meldingtype", "soort signaal", "type signaal", "type", "onderwerp", "thema",
                 "categorie melding"});
  DatasetProfile p;
  p.name = "signals export (Dutch/English column names)";
  p.layer = "signalen";
  p.signature = {alternatives(dates), alternatives(categories)};
  // Look-alikes with their own importers or layers: schouw forms, incidents.
  p.absent = {"incident_id", "misdrijf_code", "schouw_id", "site_id", "bevinding", "partner_id"};
  p.layerNames = {"meldingen"};
  p.fields = {
      fs("signaal_id", spellings({"signaal_id", "signaalnummer", "meldingnummer", "meldingsnummer",
                                  "melding id", "meldnummer", "nummer", "id", "kenmerk",
                                  "zaaknummer", "registratienummer", "referentie"})),
      fs("categorie", categories),
      fs("brontype", spellings({"brontype", "bron type", "soort melder", "type melder",
                                "melder type", "melder", "bron", "source", "bron melding"})),
      fs("betrouwbaarheid",
         spellings({"betrouwbaarheid", "betrouwbaarheid bron", "reliability", "betrouwbaar"})),
      fs("waargenomen_van", dates),
      fs("waargenomen_tot",
         spellings({"waargenomen_tot", "datum tot", "tot", "einde", "eind", "einddatum", "end"})),
      fs("gemeld_op", spellings({"gemeld_op", "gemeld op", "datum gemeld", "reported"})),
      fs("locatie_precisie_m", spellings({"locatie_precisie_m", "precisie", "precisie m",
                                          "nauwkeurigheid", "nauwkeurigheid m", "accuracy"})),
      fs("status", spellings({"status", "status melding", "afhandeling", "state"})),
      fs("terugkoppeling", spellings({"terugkoppeling", "teruggekoppeld", "feedback"})),
      fs("terugkoppeling_op", spellings({"terugkoppeling_op", "teruggekoppeld op"})),
      fs("omschrijving",
         spellings({"omschrijving", "toelichting", "beschrijving", "description", "opmerking",
                    "opmerkingen", "notitie", "tekst", "korte omschrijving", "inhoud", "melding"})),
      fs("bag_pand_id", spellings({"bag_pand_id", "pand_id", "bag pand", "pandid"})),
      fs("bron_partner_id", {"bron_partner_id"}),
      fs("synthetisch", {"synthetisch"}),
  };
  // A separate time column is combined with the date (importer.cpp); it counts for the score.
  p.fields.push_back(fs("(tijd)", timeColumnNames()));
  for (auto& f : p.fields)
    for (auto& n : f.sources) n = toLowerAscii(n);
  for (auto& sig : p.signature) sig = toLowerAscii(sig);
  p.derivation = Derivation::SignalExport;
  return p;
}

std::vector<DatasetProfile> buildProfiles() {
  std::vector<DatasetProfile> p;
  p.push_back({"BAG light pand",
               "panden",
               {"identificatie", "bouwjaar"},
               {"huisnummer", "pand_identificatie", "pandidentificatie"},
               {"pand"},
               {fs("bag_id", {"identificatie"}), fs("bouwjaar", {"bouwjaar"}),
                fs("status", {"status"}), fs("gebruiksdoel", {"gebruiksdoel"}),
                fs("aantal_verblijfsobjecten", {"aantal_verblijfsobjecten"})},
               Derivation::BagPand});
  p.push_back({"BAG light verblijfsobject",
               "verblijfsobjecten",
               {"identificatie", "huisnummer|pand_identificatie|pandidentificatie"},
               {},
               {"verblijfsobject"},
               {fs("bag_id", {"identificatie"}),
                fs("bag_pand_id", {"pand_identificatie", "pandidentificatie"}),
                fs("gebruiksdoel", {"gebruiksdoel"}), fs("oppervlakte_m2", {"oppervlakte"}),
                fs("status", {"status"}), fs("openbare_ruimte_naam", {"openbare_ruimte_naam"}),
                fs("huisnummer", {"huisnummer"}), fs("huisletter", {"huisletter"}),
                fs("toevoeging", {"toevoeging", "huisnummertoevoeging"}),
                fs("postcode", {"postcode"}), fs("woonplaats_naam", {"woonplaats_naam"})},
               Derivation::None});
  for (auto& c : cbsProfiles()) p.push_back(std::move(c));
  p.push_back({"NWB wegvakken",
               "wegvakken",
               {"wvk_id", "jte_id_beg", "jte_id_end"},
               {},
               {"wegvakken", "wegvak"},
               identity("wegvakken"),
               Derivation::None});
  p.push_back({"IBIS bedrijventerreinen",
               "bedrijventerreinen",
               {"rin_nummer", "plan_naam"},
               {"incident_id"},
               {"bedrijventerreinen", "ibis"},
               identity("bedrijventerreinen"),
               Derivation::None});
  // BRP Gewaspercelen (PDOK: gewas, gewascode, category, jaar, status; the old shapefile:
  // GWS_GEWAS, GWS_GEWASC, CAT_GEWASC), also in Veldwacht's own names.
  p.push_back(
      {"BRP gewaspercelen",
       "gewaspercelen",
       {"gewascode|gws_gewasc", "gewas|gws_gewas"},
       {},
       {"gewaspercelen", "brpgewas", "brp_gewaspercelen"},
       {fs("gewascode", {"gewascode", "gws_gewasc"}), fs("gewas", {"gewas", "gws_gewas"}),
        fs("categorie", {"category", "categorie", "cat_gewasc", "cat_gewascategorie"}),
        fs("jaar", {"jaar", "year"}), fs("status", {"status"}), fs("synthetisch", {"synthetisch"})},
       Derivation::None});
  // Police figures per buurt as CBS StatLine writes them (OData typed data set, e.g. 47022NED:
  // ID, SoortMisdrijf, WijkenEnBuurten, Perioden, GeregistreerdeMisdrijven_1; regional tables
  // say RegioS), also in Veldwacht's own names.
  p.push_back(
      {"CBS StatLine geregistreerde misdrijven (politie)",
       "misdrijven_per_buurt",
       {"soortmisdrijf|soort_misdrijf", "perioden|periode", "wijkenenbuurten|regios|regiocode"},
       {},
       {"misdrijven_per_buurt", "typeddataset"},
       {fs("sleutel", {"sleutel"}), fs("regiocode", {"wijkenenbuurten", "regios", "regiocode"}),
        fs("soort_misdrijf", {"soortmisdrijf", "soort_misdrijf"}),
        fs("periode", {"perioden", "periode"}), fs("jaar", {"jaar"}), fs("maand", {"maand"}),
        fs("aantal", {"geregistreerdemisdrijven_1", "geregistreerdemisdrijven",
                      "geregistreerde_misdrijven", "aantal"}),
        fs("synthetisch", {"synthetisch"})},
       Derivation::PoliceFigures});
  // Veldwacht's own layers, by their natural key (partner_werkgebieden has none: partner_id and
  // polygons tell it from partners).
  for (const auto& d : layerDefs()) {
    if (d.name == "wegvakken" || d.name == "bedrijventerreinen" || d.name == "gewaspercelen" ||
        d.name == "misdrijven_per_buurt")
      continue;
    DatasetProfile own;
    own.name = "Veldwacht " + d.name;
    own.layer = d.name;
    own.signature = {d.key.empty() ? "partner_id" : d.key};
    if (d.name == "signaal_categorieen" || d.name == "gemeenten" || d.name == "wijken" ||
        d.name == "buurten")
      own.signature.push_back("naam");
    own.layerNames = {d.name};
    own.fields = identity(d.name);
    own.derivation = d.name == "panden" ? Derivation::BagPand : Derivation::None;
    p.push_back(std::move(own));
  }
  // After the own layers: a file in Veldwacht's own names stays "Veldwacht signalen" unless the
  // export profile fills strictly more fields (e.g. a separate time column).
  p.push_back(signalExportProfile());
  return p;
}

bool geometryFits(const DatasetProfile& p, SourceGeometry g) {
  if (!g) return true;
  return layerDef(p.layer).geometry == *g;
}

}  // namespace

const std::vector<DatasetProfile>& datasetProfiles() {
  static const std::vector<DatasetProfile> profiles = buildProfiles();
  return profiles;
}

const DatasetProfile& ownLayerProfile(const std::string& layer) {
  for (const auto& p : datasetProfiles())
    if (p.name == "Veldwacht " + layer) return p;
  for (const auto& p : datasetProfiles())
    if (p.layer == layer) return p;  // wegvakken, bedrijventerreinen: identity profiles
  throw veldwacht::geo::Error("unknown layer '" + layer + "'");
}

const DatasetProfile* recognise(const std::vector<std::string>& sourceFields,
                                SourceGeometry geometry, std::string_view sourceLayerName,
                                std::string_view forcedLayer) {
  std::set<std::string> have;
  for (const auto& f : sourceFields) have.insert(toLowerAscii(f));
  const std::string layerName = toLowerAscii(sourceLayerName);

  const DatasetProfile* best = nullptr;
  int bestScore = -1;
  for (const auto& p : datasetProfiles()) {
    if (!forcedLayer.empty() && p.layer != forcedLayer) continue;
    if (forcedLayer.empty() && !geometryFits(p, geometry)) continue;
    bool ok = true;
    for (const auto& sig : p.signature) {
      bool any = false;
      std::size_t start = 0;
      while (start <= sig.size()) {
        std::size_t end = sig.find('|', start);
        if (end == std::string::npos) end = sig.size();
        any = any || have.count(sig.substr(start, end - start));
        start = end + 1;
      }
      ok = ok && any;
    }
    for (const auto& a : p.absent) ok = ok && !have.count(a);
    if (!ok) continue;
    int score = 0;
    for (const auto& f : p.fields)
      for (const auto& s : f.sources)
        if (have.count(s)) {
          ++score;
          break;
        }
    if (std::find(p.layerNames.begin(), p.layerNames.end(), layerName) != p.layerNames.end())
      score += 100;
    if (score > bestScore) {
      best = &p;
      bestScore = score;
    }
  }
  return best;
}

}  // namespace veldwacht::layers
