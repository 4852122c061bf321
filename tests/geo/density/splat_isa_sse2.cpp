// The splat loops compiled for sse2 (tests/geo/density/CMakeLists.txt sets the flags).
#define VELDWACHT_SPLAT_ISA sse2
#include "splat_isa_loops.inc"
