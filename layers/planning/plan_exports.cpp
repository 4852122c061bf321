#include "layers/planning/plan_exports.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include <fmt/core.h>
#include <ogr_geometry.h>
#include <nlohmann/json.hpp>

#include "geo/core/error.h"
#include "geo/planning/sun.h"
#include "layers/analyses/inputs.h"

namespace veldwacht::layers {

namespace {

namespace fs = std::filesystem;

int fieldOf(const ResultLayer& l, const std::string& name) {
  for (std::size_t i = 0; i < l.fields.size(); ++i)
    if (l.fields[i].name == name) return int(i);
  throw geo::InputError({l.name, std::nullopt, name}, "the plan table has no such field");
}

std::string text(const Record& r, int i) {
  const Value& v = r.values[std::size_t(i)];
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{:.1f}", *d);
  return {};
}

double number(const Record& r, int i) {
  const Value& v = r.values[std::size_t(i)];
  if (const auto* n = std::get_if<std::int64_t>(&v)) return double(*n);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  return 0.0;
}

std::string xml(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

std::string csvCell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string safeName(const std::string& s) {
  std::string o;
  for (char c : s)
    o += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
  return o.empty() ? "route" : o;
}

std::string hhmm(const std::string& iso) { return iso.size() >= 16 ? iso.substr(11, 5) : iso; }

geo::Point pointOf(const Record& r) {
  if (!r.geometry) return {};
  if (wkbFlatten(r.geometry->getGeometryType()) == wkbPoint) {
    const OGRPoint* p = r.geometry->toPoint();
    return {p->getX(), p->getY()};
  }
  OGRPoint c;
  r.geometry->Centroid(&c);
  return {c.getX(), c.getY()};
}

std::vector<geo::Point> lineOf(const Record& r) {
  std::vector<geo::Point> pts;
  if (!r.geometry || wkbFlatten(r.geometry->getGeometryType()) != wkbLineString) return pts;
  const OGRLineString* l = r.geometry->toLineString();
  for (int i = 0; i < l->getNumPoints(); ++i) pts.push_back({l->getX(i), l->getY(i)});
  return pts;
}

/// The visits of each dienst, in volgorde.
std::map<std::string, std::vector<const Record*>> visitsByShift(const ResultLayer& visits) {
  const int iD = fieldOf(visits, "dienst"), iV = fieldOf(visits, "volgorde");
  std::map<std::string, std::vector<const Record*>> by;
  for (const auto& r : visits.records) by[text(r, iD)].push_back(&r);
  for (auto& [d, list] : by)
    std::sort(list.begin(), list.end(),
              [&](const Record* a, const Record* b) { return number(*a, iV) < number(*b, iV); });
  return by;
}

void checkWritten(std::ofstream& out, const std::string& path) {
  out.close();
  if (!out) throw geo::InputError({path, std::nullopt, {}}, "writing the file failed");
}

std::ofstream openOut(const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw geo::InputError({path, std::nullopt, {}}, "cannot write the file");
  return out;
}

std::string svgOf(const std::vector<geo::Point>& line, const std::vector<geo::Point>& stops) {
  double minX = 1e300, minY = 1e300, maxX = -1e300, maxY = -1e300;
  for (const auto* set : {&line, &stops})
    for (const auto& p : *set) {
      minX = std::min(minX, p.x);
      minY = std::min(minY, p.y);
      maxX = std::max(maxX, p.x);
      maxY = std::max(maxY, p.y);
    }
  if (minX > maxX) return {};
  const double w = 420, h = 300, pad = 16;
  const double span = std::max({maxX - minX, maxY - minY, 1.0});
  const double scale = std::min((w - 2 * pad) / std::max(maxX - minX, span * 0.01),
                                (h - 2 * pad) / std::max(maxY - minY, span * 0.01));
  auto sx = [&](double x) { return pad + (x - minX) * scale; };
  auto sy = [&](double y) { return h - pad - (y - minY) * scale; };
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" height=\"{:.0f}\" "
      "viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"Route\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"#f7f7f2\"/>\n<polyline fill=\"none\" "
      "stroke=\"#1f6fb2\" stroke-width=\"2.5\" points=\"",
      w, h, w, h);
  for (const auto& p : line) s += fmt::format("{:.1f},{:.1f} ", sx(p.x), sy(p.y));
  s += "\"/>\n";
  if (!line.empty())
    s += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"10\" height=\"10\" fill=\"#333\"><title>Basis"
        "</title></rect>\n",
        sx(line.front().x) - 5, sy(line.front().y) - 5);
  for (std::size_t i = 0; i < stops.size(); ++i)
    s += fmt::format(
        "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"8\" fill=\"#d7301f\"/><text x=\"{:.1f}\" "
        "y=\"{:.1f}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#fff\">{}</text>\n",
        sx(stops[i].x), sy(stops[i].y), sx(stops[i].x), sy(stops[i].y) + 3.5, i + 1);
  s += fmt::format(
      "<text x=\"{:.0f}\" y=\"{:.0f}\" font-size=\"10\" fill=\"#555\">{:.1f} km breed</text>\n",
      pad, h - 3, (maxX - minX) / 1000.0);
  return s + "</svg>\n";
}

}  // namespace

