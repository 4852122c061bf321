#include "layers/analyses/clustering.h"

#include <algorithm>
#include <set>

#include <fmt/core.h>

#include "geo/core/error.h"
#include "geo/core/memory.h"

namespace veldwacht::layers {

using nlohmann::json;

std::string_view clusterMethodName(ClusterMethod m) {
  switch (m) {
    case ClusterMethod::Dbscan:
      return "dbscan";
    case ClusterMethod::DbscanStar:
      return "dbscan*";
    case ClusterMethod::StDbscan:
      return "st-dbscan";
    case ClusterMethod::Hdbscan:
      return "hdbscan";
    case ClusterMethod::Kmeans:
      return "kmeans";
  }
  return "?";
}

ClusterMethod parseClusterMethod(std::string_view name) {
  for (auto m : {ClusterMethod::Dbscan, ClusterMethod::DbscanStar, ClusterMethod::StDbscan,
                 ClusterMethod::Hdbscan, ClusterMethod::Kmeans})
    if (clusterMethodName(m) == name) return m;
  if (name == "dbscan-star" || name == "dbscanstar") return ClusterMethod::DbscanStar;
  throw geo::OptionError("method", "unknown method '" + std::string(name) +
                                       "' (dbscan, dbscan*, st-dbscan, hdbscan, kmeans)");
}

void ClusteringRequest::validate() const {
  checkOutputName(output);
  switch (method) {
    case ClusterMethod::Dbscan:
    case ClusterMethod::DbscanStar:
      dbscan.validate();
      break;
    case ClusterMethod::StDbscan:
      stDbscan.validate();
      break;
    case ClusterMethod::Hdbscan:
      hdbscan.validate();
      break;
    case ClusterMethod::Kmeans:
      kmeans.validate();
      break;
  }
  summary.validate();
  if (!(degenerateBuffer > 0)) throw geo::OptionError("degenerate-buffer", "must be > 0 metres");
}

namespace {

json parametersOf(const ClusteringRequest& r) {
  json p;
  p["method"] = clusterMethodName(r.method);
  switch (r.method) {
    case ClusterMethod::Dbscan:
    case ClusterMethod::DbscanStar:
      p["eps"] = r.dbscan.eps;
      p["min_pts"] = r.dbscan.minPts;
      p["border_points_are_noise"] =
          r.method == ClusterMethod::DbscanStar || r.dbscan.borderPointsAreNoise;
      break;
    case ClusterMethod::StDbscan:
      p["eps"] = r.stDbscan.eps;
      p["eps_seconds"] = r.stDbscan.epsSeconds;
      p["eps_days"] = r.stDbscan.epsSeconds / 86400.0;
      p["min_pts"] = r.stDbscan.minPts;
      p["border_points_are_noise"] = r.stDbscan.borderPointsAreNoise;
      p["time_windows"] = r.timeWindows;
      break;
    case ClusterMethod::Hdbscan:
      p["min_cluster_size"] = r.hdbscan.minClusterSize;
      p["min_samples"] = r.hdbscan.minSamples;
      p["selection"] = r.hdbscan.selection == geo::ClusterSelection::Leaf ? "leaf" : "eom";
      p["allow_single_cluster"] = r.hdbscan.allowSingleCluster;
      p["cluster_selection_epsilon"] = r.hdbscan.clusterSelectionEpsilon;
      break;
    case ClusterMethod::Kmeans:
      p["k"] = r.kmeans.k;
      p["seed"] = r.kmeans.seed;
      p["n_init"] = r.kmeans.nInit;
      p["max_iter"] = r.kmeans.maxIter;
      p["tolerance"] = r.kmeans.tolerance;
      break;
  }
  p["hull"] = r.summary.concaveHull ? "concave" : "convex";
  if (r.summary.concaveHull) {
    p["concave_ratio"] = r.summary.concaveRatio;
    p["concave_allow_holes"] = r.summary.concaveAllowHoles;
  }
  p["degenerate_buffer"] = r.degenerateBuffer;
  p["where"] = r.input.where;
  p["weight_field"] = r.input.weightField;
  return p;
}

std::string categoryMix(const geo::ClusterSummary& c, const std::vector<std::string>& names) {
  auto counts = c.categoryCounts;
  std::stable_sort(counts.begin(), counts.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string s;
  for (const auto& [code, n] : counts) {
    const std::string name =
        code >= 0 && std::size_t(code) < names.size() ? names[std::size_t(code)] : "(leeg)";
    s += (s.empty() ? "" : ", ") + fmt::format("{} {}", name, n);
  }
  return s;
}

}  // namespace

ClusteringOutput computeClustering(const PointInput& in, const ClusteringRequest& request,
                                   geo::Progress& progress) {
  geo::SubProgress algoProgress(progress, 0.0, 0.85);
  ClusteringOutput out;
  switch (request.method) {
    case ClusterMethod::Dbscan:
    case ClusterMethod::DbscanStar: {
      geo::DbscanOptions o = request.dbscan;
      if (request.method == ClusterMethod::DbscanStar) o.borderPointsAreNoise = true;
      auto r = in.weights.empty() ? geo::dbscan(in.points, o, algoProgress)
                                  : geo::dbscan(in.points, in.weights, o, algoProgress);
      out.labels = std::move(r.labels);
      out.core = std::move(r.core);
      out.clusterCount = r.clusterCount;
      break;
    }
    case ClusterMethod::StDbscan: {
      if (!in.hasTime())
        throw geo::OptionError("method",
                               "st-dbscan needs times; the layer '" + in.layer + "' has none");
      auto r =
          request.timeWindows
              ? geo::stDbscan(in.points, in.timeFrom, in.timeTo, request.stDbscan, algoProgress)
              : geo::stDbscan(in.points, in.timeFrom, request.stDbscan, algoProgress);
      out.labels = std::move(r.labels);
      out.core = std::move(r.core);
      out.clusterCount = r.clusterCount;
      break;
    }
    case ClusterMethod::Hdbscan: {
      auto r = geo::hdbscan(in.points, request.hdbscan, algoProgress);
      out.labels = std::move(r.labels);
      out.probabilities = std::move(r.probabilities);
      out.outlierScores = std::move(r.outlierScores);
      out.clusterCount = r.clusterCount;
      break;
    }
    case ClusterMethod::Kmeans: {
      auto r = in.weights.empty()
                   ? geo::kmeans(in.points, request.kmeans, algoProgress)
                   : geo::kmeans(in.points, in.weights, request.kmeans, algoProgress);
      out.labels = std::move(r.labels);
      out.clusterCount = r.centres.size();
      out.seed = static_cast<std::int64_t>(request.kmeans.seed);
      break;
    }
  }
  // The clusterer's working arrays (DBSCAN's grid: 25 MB at 1M points) are freed but, below
  // the labels in the heap, still held by malloc: returned before the summary allocates.
  geo::returnFreedMemory();

  geo::ClusterAttributes attributes;
  if (in.hasTime()) {
    attributes.timeFrom = in.timeFrom;
    attributes.timeTo = in.timeTo;
  }
  attributes.categories = in.categories;
  attributes.sources = in.sources;
  geo::SubProgress summaryProgress(progress, 0.85, 1.0);
  out.summary =
      geo::summarizeClusters(in.points, out.labels, attributes, request.summary, summaryProgress);
  return out;
}

namespace {

const describe::Analysis<ClusteringRequest>& descriptionOf(ClusterMethod m) {
  switch (m) {
    case ClusterMethod::StDbscan:
      return describe::clusteringAnalysis("stdbscan");
    case ClusterMethod::Hdbscan:
      return describe::clusteringAnalysis("hdbscan");
    case ClusterMethod::Kmeans:
      return describe::clusteringAnalysis("kmeans");
    default:
      return describe::clusteringAnalysis("dbscan");
  }
}

/// <output>_punten: every input point with its cluster. The rows are held column by column
/// (`columns`): one Record per point would cost about 280 bytes each. Takes out's per-point
/// vectors (labels, core, scores): the hulls and the summary lines must be made before.
ResultLayer pointsTable(const PointInput& in, const ClusteringRequest& request,
                        ClusteringOutput& out, const describe::ResultTable& table,
                        const std::string& algorithm, PointColumns& columns) {
  ResultLayer points;
  points.name = request.output + table.suffix;
  points.title = points.name + " (" + fmt::format("{} ({}): punten", in.layer, algorithm) + ")";
  points.geometry = table.geometry;
  points.style = table.style;
  points.stylesDir = request.stylesDir;
  points.fields = table.fieldDefs();
  const std::size_t n = in.size();
  columns.layer = points.name;
  // Each point's cluster size from its label (0 for noise).
  std::vector<std::int32_t> sizes;
  geo::resizeLarge(sizes, n);
  for (std::size_t i = 0; i < n; ++i)
    if (const std::int32_t l = out.labels[i]; l >= 0)
      sizes[i] = static_cast<std::int32_t>(out.summary.clusters[std::size_t(l)].count);
  geo::reserveLarge(columns.points, n);
  columns.points.assign(in.points.begin(), in.points.end());
  TextColumn keys;  // the input's packed keys, copied into storage advised before it is written
  geo::reserveLarge(keys.ends, n);
  keys.ends.assign(in.keys.ends.begin(), in.keys.ends.end());
  keys.chars.reserve(in.keys.chars.size());
  geo::adviseHugePages(keys.chars.data(), keys.chars.capacity());
  keys.chars.assign(in.keys.chars);
  columns.columns.emplace_back(std::move(keys));
  columns.columns.emplace_back(std::move(out.labels));
  columns.columns.emplace_back(std::move(sizes));
  if (out.core.empty())
    columns.columns.emplace_back(std::monostate{});
  else
    columns.columns.emplace_back(std::move(out.core));
  if (request.method == ClusterMethod::Hdbscan) {
    columns.columns.emplace_back(std::move(out.probabilities));
    columns.columns.emplace_back(std::move(out.outlierScores));
  }
  if (columns.columns.size() != points.fields.size())
    throw geo::Error("clustering points: " + std::to_string(columns.columns.size()) +
                     " columns for " + std::to_string(points.fields.size()) + " fields");
  return points;
}

/// <output>_clusters: one hull per cluster. Returns how many hulls were buffered.
ResultLayer hullsTable(const PointInput& in, const ClusteringRequest& request,
                       const ClusteringOutput& out, const describe::ResultTable& table,
                       const std::string& algorithm, std::size_t& buffered) {
  ResultLayer hulls;
  hulls.name = request.output + table.suffix;
  hulls.title = hulls.name + " (" + fmt::format("{} ({}): clusters", in.layer, algorithm) + ")";
  hulls.geometry = table.geometry;
  hulls.style = table.style;
  hulls.stylesDir = request.stylesDir;
  hulls.fields = table.fieldDefs();
  buffered = 0;
  for (const auto& c : out.summary.clusters) {
    if (c.count == 0) continue;
    const auto& hull = request.summary.concaveHull && c.concaveHull ? c.concaveHull : c.convexHull;
    if (!hull) continue;
    geo::GeometryPtr g = geometryFromWkb(hull->wkb);
    std::string note;
    if (wkbFlatten(g->getGeometryType()) != wkbPolygon &&
        wkbFlatten(g->getGeometryType()) != wkbMultiPolygon) {
      g.reset(g->Buffer(request.degenerateBuffer, 8));
      note = fmt::format("omhulsel van {} punt(en) op een lijn of plek, gebufferd met {} m",
                         c.count, request.degenerateBuffer);
      ++buffered;
    }
    double area = 0.0;
    if (wkbFlatten(g->getGeometryType()) == wkbPolygon)
      area = g->toPolygon()->get_Area();
    else if (wkbFlatten(g->getGeometryType()) == wkbMultiPolygon)
      area = g->toMultiPolygon()->get_Area();
    Record r;
    r.values = {std::int64_t{c.label},
                static_cast<std::int64_t>(c.count),
                c.timeMin ? Value{formatIsoDateTime(*c.timeMin)} : Value{},
                c.timeMax ? Value{formatIsoDateTime(*c.timeMax)} : Value{},
                in.categories.empty() ? Value{} : Value{categoryMix(c, in.categoryNames)},
                in.sources.empty() ? Value{} : Value{static_cast<std::int64_t>(c.distinctSources)},
                area,
                note.empty() ? Value{} : Value{note}};
    r.geometry = std::move(g);
    hulls.records.push_back(std::move(r));
  }
  return hulls;
}

/// The summary lines: counts, then one line per cluster (at most 12).
std::vector<std::string> summaryLines(const PointInput& in, const ClusteringOutput& out,
                                      const std::string& algorithm, const std::string& input) {
  std::size_t noise = 0;
  for (const auto l : out.labels) noise += l == geo::kNoise;
  std::vector<std::string> lines;
  lines.push_back(fmt::format("{} on {} ({} points): {} cluster(s), {} noise points", algorithm,
                              input, in.size(), out.clusterCount, noise));
  for (const auto& c : out.summary.clusters) {
    if (c.count == 0) continue;
    std::string line = fmt::format("  cluster {:>3}: {:>4} points", c.label, c.count);
    if (c.timeMin && c.timeMax)
      line += fmt::format(", {} .. {}", formatIsoDate(*c.timeMin), formatIsoDate(*c.timeMax));
    if (!in.categories.empty()) line += ", " + categoryMix(c, in.categoryNames);
    lines.push_back(line);
    if (lines.size() > 12) {
      lines.push_back(fmt::format("  ... ({} clusters in all)", out.clusterCount));
      break;
    }
  }
  return lines;
}

}  // namespace

AnalysisResult buildClusteringResult(const PointInput& in, const ClusteringRequest& request,
                                     ClusteringOutput&& out, const RunClock& clock) {
  const auto& description = descriptionOf(request.method);
  const std::string algorithm(clusterMethodName(request.method));
  const std::string input = inputDescription(in);
  std::size_t buffered = 0;
  // The hulls and the summary lines read out's labels and clusters: made before the point
  // table takes the labels.
  ResultLayer hulls =
      hullsTable(in, request, out, description.result("HULLS"), algorithm, buffered);
  std::vector<std::string> lines = summaryLines(in, out, algorithm, input);
  PointColumns pointColumns;
  ResultLayer points =
      pointsTable(in, request, out, description.result("OUTPUT"), algorithm, pointColumns);
  points.metadata =
      clock.metadata(algorithm, parametersOf(request), input, std::int64_t(in.size()), out.seed);
  hulls.metadata = points.metadata;

  AnalysisResult result;
  result.layers.push_back(std::move(points));
  result.layers.push_back(std::move(hulls));
  result.columns.push_back(std::move(pointColumns));
  result.report.lines = std::move(lines);
  if (buffered)
    result.report.warnings.push_back(
        fmt::format("{} cluster hull(s) of one point or collinear points were buffered by {} m",
                    buffered, request.degenerateBuffer));
  return result;
}

AnalysisResult buildClustering(const PointInput& in, const ClusteringRequest& request,
                               geo::Progress& progress) {
  request.validate();
  RunClock clock;
  ClusteringOutput out = computeClustering(in, request, progress);
  return buildClusteringResult(in, request, std::move(out), clock);
}

RunReport runClustering(Store& store, const ClusteringRequest& request, geo::Progress& progress) {
  request.validate();
  RunClock clock;
  AnalysisResult result;
  {  // the input is freed before the result is written
    geo::SubProgress readProgress(progress, 0.0, 0.1);
    const PointInput in = readPoints(store, request.input, readProgress);
    geo::SubProgress computeProgress(progress, 0.1, 0.8);
    ClusteringOutput out = computeClustering(in, request, computeProgress);
    result = buildClusteringResult(in, request, std::move(out), clock);
  }
  geo::SubProgress writeProgress(progress, 0.8, 1.0);
  return writeToStore(store, std::move(result), writeProgress);
}

}  // namespace veldwacht::layers
