#include "layers/importers/signal_export.h"

#include <algorithm>
#include <utility>

#include "layers/schema/validate.h"
#include "layers/store/checksum.h"

namespace veldwacht::layers {

namespace {

using Synonyms = std::vector<std::pair<std::string, std::vector<std::string>>>;

// Category code -> everyday words (normalised when loaded). Only codes the run knows are used.
const Synonyms& categorySynonyms() {
  static const Synonyms s = {
      {"DRUGSAFVAL",
       {"drugsafval", "drugsdumping", "dumping drugsafval", "drugsafvaldumping", "dumping",
        "afvaldumping", "lozing", "lozing drugsafval", "vatendumping", "dumping vaten", "vaten",
        "jerrycans", "chemisch afval", "drugs afval", "drug waste", "drug dumping"}},
      {"DRUGSLAB",
       {"drugslab", "xtc-lab", "xtc lab", "xtc", "synthetische drugs", "synthetisch drugslab",
        "amfetaminelab", "speedlab", "crystal meth lab", "methlab", "productielocatie", "drugs lab",
        "drug lab", "lab"}},
      {"HENNEP",
       {"hennep", "hennepkwekerij", "hennepteelt", "wietkwekerij", "wietplantage", "wiet",
        "cannabis", "cannabiskwekerij", "kwekerij", "hennepplantage", "cannabis farm"}},
      {"VERHUUR",
       {"verhuur", "verdachte verhuur", "verhuur schuur", "verhuur pand", "huur", "onderhuur"}},
      {"ACTIVITEIT",
       {"activiteit", "verdachte activiteit", "activiteit leegstand", "leegstand",
        "leegstaand pand", "nachtelijke activiteit", "verdachte situatie"}},
      {"OPSLAG",
       {"opslag", "transport", "opslag transport", "precursoren", "opslag precursoren",
        "drugsopslag", "wapenopslag", "storage"}},
      {"HUISVESTING",
       {"huisvesting", "slechte huisvesting", "arbeidsmigranten", "huisvesting arbeidsmigranten",
        "illegale bewoning", "bewoning"}},
      {"INTIMIDATIE", {"intimidatie", "bedreiging", "afpersing", "benadering"}},
      {"MILIEU",
       {"milieu", "milieucriminaliteit", "illegaal storten", "afvalstort", "storting", "mestfraude",
        "milieudelict"}},
      {"BEDRIJFSPAND",
       {"bedrijfspand", "bedrijventerrein", "bedrijfsverzamelgebouw", "loods", "bedrijf"}},
  };
  return s;
}

const Synonyms& brontypeSynonyms() {
  static const Synonyms s = {
      {"burger",
       {"burger", "bewoner", "inwoner", "buurtbewoner", "omwonende", "particulier", "citizen",
        "resident"}},
      {"ondernemer", {"ondernemer", "bedrijf", "winkelier", "bedrijfsleven", "business"}},
      {"boer", {"boer", "agrarier", "agrariër", "landbouwer", "veehouder", "akkerbouwer"}},
      {"jager", {"jager", "wbe", "wildbeheereenheid", "hunter"}},
      {"loonbedrijf", {"loonbedrijf", "loonwerker", "loonwerkbedrijf", "loonwerk"}},
      {"boa", {"boa", "handhaving", "handhaver", "toezichthouder", "jachtopziener"}},
      {"politie", {"politie", "wijkagent", "agent", "police"}},
      {"mma", {"mma", "meld misdaad anoniem", "anoniem", "anonymous"}},
      {"netbeheerder", {"netbeheerder", "enexis", "liander", "stedin", "energieleverancier"}},
      {"waterschap", {"waterschap", "hunze en aas", "noorderzijlvest", "waterbeheerder"}},
      {"omgevingsdienst", {"omgevingsdienst", "odg", "rud", "milieudienst"}},
      {"gebiedsbeheerder",
       {"gebiedsbeheerder", "boswachter", "staatsbosbeheer", "natuurmonumenten", "terreinbeheerder",
        "landschapsbeheer"}},
  };
  return s;
}

const Synonyms& statusSynonyms() {
  static const Synonyms s = {
      {"nieuw", {"nieuw", "new", "open", "gemeld", "ontvangen", "geregistreerd"}},
      {"in_behandeling",
       {"in behandeling", "in_behandeling", "behandeling", "in onderzoek", "onderzoek", "lopend",
        "in progress"}},
      {"doorgezet", {"doorgezet", "doorgestuurd", "overgedragen", "doorgeleid", "forwarded"}},
      {"afgesloten",
       {"afgesloten", "gesloten", "afgehandeld", "afgerond", "gereed", "closed", "done"}},
      {"ongegrond", {"ongegrond", "niet gegrond", "onterecht", "vals", "unfounded"}},
  };
  return s;
}

const Synonyms& betrouwbaarheidSynonyms() {
  static const Synonyms s = {
      {"A", {"a", "betrouwbaar", "zeer betrouwbaar", "reliable"}},
      {"B", {"b", "meestal betrouwbaar", "redelijk betrouwbaar", "usually reliable"}},
      {"C", {"c", "niet altijd betrouwbaar", "twijfelachtig", "not always reliable"}},
      {"D", {"d", "onbekend", "onbekende betrouwbaarheid", "unknown"}},
  };
  return s;
}

std::size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string normaliseWord(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c >= 'A' && c <= 'Z')
      out += char(c - 'A' + 'a');
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
             (static_cast<unsigned char>(c) & 0x80))
      out += c;
  }
  return out;
}

