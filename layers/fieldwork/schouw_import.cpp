#include "layers/fieldwork/schouw_import.h"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include <fmt/core.h>

#include "geo/core/error.h"
#include "layers/fieldwork/sites.h"
#include "layers/importers/csv_reader.h"
#include "layers/importers/values.h"
#include "layers/schema/validate.h"
#include "layers/store/checksum.h"

namespace veldwacht::layers {

namespace {

/// The columns of a schouw file and the names that fill them (normalised: lower case, '_').
enum class Col {
  Id,
  Site,
  Laag,
  Partner,
  Tijdstip,
  Datum,
  Tijd,
  Bevinding,
  Categorie,
  Signaal,
  Foto
};

const std::vector<std::pair<Col, std::vector<std::string>>>& columnNames() {
  static const std::vector<std::pair<Col, std::vector<std::string>>> names = {
      {Col::Id,
       {"schouw_id", "id", "kenmerk", "resultaat_id", "formulier_id", "result_id", "submission_id",
        "response_id"}},
      {Col::Site,
       {"site_id", "site", "plek_id", "plek", "locatie_id", "locatie", "object_id", "object",
        "adres_id", "location_id", "location", "place"}},
      {Col::Laag, {"site_laag", "laag", "plek_laag", "site_layer", "layer"}},
      {Col::Partner,
       {"partner_id", "partner", "waarnemer", "schouwer", "medewerker", "observer", "inspector",
        "user", "gebruiker"}},
      {Col::Tijdstip,
       {"tijdstip", "datumtijd", "datum_tijd", "datum_en_tijd", "moment", "waargenomen_op",
        "timestamp", "datetime", "date_time", "observed_at"}},
      {Col::Datum, {"datum", "date", "dag", "day"}},
      {Col::Tijd, {"tijd", "time", "uur", "tijdstip_uur"}},
      {Col::Bevinding,
       {"bevinding", "bevindingen", "opmerking", "opmerkingen", "waarneming", "omschrijving",
        "beschrijving", "finding", "findings", "notes", "note", "remarks", "comment", "comments",
        "observation"}},
      {Col::Categorie, {"categorie", "signaalcategorie", "signaal_categorie", "category"}},
      {Col::Signaal, {"signaal", "is_signaal", "melding", "signal", "is_signal"}},
      {Col::Foto,
       {"foto", "fotos", "foto_ref", "foto_referentie", "photo", "photos", "picture", "image",
        "afbeelding", "bijlage", "attachment"}},
  };
  return names;
}

std::string normaliseHeader(std::string_view h) {
  std::string s = toLowerAscii(h);
  for (char& c : s)
    if (c == ' ' || c == '-' || c == '.') c = '_';
  return s;
}

/// Column index per Col (-1 = absent).
std::map<Col, int> mapColumns(const std::vector<std::string>& header) {
  std::map<Col, int> out;
  for (const auto& [col, names] : columnNames()) {
    out[col] = -1;
    for (const auto& n : names) {
      for (std::size_t i = 0; i < header.size(); ++i)
        if (normaliseHeader(header[i]) == n) {
          out[col] = int(i);
          break;
        }
      if (out[col] >= 0) break;
    }
  }
  return out;
}

std::string names(Col col) {
  for (const auto& [c, ns] : columnNames())
    if (c == col) {
      std::string s;
      for (std::size_t i = 0; i < ns.size() && i < 4; ++i) s += (i ? ", " : "") + ns[i];
      return s + ", ...";
    }
  return {};
}

std::string isoOf(std::time_t t) {
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

/// now + slack minutes, as ISO local time.
std::string latestAllowed(const SchouwImportOptions& o) {
  std::time_t t = std::time(nullptr);
  if (!o.now.empty()) {
    std::tm tm{};
    tm.tm_isdst = -1;
    if (std::sscanf(o.now.c_str(), "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
      throw geo::OptionError("now", "expected YYYY-MM-DDTHH:MM:SS, got '" + o.now + "'");
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    t = std::mktime(&tm);
  }
  return isoOf(t + std::time_t(o.futureSlackMinutes) * 60);
}

std::string textOf(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  return {};
}

std::string compactTime(const std::string& iso) {
  std::string s;
  for (char c : iso)
    if (c != '-' && c != ':') s += c;
  return s;
}

Record emptyRecord(const LayerDef& def) {
  Record r;
  r.values.resize(def.fields.size());
  return r;
}

void set(Record& r, const LayerDef& def, const char* field, Value v) {
  r.values[std::size_t(def.fieldIndex(field))] = std::move(v);
}

struct StoreFacts {
  std::map<std::string, std::string> partnerTypes;  ///< partner_id -> partner_type
  std::map<std::string, std::string> categories;    ///< lower-case code or naam -> code
  std::vector<std::string> categoryCodes;
  std::set<std::string> signalIds;
};

StoreFacts readFacts(Store& store) {
  StoreFacts f;
  const LayerDef& p = layerDef("partners");
  for (const Record& r : store.read("partners"))
    f.partnerTypes[textOf(r.values[std::size_t(p.fieldIndex("partner_id"))])] =
        textOf(r.values[std::size_t(p.fieldIndex("partner_type"))]);
  const LayerDef& c = layerDef("signaal_categorieen");
  for (const Record& r : store.read("signaal_categorieen")) {
    const std::string code = textOf(r.values[std::size_t(c.fieldIndex("code"))]);
    f.categoryCodes.push_back(code);
    f.categories[toLowerAscii(code)] = code;
    const std::string naam = textOf(r.values[std::size_t(c.fieldIndex("naam"))]);
    if (!naam.empty()) f.categories.emplace(toLowerAscii(naam), code);
  }
  return f;
}

std::string joinList(const std::vector<std::string>& items, std::size_t max = 12) {
  std::string s;
  for (std::size_t i = 0; i < items.size() && i < max; ++i) s += (i ? ", " : "") + items[i];
  if (items.size() > max) s += fmt::format(" and {} more", items.size() - max);
  return s;
}

}  // namespace

void SchouwImportOptions::validate() const {
  if (csvDelimiter != 0 && csvDelimiter != ';' && csvDelimiter != ',' && csvDelimiter != '\t')
    throw geo::OptionError("delimiter", "expected ';', ',' or a tab");
  if (futureSlackMinutes < 0 || futureSlackMinutes > 24 * 60)
    throw geo::OptionError("future-slack", "expected 0..1440 minutes");
  if (!now.empty() && !isIsoDateTime(now))
    throw geo::OptionError("now", "expected YYYY-MM-DDTHH:MM:SS, got '" + now + "'");
}

std::string brontypeForPartnerType(const std::string& partnerType) {
  if (partnerType == "jager_wbe") return "jager";
  if (partnerType == "wijkagent" || partnerType == "politie") return "politie";
  // boer, loonbedrijf, boa and gebiedsbeheerder are brontypes of their own.
  return partnerType;
}

bool looksLikeSchouwCsv(const std::string& path) {
  const std::string ext = toLowerAscii(std::filesystem::path(path).extension().string());
  if (ext != ".csv" && ext != ".txt") return false;
  try {
    // The header only, parsed from the file's first whole lines: readCsv held the whole file
    // (3 GB for a 10M-row signals CSV before `veldwacht import` had imported a row), and a
    // CsvStream would read all of it once for its encoding before handing out the header.
    std::ifstream in(path, std::ios::binary);
    std::string head(64 * 1024, '\0');
    in.read(head.data(), std::streamsize(head.size()));
    head.resize(std::size_t(in.gcount()));
    if (const auto nl = head.rfind('\n'); nl != std::string::npos) head.resize(nl + 1);
    const auto cols = mapColumns(parseCsv(std::move(head), path).header);
    return cols.at(Col::Site) >= 0 && cols.at(Col::Partner) >= 0 &&
           (cols.at(Col::Tijdstip) >= 0 || cols.at(Col::Datum) >= 0) &&
           cols.at(Col::Bevinding) >= 0;
  } catch (const geo::Error&) {
    return false;
  }
}

SchouwBatches prepareSchouwImport(Store& store, std::span<const std::string> paths,
                                  const SchouwImportOptions& options, geo::Progress& progress) {
  options.validate();
  if (paths.empty()) throw geo::OptionError("files", "no schouw file given");
  const std::string latest = latestAllowed(options);
  const StoreFacts facts = readFacts(store);
  const SiteIndex sites(store);
  const LayerDef& sdef = layerDef("schouwresultaten");
  const LayerDef& gdef = layerDef("signalen");

  SchouwBatches out;
  out.results.layer = "schouwresultaten";
  out.signalBatch.layer = "signalen";
  std::vector<Problem> problems;
  std::int64_t done = 0;

  for (const std::string& path : paths) {
    CsvOptions csvOptions;
    csvOptions.delimiter = options.csvDelimiter;
    const CsvTable table = readCsv(path, csvOptions);
    out.report.files.push_back(path);
    out.report.encodings.push_back(table.encoding);
    if (out.results.sourceFile.empty()) {
      out.results.sourceFile = path;
      out.results.sourceSha256 = fileSha256(path);
    } else {
      out.results.sourceFile += ", " + path;
    }
    for (const CsvIssue& issue : table.errors)
      problems.push_back({{path, issue.row, ""}, issue.message});

    const auto cols = mapColumns(table.header);
    const bool hasTime = cols.at(Col::Tijdstip) >= 0 || cols.at(Col::Datum) >= 0;
    bool headerOk = true;
    auto need = [&](bool present, const char* what, const std::string& expected) {
      if (present) return;
      headerOk = false;
      problems.push_back(
          {{path, 1, what}, "no " + std::string(what) + " column; expected one of: " + expected});
    };
    need(cols.at(Col::Site) >= 0, "site", names(Col::Site));
    need(cols.at(Col::Partner) >= 0, "partner", names(Col::Partner));
    need(hasTime, "tijdstip", names(Col::Tijdstip) + " (or datum + tijd)");
    if (!headerOk) continue;

    auto cell = [&](const CsvRow& row, Col col) -> std::string {
      const int i = cols.at(col);
      return i < 0 ? std::string() : row.values[std::size_t(i)];
    };
    auto header = [&](Col col) { return table.header[std::size_t(cols.at(col))]; };

    for (const CsvRow& row : table.rows) {
      progress.checkCancelled();
      const std::size_t before = problems.size();
      auto bad = [&](Col col, const std::string& what) {
        problems.push_back({{path, row.row, cols.at(col) >= 0 ? header(col) : ""}, what});
      };

      // Partner.
      const std::string partner = cell(row, Col::Partner);
      std::string partnerType;
      if (partner.empty()) {
        bad(Col::Partner, "empty; expected a partner_id of the partners layer");
      } else if (auto it = facts.partnerTypes.find(partner); it == facts.partnerTypes.end()) {
        bad(Col::Partner,
            "unknown partner '" + partner + "'; expected a partner_id of the partners layer");
      } else {
        partnerType = it->second;
      }

      // Site.
      const std::string siteId = cell(row, Col::Site);
      const std::string laag = toLowerAscii(cell(row, Col::Laag));
      const SiteInfo* site = nullptr;
      if (siteId.empty()) {
        bad(Col::Site, "empty; expected the id of the visited site");
      } else if (!laag.empty()) {
        if (!sites.knowsLayer(laag))
          bad(Col::Laag,
              "unknown site layer '" + laag + "'; expected one of: " + joinList(sites.layers()));
        else if (!(site = sites.find(laag, siteId)))
          bad(Col::Site, "unknown site '" + siteId + "' in layer " + laag);
      } else {
        const auto found = sites.findAnyLayer(siteId);
        if (found.empty()) {
          bad(Col::Site, "unknown site '" + siteId + "'; no site layer (" +
                             joinList(sites.layers()) + ") has it");
        } else if (found.size() > 1) {
          std::vector<std::string> where;
          for (const auto* s : found) where.push_back(s->laag);
          bad(Col::Site, "site '" + siteId + "' is in several layers (" + joinList(where) +
                             "); add a site_laag column");
        } else {
          site = found.front();
        }
      }

      // Time.
      std::optional<std::string> when;
      if (cols.at(Col::Tijdstip) >= 0 && !cell(row, Col::Tijdstip).empty()) {
        const std::string t = cell(row, Col::Tijdstip);
        if (!(when = parseDateTime(t)))
          bad(Col::Tijdstip,
              "bad time '" + t + "'; expected e.g. 2026-03-02T14:05 or 2-3-2026 14:05");
      } else if (cols.at(Col::Datum) >= 0 && !cell(row, Col::Datum).empty()) {
        const std::string d = cell(row, Col::Datum), t = cell(row, Col::Tijd);
        const auto date = parseDate(d);
        if (!date) {
          bad(Col::Datum, "bad date '" + d + "'; expected e.g. 2-3-2026 or 2026-03-02");
        } else if (t.empty()) {
          bad(Col::Tijd, "no time of day; expected e.g. 14:05 next to the date");
        } else if (!(when = parseDateTime(*date + " " + t))) {
          bad(Col::Tijd, "bad time of day '" + t + "'; expected e.g. 14:05 or 14.05");
        }
      } else {
        bad(cols.at(Col::Tijdstip) >= 0 ? Col::Tijdstip : Col::Datum,
            "empty; expected the time of the schouw");
      }
      if (when && *when > latest)
        bad(cols.at(Col::Tijdstip) >= 0 ? Col::Tijdstip : Col::Datum,
            "time " + *when + " is in the future (now " + latest.substr(0, 16) +
                " with slack); expected a past time");

      // Category and signal mark.
      std::string categorie;
      if (const std::string c = cell(row, Col::Categorie); !c.empty()) {
        if (auto it = facts.categories.find(toLowerAscii(c)); it != facts.categories.end())
          categorie = it->second;
        else
          bad(Col::Categorie,
              "unknown categorie '" + c + "'; expected one of: " + joinList(facts.categoryCodes));
      }
      bool signal = !categorie.empty();
      if (const std::string m = cell(row, Col::Signaal); !m.empty()) {
        const auto b = parseBoolean(m);
        if (!b)
          bad(Col::Signaal, "'" + m + "' is not ja/nee");
        else if (*b && cell(row, Col::Categorie).empty())
          bad(Col::Signaal, "marked as a signal but no categorie; a signal needs one of: " +
                                joinList(facts.categoryCodes));
        else if (!*b && !categorie.empty())
          signal = false;  // a category given for information, explicitly not a signal
      }
      if (problems.size() != before) continue;

      const std::string bevinding = cell(row, Col::Bevinding);
      std::string id = cell(row, Col::Id);
      if (id.empty()) id = "SCH-" + partner + "-" + compactTime(*when) + "-" + siteId;
      Record r = emptyRecord(sdef);
      r.sourceRow = row.row;
      set(r, sdef, "schouw_id", id);
      set(r, sdef, "partner_id", partner);
      set(r, sdef, "site_laag", site->laag);
      set(r, sdef, "site_id", site->id);
      set(r, sdef, "tijdstip", *when);
      if (!bevinding.empty()) set(r, sdef, "bevinding", bevinding);
      if (!categorie.empty()) set(r, sdef, "categorie", categorie);
      if (const std::string f = cell(row, Col::Foto); !f.empty()) set(r, sdef, "foto", f);
      set(r, sdef, "synthetisch", std::int64_t(options.synthetic ? 1 : 0));
      if (signal) {
        const std::string sid = "SIG-" + id;
        set(r, sdef, "signaal_id", sid);
        Record g = emptyRecord(gdef);
        g.sourceRow = row.row;
        set(g, gdef, "signaal_id", sid);
        set(g, gdef, "categorie", categorie);
        set(g, gdef, "brontype", brontypeForPartnerType(partnerType));
        set(g, gdef, "bron_partner_id", partner);
        set(g, gdef, "waargenomen_van", *when);
        set(g, gdef, "status", std::string("nieuw"));
        set(g, gdef, "terugkoppeling", std::int64_t(0));
        std::string text = "Schouw " + id + " (" + site->laag + " " + site->id + ")";
        if (!bevinding.empty()) text += ": " + bevinding;
        set(g, gdef, "omschrijving", text);
        if (!site->bagPandId.empty() && site->bagPandId.size() <= 16)
          set(g, gdef, "bag_pand_id", site->bagPandId);
        set(g, gdef, "synthetisch", std::int64_t(options.synthetic ? 1 : 0));
        g.geometry.reset(new OGRPoint(site->x, site->y));
        out.signalBatch.records.push_back(std::move(g));
      }
      out.results.records.push_back(std::move(r));
      ++done;
    }
  }
  // Per-record checks of the schema (types, widths, value lists) before anything is written;
  // the store adds duplicate keys and references (in its one transaction).
  for (const Record& r : out.results.records)
    validateRecord(sdef, r, out.results.sourceFile, problems);
  for (const Record& r : out.signalBatch.records)
    validateRecord(gdef, r, out.results.sourceFile, problems);
  if (!problems.empty()) throw ValidationError(std::move(problems));
  out.signalBatch.sourceFile = out.results.sourceFile;
  out.signalBatch.sourceSha256 = out.results.sourceSha256;
  out.results.sourceCrs = out.signalBatch.sourceCrs = "EPSG:28992";
  out.results.transformation = out.signalBatch.transformation = "none (locations of the sites)";
  out.report.rows = done;
  out.report.signalCount = std::int64_t(out.signalBatch.records.size());
  return out;
}

SchouwImportReport importSchouw(Store& store, std::span<const std::string> paths,
                                const SchouwImportOptions& options, geo::Progress& progress) {
  SchouwBatches b = prepareSchouwImport(store, paths, options, progress);
  std::vector<ImportBatch> batches;
  batches.push_back(std::move(b.results));
  if (!b.signalBatch.records.empty()) batches.push_back(std::move(b.signalBatch));
  store.append(batches, progress);
  return b.report;
}

std::string SchouwImportReport::str() const {
  std::string s;
  for (std::size_t i = 0; i < files.size(); ++i)
    s += fmt::format("{} ({})\n", files[i], i < encodings.size() ? encodings[i] : "");
  s += fmt::format("schouwresultaten: {} rows imported; signalen: {} made from findings", rows,
                   signalCount);
  return s;
}

}  // namespace veldwacht::layers
