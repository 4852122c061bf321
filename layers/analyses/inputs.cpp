#include "layers/analyses/inputs.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>

#include <fmt/core.h>

#include "geo/core/error.h"
#include "geo/core/memory.h"

namespace veldwacht::layers {

namespace {

const LayerDef& knownLayer(const std::string& name, const char* option) {
  for (const auto& d : layerDefs())
    if (d.name == name) return d;
  std::string known;
  for (const auto& d : layerDefs())
    if (d.geometry != GeometryKind::None) known += (known.empty() ? "" : ", ") + d.name;
  throw geo::OptionError(option, "unknown layer '" + name + "' (layers: " + known + ")");
}

/// User text → checked filter (OptionError "where" naming the position) → the store. The text
/// never reaches SQL itself; `applied` gets the normalised filter for the metadata.
std::vector<Record> readFiltered(Store& store, const LayerDef& def, const std::string& where,
                                 std::string* applied = nullptr) {
  const FilterSql filter = compileFilter(def, where, "where");
  if (applied) *applied = filter.text();
  return store.read(def.name, filter);
}

int parseInt(std::string_view s, std::size_t pos, std::size_t len, bool& ok) {
  int v = 0;
  if (pos + len > s.size()) {
    ok = false;
    return 0;
  }
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') {
      ok = false;
      return 0;
    }
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible
/// Low-Level Date Algorithms").
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civilFromDays(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

std::vector<std::uint8_t> toWkb(const OGRGeometry& g) {
  std::vector<std::uint8_t> wkb(g.WkbSize());
  g.exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
  return wkb;
}

bool isPolygonal(GeometryKind k) { return k == GeometryKind::MultiPolygon; }

}  // namespace

double checkedWeight(std::optional<double> weight, const geo::Location& where) {
  if (!weight) throw geo::InputError(where, "the weight is NULL");
  if (!(*weight >= 0) || !std::isfinite(*weight))
    throw geo::InputError(where, "a weight must be finite and >= 0");
  return *weight;
}

geo::Point parseXy(const std::string& text, const std::string& option) {
  const auto comma = text.find(',');
  auto number = [&](std::string_view part, double& v) {
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    const auto r = std::from_chars(part.data(), part.data() + part.size(), v);
    return !part.empty() && r.ec == std::errc() && r.ptr == part.data() + part.size() &&
           std::isfinite(v);
  };
  geo::Point p{};
  if (comma == std::string::npos || !number(std::string_view(text).substr(0, comma), p.x) ||
      !number(std::string_view(text).substr(comma + 1), p.y))
    throw geo::OptionError(
        option, "expected X,Y in EPSG:28992 metres, e.g. 256984,594814; got '" + text + "'");
  return p;
}

std::string formatXy(const geo::Point& p) {
  if (!std::isfinite(p.x) || !std::isfinite(p.y)) return "";
  return fmt::format("{},{}", p.x, p.y);
}

geo::Extent parseBbox(const std::string& text, const std::string& option) {
  // Two "X,Y" halves, split at the second comma.
  const auto first = text.find(',');
  const auto second = first == std::string::npos ? first : text.find(',', first + 1);
  const auto refuse = [&]() -> geo::Extent {
    throw geo::OptionError(option,
                           "expected MINX,MINY,MAXX,MAXY in EPSG:28992 metres with MIN < MAX, "
                           "e.g. 120000,440000,170000,480000; got '" +
                               text + "'");
  };
  if (second == std::string::npos) return refuse();
  geo::Point lo{}, hi{};
  try {
    lo = parseXy(text.substr(0, second), option);
    hi = parseXy(text.substr(second + 1), option);
  } catch (const geo::OptionError&) {
    return refuse();
  }
  if (!(lo.x < hi.x && lo.y < hi.y)) return refuse();
  return {lo.x, lo.y, hi.x, hi.y};
}

std::string formatBbox(const geo::Extent& e) {
  if (e.empty()) return "";
  return formatXy({e.minX, e.minY}) + "," + formatXy({e.maxX, e.maxY});
}

std::string PointSelection::describe() const {
  std::string s = layer;
  if (!bbox.empty() || !where.empty())
    s += " [" + (bbox.empty() ? "" : "bbox " + formatBbox(bbox) + (where.empty() ? "" : "; ")) +
         where + "]";
  if (!weightField.empty()) s += " (gewicht " + weightField + ")";
  return s;
}

std::optional<geo::TimeSeconds> parseIsoTime(std::string_view s) {
  bool ok = true;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const int y = parseInt(s, 0, 4, ok), mo = parseInt(s, 5, 2, ok), d = parseInt(s, 8, 2, ok);
  if (!ok || mo < 1 || mo > 12 || d < 1) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[mo - 1] + (mo == 2 && leap ? 1 : 0)) return std::nullopt;
  int h = 0, mi = 0, sec = 0;
  if (s.size() > 10) {
    if ((s[10] != 'T' && s[10] != ' ') || s.size() < 16 || s[13] != ':') return std::nullopt;
    h = parseInt(s, 11, 2, ok);
    mi = parseInt(s, 14, 2, ok);
    if (s.size() > 16) {
      if (s[16] != ':' || s.size() < 19) return std::nullopt;
      sec = parseInt(s, 17, 2, ok);
      std::size_t rest = 19;
      if (rest < s.size() && s[rest] == '.') {  // fractions of a second are dropped
        ++rest;
        while (rest < s.size() && s[rest] >= '0' && s[rest] <= '9') ++rest;
      }
      if (rest != s.size()) return std::nullopt;
    }
    if (!ok || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  }
  return daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 +
         mi * 60 + sec;
}

std::string formatIsoDateTime(geo::TimeSeconds t) {
  const std::int64_t days = (t >= 0 ? t : t - 86399) / 86400;
  const std::int64_t rest = t - days * 86400;
  int y = 0;
  unsigned m = 0, d = 0;
  civilFromDays(days, y, m, d);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", y, m, d, rest / 3600, rest / 60 % 60,
                     rest % 60);
}

std::string formatIsoDate(geo::TimeSeconds t) { return formatIsoDateTime(t).substr(0, 10); }

namespace {

bool gColumnReads = true;

/// The fields of a point layer that a PointInput holds (-1 = none).
struct PointFields {
  int key = -1, from = -1, to = -1, category = -1, source = -1, weight = -1;
};

PointFields pointFields(const LayerDef& def, int weightIndex) {
  PointFields f;
  f.key = def.fieldIndex(def.key);
  f.weight = weightIndex;
  if (def.name == "signalen") {
    f.from = def.fieldIndex("waargenomen_van");
    f.to = def.fieldIndex("waargenomen_tot");
    f.category = def.fieldIndex("categorie");
    f.source = def.fieldIndex("brontype");
  } else if (def.name == "incidenten") {
    f.from = def.fieldIndex("datum");
    f.category = def.fieldIndex("misdrijf_code");
  } else if (def.name == "vab") {
    f.category = def.fieldIndex("leegstand");
  }
  return f;
}

/// parseIsoTime of a stored DATE / DATETIME text as the record path sees it (GDAL parses it,
/// getOgrField prints `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` with the seconds rounded).
/// `known` is false for any form other than GDAL's own (`YYYY-MM-DD`,
/// `YYYY-MM-DDTHH:MM:SS[.sss][Z]`): the record path then reads it with GDAL's parser.
std::optional<geo::TimeSeconds> storedTime(std::string_view s, FieldType type, bool& known) {
  known = false;
  const auto digits = [&](std::size_t pos, std::size_t n) {
    if (pos + n > s.size()) return false;
    for (std::size_t i = pos; i < pos + n; ++i)
      if (s[i] < '0' || s[i] > '9') return false;
    return true;
  };
  if (s.size() < 10 || !digits(0, 4) || s[4] != '-' || !digits(5, 2) || s[7] != '-' ||
      !digits(8, 2))
    return std::nullopt;
  if (type == FieldType::Date) {
    known = s.size() == 10;
    return known ? parseIsoTime(s) : std::nullopt;
  }
  if (s.size() < 19 || s[10] != 'T' || !digits(11, 2) || s[13] != ':' || !digits(14, 2) ||
      s[16] != ':' || !digits(17, 2))
    return std::nullopt;
  std::size_t end = 19;
  if (end < s.size() && s[end] == '.') {
    ++end;
    if (!digits(end, 1)) return std::nullopt;
    while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
  }
  const std::size_t secondsEnd = end;
  if (end < s.size() && s[end] == 'Z') ++end;
  if (end != s.size()) return std::nullopt;
  known = true;
  if (secondsEnd == 19) return parseIsoTime(s.substr(0, 19));
  // The seconds as GDAL keeps them (a float), rounded as getOgrField rounds them.
  double seconds = 0;
  std::from_chars(s.data() + 17, s.data() + secondsEnd, seconds);
  const int rounded = static_cast<int>(static_cast<float>(seconds) + 0.5f);
  if (rounded > 59) return std::nullopt;  // "…:60" is not a time to parseIsoTime either
  char text[19];
  std::memcpy(text, s.data(), 17);
  text[17] = char('0' + rounded / 10);
  text[18] = char('0' + rounded % 10);
  return parseIsoTime(std::string_view(text, 19));
}

/// Codes of one text column → dense indexes, given row by row; finish() numbers them with the
/// names sorted (so the numbering is stable). A row without text has code -1.
class CodeBuilder {
 public:
  void reserve(std::size_t n) { codes_.reserve(n); }
  void add(const geo::GpkgCell& c) {
    add(c.kind == geo::GpkgCell::Kind::Text ? std::optional<std::string_view>(c.text)
                                            : std::nullopt);
  }
  void add(const std::string* s) { add(s ? std::optional<std::string_view>(*s) : std::nullopt); }
  void add(std::optional<std::string_view> text) {
    if (!text) {
      codes_.push_back(-1);
      return;
    }
    if (last_ >= 0 && *text == names_[std::size_t(last_)]) {  // runs of one value are common
      codes_.push_back(last_);
      return;
    }
    auto it = index_.find(*text);
    if (it == index_.end()) {
      it = index_.emplace(std::string(*text), std::int64_t(names_.size())).first;
      names_.emplace_back(*text);
    }
    last_ = it->second;
    codes_.push_back(last_);
  }
  void finish(std::vector<std::int64_t>& codes, std::vector<std::string>& names) {
    std::vector<std::size_t> order(names_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return names_[a] < names_[b]; });
    std::vector<std::int64_t> renumber(names_.size());
    names.clear();
    for (std::size_t i = 0; i < order.size(); ++i) {
      renumber[order[i]] = std::int64_t(i);
      names.push_back(std::move(names_[order[i]]));
    }
    for (std::int64_t& c : codes_)
      if (c >= 0) c = renumber[std::size_t(c)];
    codes = std::move(codes_);
  }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::int64_t, Hash, std::equal_to<>> index_;
  std::vector<std::string> names_;
  std::vector<std::int64_t> codes_;
  std::int64_t last_ = -1;
};

/// Takes the fields of each row as Store::readPointColumns reads them and converts them at once
/// (no geo::GpkgValue per field per row). Stops the scan at the first row the column path
/// cannot take as is (see readPointsByColumn).
class PointRowSink : public geo::GpkgRowSink {
 public:
  /// Column of each PointFields member in the scan's field list (-1: not read).
  struct Columns {
    int key = -1, from = -1, to = -1, category = -1, source = -1, weight = -1;
  };
  PointRowSink(const Columns& at, FieldType fromType, FieldType toType, PointInput& in)
      : at_(at), fromType_(fromType), toType_(toType), in_(in) {}

