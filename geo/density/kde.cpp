#include "geo/density/kde.h"

#include <gdal_alg.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "geo/core/error.h"
#include "geo/core/gdal.h"
#include "geo/core/memory.h"
#include "geo/core/threads.h"
#include "geo/density/splat_rows.h"

namespace veldwacht::geo {

namespace {

bool finite(const Point& p) { return std::isfinite(p.x) && std::isfinite(p.y); }

double weightOf(std::span<const double> weights, std::size_t i) {
  return weights.empty() ? 1.0 : weights[i];
}

void checkWeights(std::span<const Point> points, std::span<const double> weights) {
  if (!weights.empty() && weights.size() != points.size()) {
    throw InputError({{}, std::nullopt, "weight"}, "need one weight per point (" +
                                                       std::to_string(points.size()) + "), got " +
                                                       std::to_string(weights.size()));
  }
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (!std::isfinite(weights[i])) {
      throw InputError({"", static_cast<std::int64_t>(i + 1), "weight"}, "weight is not a number");
    }
  }
}

/// QGIS's radius in pixels (qgskde.cpp radiusSizeInPixels): truncated, plus one when the rest
/// exceeds half a map unit.
int qgisBufferPixels(double radius, double pixelSize) {
  int buffer = static_cast<int>(radius / pixelSize);
  if (radius - pixelSize * buffer > 0.5) ++buffer;
  return buffer;
}

GeometryPtr readMask(const std::vector<std::uint8_t>& wkb) {
  OGRGeometry* g = nullptr;
  if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &g, wkb.size()) != OGRERR_NONE || !g) {
    throw OptionError("maskWkb", "not a valid WKB geometry");
  }
  return GeometryPtr(g);
}

Extent finiteExtent(std::span<const Point> points) {
  Extent data;
  for (const Point& p : points) {
    if (finite(p)) data.include(p);
  }
  return data;
}

/// The layout for the finite points' extent `data` grown by `grow` (or the study extent / the
/// mask's envelope, which ignore the points).
KdeLayout makeLayout(const Extent& data, const KdeOptions& o, double grow) {
  KdeLayout l;
  l.grid.pixelSize = o.pixelSize;
  Extent e = o.studyExtent;
  if (e.empty() && !o.maskWkb.empty()) {
    OGREnvelope env;
    readMask(o.maskWkb)->getEnvelope(&env);
    e = {env.MinX, env.MinY, env.MaxX, env.MaxY};
  }
  if (!e.empty()) {
    l.grid.originX = e.minX;
    l.grid.originY = e.maxY;
    l.grid.cols = std::max(1, static_cast<std::int32_t>(std::ceil(e.width() / o.pixelSize)));
    l.grid.rows = std::max(1, static_cast<std::int32_t>(std::ceil(e.height() / o.pixelSize)));
    l.boundsMinY = e.minY;
    return l;
  }
  if (data.empty()) throw InputError({}, "no points with finite coordinates and no study extent");
  const Extent b{data.minX - grow, data.minY - grow, data.maxX + grow, data.maxY + grow};
  const double cols = std::max(std::ceil(b.width() / o.pixelSize) + 1, 1.0);
  const double rows = std::max(std::ceil(b.height() / o.pixelSize) + 1, 1.0);
  if (cols * rows > double(o.maxPixels) || cols > 2e9 || rows > 2e9) {
    throw OptionError("pixelSize", "the points span " + std::to_string(b.width()) + " x " +
                                       std::to_string(b.height()) +
                                       " m: too many pixels; choose larger pixels or a study "
                                       "extent (are all points in EPSG:28992?)");
  }
  l.grid.originX = b.minX;
  l.grid.originY = b.maxY;
  l.grid.cols = static_cast<std::int32_t>(cols);
  l.grid.rows = static_cast<std::int32_t>(rows);
  l.boundsMinY = b.minY;
  return l;
}

/// The pixels a point reaches and the distance offsets to their centres.
struct Window {
  std::int32_t c0 = 0, c1 = -1, r0 = 0, r1 = -1;  // inclusive, clipped to the grid
  // QgisHeatmap: dy = (yP + (row − yIO) + 0.5)·px + boundsMinY − y.
  std::int32_t qgisRowShift = 0;  // yP − yIO
};

struct Placement {
  RasterGrid grid;
  PixelPlacement mode = PixelPlacement::Exact;
  double boundsMinY = 0.0;

  Window window(const Point& p, double radius) const {
    Window w;
    const double px = grid.pixelSize;
    // Clamp in floating point before converting: far-away points must not overflow.
    auto index = [](double v, double lo, double hi) {
      return static_cast<std::int32_t>(std::clamp(v, lo, hi));
    };
    const double cols = grid.cols, rows = grid.rows;
    if (mode == PixelPlacement::Exact) {
      w.c0 = index(std::ceil((p.x - radius - grid.originX) / px - 0.5), 0, cols);
      w.c1 = index(std::floor((p.x + radius - grid.originX) / px - 0.5), -1, cols - 1);
      w.r0 = index(std::ceil((grid.originY - p.y - radius) / px - 0.5), 0, rows);
      w.r1 = index(std::floor((grid.originY - p.y + radius) / px - 0.5), -1, rows - 1);
      return w;
    }
    // QGIS converts (position/px − b) to unsigned int: truncation towards zero, so values in
    // (−1, 0) become 0, and lower ones wrap around and make its GDALRasterIO fail, as does a
    // block reaching past the raster: such points add nothing (QGIS's edge points when the
    // radius is not a whole number of pixels).
    const double b = qgisBufferPixels(radius, px);
    const double vx = (p.x - grid.originX) / px - b;
    const double vy = (p.y - boundsMinY) / px - b;
    const double vio = (grid.originY - p.y) / px - b;
    if (!(vx > -1 && vy > -1 && vio > -1)) return w;  // empty window
    const double xP = std::trunc(vx), yP = std::trunc(vy), yIO = std::trunc(vio);
    if (xP + 2 * b + 1 > cols || yIO + 2 * b + 1 > rows) return w;
    w.c0 = index(xP, 0, cols);
    w.c1 = index(xP + 2 * b, -1, cols - 1);
    w.r0 = index(yIO, 0, rows);
    w.r1 = index(yIO + 2 * b, -1, rows - 1);
    w.qgisRowShift = index(yP - yIO, -4.0 * (rows + b), 4.0 * (rows + b));
    return w;
  }

