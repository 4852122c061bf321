// Transforming source coordinates to the working CRS (EPSG:28992, RD New) and saying how.
//
// Why this is more than one OGR call: PROJ picks the best *available* operation. With the
// RDNAPTRANS2018 grid (nl_nsgi_rdtrans2018.tif, NSGI) installed, ETRS89/WGS 84 -> RD is a grid
// shift accurate to ~1 mm (ETRS89) or ~1 m (WGS 84, whose realisation differs from ETRS89); without
// it PROJ silently falls back to a 7-parameter Helmert transformation (EPSG "Amersfoort to WGS 84
// (4)", nominal 1 m; "Amersfoort to ETRS89 (8)", 0.25 m). DESIGN.md: state it, never hide it. We
// ask PROJ which operation it really used for a point of the data
// (proj_trans_get_last_used_operation, PROJ >= 9.1) and classify its pipeline:
// `hgridshift`/`nl_nsgi` = grid, `helmert` = Helmert. Reference: NSGI, "RDNAPTRANS2018 — coordinate
// transformation to and from RD and NAP" (2020).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>

#include "geo/core/gdal.h"
#include "geo/core/types.h"

namespace veldwacht::geo {

/// What kind of operation PROJ chose from the source CRS to EPSG:28992.
enum class TransformKind {
  Identity,  ///< source is already EPSG:28992: nothing done
  Grid,      ///< RDNAPTRANS2018 grid shift (nl_nsgi_rdtrans2018.tif)
  Helmert,   ///< 7-parameter fallback without the grid (~0.25 m from ETRS89, ~1 m from WGS 84)
  Other,     ///< another operation (e.g. from a foreign projected CRS); see operationName()
};

struct CrsTransformOptions {
  /// Source CRS in any form OGRSpatialReference::SetFromUserInput accepts: "EPSG:4326", WKT,
  /// a PROJ string, "urn:ogc:def:crs:EPSG::4258", ...
  std::string sourceCrs = "EPSG:4326";
  /// Throws OptionError("sourceCrs") when empty or unknown to GDAL/PROJ.
  void validate() const;
};

/// Parses a user CRS string; throws OptionError(option) when GDAL/PROJ does not know it.
/// The result uses traditional GIS axis order (x = easting/longitude, y = northing/latitude).
SpatialRefPtr parseCrs(const std::string& userInput, const std::string& option = "crs");

/// A short name for a CRS: "EPSG:4326" when it has an EPSG code, else its name.
std::string crsName(const OGRSpatialReference& srs);

/// Transforms from one source CRS to EPSG:28992. Move-only; owns its OGR transformation and
/// a PROJ context (one instance per thread).
class CrsTransformer {
 public:
  /// Throws OptionError when the CRS is unknown, LibraryError when no operation exists.
  /// `samplePoint` (in the source CRS, traditional axis order) is the spot at which the chosen
  /// operation is inspected; by default the centre of the Netherlands.
  explicit CrsTransformer(const CrsTransformOptions& options,
                          std::optional<Point> samplePoint = std::nullopt);
  CrsTransformer(const OGRSpatialReference& source,
                 std::optional<Point> samplePoint = std::nullopt);
  ~CrsTransformer();
  CrsTransformer(CrsTransformer&&) noexcept;
  CrsTransformer& operator=(CrsTransformer&&) noexcept;

  const std::string& sourceName() const { return sourceName_; }
  bool sourceIsGeographic() const { return sourceGeographic_; }
  TransformKind kind() const { return kind_; }
  /// PROJ's name of the operation used (empty for Identity).
  const std::string& operationName() const { return operationName_; }
  /// The PROJ pipeline of that operation (for the curious; empty for Identity).
  const std::string& pipeline() const { return pipeline_; }
  /// PROJ's stated accuracy of the operation in metres (-1 when unknown or Identity).
  double accuracyMetres() const { return accuracyM_; }
  /// One line for the import report, e.g. "EPSG:4326 -> EPSG:28992 via Helmert (...)".
  const std::string& note() const { return note_; }

  /// Transforms one point (source, traditional axis order) to RD; throws LibraryError on failure.
  Point toRd(Point source) const;
  /// Transforms a geometry in place; returns false when PROJ fails for any vertex.
  bool toRd(OGRGeometry& geometry) const;

 private:
  void init(const OGRSpatialReference& source, std::optional<Point> samplePoint);

  SpatialRefPtr source_;
  SpatialRefPtr target_;
  TransformPtr transform_;  ///< null for Identity
  std::string sourceName_;
  bool sourceGeographic_ = false;
  TransformKind kind_ = TransformKind::Identity;
  std::string operationName_;
  std::string pipeline_;
  std::string note_;
  double accuracyM_ = -1.0;
};

/// True when PROJ finds the RDNAPTRANS2018 grid file nl_nsgi_rdtrans2018.tif in its search paths.
/// Note that PROJ 9 offers grid-based operations to RD from ETRS89 (EPSG:4258) only; from WGS 84
/// (EPSG:4326) it uses a Helmert transformation (~1 m) even when the grid is installed.
bool rdnaptransGridAvailable();

/// Classifies a PROJ pipeline definition: hgridshift or nl_nsgi -> Grid, helmert -> Helmert,
/// else Other. Exposed for testing the detection without the grid file.
TransformKind classifyPipeline(const std::string& pipeline);

}  // namespace veldwacht::geo
