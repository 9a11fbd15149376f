#pragma once
// SHA-256 content hashes (OpenSSL's libcrypto), lower-case hex: the input files a result records
// in its provenance, so that a result says exactly which preset, model and scenario bytes made it.
#include <string>
#include <string_view>

namespace nocsim::tools {

// Lower-case hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

// Of a file's contents. Digests are cached by path, size and modification time, so the data set
// that every sweep point reads is hashed once per process. Throws UserError naming the file when
// it cannot be read.
std::string file_sha256(const std::string& path);

}  // namespace nocsim::tools
