#include "layers/fieldwork/plan_vs_done.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/core.h>

#include "geo/core/error.h"
#include "layers/fieldwork/sites.h"
#include "layers/importers/values.h"
#include "layers/schema/validate.h"

namespace veldwacht::layers {

namespace {

std::string textOf(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  return {};
}

/// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + std::int64_t(doe) - 719468;
}

/// Field index by name in a result layer, or throws naming the table and field.
int need(const ResultLayer& layer, const char* field) {
  for (std::size_t i = 0; i < layer.fields.size(); ++i)
    if (layer.fields[i].name == field) return int(i);
  throw geo::InputError({layer.name, std::nullopt, field},
                        "the plan table has no field '" + std::string(field) + "'");
}

bool hasTable(Store& store, const std::string& name) {
  return store.dataset().GetLayerByName(name.c_str()) != nullptr;
}

struct Window {
  double begin = 0, end = 0;
};

/// The shift window of a route: start/eind are full date-times or times of day on `datum`.
std::optional<Window> shiftWindow(const std::string& datum, const std::string& start,
                                  const std::string& eind) {
  auto at = [&](const std::string& t) -> std::optional<double> {
    if (t.size() >= 16) return isoMinutes(t);
    if (t.empty()) return std::nullopt;
    return isoMinutes(datum + "T" + t);
  };
  const auto b = at(start), e = at(eind);
  if (!b || !e) return std::nullopt;
  Window w{*b, *e};
  if (w.end <= w.begin) w.end += 24 * 60;  // a night shift ends the next day
  return w;
}

struct SchouwRow {
  std::string id, partner, laag, site, tijdstip, bevinding, signaal;
  double minutes = 0;
  bool used = false;
};

void count(Tally& t, const VisitOutcome& v) {
  if (v.status == "ongepland") {
    ++t.ongepland;
  } else {
    ++t.gepland;
    ++(v.status == "gedaan" ? t.gedaan : t.gemist);
  }
  if (!v.schouwId.empty() && !v.bevinding.empty()) ++t.bevindingen;
  if (!v.signaalId.empty()) ++t.signalen;
}

FieldDef fd(const char* name, FieldType type, const char* help) {
  FieldDef f;
  f.name = name;
  f.type = type;
  f.help = help;
  return f;
}

std::string pct(double p) { return fmt::format("{:.1f}", p); }

}  // namespace

std::optional<double> isoMinutes(const std::string& iso) {
  std::string t = iso;
  if (t.size() == 10) t += "T00:00:00";
  if (t.size() == 16) t += ":00";
  if (t.size() >= 19 && t[10] == ' ') t[10] = 'T';
  if (t.size() > 19) t = t.substr(0, 19);  // fractions or a zone are not planning's contract
  if (!isIsoDateTime(t)) return std::nullopt;
  const int y = std::stoi(t.substr(0, 4)), m = std::stoi(t.substr(5, 2)),
            d = std::stoi(t.substr(8, 2)), hh = std::stoi(t.substr(11, 2)),
            mm = std::stoi(t.substr(14, 2)), ss = std::stoi(t.substr(17, 2));
  return double(daysFromCivil(y, unsigned(m), unsigned(d))) * 1440.0 + hh * 60 + mm + ss / 60.0;
}

std::vector<int> matchWindows(const std::vector<std::pair<double, double>>& windows,
                              const std::vector<double>& times) {
  std::vector<std::size_t> order(windows.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return windows[a].second < windows[b].second;
  });
  std::vector<std::size_t> byTime(times.size());
  for (std::size_t i = 0; i < byTime.size(); ++i) byTime[i] = i;
  std::stable_sort(byTime.begin(), byTime.end(),
                   [&](std::size_t a, std::size_t b) { return times[a] < times[b]; });
  std::vector<bool> used(times.size(), false);
  std::vector<int> match(windows.size(), -1);
  for (std::size_t w : order) {
    for (std::size_t k : byTime) {
      if (used[k] || times[k] < windows[w].first) continue;
      if (times[k] > windows[w].second) break;
      used[k] = true;
      match[w] = int(k);
      break;
    }
  }
  return match;
}

