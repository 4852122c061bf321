#include "layers/risk/address_list.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include <atomic>
#include <cstdio>
#include <filesystem>

#include "geo/core/error.h"
#include "geo/core/gdal.h"
#include "geo/core/output_file.h"
#include "geo/index/kdtree.h"

namespace veldwacht::layers {

void AddressListOptions::validate() const {
  if (!(signalRadius >= 0.0) || !std::isfinite(signalRadius))
    throw geo::OptionError("signalRadius", "must be >= 0 metres");
  if (!(halfLifeDays > 0.0) || !std::isfinite(halfLifeDays))
    throw geo::OptionError("halfLifeDays", "must be > 0 days");
  if (!(windowDays > 0.0) || !std::isfinite(windowDays))
    throw geo::OptionError("windowDays", "must be > 0 days");
  const auto& map = categoryThemes.empty() ? defaultCategoryThemes() : categoryThemes;
  for (const auto& t : themes) {
    bool known = false;
    for (const auto& [category, list] : map)
      known = known || std::find(list.begin(), list.end(), t) != list.end();
    if (!known) throw geo::OptionError("themes", "unknown theme '" + t + "'");
  }
}

const std::map<std::string, std::vector<std::string>>& defaultCategoryThemes() {
  static const std::map<std::string, std::vector<std::string>> m = {
      {"DRUGSAFVAL", {"drugs", "milieu"}},
      {"DRUGSLAB", {"drugs"}},
      {"HENNEP", {"drugs"}},
      {"OPSLAG", {"drugs"}},
      {"HUISVESTING", {"huisvesting"}},
      {"MILIEU", {"milieu"}},
      {"VERHUUR", {"verhuur"}},
      {"ACTIVITEIT", {"verhuur"}}};
  return m;
}

std::string dutchNumber(double value) {
  const auto v = static_cast<long long>(std::llround(value));
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  return (v < 0 ? "-" : "") + out;
}

namespace {

double reliabilityWeight(char grade, const AddressScoreWeights& w) {
  switch (grade) {
    case 'A':
    case 'a':
      return w.reliabilityA;
    case 'B':
    case 'b':
      return w.reliabilityB;
    case 'C':
    case 'c':
      return w.reliabilityC;
    case 'D':
    case 'd':
      return w.reliabilityD;
    default:
      return w.reliabilityUnknown;
  }
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string explain(const AddressCandidate& c, const AddressRow& r, const AddressListOptions& o) {
  std::vector<std::string> parts;
  if (r.signalCount > 0) {
    const auto months = std::lround(o.windowDays / 30.4375);
    std::string s = plural(r.signalsInWindow, "signaal", "signalen") + " in " +
                    std::to_string(months) + " maanden";
    if (r.reliableInWindow > 0)
      s += ", waarvan " + std::to_string(r.reliableInWindow) + " betrouwbaar";
    if (r.signalCount > r.signalsInWindow)
      s += " (" + std::to_string(r.signalCount) + " in totaal)";
    parts.push_back(s);
  }
  if (r.parts.count("herhaling"))
    parts.push_back(
        plural(std::size_t(std::lround(r.parts.at("herhaling") / o.weights.repeatedAtPand)) + 1,
               "signaal", "signalen") +
        " bij hetzelfde pand");
  const std::string building = c.barn ? "schuur" : "pand";
  std::string b;
  if (c.vacant)
    b = "leegstaande " + building;
  else if (c.partlyVacant)
    b = "deels leegstaande " + building;
  if (r.parts.count("oppervlakte"))
    b = (b.empty() ? building : b) + " van " + dutchNumber(c.floorArea) + " m²";
  if (!b.empty()) parts.push_back(b);
  if (c.riskyUse) parts.push_back("gebruiksdoel dat bij verborgen activiteit past");
  if (c.onBusinessPark) parts.push_back("op een bedrijventerrein");
  if (r.parts.count("risicocel"))
    parts.push_back(c.riskPercentile >= 95.0 ? "risicocel bij de hoogste 5 %"
                                             : "risicocel bij de hoogste 10 %");
  if (!r.themes.empty()) {
    std::string t = r.themes.size() == 1 ? "thema " : "thema's ";
    for (std::size_t i = 0; i < r.themes.size(); ++i) t += (i ? ", " : "") + r.themes[i];
    parts.push_back(t);
  }
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
  return out;
}

}  // namespace

std::vector<AddressRow> rankAddresses(std::span<const AddressCandidate> candidates,
                                      std::span<const AddressSignal> signals,
                                      const AddressListOptions& options) {
  options.validate();
  const auto& themeMap =
      options.categoryThemes.empty() ? defaultCategoryThemes() : options.categoryThemes;
  const AddressScoreWeights& w = options.weights;
  // Signals that count: before the reference time and, with a theme filter, of a chosen theme.
  std::vector<geo::Point> points;
  std::vector<std::size_t> counted;
  std::vector<std::vector<std::string>> signalThemes;
  for (std::size_t i = 0; i < signals.size(); ++i) {
    const auto& s = signals[i];
    if (!std::isfinite(s.location.x) || !std::isfinite(s.location.y))
      throw geo::InputError({"signalen", std::int64_t(i + 1), "geometry"}, "must be finite");
    if (s.time >= options.referenceTime) continue;
    const auto it = themeMap.find(s.category);
    std::vector<std::string> themes =
        it == themeMap.end() ? std::vector<std::string>{} : it->second;
    if (!options.themes.empty()) {
      std::vector<std::string> keep;
      for (const auto& t : themes)
        if (std::find(options.themes.begin(), options.themes.end(), t) != options.themes.end())
          keep.push_back(t);
      if (keep.empty()) continue;
      themes = keep;
    }
    points.push_back(s.location);
    counted.push_back(i);
    signalThemes.push_back(std::move(themes));
  }
  std::unordered_map<std::string, std::vector<std::uint32_t>> byPand;
  for (std::size_t k = 0; k < counted.size(); ++k)
    if (!signals[counted[k]].pandKey.empty())
      byPand[signals[counted[k]].pandKey].push_back(std::uint32_t(k));
  const geo::KdTree tree(points);
  const double halfLife = options.halfLifeDays * 86400.0, window = options.windowDays * 86400.0;

  std::vector<AddressRow> rows;
  std::vector<std::uint32_t> near;
  for (std::size_t ci = 0; ci < candidates.size(); ++ci) {
    const AddressCandidate& c = candidates[ci];
    if (options.skipVisitedSince && c.lastVisit && *c.lastVisit >= *options.skipVisitedSince)
      continue;
    AddressRow r;
    r.candidate = ci;
    auto add = [&](const char* name, double v) {
      if (v != 0.0) r.parts[name] = v;
    };
    // Hard information.
    add("leegstand", c.vacant ? w.vacant : c.partlyVacant ? w.partlyVacant : 0.0);
    add("oppervlakte", c.floorArea > 0.0 ? std::min(w.floorAreaCap, w.perThousandSquareMetres *
                                                                        c.floorArea / 1000.0)
                                         : 0.0);
    add("gebruik", c.riskyUse ? w.riskyUse : 0.0);
    add("bedrijventerrein", c.onBusinessPark ? w.businessPark : 0.0);
    add("risicocel", c.riskPercentile >= 95.0   ? w.riskTop5
                     : c.riskPercentile >= 90.0 ? w.riskTop10
                                                : 0.0);
    // Soft information: signals nearby or at the same pand.
    std::set<std::uint32_t> mine;
    if (!points.empty()) {
      tree.withinRadius(c.location, options.signalRadius, near);
      mine.insert(near.begin(), near.end());
    }
    std::size_t atPand = 0;
    if (!c.pandKey.empty()) {
      if (const auto it = byPand.find(c.pandKey); it != byPand.end()) {
        mine.insert(it->second.begin(), it->second.end());
        atPand = it->second.size();
      }
    }
    if (!options.themes.empty() && mine.empty()) continue;
    double soft = 0.0;
    std::set<std::string> themes;
    for (auto k : mine) {
      const AddressSignal& s = signals[counted[k]];
      const double age = double(options.referenceTime - s.time);
      soft += reliabilityWeight(s.reliability, w) * std::exp2(-age / halfLife);
      ++r.signalCount;
      if (age <= window) {
        ++r.signalsInWindow;
        if (s.reliability == 'A' || s.reliability == 'B' || s.reliability == 'a' ||
            s.reliability == 'b')
          ++r.reliableInWindow;
      }
      themes.insert(signalThemes[k].begin(), signalThemes[k].end());
    }
    add("signalen", w.perSignal * soft);
    add("herhaling", atPand > 1 ? w.repeatedAtPand * double(atPand - 1) : 0.0);
    r.themes.assign(themes.begin(), themes.end());
    for (const auto& [name, v] : r.parts) {
      (name == "signalen" || name == "herhaling" ? r.softScore : r.hardScore) += v;
    }
    r.score = r.hardScore + r.softScore;
    if (r.score <= 0.0) continue;
    r.explanation = explain(c, r, options);
    rows.push_back(std::move(r));
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const AddressRow& a, const AddressRow& b) { return a.score > b.score; });
  if (options.maxRows > 0 && rows.size() > options.maxRows) rows.resize(options.maxRows);
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i].rank = i + 1;
  return rows;
}

