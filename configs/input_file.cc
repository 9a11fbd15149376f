#include "configs/input_file.h"

#include <filesystem>
#include <fstream>
#include <system_error>

#include "configs/user_error.h"

namespace nocsim {

uint64_t check_input_file(const std::string& path, const std::string& field,
                          const std::string& what, uint64_t max_bytes) {
  namespace fs = std::filesystem;
  if (path.empty()) throw UserError(field, "no " + what + " given (empty path)");
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) {
    // ENAMETOOLONG, EACCES, ENOENT...: the system's own words, with the length when it matters.
    std::string reason = ec ? ec.message() : "no such file";
    if (ec == std::errc::filename_too_long)
      reason += " (" + std::to_string(path.size()) +
                " characters; the file system allows 255 per " + "folder or file name)";
    throw UserError(field, path + ": cannot open " + what + ": " + reason);
  }
  if (fs::is_directory(st))
    throw UserError(field, path + ": is a folder; a " + what + " is expected");
  if (!fs::is_regular_file(st))
    throw UserError(field, path + ": is not a regular file (a device, pipe or socket); a " + what +
                               " is expected");
  const uint64_t size = fs::file_size(path, ec);
  if (ec)
    throw UserError(field, path + ": cannot read the size of the " + what + ": " + ec.message());
  if (size > max_bytes)
    throw UserError(field, path + ": " + std::to_string(size) + " bytes, more than a " + what +
                               " can hold (" + std::to_string(max_bytes) + ")");
  return size;
}

std::string read_input_file(const std::string& path, const std::string& field,
                            const std::string& what, uint64_t max_bytes) {
  const uint64_t size = check_input_file(path, field, what, max_bytes);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError(field, path + ": cannot open " + what);
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  // A file that shrank while being read; one that grew is read up to its size at the check.
  if (static_cast<uint64_t>(in.gcount()) != size)
    throw UserError(field, path + ": " + what + " changed while it was read");
  return bytes;
}

}  // namespace nocsim