void PlanVsDoneOptions::validate() const {
  if (plan.empty()) throw geo::OptionError("plan", "the name of a plan is needed");
  for (char c : plan)
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      throw geo::OptionError("plan",
                             "'" + plan + "' is not a plan name (lower-case letters, digits, _)");
  if (!from.empty() && !isIsoDate(from))
    throw geo::OptionError("van", "expected YYYY-MM-DD, got '" + from + "'");
  if (!to.empty() && !isIsoDate(to))
    throw geo::OptionError("tot", "expected YYYY-MM-DD, got '" + to + "'");
  if (!from.empty() && !to.empty() && to < from)
    throw geo::OptionError("tot", "the period ends (" + to + ") before it starts (" + from + ")");
  if (!(toleranceHours >= 0 && toleranceHours <= 48))
    throw geo::OptionError("tolerantie-uren", "expected 0..48 hours");
  if (outputName().size() + 9 > 63) throw geo::OptionError("output", "the result name is too long");
}

PlanVsDone comparePlanWithDone(Store& store, const PlanVsDoneOptions& options,
                               geo::Progress& progress) {
  options.validate();
  const std::string visitsName = options.plan + "_bezoeken";
  if (!hasTable(store, visitsName))
    throw geo::InputError({store.path(), std::nullopt, ""},
                          "no plan '" + options.plan + "': the store has no table " + visitsName);
  progress.setPhase("reading the plan");
  const ResultLayer plan = readResultLayer(store, visitsName);
  const int fPartner = need(plan, "partner_id"), fDienst = need(plan, "dienst"),
            fVolgorde = need(plan, "volgorde"), fLaag = need(plan, "site_laag"),
            fSite = need(plan, "site_id"), fAankomst = need(plan, "aankomst");

  // Shift windows from the routes, when there are any.
  std::map<std::pair<std::string, std::string>, Window> shifts;
  PlanVsDone out;
  out.plan = options.plan;
  const std::string routesName = options.plan + "_routes";
  if (hasTable(store, routesName)) {
    const ResultLayer routes = readResultLayer(store, routesName);
    const int rp = need(routes, "partner_id"), rd = need(routes, "dienst"),
              rdat = need(routes, "datum"), rs = need(routes, "start"), re = need(routes, "eind");
    for (const Record& r : routes.records) {
      const auto w =
          shiftWindow(textOf(r.values[std::size_t(rdat)]), textOf(r.values[std::size_t(rs)]),
                      textOf(r.values[std::size_t(re)]));
      if (!w)
        throw geo::InputError({routesName, r.sourceRow, "start"},
                              "the shift's start or end cannot be read as a time");
      shifts[{textOf(r.values[std::size_t(rp)]), textOf(r.values[std::size_t(rd)])}] = *w;
    }
    out.shiftsFromRoutes = !shifts.empty();
  }

  // Planned visits and their windows.
  struct Planned {
    VisitOutcome v;
    Window window;
    double arrival = 0;
    bool inPeriod = true;
  };
  std::vector<Planned> planned;
  std::string first, last;
  const double tol = options.toleranceHours * 60.0;
  for (const Record& r : plan.records) {
    Planned p;
    p.v.partnerId = textOf(r.values[std::size_t(fPartner)]);
    p.v.dienst = textOf(r.values[std::size_t(fDienst)]);
    if (const auto* n = std::get_if<std::int64_t>(&r.values[std::size_t(fVolgorde)]))
      p.v.volgorde = *n;
    p.v.siteLaag = toLowerAscii(textOf(r.values[std::size_t(fLaag)]));
    p.v.siteId = textOf(r.values[std::size_t(fSite)]);
    p.v.aankomst = textOf(r.values[std::size_t(fAankomst)]);
    const auto arrival = isoMinutes(p.v.aankomst);
    if (!arrival)
      throw geo::InputError({visitsName, r.sourceRow, "aankomst"},
                            "'" + p.v.aankomst + "' is not a date-time");
    p.arrival = *arrival;
    const std::string day = p.v.aankomst.substr(0, 10);
    // Visits outside the period are matched too (so that their results are not counted as
    // unplanned), but not reported.
    p.inPeriod =
        (options.from.empty() || day >= options.from) && (options.to.empty() || day <= options.to);
    if (p.inPeriod && (first.empty() || day < first)) first = day;
    if (p.inPeriod && (last.empty() || day > last)) last = day;
    if (auto it = shifts.find({p.v.partnerId, p.v.dienst}); it != shifts.end()) {
      p.window = it->second;
    } else {
      p.window.begin = *isoMinutes(day);
      p.window.end = p.window.begin + 24 * 60;
    }
    p.window.begin -= tol;
    p.window.end += tol;
    if (r.geometry && !r.geometry->IsEmpty() &&
        wkbFlatten(r.geometry->getGeometryType()) == wkbPoint) {
      p.v.x = r.geometry->toPoint()->getX();
      p.v.y = r.geometry->toPoint()->getY();
    }
    planned.push_back(std::move(p));
  }
  out.from = options.from.empty() ? first : options.from;
  out.to = options.to.empty() ? last : options.to;

  // Schouw results.
  progress.setPhase("reading the schouw results");
  std::vector<SchouwRow> done;
  const LayerDef& sdef = layerDef("schouwresultaten");
  auto col = [&](const Record& r, const char* f) {
    return textOf(r.values[std::size_t(sdef.fieldIndex(f))]);
  };
  for (const Record& r : store.read("schouwresultaten")) {
    SchouwRow s;
    s.id = col(r, "schouw_id");
    s.partner = col(r, "partner_id");
    s.laag = toLowerAscii(col(r, "site_laag"));
    s.site = col(r, "site_id");
    s.tijdstip = col(r, "tijdstip");
    s.bevinding = col(r, "bevinding");
    s.signaal = col(r, "signaal_id");
    const auto m = isoMinutes(s.tijdstip);
    if (!m) continue;  // the store's triggers keep tijdstip an ISO date-time
    s.minutes = *m;
    done.push_back(std::move(s));
  }
  progress.checkCancelled();

  // Match per partner and site.
  using Key = std::tuple<std::string, std::string, std::string>;
  std::map<Key, std::vector<std::size_t>> plannedBy, doneBy;
  for (std::size_t i = 0; i < planned.size(); ++i)
    plannedBy[{planned[i].v.partnerId, planned[i].v.siteLaag, planned[i].v.siteId}].push_back(i);
  for (std::size_t i = 0; i < done.size(); ++i)
    doneBy[{done[i].partner, done[i].laag, done[i].site}].push_back(i);
  for (auto& [key, ps] : plannedBy) {
    for (std::size_t i : ps) planned[i].v.status = "gemist";
    auto it = doneBy.find(key);
    if (it == doneBy.end()) continue;
    std::vector<std::pair<double, double>> windows;
    for (std::size_t i : ps) windows.emplace_back(planned[i].window.begin, planned[i].window.end);
    std::vector<double> times;
    for (std::size_t k : it->second) times.push_back(done[k].minutes);
    const auto match = matchWindows(windows, times);
    for (std::size_t w = 0; w < ps.size(); ++w) {
      if (match[w] < 0) continue;
      SchouwRow& s = done[it->second[std::size_t(match[w])]];
      s.used = true;
      VisitOutcome& v = planned[ps[w]].v;
      v.status = "gedaan";
      v.schouwId = s.id;
      v.tijdstip = s.tijdstip;
      v.bevinding = s.bevinding;
      v.signaalId = s.signaal;
    }
  }
  for (auto& p : planned)
    if (p.inPeriod) out.visits.push_back(std::move(p.v));

  // Unplanned: unused results inside the period.
  std::vector<const SchouwRow*> extra;
  for (const SchouwRow& s : done) {
    if (s.used) continue;
    const std::string day = s.tijdstip.substr(0, 10);
    if ((!out.from.empty() && day < out.from) || (!out.to.empty() && day > out.to)) continue;
    extra.push_back(&s);
  }
  std::sort(extra.begin(), extra.end(), [](const SchouwRow* a, const SchouwRow* b) {
    return std::tie(a->tijdstip, a->id) < std::tie(b->tijdstip, b->id);
  });
  if (!extra.empty()) {
    const SiteIndex sites(store);
    for (const SchouwRow* s : extra) {
      VisitOutcome v;
      v.partnerId = s->partner;
      v.siteLaag = s->laag;
      v.siteId = s->site;
      v.status = "ongepland";
      v.schouwId = s->id;
      v.tijdstip = s->tijdstip;
      v.bevinding = s->bevinding;
      v.signaalId = s->signaal;
      if (const SiteInfo* site = sites.find(s->laag, s->site)) {
        v.x = site->x;
        v.y = site->y;
      }
      out.visits.push_back(std::move(v));
    }
  }

  // Tallies.
  std::map<std::string, Tally> byPartner;
  std::map<std::pair<std::string, std::string>, Tally> bySite;
  for (const VisitOutcome& v : out.visits) {
    Tally& p = byPartner[v.partnerId];
    p.partnerId = v.partnerId;
    count(p, v);
    Tally& s = bySite[{v.siteLaag, v.siteId}];
    s.siteLaag = v.siteLaag;
    s.siteId = v.siteId;
    count(s, v);
    count(out.total, v);
  }
  for (auto& [k, t] : byPartner) out.perPartner.push_back(t);
  for (auto& [k, t] : bySite) out.perSite.push_back(t);
  out.total.partnerId = "totaal";
  progress.setFraction(1.0);
  return out;
}

