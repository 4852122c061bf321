#include "layers/planning/plan_runner.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>

#include <fmt/core.h>
#include <ogr_geometry.h>
#include <nlohmann/json.hpp>

#include "geo/core/error.h"
#include "geo/planning/sun.h"
#include "layers/filter/filter.h"
#include "layers/results/results.h"
#include "layers/schema/schema.h"

namespace veldwacht::layers {

namespace {

constexpr double kDay = 1440.0;

/// The bevoegdheden of the partners layer, in bit order; signaleren needs no bit.
const std::vector<std::string>& skillNames() {
  static const std::vector<std::string> names = {"signaleren", "schouwen", "handhaven",
                                                 "adrescontrole", "opsporen"};
  return names;
}

geo::SkillMask skillBit(const std::string& name) {
  const auto& n = skillNames();
  const auto it = std::find(n.begin(), n.end(), name);
  if (it == n.end()) return 0;
  const std::size_t i = std::size_t(it - n.begin());
  return i == 0 ? 0 : geo::SkillMask{1} << i;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

std::string textOf(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  return {};
}

bool truthy(const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i != 0;
  if (const auto* d = std::get_if<double>(&v)) return *d != 0.0;
  if (const auto* s = std::get_if<std::string>(&v)) return *s == "1" || *s == "true";
  return false;
}

struct Period {
  geo::CivilDate first;
  int days = 0;
};

Period parsePeriod(const std::string& text) {
  const auto slash = text.find('/');
  auto bad = [&](const std::string& why) {
    return geo::OptionError("period",
                            "expected YYYY-MM-DD/YYYY-MM-DD, " + why + ", got '" + text + "'");
  };
  if (slash == std::string::npos) throw bad("with a slash between the first and last day");
  const auto a = parseIsoTime(text.substr(0, slash));
  const auto b = parseIsoTime(text.substr(slash + 1));
  if (!a || !b || text.substr(0, slash).size() != 10 || text.size() - slash - 1 != 10)
    throw bad("two calendar dates");
  if (*b < *a) throw bad("the last day before the first");
  Period p;
  const std::int64_t dayA = *a / 86400;
  p.first = geo::civilFromDays(dayA);
  p.days = int(*b / 86400 - dayA) + 1;
  if (p.days > 62) throw bad("at most 62 days");
  return p;
}

/// "HH:MM" → minutes, or nullopt.
std::optional<double> clockMinutes(const std::string& s) {
  if (s.size() != 5 || s[2] != ':' || !std::isdigit(static_cast<unsigned char>(s[0])) ||
      !std::isdigit(static_cast<unsigned char>(s[1])) ||
      !std::isdigit(static_cast<unsigned char>(s[3])) ||
      !std::isdigit(static_cast<unsigned char>(s[4])))
    return std::nullopt;
  const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60.0 + m;
}

std::vector<std::string> splitCsvLine(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if ((c == ',' || c == ';') && !quoted) {
      out.push_back(trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(trim(cur));
  return out;
}

std::string isoAt(geo::TimeSeconds periodStart, double minutes) {
  return formatIsoDateTime(periodStart + geo::TimeSeconds(std::llround(minutes * 60.0)));
}

/// The index of `mode` in in.modes (added when new).
std::size_t modeIndex(PlanInput& in, geo::TravelMode mode) {
  const auto it = std::find(in.modes.begin(), in.modes.end(), mode);
  if (it != in.modes.end()) return std::size_t(it - in.modes.begin());
  in.modes.push_back(mode);
  return in.modes.size() - 1;
}

/// "P01=fiets,P02=landbouw" → in.partnerMode.
void applyPartnerModes(const std::string& text, PlanInput& in) {
  std::string list = text;
  std::replace(list.begin(), list.end(), ';', ',');
  std::stringstream ss(list);
  for (std::string item; std::getline(ss, item, ',');) {
    item = trim(item);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string::npos)
      throw geo::OptionError(
          "vervoer", "expected partner_id=mode pairs such as P01=fiets, got '" + item + "'");
    const std::string id = trim(item.substr(0, eq)), mode = trim(item.substr(eq + 1));
    const auto it = std::find(in.partnerIds.begin(), in.partnerIds.end(), id);
    if (it == in.partnerIds.end())
      throw geo::OptionError("vervoer", "'" + id + "' is not a partner of the selection");
    geo::TravelMode m;
    try {
      m = geo::parseTravelMode(mode);
    } catch (const geo::OptionError&) {
      throw geo::OptionError(
          "vervoer",
          "partner '" + id + "': expected auto, landbouw, fiets or lopen, got '" + mode + "'");
    }
    in.partnerMode[std::size_t(it - in.partnerIds.begin())] = modeIndex(in, m);
  }
}

/// Shifts from a CSV partner_id,datum,start,eind[,vervoer] (start HH:MM; eind HH:MM on the same
/// day or YYYY-MM-DDTHH:MM for a shift past midnight; vervoer auto/landbouw/fiets/lopen, empty =
/// the partner's mode).
std::vector<PlanShift> readShiftsCsv(const std::string& path, PlanInput& in) {
  std::ifstream f(path);
  if (!f) throw geo::InputError({path, std::nullopt, {}}, "cannot read the shifts file");
  std::map<std::string, std::size_t> partnerIndex;
  for (std::size_t i = 0; i < in.partnerIds.size(); ++i) partnerIndex[in.partnerIds[i]] = i;
  std::string line;
  std::getline(f, line);
  if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line = line.substr(3);
  const auto header = splitCsvLine(line);
  auto col = [&](const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end())
      throw geo::InputError({path, 1, name},
                            "missing column; expected the header partner_id,datum,start,eind");
    return std::size_t(it - header.begin());
  };
  const std::size_t cP = col("partner_id"), cD = col("datum"), cS = col("start"), cE = col("eind");
  const auto vit = std::find(header.begin(), header.end(), "vervoer");
  const std::size_t cV = vit == header.end() ? header.size() : std::size_t(vit - header.begin());
  std::vector<PlanShift> shifts;
  std::int64_t row = 1;
  const double periodEnd = in.days * kDay;
  while (std::getline(f, line)) {
    ++row;
    if (trim(line).empty()) continue;
    const auto cells = splitCsvLine(line);
    auto cell = [&](std::size_t c, const char* name) -> std::string {
      if (c >= cells.size() || cells[c].empty())
        throw geo::InputError({path, row, name}, "empty; every shift needs a value here");
      return cells[c];
    };
    const std::string pid = cell(cP, "partner_id");
    const auto pit = partnerIndex.find(pid);
    if (pit == partnerIndex.end())
      throw geo::InputError({path, row, "partner_id"},
                            "'" + pid + "' is not a partner of the selection");
    const std::string date = cell(cD, "datum");
    const auto day = parseIsoTime(date);
    if (!day || date.size() != 10)
      throw geo::InputError({path, row, "datum"}, "expected a date YYYY-MM-DD, got '" + date + "'");
    const double dayMin = double(*day - in.periodStart) / 60.0;
    const auto start = clockMinutes(cell(cS, "start"));
    if (!start) throw geo::InputError({path, row, "start"}, "expected a time HH:MM");
    const std::string endText = cell(cE, "eind");
    double end = 0.0;
    if (const auto e = clockMinutes(endText)) {
      end = dayMin + *e;
    } else if (const auto t = parseIsoTime(endText); t && endText.size() >= 16) {
      end = double(*t - in.periodStart) / 60.0;
    } else {
      throw geo::InputError({path, row, "eind"},
                            "expected a time HH:MM or YYYY-MM-DDTHH:MM, got '" + endText + "'");
    }
    PlanShift s;
    s.partner = pit->second;
    s.date = date;
    s.start = dayMin + *start;
    s.end = end;
    if (!(s.end > s.start))
      throw geo::InputError({path, row, "eind"},
                            fmt::format("the shift ends ({}) before it starts ({}); a shift past "
                                        "midnight ends at YYYY-MM-DDTHH:MM",
                                        endText, cells[cS]));
    if (s.start < 0.0 || s.start >= periodEnd)
      throw geo::InputError({path, row, "datum"}, "the shift lies outside the period");
    s.night = false;
    s.mode = in.partnerMode[s.partner];
    if (cV < cells.size() && !cells[cV].empty()) {
      try {
        s.mode = modeIndex(in, geo::parseTravelMode(cells[cV]));
      } catch (const geo::OptionError&) {
        throw geo::InputError({path, row, "vervoer"},
                              "expected auto, landbouw, fiets or lopen, got '" + cells[cV] + "'");
      }
    }
    s.id = fmt::format("{}-{}-{}", pid, date, cells[cS].substr(0, 2) + cells[cS].substr(3, 2));
    shifts.push_back(std::move(s));
  }
  if (shifts.empty()) throw geo::InputError({path, std::nullopt, {}}, "the file holds no shifts");
  return shifts;
}

/// The rows of the site layer with their field names: a schema layer (filtered) or a point
/// result table of the store.
struct SiteRows {
  std::string layer;
  std::string where;
  std::vector<std::string> fields;
  std::vector<FieldType> types;
  std::vector<Record> records;
  int key = -1;
  int field(const std::string& name) const {
    if (name.empty()) return -1;
    const auto it = std::find(fields.begin(), fields.end(), name);
    return it == fields.end() ? -1 : int(it - fields.begin());
  }
};

SiteRows readSiteRows(Store& store, const PointSelection& sel) {
  SiteRows rows;
  rows.layer = sel.layer;
  for (const LayerDef& def : layerDefs()) {
    if (def.name != sel.layer) continue;
    if (def.geometry == GeometryKind::None)
      throw geo::OptionError("sites", "'" + def.name + "' has no geometry");
    const FilterSql filter = compileFilter(def, sel.where, "where");
    rows.where = filter.text();
    rows.records = store.read(def.name, filter);
    for (const auto& f : def.fields) {
      rows.fields.push_back(f.name);
      rows.types.push_back(f.type);
    }
    rows.key = def.fieldIndex(def.key);
    return rows;
  }
  std::vector<std::string> tables;
  for (const ResultInfo& info : listResults(store)) {
    if (!info.file.empty()) continue;
    tables.push_back(info.layer);
    if (info.layer != sel.layer) continue;
    if (!sel.where.empty())
      throw geo::OptionError("where",
                             "a filter on a result table ('" + sel.layer +
                                 "') is not supported; select the rows when making the table");
    ResultLayer t = readResultLayer(store, info.layer);
    if (t.geometry == GeometryKind::None)
      throw geo::OptionError("sites", "result table '" + t.name + "' has no geometry");
    for (const auto& f : t.fields) {
      rows.fields.push_back(f.name);
      rows.types.push_back(f.type);
    }
    rows.records = std::move(t.records);
    for (const char* k : {"sleutel", "site_id"})
      if (rows.key < 0) rows.key = rows.field(k);
    for (std::size_t i = 0; rows.key < 0 && i < rows.fields.size(); ++i) {
      const auto& n = rows.fields[i];
      if (n.size() > 3 && n.compare(n.size() - 3, 3, "_id") == 0) rows.key = int(i);
    }
    return rows;
  }
  std::string known;
  for (const LayerDef& def : layerDefs())
    if (def.geometry != GeometryKind::None) known += (known.empty() ? "" : ", ") + def.name;
  for (const auto& t : tables) known += ", " + t;
  throw geo::OptionError(
      "sites", "unknown layer '" + sel.layer + "' (layers and result tables: " + known + ")");
}

std::optional<double> numberOf(const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return double(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* s = std::get_if<std::string>(&v)) {
    std::string t = trim(*s);
    std::replace(t.begin(), t.end(), ',', '.');
    if (t.empty()) return std::nullopt;
    char* end = nullptr;
    const double x = std::strtod(t.c_str(), &end);
    if (end && *end == '\0') return x;
  }
  return std::nullopt;
}

bool isNullValue(const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return true;
  if (const auto* s = std::get_if<std::string>(&v)) return trim(*s).empty();
  return false;
}

std::string lowerAscii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return s;
}

/// A window text: dag, nacht, altijd, HH:MM-HH:MM or YYYY-MM-DDTHH:MM/YYYY-MM-DDTHH:MM.
/// Returns false when it is none of these.
bool windowTextValid(const std::string& text) {
  const std::string t = trim(text);
  const std::string word = lowerAscii(t);
  if (word == "dag" || word == "nacht" || word == "altijd") return true;
  if (t.size() == 11 && t[5] == '-')
    return clockMinutes(t.substr(0, 5)).has_value() && clockMinutes(t.substr(6)).has_value();
  const auto slash = t.find('/');
  if (slash == std::string::npos) return false;
  const std::string a = t.substr(0, slash), b = t.substr(slash + 1);
  const auto ta = parseIsoTime(a), tb = parseIsoTime(b);
  return ta && tb && a.size() >= 16 && b.size() >= 16 && *tb > *ta;
}

/// The sites with their per-site fields (PlanRequest::SiteFields) into `in`.
void readPlanSites(Store& store, const PlanRequest& request, PlanInput& in) {
  const SiteRows rows = readSiteRows(store, request.sites);
  if (rows.records.empty())
    throw geo::InputError({request.sites.describe(), std::nullopt, ""},
                          "the selection holds no rows; nothing to plan");
  const PlanRequest::SiteFields& F = request.siteFields;
  const bool explicitPriority = !request.sites.weightField.empty();
  const std::string prioName = explicitPriority ? request.sites.weightField : F.priority;
  const int iPrio = rows.field(prioName);
  if (explicitPriority && iPrio < 0)
    throw geo::OptionError("priority-field", "'" + prioName + "' is not a field of " + rows.layer);
  if (iPrio >= 0 && rows.types[std::size_t(iPrio)] != FieldType::Integer &&
      rows.types[std::size_t(iPrio)] != FieldType::Real)
    throw geo::OptionError("priority-field",
                           "'" + prioName + "' is not a numeric field of " + rows.layer);
  const int iSkill = rows.field(F.skill), iWin = rows.field(F.window), iDwell = rows.field(F.dwell),
            iMand = rows.field(F.mandatory);
  for (const auto& [i, name] :
       {std::pair{iPrio, prioName}, std::pair{iSkill, F.skill}, std::pair{iWin, F.window},
        std::pair{iDwell, F.dwell}, std::pair{iMand, F.mandatory}})
    if (i >= 0) in.fieldsRead.push_back(name);
  in.sites.layer = rows.layer;
  in.sites.where = rows.where;
  for (const Record& r : rows.records) {
    auto bad = [&](const std::string& fieldName, const std::string& why, const Value& v) {
      return geo::InputError({rows.layer, r.sourceRow, fieldName},
                             why + ", got '" + textOf(v) + "'");
    };
    if (!r.geometry || r.geometry->IsEmpty())
      throw geo::InputError({rows.layer, r.sourceRow, "geom"}, "the row has no geometry");
    if (wkbFlatten(r.geometry->getGeometryType()) == wkbPoint) {
      const OGRPoint* p = r.geometry->toPoint();
      in.sites.points.push_back({p->getX(), p->getY()});
    } else {
      OGRPoint c;
      if (r.geometry->Centroid(&c) != OGRERR_NONE)
        throw geo::InputError({rows.layer, r.sourceRow, "geom"}, "no centroid");
      in.sites.points.push_back({c.getX(), c.getY()});
    }
    std::string key = rows.key >= 0 ? textOf(r.values[std::size_t(rows.key)]) : std::string();
    in.sites.keys.push_back(key.empty() ? std::to_string(r.sourceRow) : key);
    in.siteRow.push_back(r.sourceRow);

    double priority = request.priority;
    if (iPrio >= 0 && !isNullValue(r.values[std::size_t(iPrio)])) {
      const auto x = numberOf(r.values[std::size_t(iPrio)]);
      if (!x || !std::isfinite(*x) || *x < 0.0)
        throw bad(prioName, "expected a priority >= 0", r.values[std::size_t(iPrio)]);
      priority = *x;
    }
    in.priority.push_back(priority);

    std::string skill = request.skill;
    if (iSkill >= 0 && !isNullValue(r.values[std::size_t(iSkill)])) {
      skill = lowerAscii(trim(textOf(r.values[std::size_t(iSkill)])));
      if (std::find(skillNames().begin(), skillNames().end(), skill) == skillNames().end())
        throw bad(F.skill,
                  "expected a bevoegdheid: signaleren, schouwen, handhaven, adrescontrole or "
                  "opsporen",
                  r.values[std::size_t(iSkill)]);
    }
    in.skill.push_back(skill);

    double dwell = request.dwellMinutes;
    if (iDwell >= 0 && !isNullValue(r.values[std::size_t(iDwell)])) {
      const auto x = numberOf(r.values[std::size_t(iDwell)]);
      if (!x || !(*x >= 0.0) || !(*x <= 1440.0))
        throw bad(F.dwell, "expected a dwell of 0..1440 minutes", r.values[std::size_t(iDwell)]);
      dwell = *x;
    }
    in.dwell.push_back(dwell);

    bool mandatory = request.mandatory;
    if (iMand >= 0 && !isNullValue(r.values[std::size_t(iMand)])) {
      const Value& v = r.values[std::size_t(iMand)];
      const std::string t = lowerAscii(trim(textOf(v)));
      if (t == "1" || t == "true" || t == "ja" || t == "j" || t == "yes")
        mandatory = true;
      else if (t == "0" || t == "false" || t == "nee" || t == "n" || t == "no")
        mandatory = false;
      else
        throw bad(F.mandatory, "expected 1/0, ja/nee or true/false", v);
    }
    in.mandatory.push_back(mandatory ? 1 : 0);

    std::string window = siteWindowName(request.window);
    if (iWin >= 0 && !isNullValue(r.values[std::size_t(iWin)])) {
      const Value& v = r.values[std::size_t(iWin)];
      if (!windowTextValid(textOf(v)))
        throw bad(F.window,
                  "expected dag, nacht, altijd, HH:MM-HH:MM (every day) or "
                  "YYYY-MM-DDTHH:MM/YYYY-MM-DDTHH:MM",
                  v);
      window = trim(textOf(v));
      if (window.size() <= 6) window = lowerAscii(window);
    }
    in.windowText.push_back(window);
  }
}

/// The service-start windows of site i in solver minutes (see PlanInput::windows).
void siteWindows(const PlanInput& in, std::size_t i, const geo::CivilDate& first,
                 std::vector<geo::TimeWindow>& out, char& windowed) {
  const std::string& w = in.windowText[i];
  const double dwell = in.dwell[i];
  out.clear();
  windowed = w == "altijd" ? 0 : 1;
  if (!windowed) return;
  const geo::LatLon ll = geo::rdToWgs84(in.sites.points[i]);
  const std::int64_t day0 = geo::daysFromCivil(first);
  if (w == "dag" || w == "nacht") {
    for (int d = 0; d < in.days; ++d) {
      const std::int64_t dayNo = day0 + d;
      const geo::CivilDate date = geo::civilFromDays(dayNo);
      if (w == "dag") {
        const geo::SunTimes s = geo::sunTimes(ll, date);
        if (s.alwaysDown) continue;
        const double open = d * kDay + (s.alwaysUp ? 0.0 : s.rise);
        const double close = d * kDay + (s.alwaysUp ? kDay : s.set) - dwell;
        if (close >= open) out.push_back({open, close});
      } else {
        const geo::SunTimes dusk = geo::sunTimes(ll, date, geo::SunHorizon::Civil);
        const geo::SunTimes dawn =
            geo::sunTimes(ll, geo::civilFromDays(dayNo + 1), geo::SunHorizon::Civil);
        const double open = d * kDay + (dusk.alwaysDown ? 0.0 : dusk.set);
        const double close = (d + 1) * kDay + (dawn.alwaysDown ? kDay : dawn.rise) - dwell;
        if (!dusk.alwaysUp && close >= open) out.push_back({open, close});
      }
    }
    return;
  }
  if (w.size() == 11 && w[5] == '-') {  // HH:MM-HH:MM every day
    const double a = *clockMinutes(w.substr(0, 5)), b0 = *clockMinutes(w.substr(6));
    const double b = b0 > a ? b0 : b0 + kDay;  // past midnight
    for (int d = -1; d < in.days; ++d) {
      const double open = std::max(0.0, d * kDay + a), close = d * kDay + b - dwell;
      if (close >= open && open < in.days * kDay) out.push_back({open, close});
    }
    return;
  }
  const auto slash = w.find('/');
  const auto ta = parseIsoTime(w.substr(0, slash)), tb = parseIsoTime(w.substr(slash + 1));
  const double open = double(*ta - in.periodStart) / 60.0;
  const double close = double(*tb - in.periodStart) / 60.0 - dwell;
  if (close >= open && close >= 0.0 && open < in.days * kDay)
    out.push_back({std::max(0.0, open), close});
}

}  // namespace

const char* siteWindowName(SiteWindow w) {
  switch (w) {
    case SiteWindow::Dag:
      return "dag";
    case SiteWindow::Nacht:
      return "nacht";
    case SiteWindow::Altijd:
      break;
  }
  return "altijd";
}

PlanRequest::PlanRequest() {
  network.output = "plan";
  solver.timeLimitSeconds = 10.0;
  solver.iterations = 20000;
  visits.visits = 1;
}

void PlanRequest::validate() const {
  network.validate();
  if (!(priority >= 0.0) || !std::isfinite(priority))
    throw geo::OptionError("priority", "expected a finite priority >= 0");
  if (!(dwellMinutes >= 0.0) || !(dwellMinutes <= 24 * 60))
    throw geo::OptionError("dwell", "expected 0..1440 minutes");
  if (std::find(skillNames().begin(), skillNames().end(), skill) == skillNames().end())
    throw geo::OptionError("skill",
                           "expected one of signaleren, schouwen, handhaven, "
                           "adrescontrole, opsporen; got '" +
                               skill + "'");
  parsePeriod(period);
  if (!(dayShiftStart >= 0.0 && dayShiftStart < 24.0))
    throw geo::OptionError("day-shift-start", "expected an hour in [0, 24)");
  if (!(shiftHours > 0.0 && shiftHours <= 24.0))
    throw geo::OptionError("shift-hours", "expected (0, 24] hours");
  if (shiftsPerPartner < 0) throw geo::OptionError("shifts-per-partner", "expected >= 0");
  solver.validate();
  geo::PeriodOptions p = visits;
  p.periodStart = 0.0;
  p.periodEnd = 1.0;
  p.validate();
}

std::string dropReasonDutch(geo::DropReason reason, const std::string& skill) {
  switch (reason) {
    case geo::DropReason::AlternativeVisited:
      return "al bezocht in dit tijdvak";
    case geo::DropReason::NoSkill:
      return "geen partner met bevoegdheid " + skill;
    case geo::DropReason::OutsideArea:
      return "buiten het werkgebied van elke partner met bevoegdheid " + skill;
    case geo::DropReason::Unreachable:
      return "onbereikbaar";
    case geo::DropReason::DwellTooLong:
      return "verblijf langer dan elke dienst";
    case geo::DropReason::TooFar:
      return "te ver voor elke dienst";
    case geo::DropReason::NoShiftInWindow:
      return "geen dienst in het tijdvenster";
    case geo::DropReason::OutOfTime:
      return "geen tijd meer";
  }
  return "onbekend";
}

namespace {

/// The partners: base, skills, werkgebied and mode of each; day[p] and night[p] say whether
/// partner p works by day and by night.
void readPlanPartners(Store& store, const PlanRequest& request, PlanInput& in,
                      std::vector<char>& day, std::vector<char>& night) {
  const LayerDef& pdef = layerDef("partners");
  const FilterSql where = request.partnersWhere.empty()
                              ? FilterSql{}
                              : compileFilter(pdef, request.partnersWhere, "partners-where");
  const std::vector<Record> partners = store.read("partners", where);
  if (partners.empty())
    throw geo::InputError({"partners", std::nullopt, {}},
                          "no partners selected; import the partners layer first");
  const int iId = pdef.fieldIndex("partner_id"), iDag = pdef.fieldIndex("beschikbaar_dag"),
            iNacht = pdef.fieldIndex("beschikbaar_nacht"), iBev = pdef.fieldIndex("bevoegdheden"),
            iWg = pdef.fieldIndex("werkgebied_km"), iMode = pdef.fieldIndex("vervoer");
  in.modes.push_back(request.network.mode);
  for (const Record& r : partners) {
    const std::string id = textOf(r.values[std::size_t(iId)]);
    if (!r.geometry || r.geometry->IsEmpty() ||
        wkbFlatten(r.geometry->getGeometryType()) != wkbPoint)
      throw geo::InputError({"partners", r.sourceRow, "geom"},
                            "partner '" + id + "' has no base (a point is needed to plan from)");
    const OGRPoint* p = r.geometry->toPoint();
    in.partnerIds.push_back(id);
    in.bases.push_back({p->getX(), p->getY()});
    geo::SkillMask mask = 0;
    std::stringstream bev(textOf(r.values[std::size_t(iBev)]));
    for (std::string b; std::getline(bev, b, ',');) mask |= skillBit(trim(b));
    in.partnerSkills.push_back(mask);
    day.push_back(truthy(r.values[std::size_t(iDag)]) ? 1 : 0);
    night.push_back(truthy(r.values[std::size_t(iNacht)]) ? 1 : 0);
    double km = 0.0;
    if (iWg >= 0 && !isNullValue(r.values[std::size_t(iWg)])) {
      const auto x = numberOf(r.values[std::size_t(iWg)]);
      if (!x || !std::isfinite(*x) || *x < 0.0)
        throw geo::InputError(
            {"partners", r.sourceRow, "werkgebied_km"},
            "expected a radius >= 0 km, got '" + textOf(r.values[std::size_t(iWg)]) + "'");
      km = *x;
    }
    in.werkgebiedKm.push_back(request.werkgebied ? km : 0.0);
    geo::TravelMode mode = request.network.mode;
    if (iMode >= 0 && !isNullValue(r.values[std::size_t(iMode)])) {
      const std::string text = trim(textOf(r.values[std::size_t(iMode)]));
      try {
        mode = geo::parseTravelMode(text);
      } catch (const geo::OptionError&) {
        throw geo::InputError({"partners", r.sourceRow, "vervoer"},
                              "expected auto, landbouw, fiets or lopen, got '" + text + "'");
      }
    }
    in.partnerMode.push_back(modeIndex(in, mode));
  }
  applyPartnerModes(request.partnerModes, in);
}

/// The shifts: from the shifts CSV, or per partner from its availability over the period
/// (a day shift from dayShiftStart, a night shift from dusk; shiftsPerPartner of them drawn
/// with the seed, night and day alternating); sorted by partner and start.
void planShifts(const PlanRequest& request, const Period& period, const std::vector<char>& day,
                const std::vector<char>& night, PlanInput& in) {
  if (!request.shiftsCsv.empty()) {
    in.shifts = readShiftsCsv(request.shiftsCsv, in);
  } else {
    std::mt19937_64 rng(request.seed * 0x9E3779B97F4A7C15ull + 17);
    for (std::size_t p = 0; p < in.partnerIds.size(); ++p) {
      const geo::LatLon ll = geo::rdToWgs84(in.bases[p]);
      std::vector<PlanShift> dayShifts, nightShifts;
      for (int d = 0; d < in.days; ++d) {
        const std::int64_t dayNo = geo::daysFromCivil(period.first) + d;
        const std::string date = formatIsoDate(geo::TimeSeconds(dayNo) * 86400);
        if (day[p]) {
          PlanShift s;
          s.partner = p;
          s.date = date;
          s.start = d * kDay + request.dayShiftStart * 60.0;
          s.end = s.start + request.shiftHours * 60.0;
          s.id = in.partnerIds[p] + "-" + date + "-dag";
          s.mode = in.partnerMode[p];
          dayShifts.push_back(std::move(s));
        }
        if (night[p]) {
          const geo::SunTimes dusk =
              geo::sunTimes(ll, geo::civilFromDays(dayNo), geo::SunHorizon::Civil);
          PlanShift s;
          s.partner = p;
          s.date = date;
          s.start = d * kDay + std::round(dusk.alwaysUp || dusk.alwaysDown ? 21 * 60 : dusk.set);
          s.end = s.start + request.shiftHours * 60.0;
          s.night = true;
          s.id = in.partnerIds[p] + "-" + date + "-nacht";
          s.mode = in.partnerMode[p];
          nightShifts.push_back(std::move(s));
        }
      }
      if (request.shiftsPerPartner == 0) {
        for (auto& s : dayShifts) in.shifts.push_back(std::move(s));
        for (auto& s : nightShifts) in.shifts.push_back(std::move(s));
        continue;
      }
      std::shuffle(dayShifts.begin(), dayShifts.end(), rng);
      std::shuffle(nightShifts.begin(), nightShifts.end(), rng);
      // Alternate night and day, never two shifts of one partner on one date.
      std::vector<std::string> usedDates;
      std::size_t di = 0, ni = 0;
      bool wantNight = (rng() & 1) != 0;
      std::int64_t taken = 0;
      while (taken < request.shiftsPerPartner &&
             (di < dayShifts.size() || ni < nightShifts.size())) {
        auto& list = (wantNight && ni < nightShifts.size()) || di >= dayShifts.size() ? nightShifts
                                                                                      : dayShifts;
        auto& idx = &list == &nightShifts ? ni : di;
        PlanShift& s = list[idx++];
        if (std::find(usedDates.begin(), usedDates.end(), s.date) != usedDates.end()) continue;
        usedDates.push_back(s.date);
        in.shifts.push_back(std::move(s));
        ++taken;
        wantNight = !wantNight;
      }
    }
    if (in.shifts.empty())
      throw geo::InputError({"partners", std::nullopt, "beschikbaar_dag"},
                            "no partner is available by day or by night: no shifts to plan");
  }
  std::stable_sort(in.shifts.begin(), in.shifts.end(), [](const PlanShift& a, const PlanShift& b) {
    return a.partner != b.partner ? a.partner < b.partner : a.start < b.start;
  });
}

/// Refuses a site whose dwell is longer than every shift.
void checkDwellFitsShifts(const PlanRequest& request, const PlanInput& in) {
  double longest = 0.0;
  for (const auto& s : in.shifts) longest = std::max(longest, s.end - s.start);
  for (std::size_t i = 0; i < in.sites.size(); ++i) {
    if (in.dwell[i] <= longest) continue;
    const bool own = in.dwell[i] != request.dwellMinutes;
    throw geo::InputError({in.sites.layer, own ? std::optional(in.siteRow[i]) : std::nullopt,
                           own ? request.siteFields.dwell : std::string("dwell")},
                          fmt::format("a dwell of {:g} min is longer than every shift (the "
                                      "longest lasts {:g} min)",
                                      in.dwell[i], longest));
  }
}

/// Loads the network, builds a graph per travel mode in use and snaps the sites and the bases
/// to each mode's roads (progress 0-30 %).
void snapToNetwork(Store& store, const PlanRequest& request, PlanInput& in,
                   geo::Progress& progress) {
  geo::SubProgress loadPart(progress, 0.0, 0.3);
  auto loaded =
      std::make_shared<LoadedNetwork>(networkForStore(store, request.network.source, loadPart));
  // Every mode in use gets its own graph and matrix. Sites and bases snap to the roads of each
  // mode (a fiets partner's base joins a fietspad when that is nearer, a tractor never joins a
  // motorway); a site too far from every mode's roads is onbereikbaar, a base too far from the
  // roads of its partner's mode is refused.
  std::vector<const geo::SearchGraph*> graphPtrs;
  for (geo::TravelMode m : in.modes) {
    in.graphs.push_back(
        std::make_shared<geo::SearchGraph>(loaded->network, m, request.network.cost));
    graphPtrs.push_back(in.graphs.back().get());
  }
  for (auto& w : loaded->warnings) in.warnings.push_back(w);
  const geo::ModeSnappers snappers(graphPtrs);
  in.modeLocations.assign(in.modes.size(), {});
  auto addNode = [&](const std::vector<geo::NetworkLocation>& perMode) {
    for (std::size_t m = 0; m < perMode.size(); ++m) in.modeLocations[m].push_back(perMode[m]);
    return in.modeLocations.front().size() - 1;
  };
  std::size_t farSites = 0;
  for (std::size_t i = 0; i < in.sites.size(); ++i) {
    const auto locs = snappers.locate(in.sites.points[i], request.network.maxSnapDistance);
    if (std::all_of(locs.begin(), locs.end(), [](const auto& l) { return l.isNowhere(); })) {
      in.siteNode.push_back(-1);
      ++farSites;
      continue;
    }
    in.siteNode.push_back(std::int64_t(addNode(locs)));
  }
  for (std::size_t b = 0; b < in.bases.size(); ++b) {
    const auto locs = snappers.locate(in.bases[b], request.network.maxSnapDistance);
    const geo::TravelMode own = in.modes[in.partnerMode[b]];
    if (locs[in.partnerMode[b]].isNowhere())
      throw geo::InputError(
          {"partners", std::nullopt, "geom"},
          fmt::format("the base of partner '{}' lies farther than {:g} m from "
                      "any road {} may use",
                      in.partnerIds[b], request.network.maxSnapDistance, geo::travelModeName(own)));
    in.baseNode.push_back(addNode(locs));
  }
  in.locations = in.modeLocations.front();
  if (farSites)
    in.warnings.push_back(
        fmt::format("{} site(s) lie farther than {:g} m from a usable road "
                    "(listed as onbereikbaar)",
                    farSites, request.network.maxSnapDistance));
  in.nodes = in.locations.size();
  in.network = loaded;
}

/// The travel times (minutes) and lengths between all snapped places, per mode (30-80 %).
void measureMatrices(const PlanRequest& request, PlanInput& in, geo::Progress& progress) {
  const double share = 0.5 / double(in.modes.size());
  for (std::size_t mi = 0; mi < in.modes.size(); ++mi) {
    geo::SubProgress matrixPart(progress, 0.3 + share * double(mi), 0.3 + share * double(mi + 1));
    const auto m = geo::travelMatrix(*in.graphs[mi], in.modeLocations[mi], in.modeLocations[mi],
                                     {request.network.threads}, matrixPart);
    std::vector<double> minutes(m.time.size());
    for (std::size_t k = 0; k < m.time.size(); ++k)
      minutes[k] = std::isfinite(m.time[k]) ? m.time[k] / 60.0 : geo::kPlanInfinity;
    in.minutes.push_back(std::move(minutes));
    in.metres.push_back(m.length);
  }
}

/// Warns of the sites no base can reach and return from (named, at most five).
void warnUnreachableSites(PlanInput& in) {
  std::vector<std::string> cut;
  for (std::size_t i = 0; i < in.sites.size(); ++i) {
    if (in.siteNode[i] < 0) continue;
    const std::size_t n = std::size_t(in.siteNode[i]);
    bool ok = false;
    for (std::size_t p = 0; p < in.baseNode.size(); ++p) {
      const std::size_t b = in.baseNode[p];
      const auto& mins = in.minutes[in.partnerMode[p]];
      ok = ok || (std::isfinite(mins[b * in.nodes + n]) && std::isfinite(mins[n * in.nodes + b]));
    }
    if (!ok) cut.push_back(std::string(in.sites.keys[i]));
  }
  if (!cut.empty()) {
    std::string names;
    for (std::size_t i = 0; i < std::min<std::size_t>(5, cut.size()); ++i)
      names += (i ? ", " : "") + cut[i];
    in.warnings.push_back(fmt::format("{} site(s) cannot be reached from any base and back ({}{})",
                                      cut.size(), names, cut.size() > 5 ? ", ..." : ""));
  }
}

}  // namespace

PlanInput readPlanInput(Store& store, const PlanRequest& request, geo::Progress& progress) {
  request.validate();
  PlanInput in;
  const Period period = parsePeriod(request.period);
  in.days = period.days;
  in.periodStart = geo::TimeSeconds(geo::daysFromCivil(period.first)) * 86400;

  readPlanSites(store, request, in);
  std::vector<char> day, night;
  readPlanPartners(store, request, in, day, night);
  planShifts(request, period, day, night, in);
  checkDwellFitsShifts(request, in);
  snapToNetwork(store, request, in, progress);
  measureMatrices(request, in, progress);
  warnUnreachableSites(in);

  // Windows: from the sun at each site, every day, or explicit.
  in.windows.assign(in.sites.size(), {});
  in.windowed.assign(in.sites.size(), 0);
  for (std::size_t i = 0; i < in.sites.size(); ++i)
    siteWindows(in, i, period.first, in.windows[i], in.windowed[i]);

  in.lines.push_back(fmt::format("{} site(s) from {}, {} partner(s), {} shift(s) in {} day(s)",
                                 in.sites.size(), inputDescription(in.sites), in.partnerIds.size(),
                                 in.shifts.size(), in.days));
  if (!in.fieldsRead.empty()) {
    std::string names;
    for (const auto& f : in.fieldsRead) names += (names.empty() ? "" : ", ") + f;
    in.lines.push_back("per-site fields read: " + names);
  }
  return in;
}

PlanOutput computePlan(const PlanInput& in, const PlanRequest& request, geo::Progress& progress) {
  PlanOutput out;
  std::vector<geo::PlanSite> sites;
  std::vector<std::vector<geo::TimeWindow>> windows;
  std::vector<std::size_t> siteOf;  // input site of each entry of `sites`
  for (std::size_t i = 0; i < in.sites.size(); ++i) {
    if (in.siteNode[i] < 0) continue;
    geo::PlanSite s;
    s.node = std::size_t(in.siteNode[i]);
    s.score = in.priority[i];
    s.service = in.dwell[i];
    s.open = 0.0;
    s.close = in.days * kDay;
    s.skills = skillBit(in.skill[i]);
    s.mandatory = in.mandatory[i] != 0;
    sites.push_back(s);
    windows.push_back(in.windows[i]);
    siteOf.push_back(i);
    // A windowed site with no window in the period (polar night by day) stays closed.
    if (in.windowed[i] && in.windows[i].empty()) windows.back().push_back({-2.0, -1.0});
  }
  geo::PeriodOptions po = request.visits;
  po.periodStart = 0.0;
  po.periodEnd = in.days * kDay + kDay / 2;
  po.seed = request.seed;
  out.copies = geo::periodVisits(sites, windows, po);
  for (auto& o : out.copies.origin) o = siteOf[o];
  for (const auto& s : in.shifts) {
    geo::PlanRoute r;
    r.startNode = r.endNode = in.baseNode[s.partner];
    r.start = s.start;
    r.end = s.end;
    r.skills = in.partnerSkills[s.partner];
    r.matrix = s.mode;
    r.partner = std::int64_t(s.partner);  // balanced workload is per partner
    // The werkgebied: sites farther from the base than its radius (straight line).
    const double radius = in.werkgebiedKm[s.partner] * 1000.0;
    if (radius > 0.0) {
      const geo::Point b = in.bases[s.partner];
      for (std::size_t c = 0; c < out.copies.sites.size(); ++c) {
        const geo::Point p = in.sites.points[out.copies.origin[c]];
        if (std::hypot(p.x - b.x, p.y - b.y) > radius) r.excluded.push_back(c);
      }
    }
    out.routes.push_back(std::move(r));
  }
  geo::PlanOptions so = request.solver;
  so.seed = request.seed;
  so.threads = request.network.threads == 0 ? 0 : request.network.threads;
  std::vector<geo::TravelTimes> mats;
  for (const auto& m : in.minutes) mats.push_back({in.nodes, m});
  out.result = geo::solvePlan(mats, out.copies.sites, out.routes, so, progress);
  return out;
}

AnalysisResult buildPlanResult(const PlanInput& in, const PlanRequest& request,
                               const PlanOutput& out, const RunClock& clock) {
  const auto& a = describe::planningAnalyses().front();
  const std::string& name = request.network.output;
  nlohmann::json params = {{"sites", request.sites.describe()},
                           {"priority_field", request.sites.weightField},
                           {"priority", request.priority},
                           {"dwell_min", request.dwellMinutes},
                           {"window", siteWindowName(request.window)},
                           {"skill", request.skill},
                           {"mandatory", request.mandatory},
                           {"site_fields", in.fieldsRead},
                           {"partners_where", request.partnersWhere},
                           {"werkgebied", request.werkgebied},
                           {"vervoer", request.partnerModes},
                           {"period", request.period},
                           {"shifts_csv", request.shiftsCsv},
                           {"day_shift_start", request.dayShiftStart},
                           {"shift_hours", request.shiftHours},
                           {"shifts_per_partner", request.shiftsPerPartner},
                           {"visits_per_site", request.visits.visits},
                           {"high_priority", request.visits.highPriority},
                           {"vary", request.visits.varyFraction},
                           {"seconds", request.solver.timeLimitSeconds},
                           {"iterations", request.solver.iterations},
                           {"mode", std::string(geo::travelModeName(request.network.mode))},
                           {"max_snap_distance", request.network.maxSnapDistance}};
  const auto meta = clock.metadata("plan", params, inputDescription(in.sites),
                                   std::int64_t(in.sites.size()), std::int64_t(request.seed));
  auto table = [&](const std::string& processing, const std::string& title) {
    const auto& t = a.result(processing);
    ResultLayer l;
    l.name = name + t.suffix;
    l.title = title;
    l.geometry = t.geometry;
    l.fields = t.fieldDefs();
    l.style = t.style;
    l.stylesDir = request.network.stylesDir;
    l.metadata = meta;
    return l;
  };
  ResultLayer routes = table("ROUTES", "Routes per partner en dienst");
  ResultLayer visits = table("VISITS", "Bezoeken");
  ResultLayer dropped = table("DROPPED", "Vervallen bezoeken");
  const auto& sites = out.copies.sites;

  auto dayNight = [&](std::size_t site, double t) {
    const geo::LatLon ll = geo::rdToWgs84(in.sites.points[site]);
    const std::int64_t dayNo = (in.periodStart / 86400) + std::int64_t(std::floor(t / kDay));
    const geo::SunTimes s = geo::sunTimes(ll, geo::civilFromDays(dayNo));
    const double local = t - std::floor(t / kDay) * kDay;
    if (s.alwaysUp) return "dag";
    if (s.alwaysDown) return "nacht";
    return local >= s.rise && local <= s.set ? "dag" : "nacht";
  };

  double totalScore = 0.0, totalTravel = 0.0, totalKm = 0.0;
  std::size_t used = 0;
  for (const auto& pr : out.result.routes) {
    if (pr.visits.empty()) continue;
    ++used;
    const PlanShift& sh = in.shifts[pr.route];
    const std::string& pid = in.partnerIds[sh.partner];
    std::vector<std::size_t> nodes{in.baseNode[sh.partner]};
    for (const auto& v : pr.visits) nodes.push_back(sites[v.site].node);
    nodes.push_back(in.baseNode[sh.partner]);
    double metres = 0.0;
    auto* line = new OGRLineString();
    geo::GeometryPtr geom(line);
    for (std::size_t k = 0; k + 1 < nodes.size(); ++k) {
      metres += in.metres[sh.mode][nodes[k] * in.nodes + nodes[k + 1]];
      const geo::Route leg =
          geo::shortestRoute(*in.graphs[sh.mode], in.modeLocations[sh.mode][nodes[k]],
                             in.modeLocations[sh.mode][nodes[k + 1]]);
      for (const auto& p : leg.line) {
        const int n = line->getNumPoints();
        if (n > 0 && line->getX(n - 1) == p.x && line->getY(n - 1) == p.y) continue;
        line->addPoint(p.x, p.y);
      }
    }
    if (line->getNumPoints() < 2) {  // every stop at the base: a short stub keeps it valid
      const geo::Point b = in.bases[sh.partner];
      line->empty();
      line->addPoint(b.x, b.y);
      line->addPoint(b.x + 1.0, b.y);
    }
    Record r;
    r.values = {pid,
                sh.id,
                sh.date,
                isoAt(in.periodStart, pr.departure),
                isoAt(in.periodStart, pr.arrival),
                std::int64_t(pr.visits.size()),
                pr.travelTime,
                metres / 1000.0,
                pr.score,
                std::string(geo::travelModeName(in.modes[sh.mode]))};
    r.geometry = std::move(geom);
    routes.records.push_back(std::move(r));
    totalScore += pr.score;
    totalTravel += pr.travelTime;
    totalKm += metres / 1000.0;
    for (std::size_t k = 0; k < pr.visits.size(); ++k) {
      const auto& v = pr.visits[k];
      const std::size_t site = out.copies.origin[v.site];
      Record vr;
      vr.values = {pid,
                   sh.id,
                   std::int64_t(k + 1),
                   in.sites.layer,
                   std::string(in.sites.keys[site]),
                   isoAt(in.periodStart, v.serviceStart),
                   isoAt(in.periodStart, v.departure),
                   v.departure - v.serviceStart,
                   in.priority[site],
                   in.skill[site],
                   std::string(dayNight(site, v.serviceStart))};
      vr.geometry = pointGeometry(in.sites.points[site]);
      visits.records.push_back(std::move(vr));
    }
  }

  // Dropped: one row per site and slot without a visit, with the most telling reason of its
  // copies; sites too far from any road are onbereikbaar.
  auto rank = [](geo::DropReason r) {
    switch (r) {
      case geo::DropReason::OutOfTime:
        return 7;
      case geo::DropReason::NoShiftInWindow:
        return 6;
      case geo::DropReason::TooFar:
        return 5;
      case geo::DropReason::DwellTooLong:
        return 4;
      case geo::DropReason::Unreachable:
        return 3;
      case geo::DropReason::OutsideArea:
        return 2;
      case geo::DropReason::NoSkill:
        return 1;
      case geo::DropReason::AlternativeVisited:
        return 0;
    }
    return 0;
  };
  std::map<std::pair<std::size_t, std::size_t>, geo::DropReason> missing;  // (site, slot)
  std::set<std::pair<std::size_t, std::size_t>> visitedSlots;
  for (const auto& pr : out.result.routes)
    for (const auto& v : pr.visits)
      visitedSlots.insert({out.copies.origin[v.site], out.copies.slot[v.site]});
  for (const auto& d : out.result.dropped) {
    const std::pair key{out.copies.origin[d.site], out.copies.slot[d.site]};
    if (visitedSlots.count(key) || d.reason == geo::DropReason::AlternativeVisited) continue;
    const auto it = missing.find(key);
    if (it == missing.end() || rank(d.reason) > rank(it->second)) missing[key] = d.reason;
  }
  // Slots in which a high-priority site has no copy at all (no window met the slot).
  std::set<std::pair<std::size_t, std::size_t>> hasCopy;
  for (std::size_t c = 0; c < sites.size(); ++c)
    hasCopy.insert({out.copies.origin[c], out.copies.slot[c]});
  std::vector<std::string> mandatoryLost;
  auto addDropped = [&](std::size_t site, const std::string& reason) {
    Record r;
    r.values = {in.sites.layer, std::string(in.sites.keys[site]), in.priority[site],
                std::int64_t(in.mandatory[site]), reason};
    r.geometry = pointGeometry(in.sites.points[site]);
    dropped.records.push_back(std::move(r));
    if (in.mandatory[site])
      mandatoryLost.push_back(std::string(in.sites.keys[site]) + " (" + reason + ")");
  };
  const std::size_t k = request.visits.visits;
  for (std::size_t i = 0; i < in.sites.size(); ++i) {
    if (in.siteNode[i] < 0) {
      addDropped(i, "onbereikbaar");
      continue;
    }
    const bool high = in.priority[i] >= request.visits.highPriority;
    for (std::size_t slot = 0; slot < (high ? k : 1); ++slot) {
      const std::pair key{i, slot};
      if (visitedSlots.count(key)) continue;
      if (const auto it = missing.find(key); it != missing.end())
        addDropped(i, dropReasonDutch(it->second, in.skill[i]));
      else if (!hasCopy.count(key))
        addDropped(i, "geen dienst in het tijdvenster");
    }
  }

  AnalysisResult result;
  result.layers.push_back(std::move(routes));
  result.layers.push_back(std::move(visits));
  result.layers.push_back(std::move(dropped));
  RunReport& rep = result.report;
  rep.lines = in.lines;
  rep.lines.push_back(fmt::format(
      "plan: {} visit(s) on {} route(s) of {} shift(s), priority {:g}, {:.0f} min travel, "
      "{:.1f} km; {} visit(s) vervallen",
      out.result.visits, used, in.shifts.size(), totalScore, totalTravel, totalKm,
      result.layers[2].records.size()));
  rep.warnings = in.warnings;
  if (!mandatoryLost.empty()) {
    std::string names;
    for (std::size_t i = 0; i < std::min<std::size_t>(5, mandatoryLost.size()); ++i)
      names += (i ? "; " : "") + mandatoryLost[i];
    rep.warnings.push_back(fmt::format("{} mandatory visit(s) could not be planned: {}{}",
                                       mandatoryLost.size(), names,
                                       mandatoryLost.size() > 5 ? "; ..." : ""));
  }
  return result;
}

RunReport runPlan(Store& store, const PlanRequest& request, geo::Progress& progress) {
  request.validate();
  RunClock clock;
  geo::SubProgress readPart(progress, 0.0, 0.3);
  const PlanInput in = readPlanInput(store, request, readPart);
  geo::SubProgress solvePart(progress, 0.3, 0.9);
  const PlanOutput out = computePlan(in, request, solvePart);
  AnalysisResult result = buildPlanResult(in, request, out, clock);
  geo::SubProgress writePart(progress, 0.9, 1.0);
  return writeToStore(store, std::move(result), writePart);
}

}  // namespace veldwacht::layers