  void expect(std::size_t n) override {
    geo::reserveLarge(in_.keys.ends, n);
    if (at_.from >= 0) {
      in_.timeFrom.reserve(n);
      in_.timeTo.reserve(n);
    }
    if (at_.weight >= 0) in_.weights.reserve(n);
    if (at_.category >= 0) categories_.reserve(n);
    if (at_.source >= 0) sources_.reserve(n);
  }

  bool row(std::span<const geo::GpkgCell> cells) override {
    if (at_.from >= 0 && !addTimes(cells)) return refuse();
    if (at_.weight >= 0) {
      const geo::GpkgCell& c = cells[std::size_t(at_.weight)];
      double w = -1;
      if (c.kind == geo::GpkgCell::Kind::Integer)
        w = double(c.integer);
      else if (c.kind == geo::GpkgCell::Kind::Real)
        w = c.real;
      if (!(w >= 0) || !std::isfinite(w)) return refuse();
      in_.weights.push_back(w);
    }
    if (at_.category >= 0) categories_.add(cells[std::size_t(at_.category)]);
    if (at_.source >= 0) sources_.add(cells[std::size_t(at_.source)]);
    if (at_.key >= 0) {
      const geo::GpkgCell& c = cells[std::size_t(at_.key)];
      switch (c.kind) {
        case geo::GpkgCell::Kind::Text:
          in_.keys.push_back(c.text);
          break;
        case geo::GpkgCell::Kind::Integer:
          in_.keys.push_back(keyText(Value{c.integer}));
          break;
        case geo::GpkgCell::Kind::Real:
          in_.keys.push_back(keyText(Value{c.real}));
          break;
        case geo::GpkgCell::Kind::Null:
          in_.keys.push_back(keyText(Value{}));
          break;
      }
    }
    return true;
  }

