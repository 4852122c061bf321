#pragma once
// The KDE's splat loops (internal to geo/density; not part of its interface). kde.cpp compiles
// them into run-time clones (AVX-512, AVX2, the SSE2 baseline: VELDWACHT_ROW_CLONES there), and
// tests/geo/density/splat_isa_*.cpp compile them once per instruction set, so that a test can
// check that every version gives the same bits. Internal linkage (an unnamed namespace): each
// translation unit keeps its own copy, compiled with its own flags; the linker never merges an
// AVX-512 copy with a baseline one. Whoever includes this compiles without contraction into
// fused multiply-adds (-ffp-contract=off) and with -fno-trapping-math (the max vectorises).

#include <cstddef>
#include <cstdint>

#if defined(__GNUC__)
#define VELDWACHT_SPLAT_BODY [[gnu::always_inline]] inline
#else
#define VELDWACHT_SPLAT_BODY inline
#endif

namespace veldwacht::geo::splat {
namespace {

/// For each row j: out[offset[j] + i] += ws·t^P with t = max(c[j] − e[i], 0), i < n: a
/// polynomial kernel (quartic P = 2, triweight 3, Epanechnikov 1) in t = 1 − d²/r² =
/// (1 − dy²/r²) − dx²/r², with c[j] = 1 − dy²/r² per row and e[i] = dx²/r² per column. t <= 0
/// at and beyond the radius, where these kernels vanish, so max(t, 0) is the whole mask: one
/// subtraction, one max and P multiplications per pixel, no compare and no select. All rows of
/// a point in one call (the run-time dispatch and the loop's set-up once per point, not per
/// row); restrict-qualified and branch-free so that the compiler vectorises the inner loop (the
/// hot loop of the KDE).
template <int P>
VELDWACHT_SPLAT_BODY void addPolynomialRows(double* __restrict out, std::size_t stride,
                                            const double* __restrict c, std::size_t rows,
                                            const double* __restrict e, std::int64_t n, double ws) {
  for (std::size_t j = 0; j < rows; ++j, out += stride) {
    const double cj = c[j];
    for (std::int64_t i = 0; i < n; ++i) {
      const double d = cj - e[i];
      const double t = d > 0.0 ? d : 0.0;  // maxpd
      double v = ws * t;
      if constexpr (P >= 2) v *= t;
      if constexpr (P >= 3) v *= t;
      out[i] += v;
    }
  }
}

/// out[i] += w·K(dx2[i] + dy2) where dx2[i] + dy2 <= r2: the kernels that do not vanish at the
/// radius (uniform, triangular with decay) or are not polynomials (Gaussian).
template <class K>
VELDWACHT_SPLAT_BODY void addMaskedRow(double* __restrict out, const double* __restrict dx2,
                                       std::int64_t n, double dy2, double r2, double w, K kernel) {
  for (std::int64_t i = 0; i < n; ++i) {
    const double d2 = dx2[i] + dy2;
    const double v = w * kernel(d2);
    out[i] += d2 <= r2 ? v : 0.0;
  }
}

}  // namespace
}  // namespace veldwacht::geo::splat
