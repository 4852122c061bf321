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
    endif()
  endif()
endfunction()

if(VELDWACHT_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# veldwacht_add_test(<name> SOURCES <files...> [LIBS <targets...>] [LABELS <labels...>])
# Builds one GoogleTest executable per unit and registers its tests with ctest.
function(veldwacht_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  veldwacht_target_defaults(${name})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE
    VELDWACHT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    VELDWACHT_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 120
                       PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT 600
                       WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
endfunction()

# veldwacht_add_component(<target> SOURCES <files...> [PUBLIC_DEPS <targets...>] [PRIVATE_DEPS <targets...>])
# One static library per folder of geo/ and layers/, so a folder builds and tests on its own.
# The aggregate targets veldwacht::geo and veldwacht::layers link all of them.
function(veldwacht_add_component target)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${target} STATIC ${ARG_SOURCES})
  add_library(veldwacht::${target} ALIAS ${target})
  veldwacht_target_defaults(${target})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${target} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()
