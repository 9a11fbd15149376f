#pragma once
// Result files: protobuf JSON and flattened CSV, always written atomically (temp file + rename), so
// a run that fails or is killed never leaves a half-written file or loses an earlier result.
#include <string>

#include <google/protobuf/message.h>

namespace nocsim::tools {

// Writes `content` to `path` through a temporary file in the same folder and an atomic rename.
// Creates the parent folder. Throws UserError when the folder cannot be written.
void write_file_atomic(const std::string& path, const std::string& content);

// Appends `text` to `path` atomically (the file is rewritten through a temp file): readers see the
// old contents or the new, never a partial line. `header` is written first when the file is new.
void append_atomic(const std::string& path, const std::string& text,
                   const std::string& header = "");

// A JSON string literal: quotes, backslashes and control characters escaped (bytes >= 0x80 are
// passed through, so UTF-8 text stays UTF-8).
std::string json_string(const std::string& text);

// Protobuf JSON mapping, field names as in the .proto, defaults included.
std::string to_json(const google::protobuf::Message& msg, bool pretty = true);

// One CSV header / row from every singular scalar field, nested messages flattened with dots
// ("noc.packet_latency.mean"). Repeated fields are left to the JSON.
std::string csv_header(const google::protobuf::Message& msg);
std::string csv_row(const google::protobuf::Message& msg);

}  // namespace nocsim::tools