const char* matchKindName(MatchKind kind) {
  switch (kind) {
    case MatchKind::Exact:
      return "exact";
    case MatchKind::Case:
      return "code in other case";
    case MatchKind::Label:
      return "label";
    case MatchKind::Synonym:
      return "synonym";
  }
  return "?";
}

SignalVocabulary::SignalVocabulary(const std::map<std::string, std::string>& categories)
    : labels_(categories) {
  auto add = [&](const std::string& field, const std::string& word, const std::string& value,
                 MatchKind kind) {
    const std::string n = normaliseWord(word);
    if (n.empty()) return;
    auto& list = entries_[field];
    // The first entry for a word wins (codes before labels before synonyms).
    if (index_[field].emplace(n, list.size()).second) list.push_back({n, value, kind});
  };
  for (const auto& [code, label] : categories) add("categorie", code, code, MatchKind::Case);
  for (const auto& [code, label] : categories) add("categorie", label, code, MatchKind::Label);
  for (const auto& [code, words] : categorySynonyms())
    if (categories.count(code))
      for (const auto& w : words) add("categorie", w, code, MatchKind::Synonym);
  const auto addAll = [&](const std::string& field, const Synonyms& synonyms) {
    for (const auto& [value, words] : synonyms) add(field, value, value, MatchKind::Case);
    for (const auto& [value, words] : synonyms)
      for (const auto& w : words) add(field, w, value, MatchKind::Synonym);
  };
  addAll("brontype", brontypeSynonyms());
  addAll("status", statusSynonyms());
  addAll("betrouwbaarheid", betrouwbaarheidSynonyms());
}

bool SignalVocabulary::handles(const std::string& field) {
  return field == "categorie" || field == "brontype" || field == "status" ||
         field == "betrouwbaarheid";
}

std::optional<ValueMatch> SignalVocabulary::match(const std::string& field,
                                                  std::string_view raw) const {
  auto it = index_.find(field);
  if (it == index_.end()) return std::nullopt;
  std::string_view trimmed = raw;
  while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t'))
    trimmed.remove_prefix(1);
  while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t'))
    trimmed.remove_suffix(1);
  const std::string n = normaliseWord(trimmed);
  if (n.empty()) return std::nullopt;
  const auto found = it->second.find(n);
  if (found == it->second.end()) return std::nullopt;
  const Entry& e = entries_.at(field)[found->second];
  return ValueMatch{e.value, trimmed == e.value ? MatchKind::Exact : e.kind};
}

std::string SignalVocabulary::suggest(const std::string& field, std::string_view raw) const {
  auto it = entries_.find(field);
  if (it == entries_.end()) return {};
  const std::string n = normaliseWord(raw);
  if (n.empty()) return {};
  std::size_t best = std::string::npos;
  std::vector<std::string> values;
  for (const auto& e : it->second) {
    // A word contained in the value (or the other way round) counts as close.
    const bool contains = e.normalised.size() >= 4 && (n.find(e.normalised) != std::string::npos ||
                                                       e.normalised.find(n) != std::string::npos);
    const std::size_t d = contains ? 1 : editDistance(n, e.normalised);
    const std::size_t limit = std::max<std::size_t>(2, std::min(n.size(), e.normalised.size()) / 3);
    if (d > limit) continue;
    if (d < best) {
      best = d;
      values.clear();
    }
    if (d == best && std::find(values.begin(), values.end(), e.value) == values.end())
      values.push_back(e.value);
  }
  std::string s;
  for (const auto& v : values) {
    if (!s.empty()) s += " or ";
    s += "'" + v + "'";
    if (auto l = labels_.find(v); field == "categorie" && l != labels_.end() && !l->second.empty())
      s += " (" + l->second + ")";
  }
  return s;
}

const std::vector<std::string>& timeColumnNames() {
  static const std::vector<std::string> names = {
      "tijd",           "time",         "uur",          "tijd waarneming", "tijd_waarneming",
      "tijdwaarneming", "tijd melding", "tijd_melding", "tijdmelding",     "tijdstip",
      "waarneemtijd",   "tijd van",     "tijd_van",     "starttijd",       "begintijd"};
  return names;
}

std::string generatedSignalId(const std::vector<Value>& sourceValues) {
  std::string content;
  for (std::size_t i = 0; i < sourceValues.size(); ++i) {
    if (i) content += '\x1f';
    const Value& v = sourceValues[i];
    if (const auto* s = std::get_if<std::string>(&v))
      content += *s;
    else if (!isNull(v))
      content += describeValue(v);
  }
  return "GEN-" + sha256Hex(content).substr(0, 16);
}

}  // namespace veldwacht::layers
