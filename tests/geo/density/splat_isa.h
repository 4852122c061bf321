#pragma once
// The KDE's splat loops (geo/density/splat_rows.h) compiled once per instruction set, by
// splat_isa_sse2.cpp, splat_isa_avx2.cpp and splat_isa_avx512.cpp (tests/geo/density/CMakeLists.txt
// gives each its flags); splat_isa_test.cpp checks that they all give the same bits.

#include <cstddef>
#include <cstdint>

namespace veldwacht::geo::splat_isa {

/// One instruction set's build of the loops.
struct Loops {
  void (*polynomialRows)(int power, double* out, std::size_t stride, const double* c,
                         std::size_t rows, const double* e, std::int64_t n, double ws);
  /// addMaskedRow with the uniform kernel (value s inside the radius).
  void (*uniformRow)(double* out, const double* dx2, std::int64_t n, double dy2, double r2,
                     double w, double s);
};

Loops sse2();
Loops avx2();
Loops avx512();

}  // namespace veldwacht::geo::splat_isa
