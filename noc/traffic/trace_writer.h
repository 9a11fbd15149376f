#pragma once
// Writes a trace in one of the forms nocsim reads (binary, text) or in BookSim's trace form. Only
// the bytes: callers write them to a file atomically (tools::write_file_atomic).
#include <string>

#include "configs/schema/traffic.pb.h"

namespace nocsim::noc {

enum class TraceFormat {
  kBinary,  // nocsim.config.Trace, format_version and kinds first, record_count last
  kText,    // trace_text.h
  // BookSim2 has no trace input of its own; its widely used file-injection traffic manager (an
  // extension) reads one "<cycle> <source> <destination> <size in flits>" line per packet,
  // cycles non-decreasing and below 2^31 (it reads them as int), nothing else on the file.
  // Multicast packets become one line per destination; classes and kinds are dropped.
  kBooksim,
};

// "binary", "text", "booksim"; a UserError on `field` names the valid ones otherwise.
TraceFormat parse_trace_format(const std::string& name, const std::string& field);
// By file name: text for .txt, BookSim's for .booksim, binary otherwise.
TraceFormat trace_format_for(const std::string& path);

// The bytes of `trace` (already checked, records in cycle order) in `format`. UserError on
// `field` naming `path` when the format cannot hold the trace (BookSim: a cycle >= 2^31).
std::string serialize_trace(const config::Trace& trace, TraceFormat format, const std::string& path,
                            const std::string& field);

// Stable sort of the records by cycle (what replay does; text and BookSim traces need it).
void sort_trace(config::Trace& trace);

}  // namespace nocsim::noc