  double dx(std::int32_t col, const Point& p) const {
    return (col + 0.5) * grid.pixelSize + grid.originX - p.x;
  }
  double dy(std::int32_t row, const Point& p, const Window& w) const {
    if (mode == PixelPlacement::Exact) return grid.originY - (row + 0.5) * grid.pixelSize - p.y;
    return (row + w.qgisRowShift + 0.5) * grid.pixelSize + boundsMinY - p.y;
  }
};

Placement makePlacement(const KdeOptions& o, const RasterGrid& grid, double boundsMinY) {
  Placement pl;
  pl.grid = grid;
  pl.mode = o.placement;
  pl.boundsMinY = boundsMinY;
  return pl;
}

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
// AVX-512 and AVX2 clones picked at run time where the CPU has them (the baseline is SSE2). This
// file is compiled without contraction into FMA (geo/density/CMakeLists.txt), which the
// AVX-512 target brings, so that every clone rounds alike (test_splat_isa checks it).
#define VELDWACHT_ROW_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define VELDWACHT_ROW_CLONES
#endif

/// The splat loops of splat_rows.h, one clone per instruction set (the bodies are inlined into
/// each clone and vectorised for its instruction set).
template <int P>
VELDWACHT_ROW_CLONES void addPolynomialRows(double* __restrict out, std::size_t stride,
                                            const double* __restrict c, std::size_t rows,
                                            const double* __restrict e, std::int64_t n, double ws) {
  splat::addPolynomialRows<P>(out, stride, c, rows, e, n, ws);
}

template <class K>
VELDWACHT_ROW_CLONES void addMaskedRow(double* __restrict out, const double* __restrict dx2,
                                       std::int64_t n, double dy2, double r2, double w, K kernel) {
  splat::addMaskedRow(out, dx2, n, dy2, r2, w, kernel);
}

/// Adds one point's kernel (weight w) to rows [ra, rb] of its window, `out` pointing at pixel
/// (ra, win.c0) of rows `stride` pixels apart; rows whose centre lies beyond the radius are
/// skipped. The whole window row is added, the pixels beyond the radius adding 0: cheaper than
/// narrowing each row to the circle (a sqrt and two roundings per row; measured). The one splat
/// of every exact KDE path (one thread, bands, streamed), so that they add the same values in
/// the same order.
struct Splat {
  std::vector<double> columns;   ///< per window column: dx²/r² (polynomial kernels) or dx²
  std::vector<double> rowTerms;  ///< per row: dy², then 1 − dy²/r² (polynomial kernels)

  void add(const KernelFunction& k, const Placement& pl, const Point& p, const Window& win,
           double w, std::int32_t ra, std::int32_t rb, double* out, std::size_t stride) {
    const std::int64_t n = win.c1 - win.c0 + 1;
    const bool polynomial = k.kernel == Kernel::Quartic || k.kernel == Kernel::Triweight ||
                            k.kernel == Kernel::Epanechnikov;
    // Local copies: the stores into the vectors below cannot change them, so the loops need
    // not reload them (and vectorise).
    const Placement place = pl;
    const Point q = p;
    const Window wq = win;
    const double inv = k.invRadius2;
    const double r2 = k.radius2;
    columns.resize(static_cast<std::size_t>(n));
    double* const col = columns.data();
    for (std::int32_t c = wq.c0; c <= wq.c1; ++c) {
      const double d = place.dx(c, q);
      col[c - wq.c0] = polynomial ? d * d * inv : d * d;
    }
    // dy is monotonic in the row, so the rows whose centre lies within the radius are one run:
    // trim the others off both ends.
    rowTerms.resize(static_cast<std::size_t>(rb - ra + 1));
    double* const term = rowTerms.data();
    for (std::int32_t row = ra; row <= rb; ++row) {
      const double dy = place.dy(row, q, wq);
      term[row - ra] = dy * dy;
    }
    std::size_t first = 0, end = rowTerms.size();
    while (first < end && rowTerms[first] > r2) ++first;
    while (end > first && rowTerms[end - 1] > r2) --end;
    if (first == end) return;
    double* const dy2 = rowTerms.data() + first;
    const std::size_t rows = end - first;
    out += first * stride;
    const double* e = columns.data();
    if (polynomial)
      for (std::size_t j = 0; j < rows; ++j) dy2[j] = 1.0 - dy2[j] * inv;
    const double ws = w * k.scale;
    auto masked = [&](auto kernel) {
      for (std::size_t j = 0; j < rows; ++j)
        addMaskedRow(out + j * stride, e, n, dy2[j], r2, w, kernel);
    };
    switch (k.kernel) {
      case Kernel::Quartic:
        addPolynomialRows<2>(out, stride, dy2, rows, e, n, ws);
        break;
      case Kernel::Triweight:
        addPolynomialRows<3>(out, stride, dy2, rows, e, n, ws);
        break;
      case Kernel::Epanechnikov:
        addPolynomialRows<1>(out, stride, dy2, rows, e, n, ws);
        break;
      case Kernel::Uniform: {
        const double s = k.scale;
        masked([s](double) { return s; });
        break;
      }
      default:
        masked([&k](double d2) { return k.scale * k.shape(d2); });
        break;
    }
  }
};

