#include "layers/analyses/density.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/core.h>

#include "geo/core/error.h"

namespace veldwacht::layers {

using nlohmann::json;

void DensityRequest::validate() const {
  checkOutputName(output);
  kde.validate();
  if (denominator) {
    geo::DualKdeOptions d = dual;
    d.kde = kde;
    d.validate();
  }
}

namespace {

json kdeParameters(const geo::KdeOptions& k) {
  return {{"radius", k.radius},
          {"pixel_size", k.pixelSize},
          {"kernel", std::string(geo::kernelName(k.kernel))},
          {"output", std::string(geo::kernelOutputName(k.output))},
          {"decay", k.decay},
          {"gaussian_sigma", k.gaussianSigma},
          {"method", k.method == geo::KdeMethod::Binned ? "binned" : "exact"}};
}

/// Largest absolute finite value outside nodata (0 when none).
double maxAbs(std::span<const double> values, double nodata) {
  double m = 0;
  for (double v : values)
    if (v != nodata && std::isfinite(v)) m = std::max(m, std::abs(v));
  return m;
}
double maxAbs(const geo::Raster& r) { return maxAbs(r.values, r.nodata); }

/// A density surface and what it is: the style and algorithm names recorded with it.
struct Surface {
  geo::Raster raster;
  std::string style = "density";
  std::string algorithm = "kde";
};

/// The dual KDE's ratio as log2 of the ratio to the region's overall ratio, clamped to ±4.
Surface dualSurface(const DensityRequest& request, const geo::KdeOptions& kde, const PointInput& in,
                    const PointInput& den, json& params, RunReport& report, geo::Progress& algo) {
  geo::DualKdeOptions d = request.dual;
  d.kde = kde;
  auto r = geo::dualKernelDensity(in.points, in.weights, den.points, den.weights, d, algo);
  double wNum = in.weights.empty() ? double(in.size()) : 0.0;
  for (double w : in.weights) wNum += w;
  double wDen = den.weights.empty() ? double(den.size()) : 0.0;
  for (double w : den.weights) wDen += w;
  const double expected = wNum / wDen * d.ratioScale;
  Surface s{std::move(r.ratio), "dual_density", "dual_kde"};
  geo::Raster& raster = s.raster;
  double maxRatio = 0;
  for (auto& v : raster.values) {
    if (v == raster.nodata) continue;
    maxRatio = std::max(maxRatio, v);
    v = v > 0 ? std::clamp(std::log2(v / expected), -4.0, 4.0) : -4.0;
  }
  raster.units = "log2(verhouding / regiogemiddelde)";
  raster.description = fmt::format("dual kernel density {} / {}, log2 of the ratio to {:.4g}",
                                   in.layer, den.layer, expected);
  raster.metadata["EXPECTED_RATIO"] = fmt::format("{:.6g}", expected);
  raster.metadata["MAX_RATIO"] = fmt::format("{:.6g}", maxRatio);
  params["denominator"] = den.layer;
  params["denominator_where"] = request.denominator->where;
  params["min_denominator"] = d.minDenominator;
  params["rule"] = d.rule == geo::SmallDenominator::Clamp ? "clamp" : "nodata";
  params["ratio_scale"] = d.ratioScale;
  params["expected_ratio"] = expected;
  report.lines.push_back(fmt::format(
      "dual KDE {} over {} ({} / {} points): region ratio {:.4g}, highest {:.4g} ({:.1f}x); "
      "{} pixels without enough denominator",
      inputDescription(in), inputDescription(den), in.size(), den.size(), expected, maxRatio,
      maxRatio / expected, r.nodataPixels));
  return s;
}

/// The report line of a KDE surface.
std::string kdeLine(const geo::KdeOptions& kde, const PointInput& in, std::size_t pointsUsed,
                    const geo::Raster& raster, double max) {
  return fmt::format("KDE of {} ({} points), r = {} m, {} m pixels: {} x {}, max {:.4g} {}",
                     inputDescription(in), pointsUsed, kde.radius, kde.pixelSize, raster.grid.cols,
                     raster.grid.rows, max, raster.units);
}

Surface kdeSurface(const geo::KdeOptions& kde, const PointInput& in, RunReport& report,
                   geo::Progress& algo) {
  auto r = geo::kernelDensity(in.points, in.weights, kde, algo);
  Surface s{std::move(r.raster)};
  report.lines.push_back(kdeLine(kde, in, r.pointsUsed, s.raster, maxAbs(s.raster)));
  return s;
}

/// The parameters recorded with a surface (VELDWACHT_PARAMETERS, the registry's).
json densityParameters(const geo::KdeOptions& kde, const PointInput& in,
                       const DensityRequest& request) {
  json params = kdeParameters(kde);
  params["where"] = in.where;  // the normalised filter that was applied
  params["weight_field"] = request.input.weightField;
  if (!request.maskLayer.empty())
    params["mask"] =
        request.maskLayer + (request.maskWhere.empty() ? "" : " [" + request.maskWhere + "]");
  return params;
}

/// The raster result of `surface` (its raster moved in; without values for a streamed one).
RasterResult rasterResult(Surface surface, const json& params, const PointInput& in,
                          std::size_t inputRows, const DensityRequest& request,
                          const RunClock& clock) {
  RasterResult r;
  r.name = request.output;
  r.tiffMetadata = {{"VELDWACHT_ALGORITHM", surface.algorithm},
                    {"VELDWACHT_PARAMETERS", params.dump()},
                    {"VELDWACHT_INPUT", inputDescription(in)}};
  r.style = surface.style;
  r.stylesDir = request.stylesDir;
  r.metadata =
      clock.metadata(surface.algorithm, params, inputDescription(in), std::int64_t(inputRows));
  r.directory = request.directory;
  r.overwrite = request.overwrite;
  r.raster = std::move(surface.raster);
  return r;
}

/// Hands the streamed KDE's header and bands on as a raster result's, and keeps the largest
/// absolute value.
class ResultRows final : public geo::RasterRowSink {
 public:
  ResultRows(RasterResultSink& sink, const json& params, const PointInput& in,
             std::size_t inputRows, const DensityRequest& request, const RunClock& clock)
      : sink_(sink),
        params_(params),
        in_(in),
        inputRows_(inputRows),
        request_(request),
        clock_(clock) {}
  void begin(const geo::Raster& header) override {
    nodata_ = header.nodata;
    sink_.begin(rasterResult(Surface{header}, params_, in_, inputRows_, request_, clock_));
  }
  void rows(std::int32_t rowBegin, std::int32_t rowEnd, std::span<const double> values) override {
    max_ = std::max(max_, maxAbs(values, nodata_));
    sink_.rows(rowBegin, rowEnd, values);
  }
  double max() const { return max_; }