std::string dutchLocalToUtc(const std::string& local) {
  const auto t = parseIsoTime(local);
  if (!t) throw geo::InputError({"time", std::nullopt, {}}, "not an ISO datetime: " + local);
  const std::int64_t day = *t / 86400;
  const geo::CivilDate date = geo::civilFromDays(day);
  // The offset at the local time; the hour of the switch itself is ambiguous and taken as
  // the offset before.
  const double localMinutes = double(*t - day * 86400) / 60.0;
  const int offset = geo::dutchUtcOffsetMinutes(date, localMinutes - 60.0);
  return formatIsoDateTime(*t - offset * 60) + "Z";
}

std::vector<std::string> writeRouteCards(const ResultLayer& routes, const ResultLayer& visits,
                                         const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw geo::InputError({dir, std::nullopt, {}}, "cannot create the folder: " + ec.message());
  const int rP = fieldOf(routes, "partner_id"), rD = fieldOf(routes, "dienst"),
            rDat = fieldOf(routes, "datum"), rS = fieldOf(routes, "start"),
            rE = fieldOf(routes, "eind"), rN = fieldOf(routes, "n_bezoeken"),
            rT = fieldOf(routes, "reistijd_min"), rK = fieldOf(routes, "afstand_km");
  const int vId = fieldOf(visits, "site_id"), vL = fieldOf(visits, "site_laag"),
            vA = fieldOf(visits, "aankomst"), vV = fieldOf(visits, "vertrek"),
            vM = fieldOf(visits, "verblijf_min"), vPr = fieldOf(visits, "prioriteit"),
            vDn = fieldOf(visits, "dag_nacht"), vVa = fieldOf(visits, "vaardigheid");
  const auto by = visitsByShift(visits);
  std::vector<std::string> files;
  for (const auto& route : routes.records) {
    const std::string dienst = text(route, rD);
    const auto it = by.find(dienst);
    const std::vector<const Record*> stops =
        it == by.end() ? std::vector<const Record*>{} : it->second;
    const std::string base = (fs::path(dir) / safeName(dienst)).string();
    {
      auto out = openOut(base + ".csv");
      out << "volgorde,site_laag,site_id,aankomst,vertrek,verblijf_min,prioriteit,vaardigheid,"
             "dag_nacht,x,y,lat,lon,bevinding\n";
      for (std::size_t i = 0; i < stops.size(); ++i) {
        const Record& v = *stops[i];
        const geo::Point p = pointOf(v);
        const geo::LatLon ll = geo::rdToWgs84(p);
        out << i + 1 << ',' << csvCell(text(v, vL)) << ',' << csvCell(text(v, vId)) << ','
            << text(v, vA) << ',' << text(v, vV) << ',' << fmt::format("{:.0f}", number(v, vM))
            << ',' << fmt::format("{:g}", number(v, vPr)) << ',' << csvCell(text(v, vVa)) << ','
            << text(v, vDn) << ','
            << fmt::format("{:.1f},{:.1f},{:.6f},{:.6f}", p.x, p.y, ll.lat, ll.lon) << ",\n";
      }
      checkWritten(out, base + ".csv");
      files.push_back(base + ".csv");
    }
    std::vector<geo::Point> stopPts;
    for (const auto* v : stops) stopPts.push_back(pointOf(*v));
    auto out = openOut(base + ".html");
    out << "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
        << xml("Routekaart " + dienst) << "</title>\n<style>\n"
        << "@page { size: A4; margin: 15mm; }\nbody { font-family: sans-serif; font-size: 11pt; }\n"
        << "table { border-collapse: collapse; width: 100%; }\n"
        << "th, td { border: 1px solid #999; padding: 3px 6px; text-align: left; }\n"
        << "td.bev { width: 30%; }\n</style>\n</head>\n<body>\n";
    out << "<h1>Routekaart " << xml(text(route, rP)) << "</h1>\n<p>Dienst <b>" << xml(dienst)
        << "</b>, " << xml(text(route, rDat)) << ", vertrek " << hhmm(text(route, rS)) << ", terug "
        << hhmm(text(route, rE)) << ". " << text(route, rN) << " bezoeken, reistijd "
        << fmt::format("{:.0f}", number(route, rT)) << " min, "
        << fmt::format("{:.1f}", number(route, rK)) << " km.</p>\n";
    out << svgOf(lineOf(route), stopPts);
    out << "<table>\n<tr><th>Nr</th><th>Locatie</th><th>Aankomst</th><th>Vertrek</th>"
           "<th>Verblijf (min)</th><th>Prioriteit</th><th>Dag/nacht</th><th>Bevinding</th></tr>\n";
    for (std::size_t i = 0; i < stops.size(); ++i) {
      const Record& v = *stops[i];
      out << "<tr><td>" << i + 1 << "</td><td>" << xml(text(v, vL) + " " + text(v, vId))
          << "</td><td>" << hhmm(text(v, vA)) << "</td><td>" << hhmm(text(v, vV)) << "</td><td>"
          << fmt::format("{:.0f}", number(v, vM)) << "</td><td>"
          << fmt::format("{:g}", number(v, vPr)) << "</td><td>" << xml(text(v, vDn))
          << "</td><td class=\"bev\"></td></tr>\n";
    }
    out << "</table>\n<p>Terug naar de basis om " << hhmm(text(route, rE))
        << ". Noteer bij elke locatie wat u zag; geen actie zonder bevoegdheid.</p>\n"
        << "</body>\n</html>\n";
    checkWritten(out, base + ".html");
    files.push_back(base + ".html");
  }
  return files;
}

