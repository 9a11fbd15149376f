#include "noc/traffic/trace_text.h"

#include <charconv>
#include <cstdint>
#include <limits>
#include <map>
#include <vector>

#include "configs/user_error.h"

namespace nocsim::noc {

namespace {

constexpr std::string_view kBlanks = " \t\r";

// Splits a line (comment removed) into its blank-separated fields.
std::vector<std::string_view> fields_of(std::string_view line) {
  if (const size_t hash = line.find('#'); hash != std::string_view::npos)
    line = line.substr(0, hash);
  std::vector<std::string_view> out;
  size_t at = 0;
  while ((at = line.find_first_not_of(kBlanks, at)) != std::string_view::npos) {
    const size_t end = std::min(line.find_first_of(kBlanks, at), line.size());
    out.push_back(line.substr(at, end - at));
    at = end;
  }
  return out;
}

std::string quoted(std::string_view s) {
  constexpr size_t kShown = 40;
  std::string q = "'" + std::string(s.substr(0, kShown)) + (s.size() > kShown ? "...'" : "'");
  for (char& c : q)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  return q;
}

class TextParser {
 public:
  TextParser(const std::string& path, const std::string& field, const TraceLimits& limits)
      : path_(path), field_(field), limits_(limits) {}

  config::Trace parse(std::string_view text) {
    trace_.set_format_version(kTraceFormatVersion);
    bool ended = false;
    size_t at = 0;
    while (at < text.size()) {
      const size_t nl = text.find('\n', at);
      const std::string_view line =
          text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
      at = nl == std::string_view::npos ? text.size() : nl + 1;
      ++line_;
      if (line_ == 1) {
        header(line);
        continue;
      }
      const auto f = fields_of(line);
      if (f.empty()) continue;
      if (ended) fail("nothing may follow the 'end' line, got " + quoted(line));
      if (f[0] == "kinds") {
        kinds(f);
      } else if (f[0] == "end") {
        end(f);
        ended = true;
      } else {
        record(f);
      }
    }
    if (line_ == 0) fail("the file is empty (a text trace starts with 'nocsim-trace text 1')");
    if (!ended)
      throw UserError(field_, path_ + ": no 'end " + std::to_string(trace_.records_size()) +
                                  "' line after the last record (the file is truncated)");
    return std::move(trace_);
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw UserError(field_, path_ + ":" + std::to_string(line_) + ": " + what);
  }
  [[noreturn]] void fail_column(const char* column, const std::string& what) const {
    fail("field '" + std::string(column) + "': " + what);
  }

  template <class T>
  T number(std::string_view s, const char* column) const {
    T v{};
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc::result_out_of_range && !s.empty() && s[0] != '-')
      fail_column(column, quoted(s) + " does not fit in " +
                              std::to_string(std::numeric_limits<T>::digits) + " bits");
    if (ec != std::errc() || end != s.data() + s.size())
      fail_column(column, "expected a whole number, got " + quoted(s));
    return v;
  }

  void header(std::string_view line) {
    const auto f = fields_of(line);
    if (f.size() != 3 || f[0] != kTextTraceMagic || f[1] != "text")
      fail("the first line must be 'nocsim-trace text " + std::to_string(kTextTraceVersion) +
           "' (the format and its version), got " + quoted(line));
    const int version = number<int>(f[2], "version");
    if (version != kTextTraceVersion)
      fail("text trace version " + std::to_string(version) + "; this nocsim reads version " +
           std::to_string(kTextTraceVersion) + " (written by a newer nocsim?)");
  }

  void kinds(const std::vector<std::string_view>& f) {
    if (trace_.records_size() > 0) fail("the 'kinds' line must come before the first record");
    if (trace_.kinds_size() > 0) fail("a second 'kinds' line");
    if (f.size() < 2) fail("'kinds' needs at least one name");
    for (size_t i = 1; i < f.size(); ++i) {
      const std::string name(f[i]);
      if (const std::string p = trace_kind_name_problem(name); !p.empty()) fail(p);
      if (!kind_index_.emplace(name, trace_.kinds_size()).second)
        fail("kind " + quoted(name) + " is listed twice");
      trace_.add_kinds(name);
    }
  }

