// The descriptions of the risk terrain model (command `risk`) and the ranked address-check list
// (command `adreslijst`). Requests: layers/risk/risk_request.h (header-only defaults, so this
// file needs no link to layers_risk). Method: docs/algorithms/risk.md.
#include <cmath>
#include <cstdlib>
#include <optional>

#include "layers/analyses/describe_common.h"
#include "layers/risk/risk_request.h"

namespace veldwacht::layers::describe {

namespace {

std::vector<std::string> splitList(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    const auto b = cur.find_first_not_of(" \t");
    const auto e = cur.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(cur.substr(b, e - b + 1));
    cur.clear();
  };
  for (char c : text) {
    if (c == ',')
      flush();
    else
      cur += c;
  }
  flush();
  return out;
}

std::string joinList(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : ",") + i;
  return s;
}

std::string numberText(double v) {
  std::string s = std::to_string(v);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

/// "100,200,500" → metres: each > 0 and <= 10 km, strictly increasing.
std::vector<double> parseDistances(std::string_view text, const std::string& option) {
  std::vector<double> out;
  for (const auto& item : splitList(text)) {
    char* end = nullptr;
    const double v = std::strtod(item.c_str(), &end);
    if (end != item.c_str() + item.size() || !(v > 0) || !(v <= 10000))
      throw geo::OptionError(option,
                             "expected distances in metres (> 0 and <= 10000) separated by "
                             "commas, e.g. 100,250,500; got '" +
                                 item + "'");
    if (!out.empty() && !(v > out.back()))
      throw geo::OptionError(
          option, "distances must increase, got " + item + " after " + numberText(out.back()));
    out.push_back(v);
  }
  if (out.empty()) throw geo::OptionError(option, "needs at least one distance");
  return out;
}

/// "30,90,365" → days: each > 0 and <= 100 years, strictly increasing.
std::vector<double> parseHalfLives(std::string_view text, const std::string& option) {
  std::vector<double> out;
  for (const auto& item : splitList(text)) {
    char* end = nullptr;
    const double v = std::strtod(item.c_str(), &end);
    if (end != item.c_str() + item.size() || !(v > 0) || !(v <= 36500))
      throw geo::OptionError(option,
                             "expected half-lives in days (> 0 and <= 36500) separated by "
                             "commas, e.g. 30,90,365; got '" +
                                 item + "'");
    if (!out.empty() && !(v > out.back()))
      throw geo::OptionError(
          option, "half-lives must increase, got " + item + " after " + numberText(out.back()));
    out.push_back(v);
  }
  if (out.empty()) throw geo::OptionError(option, "needs at least one half-life");
  return out;
}

std::optional<geo::TimeSeconds> parseRiskDate(std::string_view text, const std::string& option) {
  if (text.empty()) return std::nullopt;
  const auto t = parseIsoTime(text);
  if (!t)
    throw geo::OptionError(option, "expected a date YYYY-MM-DD (or YYYY-MM-DDTHH:MM:SS), got '" +
                                       std::string(text) + "'");
  return t;
}

using RR = RiskRequest;

Analysis<RR> riskDescription() {
  Analysis<RR> a;
  a.id = "risk_terrain";
  a.command = "risk";
  a.methods = {"rtm"};
  a.group = "risk";
  a.groupName = {"Risk", "Risico"};
  a.title = {"Risk terrain model (relative risk map)",
             "Risicoterreinmodel (relatieve-risicokaart)"};
  a.help = {
      "Where are signals likely next? Risk terrain modelling (Caplan & Kennedy, RTMDx): every risk "
      "factor of the store (vacant barns, business parks, remoteness from dwellings, road access, "
      "dead-end roads, farm tracks, sparse buurten) becomes proximity or density rasters at "
      "several distances; per factor the operationalisation with the lowest cross-validated "
      "deviance is chosen, a penalised Poisson regression (elastic net, lambda by k-fold CV) "
      "selects factors, and the selected ones are refitted without penalty. Writes the relative "
      "risk map (GeoTIFF) and the factor table. Factors whose data the store lacks (no roads, no "
      "buurten) are skipped with a message.",
      "Waar komen de volgende signalen waarschijnlijk? Risicoterreinmodel (Caplan & Kennedy, "
      "RTMDx): elke risicofactor uit de store (leegstaande schuren, bedrijventerreinen, afstand "
      "tot woningen, bereikbaarheid over de weg, doodlopende wegen, veldwegen, dunbevolkte "
      "buurten) wordt nabijheid- of dichtheidsrasters op meerdere afstanden; per factor wordt de "
      "vorm met de laagste gekruisvalideerde deviantie gekozen, een gestrafte Poisson-regressie "
      "(elastic net, lambda met k-voudige kruisvalidatie) kiest de factoren en die worden zonder "
      "straf opnieuw geschat. Schrijft de relatieve-risicokaart (GeoTIFF) en de factortabel. "
      "Factoren waarvan de store geen gegevens heeft (geen wegen, geen buurten) worden met een "
      "melding overgeslagen."};
  Input signals = pointInput(false);
  signals.label = {"Signals (events to model)", "Signalen (te modelleren gebeurtenissen)"};
  Input area;
  area.cli = "area-layer";
  area.processing = "AREA";
  area.kind = InputKind::Polygons;
  area.defaultLayer = "gemeenten";
  area.label = {"Study area", "Studiegebied"};
  area.help = {
      "Polygons of the study area; grid cells whose centre lies inside are modelled.",
      "Vlakken van het studiegebied; rastercellen met het middelpunt erbinnen tellen mee."};
  a.inputs = {signals, area};
  a.makeDefaults = [] { return RR{}; };
  a.selectMethod = [](RR&, std::string_view) {};

  addOption(a, "cell-size", "CELL_SIZE", OptionKind::Real, field(&RR::cellSize))
      .label("Cell size", "Celgrootte")
      .help("Side of the square analysis cells (the observations of the model).",
            "Zijde van de vierkante analysecellen (de waarnemingen van het model).")
      .unit("m")
      .atLeast(10)
      .atMost(5000);
  addOption(a, "factors", "FACTORS", OptionKind::Text,
            Binding<RR>{
                [](const RR& r) {
                  std::vector<std::string> names;
                  for (const auto& f : r.factors) names.push_back(f.name);
                  return OptionValue(joinList(names));
                },
                [](RR& r, const OptionValue& v) {
                  std::vector<RiskFactorSource> chosen;
                  for (const auto& name : splitList(std::get<std::string>(v))) {
                    std::optional<RiskFactorSource> found;
                    std::string known;
                    for (const auto& f : riskFactorCatalogue()) {
                      if (f.name == name) found = f;
                      known += (known.empty() ? "" : ", ") + f.name;
                    }
                    const std::string earlier(kEarlierSignalsFactor);
                    if (name == earlier) found = earlierSignalsFactor();
                    if (name.rfind(earlier + ":", 0) == 0) {
                      const std::string category = name.substr(earlier.size() + 1);
                      if (category.empty() || category.find_first_of(" \t'\"") != std::string::npos)
                        throw geo::OptionError("--factors",
                                               "expected eerder:<CATEGORIE>, e.g. "
                                               "eerder:DRUGSAFVAL; got '" +
                                                   name + "'");
                      found = earlierSignalsFactor(category);
                    }
                    if (!found)
                      throw geo::OptionError("--factors", "unknown factor '" + name +
                                                              "' (known: " + known +
                                                              ", eerder, eerder:<CATEGORIE>)");
                    for (const auto& c : chosen)
                      if (c.name == name)
                        throw geo::OptionError("--factors", "factor '" + name + "' given twice");
                    chosen.push_back(*found);
                  }
                  if (chosen.empty())
                    throw geo::OptionError("--factors", "needs at least one factor");
                  r.factors = std::move(chosen);
                }})
      .label("Risk factors", "Risicofactoren")
      .help(
          "Comma-separated: vab, bedrijventerrein, afgelegen, wegtoegang, doodlopend, veldweg, "
          "buurt; and earlier signals, time-decayed: eerder (the modelled signals) or "
          "eerder:<CATEGORIE> (one category). An eerder factor models the signals from "
          "--response-from on and takes the earlier ones as the factor.",
          "Kommagescheiden: vab, bedrijventerrein, afgelegen, wegtoegang, doodlopend, veldweg, "
          "buurt; en eerdere signalen, afnemend met de tijd: eerder (de gemodelleerde signalen) "
          "of eerder:<CATEGORIE> (één categorie). Met een eerder-factor worden de signalen vanaf "
          "--response-from gemodelleerd en zijn de eerdere de factor.")
      .group("Factors");
  addOption(a, "distances", "DISTANCES", OptionKind::Text,
            Binding<RR>{[](const RR& r) {
                          std::vector<std::string> d;
                          for (double x : r.influence.distances) d.push_back(numberText(x));
                          return OptionValue(joinList(d));
                        },
                        [](RR& r, const OptionValue& v) {
                          r.influence.distances =
                              parseDistances(std::get<std::string>(v), "--distances");
                        }})
      .label("Candidate distances", "Kandidaatafstanden")
      .help("Distances (m) at which each factor's proximity and density are tried, increasing.",
            "Afstanden (m) waarop nabijheid en dichtheid van elke factor worden geprobeerd, "
            "oplopend.")
      .unit("m")
      .group("Factors");
  addOption(a, "half-lives", "HALF_LIVES", OptionKind::Text,
            Binding<RR>{[](const RR& r) {
                          std::vector<std::string> d;
                          for (double x : r.influence.halfLivesDays) d.push_back(numberText(x));
                          return OptionValue(joinList(d));
                        },
                        [](RR& r, const OptionValue& v) {
                          r.influence.halfLivesDays =
                              parseHalfLives(std::get<std::string>(v), "--half-lives");
                        }})
      .label("Half-lives of earlier signals", "Halfwaardetijden van eerdere signalen")
      .help(
          "Half-lives (days) at which the eerder factors are tried, increasing: a signal this "
          "old counts half.",
          "Halfwaardetijden (dagen) waarop de eerder-factoren worden geprobeerd, oplopend: een "
          "signaal van deze leeftijd telt half.")
      .unit("days")
      .group("Factors");
  addOption(
      a, "response-from", "RESPONSE_FROM", OptionKind::Text,
      Binding<RR>{[](const RR& r) {
                    return OptionValue(r.responseFrom == 0 ? std::string()
                                                           : formatIsoDateTime(r.responseFrom));
                  },
                  [](RR& r, const OptionValue& v) {
                    r.responseFrom =
                        parseRiskDate(std::get<std::string>(v), "--response-from").value_or(0);
                  }})
      .label("Modelled signals from (with eerder; empty = the last year)",
             "Gemodelleerde signalen vanaf (met eerder; leeg = het laatste jaar)")
      .help(
          "With an eerder factor: signals from this date on are modelled, earlier ones are the "
          "factor. Empty: 365 days before the day after the latest signal.",
          "Met een eerder-factor: signalen vanaf deze datum worden gemodelleerd, eerdere zijn "
          "de factor. Leeg: 365 dagen voor de dag na het laatste signaal.")
      .group("Factors");
  addOption(a, "density-sd", "DENSITY_SD", OptionKind::Real,
            field(&RR::influence, &geo::InfluenceOptions::densitySdAbove))
      .label("Density: standard deviations above the mean",
             "Dichtheid: standaardafwijkingen boven het gemiddelde")
      .help("A density candidate marks cells at least this many sd above the area's mean.",
            "Een dichtheidskandidaat markeert cellen minstens zoveel sd boven het gemiddelde.")
      .atLeast(0)
      .atMost(10)
      .group("Factors")
      .advanced();
  addOption(
      a, "alpha", "ALPHA", OptionKind::Real,
      Binding<RR>{[](const RR& r) { return OptionValue(r.model.net.alpha); },
                  [](RR& r, const OptionValue& v) { r.model.net.alpha = std::get<double>(v); }})
      .label("Elastic-net mixing (1 = lasso, 0 = ridge)",
             "Elastic-net-menging (1 = lasso, 0 = ridge)")
      .help("Mix of lasso and ridge penalties in the factor selection.",
            "Verhouding van lasso- en ridge-straf bij het kiezen van factoren.")
      .atLeast(0)
      .atMost(1)
      .group("Model");
  addOption(a, "folds", "FOLDS", OptionKind::Integer,
            Binding<RR>{[](const RR& r) { return OptionValue(std::int64_t(r.model.cv.folds)); },
                        [](RR& r, const OptionValue& v) {
                          r.model.cv.folds = std::size_t(std::get<std::int64_t>(v));
                        }})
      .label("Cross-validation folds", "Aantal vouwen (kruisvalidatie)")
      .help("k of the k-fold cross-validation (operationalisation and lambda).",
            "k van de k-voudige kruisvalidatie (vorm per factor en lambda).")
      .atLeast(2)
      .atMost(50)
      .group("Model");
  addOption(a, "seed", "SEED", OptionKind::Integer,
            Binding<RR>{[](const RR& r) { return OptionValue(std::int64_t(r.model.cv.seed)); },
                        [](RR& r, const OptionValue& v) {
                          r.model.cv.seed = std::uint64_t(std::get<std::int64_t>(v));
                        }})
      .label("Random seed (folds)", "Startgetal (vouwen)")
      .help("Seed of the fold assignment; the same seed gives the same model.",
            "Startgetal van de indeling in vouwen; hetzelfde getal geeft hetzelfde model.")
      .atLeast(0)
      .atMost(9.0e15)
      .group("Model")
      .advanced();
  addOption(a, "n-lambda", "N_LAMBDA", OptionKind::Integer,
            Binding<RR>{[](const RR& r) { return OptionValue(std::int64_t(r.model.net.nLambda)); },
                        [](RR& r, const OptionValue& v) {
                          r.model.net.nLambda = std::size_t(std::get<std::int64_t>(v));
                        }})
      .label("Lambdas on the path", "Aantal lambda's op het pad")
      .help("Number of penalties tried from lambda_max down.",
            "Aantal geprobeerde straffen vanaf lambda_max omlaag.")
      .atLeast(2)
      .atMost(500)
      .group("Model")
      .advanced();
  addOption(a, "one-se", "ONE_SE", OptionKind::Boolean,
            field(&RR::model, &geo::RiskTerrainOptions::oneStandardError))
      .label("Sparser model (lambda.1se)", "Zuiniger model (lambda.1se)")
      .help("Choose the largest lambda within one standard error of the best.",
            "Kies de grootste lambda binnen één standaardfout van de beste.")
      .group("Model")
      .advanced();
  addOption(a, "refit", "REFIT", OptionKind::Boolean,
            field(&RR::model, &geo::RiskTerrainOptions::refitUnpenalised))
      .label("Refit selected factors without penalty", "Gekozen factoren zonder straf herschatten")
      .help("Report unshrunk relative risk values of the selected factors (as RTMDx).",
            "Relatieve risico's van de gekozen factoren zonder krimp rapporteren (zoals RTMDx).")
      .group("Model")
      .advanced();

  ResultTable map;
  map.suffix = ".tif";
  map.processing = "OUTPUT";
  map.raster = true;
  map.style = "risk_relatief";
  map.meaning = {
      "Relative risk per cell (<store stem>_<output>.tif, Float32; 1 = no factor "
      "present, nodata outside the study area).",
      "Relatief risico per cel (<store>_<uitvoer>.tif, Float32; 1 = geen factor "
      "aanwezig, no-data buiten het studiegebied)."};
  ResultTable table;
  table.suffix = "_factoren";
  table.processing = "FACTORS";
  table.geometry = GeometryKind::None;
  table.meaning = {"One row per risk factor the store had data for.",
                   "Eén rij per risicofactor waarvoor de store gegevens had."};
  table.fields = {
      resultFieldOf("factor", FieldType::Text, "Risk factor", "Risicofactor"),
      resultFieldOf("operationalisatie", FieldType::Text,
                    "Chosen operationalisation, e.g. proximity 300 m",
                    "Gekozen vorm, bijv. nabijheid 300 m"),
      resultFieldOf("soort", FieldType::Text,
                    "nabijheid, dichtheid, afgelegen, reistijd, inwonersdichtheid or eerdere "
                    "signalen",
                    "nabijheid, dichtheid, afgelegen, reistijd, inwonersdichtheid of eerdere "
                    "signalen"),
      resultFieldOf("afstand_m", FieldType::Real, "Distance or bandwidth in metres",
                    "Afstand of bandbreedte in meter"),
      resultFieldOf("drempel", FieldType::Real,
                    "Threshold of a non-distance factor (minutes, inwoners/km²)",
                    "Drempel van een factor zonder afstand (minuten, inwoners/km²)"),
      resultFieldOf("halfwaardetijd_d", FieldType::Real,
                    "Half-life in days of an earlier-signals factor",
                    "Halfwaardetijd in dagen van een factor eerdere signalen"),
      resultFieldOf("geselecteerd", FieldType::Boolean, "1 when the factor is in the model",
                    "1 als de factor in het model zit"),
      resultFieldOf("coefficient", FieldType::Real, "Poisson coefficient", "Poisson-coëfficiënt"),
      resultFieldOf("relatief_risico", FieldType::Real, "exp(coefficient): risk inside / outside",
                    "exp(coëfficiënt): risico binnen / buiten"),
      resultFieldOf("standaardfout", FieldType::Real, "Standard error of the coefficient",
                    "Standaardfout van de coëfficiënt"),
      resultFieldOf("belang", FieldType::Real, "Share of the spread in log risk",
                    "Aandeel in de spreiding van het log-risico"),
      resultFieldOf("cv_deviantie", FieldType::Real, "Cross-validated deviance per cell",
                    "Gekruisvalideerde deviantie per cel")};
  a.results = {map, table};
  return a;
}

using AR = AddressListRequest;

std::optional<geo::TimeSeconds> parseDate(std::string_view text, const std::string& option) {
  if (text.empty()) return std::nullopt;
  const auto t = parseIsoTime(text);
  if (!t)
    throw geo::OptionError(option, "expected a date YYYY-MM-DD (or YYYY-MM-DDTHH:MM:SS), got '" +
                                       std::string(text) + "'");
  return t;
}

Analysis<AR> addressListDescription() {
  Analysis<AR> a;
  a.id = "address_list";
  a.command = "adreslijst";
  a.methods = {"score"};
  a.group = "risk";
  a.groupName = {"Risk", "Risico"};
  a.title = {"Ranked address-check list (VERTROUWELIJK)",
             "Adreslijst voor een thematische adrescontrole (VERTROUWELIJK)"};
  a.help = {
      "Which addresses to check first? Scores every BAG pand (or verblijfsobject, or VAB object) "
      "from registers (vacancy, floor area, use, business park, risk-map cell) and signals nearby "
      "or at the same pand (weighted by reliability A-D and recency), ranks them and explains "
      "every row in plain Dutch. Filters: themes, an area, addresses visited since a date. The "
      "list feeds the patrol planner (priority = score, skill adrescontrole). Every output is "
      "marked VERTROUWELIJK.",
      "Welke adressen eerst controleren? Geeft elk BAG-pand (of verblijfsobject, of VAB-object) "
      "punten uit registers (leegstand, oppervlakte, gebruik, bedrijventerrein, risicocel) en uit "
      "signalen in de buurt of bij hetzelfde pand (gewogen naar betrouwbaarheid A-D en "
      "actualiteit), rangschikt ze en licht elke rij in gewone taal toe. Filters: thema's, een "
      "gebied, adressen die sinds een datum bezocht zijn. De lijst voedt de routeplanner "
      "(prioriteit = score, vaardigheid adrescontrole). Elke uitvoer is VERTROUWELIJK."};
  Input cand;
  cand.cli = "where";
  cand.processing = "CANDIDATES";
  cand.kind = InputKind::PointsOrPolygons;
  cand.defaultLayer = "panden";
  cand.label = {"Candidates (panden, verblijfsobjecten or vab; filter)",
                "Kandidaten (panden, verblijfsobjecten of vab; filter)"};
  cand.help = {"The layer chosen by --candidates, with an optional filter.",
               "De laag die --candidates kiest, met een optioneel filter."};
  Input vab;
  vab.cli = "vab-where";
  vab.processing = "VAB";
  vab.kind = InputKind::Points;
  vab.optional = true;
  vab.defaultLayer = "vab";
  vab.label = {"VAB (vacancy, last visit)", "VAB (leegstand, laatste bezoek)"};
  vab.help = {"VAB objects joined to the candidates by BAG pand.",
              "VAB-objecten, gekoppeld aan de kandidaten via het BAG-pand."};
  Input sig;
  sig.cli = "signals-where";
  sig.processing = "SIGNALS";
  sig.kind = InputKind::Points;
  sig.defaultLayer = "signalen";
  sig.label = {"Signals (soft information)", "Signalen (zachte informatie)"};
  sig.help = {"Signals with reliability, category and pand.",
              "Signalen met betrouwbaarheid, categorie en pand."};
  Input area;
  area.cli = "area-layer";
  area.processing = "AREA";
  area.kind = InputKind::Polygons;
  area.optional = true;
  area.label = {"Area (only candidates inside)", "Gebied (alleen kandidaten erbinnen)"};
  area.help = {"Polygons, e.g. buurten with --area-where \"code = 'BU19790101'\".",
               "Vlakken, bijv. buurten met --area-where \"code = 'BU19790101'\"."};
  a.inputs = {cand, vab, sig, area};
  a.makeDefaults = [] { return AR{}; };
  a.selectMethod = [](AR&, std::string_view) {};

  addOption(a, "candidates", "CANDIDATE_LAYER", OptionKind::Choice,
            choiceField(&AR::candidates,
                        std::vector<std::pair<std::string, CandidateSource>>{
                            {"panden", CandidateSource::Panden},
                            {"verblijfsobjecten", CandidateSource::Verblijfsobjecten},
                            {"vab", CandidateSource::Vab}}),
            {"panden", "verblijfsobjecten", "vab"})
      .label("Candidates", "Kandidaten")
      .help("What the list ranks: BAG panden (with VAB data), verblijfsobjecten, or VAB only.",
            "Wat de lijst rangschikt: BAG-panden (met VAB-gegevens), verblijfsobjecten, of alleen "
            "VAB.");
  addOption(
      a, "themes", "THEMES", OptionKind::Text,
      Binding<AR>{[](const AR& r) { return OptionValue(joinList(r.list.themes)); },
                  [](AR& r, const OptionValue& v) {
                    r.list.themes = splitList(std::get<std::string>(v));
                    for (const auto& t : r.list.themes)
                      if (t != "drugs" && t != "huisvesting" && t != "milieu" && t != "verhuur")
                        throw geo::OptionError(
                            "--themes",
                            "unknown theme '" + t + "' (drugs, huisvesting, milieu, verhuur)");
                  }})
      .label("Themes (empty = all)", "Thema's (leeg = alle)")
      .help(
          "Comma-separated: drugs, huisvesting, milieu, verhuur. Only signals of these themes "
          "count, and an address needs one.",
          "Kommagescheiden: drugs, huisvesting, milieu, verhuur. Alleen signalen van deze "
          "thema's tellen, en een adres heeft er minstens één nodig.")
      .group("Filters");
  addOption(a, "skip-visited-since", "SKIP_VISITED_SINCE", OptionKind::Text,
            Binding<AR>{[](const AR& r) {
                          return OptionValue(r.list.skipVisitedSince
                                                 ? formatIsoDateTime(*r.list.skipVisitedSince)
                                                 : std::string());
                        },
                        [](AR& r, const OptionValue& v) {
                          r.list.skipVisitedSince =
                              parseDate(std::get<std::string>(v), "--skip-visited-since");
                        }})
      .label("Leave out addresses visited since", "Adressen bezocht sinds ... weglaten")
      .help("A date: addresses with laatste_bezoek on or after it are left out.",
            "Een datum: adressen met laatste_bezoek op of na die datum vallen weg.")
      .group("Filters");
  addOption(a, "reference-date", "REFERENCE_DATE", OptionKind::Text,
            Binding<AR>{[](const AR& r) {
                          return OptionValue(r.list.referenceTime == 0
                                                 ? std::string()
                                                 : formatIsoDateTime(r.list.referenceTime));
                        },
                        [](AR& r, const OptionValue& v) {
                          r.list.referenceTime =
                              parseDate(std::get<std::string>(v), "--reference-date").value_or(0);
                        }})
      .label("Reference date (empty = day after the last signal)",
             "Peildatum (leeg = dag na het laatste signaal)")
      .help("Signals after it are ignored; ages are counted to it.",
            "Latere signalen tellen niet; leeftijden worden tot deze datum gerekend.");
  addOption(a, "signal-radius", "SIGNAL_RADIUS", OptionKind::Real,
            field(&AR::list, &AddressListOptions::signalRadius))
      .label("Signals within", "Signalen binnen")
      .help("Signals within this distance of an address count for it.",
            "Signalen binnen deze afstand van een adres tellen mee.")
      .unit("m")
      .atLeast(0)
      .atMost(5000);
  addOption(a, "half-life-days", "HALF_LIFE_DAYS", OptionKind::Real,
            field(&AR::list, &AddressListOptions::halfLifeDays))
      .label("Half-life of a signal", "Halfwaardetijd van een signaal")
      .help("A signal this old counts half.", "Een signaal van deze leeftijd telt half.")
      .unit("days")
      .greaterThan(0)
      .atMost(36500);
  addOption(a, "window-days", "WINDOW_DAYS", OptionKind::Real,
            field(&AR::list, &AddressListOptions::windowDays))
      .label("Window of the explanation", "Venster van de toelichting")
      .help("The \"n signalen in 12 maanden\" of the explanation.",
            "De \"n signalen in 12 maanden\" van de toelichting.")
      .unit("days")
      .greaterThan(0)
      .atMost(36500)
      .advanced();
  addOption(a, "max-rows", "MAX_ROWS", OptionKind::Integer,
            field(&AR::list, &AddressListOptions::maxRows))
      .label("At most this many rows (0 = all)", "Hoogstens zoveel rijen (0 = alle)")
      .help("Keep the top rows only.", "Alleen de bovenste rijen houden.")
      .atLeast(0)
      .atMost(1e9);
  addOption(a, "risk-raster", "RISK_RASTER", OptionKind::Text, field(&AR::riskRaster))
      .label("Relative-risk raster (from risk)", "Relatieve-risicoraster (van risk)")
      .help("A GeoTIFF written by `veldwacht risk`; cells in the top 5 / 10 % add points.",
            "Een GeoTIFF van `veldwacht risk`; cellen bij de hoogste 5 / 10 % geven punten.");

  ResultTable list;
  list.suffix = "";
  list.processing = "OUTPUT";
  list.geometry = GeometryKind::Point;
  list.style = "risk_adreslijst";
  list.meaning = {
      "VERTROUWELIJK: the ranked list, one point per address; sites for the patrol "
      "planner (prioriteit, vaardigheid).",
      "VERTROUWELIJK: de gerangschikte lijst, één punt per adres; locaties voor de "
      "routeplanner (prioriteit, vaardigheid)."};
  list.fields = {
      resultFieldOf("rang", FieldType::Integer, "1 = check first", "1 = eerst controleren"),
      resultFieldOf("sleutel", FieldType::Text, "bag_id of the pand / verblijfsobject, or vab_id",
                    "bag_id van het pand / verblijfsobject, of vab_id"),
      resultFieldOf("adres", FieldType::Text, "Address or description", "Adres of omschrijving"),
      resultFieldOf("pand", FieldType::Text, "BAG pand", "BAG-pand"),
      resultFieldOf("vab", FieldType::Text, "VAB object of the pand", "VAB-object van het pand"),
      resultFieldOf("score", FieldType::Real, "Total score (points)", "Totaalscore (punten)"),
      resultFieldOf("prioriteit", FieldType::Real, "Priority for the planner (= score)",
                    "Prioriteit voor de planner (= score)"),
      resultFieldOf("vaardigheid", FieldType::Text, "Skill needed: adrescontrole",
                    "Benodigde vaardigheid: adrescontrole"),
      resultFieldOf("hard", FieldType::Real, "Points from registers", "Punten uit registers"),
      resultFieldOf("zacht", FieldType::Real, "Points from signals", "Punten uit signalen"),
      resultFieldOf("signalen_venster", FieldType::Integer, "Signals in the window",
                    "Signalen in het venster"),
      resultFieldOf("betrouwbaar_venster", FieldType::Integer, "Of which graded A or B",
                    "Waarvan A of B"),
      resultFieldOf("themas", FieldType::Text, "Themes of the signals", "Thema's van de signalen"),
      resultFieldOf("laatste_bezoek", FieldType::Date, "Last visit (VAB)", "Laatste bezoek (VAB)"),
      resultFieldOf("toelichting", FieldType::Text, "Why this address is on the list",
                    "Waarom dit adres op de lijst staat"),
      resultFieldOf("vertrouwelijkheid", FieldType::Text, "VERTROUWELIJK", "VERTROUWELIJK")};
  a.results = {list};
  return a;
}

}  // namespace

const std::vector<Analysis<RiskRequest>>& riskAnalyses() {
  static const std::vector<Analysis<RiskRequest>> all = [] {
    std::vector<Analysis<RiskRequest>> v;
    v.push_back(riskDescription());
    for (auto& a : v) finish(a);
    return v;
  }();
  return all;
}

const std::vector<Analysis<AddressListRequest>>& addressListAnalyses() {
  static const std::vector<Analysis<AddressListRequest>> all = [] {
    std::vector<Analysis<AddressListRequest>> v;
    v.push_back(addressListDescription());
    for (auto& a : v) finish(a);
    return v;
  }();
  return all;
}

}  // namespace veldwacht::layers::describe
