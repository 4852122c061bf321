// The KDE options of the QGIS comparisons (bench/anchors/kde_qgis.sh, bench/qgis_inside.py):
// QGIS's raw kernel sum and pixel placement, from a command line's RADIUS PIXEL_SIZE [KERNEL].
#pragma once

#include <cstdlib>
#include <string>

#include "geo/density/kde.h"

namespace veldwacht::bench {

/// `kernel` null = quartic (QGIS's KERNEL numbering, 0–4).
inline geo::KdeOptions qgisProfileKde(const char* radius, const char* pixelSize,
                                      const char* kernel) {
  geo::KdeOptions o;
  o.radius = std::stod(radius);
  o.pixelSize = std::stod(pixelSize);
  o.kernel = static_cast<geo::Kernel>(kernel ? std::atoi(kernel) : 0);
  o.output = geo::KernelOutput::Raw;
  o.placement = geo::PixelPlacement::QgisHeatmap;
  return o;
}

}  // namespace veldwacht::bench
