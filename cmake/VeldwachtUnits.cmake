# One helper per kind of unit (cf. PDAL_ADD_PLUGIN / PDAL_ADD_TEST).

# Flags every Veldwacht target gets: warnings for developers, optional -Werror and sanitizers.
function(veldwacht_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow=local
                                             -Wnon-virtual-dtor -Wno-psabi)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      # GCC 12 reports false "may be used uninitialized" inside std::variant/std::optional
      # moves at -O2 (GCC bugs 105562, 107138); real uninitialised reads are caught by
      # -Wuninitialized, which stays on, and by the sanitizer build.
      target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
    endif()
    if(VELDWACHT_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
      if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
        # GCC 12 at -O3 (Release) reports a false -Wrestrict inside std::string's memcpy when a
        # string is built from a short literal ("x" + s, s = "G"; GCC bugs 105329, 105651, fixed
        # in 13): shown, not fatal, so that a Release build with -Werror builds.
        target_compile_options(${target} PRIVATE $<$<CONFIG:Release>:-Wno-error=restrict>)
      endif()
    endif()
    # __FILE__ (assert messages, logs) as a path relative to the repository, not this checkout.
    target_compile_options(${target} PRIVATE "-fmacro-prefix-map=${PROJECT_SOURCE_DIR}/=")
  endif()
  # The benchmarks' shared point generators (bench/*_points.h).
  file(RELATIVE_PATH rel "${PROJECT_SOURCE_DIR}" "${CMAKE_CURRENT_SOURCE_DIR}")
  if(rel MATCHES "^bench(/|$)")
    veldwacht_folder_includes(${target} bench)
  endif()
  # Sanitizers on the target, not directory-wide: every Veldwacht target (components, tests,
  # the CLI, the plugin, benchmarks) calls this; third-party code and the fuzz targets
  # (which bring their own instrumentation) are left alone.
  if(VELDWACHT_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined
                                             -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(${target} PUBLIC -fsanitize=address,undefined)
  endif()
endfunction()

# The include folder of one component: <build>/include/<target>/ holding only the component's
# own folder (a link to geo/clustering, say), so `#include "geo/clustering/dbscan.h"` resolves
# for the component and for what links it, and for nothing else. The layering geo <- layers <-
# cli/plugin, and each component's declared dependencies, are then enforced by the compiler.
# A component at the top of geo/ or layers/ (layers/version.cpp) exposes its headers one by one.
function(veldwacht_component_includes target)
  file(RELATIVE_PATH rel "${PROJECT_SOURCE_DIR}" "${CMAKE_CURRENT_SOURCE_DIR}")
  set(root "${PROJECT_BINARY_DIR}/include/${target}")
  if(rel MATCHES "/")
    get_filename_component(parent "${root}/${rel}" DIRECTORY)
    file(MAKE_DIRECTORY "${parent}")
    if(NOT EXISTS "${root}/${rel}")
      file(CREATE_LINK "${CMAKE_CURRENT_SOURCE_DIR}" "${root}/${rel}" SYMBOLIC)
    endif()
  else()
    file(MAKE_DIRECTORY "${root}/${rel}")
    file(GLOB headers RELATIVE "${CMAKE_CURRENT_SOURCE_DIR}" "${CMAKE_CURRENT_SOURCE_DIR}/*.h")
    foreach(h IN LISTS headers)
      if(NOT EXISTS "${root}/${rel}/${h}")
        file(CREATE_LINK "${CMAKE_CURRENT_SOURCE_DIR}/${h}" "${root}/${rel}/${h}" SYMBOLIC)
      endif()
    endforeach()
  endif()
  target_include_directories(${target} PUBLIC "${root}")
endfunction()

# One top-level folder of the tree (tests, bench) as an include root of its own, so that
# `#include "tests/geo/expect_error.h"` or `#include "bench/clustering_points.h"` resolves
# without exposing the rest of the tree.
function(veldwacht_folder_includes target folder)
  set(root "${PROJECT_BINARY_DIR}/include/veldwacht_${folder}")
  if(NOT EXISTS "${root}/${folder}")
    file(MAKE_DIRECTORY "${root}")
    file(CREATE_LINK "${PROJECT_SOURCE_DIR}/${folder}" "${root}/${folder}" SYMBOLIC)
  endif()
  target_include_directories(${target} PRIVATE "${root}")
endfunction()

# veldwacht_add_test(<name> SOURCES <files...> [LIBS <targets...>] [LABELS <labels...>])
# Builds one GoogleTest executable per unit and registers its tests with ctest.
# Precompiled headers (VELDWACHT_PCH, on in the CI presets, off by default because ccache does
# not cache compilations that use them): GoogleTest and the standard library, parsed once and
# reused by every test program. The holder is an executable so that its -fPIE matches the tests'.
function(veldwacht_test_pch target)
  if(NOT VELDWACHT_PCH)
    return()
  endif()
  if(NOT TARGET veldwacht_test_pch)
    add_executable(veldwacht_test_pch EXCLUDE_FROM_ALL ${PROJECT_SOURCE_DIR}/cmake/pch_main.cpp)
    veldwacht_target_defaults(veldwacht_test_pch)
    target_compile_options(veldwacht_test_pch PRIVATE ${VELDWACHT_TEST_CXX_FLAGS})
    target_link_libraries(veldwacht_test_pch PRIVATE GTest::gtest GTest::gmock)
    target_precompile_headers(veldwacht_test_pch PRIVATE
      <gtest/gtest.h> <gmock/gmock.h> <algorithm> <cmath> <cstdint> <cstdlib> <filesystem>
      <fstream> <functional> <map> <memory> <optional> <random> <set> <sstream> <string>
      <vector>)
  endif()
  get_target_property(own ${target} PRECOMPILE_HEADERS)
  if(NOT own)
    target_precompile_headers(${target} REUSE_FROM veldwacht_test_pch)
  endif()
endfunction()

function(veldwacht_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  veldwacht_target_defaults(${name})
  # The test programs' own code only (the libraries under test keep the build type's flags):
  # the CI preset compiles it at -O1, a quarter faster to build than -O2 (VELDWACHT_TEST_CXX_FLAGS).
  target_compile_options(${name} PRIVATE ${VELDWACHT_TEST_CXX_FLAGS})
  if(VELDWACHT_TEST_CXX_FLAGS AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 at -O1 reports false -Warray-bounds / -Wrestrict / -Wstringop-overflow inside
    # std::string's memcpy when it inlines a concatenation (GCC bugs 105329, 105651). The
    # libraries, built with the build type's flags, keep these warnings.
    target_compile_options(${name} PRIVATE -Wno-array-bounds -Wno-restrict -Wno-stringop-overflow)
  endif()
  # Qt brings -fPIC, which GCC will not mix with the holder's -fPIE: those few tests parse for real.
  if(NOT ARG_LIBS MATCHES "Qt|veldwacht_ui|veldwacht_plugin")
    veldwacht_test_pch(${name})
  endif()
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main GTest::gmock)
  veldwacht_folder_includes(${name} tests)
  target_compile_definitions(${name} PRIVATE
    VELDWACHT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    VELDWACHT_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  # veldwacht_unit_tests: every test program with a `unit` test, and nothing else (no CLI, no
  # PostGIS store, no plugin). The sanitizer stage of CI builds this target, since it runs only
  # the unit label. A program it leaves unbuilt is listed by ctest as <name>_NOT_BUILT without
  # a label, so `ctest -L unit` never runs it.
  if("unit" IN_LIST ARG_LABELS)
    if(NOT TARGET veldwacht_unit_tests)
      add_custom_target(veldwacht_unit_tests)
    endif()
    add_dependencies(veldwacht_unit_tests ${name})
  endif()
  if(VELDWACHT_TESTS_PER_PROGRAM OR "postgis" IN_LIST ARG_LABELS)
    # One ctest test per program, all its cases in one process (the sanitizer preset: a process
    # under ASan costs about 0.4 s CPU to start, which per case was a third of that stage). The
    # PostGIS tests always: their cases share the temporary server the program starts (initdb
    # and a server start cost seconds), where one process per case started one each.
    add_test(NAME ${name} COMMAND ${name} WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT 900)
  else()
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 120
                         PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT 600
                         WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  endif()
endfunction()

# Code that the QGIS plugin links: every function and object in a section of its own, so the
# module's link can drop what nothing calls (--gc-sections) and put the functions a qgis_process
# run calls together (plugin/symbol-order.txt): qgis_process then holds fewer of the module's
# code pages (docs/benchmarks.md, "Session 16: the plugin's code pages").
function(veldwacht_function_sections target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -ffunction-sections -fdata-sections)
  endif()
endfunction()

# veldwacht_add_component(<target> SOURCES <files...> [PUBLIC_DEPS <targets...>] [PRIVATE_DEPS <targets...>])
# One static library per folder of geo/ and layers/, so a folder builds and tests on its own.
# The aggregate targets veldwacht::geo and veldwacht::layers link all of them.
function(veldwacht_add_component target)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${target} STATIC ${ARG_SOURCES})
  add_library(veldwacht::${target} ALIAS ${target})
  veldwacht_target_defaults(${target})
  veldwacht_function_sections(${target})
  # The algorithms' descriptions (describe_*.cpp) run once per process, when the CLI parses its
  # options or the plugin registers its algorithms (every one, at every qgis_process start):
  # compiled for size, the code a run touches is smaller (docs/benchmarks.md, "Session 16").
  foreach(src IN LISTS ARG_SOURCES)
    get_filename_component(_name ${src} NAME)
    if(_name MATCHES "^describe_.*\\.cpp$" AND CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
      set_source_files_properties(${src} PROPERTIES COMPILE_OPTIONS -Os)
    endif()
  endforeach()
  veldwacht_component_includes(${target})
  target_link_libraries(${target} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()
