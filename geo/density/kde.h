// Kernel density estimation ("heatmap") onto a north-up raster, with QGIS's heatmap kernels,
// output scalings and grid convention (src/analysis/raster/qgskde.cpp), plus a Gaussian kernel,
// a per-km² density output, a study-area extent or polygon mask, and weights.
//
// Method. The density at a pixel centre c is  f(c) = Σ_i w_i · K(|c − p_i|)  (Silverman 1986,
// "Density Estimation for Statistics and Data Analysis", ch. 4; kernels of Wand & Jones 1995).
// Every kernel has compact support (the radius), so instead of summing all points at every pixel
// (O(pixels · n), kept as kernelDensityDirect, the test reference) each point adds its kernel to
// the pixels whose centres lie within the radius: O(n · (r/px)²). Rows are split into bands and
// each thread sums only its own band, visiting points in input order, so every pixel receives the
// same additions in the same order whatever the thread count: results are bit-identical.
//
// Grid (QGIS convention): bounds = data extent grown by the radius; cols = ceil(width/px) + 1,
// rows = ceil(height/px) + 1; origin at the top-left corner (bounds.minX, bounds.maxY), so the
// raster reaches up to one pixel past the bounds on the right and at the bottom. With a study
// extent: origin (minX, maxY), cols = ceil(width/px), rows = ceil(height/px).
//
// Pixel placement. QGIS 3.x computes a pixel's x distance from its true centre, but its y
// distance from a row counted upwards from bounds.minY while writing the block downwards from
// bounds.maxY: for a point the kernel lands up to a pixel off vertically (verified against
// qgis_process 3.22). PixelPlacement::Exact (default) uses the true pixel centres;
// PixelPlacement::QgisHeatmap reproduces QGIS's arithmetic exactly (block of 2b+1 pixels with
// b = QGIS's rounded radius in pixels, truncated block positions, and QGIS's silent skipping of
// points whose block does not fit in the raster — which happens to the outermost points when the
// radius is not a whole number of pixels) for cell-by-cell comparisons with QGIS.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "geo/core/point_sink.h"
#include "geo/core/progress.h"
#include "geo/core/types.h"
#include "geo/density/kernels.h"
#include "geo/density/raster.h"

namespace veldwacht::geo {

enum class PixelPlacement { Exact, QgisHeatmap };

/// Exact: every point at its own position. Binned: points snapped to the centre of the pixel
/// they fall in, summed per pixel, then one precomputed kernel stencil is added per non-empty
/// pixel — faster for dense data, with a positional error of at most half a pixel diagonal.
enum class KdeMethod { Exact, Binned };

struct KdeOptions {
  double radius = 500.0;    ///< bandwidth / search radius, metres (> 0)
  double pixelSize = 50.0;  ///< metres (> 0)
  Kernel kernel = Kernel::Quartic;
  KernelOutput output = KernelOutput::PerSquareKm;
  /// Triangular kernel: value at the radius relative to the centre (QGIS "decay ratio").
  /// QGIS allows negative values ("coolmap") for Raw/QgisScaled; PerSquareKm needs 0..1.
  double decay = 0.0;
  /// Gaussian σ in metres; 0 = radius / 3 (the kernel is truncated at the radius).
  double gaussianSigma = 0.0;
  /// Study extent; empty = data extent grown by the radius (QGIS's rule).
  Extent studyExtent;
  /// Optional study-area polygon (WKB); pixels whose centre lies outside become nodata. When
  /// studyExtent is empty, the grid covers the mask's envelope.
  std::vector<std::uint8_t> maskWkb;
  PixelPlacement placement = PixelPlacement::Exact;
  KdeMethod method = KdeMethod::Exact;
  /// Worker threads; 0 = all cores. Results do not depend on it.
  int threads = 0;
  double nodata = -9999.0;
  /// Refuse grids larger than this many pixels.
  std::size_t maxPixels = 400'000'000;