/// Pixels inside the mask polygon (centre rule), rasterised by GDAL.
std::vector<std::uint8_t> rasteriseMask(const std::vector<std::uint8_t>& wkb, const RasterGrid& g) {
  ensureGdalRegistered();
  GeometryPtr geom = readMask(wkb);
  GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
  if (!mem) throw LibraryError("GDAL MEM driver missing");
  DatasetPtr ds(mem->Create("", g.cols, g.rows, 1, GDT_Byte, nullptr));
  if (!ds) throw LibraryError("cannot create mask raster: " + lastGdalError());
  double gt[6] = {g.originX, g.pixelSize, 0.0, g.originY, 0.0, -g.pixelSize};
  ds->SetGeoTransform(gt);
  int band = 1;
  double burn = 1.0;
  OGRGeometryH h = OGRGeometry::ToHandle(geom.get());
  if (GDALRasterizeGeometries(GDALDataset::ToHandle(ds.get()), 1, &band, 1, &h, nullptr, nullptr,
                              &burn, nullptr, nullptr, nullptr) != CE_None) {
    throw LibraryError("cannot rasterise mask: " + lastGdalError());
  }
  std::vector<std::uint8_t> inside(g.size());
  if (ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, g.cols, g.rows, inside.data(), g.cols, g.rows,
                                     GDT_Byte, 0, 0) != CE_None) {
    throw LibraryError("cannot read mask raster: " + lastGdalError());
  }
  return inside;
}

/// Units, description and metadata of a surface (finish's, without the values).
void describeSurface(KdeResult& r, const KdeOptions& o, bool weighted,
                     std::span<const double> radii) {
  Raster& ras = r.raster;
  ras.nodata = o.nodata;
  ras.units = o.output == KernelOutput::PerSquareKm  ? "points per km2"
              : o.output == KernelOutput::QgisScaled ? "scaled kernel density (QGIS)"
                                                     : "raw kernel sum";
  if (weighted && o.output == KernelOutput::PerSquareKm) ras.units = "weight per km2";
  const std::string radius =
      radii.empty()
          ? std::to_string(o.radius)
          : "per point (max " + std::to_string(*std::max_element(radii.begin(), radii.end())) + ")";
  ras.description = "kernel density, " + std::string(kernelName(o.kernel)) + ", radius " + radius +
                    " m, " + std::string(kernelOutputName(o.output));
  auto& m = ras.metadata;
  m["ALGORITHM"] = "veldwacht kernel density";
  m["KERNEL"] = std::string(kernelName(o.kernel));
  m["RADIUS_M"] = radius;
  m["PIXEL_SIZE_M"] = std::to_string(o.pixelSize);
  m["OUTPUT"] = std::string(kernelOutputName(o.output));
  m["PLACEMENT"] = o.placement == PixelPlacement::Exact ? "exact" : "qgis_heatmap";
  m["METHOD"] = o.method == KdeMethod::Exact ? "exact" : "binned";
  if (o.kernel == Kernel::Triangular) m["DECAY"] = std::to_string(o.decay);
  if (o.kernel == Kernel::Gaussian) {
    m["SIGMA_M"] = std::to_string(o.gaussianSigma > 0 ? o.gaussianSigma : o.radius / 3);
  }
  m["POINTS"] = std::to_string(r.pointsUsed);
  m["UNITS"] = ras.units;
}

/// Counts the finite points (and their weight) into r.pointsUsed and r.totalWeight.
void countPoints(KdeResult& r, std::span<const Point> points, std::span<const double> weights) {
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!finite(points[i])) continue;
    ++r.pointsUsed;
    r.totalWeight += weightOf(weights, i);
  }
}

void finish(KdeResult& r, const KdeOptions& o, std::span<const Point> points,
            std::span<const double> weights, std::span<const double> radii) {
  countPoints(r, points, weights);
  Raster& ras = r.raster;
  if (!o.maskWkb.empty()) {
    const auto inside = rasteriseMask(o.maskWkb, ras.grid);
    for (std::size_t i = 0; i < inside.size(); ++i) {
      if (!inside[i]) ras.values[i] = o.nodata;
    }
  }
  describeSurface(r, o, !weights.empty(), radii);
}

int threadCount(const KdeOptions& o) {
  // More threads than cores only makes TBB warn; the result does not depend on it.
  const int cores = tbb::info::default_concurrency();
  return o.threads > 0 ? std::min(o.threads, cores) : cores;
}

/// Runs body(band, rowBegin, rowEnd) for every band of rows in parallel, reporting progress.
template <class Body>
void forEachBand(const KdeOptions& o, std::int32_t rows, std::int32_t bandRows, Progress& progress,
                 Body&& body) {
  const std::int32_t nBands = (rows + bandRows - 1) / bandRows;
  std::atomic<std::int32_t> done{0};
  tbb::task_arena arena(threadCount(o));
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::int32_t>(0, nBands, 1),
                      [&](const tbb::blocked_range<std::int32_t>& range) {
                        for (std::int32_t b = range.begin(); b != range.end(); ++b) {
                          progress.checkCancelled();
                          body(b, b * bandRows, std::min(rows, (b + 1) * bandRows));
                          const std::int32_t d = ++done;
                          progress.setFraction(0.05 + 0.9 * double(d) / double(nBands));
                        }
                      });
  });
  progress.checkCancelled();
}

