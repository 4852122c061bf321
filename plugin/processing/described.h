// Processing algorithms made from the analysis descriptions (layers/analyses/description.h):
// parameters from the description's inputs, options and results, and a run through the SAME
// builder or runner as the CLI, so the same analysis gives the same fields, types and values
// whichever host ran it (issue 8 items 1, 2 and 4). One registration line per analysis in
// provider.cpp:
//
//   addAlgorithm(pointAlgorithm(describe::clusteringAnalysis("dbscan"), &layers::buildClustering));
//   addAlgorithm(storeAlgorithm(describe::hotspotAnalyses()[0], &layers::runHotspots));
//
// pointAlgorithm: veldwacht:<id>. The host reads the points of any QGIS layer (the fast GDAL
//   path of fastio.h when it applies, else QgsFeatureSource) into a layers::PointInput with the
//   store's conventions (natural key, times, categories and sources when the layer has the
//   store's fields), runs `build(points, request, progress)` and writes every result table to
//   its output (the fast GeoPackage writer for a .gpkg file, else the sink). With
//   WRITE_TO_STORE, when the input layer is a layer of a Veldwacht store, the same tables also
//   go into that store through the CLI's one-transaction writer and are registered in
//   veldwacht_resultaten.
// storeAlgorithm: veldwacht:store_<id>. A STORE parameter (a Veldwacht GeoPackage), the store
//   layers and filters of the inputs, the options and an output name; the runner reads from the
//   store and either returns an AnalysisResult (written with writeToStore, as the CLI does) or
//   writes itself (RunReport). The outputs are the written store layers (and files, e.g. a
//   GeoTIFF), loaded into the project on completion.
//
// Include this header (it includes plugin/json_compat.h first) before any QGIS header.
#pragma once

#include "plugin/json_compat.h"

#include <concepts>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "layers/analyses/analysis_result.h"
#include "layers/analyses/description.h"
#include "layers/analyses/inputs.h"
#include "layers/analyses/point_stream.h"
#include "layers/analyses/report.h"
#include "layers/store/store.h"
#include "plugin/processing/provider.h"

