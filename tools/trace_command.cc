// `nocsim trace convert IN OUT`: a trace file from one form into another (nocsim's binary and text
// forms, BookSim's), checked on the way in.
#include <ostream>
#include <string>

#include "configs/user_error.h"
#include "noc/traffic/trace_reader.h"
#include "noc/traffic/trace_writer.h"
#include "tools/command.h"
#include "tools/result_files.h"

namespace nocsim::tools {
namespace {

class TraceCommand : public Command {
 public:
  void define(CLI::App& app) override {
    app.add_option("action", action_, "what to do: convert")
        ->required()
        ->check(CLI::IsMember({"convert"}));
    app.add_option("in", in_, "trace to read (binary or text, told apart by its contents)")
        ->required();
    app.add_option("out", out_, "file to write")->required();
    app.add_option("--to", to_,
                   "output form: binary, text or booksim (default: by OUT's extension, .txt "
                   "text, .booksim BookSim's, else binary)");
    app.footer(
        "Converts a trace (from `nocsim run --trace-out`, `nocsim trace-gen` or written by\n"
        "hand) after checking every record; records are put in cycle order (stably, as replay\n"
        "does). The output is written atomically.\n"
        "  binary   nocsim.config.Trace (configs/schema/traffic.proto)\n"
        "  text     one packet a line: cycle source dest[,dest...] flits class [kind]\n"
        "           (noc/traffic/trace_text.h); binary -> text -> binary is byte-identical\n"
        "  booksim  '<cycle> <source> <destination> <flits>' lines, as read by BookSim2's\n"
        "           file-injection traffic manager (mainline BookSim2 has no trace input).\n"
        "           It has no multicast: a multicast packet becomes one line per destination\n"
        "           (the unicast copies), and classes and kinds are dropped; cycles must be\n"
        "           below 2^31. Node ids are nocsim's terminal ids (y*k_x + x on a mesh, as\n"
        "           BookSim numbers a mesh).\n"
        "Example:\n"
        "  nocsim run configs/study/fmnist_pd_mlp.textproto --trace-out run.trace\n"
        "  nocsim trace convert run.trace run.txt\n"
        "  nocsim trace convert run.trace run.booksim --to booksim\n");
  }

  int run(std::ostream& out) override {
    const noc::TraceFormat format =
        to_.empty() ? noc::trace_format_for(out_) : noc::parse_trace_format(to_, "--to");
    config::Trace trace = noc::load_trace(in_, "in");
    noc::sort_trace(trace);
    write_file_atomic(out_, noc::serialize_trace(trace, format, in_, "in"));
    uint64_t flits = 0, copies = 0;
    for (const auto& r : trace.records()) {
      flits += r.size_flits();
      copies += r.destinations_size() == 0 ? 1 : r.destinations_size();
    }
    out << "converted " << trace.records_size() << " packets (" << flits << " flits";
    if (copies != static_cast<uint64_t>(trace.records_size()))
      out << ", " << copies << " deliveries";
    out << ") from " << in_ << " to " << out_ << "\n";
    return 0;
  }

 private:
  std::string action_, in_, out_, to_;
};

NOCSIM_REGISTER(command_registry(), TraceCommand, "trace",
                "convert a trace file: nocsim binary, text, BookSim (trace convert IN OUT)");

}  // namespace
}  // namespace nocsim::tools