/// Per band of rows, copies of the points whose window overlaps it, in input order, stored
/// contiguously (CSR) so a band streams through its points instead of gathering them. Weights
/// and radii are copied only when they vary (without them every point weighs 1 and has the
/// fixed radius): 16 instead of 32 bytes per entry, the largest allocation of a KDE at 1M points.
struct BandLists {
  std::vector<std::size_t> offsets;
  std::vector<Point> points;
  std::vector<double> weights;  ///< empty: all 1
  std::vector<double> radii;    ///< empty: all the fixed radius
};

template <class RowRange>
BandLists bucketByBand(std::span<const Point> points, std::span<const double> weights,
                       std::span<const double> radii, std::int32_t rows, std::int32_t bandRows,
                       RowRange&& rowRange) {
  const std::size_t n = points.size();
  const std::int32_t nBands = (rows + bandRows - 1) / bandRows;
  BandLists l;
  l.offsets.assign(static_cast<std::size_t>(nBands) + 1, 0);
  auto forBands = [&](auto&& f) {
    for (std::size_t i = 0; i < n; ++i) {
      std::int32_t r0 = 0, r1 = -1;
      if (!rowRange(i, r0, r1) || r1 < r0) continue;
      for (std::int32_t b = r0 / bandRows; b <= r1 / bandRows; ++b) f(i, b);
    }
  };
  forBands([&](std::size_t, std::int32_t b) { ++l.offsets[static_cast<std::size_t>(b) + 1]; });
  for (std::size_t b = 1; b < l.offsets.size(); ++b) l.offsets[b] += l.offsets[b - 1];
  l.points.resize(l.offsets.back());
  if (!weights.empty()) l.weights.resize(l.offsets.back());
  if (!radii.empty()) l.radii.resize(l.offsets.back());
  std::vector<std::size_t> fill(l.offsets.begin(), l.offsets.end() - 1);
  forBands([&](std::size_t i, std::int32_t b) {
    const std::size_t k = fill[static_cast<std::size_t>(b)]++;
    l.points[k] = points[i];
    if (!weights.empty()) l.weights[k] = weights[i];
    if (!radii.empty()) l.radii[k] = radii[i];
  });
  return l;
}

/// Adds the kernels of a chunk of points, in input order, to rows [rowBegin, rowEnd) of the
/// raster, which `band` holds from row rowBegin on. The one loop of the one-thread KDE and of
/// the streamed KDE's bands: every pixel receives the same additions in the same order.
struct PointAdder {
  const KdeOptions& o;
  const Placement& pl;
  const KernelFunction& fixed;
  std::int32_t rowBegin = 0, rowEnd = 0;
  double* band = nullptr;
  /// Points with y outside [yLow, yHigh] cannot reach these rows: skipped before their window
  /// is worked out (a band of the streamed KDE sees every point).
  double yLow = -std::numeric_limits<double>::infinity();
  double yHigh = std::numeric_limits<double>::infinity();
  Splat splat{};
  std::optional<KernelFunction> own{};

  void add(std::span<const Point> points, std::span<const double> weights,
           std::span<const double> radii) {
    const std::size_t cols = static_cast<std::size_t>(pl.grid.cols);
    for (std::size_t i = 0; i < points.size(); ++i) {
      const Point p = points[i];
      if (!finite(p) || p.y < yLow || p.y > yHigh) continue;
      const double radius = radii.empty() ? o.radius : radii[i];
      const Window win = pl.window(p, radius);
      if (win.c1 < win.c0 || win.r1 < win.r0) continue;
      const std::int32_t ra = std::max(win.r0, rowBegin);
      const std::int32_t rb = std::min(win.r1, rowEnd - 1);
      if (rb < ra) continue;
      if (!radii.empty()) own.emplace(o.kernel, radius, o.output, o.decay, o.gaussianSigma);
      splat.add(own ? *own : fixed, pl, p, win, weightOf(weights, i), ra, rb,
                band + static_cast<std::size_t>(ra - rowBegin) * cols + win.c0, cols);
    }
  }
};

/// One thread: each point adds its kernel straight to the raster, in input order. Every pixel
/// receives the same additions in the same order as in the band version (a band visits its
/// points in input order), so the result is bit-identical; it needs neither the band lists (a
/// copy of every point, the largest allocation of a KDE) nor the pass that fills them.
void accumulatePointwise(std::span<const Point> points, std::span<const double> weights,
                         std::span<const double> radii, const KdeOptions& o, const Placement& pl,
                         const KernelFunction& fixed, std::vector<double>& values,
                         Progress& progress) {
  const std::size_t n = points.size();
  constexpr std::size_t kChunk = 65536;  // points between progress reports
  PointAdder adder{o, pl, fixed, 0, pl.grid.rows, values.data()};
  for (std::size_t begin = 0; begin < n; begin += kChunk) {
    progress.checkCancelled();
    const std::size_t end = std::min(n, begin + kChunk);
    adder.add(points.subspan(begin, end - begin),
              weights.empty() ? weights : weights.subspan(begin, end - begin),
              radii.empty() ? radii : radii.subspan(begin, end - begin));
    progress.setFraction(0.05 + 0.9 * double(end) / double(n));
  }
  progress.checkCancelled();
}

