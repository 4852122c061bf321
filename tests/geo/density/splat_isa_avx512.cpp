// The splat loops compiled for avx512 (tests/geo/density/CMakeLists.txt sets the flags).
#define VELDWACHT_SPLAT_ISA avx512
#include "splat_isa_loops.inc"
