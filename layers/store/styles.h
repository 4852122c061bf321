// Default styles inside the store: QGIS's `layer_styles` table (the same table and columns QGIS
// creates itself), so that a store opens styled in plain QGIS.
#pragma once

#include <optional>
#include <string>

#include "geo/core/gdal.h"

namespace veldwacht::layers {
inline constexpr const char* kStylesTableName = "layer_styles";
}

namespace veldwacht::layers {

/// The styles directory: `explicitDir` when given, else env VELDWACHT_STYLES_DIR, else found
/// from the binary this code runs in (stylesNextTo(binaryDirectory())), else the install
/// prefix's share/veldwacht/styles. No source-tree path is compiled in: a build tree links
/// <build>/share/veldwacht/styles to the sources' styles/, so tests and build-tree programs find
/// them the way installed ones do. Returns "" when none exists.
std::string stylesDirectory(const std::string& explicitDir = {});

/// The folder of the executable or shared object this code is linked into ("" if unknown).
std::string binaryDirectory();
/// The styles beside a binary in `binaryDir`: <binaryDir>/veldwacht/styles (the QGIS plugin's
/// own folder), else the first <dir>/share/veldwacht/styles walking up at most four parents
/// (<prefix>/bin, <prefix>/lib/qgis/plugins, a build tree). "" when none.
std::string stylesNextTo(const std::string& binaryDir);

/// Reads a QML file; nullopt when it does not exist.
std::optional<std::string> readStyleFile(const std::string& path);

/// The style Veldwacht ships for domain layer `layer` (<stylesDir>/layers/<layer>.qml); nullopt
/// when `stylesDir` is empty or has none for it. What both stores embed when they are created.
std::optional<std::string> shippedLayerStyle(const std::string& stylesDir,
                                             const std::string& layer);
/// The description of that style in layer_styles.
std::string shippedLayerStyleDescription(const std::string& layerTitle);

/// Stores `qml` as the default style of `table` (named `styleName`), creating layer_styles when
/// absent and clearing useAsDefault of the table's other styles. Replaces a style of the same
/// name. Runs inside the caller's transaction when one is open.
void embedDefaultStyle(GDALDataset& ds, const std::string& table, const std::string& styleName,
                       const std::string& qml, const std::string& description);

/// The QML QGIS would apply to `table` on opening (the useAsDefault style), if any.
std::optional<std::string> defaultStyle(GDALDataset& ds, const std::string& table);

/// Removes every style of `table` (used when a result layer is replaced or deleted).
void removeStyles(GDALDataset& ds, const std::string& table);

}  // namespace veldwacht::layers