  void validate() const;
};

struct KdeResult {
  Raster raster;
  std::size_t pointsUsed = 0;
  double totalWeight = 0.0;
};

/// Where the raster lies: the grid, and QGIS's bounds.minY (the data extent's minY − radius, or
/// the study extent's minY), which QgisHeatmap placement measures rows from.
struct KdeLayout {
  RasterGrid grid;
  double boundsMinY = 0.0;
};

/// The layout kernelDensity will use for these points and options.
KdeLayout kdeLayout(std::span<const Point> points, const KdeOptions& options);
/// The same from the extent of the finite points (Extent::include over them): for a host that
/// streams the points and knows their extent before the first chunk.
KdeLayout kdeLayoutForExtent(const Extent& dataExtent, const KdeOptions& options);

/// Kernel density (fast path). `weights` empty = weight 1 per point, else one per point.
KdeResult kernelDensity(std::span<const Point> points, std::span<const double> weights,
                        const KdeOptions& options, Progress& progress = nullProgress());

/// Same, onto a given layout (for surfaces that must share a grid, e.g. dual KDE).
KdeResult kernelDensityOnGrid(std::span<const Point> points, std::span<const double> weights,
                              const KdeOptions& options, const KdeLayout& layout,
                              Progress& progress = nullProgress());

/// Per-point radius (QGIS's "radius from field"): point i uses radii[i] (> 0 metres) instead of
/// options.radius, with its own kernel constant (and Gaussian σ = radii[i]/3 unless
/// gaussianSigma is set); the data-derived grid grows by the largest radius, as in QGIS.
/// Exact method only.
KdeResult kernelDensityVariableRadius(std::span<const Point> points,
                                      std::span<const double> weights,
                                      std::span<const double> radii, const KdeOptions& options,
                                      Progress& progress = nullProgress());

/// Reference: every pixel × every point, O(pixels · n). For tests only. `radii` as in
/// kernelDensityVariableRadius (empty = options.radius).
KdeResult kernelDensityDirect(std::span<const Point> points, std::span<const double> weights,
                              const KdeOptions& options, std::span<const double> radii = {});

// ---- the streamed KDE: the points are never all held --------------------------------------

/// Points in input order, chunk by chunk, as often as asked: what the streamed KDE reads.
class PointPasses {
 public:
  using Chunk = std::function<void(std::span<const Point> points, std::span<const double> weights)>;
  virtual ~PointPasses() = default;
  /// One pass: f(points, weights) for consecutive chunks of all points in input order; weights
  /// empty = 1 each, else one per point.
  virtual void forEachChunk(const Chunk& f) = 0;
  /// Whether a pass reads a file (then the streamed KDE first sorts the points into one file per
  /// band, in input order, so that each band reads only its own): its folder; nullptr when the
  /// points are in memory and a pass costs nothing to repeat.
  virtual const std::string* spillDirectory() const { return nullptr; }
};

/// Passes over points held in memory, `chunk` points at a time.
class SpanPasses final : public PointPasses {
 public:
  SpanPasses(std::span<const Point> points, std::span<const double> weights,
             std::size_t chunk = 65536);
  void forEachChunk(const Chunk& f) override;

 private:
  std::span<const Point> points_;
  std::span<const double> weights_;
  std::size_t chunk_;
};

/// Points (and weights) written to an unnamed temporary file while a host reads them, so that
/// neither the host nor the KDE holds them: 16 bytes a point (24 weighted) on disk, a buffer of
/// `chunk` points in memory. Passes read the file back. Throws LibraryError when the file cannot
/// be made, written or read.
class PointSpill final : public PointPasses, public PointSink {
 public:
  /// The file in `directory` (removed at once: it has no name); empty = the system's temporary
  /// folder.
  explicit PointSpill(bool weighted, const std::string& directory = {}, std::size_t chunk = 16384);
  ~PointSpill() override;
  PointSpill(const PointSpill&) = delete;
  PointSpill& operator=(const PointSpill&) = delete;

  void add(const Point& p, double weight = 1.0) override;
  std::size_t size() const { return count_; }
  /// The extent of the finite points added (Extent::include).
  const Extent& extent() const { return extent_; }
  void forEachChunk(const Chunk& f) override;
  const std::string* spillDirectory() const override { return &directory_; }

 private:
  void flush();
  std::string directory_;
  std::FILE* file_ = nullptr;
  bool weighted_;
  std::size_t chunk_;
  std::size_t count_ = 0;
  Extent extent_;
  std::vector<Point> points_;
  std::vector<double> weights_;
};

/// kernelDensityOnGrid band by band: bandRows rows at a time, each band one pass over `points`,
/// each point added in input order with the same arithmetic, so every pixel is bit-identical to
/// kernelDensity's (any thread count). The header (after a first pass that counts the points)
/// and then the bands, final values with nodata outside the mask, go to `sink`. Points in a
/// file (PointPasses::spillDirectory) are first sorted into one file per band, so that a band
/// reads only the points that reach it. Memory: one band of doubles (and the mask's bytes). Exact
/// method, one radius. Returns the result without values (raster.values empty): the grid, units,
/// description, metadata, points used and total weight.
KdeResult kernelDensityStreamed(PointPasses& points, const KdeOptions& options,
                                const KdeLayout& layout, RasterRowSink& sink,
                                std::int32_t bandRows = 128, Progress& progress = nullProgress());

/// A default search radius when the user has none: the spatial variant of Silverman's rule of
/// thumb used by ArcGIS's Kernel Density (Silverman 1986, eq. 3.31):
///   0.9 · min(SD, √(1/ln 2) · Dm) · n^(−0.2)
/// with SD the (weighted) standard distance from the (weighted) mean centre, Dm the (weighted)
/// median distance to it and n the number (total weight) of points. Throws InputError for fewer
/// than two distinct finite points.
double silvermanRadius(std::span<const Point> points, std::span<const double> weights = {});

}  // namespace veldwacht::geo