namespace veldwacht::plugin {

/// What the host chose for one input of a description.
struct InputChoice {
  std::string cli;  ///< describe::Input::cli: "layer", "mask-layer", "denominator-layer" …
  std::string layer;
  std::string where;
  std::string field;  ///< the weight field (or a polygon layer's value field)
};

/// The type-free settings of one run: option values by Processing name, inputs, output name.
struct RunSettings {
  std::vector<std::pair<std::string, layers::describe::OptionValue>> values;
  std::vector<InputChoice> inputs;
  std::string output;  ///< empty = the request's default
  /// The host writes only the description's result tables (veldwacht:<id> without
  /// WRITE_TO_STORE): a request with keepOnlyTables leaves out the work of the others.
  bool declaredTablesOnly = false;
};

/// A description with its runner, without the Request type.
struct ErasedAnalysis {
  const layers::describe::AnalysisInfo* info = nullptr;
  std::string defaultOutput;       ///< the default request's output name
  bool polygonValueField = false;  ///< the polygon input takes a value field (Request::valueField)
  /// Checks the settings (options, ranges, the core's validate()) without running.
  std::function<void(const RunSettings&)> check;
  /// Point host: the builder on the inputs the host read from QGIS layers.
  std::function<layers::AnalysisResult(const layers::AnalysisInputs&, const RunSettings&,
                                       geo::Progress&)>
      build;
  /// Store host: a runner that returns the tables (written by the host with writeToStore) …
  std::function<layers::AnalysisResult(layers::Store&, const RunSettings&, geo::Progress&)>
      buildFromStore;
  /// … or one that writes into the store itself.
  std::function<layers::RunReport(layers::Store&, const RunSettings&, geo::Progress&)> runInStore;
  /// Point host, points the host streams and never holds: whether these settings take that
  /// path …
  std::function<bool(const RunSettings&)> streams;
  /// … and either the builder of a raster made band by band (kde), which then takes the points
  /// spilled and the mask …
  std::function<layers::AnalysisResult(
      const layers::StreamedPoints&, const std::vector<std::vector<std::uint8_t>>&,
      const RunSettings&, layers::RasterResultSink&, geo::Progress&)>
      buildStreamed;
  /// … or a builder that counts the points as they are read (gridcount, polygoncount), given the
  /// other inputs (mask, polygons) first.
  std::function<layers::AnalysisResult(const layers::PointStream&, const layers::AnalysisInputs&,
                                       const RunSettings&, geo::Progress&)>
      buildFromStream;
};

/// The generic algorithm (implemented in described.cpp).
Algorithm* makeDescribedAlgorithm(std::shared_ptr<const ErasedAnalysis> analysis, bool storeHost);

namespace detail {

/// Puts the chosen inputs into the request's usual fields (input, denominator, maskLayer,
/// polygonLayer, valueField) where the request has them.
template <class Request>
void applyInputs(Request& r, const std::vector<InputChoice>& inputs) {
  for (const InputChoice& in : inputs) {
    if constexpr (requires { r.applyInput(in.cli, in.layer, in.where, in.field); }) {
      r.applyInput(in.cli, in.layer, in.where, in.field);  // the request maps its own inputs
    } else if (in.cli == "layer") {
      if constexpr (requires { r.input.layer; }) {
        if (!in.layer.empty()) r.input.layer = in.layer;
        r.input.where = in.where;
        r.input.weightField = in.field;
      } else if constexpr (requires { r.events = layers::PointSelection{}; }) {  // risk
        if (!in.layer.empty()) r.events.layer = in.layer;
        r.events.where = in.where;
        r.events.weightField = in.field;
      }
    } else if (in.cli == "area-layer") {  // risk: the study area; address list: the area filter
      if constexpr (requires { r.studyAreaLayer; }) {
        if (!in.layer.empty()) r.studyAreaLayer = in.layer;
        r.studyAreaWhere = in.where;
      } else if constexpr (requires { r.areaLayer; }) {
        r.areaLayer = in.layer;
        r.areaWhere = in.where;
      }
    } else if (in.cli == "where") {  // address list: the candidates' filter
      if constexpr (requires { r.candidatesWhere; }) r.candidatesWhere = in.where;
    } else if (in.cli == "vab-where") {
      if constexpr (requires { r.vabWhere; }) r.vabWhere = in.where;
    } else if (in.cli == "signals-where") {
      if constexpr (requires { r.signalsWhere; }) r.signalsWhere = in.where;
    } else if (in.cli == "denominator-layer") {
      if constexpr (requires { r.denominator = layers::PointSelection{}; }) {
        if (!in.layer.empty()) r.denominator = layers::PointSelection{in.layer, in.where, in.field};
      }
    } else if (in.cli == "sites") {  // planning: the sites and their priority field
      if constexpr (requires { r.sites = layers::PointSelection{}; }) {
        if (!in.layer.empty()) r.sites.layer = in.layer;
        r.sites.where = in.where;
        r.sites.weightField = in.field;
      }
    } else if (in.cli == "partners") {  // planning: the partners layer is fixed; its filter
      if constexpr (requires { r.partnersWhere; }) r.partnersWhere = in.where;
    } else if (in.cli == "mask-layer") {
      if constexpr (requires {
                      r.maskLayer;
                      r.maskWhere;
                    }) {
        r.maskLayer = in.layer;
        r.maskWhere = in.where;
      }
    } else if (in.cli == "polygon-layer") {
      if constexpr (requires {
                      r.polygonLayer;
                      r.polygonWhere;
                    }) {
        r.polygonLayer = in.layer;
        r.polygonWhere = in.where;
      }
      if constexpr (requires { r.valueField; }) r.valueField = in.field;
    }
  }
}

/// The request's result name: `output`, or the network requests' `common.output` (route, matrix,
/// reach) or `network.output` (plan); nullptr when it has none.
template <class Request>
std::string* outputOf(Request& r) {
  if constexpr (requires {
                  { r.output } -> std::convertible_to<std::string&>;
                })
    return &r.output;
  else if constexpr (requires {
                       { r.common.output } -> std::convertible_to<std::string&>;
                     })
    return &r.common.output;
  else if constexpr (requires {
                       { r.network.output } -> std::convertible_to<std::string&>;
                     })
    return &r.network.output;
  else
    return nullptr;
}

/// The request of `a` for `s`: defaults, inputs, output, every option through Analysis::set
/// (range-checked; an OptionError names the Processing parameter), the tables the host writes
/// (RunSettings::declaredTablesOnly), then the core's validate().
template <class Request>
Request makeRequest(const layers::describe::Analysis<Request>& a, const RunSettings& s) {
  Request r = a.defaults();
  applyInputs(r, s.inputs);
  if (std::string* output = outputOf(r); output && !s.output.empty()) *output = s.output;
  for (const auto& [name, value] : s.values) {
    try {
      a.set(r, name, value);
    } catch (const geo::OptionError& e) {
      const std::string what = e.what();
      const std::string prefix = e.option() + ": ";
      throw geo::OptionError(name, what.rfind(prefix, 0) == 0 ? what.substr(prefix.size()) : what);
    }
  }
  if constexpr (requires { r.keepOnlyTables(std::vector<std::string>{}); }) {
    if (s.declaredTablesOnly) {
      std::vector<std::string> suffixes;
      for (const auto& t : a.results) suffixes.push_back(t.suffix);
      r.keepOnlyTables(suffixes);
    }
  }
  r.validate();
  return r;
}

template <class Request>
std::shared_ptr<ErasedAnalysis> erase(const layers::describe::Analysis<Request>& a) {
  auto e = std::make_shared<ErasedAnalysis>();
  e->info = &a;
  Request d = a.defaults();
  if (const std::string* output = outputOf(d)) e->defaultOutput = *output;
  if constexpr (requires { d.valueField; }) e->polygonValueField = true;
  e->check = [&a](const RunSettings& s) { (void)makeRequest(a, s); };
  return e;
}

}  // namespace detail

/// veldwacht:<id>: points of any QGIS layer → `build` → the description's result tables.
/// `a` must live as long as the provider (the registries' descriptions are static).
template <class Request>
Algorithm* pointAlgorithm(const layers::describe::Analysis<Request>& a,
                          layers::AnalysisResult (*build)(const layers::PointInput&, const Request&,
                                                          geo::Progress&)) {
  auto e = detail::erase(a);
  e->build = [&a, build](const layers::AnalysisInputs& in, const RunSettings& s, geo::Progress& p) {
    return build(*in.points, detail::makeRequest(a, s), p);
  };
  return makeDescribedAlgorithm(std::move(e), false);
}

namespace detail {
template <class Request>
std::shared_ptr<ErasedAnalysis> eraseInputsBuilder(
    const layers::describe::Analysis<Request>& a,
    layers::AnalysisResult (*build)(const layers::AnalysisInputs&, const Request&,
                                    geo::Progress&)) {
  auto e = erase(a);
  e->build = [&a, build](const layers::AnalysisInputs& in, const RunSettings& s, geo::Progress& p) {
    return build(in, makeRequest(a, s), p);
  };
  return e;
}
}  // namespace detail

/// veldwacht:<id> for a builder that takes every input of its description (points, mask,
/// denominator, polygon units), each read from a QGIS layer.
template <class Request>
Algorithm* pointAlgorithm(const layers::describe::Analysis<Request>& a,
                          layers::AnalysisResult (*build)(const layers::AnalysisInputs&,
                                                          const Request&, geo::Progress&)) {
  return makeDescribedAlgorithm(detail::eraseInputsBuilder(a, build), false);
}

/// The same with a builder that streams its raster (kde): when `streams` takes the request and
/// the input is a GeoPackage point table in EPSG:28992, the host streams the points into
/// `buildStreamed` and writes the GeoTIFF band by band, holding neither the points nor the
/// surface; otherwise `build` runs as above.
template <class Request>
Algorithm* pointAlgorithm(
    const layers::describe::Analysis<Request>& a,
    layers::AnalysisResult (*build)(const layers::AnalysisInputs&, const Request&, geo::Progress&),
    layers::AnalysisResult (*buildStreamed)(const layers::StreamedPoints&,
                                            const std::vector<std::vector<std::uint8_t>>&,
                                            const Request&, layers::RasterResultSink&,
                                            geo::Progress&),
    bool (*streams)(const Request&)) {
  auto e = detail::eraseInputsBuilder(a, build);
  e->streams = [&a, streams](const RunSettings& s) { return streams(detail::makeRequest(a, s)); };
  e->buildStreamed = [&a, buildStreamed](const layers::StreamedPoints& points,
                                         const std::vector<std::vector<std::uint8_t>>& mask,
                                         const RunSettings& s, layers::RasterResultSink& sink,
                                         geo::Progress& p) {
    return buildStreamed(points, mask, detail::makeRequest(a, s), sink, p);
  };
  return makeDescribedAlgorithm(std::move(e), false);
}

/// The same with a builder that counts the points as they are read (gridcount, polygoncount):
/// when `streams` takes the request and the input is a GeoPackage point table, the host reads
/// the other inputs, then streams the points into `buildStreamed`, never holding them; otherwise
/// `build` runs as above.
template <class Request>
Algorithm* pointAlgorithm(const layers::describe::Analysis<Request>& a,
                          layers::AnalysisResult (*build)(const layers::AnalysisInputs&,
                                                          const Request&, geo::Progress&),
                          layers::AnalysisResult (*buildStreamed)(const layers::PointStream&,
                                                                  const layers::AnalysisInputs&,
                                                                  const Request&, geo::Progress&),
                          bool (*streams)(const Request&)) {
  auto e = detail::eraseInputsBuilder(a, build);
  e->streams = [&a, streams](const RunSettings& s) { return streams(detail::makeRequest(a, s)); };
  e->buildFromStream = [&a, buildStreamed](const layers::PointStream& points,
                                           const layers::AnalysisInputs& units,
                                           const RunSettings& s, geo::Progress& p) {
    return buildStreamed(points, units, detail::makeRequest(a, s), p);
  };
  return makeDescribedAlgorithm(std::move(e), false);
}

/// veldwacht:store_<id> with a runner that returns the tables (the host writes them into the
/// store with the CLI's one-transaction writer).
template <class Request>
Algorithm* storeAlgorithm(const layers::describe::Analysis<Request>& a,
                          layers::AnalysisResult (*run)(layers::Store&, const Request&,
                                                        geo::Progress&)) {
  auto e = detail::erase(a);
  e->buildFromStore = [&a, run](layers::Store& store, const RunSettings& s, geo::Progress& p) {
    return run(store, detail::makeRequest(a, s), p);
  };
  return makeDescribedAlgorithm(std::move(e), true);
}

/// veldwacht:store_<id> with a runner that writes into the store itself (runHotspots …).
template <class Request>
Algorithm* storeAlgorithm(const layers::describe::Analysis<Request>& a,
                          layers::RunReport (*run)(layers::Store&, const Request&,
                                                   geo::Progress&)) {
  auto e = detail::erase(a);
  e->runInStore = [&a, run](layers::Store& store, const RunSettings& s, geo::Progress& p) {
    return run(store, detail::makeRequest(a, s), p);
  };
  return makeDescribedAlgorithm(std::move(e), true);
}

}  // namespace veldwacht::plugin
