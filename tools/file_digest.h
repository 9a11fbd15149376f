#pragma once
// SHA-256 digests of the input files a result records (OpenSSL's libcrypto), so that a result says
// exactly which model, preset and scenario bytes produced it.
#include <string>
#include <string_view>

namespace nocsim::tools {

// Lower-case hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

// Of a file's contents. Digests are cached by path, size and modification time, so the data set
// that every sweep point reads is hashed once per process. Throws UserError naming the file when
// it cannot be read.
std::string sha256_file(const std::string& path);

}  // namespace nocsim::tools