std::vector<ResultLayer> planVsDoneLayers(const PlanVsDone& r, const PlanVsDoneOptions& options) {
  using T = FieldType;
  const std::string base = options.outputName();
  ResultMetadata meta;
  meta.algorithm = "plan_vs_gedaan";
  meta.parametersJson =
      fmt::format(R"({{"plan": "{}", "van": "{}", "tot": "{}", "tolerantie_uren": {}}})", r.plan,
                  r.from, r.to, options.toleranceHours);
  meta.inputLayer = r.plan + "_bezoeken, schouwresultaten";
  meta.inputRows = std::int64_t(r.visits.size());

  ResultLayer visits;
  visits.name = base + "_bezoeken";
  visits.title = "Plan tegen gedaan: bezoeken (" + r.plan + ")";
  visits.geometry = GeometryKind::Point;
  visits.fields = {fd("partner_id", T::Text, "Partner"),
                   fd("dienst", T::Text, "Dienst uit het plan (leeg: ongepland)"),
                   fd("volgorde", T::Integer, "Volgorde in de route (0: ongepland)"),
                   fd("site_laag", T::Text, "Laag van de plek"),
                   fd("site_id", T::Text, "Plek"),
                   fd("aankomst", T::Text, "Geplande aankomst"),
                   fd("status", T::Text, "gedaan, gemist of ongepland"),
                   fd("schouw_id", T::Text, "Schouwresultaat dat het bezoek aantoont"),
                   fd("tijdstip", T::Text, "Moment van de schouw"),
                   fd("bevinding", T::Text, "Bevinding"),
                   fd("signaal_id", T::Text, "Signaal uit de bevinding")};
  visits.fields[6].allowed = {"gedaan", "gemist", "ongepland"};
  visits.metadata = meta;
  auto opt = [](const std::string& s) -> Value {
    if (s.empty()) return std::monostate{};
    return s;
  };
  for (const VisitOutcome& v : r.visits) {
    Record rec;
    rec.values = {v.partnerId,     opt(v.dienst),    v.volgorde,      v.siteLaag,
                  v.siteId,        opt(v.aankomst),  v.status,        opt(v.schouwId),
                  opt(v.tijdstip), opt(v.bevinding), opt(v.signaalId)};
    rec.geometry.reset(new OGRPoint(v.x, v.y));
    visits.records.push_back(std::move(rec));
  }

  auto tallyFields = [&](std::vector<FieldDef> keys) {
    keys.push_back(fd("gepland", T::Integer, "Geplande bezoeken"));
    keys.push_back(fd("gedaan", T::Integer, "Geplande bezoeken die gedaan zijn"));
    keys.push_back(fd("gemist", T::Integer, "Geplande bezoeken zonder schouwresultaat"));
    keys.push_back(fd("ongepland", T::Integer, "Schouwresultaten buiten het plan"));
    keys.push_back(fd("pct_gedaan", T::Real, "Gedaan als percentage van gepland"));
    keys.push_back(fd("bevindingen", T::Integer, "Schouwresultaten met een bevinding"));
    keys.push_back(fd("signalen", T::Integer, "Daarvan signalen"));
    return keys;
  };
  auto tallyValues = [](std::vector<Value> keys, const Tally& t) {
    for (Value v :
         {Value(t.gepland), Value(t.gedaan), Value(t.gemist), Value(t.ongepland),
          Value(std::round(t.percentDone() * 10) / 10), Value(t.bevindingen), Value(t.signalen)})
      keys.push_back(v);
    return keys;
  };
  ResultLayer partners;
  partners.name = base + "_partners";
  partners.title = "Plan tegen gedaan: per partner (" + r.plan + ")";
  partners.geometry = GeometryKind::None;
  partners.fields = tallyFields({fd("partner_id", T::Text, "Partner (totaal: alle partners)")});
  partners.metadata = meta;
  for (const Tally& t : r.perPartner)
    partners.records.push_back({tallyValues({t.partnerId}, t), nullptr, 0});
  partners.records.push_back({tallyValues({std::string("totaal")}, r.total), nullptr, 0});

  ResultLayer sitesLayer;
  sitesLayer.name = base + "_plekken";
  sitesLayer.title = "Plan tegen gedaan: per plek (" + r.plan + ")";
  sitesLayer.geometry = GeometryKind::None;
  sitesLayer.fields = tallyFields({fd("site_laag", T::Text, "Laag van de plek (totaal: alle)"),
                                   fd("site_id", T::Text, "Plek")});
  sitesLayer.metadata = meta;
  for (const Tally& t : r.perSite)
    sitesLayer.records.push_back({tallyValues({t.siteLaag, t.siteId}, t), nullptr, 0});
  sitesLayer.records.push_back(
      {tallyValues({std::string("totaal"), std::string("")}, r.total), nullptr, 0});

  std::vector<ResultLayer> out;
  out.push_back(std::move(visits));
  out.push_back(std::move(partners));
  out.push_back(std::move(sitesLayer));
  return out;
}

