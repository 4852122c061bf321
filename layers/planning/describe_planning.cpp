// The description of patrol and schouw planning (command `plan`): texts in English and Dutch.
#include "layers/analyses/describe_common.h"
#include "layers/planning/areas_runner.h"
#include "layers/planning/plan_runner.h"

namespace veldwacht::layers::describe {

namespace {

using R = PlanRequest;

Analysis<R> planDescription() {
  Analysis<R> a;
  a.id = "plan";
  a.command = "plan";
  a.methods = {"plan"};
  a.group = "planning";
  a.groupName = {"Planning", "Planning"};
  a.title = {"Patrol and schouw plan", "Surveillance- en schouwplan"};
  a.help = {
      "Plans who of the partners visits which sites when, over a period: the largest total "
      "priority first, then the most visits, then the least travel on the road network. Each "
      "high-priority site is visited k times at varied moments; day and night windows follow "
      "sunrise and sunset at the site. Every site that is not visited is listed with the reason.",
      "Plant wie van de partners welke locaties wanneer bezoekt in een periode: eerst de hoogste "
      "totale prioriteit, dan de meeste bezoeken, dan de minste reistijd over het wegennet. Elke "
      "locatie met hoge prioriteit wordt k keer op wisselende momenten bezocht; dag- en "
      "nachtvensters volgen zonsopkomst en zonsondergang op de locatie. Elke locatie die niet "
      "bezocht wordt staat in de lijst met de reden."};
  Input sites;
  sites.cli = "sites";
  sites.processing = "SITES";
  sites.kind = InputKind::Points;
  sites.filter = true;
  sites.weightField = true;
  sites.defaultLayer = "vab";
  sites.label = {"Sites to visit (weight field = priority)",
                 "Te bezoeken locaties (gewichtveld = prioriteit)"};
  sites.help = {"Any point layer of the store; the weight field gives each site's priority.",
                "Elke puntlaag van de opslag; het gewichtveld geeft de prioriteit per locatie."};
  Input partners;
  partners.cli = "partners";
  partners.processing = "PARTNERS";
  partners.kind = InputKind::Points;
  partners.filter = true;
  partners.defaultLayer = "partners";
  partners.label = {"Partners", "Partners"};
  partners.help = {"The partners layer: bases, bevoegdheden, day and night availability.",
                   "De partnerlaag: thuisbasis, bevoegdheden, beschikbaarheid dag en nacht."};
  a.inputs = {sites, partners};
  a.makeDefaults = [] { return R{}; };
  a.selectMethod = [](R&, std::string_view) {};

  addOption(a, "priority", "PRIORITY", OptionKind::Real, field(&R::priority))
      .label("Priority without a field", "Prioriteit zonder veld")
      .help("Every site's priority when no priority (weight) field is given.",
            "Prioriteit van elke locatie als er geen prioriteitsveld (gewichtveld) is.")
      .atLeast(0)
      .atMost(1e9)
      .group("Sites");
  addOption(a, "dwell", "DWELL", OptionKind::Real, field(&R::dwellMinutes))
      .label("Dwell time", "Verblijftijd")
      .help("Minutes at each site (the Koper method: 10 to 15 minutes of presence).",
            "Minuten op elke locatie (de methode-Koper: 10 tot 15 minuten aanwezig).")
      .unit("min")
      .atLeast(0)
      .atMost(1440)
      .group("Sites");
  addOption(
      a, "window", "WINDOW", OptionKind::Choice,
      choiceField(&R::window,
                  std::vector<std::pair<std::string, SiteWindow>>{{"altijd", SiteWindow::Altijd},
                                                                  {"dag", SiteWindow::Dag},
                                                                  {"nacht", SiteWindow::Nacht}}),
      {"altijd", "dag", "nacht"})
      .label("When", "Wanneer")
      .help(
          "altijd; dag = between sunrise and sunset at the site; nacht = after civil dusk "
          "and before civil dawn.",
          "altijd; dag = tussen zonsopkomst en zonsondergang op de locatie; nacht = na de "
          "burgerlijke schemering en voor de ochtendschemering.")
      .group("Sites");
  addOption(a, "skill", "SKILL", OptionKind::Choice, field(&R::skill),
            {"signaleren", "schouwen", "handhaven", "adrescontrole", "opsporen"})
      .label("Bevoegdheid needed", "Benodigde bevoegdheid")
      .help("signaleren: anyone; the others only partners with that bevoegdheid.",
            "signaleren: iedereen; de andere alleen partners met die bevoegdheid.")
      .group("Sites");
  addOption(a, "mandatory", "MANDATORY", OptionKind::Boolean, field(&R::mandatory))
      .label("Mandatory", "Verplicht")
      .help("Plan these sites before any optional one, or report why they cannot be.",
            "Deze locaties gaan voor; lukt het niet, dan staat de reden erbij.")
      .group("Sites");
  using SF = PlanRequest::SiteFields;
  addOption(a, "skill-field", "SKILL_FIELD", OptionKind::Text, field(&R::siteFields, &SF::skill))
      .label("Field: bevoegdheid per site", "Veld: bevoegdheid per locatie")
      .help(
          "Read each site's bevoegdheid from this field when the layer has it (NULL or no "
          "field: the bevoegdheid above). The address-check list has vaardigheid = "
          "adrescontrole.",
          "Lees de bevoegdheid per locatie uit dit veld als de laag het heeft (NULL of geen "
          "veld: de bevoegdheid hierboven). De adreslijst heeft vaardigheid = adrescontrole.")
      .group("Sites")
      .advanced();
  addOption(a, "window-field", "WINDOW_FIELD", OptionKind::Text, field(&R::siteFields, &SF::window))
      .label("Field: when per site", "Veld: wanneer per locatie")
      .help(
          "dag, nacht, altijd, HH:MM-HH:MM (every day) or YYYY-MM-DDTHH:MM/YYYY-MM-DDTHH:MM, "
          "read per site when the layer has this field.",
          "dag, nacht, altijd, UU:MM-UU:MM (elke dag) of JJJJ-MM-DDTUU:MM/JJJJ-MM-DDTUU:MM, "
          "per locatie gelezen als de laag dit veld heeft.")
      .group("Sites")
      .advanced();
  addOption(a, "dwell-field", "DWELL_FIELD", OptionKind::Text, field(&R::siteFields, &SF::dwell))
      .label("Field: dwell per site", "Veld: verblijftijd per locatie")
      .help("Minutes at the site, read per site when the layer has this field.",
            "Minuten op de locatie, per locatie gelezen als de laag dit veld heeft.")
      .group("Sites")
      .advanced();
  addOption(a, "mandatory-field", "MANDATORY_FIELD", OptionKind::Text,
            field(&R::siteFields, &SF::mandatory))
      .label("Field: mandatory per site", "Veld: verplicht per locatie")
      .help("1/0, ja/nee or true/false, read per site when the layer has this field.",
            "1/0, ja/nee of true/false, per locatie gelezen als de laag dit veld heeft.")
      .group("Sites")
      .advanced();
  addOption(a, "werkgebied", "WERKGEBIED", OptionKind::Boolean, field(&R::werkgebied))
      .label("Keep partners to their werkgebied", "Partners binnen hun werkgebied houden")
      .help(
          "A site farther from a partner's base than its werkgebied_km (straight line) is "
          "not assigned to that partner; NULL or 0 = no limit.",
          "Een locatie verder van de thuisbasis dan werkgebied_km (hemelsbreed) gaat niet naar "
          "die partner; NULL of 0 = geen grens.")
      .group("Partners");
  addOption(a, "vervoer", "VERVOER", OptionKind::Text, field(&R::partnerModes))
      .label("Travel mode per partner", "Vervoer per partner")
      .help(
          "partner_id=mode pairs, e.g. P01=fiets,P02=landbouw (auto, landbouw, fiets, "
          "lopen); the others travel by the travel mode below. Each mode gets its own "
          "travel-time matrix on the road network.",
          "Paren partner_id=vervoer, bijv. P01=fiets,P02=landbouw (auto, landbouw, fiets, "
          "lopen); de andere reizen met de vervoerswijze hieronder. Elke vervoerswijze krijgt "
          "een eigen reistijdmatrix over het wegennet.")
      .group("Partners");
  addOption(a, "period", "PERIOD", OptionKind::Text, field(&R::period))
      .label("Period", "Periode")
      .help("First and last day, YYYY-MM-DD/YYYY-MM-DD (at most 62 days).",
            "Eerste en laatste dag, JJJJ-MM-DD/JJJJ-MM-DD (hoogstens 62 dagen).")
      .group("Shifts");
  addOption(a, "shifts-csv", "SHIFTS", OptionKind::Text, field(&R::shiftsCsv))
      .label("Shifts file (CSV)", "Bestand met diensten (CSV)")
      .help(
          "partner_id,datum,start,eind; empty = generate shifts from the partners' "
          "availability.",
          "partner_id,datum,start,eind; leeg = diensten maken uit de beschikbaarheid van de "
          "partners.")
      .group("Shifts");
  addOption(a, "day-shift-start", "DAY_SHIFT_START", OptionKind::Real, field(&R::dayShiftStart))
      .label("Day shift starts at", "Dagdienst begint om")
      .help("Hour a generated day shift starts; a night shift starts at civil dusk at the base.",
            "Uur waarop een gemaakte dagdienst begint; een nachtdienst begint bij het einde van "
            "de schemering op de thuisbasis.")
      .unit("h")
      .atLeast(0)
      .lessThan(24)
      .group("Shifts");
  addOption(a, "shift-hours", "SHIFT_HOURS", OptionKind::Real, field(&R::shiftHours))
      .label("Shift length", "Duur van een dienst")
      .help("Length of a generated shift.", "Duur van een gemaakte dienst.")
      .unit("h")
      .greaterThan(0)
      .atMost(24)
      .group("Shifts");
  addOption(a, "shifts-per-partner", "SHIFTS_PER_PARTNER", OptionKind::Integer,
            field(&R::shiftsPerPartner))
      .label("Shifts per partner (0 = all)", "Diensten per partner (0 = alle)")
      .help(
          "Generated shifts per partner in the period, alternating day and night on seeded "
          "random days; 0 = every day and night the partner is available.",
          "Gemaakte diensten per partner in de periode, afwisselend dag en nacht op "
          "willekeurige dagen (seed); 0 = elke dag en nacht dat de partner beschikbaar is.")
      .atLeast(0)
      .atMost(1000)
      .group("Shifts");
  addOption(a, "visits-per-site", "VISITS_PER_SITE", OptionKind::Integer,
            field(&R::visits, &geo::PeriodOptions::visits))
      .label("Visits per high-priority site", "Bezoeken per locatie met hoge prioriteit")
      .help(
          "k: each site with priority >= high-priority is visited k times in the period, once "
          "in each of k slots with jittered bounds.",
          "k: elke locatie met prioriteit >= high-priority wordt k keer bezocht, eenmaal in "
          "elk van k tijdvakken met verschoven grenzen.")
      .atLeast(1)
      .atMost(1000)
      .group("Period plan");
  addOption(a, "high-priority", "HIGH_PRIORITY", OptionKind::Real,
            field(&R::visits, &geo::PeriodOptions::highPriority))
      .label("High priority from", "Hoge prioriteit vanaf")
      .help("Sites with at least this priority get k visits; the others at most one.",
            "Locaties met minstens deze prioriteit krijgen k bezoeken; de andere hoogstens een.")
      .atLeast(-1e9)
      .atMost(1e9)
      .group("Period plan");
  addOption(a, "vary", "VARY", OptionKind::Real,
            field(&R::visits, &geo::PeriodOptions::varyFraction))
      .label("Share of a window kept", "Deel van een venster dat blijft")
      .help(
          "Each visit may start in a random part of this size of its window, so repeated "
          "visits do not fall at the same hour.",
          "Elk bezoek begint in een willekeurig deel van deze grootte van zijn venster, zodat "
          "herhaalde bezoeken niet op hetzelfde uur vallen.")
      .greaterThan(0)
      .atMost(1)
      .group("Period plan")
      .advanced();
  addOption(a, "seconds", "SECONDS", OptionKind::Real,
            field(&R::solver, &geo::PlanOptions::timeLimitSeconds))
      .label("Time limit", "Tijdslimiet")
      .help(
          "Search time; the best plan so far is kept. A repeatable plan needs the iteration "
          "budget to end the search first.",
          "Zoektijd; het beste plan tot dan blijft. Herhaalbaar is het plan als het aantal "
          "iteraties eerder op is.")
      .unit("s")
      .greaterThan(0)
      .atMost(86400)
      .group("Search");
  addOption(a, "iterations", "ITERATIONS", OptionKind::Integer,
            field(&R::solver, &geo::PlanOptions::iterations))
      .label("Iterations", "Iteraties")
      .help("Large-neighbourhood search iterations.", "Iteraties van de zoektocht.")
      .atLeast(1)
      .atMost(1e9)
      .group("Search")
      .advanced();
  addOption(a, "balance", "BALANCE", OptionKind::Boolean,
            field(&R::solver, &geo::PlanOptions::balanceWorkload))
      .label("Balance the workload between partners", "Werklast over partners verdelen")
      .help(
          "After the plan is found, visits move between partners while the busiest partner's "
          "workload (travel plus dwell) drops; the same sites and priority, possibly more "
          "travel.",
          "Na het plannen schuiven bezoeken tussen partners zolang de drukste partner minder "
          "werk (reistijd plus verblijf) krijgt; dezelfde locaties en prioriteit, soms meer "
          "reistijd.")
      .group("Search");
  addOption(a, "seed", "SEED", OptionKind::Integer, field(&R::seed))
      .label("Random seed", "Startwaarde toeval (seed)")
      .help("Seeds the shift days, the slots and the search: the same seed gives the same plan.",
            "Startwaarde voor de dienstdagen, de tijdvakken en de zoektocht: dezelfde seed geeft "
            "hetzelfde plan.")
      .atLeast(0)
      .atMost(9.007199254740992e15)
      .group("Search");
  addOption(a, "mode", "MODE", OptionKind::Choice,
            choiceField(&R::network, &NetworkCommon::mode,
                        std::vector<std::pair<std::string, geo::TravelMode>>{
                            {"auto", geo::TravelMode::Auto},
                            {"landbouw", geo::TravelMode::Landbouw},
                            {"fiets", geo::TravelMode::Fiets},
                            {"lopen", geo::TravelMode::Lopen}}),
            {"auto", "landbouw", "fiets", "lopen"})
      .label("Travel mode", "Vervoerswijze")
      .help("How the partners travel on the road network.",
            "Hoe de partners over het wegennet reizen.")
      .group("Network");
  addOption(a, "max-snap-distance", "MAX_SNAP_DISTANCE", OptionKind::Real,
            field(&R::network, &NetworkCommon::maxSnapDistance))
      .label("Farthest from a road", "Hoogstens van een weg")
      .help("Sites farther from a usable road are onbereikbaar; bases are refused.",
            "Locaties verder van een bruikbare weg zijn onbereikbaar; een thuisbasis wordt "
            "geweigerd.")
      .unit("m")
      .greaterThan(0)
      .atMost(1e5)
      .group("Network")
      .advanced();
  addThreads(a, field(&R::network, &NetworkCommon::threads));

  ResultTable routes;
  routes.suffix = "_routes";
  routes.processing = "ROUTES";
  routes.geometry = GeometryKind::LineString;
  routes.style = "plan_routes";
  routes.meaning = {"One line along the roads per partner and shift with visits.",
                    "Een lijn over de wegen per partner en dienst met bezoeken."};
  routes.fields = {
      resultFieldOf("partner_id", FieldType::Text, "partner", "partner"),
      resultFieldOf("dienst", FieldType::Text, "shift id", "kenmerk van de dienst"),
      resultFieldOf("datum", FieldType::Date, "date of the shift", "datum van de dienst"),
      resultFieldOf("start", FieldType::DateTime, "departure from the base (local time)",
                    "vertrek van de thuisbasis (lokale tijd)"),
      resultFieldOf("eind", FieldType::DateTime, "return at the base (local time)",
                    "terug op de thuisbasis (lokale tijd)"),
      resultFieldOf("n_bezoeken", FieldType::Integer, "visits", "aantal bezoeken"),
      resultFieldOf("reistijd_min", FieldType::Real, "travel time, minutes", "reistijd in minuten"),
      resultFieldOf("afstand_km", FieldType::Real, "distance, km", "afstand in km"),
      resultFieldOf("prioriteit_totaal", FieldType::Real, "priority of the visited sites",
                    "prioriteit van de bezochte locaties"),
      resultFieldOf("vervoer", FieldType::Text, "travel mode of the shift",
                    "vervoerswijze van de dienst")};
  ResultTable visits;
  visits.suffix = "_bezoeken";
  visits.processing = "VISITS";
  visits.geometry = GeometryKind::Point;
  visits.style = "plan_bezoeken";
  visits.meaning = {"One point per planned visit.", "Een punt per gepland bezoek."};
  visits.fields = {
      resultFieldOf("partner_id", FieldType::Text, "partner", "partner"),
      resultFieldOf("dienst", FieldType::Text, "shift id", "kenmerk van de dienst"),
      resultFieldOf("volgorde", FieldType::Integer, "position in the route (1 = first)",
                    "volgorde in de route (1 = eerste)"),
      resultFieldOf("site_laag", FieldType::Text, "layer of the site", "laag van de locatie"),
      resultFieldOf("site_id", FieldType::Text, "key of the site", "kenmerk van de locatie"),
      resultFieldOf("aankomst", FieldType::DateTime, "start of the visit (local time)",
                    "begin van het bezoek (lokale tijd)"),
      resultFieldOf("vertrek", FieldType::DateTime, "departure (local time)",
                    "vertrek (lokale tijd)"),
      resultFieldOf("verblijf_min", FieldType::Real, "dwell, minutes", "verblijf in minuten"),
      resultFieldOf("prioriteit", FieldType::Real, "priority of the site",
                    "prioriteit van de locatie"),
      resultFieldOf("vaardigheid", FieldType::Text, "bevoegdheid needed", "benodigde bevoegdheid"),
      resultFieldOf("dag_nacht", FieldType::Text, "dag or nacht at the site at that moment",
                    "dag of nacht op de locatie op dat moment")};
  ResultTable dropped;
  dropped.suffix = "_vervallen";
  dropped.processing = "DROPPED";
  dropped.geometry = GeometryKind::Point;
  dropped.style = "plan_vervallen";
  dropped.meaning = {"One point per visit that could not be planned, with the reason.",
                     "Een punt per bezoek dat niet gepland kon worden, met de reden."};
  dropped.fields = {
      resultFieldOf("site_laag", FieldType::Text, "layer of the site", "laag van de locatie"),
      resultFieldOf("site_id", FieldType::Text, "key of the site", "kenmerk van de locatie"),
      resultFieldOf("prioriteit", FieldType::Real, "priority", "prioriteit"),
      resultFieldOf("verplicht", FieldType::Boolean, "1 = mandatory", "1 = verplicht"),
      resultFieldOf("reden", FieldType::Text, "why it was not planned (Dutch)",
                    "waarom het niet gepland is")};
  a.results = {std::move(routes), std::move(visits), std::move(dropped)};
  return a;
}

Analysis<AreasRequest> areasDescription() {
  using A = AreasRequest;
  Analysis<A> a;
  a.id = "areas";
  a.command = "areas";
  a.methods = {"areas"};
  a.group = "planning";
  a.groupName = {"Planning", "Planning"};
  a.title = {"Balanced areas", "Evenwichtige gebieden"};
  a.help = {
      "Divides the region around the sites into one contiguous, compact area per partner with "
      "about equal workload (priority-weighted dwell plus travel), as ArcGIS's Build Balanced "
      "Zones: hexagonal cells, region growing and AZP local search. Reports balance, "
      "contiguity and compactness.",
      "Verdeelt het gebied rond de locaties in een aaneengesloten, compact gebied per partner "
      "met ongeveer gelijke werklast (verblijf maal prioriteit plus reistijd), zoals Build "
      "Balanced Zones van ArcGIS: zeshoekige cellen, groeiende gebieden en lokale verbetering "
      "(AZP). Meldt evenwicht, samenhang en compactheid."};
  Input sites;
  sites.cli = "sites";
  sites.processing = "SITES";
  sites.weightField = true;
  sites.defaultLayer = "vab";
  sites.label = {"Sites (weight field = priority)", "Locaties (gewichtveld = prioriteit)"};
  sites.help = {"Any point layer of the store.", "Elke puntlaag van de opslag."};
  Input partners;
  partners.cli = "partners";
  partners.processing = "PARTNERS";
  partners.defaultLayer = "partners";
  partners.label = {"Partners", "Partners"};
  partners.help = {"One area per selected partner.", "Een gebied per gekozen partner."};
  a.inputs = {sites, partners};
  a.makeDefaults = [] { return A{}; };
  a.selectMethod = [](A&, std::string_view) {};
  addOption(a, "priority", "PRIORITY", OptionKind::Real, field(&A::priority))
      .label("Priority without a field", "Prioriteit zonder veld")
      .help("Every site's priority when no priority (weight) field is given.",
            "Prioriteit van elke locatie als er geen prioriteitsveld is.")
      .atLeast(0)
      .atMost(1e9)
      .group("Workload");
  addOption(a, "dwell", "DWELL", OptionKind::Real, field(&A::dwellMinutes))
      .label("Dwell time", "Verblijftijd")
      .help("Minutes at each site.", "Minuten op elke locatie.")
      .unit("min")
      .atLeast(0)
      .atMost(1440)
      .group("Workload");
  addOption(a, "travel", "TRAVEL", OptionKind::Real, field(&A::travelMinutes))
      .label("Travel per visit", "Reistijd per bezoek")
      .help("Travel allowance per site visit.", "Reistijd die bij elk bezoek hoort.")
      .unit("min")
      .atLeast(0)
      .atMost(1440)
      .group("Workload");
  addOption(a, "areas", "AREAS", OptionKind::Integer, field(&A::areas))
      .label("Number of areas (0 = one per partner)", "Aantal gebieden (0 = een per partner)")
      .help("How many areas; 0 = one per selected partner.",
            "Hoeveel gebieden; 0 = een per gekozen partner.")
      .atLeast(0)
      .atMost(10000)
      .group("Areas");
  addOption(a, "cell-size", "CELL_SIZE", OptionKind::Real, field(&A::cellSize))
      .label("Cell size", "Celgrootte")
      .help("Hexagon width across flats; areas are made of these cells.",
            "Breedte van de zeshoeken; gebieden bestaan uit deze cellen.")
      .unit("m")
      .greaterThan(0)
      .atMost(geo::kMaxCellSize)
      .group("Areas");
  addOption(a, "tolerance", "TOLERANCE", OptionKind::Real,
            field(&A::options, &geo::AreaOptions::tolerance))
      .label("Allowed deviation", "Toegestane afwijking")
      .help("Largest relative deviation of an area's workload from the mean (0.1 = ±10 %).",
            "Grootste relatieve afwijking van de werklast van het gemiddelde (0,1 = ±10 %).")
      .atLeast(0)
      .atMost(1)
      .group("Areas");
  addOption(a, "restarts", "RESTARTS", OptionKind::Integer,
            field(&A::options, &geo::AreaOptions::restarts))
      .label("Restarts", "Herstarts")
      .help("Seeded restarts; the best division wins.", "Herstarts; de beste verdeling wint.")
      .atLeast(1)
      .atMost(1000)
      .group("Areas")
      .advanced();
  addOption(a, "seed", "SEED", OptionKind::Integer, field(&A::options, &geo::AreaOptions::seed))
      .label("Random seed", "Startwaarde toeval (seed)")
      .help("The same seed gives the same areas.", "Dezelfde seed geeft dezelfde gebieden.")
      .atLeast(0)
      .atMost(9.007199254740992e15)
      .group("Areas")
      .advanced();
  ResultTable t;
  t.suffix = "_gebieden";
  t.processing = "OUTPUT";
  t.geometry = GeometryKind::MultiPolygon;
  t.style = "areas_gebieden";
  t.meaning = {"One polygon per area.", "Een vlak per gebied."};
  t.fields = {
      resultFieldOf("gebied", FieldType::Integer, "area number", "nummer van het gebied"),
      resultFieldOf("partner_id", FieldType::Text, "partner whose base is nearest",
                    "partner met de dichtstbijzijnde thuisbasis"),
      resultFieldOf("werklast", FieldType::Real, "workload, priority-weighted minutes",
                    "werklast in minuten maal prioriteit"),
      resultFieldOf("afwijking_pct", FieldType::Real, "deviation from the mean workload, %",
                    "afwijking van de gemiddelde werklast in %"),
      resultFieldOf("cellen", FieldType::Integer, "cells", "aantal cellen"),
      resultFieldOf("aaneengesloten", FieldType::Boolean, "1 = contiguous", "1 = aaneengesloten"),
      resultFieldOf("spreiding_m", FieldType::Real, "RMS distance of its cells to its centre",
                    "gemiddelde afstand (RMS) van de cellen tot het midden")};
  a.results = {std::move(t)};
  return a;
}

std::vector<Analysis<R>> makeAll() {
  std::vector<Analysis<R>> all;
  all.push_back(planDescription());
  for (auto& a : all) finish(a);
  return all;
}

}  // namespace

const std::vector<Analysis<PlanRequest>>& planningAnalyses() {
  static const std::vector<Analysis<PlanRequest>> all = makeAll();
  return all;
}

const std::vector<Analysis<AreasRequest>>& areasAnalyses() {
  static const std::vector<Analysis<AreasRequest>> all = [] {
    std::vector<Analysis<AreasRequest>> v;
    v.push_back(areasDescription());
    for (auto& a : v) finish(a);
    return v;
  }();
  return all;
}

}  // namespace veldwacht::layers::describe
