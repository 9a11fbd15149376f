#pragma once
// Result files: JSON and flattened CSV, always written atomically (temp file + rename), so
// a run that fails or is killed never leaves a half-written file or loses an earlier result.
#include <string>

#include <google/protobuf/message.h>

#include "tools/json_writer.h"  // to_json, json_string: the JSON half of a result

namespace nocsim::tools {

// Writes `content` to `path` through a temporary file in the same folder and an atomic rename.
// Creates the parent folder. Throws UserError when the folder cannot be written.
void write_file_atomic(const std::string& path, const std::string& content);

// Appends `text` to `path` atomically (the file is rewritten through a temp file): readers see the
// old contents or the new, never a partial line. `header` is written first when the file is new.
void append_atomic(const std::string& path, const std::string& text,
                   const std::string& header = "");

// One CSV header / row from every singular scalar field, nested messages flattened with dots
// ("noc.packet_latency.mean"). Repeated fields are left to the JSON (and to the per-layer and
// per-link tables of a sweep). Cells of a message that was never set, and of an optional field
// that was not, are empty: a field that does not apply is missing, not 0.
std::string csv_header(const google::protobuf::Message& msg);
std::string csv_row(const google::protobuf::Message& msg);

}  // namespace nocsim::tools