namespace {

const std::vector<std::string> kParts{"leegstand", "oppervlakte", "gebruik",  "bedrijventerrein",
                                      "risicocel", "signalen",    "herhaling"};

std::vector<std::string> sheetHeader() {
  std::vector<std::string> h{"rang", "score", "prioriteit", "vaardigheid", "adres", "sleutel",
                             "pand", "x",     "y",          "hard",        "zacht"};
  h.insert(h.end(), kParts.begin(), kParts.end());
  h.insert(h.end(), {"signalen_venster", "betrouwbaar_venster", "themas", "toelichting",
                     "vertrouwelijkheid"});
  return h;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

/// One row as text, in sheetHeader() order.
std::vector<std::string> sheetRow(const AddressCandidate& c, const AddressRow& r) {
  std::vector<std::string> v{std::to_string(r.rank),
                             fixed(r.score, 2),
                             fixed(r.score, 2),
                             "adrescontrole",
                             c.label,
                             c.key,
                             c.pandKey,
                             fixed(c.location.x, 2),
                             fixed(c.location.y, 2),
                             fixed(r.hardScore, 2),
                             fixed(r.softScore, 2)};
  for (const auto& p : kParts) {
    const auto it = r.parts.find(p);
    v.push_back(fixed(it == r.parts.end() ? 0.0 : it->second, 2));
  }
  std::string themes;
  for (std::size_t i = 0; i < r.themes.size(); ++i) themes += (i ? ", " : "") + r.themes[i];
  v.insert(v.end(), {std::to_string(r.signalsInWindow), std::to_string(r.reliableInWindow), themes,
                     r.explanation, kConfidential});
  return v;
}

std::string csvCell(std::string s, char sep) {
  if (s.find_first_of(std::string(1, sep) + "\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

std::string csvBytes(std::span<const AddressCandidate> candidates,
                     std::span<const AddressRow> rows) {
  std::string f;
  const char sep = ';';
  f += "\xEF\xBB\xBF# ";
  f += kConfidential;
  f += ": adreslijst voor een thematische adrescontrole; niet verspreiden\r\n";
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i) f += sep;
      f += csvCell(cells[i], sep);
    }
    f += "\r\n";
  };
  line(sheetHeader());
  for (const auto& r : rows) line(sheetRow(candidates[r.candidate], r));
  return f;
}

/// The XLSX through GDAL's driver into /vsimem, returned as bytes.
std::string xlsxBytes(const std::string& path, std::span<const AddressCandidate> candidates,
                      std::span<const AddressRow> rows) {
  geo::ensureGdalRegistered();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("XLSX");
  if (!driver) throw geo::LibraryError("GDAL has no XLSX driver");
  static std::atomic<unsigned> counter{0};
  const std::string mem = "/vsimem/veldwacht_adreslijst_" + std::to_string(++counter) + ".xlsx";
  struct Unlink {
    std::string p;
    ~Unlink() { VSIUnlink(p.c_str()); }
  } unlink{mem};
  geo::DatasetPtr ds(driver->Create(mem.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds) throw geo::LibraryError(geo::lastGdalError("cannot create " + path));
  OGRLayer* layer = ds->CreateLayer((std::string(kConfidential) + "_adreslijst").c_str(), nullptr,
                                    wkbNone, nullptr);
  if (!layer) throw geo::LibraryError(geo::lastGdalError("cannot create the sheet in " + path));
  const auto header = sheetHeader();
  auto numeric = [](const std::string& name) {
    return name != "vaardigheid" && name != "adres" && name != "sleutel" && name != "pand" &&
           name != "themas" && name != "toelichting" && name != "vertrouwelijkheid";
  };
  for (const auto& h : header) {
    OGRFieldDefn def(h.c_str(), numeric(h) ? OFTReal : OFTString);
    if (h == "rang" || h == "signalen_venster" || h == "betrouwbaar_venster")
      def.SetType(OFTInteger);
    if (layer->CreateField(&def) != OGRERR_NONE)
      throw geo::LibraryError(geo::lastGdalError("cannot create field " + h));
  }
  for (const auto& r : rows) {
    const auto cells = sheetRow(candidates[r.candidate], r);
    geo::FeaturePtr feature(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    for (std::size_t i = 0; i < cells.size(); ++i) feature->SetField(int(i), cells[i].c_str());
    if (layer->CreateFeature(feature.get()) != OGRERR_NONE)
      throw geo::LibraryError(geo::lastGdalError("cannot write row " + std::to_string(r.rank)));
  }
  // The XLSX driver writes the file on close: check what closing reported.
  CPLErrorReset();
  ds.reset();
  if (CPLGetLastErrorType() == CE_Failure)
    throw geo::LibraryError(geo::lastGdalError("writing " + path + " failed"));
  vsi_l_offset size = 0;
  GByte* data = VSIGetMemFileBuffer(mem.c_str(), &size, FALSE);
  if (!data) throw geo::LibraryError("writing " + path + " failed: no XLSX content");
  return std::string(reinterpret_cast<const char*>(data), std::size_t(size));
}

}  // namespace

std::string addressSheetBytes(const std::string& path, std::span<const AddressCandidate> candidates,
                              std::span<const AddressRow> rows) {
  for (const auto& r : rows)
    if (r.candidate >= candidates.size())
      throw geo::InputError({path, std::int64_t(r.rank), "candidate"},
                            "row refers to a candidate that is not in the list");
  std::string ext = std::filesystem::path(path).extension().string();
  for (auto& ch : ext) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  if (ext == ".csv") return csvBytes(candidates, rows);
  if (ext == ".xlsx") return xlsxBytes(path, candidates, rows);
  throw geo::OptionError("path", "expected a .csv or .xlsx file, got '" + path + "'");
}

void writeAddressSheet(const std::string& path, std::span<const AddressCandidate> candidates,
                       std::span<const AddressRow> rows, bool overwrite) {
  std::string bytes = addressSheetBytes(path, candidates, rows);
  geo::OutputFileOptions o;
  o.overwrite = overwrite;
  geo::OutputFile out(path, o);
  out.write(bytes);
  out.commit();
}

}  // namespace veldwacht::layers