 private:
  RasterResultSink& sink_;
  const json& params_;
  const PointInput& in_;
  std::size_t inputRows_;
  const DensityRequest& request_;
  const RunClock& clock_;
  double nodata_ = 0;
  double max_ = 0;
};

}  // namespace

bool densityStreams(const DensityRequest& request) {
  return !request.denominator && request.kde.method == geo::KdeMethod::Exact;
}

// The steps: the mask; the layout from the points' extent; the surface band by band into the
// sink; the result's header, report and metadata as buildDensity's.
AnalysisResult buildDensityStreamed(const StreamedPoints& points,
                                    const std::vector<std::vector<std::uint8_t>>& mask,
                                    const DensityRequest& request, RasterResultSink& sink,
                                    geo::Progress& progress) {
  request.validate();
  if (!densityStreams(request))
    throw std::logic_error("buildDensityStreamed: a dual or binned KDE is not streamed");
  RunClock clock;
  geo::KdeOptions kde = request.kde;
  if (!mask.empty()) kde.maskWkb = unionWkb(mask);
  const json params = densityParameters(kde, points.about, request);
  const geo::KdeLayout layout = geo::kdeLayoutForExtent(points.extent, kde);
  ResultRows rows(sink, params, points.about, points.count, request, clock);
  geo::KdeResult r = geo::kernelDensityStreamed(points.passes, kde, layout, rows, 128, progress);
  AnalysisResult result;
  result.report.lines.push_back(kdeLine(kde, points.about, r.pointsUsed, r.raster, rows.max()));
  if (rows.max() == 0) result.report.warnings.push_back("the surface is zero everywhere");
  result.raster = rasterResult(Surface{std::move(r.raster)}, params, points.about, points.count,
                               request, clock);
  return result;
}

AnalysisInputs readDensityInputs(Store& store, const DensityRequest& request,
                                 geo::Progress& progress) {
  AnalysisInputs inputs;
  inputs.points = readPoints(store, request.input, progress);
  if (request.denominator) inputs.denominator = readPoints(store, *request.denominator, progress);
  if (!request.maskLayer.empty())
    inputs.mask = readPolygonsWkb(store, request.maskLayer, request.maskWhere);
  return inputs;
}

// The steps: the mask; the surface (KDE or dual KDE); the raster result with its metadata.
AnalysisResult buildDensity(const AnalysisInputs& inputs, const DensityRequest& request,
                            geo::Progress& progress) {
  request.validate();
  if (!inputs.points || (request.denominator && !inputs.denominator))
    throw std::logic_error("buildDensity: no input points or no denominator");
  RunClock clock;
  const PointInput& in = *inputs.points;
  geo::KdeOptions kde = request.kde;
  if (!inputs.mask.empty()) kde.maskWkb = unionWkb(inputs.mask);
  json params = densityParameters(kde, in, request);

  AnalysisResult result;
  Surface surface = inputs.denominator ? dualSurface(request, kde, in, *inputs.denominator, params,
                                                     result.report, progress)
                                       : kdeSurface(kde, in, result.report, progress);
  if (maxAbs(surface.raster) == 0)
    result.report.warnings.push_back("the surface is zero everywhere");
  result.raster = rasterResult(std::move(surface), params, in, in.size(), request, clock);
  return result;
}

// The steps: read the points (and the denominator, and the mask); build the surface; write and
// register the GeoTIFF.
RunReport runDensity(Store& store, const DensityRequest& request, geo::Progress& progress) {
  request.validate();
  geo::SubProgress readProgress(progress, 0.0, 0.1);
  const AnalysisInputs inputs = readDensityInputs(store, request, readProgress);
  geo::SubProgress algo(progress, 0.1, 0.9);
  AnalysisResult result = buildDensity(inputs, request, algo);
  geo::SubProgress writeProgress(progress, 0.9, 1.0);
  return writeToStore(store, std::move(result), writeProgress);
}

}  // namespace veldwacht::layers
