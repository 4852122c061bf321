// The descriptions of the road-network analyses: route (command `route`), travel-time matrix
// (`matrix`) and reachability (`reach`). CLI flags, docs/options.md and the Processing
// parameters (veldwacht:store_route, store_matrix, store_reach) come from here. Method:
// docs/algorithms/network.md.
#include "layers/analyses/describe_common.h"
#include "layers/network/network_analyses.h"

namespace veldwacht::layers::describe {

namespace {

const std::vector<std::pair<std::string, geo::TravelMode>>& modeChoices() {
  static const std::vector<std::pair<std::string, geo::TravelMode>> c = {
      {"auto", geo::TravelMode::Auto},
      {"landbouw", geo::TravelMode::Landbouw},
      {"fiets", geo::TravelMode::Fiets},
      {"lopen", geo::TravelMode::Lopen}};
  return c;
}

/// mode, [cost], max-snap, speeds, speed-limits, built-up, threads: bound to request.common.
template <class Request>
void addNetworkOptions(Analysis<Request>& a, bool withCost) {
  using R = Request;
  addOption(a, "mode", "MODE", OptionKind::Choice,
            choiceField(&R::common, &NetworkCommon::mode, modeChoices()),
            {"auto", "landbouw", "fiets", "lopen"})
      .label("Travel mode", "Vervoerswijze")
      .help(
          "auto; landbouw (tractor: at most 25 km/h, no rijkswegen or autowegen); fiets (cycle "
          "paths too); lopen (every road and path, both ways).",
          "auto; landbouw (trekker: hoogstens 25 km/u, geen rijkswegen of autowegen); fiets "
          "(ook fietspaden); lopen (elke weg en elk pad, in beide richtingen).")
      .group("Network");
  if (withCost)
    addOption(a, "cost", "COST", OptionKind::Choice,
              choiceField(&R::common, &NetworkCommon::cost,
                          std::vector<std::pair<std::string, geo::CostKind>>{
                              {"time", geo::CostKind::Time}, {"length", geo::CostKind::Length}}),
              {"time", "length"})
        .label("Shortest by", "Kortste naar")
        .help("time (travel time) or length (metres along the roads).",
              "time (reistijd) of length (meters over de weg).")
        .group("Network");
  addOption(a, "max-snap", "MAX_SNAP", OptionKind::Real,
            field(&R::common, &NetworkCommon::maxSnapDistance))
      .label("Largest snap distance", "Grootste afstand tot de weg")
      .help(
          "A point farther than this from a road its mode may use is refused, with its layer, id "
          "and distance.",
          "Een punt dat verder dan dit van een bruikbare weg ligt wordt geweigerd, met laag, "
          "kenmerk en afstand.")
      .unit("m")
      .greaterThan(0)
      .atMost(100000)
      .group("Network");
  addOption(a, "speeds", "SPEEDS", OptionKind::Text, field(&R::common, &NetworkCommon::speedsFile))
      .label("Speed table (JSON file)", "Snelhedentabel (JSON-bestand)")
      .help("Overrides the default speeds by wegbeheerder and baansubsoort; empty = defaults.",
            "Vervangt de standaardsnelheden per wegbeheerder en baansubsoort; leeg = standaard.")
      .advanced()
      .group("Network");
  addOption(a, "speed-limits", "SPEED_LIMITS", OptionKind::Text,
            Binding<R>{[](const R& r) { return OptionValue(r.common.source.speedLimitsCsv); },
                       [](R& r, const OptionValue& v) {
                         r.common.source.speedLimitsCsv = std::get<std::string>(v);
                       }})
      .label("Speed limits (NDW CSV)", "Maximumsnelheden (NDW-CSV)")
      .help("CSV with wvk_id and maxsnelheid (km/h); its limits win over the speed table.",
            "CSV met wvk_id en maxsnelheid (km/u); deze limieten gaan voor de snelhedentabel.")
      .advanced()
      .group("Network");
  addOption(
      a, "built-up", "BUILT_UP", OptionKind::Boolean,
      Binding<R>{[](const R& r) { return OptionValue(r.common.source.builtUp); },
                 [](R& r, const OptionValue& v) { r.common.source.builtUp = std::get<bool>(v); }})
      .label("Inside the built-up area", "Binnen de bebouwde kom")
      .help("Use the inside-built-up-area speeds everywhere (NWB has no such field).",
            "Overal de snelheden binnen de bebouwde kom gebruiken (de NWB kent dat veld niet).")
      .advanced()
      .group("Network");
  addThreads(a, field(&R::common, &NetworkCommon::threads));
}

Input pointsInput(std::string cli, std::string processing, std::string defaultLayer, Text label,
                  Text help, bool optional = false) {
  Input in;
  in.cli = std::move(cli);
  in.processing = std::move(processing);
  in.kind = InputKind::Points;
  in.optional = optional;
  in.filter = true;
  in.defaultLayer = std::move(defaultLayer);
  in.label = std::move(label);
  in.help = std::move(help);
  return in;
}

const Family kFamily{"", "network", {"Road network", "Wegennet"}};

template <class Request>
Analysis<Request> networkAnalysis(std::string id, Text title, Text help) {
  Family f = kFamily;
  f.command = id;
  return analysisOf<Request>(f, id, {id}, std::move(title), std::move(help));
}

Binding<RouteRequest> xyField(geo::Point RouteRequest::*member, std::string option) {
  return {[member](const RouteRequest& r) { return OptionValue(formatXy(r.*member)); },
          [member, option](RouteRequest& r, const OptionValue& v) {
            const auto& text = std::get<std::string>(v);
            r.*member = text.empty()
                            ? geo::Point{RouteRequest::kNoCoordinate, RouteRequest::kNoCoordinate}
                            : parseXy(text, option);
          }};
}

Analysis<RouteRequest> routeDescription() {
  auto a = networkAnalysis<RouteRequest>(
      "route", {"Shortest route between two points", "Kortste route tussen twee punten"},
      {"The shortest route over the store's road network (NWB wegvakken) between two points: "
       "each point joins the network at the nearest point of the nearest wegvak its mode may "
       "use; the line along the roads with its length and travel time.",
       "De kortste route over het wegennet van de store (NWB-wegvakken) tussen twee punten: elk "
       "punt sluit aan op het dichtstbijzijnde punt van het dichtstbijzijnde wegvak dat de "
       "vervoerswijze mag gebruiken; de lijn over de weg met lengte en reistijd."});
  addOption(a, "from-xy", "FROM_XY", OptionKind::Text, xyField(&RouteRequest::from, "--from-xy"))
      .label("Start X,Y (EPSG:28992)", "Start X,Y (EPSG:28992)")
      .help("The start as X,Y in RD metres, e.g. 256984,594814.",
            "Het begin als X,Y in RD-meters, bijv. 256984,594814.")
      .group("Route");
  addOption(a, "to-xy", "TO_XY", OptionKind::Text, xyField(&RouteRequest::to, "--to-xy"))
      .label("End X,Y (EPSG:28992)", "Eind X,Y (EPSG:28992)")
      .help("The end as X,Y in RD metres.", "Het eind als X,Y in RD-meters.")
      .group("Route");
  addNetworkOptions(a, true);
  ResultTable t;
  t.suffix = "_route";
  t.processing = "OUTPUT";
  t.geometry = GeometryKind::LineString;
  t.style = "network_route";
  t.meaning = {"The route: one line along the roads.", "De route: een lijn over de weg."};
  t.fields = {resultFieldOf("modus", FieldType::Text, "travel mode", "vervoerswijze"),
              resultFieldOf("lengte_m", FieldType::Real, "length along the roads (m)",
                            "lengte over de weg (m)"),
              resultFieldOf("tijd_s", FieldType::Real, "travel time (s)", "reistijd (s)"),
              resultFieldOf("wegvakken", FieldType::Text, "wvk_id of the wegvakken, in order",
                            "wvk_id van de wegvakken, op volgorde")};
  a.results = {t};
  return a;
}

Analysis<MatrixRequest> matrixDescription() {
  auto a = networkAnalysis<MatrixRequest>(
      "matrix", {"Travel-time matrix", "Reistijdenmatrix"},
      {"Travel time and distance over the road network from every point of one layer to every "
       "point of another (e.g. partner bases x vacant barns), on a contraction hierarchy kept in "
       "the store. Unreachable pairs are NULL, never 0, and reported.",
       "Reistijd en afstand over het wegennet van elk punt van de ene laag naar elk punt van de "
       "andere (bijv. thuisbases van partners x leegstaande schuren), over een in de store "
       "bewaarde contraction hierarchy. Onbereikbare paren zijn NULL, nooit 0, en worden "
       "gemeld."});
  a.inputs = {pointsInput("from", "FROM", "partners", {"Origins", "Vertrekpunten"},
                          {"Point layer of the store the trips start from.",
                           "Puntlaag van de store waar de ritten beginnen."}),
              pointsInput("to", "TO", "vab", {"Destinations", "Bestemmingen"},
                          {"Point layer of the store the trips go to.",
                           "Puntlaag van de store waar de ritten heen gaan."})};
  addNetworkOptions(a, true);
  ResultTable t;
  t.suffix = "_matrix";
  t.processing = "OUTPUT";
  t.geometry = GeometryKind::None;
  t.meaning = {"One row per origin and destination.", "Een rij per vertrekpunt en bestemming."};
  t.fields = {
      resultFieldOf("from_id", FieldType::Text, "key of the origin", "kenmerk van het vertrekpunt"),
      resultFieldOf("to_id", FieldType::Text, "key of the destination",
                    "kenmerk van de bestemming"),
      resultFieldOf("length_m", FieldType::Real, "length along the roads (m); NULL = unreachable",
                    "lengte over de weg (m); NULL = onbereikbaar"),
      resultFieldOf("time_s", FieldType::Real, "travel time (s); NULL = unreachable",
                    "reistijd (s); NULL = onbereikbaar")};
  a.results = {t};
  return a;
}

Analysis<ReachRequest> reachDescription() {
  using R = ReachRequest;
  auto a = networkAnalysis<R>(
      "reach", {"Reachability within a travel time", "Bereik binnen een reistijd"},
      {"What can be reached within T minutes from one or more bases: the reached road parts, an "
       "area around them (not a circle) and, for every site, the nearest base in travel time.",
       "Wat binnen T minuten vanaf een of meer bases bereikbaar is: de bereikte wegdelen, een "
       "gebied eromheen (geen cirkel) en, voor elke locatie, de dichtstbijzijnde basis in "
       "reistijd."});
  a.inputs = {pointsInput("from", "FROM", "partners", {"Bases", "Bases"},
                          {"Point layer of the store the searches start from.",
                           "Puntlaag van de store waar het zoeken begint."}),
              pointsInput("sites", "SITES", "", {"Sites (optional)", "Locaties (optioneel)"},
                          {"Point layer whose points get their nearest base, e.g. vab.",
                           "Puntlaag waarvan elk punt de dichtstbijzijnde basis krijgt, bijv. "
                           "vab."},
                          true)};
  addOption(a, "minutes", "MINUTES", OptionKind::Real, field(&R::minutes))
      .label("Travel time limit", "Grens in reistijd")
      .help("Minutes from the nearest base.", "Minuten vanaf de dichtstbijzijnde basis.")
      .unit("min")
      .greaterThan(0)
      .atMost(1440)
      .group("Reach");
  addOption(a, "area-buffer", "AREA_BUFFER", OptionKind::Real, field(&R::areaBuffer))
      .label("Area around the roads", "Gebied rond de wegen")
      .help("Buffer around the reached road parts that makes the area; 0 = no area.",
            "Buffer rond de bereikte wegdelen die het gebied vormt; 0 = geen gebied.")
      .unit("m")
      .atLeast(0)
      .atMost(5000)
      .group("Reach");
  addNetworkOptions(a, false);
  ResultTable roads;
  roads.suffix = "_bereik_wegen";
  roads.processing = "ROADS";
  roads.geometry = GeometryKind::LineString;
  roads.style = "network_reach_roads";
  roads.meaning = {"The reached road parts, per base.", "De bereikte wegdelen, per basis."};
  roads.fields = {
      resultFieldOf("base_id", FieldType::Text, "key of the base", "kenmerk van de basis"),
      resultFieldOf("wvk_id", FieldType::Integer, "NWB wegvak", "NWB-wegvak"),
      resultFieldOf("van_m", FieldType::Real, "reached part starts (m along the wegvak)",
                    "begin van het bereikte deel (m langs het wegvak)"),
      resultFieldOf("tot_m", FieldType::Real, "reached part ends (m along the wegvak)",
                    "eind van het bereikte deel (m langs het wegvak)")};
  ResultTable area;
  area.suffix = "_bereik_gebied";
  area.processing = "AREA";
  area.geometry = GeometryKind::MultiPolygon;
  area.style = "network_reach_area";
  area.meaning = {"The area around the reached roads, per base.",
                  "Het gebied rond de bereikte wegen, per basis."};
  area.fields = {
      resultFieldOf("base_id", FieldType::Text, "key of the base", "kenmerk van de basis"),
      resultFieldOf("bereikt_m", FieldType::Real, "reached road length (m)",
                    "lengte bereikte weg (m)")};
  ResultTable sites;
  sites.suffix = "_bereik_locaties";
  sites.processing = "SITES_OUT";
  sites.geometry = GeometryKind::Point;
  sites.style = "network_reach_sites";
  sites.meaning = {"Every site with its nearest base (only with a sites layer).",
                   "Elke locatie met de dichtstbijzijnde basis (alleen met een locatielaag)."};
  sites.fields = {
      resultFieldOf("site_id", FieldType::Text, "key of the site", "kenmerk van de locatie"),
      resultFieldOf("base_id", FieldType::Text, "nearest base; NULL = none reaches it",
                    "dichtstbijzijnde basis; NULL = geen enkele bereikt haar"),
      resultFieldOf("time_s", FieldType::Real, "travel time from that base (s)",
                    "reistijd vanaf die basis (s)"),
      resultFieldOf("length_m", FieldType::Real, "length along the roads (m)",
                    "lengte over de weg (m)"),
      resultFieldOf("binnen_limiet", FieldType::Integer, "1 = within the limit",
                    "1 = binnen de grens")};
  a.results = {roads, area, sites};
  return a;
}

}  // namespace

const std::vector<Analysis<RouteRequest>>& routeAnalyses() {
  static const auto all = finishAll(std::vector<Analysis<RouteRequest>>{routeDescription()});
  return all;
}

const std::vector<Analysis<MatrixRequest>>& matrixAnalyses() {
  static const auto all = finishAll(std::vector<Analysis<MatrixRequest>>{matrixDescription()});
  return all;
}

const std::vector<Analysis<ReachRequest>>& reachAnalyses() {
  static const auto all = finishAll(std::vector<Analysis<ReachRequest>>{reachDescription()});
  return all;
}

}  // namespace veldwacht::layers::describe