void writeGpx(const ResultLayer& routes, const ResultLayer& visits, const std::string& path) {
  const int rP = fieldOf(routes, "partner_id"), rD = fieldOf(routes, "dienst");
  const int vId = fieldOf(visits, "site_id"), vA = fieldOf(visits, "aankomst"),
            vV = fieldOf(visits, "vertrek"), vP = fieldOf(visits, "partner_id"),
            vD = fieldOf(visits, "dienst"), vO = fieldOf(visits, "volgorde");
  auto out = openOut(path);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<gpx version=\"1.1\" creator=\"Veldwacht\" "
         "xmlns=\"http://www.topografix.com/GPX/1/1\">\n";
  auto coord = [](const geo::Point& p) {
    const geo::LatLon ll = geo::rdToWgs84(p);
    return fmt::format("lat=\"{:.7f}\" lon=\"{:.7f}\"", ll.lat, ll.lon);
  };
  for (const auto& v : visits.records)
    out << "<wpt " << coord(pointOf(v)) << "><time>" << dutchLocalToUtc(text(v, vA))
        << "</time><name>" << xml(text(v, vO) + " " + text(v, vId)) << "</name><desc>"
        << xml(text(v, vP) + ", " + text(v, vD) + ", " + hhmm(text(v, vA)) + "-" +
               hhmm(text(v, vV)))
        << "</desc></wpt>\n";
  const auto by = visitsByShift(visits);
  for (const auto& r : routes.records) {
    const std::string dienst = text(r, rD);
    const auto line = lineOf(r);
    out << "<rte><name>" << xml(dienst) << "</name><desc>" << xml(text(r, rP)) << "</desc>\n";
    if (!line.empty()) out << "<rtept " << coord(line.front()) << "><name>Basis</name></rtept>\n";
    if (const auto it = by.find(dienst); it != by.end())
      for (const auto* v : it->second)
        out << "<rtept " << coord(pointOf(*v)) << "><name>"
            << xml(text(*v, vO) + " " + text(*v, vId)) << "</name></rtept>\n";
    if (!line.empty()) out << "<rtept " << coord(line.back()) << "><name>Basis</name></rtept>\n";
    out << "</rte>\n";
  }
  for (const auto& r : routes.records) {
    out << "<trk><name>" << xml(text(r, rD)) << "</name><trkseg>\n";
    for (const auto& p : lineOf(r)) out << "<trkpt " << coord(p) << "/>\n";
    out << "</trkseg></trk>\n";
  }
  out << "</gpx>\n";
  checkWritten(out, path);
}

void writeGeoJson(const ResultLayer& routes, const ResultLayer& visits, const std::string& path) {
  nlohmann::json fc = {{"type", "FeatureCollection"}, {"features", nlohmann::json::array()}};
  auto props = [](const ResultLayer& l, const Record& r, const std::string& kind) {
    nlohmann::json p = {{"soort", kind}};
    for (std::size_t i = 0; i < l.fields.size(); ++i) {
      const Value& v = r.values[i];
      if (const auto* s = std::get_if<std::string>(&v))
        p[l.fields[i].name] = *s;
      else if (const auto* n = std::get_if<std::int64_t>(&v))
        p[l.fields[i].name] = *n;
      else if (const auto* d = std::get_if<double>(&v))
        p[l.fields[i].name] = std::round(*d * 1000.0) / 1000.0;
      else
        p[l.fields[i].name] = nullptr;
    }
    return p;
  };
  auto lonlat = [](const geo::Point& p) {
    const geo::LatLon ll = geo::rdToWgs84(p);
    return nlohmann::json::array({std::round(ll.lon * 1e7) / 1e7, std::round(ll.lat * 1e7) / 1e7});
  };
  for (const auto& r : routes.records) {
    nlohmann::json coords = nlohmann::json::array();
    for (const auto& p : lineOf(r)) coords.push_back(lonlat(p));
    fc["features"].push_back({{"type", "Feature"},
                              {"geometry", {{"type", "LineString"}, {"coordinates", coords}}},
                              {"properties", props(routes, r, "route")}});
  }
  for (const auto& v : visits.records)
    fc["features"].push_back(
        {{"type", "Feature"},
         {"geometry", {{"type", "Point"}, {"coordinates", lonlat(pointOf(v))}}},
         {"properties", props(visits, v, "bezoek")}});
  auto out = openOut(path);
  out << fc.dump(1) << "\n";
  checkWritten(out, path);
}

}  // namespace veldwacht::layers
