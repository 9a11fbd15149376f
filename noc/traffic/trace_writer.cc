#include "noc/traffic/trace_writer.h"

#include <algorithm>
#include <cstdint>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/wire_format_lite.h>

#include "configs/user_error.h"
#include "noc/traffic/trace_reader.h"
#include "noc/traffic/trace_text.h"

namespace nocsim::noc {

namespace {

// The header fields first, the records, then record_count: a reader of a cut file misses the
// count (protobuf merges the fields of one message wherever they stand). The records are written
// one by one, as protobuf itself would write field 1, rather than copied into a second message.
std::string binary_bytes(const config::Trace& trace) {
  config::Trace head;
  head.set_format_version(kTraceFormatVersion);
  *head.mutable_kinds() = trace.kinds();
  std::string out = head.SerializeAsString();
  {
    namespace io = google::protobuf::io;
    using Wire = google::protobuf::internal::WireFormatLite;
    io::StringOutputStream stream(&out);
    io::CodedOutputStream coded(&stream);
    for (const config::TraceRecord& r : trace.records()) {
      coded.WriteTag(
          Wire::MakeTag(config::Trace::kRecordsFieldNumber, Wire::WIRETYPE_LENGTH_DELIMITED));
      coded.WriteVarint32(static_cast<uint32_t>(r.ByteSizeLong()));
      r.SerializeWithCachedSizes(&coded);
    }
    coded.WriteTag(Wire::MakeTag(config::Trace::kRecordCountFieldNumber, Wire::WIRETYPE_VARINT));
    coded.WriteVarint64(static_cast<uint64_t>(trace.records_size()));
  }
  return out;
}

std::string booksim_bytes(const config::Trace& trace, const std::string& path,
                          const std::string& field) {
  constexpr uint64_t kLimit = uint64_t{1} << 31;
  std::string out;
  out.reserve(static_cast<size_t>(trace.records_size()) * 16);
  const auto line = [&](const config::TraceRecord& r, uint32_t dest) {
    out += std::to_string(r.cycle()) + ' ' + std::to_string(r.source()) + ' ' +
           std::to_string(dest) + ' ' + std::to_string(r.size_flits()) + '\n';
  };
  for (int i = 0; i < trace.records_size(); ++i) {
    const config::TraceRecord& r = trace.records(i);
    if (r.cycle() >= kLimit)
      throw UserError(field, path + ": record " + std::to_string(i) + " is at cycle " +
                                 std::to_string(r.cycle()) +
                                 ", which BookSim's trace reader cannot hold (below 2^31)");
    if (r.destinations_size() == 0) line(r, r.destination());
    for (uint32_t d : r.destinations()) line(r, d);
  }
  return out;
}

}  // namespace

TraceFormat parse_trace_format(const std::string& name, const std::string& field) {
  if (name == "binary") return TraceFormat::kBinary;
  if (name == "text") return TraceFormat::kText;
  if (name == "booksim") return TraceFormat::kBooksim;
  throw UserError(field, "unknown trace format '" + name + "' (binary, text or booksim)");
}

TraceFormat trace_format_for(const std::string& path) {
  if (path.ends_with(".txt")) return TraceFormat::kText;
  if (path.ends_with(".booksim")) return TraceFormat::kBooksim;
  return TraceFormat::kBinary;
}

std::string serialize_trace(const config::Trace& trace, TraceFormat format, const std::string& path,
                            const std::string& field) {
  switch (format) {
    case TraceFormat::kBinary:
      return binary_bytes(trace);
    case TraceFormat::kText:
      return trace_to_text(trace);
    case TraceFormat::kBooksim:
      return booksim_bytes(trace, path, field);
  }
  return {};
}

void sort_trace(config::Trace& trace) {
  auto* records = trace.mutable_records();
  std::stable_sort(records->begin(), records->end(),
                   [](const config::TraceRecord& a, const config::TraceRecord& b) {
                     return a.cycle() < b.cycle();
                   });
}

}  // namespace nocsim::noc
