#include "geo/crs/transform.h"

#include <cmath>
#include <memory>

#include <fmt/format.h>
#include <proj.h>

#include "geo/core/error.h"
#include "geo/core/proj.h"

namespace veldwacht::geo {

namespace {

// Amersfoort, the RD origin, in WGS 84: the default spot to ask PROJ which operation it uses.
constexpr double kAmersfoortLon = 5.38720621;
constexpr double kAmersfoortLat = 52.15517440;

bool contains(const std::string& haystack, const char* needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

bool rdnaptransGridAvailable() {
  // proj_grid_info searches PROJ's resource paths (PROJ_DATA, the user's and the system's).
  const PJ_GRID_INFO info = proj_grid_info("nl_nsgi_rdtrans2018.tif");
  return info.filename[0] != '\0';
}

TransformKind classifyPipeline(const std::string& pipeline) {
  if (contains(pipeline, "hgridshift") || contains(pipeline, "nl_nsgi") ||
      contains(pipeline, "rdtrans2018"))
    return TransformKind::Grid;
  if (contains(pipeline, "helmert")) return TransformKind::Helmert;
  return TransformKind::Other;
}

void CrsTransformOptions::validate() const {
  if (sourceCrs.empty()) throw OptionError("sourceCrs", "empty; give e.g. EPSG:4326");
  parseCrs(sourceCrs, "sourceCrs");
}

SpatialRefPtr parseCrs(const std::string& userInput, const std::string& option) {
  ensureGdalRegistered();
  SpatialRefPtr srs(new OGRSpatialReference());
  srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  GdalErrorCapture quiet;
  if (userInput.empty() || srs->SetFromUserInput(userInput.c_str()) != OGRERR_NONE)
    throw OptionError(option, "unknown coordinate reference system '" + userInput +
                                  "'; give an EPSG code such as EPSG:28992 or EPSG:4326");
  return srs;
}

std::string crsName(const OGRSpatialReference& srs) {
  const char* auth = srs.GetAuthorityName(nullptr);
  const char* code = srs.GetAuthorityCode(nullptr);
  if (auth && code) return std::string(auth) + ":" + code;
  // ESRI-style .prj files carry no authority; ask PROJ for the best EPSG match.
  OGRSpatialReference copy(srs);
  if (copy.AutoIdentifyEPSG() == OGRERR_NONE) {
    auth = copy.GetAuthorityName(nullptr);
    code = copy.GetAuthorityCode(nullptr);
    if (auth && code) return std::string(auth) + ":" + code;
  }
  {
    GdalErrorCapture quiet;
    int count = 0;
    int* rawConfidence = nullptr;
    // Both arrays are freed by their owners whatever happens below.
    const std::unique_ptr<OGRSpatialReferenceH, void (*)(OGRSpatialReferenceH*)> matches(
        OSRFindMatches(OGRSpatialReference::ToHandle(&copy), nullptr, &count, &rawConfidence),
        OSRFreeSRSArray);
    const std::unique_ptr<int, void (*)(void*)> confidenceOwner(rawConfidence, CPLFree);
    const bool confident = count > 0 && rawConfidence && rawConfidence[0] >= 70;
    if (matches && confident) {
      const OGRSpatialReference* best = OGRSpatialReference::FromHandle(matches.get()[0]);
      if (best && best->GetAuthorityCode(nullptr) && best->GetAuthorityName(nullptr))
        return std::string(best->GetAuthorityName(nullptr)) + ":" + best->GetAuthorityCode(nullptr);
    }
  }
  const char* n = srs.GetName();
  return n ? n : "unnamed CRS";
}

CrsTransformer::CrsTransformer(const CrsTransformOptions& options,
                               std::optional<Point> samplePoint) {
  options.validate();
  SpatialRefPtr src = parseCrs(options.sourceCrs, "sourceCrs");
  init(*src, samplePoint);
}

CrsTransformer::CrsTransformer(const OGRSpatialReference& source,
                               std::optional<Point> samplePoint) {
  init(source, samplePoint);
}

CrsTransformer::~CrsTransformer() = default;
CrsTransformer::CrsTransformer(CrsTransformer&&) noexcept = default;
CrsTransformer& CrsTransformer::operator=(CrsTransformer&&) noexcept = default;

void CrsTransformer::init(const OGRSpatialReference& source, std::optional<Point> samplePoint) {
  ensureGdalRegistered();
  source_.reset(source.Clone());
  source_->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  target_ = parseCrs("EPSG:28992");
  sourceName_ = crsName(*source_);
  sourceGeographic_ = source_->IsGeographic();

  const char* sameOptions[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES", nullptr};
  if (sourceName_ == "EPSG:28992" || source_->IsSame(target_.get(), sameOptions)) {
    kind_ = TransformKind::Identity;
    note_ = "source CRS " + sourceName_ + " is the working CRS EPSG:28992: no transformation";
    return;
  }

  {
    GdalErrorCapture capture;
    transform_.reset(OGRCreateCoordinateTransformation(source_.get(), target_.get()));
    if (!transform_)
      throw LibraryError("no coordinate operation from " + sourceName_ +
                         " to EPSG:28992: " + capture.messages());
  }

  // Where to ask PROJ: the data's own spot, else Amersfoort expressed in the source CRS.
  Point sample{kAmersfoortLon, kAmersfoortLat};
  if (samplePoint) {
    sample = *samplePoint;
  } else {
    SpatialRefPtr wgs84 = parseCrs("EPSG:4326");
    GdalErrorCapture quiet;
    TransformPtr toSource(OGRCreateCoordinateTransformation(wgs84.get(), source_.get()));
    double x = kAmersfoortLon, y = kAmersfoortLat;
    if (toSource && toSource->Transform(1, &x, &y)) sample = {x, y};
  }

  // Inspect the operation PROJ actually uses at the sample, in a private context.
  ProjContextPtr ctx(proj_context_create());
  char* wkt = nullptr;
  const char* wktOptions[] = {"FORMAT=WKT2_2019", nullptr};
  source_->exportToWkt(&wkt, wktOptions);
  CplStringPtr wktOwner(wkt);
  ProjPtr srcPj(proj_create(ctx.get(), wkt ? wkt : ""));
  ProjPtr dstPj(proj_create(ctx.get(), "EPSG:28992"));
  if (srcPj && dstPj) {
    ProjPtr op(
        proj_create_crs_to_crs_from_pj(ctx.get(), srcPj.get(), dstPj.get(), nullptr, nullptr));
    ProjPtr norm(op ? proj_normalize_for_visualization(ctx.get(), op.get()) : nullptr);
    if (norm) {
      PJ_COORD c = proj_coord(sample.x, sample.y, 0, HUGE_VAL);
      PJ_COORD out = proj_trans(norm.get(), PJ_FWD, c);
      ProjPtr used(std::isfinite(out.xy.x) ? proj_trans_get_last_used_operation(norm.get())
                                           : nullptr);
      PJ* described = used ? used.get() : norm.get();
      PJ_PROJ_INFO info = proj_pj_info(described);
      if (info.definition) pipeline_ = info.definition;
      const char* name = proj_get_name(described);
      operationName_ = name ? name : (info.description ? info.description : "");
      // proj_normalize_for_visualization prepends an axis swap; it says nothing to users.
      const std::string swapPrefix = "axis order change (2D) + ";
      if (operationName_.rfind(swapPrefix, 0) == 0) operationName_.erase(0, swapPrefix.size());
      accuracyM_ = proj_coordoperation_get_accuracy(ctx.get(), described);
    }
  }

  kind_ = classifyPipeline(pipeline_);
  const std::string head = sourceName_ + " -> EPSG:28992";
  switch (kind_) {
    case TransformKind::Grid:
      note_ = head + " with the RDNAPTRANS2018 grid (nl_nsgi_rdtrans2018.tif)";
      break;
    case TransformKind::Helmert:
      note_ =
          head + " with a Helmert transformation (" + operationName_ + "), accurate to about " +
          (accuracyM_ > 0 ? fmt::format("{:g}", accuracyM_) : std::string("1")) + " m: " +
          (rdnaptransGridAvailable()
               ? "PROJ has no grid-based operation from " + sourceName_ +
                     " (RDNAPTRANS2018 starts from ETRS89, EPSG:4258)"
               : std::string("the RDNAPTRANS2018 grid nl_nsgi_rdtrans2018.tif is not installed"));
      break;
    case TransformKind::Other:
    case TransformKind::Identity:
      note_ = head + " via " + (operationName_.empty() ? std::string("PROJ") : operationName_);
      break;
  }
}

Point CrsTransformer::toRd(Point p) const {
  if (!transform_) return p;
  double x = p.x, y = p.y;
  int ok = 0;
  if (!transform_->Transform(1, &x, &y, nullptr, &ok) || !ok || !std::isfinite(x) ||
      !std::isfinite(y))
    throw LibraryError("cannot transform (" + std::to_string(p.x) + ", " + std::to_string(p.y) +
                       ") from " + sourceName_ + " to EPSG:28992");
  return {x, y};
}

bool CrsTransformer::toRd(OGRGeometry& geometry) const {
  if (!transform_) {
    geometry.assignSpatialReference(target_.get());
    return true;
  }
  GdalErrorCapture quiet;
  if (geometry.transform(transform_.get()) != OGRERR_NONE) return false;
  geometry.assignSpatialReference(target_.get());
  return true;
}

}  // namespace veldwacht::geo
