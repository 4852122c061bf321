// Include FIRST (before any QGIS header) in every plugin translation unit that also includes
// layers/analyses (whose report.h pulls <nlohmann/json.hpp>, 3.11.2).
//
// QGIS 3.22's qgsgeometry.h and qgsabstractgeometry.h include QGIS's own old copy of
// nlohmann's json_fwd.hpp (/usr/include/qgis/json_fwd.hpp) and then `using namespace nlohmann;`.
// That copy declares nlohmann::basic_json with one template parameter less than 3.11.2 (no
// BinaryType) and outside 3.11.2's inline ABI namespace, so when it comes first the real
// <nlohmann/json.hpp> no longer compiles. Both copies use the SAME include guard,
// INCLUDE_NLOHMANN_JSON_FWD_HPP_: when <nlohmann/json.hpp> is included first, QGIS's copy is
// skipped and QGIS's declarations (`json asJsonObject(...)` only) see the real nlohmann::json.
// The plugin never calls asJsonObject, so no QGIS symbol with the old json type is referenced.
//
// The same goes for oneTBB (geo/ and layers/ headers include it): Qt defines the macro `emit`
// (to nothing), and oneTBB's profiling.h and parallel_pipeline's filters declare functions named
// emit, which no longer compile once Qt's headers came first. Included here, before Qt, their
// include guards keep them from being parsed again after it.
//
// plugin/CMakeLists.txt makes this header the first precompiled header of the plugin's
// libraries, so it also comes before the precompiled QGIS headers.
#pragma once

#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/profiling.h>
#include <nlohmann/json.hpp>

#ifndef INCLUDE_NLOHMANN_JSON_FWD_HPP_
#error "nlohmann/json.hpp did not define the include guard QGIS's json_fwd.hpp shares"
#endif