std::string formatPlanVsDone(const PlanVsDone& r) {
  std::string s = fmt::format("Plan {} tegen gedaan, {} t/m {}{}\n", r.plan, r.from, r.to,
                              r.shiftsFromRoutes ? "" : " (geen routes: per geplande dag)");
  auto line = [](const std::string& name, const Tally& t) {
    return fmt::format("  {:<28} {:>7} {:>6} {:>6} {:>9} {:>7} {:>11} {:>8}\n", name, t.gepland,
                       t.gedaan, t.gemist, t.ongepland, pct(t.percentDone()) + "%", t.bevindingen,
                       t.signalen);
  };
  const std::string head =
      fmt::format("  {:<28} {:>7} {:>6} {:>6} {:>9} {:>7} {:>11} {:>8}\n", "", "gepland", "gedaan",
                  "gemist", "ongepland", "gedaan", "bevindingen", "signalen");
  s += "Per partner\n" + head;
  for (const Tally& t : r.perPartner) s += line(t.partnerId, t);
  s += line("totaal", r.total);
  s += "Per plek\n" + head;
  for (const Tally& t : r.perSite) s += line(t.siteLaag + " " + t.siteId, t);
  std::string missed;
  for (const VisitOutcome& v : r.visits)
    if (v.status == "gemist")
      missed += fmt::format("  {} {} #{} {} {} (gepland {})\n", v.partnerId, v.dienst, v.volgorde,
                            v.siteLaag, v.siteId, v.aankomst);
  if (!missed.empty()) s += "Gemist\n" + missed;
  return s;
}

std::string planVsDoneCsv(const PlanVsDone& r) {
  auto dec = [](double v) {
    std::string t = fmt::format("{:.1f}", v);
    std::replace(t.begin(), t.end(), '.', ',');
    return t;
  };
  auto quote = [](const std::string& v) {
    if (v.find_first_of(";\"\n") == std::string::npos) return v;
    std::string q = "\"";
    for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  std::string s =
      "niveau;partner_id;site_laag;site_id;gepland;gedaan;gemist;ongepland;pct_gedaan;"
      "bevindingen;signalen\n";
  auto row = [&](const char* niveau, const Tally& t) {
    s += fmt::format("{};{};{};{};{};{};{};{};{};{};{}\n", niveau, quote(t.partnerId),
                     quote(t.siteLaag), quote(t.siteId), t.gepland, t.gedaan, t.gemist, t.ongepland,
                     dec(t.percentDone()), t.bevindingen, t.signalen);
  };
  for (const Tally& t : r.perPartner) row("partner", t);
  for (const Tally& t : r.perSite) row("plek", t);
  Tally total = r.total;
  total.partnerId.clear();
  row("totaal", total);
  return s;
}

}  // namespace veldwacht::layers