  bool refused() const { return refused_; }
  void finish() {
    if (at_.category >= 0) categories_.finish(in_.categories, in_.categoryNames);
    if (at_.source >= 0) sources_.finish(in_.sources, in_.sourceNames);
  }

 private:
  bool refuse() {
    refused_ = true;
    return false;
  }
  bool addTimes(std::span<const geo::GpkgCell> cells) {
    const geo::GpkgCell& fromCell = cells[std::size_t(at_.from)];
    if (fromCell.kind != geo::GpkgCell::Kind::Text) return false;
    bool known = false;
    const auto from = storedTime(fromCell.text, fromType_, known);
    if (!from) return false;
    std::optional<geo::TimeSeconds> to;
    if (at_.to >= 0) {
      const geo::GpkgCell& c = cells[std::size_t(at_.to)];
      if (c.kind == geo::GpkgCell::Kind::Text) {
        bool toKnown = false;
        to = storedTime(c.text, toType_, toKnown);
        if (!toKnown) return false;
      } else if (c.kind != geo::GpkgCell::Kind::Null) {
        return false;
      }
    }
    in_.timeFrom.push_back(*from);
    in_.timeTo.push_back(to && *to >= *from ? *to : *from);
    return true;
  }

  Columns at_;
  FieldType fromType_, toType_;
  PointInput& in_;
  CodeBuilder categories_, sources_;
  bool refused_ = false;
};

/// The column-wise path: Store::readPointColumns (one SELECT, only the fields a PointInput
/// holds, converted while the rows are read). nullopt whenever a row needs more than that path
/// knows: no point (an empty or missing geometry, a multipoint), a NULL or unparsable time, a
/// NULL or negative weight, an empty selection. The record path then reads the same rows and
/// gives its usual centroid, value or error, so both paths give the same PointInput.
std::optional<PointInput> readPointsByColumn(Store& store, const LayerDef& def,
                                             const FilterSql& filter, const PointFields& f,
                                             geo::Progress& progress) {
  std::vector<std::string> names;
  std::vector<int> at(def.fields.size(), -1);  // field index → column
  const auto column = [&](int field) {
    if (field < 0) return -1;
    if (at[std::size_t(field)] < 0) {
      at[std::size_t(field)] = int(names.size());
      names.push_back(def.fields[std::size_t(field)].name);
    }
    return at[std::size_t(field)];
  };
  PointRowSink::Columns cols;
  cols.key = column(f.key);
  cols.from = column(f.from);
  cols.to = column(f.to);
  cols.category = column(f.category);
  cols.source = column(f.source);
  cols.weight = column(f.weight);
  const auto typeOf = [&](int field) {
    return field >= 0 ? def.fields[std::size_t(field)].type : FieldType::Text;
  };
  PointInput in;
  PointRowSink sink(cols, typeOf(f.from), typeOf(f.to), in);
  geo::SubProgress scan(progress, 0.0, 0.95);
  std::optional<geo::GpkgPoints> rows =
      store.readPointColumns(def.name, filter, names, scan, &sink);
  if (!rows || sink.refused() || !rows->withoutPoint.empty() || rows->points.empty())
    return std::nullopt;
  sink.finish();
  if (f.key < 0) {
    geo::reserveLarge(in.keys.ends, rows->fids.size());
    for (const std::int64_t fid : rows->fids) in.keys.push_back(std::to_string(fid));
  }
  in.points = std::move(rows->points);
  progress.setFraction(1.0);
  return in;
}

/// The record path: Store::read (an OGRFeature and a geometry per row).
PointInput readPointsByRecord(Store& store, const LayerDef& def, const PointSelection& sel,
                              const FilterSql& filter, const PointFields& f,
                              geo::Progress& progress) {
  geo::ProgressStep step(progress, 0.0, 1.0, "reading " + def.name);
  std::vector<Record> records = sel.bbox.empty() ? store.read(def.name, filter)
                                                 : store.readWithin(def.name, sel.bbox, filter);
  if (records.empty())
    throw geo::InputError({sel.describe(), std::nullopt, ""},
                          "the selection holds no rows; nothing to analyse");

  PointInput in;
  in.points.reserve(records.size());
  in.keys.ends.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    if (!r.geometry || r.geometry->IsEmpty())
      throw geo::InputError({def.name, r.sourceRow, "geom"}, "the row has no geometry");
    if (wkbFlatten(r.geometry->getGeometryType()) == wkbPoint) {
      const OGRPoint* p = r.geometry->toPoint();
      in.points.push_back({p->getX(), p->getY()});
    } else {
      OGRPoint c;
      if (r.geometry->Centroid(&c) != OGRERR_NONE)
        throw geo::InputError({def.name, r.sourceRow, "geom"}, "no centroid");
      in.points.push_back({c.getX(), c.getY()});
    }
    in.keys.push_back(f.key >= 0 ? keyText(r.values[f.key]) : std::to_string(r.sourceRow));
    if (f.from >= 0) {
      const auto from = parseIsoTime(keyText(r.values[f.from]));
      if (!from)
        throw geo::InputError({def.name, r.sourceRow, def.fields[f.from].name},
                              "not an ISO date or datetime");
      std::optional<geo::TimeSeconds> to;
      if (f.to >= 0 && !isNull(r.values[f.to])) to = parseIsoTime(keyText(r.values[f.to]));
      in.timeFrom.push_back(*from);
      in.timeTo.push_back(to && *to >= *from ? *to : *from);
    }
    if (f.weight >= 0) {
      const Value& v = r.values[f.weight];
      std::optional<double> w;
      if (const auto* iv = std::get_if<std::int64_t>(&v))
        w = double(*iv);
      else if (const auto* dv = std::get_if<double>(&v))
        w = *dv;
      in.weights.push_back(checkedWeight(w, {def.name, r.sourceRow, sel.weightField}));
    }
    step.tick(i + 1, records.size());
  }
  const auto code = [&](int field, std::vector<std::int64_t>& codes,
                        std::vector<std::string>& names) {
    CodeBuilder b;
    b.reserve(records.size());
    for (const Record& r : records) b.add(std::get_if<std::string>(&r.values[std::size_t(field)]));
    b.finish(codes, names);
  };
  if (f.category >= 0) code(f.category, in.categories, in.categoryNames);
  if (f.source >= 0) code(f.source, in.sources, in.sourceNames);
  return in;
}

}  // namespace

