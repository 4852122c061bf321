// The ONE place where QGIS 3 (Qt 5) and QGIS 4 (Qt 6) API differences are bridged, keyed on
// _QGIS_VERSION_INT. The rest of plugin/ uses only the names defined here for anything that moved.
// QGIS 4 names follow its public sources (enums moved into the Qgis:: namespace); only the
// QGIS 3.22 branch is compiled and tested on this machine.
#pragma once

#include <qgis.h>
#include <qgsconfig.h>
#include <qgsfield.h>
#include <qgsprocessing.h>
#include <qgsprocessingalgorithm.h>
#include <qgsprocessingparameters.h>
#include <qgswkbtypes.h>

#include <QMetaType>
#include <QVariant>

namespace veldwacht::plugin::compat {

#if _QGIS_VERSION_INT >= 33800
using AlgorithmFlags = Qgis::ProcessingAlgorithmFlags;
inline constexpr auto kAlgCanCancel = Qgis::ProcessingAlgorithmFlag::CanCancel;
inline constexpr auto kAlgNoThreading = Qgis::ProcessingAlgorithmFlag::NoThreading;
inline constexpr auto kSourcePoint = Qgis::ProcessingSourceType::VectorPoint;
inline constexpr auto kSourcePolygon = Qgis::ProcessingSourceType::VectorPolygon;
inline constexpr auto kSourceLine = Qgis::ProcessingSourceType::VectorLine;
inline constexpr auto kSourceAnyGeometry = Qgis::ProcessingSourceType::VectorAnyGeometry;
inline constexpr auto kSourceVector = Qgis::ProcessingSourceType::Vector;
inline constexpr auto kParamAdvanced = Qgis::ProcessingParameterFlag::Advanced;
inline constexpr auto kParamOptional = Qgis::ProcessingParameterFlag::Optional;
inline constexpr auto kNumberInteger = Qgis::ProcessingNumberParameterType::Integer;
inline constexpr auto kNumberDouble = Qgis::ProcessingNumberParameterType::Double;
inline constexpr auto kWkbPoint = Qgis::WkbType::Point;
inline constexpr auto kWkbLineString = Qgis::WkbType::LineString;
inline constexpr auto kWkbPolygon = Qgis::WkbType::Polygon;
inline constexpr auto kWkbMultiPolygon = Qgis::WkbType::MultiPolygon;
inline constexpr auto kWkbNoGeometry = Qgis::WkbType::NoGeometry;
using SourceType = Qgis::ProcessingSourceType;
using WkbType = Qgis::WkbType;
#else
using AlgorithmFlags = QgsProcessingAlgorithm::Flags;
inline constexpr auto kAlgCanCancel = QgsProcessingAlgorithm::FlagCanCancel;
inline constexpr auto kAlgNoThreading = QgsProcessingAlgorithm::FlagNoThreading;
inline constexpr auto kSourcePoint = QgsProcessing::TypeVectorPoint;
inline constexpr auto kSourcePolygon = QgsProcessing::TypeVectorPolygon;
inline constexpr auto kSourceLine = QgsProcessing::TypeVectorLine;
inline constexpr auto kSourceAnyGeometry = QgsProcessing::TypeVectorAnyGeometry;
inline constexpr auto kSourceVector = QgsProcessing::TypeVector;
inline constexpr auto kParamAdvanced = QgsProcessingParameterDefinition::FlagAdvanced;
inline constexpr auto kParamOptional = QgsProcessingParameterDefinition::FlagOptional;
inline constexpr auto kNumberInteger = QgsProcessingParameterNumber::Integer;
inline constexpr auto kNumberDouble = QgsProcessingParameterNumber::Double;
inline constexpr auto kWkbPoint = QgsWkbTypes::Point;
inline constexpr auto kWkbLineString = QgsWkbTypes::LineString;
inline constexpr auto kWkbPolygon = QgsWkbTypes::Polygon;
inline constexpr auto kWkbMultiPolygon = QgsWkbTypes::MultiPolygon;
inline constexpr auto kWkbNoGeometry = QgsWkbTypes::NoGeometry;
using SourceType = QgsProcessing::SourceType;
using WkbType = QgsWkbTypes::Type;
#endif

/// A QgsField of a plain type; QGIS 4 takes QMetaType::Type, QGIS 3 QVariant::Type.
enum class FieldKind { Int, LongLong, Double, String, Bool };

inline QgsField makeField(const QString& name, FieldKind kind, int length = 0) {
#if _QGIS_VERSION_INT >= 33800
  QMetaType::Type t = QMetaType::Type::QString;
  switch (kind) {
    case FieldKind::Int:
      t = QMetaType::Type::Int;
      break;
    case FieldKind::LongLong:
      t = QMetaType::Type::LongLong;
      break;
    case FieldKind::Double:
      t = QMetaType::Type::Double;
      break;
    case FieldKind::String:
      t = QMetaType::Type::QString;
      break;
    case FieldKind::Bool:
      t = QMetaType::Type::Bool;
      break;
  }
#else
  QVariant::Type t = QVariant::String;
  switch (kind) {
    case FieldKind::Int:
      t = QVariant::Int;
      break;
    case FieldKind::LongLong:
      t = QVariant::LongLong;
      break;
    case FieldKind::Double:
      t = QVariant::Double;
      break;
    case FieldKind::String:
      t = QVariant::String;
      break;
    case FieldKind::Bool:
      t = QVariant::Bool;
      break;
  }
#endif
  return QgsField(name, t, QString(), length);
}

/// Whether a variant holds no value (QGIS 4/Qt 6: QVariant::isNull is true for default ones too).
inline bool isNullValue(const QVariant& v) { return !v.isValid() || v.isNull(); }

}  // namespace veldwacht::plugin::compat
