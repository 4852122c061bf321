# Checks the layering geo ← layers ← cli/plugin by the includes each folder may use:
#   geo/     only geo/ (and system/third-party headers)
#   layers/  geo/ and layers/, never cli/ or plugin/
#   cli/     never plugin/
# and that no binary source uses __DATE__/__TIME__ (reproducible builds).
# Run as: cmake -DSOURCE_DIR=<repo> -P cmake/CheckLayering.cmake (ctest: veldwacht_layering).
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "pass -DSOURCE_DIR=<repository root>")
endif()

set(violations "")
function(check_folder folder)
  set(forbidden ${ARGN})
  file(GLOB_RECURSE files "${SOURCE_DIR}/${folder}/*.h" "${SOURCE_DIR}/${folder}/*.hpp"
                          "${SOURCE_DIR}/${folder}/*.cpp")
  foreach(f IN LISTS files)
    file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
    foreach(line IN LISTS lines)
      foreach(bad IN LISTS forbidden)
        if(line MATCHES "#[ \t]*include[ \t]*\"${bad}/")
          file(RELATIVE_PATH rel "${SOURCE_DIR}" "${f}")
          list(APPEND violations "${rel}: ${line} (${folder}/ must not include ${bad}/)")
        endif()
      endforeach()
    endforeach()
    file(STRINGS "${f}" stamps REGEX "__DATE__|__TIME__|__TIMESTAMP__")
    if(stamps)
      file(RELATIVE_PATH rel "${SOURCE_DIR}" "${f}")
      list(APPEND violations "${rel}: build date/time compiled in")
    endif()
  endforeach()
  set(violations "${violations}" PARENT_SCOPE)
endfunction()

check_folder(geo layers cli plugin tests bench)
check_folder(layers cli plugin tests bench)
check_folder(cli plugin tests bench)

if(violations)
  list(JOIN violations "\n  " text)
  message(FATAL_ERROR "layering violations:\n  ${text}")
endif()
message(STATUS "layering: geo <- layers <- cli/plugin holds")