void setColumnPointReads(bool on) { gColumnReads = on; }

namespace {

/// The checked selection both paths read: its layer, filter and fields.
struct CheckedSelection {
  const LayerDef& def;
  FilterSql filter;
  PointFields fields;
};

CheckedSelection checkSelection(const PointSelection& sel) {
  const LayerDef& def = knownLayer(sel.layer, "layer");
  if (def.geometry == GeometryKind::None)
    throw geo::OptionError("layer", "'" + def.name + "' has no geometry");
  int weightIndex = -1;
  if (!sel.weightField.empty()) {
    weightIndex = def.fieldIndex(sel.weightField);
    if (weightIndex < 0 || (def.fields[weightIndex].type != FieldType::Integer &&
                            def.fields[weightIndex].type != FieldType::Real))
      throw geo::OptionError("weight-field",
                             "'" + sel.weightField + "' is not a numeric field of " + def.name);
  }
  // User text → checked filter (OptionError "where" naming the position); the text never
  // reaches SQL itself.
  return {def, compileFilter(def, sel.where, "where"), pointFields(def, weightIndex)};
}

}  // namespace

std::optional<PointInput> readPointsByColumns(Store& store, const PointSelection& sel,
                                              geo::Progress& progress) {
  const CheckedSelection c = checkSelection(sel);
  if (!sel.bbox.empty()) return std::nullopt;  // Store::readWithin, the record path
  progress.setPhase("reading " + c.def.name);
  std::optional<PointInput> in = readPointsByColumn(store, c.def, c.filter, c.fields, progress);
  if (in) {
    in->layer = c.def.name;
    in->where = c.filter.text();
  }
  return in;
}