void accumulateExact(std::span<const Point> points, std::span<const double> weights,
                     std::span<const double> radii, const KdeOptions& o, const Placement& pl,
                     const KernelFunction& fixed, std::vector<double>& values, Progress& progress) {
  const RasterGrid& g = pl.grid;
  // Band height from the typical radius (it only affects speed, never the result).
  double typical = o.radius;
  if (!radii.empty()) {
    typical = 0.0;
    for (double r : radii) typical += r / double(radii.size());
  }
  const std::int32_t bandRows =
      static_cast<std::int32_t>(std::clamp(4.0 * std::ceil(typical / o.pixelSize), 32.0, 4096.0));
  auto radiusOf = [&](std::size_t i) { return radii.empty() ? o.radius : radii[i]; };
  if (threadCount(o) == 1) {
    accumulatePointwise(points, weights, radii, o, pl, fixed, values, progress);
    return;
  }
  const BandLists lists = bucketByBand(points, weights, radii, g.rows, bandRows,
                                       [&](std::size_t i, std::int32_t& r0, std::int32_t& r1) {
                                         if (!finite(points[i])) return false;
                                         const Window w = pl.window(points[i], radiusOf(i));
                                         if (w.c1 < w.c0) return false;
                                         r0 = w.r0;
                                         r1 = w.r1;
                                         return true;
                                       });
  forEachBand(o, g.rows, bandRows, progress,
              [&](std::int32_t b, std::int32_t rowBegin, std::int32_t rowEnd) {
                const std::size_t first = lists.offsets[b];
                const std::size_t n = lists.offsets[b + 1] - first;
                auto part = [&](const std::vector<double>& v) {
                  return v.empty() ? std::span<const double>() : std::span(v).subspan(first, n);
                };
                PointAdder adder{o,        pl,     fixed,
                                 rowBegin, rowEnd, values.data() + std::size_t(rowBegin) * g.cols};
                adder.add(std::span(lists.points).subspan(first, n), part(lists.weights),
                          part(lists.radii));
              });
}

void accumulateBinned(std::span<const Point> points, std::span<const double> weights,
                      const KdeOptions& o, const RasterGrid& g, const KernelFunction& kf,
                      std::vector<double>& values, Progress& progress) {
  const double px = g.pixelSize;
  const std::int32_t reach = static_cast<std::int32_t>(std::floor(o.radius / px));
  // Bins on the grid grown by `reach` pixels on every side (points just outside still count).
  const std::int32_t bc = g.cols + 2 * reach;
  const std::int32_t br = g.rows + 2 * reach;
  std::vector<double> bins(static_cast<std::size_t>(bc) * static_cast<std::size_t>(br), 0.0);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const Point& p = points[i];
    if (!finite(p)) continue;
    const double fc = std::floor((p.x - g.originX) / px) + reach;
    const double fr = std::floor((g.originY - p.y) / px) + reach;
    if (fc < 0 || fr < 0 || fc >= bc || fr >= br) continue;
    bins[static_cast<std::size_t>(fr) * bc + static_cast<std::size_t>(fc)] += weightOf(weights, i);
  }
  // Stencil: kernel at integer pixel offsets, (2·reach+1)².
  const std::int32_t side = 2 * reach + 1;
  std::vector<double> stencil(static_cast<std::size_t>(side) * side);
  for (std::int32_t dj = -reach; dj <= reach; ++dj) {
    for (std::int32_t di = -reach; di <= reach; ++di) {
      const double d2 = (di * px) * (di * px) + (dj * px) * (dj * px);
      stencil[static_cast<std::size_t>(dj + reach) * side + (di + reach)] = kf.value(d2);
    }
  }
  const std::int32_t bandRows = std::max<std::int32_t>(32, 4 * side);
  forEachBand(o, g.rows, bandRows, progress,
              [&](std::int32_t, std::int32_t rowBegin, std::int32_t rowEnd) {
                // Bin rows whose stencil reaches this band: bin row (in grid rows) in
                // [rowBegin-reach, rowEnd-1+reach].
                for (std::int32_t brow = rowBegin; brow < rowEnd + 2 * reach && brow < br; ++brow) {
                  const std::int32_t gridRow = brow - reach;
                  for (std::int32_t bcol = 0; bcol < bc; ++bcol) {
                    const double w = bins[static_cast<std::size_t>(brow) * bc + bcol];
                    if (w == 0.0) continue;
                    const std::int32_t gridCol = bcol - reach;
                    const std::int32_t ra = std::max(rowBegin, gridRow - reach);
                    const std::int32_t rb = std::min(rowEnd - 1, gridRow + reach);
                    const std::int32_t ca = std::max(0, gridCol - reach);
                    const std::int32_t cb = std::min(g.cols - 1, gridCol + reach);
                    for (std::int32_t row = ra; row <= rb; ++row) {
                      const double* s =
                          stencil.data() + static_cast<std::size_t>(row - gridRow + reach) * side;
                      double* out = values.data() + static_cast<std::size_t>(row) * g.cols;
                      for (std::int32_t c = ca; c <= cb; ++c) out[c] += w * s[c - gridCol + reach];
                    }
                  }
                }
              });
}

}  // namespace

