#include "layers/store/ogr_values.h"

#include <algorithm>
#include <cstdio>

#include "geo/core/error.h"
#include "geo/core/types.h"

namespace veldwacht::layers {

std::unique_ptr<OGRFieldDefn> toOgrField(const FieldDef& def) {
  OGRFieldType type = OFTString;
  OGRFieldSubType sub = OFSTNone;
  switch (def.type) {
    case FieldType::Text:
      type = OFTString;
      break;
    case FieldType::Integer:
      type = OFTInteger64;
      break;
    case FieldType::Real:
      type = OFTReal;
      break;
    case FieldType::Boolean:
      type = OFTInteger;
      sub = OFSTBoolean;
      break;
    case FieldType::Date:
      type = OFTDate;
      break;
    case FieldType::DateTime:
      type = OFTDateTime;
      break;
  }
  auto f = std::make_unique<OGRFieldDefn>(def.name.c_str(), type);
  f->SetSubType(sub);
  if (def.width > 0) f->SetWidth(def.width);
  f->SetNullable(!def.required);
  f->SetUnique(def.unique);
  if (!def.defaultValue.empty()) f->SetDefault(def.defaultValue.c_str());
  return f;
}

OGRwkbGeometryType toOgrGeometryType(GeometryKind kind) {
  switch (kind) {
    case GeometryKind::None:
      return wkbNone;
    case GeometryKind::Point:
      return wkbPoint;
    case GeometryKind::LineString:
      return wkbLineString;
    case GeometryKind::MultiPolygon:
      return wkbMultiPolygon;
  }
  return wkbUnknown;
}

void setOgrField(OGRFeature& feature, int index, FieldType type, const Value& value) {
  if (isNull(value)) {
    feature.SetFieldNull(index);
    return;
  }
  switch (type) {
    case FieldType::Text:
      if (const auto* s = std::get_if<std::string>(&value)) feature.SetField(index, s->c_str());
      return;
    case FieldType::Integer:
    case FieldType::Boolean:
      if (const auto* i = std::get_if<std::int64_t>(&value))
        feature.SetField(index, static_cast<GIntBig>(*i));
      return;
    case FieldType::Real:
      if (const auto* d = std::get_if<double>(&value))
        feature.SetField(index, *d);
      else if (const auto* i = std::get_if<std::int64_t>(&value))
        feature.SetField(index, static_cast<double>(*i));
      return;
    case FieldType::Date:
    case FieldType::DateTime:
      if (const auto* s = std::get_if<std::string>(&value)) {
        int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
        if (type == FieldType::Date)
          std::sscanf(s->c_str(), "%4d-%2d-%2d", &y, &mo, &d);
        else
          std::sscanf(s->c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec);
        // TZFlag 0: unknown time zone (local Dutch time as reported, docs/schema.md).
        feature.SetField(index, y, mo, d, h, mi, static_cast<float>(sec), 0);
      }
      return;
  }
}

Value getOgrField(const OGRFeature& feature, int index, FieldType type) {
  if (index < 0 || !feature.IsFieldSetAndNotNull(index)) return {};
  switch (type) {
    case FieldType::Text:
      return std::string(feature.GetFieldAsString(index));
    case FieldType::Integer:
    case FieldType::Boolean:
      return std::int64_t{feature.GetFieldAsInteger64(index)};
    case FieldType::Real:
      return feature.GetFieldAsDouble(index);
    case FieldType::Date:
    case FieldType::DateTime: {
      int y = 0, mo = 0, d = 0, h = 0, mi = 0, tz = 0;
      float sec = 0;
      if (!feature.GetFieldAsDateTime(index, &y, &mo, &d, &h, &mi, &sec, &tz)) return {};
      char buf[32];
      if (type == FieldType::Date)
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, d);
      else
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi,
                      static_cast<int>(sec + 0.5f));
      return std::string(buf);
    }
  }
  return {};
}

geo::GeometryPtr geometryForLayer(const OGRGeometry& geometry, GeometryKind kind) {
  geo::GeometryPtr copy(geometry.clone());
  copy->flattenTo2D();  // the layers are 2D; heights and measures (e.g. GPS Z) are dropped
  if (kind == GeometryKind::MultiPolygon && wkbFlatten(copy->getGeometryType()) == wkbPolygon)
    copy.reset(OGRGeometryFactory::forceToMultiPolygon(copy.release()));
  return copy;
}