PointInput readPoints(Store& store, const PointSelection& sel, geo::Progress& progress) {
  const CheckedSelection c = checkSelection(sel);
  std::optional<PointInput> in;
  if (gColumnReads && sel.bbox.empty()) {
    progress.setPhase("reading " + c.def.name);
    in = readPointsByColumn(store, c.def, c.filter, c.fields, progress);
  }
  if (!in) in = readPointsByRecord(store, c.def, sel, c.filter, c.fields, progress);
  in->layer = c.def.name;
  in->where = c.filter.text();
  in->bbox = sel.bbox;
  return std::move(*in);
}

PolygonInput readPolygons(Store& store, const std::string& layer, const std::string& where) {
  const LayerDef& def = knownLayer(layer, "layer");
  if (!isPolygonal(def.geometry))
    throw geo::OptionError("layer", "'" + layer + "' is not a polygon layer");
  PolygonInput out;
  out.layer = layer;
  out.records = readFiltered(store, def, where);
  if (out.records.empty())
    throw geo::InputError({layer + (where.empty() ? "" : " [" + where + "]"), std::nullopt, ""},
                          "the selection holds no polygons");
  const int keyIndex = def.fieldIndex(def.key);
  for (const auto& r : out.records) {
    if (!r.geometry) throw geo::InputError({layer, r.sourceRow, "geom"}, "no geometry");
    out.wkb.push_back(toWkb(*r.geometry));
    out.keys.push_back(keyIndex >= 0 ? keyText(r.values[keyIndex]) : std::to_string(r.sourceRow));
  }
  return out;
}

