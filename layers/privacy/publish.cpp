#include "layers/privacy/publish.h"

#include <filesystem>
#include <set>

#include "layers/privacy/audit.h"
#include "layers/privacy/classification.h"
#include "layers/privacy/public_layers.h"
#include "layers/results/results.h"
#include "layers/store/styles.h"

namespace fs = std::filesystem;

namespace veldwacht::layers {

void PublishRequest::validate() const {
  if (layers.empty()) throw geo::OptionError("layers", "name at least one layer to publish");
  std::string ext = fs::path(destination).extension().string();
  for (auto& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (ext != ".gpkg")
    throw geo::OptionError(
        "destination", "a public export is a GeoPackage: expected a path ending in .gpkg, got '" +
                           destination + "'");
  std::set<std::string> seen;
  for (const auto& l : layers)
    if (!seen.insert(l).second) throw geo::OptionError("layers", "'" + l + "' is named twice");
}

namespace {

/// What the audit row says about the rows taken: the filter of a result's input.
std::string filterOf(const std::vector<ResultInfo>& results, const std::string& layer) {
  for (const auto& r : results)
    if (r.layer == layer) return r.metadata.inputLayer;
  return {};
}

void refuse(Store& store, const PublishRequest& req, const std::string& layer,
            const std::string& why, const std::string& filter) {
  recordAudit(store, {.action = req.action,
                      .layer = layer,
                      .filter = filter,
                      .destination = fs::absolute(req.destination).string(),
                      .sensitivity = Sensitivity::Public,
                      .outcome = "geweigerd",
                      .remark = why});
  throw PublicationRefused(layer, why);
}

std::string suggestion(const std::string& layer) {
  if (layer == "signalen" || layer == "incidenten")
    return "; publish its aggregated and masked forms instead (`veldwacht publiceer STORE "
           "--invoer " +
           layer + "` makes openbaar_" + layer + "_per_gebied and openbaar_" + layer +
           "_gemaskeerd)";
  return "";
}

/// Copies one layer's fields (without import_id) and features into `dst`.
std::int64_t copyLayer(OGRLayer& src, GDALDataset& dst, const std::string& title,
                       const std::string& description, geo::Progress& progress) {
  std::vector<std::string> opts{"GEOMETRY_NAME=geom", "FID=fid", "IDENTIFIER=" + title,
                                "DESCRIPTION=" + description};
  std::vector<const char*> copts;
  for (const auto& o : opts) copts.push_back(o.c_str());
  copts.push_back(nullptr);
  OGRFeatureDefn* sdef = src.GetLayerDefn();
  const OGRSpatialReference* srs = src.GetSpatialRef();
  CPLErrorReset();
  OGRLayer* out = dst.CreateLayer(src.GetName(), const_cast<OGRSpatialReference*>(srs),
                                  sdef->GetGeomType(), const_cast<char**>(copts.data()));
  if (!out)
    throw geo::LibraryError(std::string("cannot create '") + src.GetName() +
                            "' in the public file: " + geo::lastGdalError());
  std::vector<int> map(std::size_t(sdef->GetFieldCount()), -1);
  int next = 0;
  for (int i = 0; i < sdef->GetFieldCount(); ++i) {
    OGRFieldDefn f(sdef->GetFieldDefn(i));
    if (std::string(f.GetNameRef()) == "import_id") continue;
    f.SetDomainName("");
    f.SetUnique(false);
    if (out->CreateField(&f) != OGRERR_NONE)
      throw geo::LibraryError(std::string("cannot create field '") + f.GetNameRef() +
                              "': " + geo::lastGdalError());
    map[std::size_t(i)] = next++;
  }
  const std::int64_t total = src.GetFeatureCount();
  std::int64_t rows = 0;
  geo::ProgressStep step(progress, 0.0, 1.0, src.GetName());
  src.ResetReading();
  for (geo::FeaturePtr f(src.GetNextFeature()); f; f.reset(src.GetNextFeature())) {
    geo::FeaturePtr o(OGRFeature::CreateFeature(out->GetLayerDefn()));
    if (o->SetFrom(f.get(), map.data(), TRUE) != OGRERR_NONE ||
        out->CreateFeature(o.get()) != OGRERR_NONE)
      throw geo::LibraryError(std::string("cannot copy a feature of '") + src.GetName() +
                              "': " + geo::lastGdalError());
    ++rows;
    step.tick(std::size_t(rows), std::size_t(std::max<std::int64_t>(total, rows)));
  }
  return rows;
}

}  // namespace

std::vector<PublishedLayer> publish(Store& store, const PublishRequest& req,
                                    geo::Progress& progress) {
  req.validate();
  if (!store.updatable())
    throw geo::Error(
        "publiceer records every public export in the audit table: open the store "
        "for writing");
  if (fs::exists(req.destination) && !req.overwrite)
    throw geo::OptionError("destination", "'" + req.destination +
                                              "' exists; choose another file or allow overwriting");
  if (fs::exists(req.destination) &&
      fs::equivalent(fs::absolute(req.destination), fs::absolute(store.path())))
    throw geo::OptionError("destination", "the public file cannot be the store itself");

  // 1. Every layer must be public and pass its checks, before anything is written.
  const auto results = listResults(store);
  std::set<std::string> present;
  for (const auto& s : store.summary()) present.insert(s.name);
  for (const auto& layer : req.layers) {
    const std::string filter = filterOf(results, layer);
    if (!present.count(layer))
      throw geo::OptionError("layers", "the store has no layer '" + layer + "'");
    const auto c = classification(store, layer);
    if (c.sensitivity != Sensitivity::Public)
      refuse(store, req, layer,
             "layer '" + layer + "' is confidential (" + c.reason +
                 ") and may not go to a public destination" + suggestion(layer),
             filter);
    const auto problems = checkPublicLayer(store, layer);
    if (!problems.empty()) {
      std::string why = "layer '" + layer + "' is marked public but fails its checks:";
      for (const auto& p : problems) why += "\n  - " + p;
      refuse(store, req, layer, why, filter);
    }
  }

  // 2. Write a temporary file next to the destination and rename it into place.
  geo::ensureGdalRegistered();
  const std::string part = req.destination + ".part.gpkg";
  fs::remove(part);
  std::vector<PublishedLayer> out;
  try {
    GDALDriver* gpkg = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!gpkg) throw geo::LibraryError("GDAL has no GPKG driver");
    geo::DatasetPtr dst(gpkg->Create(part.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!dst) throw geo::LibraryError("cannot create '" + part + "': " + geo::lastGdalError());
    for (std::size_t i = 0; i < req.layers.size(); ++i) {
      const auto& layer = req.layers[i];
      OGRLayer* src = store.dataset().GetLayerByName(layer.c_str());
      if (!src) throw geo::LibraryError("cannot open layer '" + layer + "' of the store");
      const auto c = classification(store, layer);
      geo::SubProgress sub(progress, double(i) / double(req.layers.size()),
                           double(i + 1) / double(req.layers.size()));
      if (dst->StartTransaction() != OGRERR_NONE)
        throw geo::LibraryError("cannot start a transaction: " + geo::lastGdalError());
      const auto rows = copyLayer(*src, *dst, layer, "Openbaar: " + c.reason, sub);
      if (auto qml = defaultStyle(store.dataset(), layer))
        embedDefaultStyle(*dst, layer, layer, *qml, "Veldwacht");
      if (dst->CommitTransaction() != OGRERR_NONE)
        throw geo::LibraryError("cannot write '" + layer + "': " + geo::lastGdalError());
      out.push_back({layer, rows});
    }
    dst.reset();
    fs::rename(part, req.destination);
  } catch (...) {
    std::error_code ec;
    fs::remove(part, ec);
    throw;
  }

  // 3. One audit row per layer published.
  for (const auto& p : out)
    recordAudit(store, {.action = req.action,
                        .layer = p.layer,
                        .filter = filterOf(results, p.layer),
                        .destination = fs::absolute(req.destination).string(),
                        .sensitivity = Sensitivity::Public,
                        .outcome = "uitgevoerd",
                        .remark = std::to_string(p.rows) + " rijen"});
  return out;
}

}  // namespace veldwacht::layers
