#pragma once
// Reading a whole input file that a config field names (model files, traces, scenario text): the
// checks every reader needs before it allocates, in one place. A folder, a device or pipe (such as
// /dev/zero), a file larger than its format allows and a path the file system refuses (too long,
// no permission) are UserErrors on `field` naming the file and the reason.
#include <cstdint>
#include <string>

namespace nocsim {

// `what` names the kind of file in messages ("model file"); `max_bytes` is the largest file the
// format can hold.
std::string read_input_file(const std::string& path, const std::string& field,
                            const std::string& what, uint64_t max_bytes);

// The same checks without reading (for readers that stream, e.g. gzip); returns the file size.
uint64_t check_input_file(const std::string& path, const std::string& field,
                          const std::string& what, uint64_t max_bytes);

// Protobuf refuses messages of 2 GiB or more: the bound of every binary protobuf input.
inline constexpr uint64_t kMaxProtobufBytes = (uint64_t{1} << 31) - 1;

}  // namespace nocsim