PolygonUnits readPolygonUnits(Store& store, const std::string& layer, const std::string& where,
                              const std::string& valueField) {
  const LayerDef& def = knownLayer(layer, "layer");
  int vi = -1;
  if (!valueField.empty()) {
    vi = def.fieldIndex(valueField);
    if (vi < 0 || (def.fields[std::size_t(vi)].type != FieldType::Integer &&
                   def.fields[std::size_t(vi)].type != FieldType::Real))
      throw geo::OptionError("value-field",
                             "'" + valueField + "' is not a numeric field of " + layer);
  }
  PolygonInput polys = readPolygons(store, layer, where);
  PolygonUnits u;
  u.layer = layer;
  u.where = where;
  int nameIndex = def.fieldIndex("plan_naam");
  if (nameIndex < 0) nameIndex = def.fieldIndex("naam");
  for (std::size_t i = 0; i < polys.records.size(); ++i) {
    const auto& values = polys.records[i].values;
    const Value* name = nameIndex >= 0 ? &values[std::size_t(nameIndex)] : nullptr;
    u.names.push_back(
        name && std::holds_alternative<std::string>(*name) ? std::get<std::string>(*name) : "");
    if (vi >= 0) {
      const Value& v = values[std::size_t(vi)];
      if (const auto* iv = std::get_if<std::int64_t>(&v))
        u.values.emplace_back(double(*iv));
      else if (const auto* dv = std::get_if<double>(&v))
        u.values.emplace_back(*dv);
      else
        u.values.emplace_back(std::nullopt);
    }
  }
  u.wkb = std::move(polys.wkb);
  u.keys = std::move(polys.keys);
  return u;
}

std::vector<std::vector<std::uint8_t>> readPolygonsWkb(Store& store, const std::string& layer,
                                                       const std::string& where) {
  return readPolygons(store, layer, where).wkb;
}

}  // namespace veldwacht::layers

namespace veldwacht::layers {

std::vector<std::uint8_t> unionWkb(const std::vector<std::vector<std::uint8_t>>& polygons) {
  if (polygons.size() == 1) return polygons.front();
  OGRMultiPolygon all;
  for (const auto& w : polygons) {
    OGRGeometry* g = nullptr;
    if (OGRGeometryFactory::createFromWkb(w.data(), nullptr, &g, w.size(), wkbVariantIso) !=
            OGRERR_NONE ||
        !g)
      throw geo::LibraryError("cannot read a polygon (WKB)");
    geo::GeometryPtr owned(g);
    if (wkbFlatten(g->getGeometryType()) == wkbPolygon) {
      all.addGeometry(g);
    } else if (wkbFlatten(g->getGeometryType()) == wkbMultiPolygon) {
      for (const auto* part : *g->toMultiPolygon()) all.addGeometry(part);
    }
  }
  geo::GeometryPtr u(all.UnionCascaded());
  if (!u) throw geo::LibraryError("cannot union the study-area polygons: " + geo::lastGdalError());
  std::vector<std::uint8_t> wkb(u->WkbSize());
  u->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
  return wkb;
}

}  // namespace veldwacht::layers