  void end(const std::vector<std::string_view>& f) {
    if (f.size() != 2) fail("expected 'end <number of records>'");
    const uint64_t n = number<uint64_t>(f[1], "end");
    if (n != static_cast<uint64_t>(trace_.records_size()))
      fail("'end' says " + std::to_string(n) + " records but the file has " +
           std::to_string(trace_.records_size()));
    if (n == 0) fail("the trace holds no records");
    trace_.set_record_count(n);
  }

  void record(const std::vector<std::string_view>& f) {
    const size_t want = trace_.kinds_size() > 0 ? 6 : 5;
    if (f.size() != want)
      fail("expected " + std::to_string(want) + " fields (cycle source destination flits class" +
           (want == 6 ? " kind" : "") + "), got " + std::to_string(f.size()) +
           (want == 5 && f.size() == 6 ? " (a kind needs a 'kinds' line before the records)" : ""));
    config::TraceRecord& r = *trace_.add_records();
    r.set_cycle(number<uint64_t>(f[0], "cycle"));
    if (trace_.records_size() > 1 && r.cycle() < last_cycle_)
      fail_column("cycle", std::to_string(r.cycle()) + " is before the previous record's " +
                               std::to_string(last_cycle_) + " (records are in cycle order)");
    last_cycle_ = r.cycle();
    r.set_source(number<uint32_t>(f[1], "source"));
    std::string_view dests = f[2];
    if (dests.find(',') == std::string_view::npos) {
      r.set_destination(number<uint32_t>(dests, "destination"));
    } else {
      size_t at = 0;
      while (true) {
        const size_t comma = dests.find(',', at);
        r.add_destinations(number<uint32_t>(dests.substr(at, comma - at), "destination"));
        if (comma == std::string_view::npos) break;
        at = comma + 1;
      }
    }
    r.set_size_flits(number<uint32_t>(f[3], "flits"));
    r.set_traffic_class(number<uint32_t>(f[4], "class"));
    if (want == 6) {
      const auto it = kind_index_.find(std::string(f[5]));
      if (it == kind_index_.end()) fail_column("kind", quoted(f[5]) + " is not on the kinds line");
      r.set_kind(static_cast<uint32_t>(it->second));
    }
    if (const std::string p = trace_record_problem(r, limits_, trace_.kinds_size()); !p.empty())
      fail(p);
  }

  const std::string& path_;
  const std::string& field_;
  const TraceLimits limits_;
  config::Trace trace_;
  std::map<std::string, int> kind_index_;
  uint64_t line_ = 0;
  uint64_t last_cycle_ = 0;
};

template <class T>
void append_number(std::string& out, T v) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

}  // namespace

config::Trace parse_text_trace(std::string_view text, const std::string& path,
                               const std::string& field, const TraceLimits& limits) {
  return TextParser(path, field, limits).parse(text);
}

std::string trace_to_text(const config::Trace& trace) {
  std::string out = std::string(kTextTraceMagic) + " text " + std::to_string(kTextTraceVersion) +
                    "\n# cycle source destination[,destination...] flits class" +
                    (trace.kinds_size() > 0 ? " kind" : "") + "\n";
  if (trace.kinds_size() > 0) {
    out += "kinds";
    for (const std::string& k : trace.kinds()) out += " " + k;
    out += "\n";
  }
  out.reserve(out.size() + static_cast<size_t>(trace.records_size()) * 24);
  for (const config::TraceRecord& r : trace.records()) {
    append_number(out, r.cycle());
    out += ' ';
    append_number(out, r.source());
    out += ' ';
    if (r.destinations_size() == 0) append_number(out, r.destination());
    for (int i = 0; i < r.destinations_size(); ++i) {
      if (i > 0) out += ',';
      append_number(out, r.destinations(i));
    }
    out += ' ';
    append_number(out, r.size_flits());
    out += ' ';
    append_number(out, r.traffic_class());
    if (trace.kinds_size() > 0) {
      out += ' ';
      out += trace.kinds(static_cast<int>(r.kind()));
    }
    out += '\n';
  }
  out += "end ";
  append_number(out, trace.records_size());
  out += '\n';
  return out;
}

}  // namespace nocsim::noc