std::vector<int> ogrFieldIndexes(const OGRFeatureDefn& defn, const std::vector<FieldDef>& fields) {
  std::vector<int> idx;
  idx.reserve(fields.size());
  for (const auto& f : fields) idx.push_back(defn.GetFieldIndex(f.name.c_str()));
  return idx;
}

OGRLayer& createOgrLayer(GDALDataset& ds, const LayerDef& def, const std::string& fidName,
                         const std::vector<std::string>& extraOptions) {
  geo::SpatialRefPtr srs;
  if (def.geometry != GeometryKind::None) {
    srs.reset(new OGRSpatialReference());
    srs->importFromEPSG(geo::kWorkingEpsg);
    srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  }
  std::vector<std::string> opts = {std::string("FID=") + fidName};
  if (def.geometry != GeometryKind::None) {
    opts.push_back(std::string("GEOMETRY_NAME=") + kGeometryColumn);
    opts.push_back("SPATIAL_INDEX=YES");
  }
  const bool gpkg = EQUAL(ds.GetDriverName(), "GPKG");
  if (gpkg) {
    if (!def.title.empty()) opts.push_back("IDENTIFIER=" + def.title);
    if (!def.help.empty()) opts.push_back("DESCRIPTION=" + def.help);
  }
  opts.insert(opts.end(), extraOptions.begin(), extraOptions.end());
  std::vector<const char*> copts;
  for (const auto& o : opts) copts.push_back(o.c_str());
  copts.push_back(nullptr);

  CPLErrorReset();
  OGRLayer* layer = ds.CreateLayer(def.name.c_str(), srs.get(), toOgrGeometryType(def.geometry),
                                   const_cast<char**>(copts.data()));
  if (!layer)
    throw geo::LibraryError("cannot create layer '" + def.name + "': " + geo::lastGdalError());
  for (const auto& f : def.fields) {
    if (gpkg && !f.allowed.empty() && !f.commaList) {
      // A coded-value field domain: QGIS 3.20+ offers the list as a drop-down when editing.
      // Named after its layer and field. A replaced result layer may bring other values and
      // GDAL 3.6 can neither update nor delete a GeoPackage domain, so then a free name
      // <layer>_<field>_<n> is taken.
      auto sameValues = [&](const OGRFieldDomain* d) {
        const auto* c = dynamic_cast<const OGRCodedFieldDomain*>(d);
        if (!c) return false;
        std::size_t n = 0;
        for (const OGRCodedValue* v = c->GetEnumeration(); v->pszCode; ++v, ++n)
          if (n >= f.allowed.size() ||
              std::find(f.allowed.begin(), f.allowed.end(), v->pszCode) == f.allowed.end())
            return false;
        return n == f.allowed.size();
      };
      std::string domain = def.name + "_" + f.name;
      for (int n = 2; ds.GetFieldDomain(domain) && !sameValues(ds.GetFieldDomain(domain)); ++n)
        domain = def.name + "_" + f.name + "_" + std::to_string(n);
      if (!ds.GetFieldDomain(domain)) {
        std::vector<OGRCodedValue> values;
        for (const auto& v : f.allowed)
          values.push_back({CPLStrdup(v.c_str()), CPLStrdup(v.c_str())});
        std::string reason;
        ds.AddFieldDomain(std::make_unique<OGRCodedFieldDomain>(domain, f.help, OFTString, OFSTNone,
                                                                std::move(values)),
                          reason);
      }
      auto field = toOgrField(f);
      if (ds.GetFieldDomain(domain)) field->SetDomainName(domain);
      CPLErrorReset();
      if (layer->CreateField(field.get(), FALSE) != OGRERR_NONE)
        throw geo::LibraryError("cannot create field '" + f.name + "' in '" + def.name +
                                "': " + geo::lastGdalError());
      continue;
    }
    addOgrField(*layer, f);
  }
  return *layer;
}

void addOgrField(OGRLayer& layer, const FieldDef& def) {
  const auto f = toOgrField(def);
  CPLErrorReset();
  if (layer.CreateField(f.get(), FALSE) != OGRERR_NONE)
    throw geo::LibraryError("cannot create field '" + def.name + "' in '" + layer.GetName() +
                            "': " + geo::lastGdalError());
}

}  // namespace veldwacht::layers
