// The splat loops compiled for avx2 (tests/geo/density/CMakeLists.txt sets the flags).
#define VELDWACHT_SPLAT_ISA avx2
#include "splat_isa_loops.inc"