void KdeOptions::validate() const {
  if (!(radius > 0) || !std::isfinite(radius)) throw OptionError("radius", "must be > 0 metres");
  if (!(pixelSize > 0) || !std::isfinite(pixelSize)) {
    throw OptionError("pixelSize", "must be > 0 metres");
  }
  if (kernel == Kernel::Triangular) {
    if (!std::isfinite(decay)) throw OptionError("decay", "must be a number");
    if (output == KernelOutput::PerSquareKm && (decay < 0 || decay > 1)) {
      throw OptionError("decay", "must be in [0, 1] for a per-km2 density");
    }
  }
  if (kernel == Kernel::Gaussian && (gaussianSigma < 0 || !std::isfinite(gaussianSigma))) {
    throw OptionError("gaussianSigma", "must be >= 0 (0 = radius / 3)");
  }
  if (!studyExtent.empty() && !(studyExtent.width() > 0 && studyExtent.height() > 0)) {
    throw OptionError("studyExtent", "must have a positive width and height");
  }
  if (!studyExtent.empty() &&
      (studyExtent.width() / pixelSize) * (studyExtent.height() / pixelSize) > double(maxPixels)) {
    throw OptionError("pixelSize", "the raster would exceed maxPixels; choose larger pixels");
  }
  if (method == KdeMethod::Binned && placement != PixelPlacement::Exact) {
    throw OptionError("method", "binned KDE needs exact pixel placement");
  }
  checkThreads(threads);
}

KdeLayout kdeLayout(std::span<const Point> points, const KdeOptions& options) {
  options.validate();
  return makeLayout(finiteExtent(points), options, options.radius);
}

KdeLayout kdeLayoutForExtent(const Extent& dataExtent, const KdeOptions& options) {
  options.validate();
  return makeLayout(dataExtent, options, options.radius);
}

namespace {

void checkRadii(std::span<const Point> points, std::span<const double> radii) {
  if (radii.size() != points.size()) {
    throw InputError({{}, std::nullopt, "radius"}, "need one radius per point (" +
                                                       std::to_string(points.size()) + "), got " +
                                                       std::to_string(radii.size()));
  }
  for (std::size_t i = 0; i < radii.size(); ++i) {
    if (!(radii[i] > 0) || !std::isfinite(radii[i])) {
      throw InputError({"", static_cast<std::int64_t>(i + 1), "radius"}, "radius must be > 0");
    }
  }
}

double growthOf(const KdeOptions& o, std::span<const double> radii) {
  return radii.empty() ? o.radius : *std::max_element(radii.begin(), radii.end());
}

KdeResult runKde(std::span<const Point> points, std::span<const double> weights,
                 std::span<const double> radii, const KdeOptions& options, const KdeLayout& layout,
                 Progress& progress) {
  const RasterGrid& grid = layout.grid;
  options.validate();
  checkWeights(points, weights);
  if (!radii.empty() && options.method == KdeMethod::Binned) {
    throw OptionError("method", "binned KDE needs one radius for all points");
  }
  if (double(grid.cols) * double(grid.rows) > double(options.maxPixels)) {
    throw OptionError("pixelSize", "the raster would have " +
                                       std::to_string(double(grid.cols) * grid.rows) +
                                       " pixels, more than maxPixels; choose larger pixels");
  }
  progress.setPhase("kernel density");
  progress.setFraction(0.0);
  KdeResult r;
  r.raster.grid = grid;
  assignLarge(r.raster.values, grid.size(), 0.0);
  const KernelFunction kf(options.kernel, options.radius, options.output, options.decay,
                          options.gaussianSigma);
  if (options.method == KdeMethod::Binned) {
    accumulateBinned(points, weights, options, grid, kf, r.raster.values, progress);
  } else {
    accumulateExact(points, weights, radii, options,
                    makePlacement(options, grid, layout.boundsMinY), kf, r.raster.values, progress);
  }
  finish(r, options, points, weights, radii);
  progress.setFraction(1.0);
  return r;
}

}  // namespace

KdeResult kernelDensityOnGrid(std::span<const Point> points, std::span<const double> weights,
                              const KdeOptions& options, const KdeLayout& layout,
                              Progress& progress) {
  return runKde(points, weights, {}, options, layout, progress);
}

KdeResult kernelDensity(std::span<const Point> points, std::span<const double> weights,
                        const KdeOptions& options, Progress& progress) {
  options.validate();
  return runKde(points, weights, {}, options,
                makeLayout(finiteExtent(points), options, options.radius), progress);
}

KdeResult kernelDensityVariableRadius(std::span<const Point> points,
                                      std::span<const double> weights,
                                      std::span<const double> radii, const KdeOptions& options,
                                      Progress& progress) {
  options.validate();
  checkRadii(points, radii);
  return runKde(points, weights, radii, options,
                makeLayout(finiteExtent(points), options, growthOf(options, radii)), progress);
}

