// SHA-256 of files: source-file hashes for veldwacht_imports, and the tests' proof that a
// refused append leaves the store untouched.
#pragma once

#include <string>
#include <string_view>

namespace veldwacht::layers {

/// Lower-case hex SHA-256 of the file's bytes; throws geo::InputError when it cannot be read.
std::string fileSha256(const std::string& path);
/// Lower-case hex SHA-256 of `bytes`.
std::string sha256Hex(std::string_view bytes);

}  // namespace veldwacht::layers
