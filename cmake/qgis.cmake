# Finding QGIS and the Qt it was built with (cf. cmake/<dep>.cmake per awkward dependency).
#
# QGIS installs no QGISConfig.cmake, only a find-module (/usr/share/qgis/FindQGIS.cmake) that sets
# QGIS_INCLUDE_DIR, QGIS_{CORE,GUI,ANALYSIS}_LIBRARY, QGIS_VERSION and QGIS_PLUGIN_DIR. This file
# wraps it in imported targets and picks the matching Qt:
#   QGIS 3.x -> Qt 5.15, QGIS 4.x -> Qt 6.
# Result: VELDWACHT_QGIS_FOUND, VELDWACHT_QGIS_QT_MAJOR (5 or 6), the targets
# veldwacht::qgis_core / veldwacht::qgis_gui / veldwacht::qgis_analysis, versionless Qt targets
# (Qt::Core, Qt::Gui, Qt::Widgets, Qt::Xml, Qt::PrintSupport, Qt::Test) and
# VELDWACHT_QGIS_PLUGIN_DIR (cache; where `cmake --install` puts the plugin).

set(VELDWACHT_QGIS_FOUND FALSE)

find_file(VELDWACHT_FIND_QGIS_MODULE FindQGIS.cmake
          PATHS /usr/share/qgis /usr/local/share/qgis ${QGIS_PREFIX_PATH}/share/qgis
          NO_DEFAULT_PATH)
if(NOT VELDWACHT_FIND_QGIS_MODULE)
  message(STATUS "QGIS: FindQGIS.cmake not found; the plugin is not built")
  return()
endif()

set(QGIS_FIND_QUIETLY ON)
include(${VELDWACHT_FIND_QGIS_MODULE})
if(NOT QGIS_FOUND OR NOT QGIS_VERSION)
  message(STATUS "QGIS: libraries or headers not found; the plugin is not built")
  return()
endif()

string(REGEX MATCH "^[0-9]+" _vw_qgis_major "${QGIS_VERSION}")
if(_vw_qgis_major GREATER_EQUAL 4)
  set(VELDWACHT_QGIS_QT_MAJOR 6)
else()
  set(VELDWACHT_QGIS_QT_MAJOR 5)
endif()

# Qt 5.15 creates the versionless Qt:: targets itself unless told otherwise; pin the default so
# Qt 6 (installed beside it) never provides them for the QGIS build.
set(QT_DEFAULT_MAJOR_VERSION ${VELDWACHT_QGIS_QT_MAJOR})
set(_vw_qt_components Core Gui Widgets Xml PrintSupport Network Svg Test)
if(VELDWACHT_QGIS_QT_MAJOR EQUAL 5)
  find_package(Qt5 5.15 QUIET GLOBAL COMPONENTS ${_vw_qt_components} OPTIONAL_COMPONENTS LinguistTools)
  set(_vw_qt_found ${Qt5_FOUND})
else()
  find_package(Qt6 QUIET GLOBAL COMPONENTS ${_vw_qt_components} OPTIONAL_COMPONENTS LinguistTools)
  set(_vw_qt_found ${Qt6_FOUND})
endif()
if(NOT _vw_qt_found)
  message(STATUS "QGIS ${QGIS_VERSION} found but not Qt ${VELDWACHT_QGIS_QT_MAJOR}; the plugin is not built")
  return()
endif()
foreach(_c ${_vw_qt_components})
  if(NOT TARGET Qt::${_c})
    add_library(Qt::${_c} INTERFACE IMPORTED GLOBAL)
    set_target_properties(Qt::${_c} PROPERTIES
                          INTERFACE_LINK_LIBRARIES Qt${VELDWACHT_QGIS_QT_MAJOR}::${_c})
  endif()
endforeach()

foreach(_lib core gui analysis)
  string(TOUPPER ${_lib} _LIB)
  if(NOT TARGET veldwacht::qgis_${_lib})
    add_library(veldwacht::qgis_${_lib} UNKNOWN IMPORTED GLOBAL)
    set_target_properties(veldwacht::qgis_${_lib} PROPERTIES
                          IMPORTED_LOCATION "${QGIS_${_LIB}_LIBRARY}"
                          INTERFACE_INCLUDE_DIRECTORIES "${QGIS_INCLUDE_DIR}")
  endif()
endforeach()
# qgsmaplayer.h includes QUndoStack (Widgets) even for core-only code; layouts need PrintSupport.
set_property(TARGET veldwacht::qgis_core APPEND PROPERTY INTERFACE_LINK_LIBRARIES
             Qt::Core Qt::Gui Qt::Widgets Qt::Xml Qt::Network Qt::PrintSupport)
set_property(TARGET veldwacht::qgis_gui APPEND PROPERTY INTERFACE_LINK_LIBRARIES
             veldwacht::qgis_core Qt::Svg)
set_property(TARGET veldwacht::qgis_analysis APPEND PROPERTY INTERFACE_LINK_LIBRARIES
             veldwacht::qgis_core)

# FindQGIS may report /lib/qgis/plugins on merged-/usr systems; install to the real path.
get_filename_component(_vw_plugin_dir "${QGIS_PLUGIN_DIR}" REALPATH)
set(VELDWACHT_QGIS_PLUGIN_DIR "${_vw_plugin_dir}" CACHE PATH
    "Where cmake --install puts libveldwachtplugin.so (QGIS's native plugin folder)")
set(VELDWACHT_QGIS_FOUND TRUE)
message(STATUS "QGIS ${QGIS_VERSION} with Qt ${VELDWACHT_QGIS_QT_MAJOR}; plugin dir ${VELDWACHT_QGIS_PLUGIN_DIR}")