KdeResult kernelDensityDirect(std::span<const Point> points, std::span<const double> weights,
                              const KdeOptions& options, std::span<const double> radii) {
  options.validate();
  checkWeights(points, weights);
  if (!radii.empty()) checkRadii(points, radii);
  const KdeLayout l = makeLayout(finiteExtent(points), options, growthOf(options, radii));
  const RasterGrid& g = l.grid;
  const double px = g.pixelSize;
  KdeResult r;
  r.raster.grid = g;
  assignLarge(r.raster.values, g.size(), 0.0);
  for (std::int32_t row = 0; row < g.rows; ++row) {
    for (std::int32_t col = 0; col < g.cols; ++col) {
      double sum = 0.0;
      for (std::size_t i = 0; i < points.size(); ++i) {
        Point p = points[i];
        if (!finite(p)) continue;
        const double radius = radii.empty() ? options.radius : radii[i];
        const KernelFunction kf(options.kernel, radius, options.output, options.decay,
                                options.gaussianSigma);
        const int b = qgisBufferPixels(radius, options.pixelSize);
        if (options.method == KdeMethod::Binned) {  // snap to the centre of its pixel
          p = {g.originX + (std::floor((p.x - g.originX) / px) + 0.5) * px,
               g.originY - (std::floor((g.originY - p.y) / px) + 0.5) * px};
        }
        double dx = g.centreX(col) - p.x;
        double dy = g.centreY(row) - p.y;
        if (options.placement == PixelPlacement::QgisHeatmap) {
          // QGIS: block of 2b+1 pixels from the truncated point position (points whose block
          // would start below 0 by a pixel or more, or end past the raster, are skipped), y
          // measured upwards from bounds.minY for the block row written downwards from maxY.
          const double vx = (p.x - g.originX) / px - b;
          const double vy = (p.y - l.boundsMinY) / px - b;
          const double vio = (g.originY - p.y) / px - b;
          if (vx <= -1 || vy <= -1 || vio <= -1) continue;
          const double xPos = std::trunc(vx), yPos = std::trunc(vy), yIO = std::trunc(vio);
          if (xPos + 2 * b + 1 > g.cols || yIO + 2 * b + 1 > g.rows) continue;
          if (col < xPos || col > xPos + 2 * b || row < yIO || row > yIO + 2 * b) continue;
          dx = (xPos + (col - xPos) + 0.5) * px + g.originX - p.x;
          dy = (yPos + (row - yIO) + 0.5) * px + l.boundsMinY - p.y;
        }
        sum += weightOf(weights, i) * kf.value(dx * dx + dy * dy);
      }
      r.raster.values[static_cast<std::size_t>(row) * g.cols + col] = sum;
    }
  }
  finish(r, options, points, weights, radii);
  return r;
}

// ---- the streamed KDE -----------------------------------------------------------------------

SpanPasses::SpanPasses(std::span<const Point> points, std::span<const double> weights,
                       std::size_t chunk)
    : points_(points), weights_(weights), chunk_(std::max<std::size_t>(1, chunk)) {
  checkWeights(points, weights);
}

void SpanPasses::forEachChunk(const Chunk& f) {
  for (std::size_t b = 0; b < points_.size(); b += chunk_) {
    const std::size_t n = std::min(chunk_, points_.size() - b);
    f(points_.subspan(b, n), weights_.empty() ? weights_ : weights_.subspan(b, n));
  }
}

PointSpill::PointSpill(bool weighted, const std::string& directory, std::size_t chunk)
    : directory_(directory), weighted_(weighted), chunk_(std::max<std::size_t>(1, chunk)) {
  if (directory.empty()) {
    file_ = std::tmpfile();
  } else {
    std::string name = directory + "/veldwacht-points-XXXXXX";
    const int fd = ::mkstemp(name.data());
    if (fd >= 0) {
      ::unlink(name.c_str());  // no name: the file goes when it is closed, whatever happens
      file_ = ::fdopen(fd, "w+b");
      if (!file_) ::close(fd);
    }
  }
  if (!file_)
    throw LibraryError("cannot make a temporary file for the points" +
                       (directory.empty() ? std::string() : " in '" + directory + "'") + ": " +
                       std::strerror(errno));
  points_.reserve(chunk_);
  if (weighted_) weights_.reserve(chunk_);
}

PointSpill::~PointSpill() {
  if (file_) std::fclose(file_);
}

void PointSpill::add(const Point& p, double weight) {
  points_.push_back(p);
  if (weighted_) weights_.push_back(weight);
  if (finite(p)) extent_.include(p);
  ++count_;
  if (points_.size() == chunk_) flush();
}

void PointSpill::flush() {
  if (points_.empty()) return;
  const std::size_t n = points_.size();
  if (std::fwrite(points_.data(), sizeof(Point), n, file_) != n ||
      (weighted_ && std::fwrite(weights_.data(), sizeof(double), n, file_) != n))
    throw LibraryError(std::string("cannot write the points' temporary file: ") +
                       std::strerror(errno));
  points_.clear();
  weights_.clear();
}

void PointSpill::forEachChunk(const Chunk& f) {
  // The file holds full chunks (points, then their weights) and one last shorter chunk.
  flush();
  if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0)
    throw LibraryError(std::string("cannot read the points' temporary file: ") +
                       std::strerror(errno));
  for (std::size_t done = 0; done < count_;) {
    const std::size_t n = std::min(chunk_, count_ - done);
    points_.resize(n);
    if (weighted_) weights_.resize(n);
    if (std::fread(points_.data(), sizeof(Point), n, file_) != n ||
        (weighted_ && std::fread(weights_.data(), sizeof(double), n, file_) != n))
      throw LibraryError("cannot read the points' temporary file back");
    f(points_, weights_);
    done += n;
  }
  points_.clear();
  weights_.clear();
  if (std::fseek(file_, 0, SEEK_END) != 0)  // further add()s append
    throw LibraryError("cannot seek in the points' temporary file");
}

