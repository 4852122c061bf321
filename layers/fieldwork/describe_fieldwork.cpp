// The descriptions and runners of plan versus done and the schouw import (texts in English and
// Dutch).
#include "layers/fieldwork/describe_fieldwork.h"

#include <map>
#include <sstream>

#include "layers/analyses/describe_common.h"

namespace veldwacht::layers {

PlanVsDoneOptions PlanVsDoneRequest::options() const {
  PlanVsDoneOptions o;
  o.plan = plan;
  o.from = from;
  o.to = to;
  o.toleranceHours = toleranceHours;
  o.output = output;
  return o;
}

void PlanVsDoneRequest::validate() const { options().validate(); }

AnalysisResult buildPlanVsDone(Store& store, const PlanVsDoneRequest& request,
                               geo::Progress& progress) {
  request.validate();
  const PlanVsDoneOptions o = request.options();
  const PlanVsDone r = comparePlanWithDone(store, o, progress);
  AnalysisResult out;
  out.layers = planVsDoneLayers(r, o);
  std::stringstream text(formatPlanVsDone(r));
  for (std::string line; std::getline(text, line);)
    if (!line.empty()) out.report.lines.push_back(line);
  return out;
}

SchouwImportOptions SchouwImportRequest::options() const {
  SchouwImportOptions o;
  o.futureSlackMinutes = futureSlackMinutes;
  o.synthetic = synthetic;
  return o;
}

void SchouwImportRequest::validate() const {
  if (file.empty()) throw geo::OptionError("file", "the schouw CSV file is needed");
  options().validate();
}

RunReport runSchouwImport(Store& store, const SchouwImportRequest& request,
                          geo::Progress& progress) {
  request.validate();
  const std::vector<std::string> files{request.file};
  const SchouwImportReport r = importSchouw(store, files, request.options(), progress);
  RunReport rep;
  rep.layers.push_back("schouwresultaten");
  if (r.signalCount > 0) rep.layers.push_back("signalen");
  std::stringstream text(r.str());
  for (std::string line; std::getline(text, line);)
    if (!line.empty()) rep.lines.push_back(line);
  return rep;
}

namespace describe {

namespace {

const Family kFieldwork{"plan-vs-done", "planning", {"Planning", "Planning"}};

/// The tables buildPlanVsDone writes, read from the builder itself (an empty comparison), with
/// English meanings beside the builder's Dutch ones.
std::vector<ResultTable> planVsDoneTables() {
  static const std::map<std::string, std::string> english = {
      {"partner_id", "partner"},
      {"dienst", "shift of the plan (empty: unplanned)"},
      {"volgorde", "position in the route (0: unplanned)"},
      {"site_laag", "layer of the site"},
      {"site_id", "site"},
      {"aankomst", "planned arrival"},
      {"status", "gedaan (done), gemist (missed) or ongepland (unplanned)"},
      {"schouw_id", "schouw result that shows the visit"},
      {"tijdstip", "time of the schouw"},
      {"bevinding", "finding"},
      {"signaal_id", "signal made from the finding"},
      {"gepland", "planned visits"},
      {"gedaan", "planned visits done"},
      {"gemist", "planned visits without a schouw result"},
      {"ongepland", "schouw results outside the plan"},
      {"pct_gedaan", "done as a percentage of planned"},
      {"bevindingen", "schouw results with a finding"},
      {"signalen", "of which signals"}};
  PlanVsDoneOptions o;
  o.plan = "x";
  const auto layers = planVsDoneLayers(PlanVsDone{}, o);
  const std::string base = o.outputName();
  const std::vector<std::string> processing = {"VISITS", "PARTNERS", "SITES"};
  const std::vector<std::string> styles = {"plan_gedaan", "", ""};
  const std::vector<Text> meanings = {
      {"One point per planned visit (done or missed) and per unplanned visit.",
       "Een punt per gepland bezoek (gedaan of gemist) en per ongepland bezoek."},
      {"Counts per partner, and the total.", "Tellingen per partner, en het totaal."},
      {"Counts per site, and the total.", "Tellingen per plek, en het totaal."}};
  std::vector<ResultTable> out;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    ResultTable t;
    t.suffix = layers[i].name.substr(base.size());
    t.processing = processing[i];
    t.geometry = layers[i].geometry;
    t.style = styles[i];
    t.meaning = meanings[i];
    for (const FieldDef& f : layers[i].fields) {
      const auto it = english.find(f.name);
      t.fields.push_back(
          resultFieldOf(f.name, f.type, it == english.end() ? f.help : it->second, f.help));
    }
    out.push_back(std::move(t));
  }
  return out;
}

Analysis<PlanVsDoneRequest> planVsDoneDescription() {
  using R = PlanVsDoneRequest;
  auto a = analysisOf<R>(
      kFieldwork, "plan_vs_done", {"plan-vs-done"}, {"Plan versus done", "Plan tegen gedaan"},
      {"Which planned visits of a plan were made, as the schouw results in the store show (same "
       "partner and site, within the shift widened by a tolerance), which were missed, and the "
       "unplanned visits; per partner and per site.",
       "Welke geplande bezoeken van een plan gedaan zijn volgens de schouwresultaten in de "
       "opslag (zelfde partner en plek, binnen de dienst plus een speling), welke gemist zijn, "
       "en de ongeplande bezoeken; per partner en per plek."});
  addOption(a, "plan", "PLAN", OptionKind::Text, field(&R::plan))
      .label("Plan", "Plan")
      .help("The plan's name as given to plan (its tables <plan>_bezoeken and <plan>_routes).",
            "De naam van het plan zoals bij plan gegeven (tabellen <plan>_bezoeken en "
            "<plan>_routes).");
  addOption(a, "van", "FROM", OptionKind::Text, field(&R::from))
      .label("First day", "Eerste dag")
      .help("YYYY-MM-DD; empty = the plan's first day.",
            "JJJJ-MM-DD; leeg = eerste dag van het plan.");
  addOption(a, "tot", "TO", OptionKind::Text, field(&R::to))
      .label("Last day", "Laatste dag")
      .help("YYYY-MM-DD, inclusive; empty = the plan's last day.",
            "JJJJ-MM-DD, tot en met; leeg = laatste dag van het plan.");
  addOption(a, "tolerantie-uren", "TOLERANCE", OptionKind::Real, field(&R::toleranceHours))
      .label("Tolerance", "Speling")
      .help("Hours a schouw may fall before or after the shift (or planned day).",
            "Uren dat een schouw voor of na de dienst (of geplande dag) mag vallen.")
      .unit("h")
      .atLeast(0)
      .atMost(48);
  a.results = planVsDoneTables();
  return a;
}

Analysis<SchouwImportRequest> schouwImportDescription() {
  using R = SchouwImportRequest;
  const Family family{"schouw", "planning", {"Planning", "Planning"}};
  auto a = analysisOf<R>(
      family, "schouw_import", {"schouw"}, {"Import schouw results", "Schouwresultaten inlezen"},
      {"Imports a schouw result file (CSV from a form or phone app: site, partner, time, "
       "bevinding, optional categorie, signaal, foto) into the store in one transaction; "
       "findings with a categorie become signals with the partner as source. Every bad row is "
       "named and nothing is written then.",
       "Leest een bestand met schouwresultaten (CSV van een formulier of telefoon-app: plek, "
       "partner, tijdstip, bevinding, eventueel categorie, signaal, foto) in één keer in de "
       "opslag; bevindingen met een categorie worden signalen met de partner als bron. Elke "
       "foute rij wordt genoemd en dan wordt niets geschreven."});
  addOption(a, "file", "FILE", OptionKind::Text, field(&R::file))
      .label("Schouw results (CSV)", "Schouwresultaten (CSV)")
      .help("Template: sample-data/fixtures/schouw_voorbeeld.csv.",
            "Voorbeeld: sample-data/fixtures/schouw_voorbeeld.csv.");
  addOption(a, "speling-min", "FUTURE_SLACK", OptionKind::Integer, field(&R::futureSlackMinutes))
      .label("Accepted clock drift", "Toegestane klokafwijking")
      .help("Times up to this many minutes in the future are accepted (phone clocks).",
            "Tijden tot zoveel minuten in de toekomst worden aanvaard (klokken van telefoons).")
      .unit("min")
      .atLeast(0)
      .atMost(1440);
  addOption(a, "synthetic", "SYNTHETIC", OptionKind::Boolean, field(&R::synthetic))
      .label("Synthetic test data", "Synthetische testgegevens")
      .help("Mark the imported rows synthetisch = 1.", "Markeer de rijen als synthetisch = 1.")
      .advanced();
  return a;
}

}  // namespace

const std::vector<Analysis<PlanVsDoneRequest>>& planVsDoneAnalyses() {
  static const std::vector<Analysis<PlanVsDoneRequest>> all =
      finishAll(std::vector<Analysis<PlanVsDoneRequest>>{planVsDoneDescription()});
  return all;
}

const std::vector<Analysis<SchouwImportRequest>>& schouwImportAnalyses() {
  static const std::vector<Analysis<SchouwImportRequest>> all =
      finishAll(std::vector<Analysis<SchouwImportRequest>>{schouwImportDescription()});
  return all;
}

}  // namespace describe

}  // namespace veldwacht::layers
