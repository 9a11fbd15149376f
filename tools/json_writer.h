#pragma once
// Result messages as JSON, written here rather than by protobuf's printer so that the JSON says
// what applies: 64-bit counters are numbers (protobuf writes them as strings), a message or an
// optional field that was never set is absent (not a block of zeros), NaN and infinities are null.
// Field names are the .proto names; the output parses back with protobuf's JSON parser.
#include <string>

#include <google/protobuf/message.h>

namespace nocsim::tools {

// A JSON string literal: quotes, backslashes and control characters escaped (bytes >= 0x80 are
// passed through, so UTF-8 text stays UTF-8).
std::string json_string(const std::string& text);

// `msg` as one JSON object; `pretty` indents by two spaces per level.
std::string to_json(const google::protobuf::Message& msg, bool pretty = true);

}  // namespace nocsim::tools