KdeResult kernelDensityStreamed(PointPasses& points, const KdeOptions& options,
                                const KdeLayout& layout, RasterRowSink& sink, std::int32_t bandRows,
                                Progress& progress) {
  options.validate();
  if (options.method != KdeMethod::Exact)
    throw OptionError("method", "the streamed KDE takes the exact method only");
  const RasterGrid& g = layout.grid;
  if (double(g.cols) * double(g.rows) > double(options.maxPixels)) {
    throw OptionError("pixelSize", "the raster would have " +
                                       std::to_string(double(g.cols) * g.rows) +
                                       " pixels, more than maxPixels; choose larger pixels");
  }
  bandRows = std::clamp(bandRows, 1, std::max(1, g.rows));
  progress.setPhase("kernel density");
  progress.setFraction(0.0);
  KdeResult r;
  r.raster.grid = g;
  bool weighted = false;
  auto count = [&](std::span<const Point> p, std::span<const double> w) {
    checkWeights(p, w);
    weighted = weighted || !w.empty();
    countPoints(r, p, w);
  };
  const KernelFunction kf(options.kernel, options.radius, options.output, options.decay,
                          options.gaussianSigma);
  const Placement pl = makePlacement(options, g, layout.boundsMinY);
  const std::int32_t nBands = (g.rows + bandRows - 1) / bandRows;
  // Points in a file: one pass counts them and sorts them into a file per band (input order
  // kept), so that the bands read 1.1 times the points instead of nBands times. Points in
  // memory: one pass counts them.
  std::vector<std::unique_ptr<PointSpill>> perBand;
  if (const std::string* dir = points.spillDirectory(); dir && nBands > 1) {
    points.forEachChunk([&](std::span<const Point> p, std::span<const double> w) {
      progress.checkCancelled();
      if (!perBand.empty() && w.empty() == weighted)
        throw std::logic_error("kernelDensityStreamed: chunks with and without weights");
      count(p, w);
      if (perBand.empty())  // the first chunk says whether the points are weighted
        for (std::int32_t b = 0; b < nBands; ++b)
          perBand.push_back(std::make_unique<PointSpill>(weighted, *dir, 1024));
      for (std::size_t i = 0; i < p.size(); ++i) {
        if (!finite(p[i])) continue;
        const Window win = pl.window(p[i], options.radius);
        if (win.c1 < win.c0 || win.r1 < win.r0) continue;
        for (std::int32_t b = win.r0 / bandRows; b <= win.r1 / bandRows; ++b)
          perBand[static_cast<std::size_t>(b)]->add(p[i], weightOf(w, i));
      }
    });
  } else {
    points.forEachChunk(count);
  }
  describeSurface(r, options, weighted, {});
  sink.begin(r.raster);
  std::vector<std::uint8_t> inside;
  if (!options.maskWkb.empty()) inside = rasteriseMask(options.maskWkb, g);
  std::vector<double> band;
  for (std::int32_t b = 0; b < nBands; ++b) {
    const std::int32_t rowBegin = b * bandRows, rowEnd = std::min(g.rows, rowBegin + bandRows);
    PointPasses& source = perBand.empty() ? points : *perBand[static_cast<std::size_t>(b)];
    band.assign(static_cast<std::size_t>(rowEnd - rowBegin) * g.cols, 0.0);
    PointAdder adder{options, pl, kf, rowBegin, rowEnd, band.data()};
    // Wider than any window reaches, in either placement (QGIS's block: b + 1 pixels).
    const double reach =
        std::max(options.radius,
                 (qgisBufferPixels(options.radius, g.pixelSize) + 1) * g.pixelSize) +
        2 * g.pixelSize;
    adder.yLow = g.originY - rowEnd * g.pixelSize - reach;
    adder.yHigh = g.originY - rowBegin * g.pixelSize + reach;
    source.forEachChunk([&](std::span<const Point> p, std::span<const double> w) {
      progress.checkCancelled();
      adder.add(p, w, {});
    });
    if (!perBand.empty()) perBand[static_cast<std::size_t>(b)].reset();  // its file goes
    if (!inside.empty()) {
      const std::size_t first = static_cast<std::size_t>(rowBegin) * g.cols;
      for (std::size_t i = 0; i < band.size(); ++i)
        if (!inside[first + i]) band[i] = options.nodata;
    }
    sink.rows(rowBegin, rowEnd, band);
    progress.setFraction(double(b + 1) / double(nBands));
  }
  progress.checkCancelled();
  return r;
}

double silvermanRadius(std::span<const Point> points, std::span<const double> weights) {
  checkWeights(points, weights);
  double sw = 0.0, mx = 0.0, my = 0.0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!finite(points[i])) continue;
    const double w = weightOf(weights, i);
    sw += w;
    mx += w * points[i].x;
    my += w * points[i].y;
  }
  if (!(sw > 0)) throw InputError({}, "no points (or no positive weight) to derive a radius from");
  mx /= sw;
  my /= sw;
  std::vector<std::pair<double, double>> dist;  // (distance to the mean centre, weight)
  double ss = 0.0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!finite(points[i])) continue;
    const double w = weightOf(weights, i);
    const double dx = points[i].x - mx, dy = points[i].y - my;
    ss += w * (dx * dx + dy * dy);
    dist.emplace_back(std::sqrt(dx * dx + dy * dy), w);
  }
  const double sd = std::sqrt(ss / sw);
  // Weighted median: the first distance at which the cumulative weight reaches half.
  std::sort(dist.begin(), dist.end());
  double cum = 0.0, dm = dist.back().first;
  for (const auto& [d, w] : dist) {
    cum += w;
    if (cum >= sw / 2) {
      dm = d;
      break;
    }
  }
  const double spread = std::min(sd, std::sqrt(1.0 / std::log(2.0)) * dm);
  if (!(spread > 0)) throw InputError({}, "all points coincide: no radius can be derived");
  return 0.9 * spread * std::pow(sw, -0.2);
}

}  // namespace veldwacht::geo
