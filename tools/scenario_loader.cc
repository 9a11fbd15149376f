#include "tools/scenario_loader.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/reflection.h>
#include <google/protobuf/text_format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>

#include "configs/input_file.h"
#include "configs/tech_figures.h"
#include "configs/version.h"
#include "tools/content_hash.h"
#include "tools/scenario_plugins.h"

namespace nocsim::tools {

namespace pb = google::protobuf;

namespace {

class CollectErrors : public pb::io::ErrorCollector {
 public:
  explicit CollectErrors(std::string file) : file_(std::move(file)) {}
  void AddError(int line, pb::io::ColumnNumber column, const std::string& message) override {
    if (first_.empty())
      first_ = file_ + ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " +
               message;
  }
  void AddWarning(int, pb::io::ColumnNumber, const std::string&) override {}
  const std::string& first() const { return first_; }

 private:
  std::string file_;
  std::string first_;
};

// Records the line of every field present in the parsed text, keyed by dotted path.
void record_lines(const pb::Message& msg, const pb::TextFormat::ParseInfoTree* tree,
                  const std::string& prefix, std::map<std::string, int>& lines) {
  if (tree == nullptr) return;
  const pb::Reflection* refl = msg.GetReflection();
  std::vector<const pb::FieldDescriptor*> fields;
  refl->ListFields(msg, &fields);
  for (const auto* f : fields) {
    const std::string path = prefix.empty() ? f->name() : prefix + "." + f->name();
    if (f->is_repeated()) {
      const int n = refl->FieldSize(msg, f);
      for (int i = 0; i < n; ++i) {
        auto loc = tree->GetLocation(f, i);
        if (loc.line >= 0 && !lines.count(path)) lines[path] = loc.line + 1;
        const std::string ipath = path + "[" + std::to_string(i) + "]";
        if (loc.line >= 0) lines[ipath] = loc.line + 1;
        if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE)
          record_lines(refl->GetRepeatedMessage(msg, f, i), tree->GetTreeForNested(f, i), ipath,
                       lines);
      }
    } else {
      auto loc = tree->GetLocation(f, -1);
      if (loc.line >= 0) lines[path] = loc.line + 1;
      if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE)
        record_lines(refl->GetMessage(msg, f), tree->GetTreeForNested(f, -1), path, lines);
    }
  }
}

// Text configs are small; 64 MiB is far above any scenario, sweep or preset.
constexpr uint64_t kMaxTextConfigBytes = uint64_t{64} << 20;

std::string read_file(const std::string& path) {
  try {
    return read_input_file(path, "file", "text config file", kMaxTextConfigBytes);
  } catch (const UserError& e) {
    throw UserError(e.reason());  // the reason names the file; "file: " would add nothing
  }
}

std::string strip_index(const std::string& segment, std::string* index) {
  auto open = segment.find('[');
  if (open == std::string::npos) return segment;
  auto close = segment.find(']', open);
  if (close == std::string::npos || close != segment.size() - 1)
    throw UserError("--set " + segment + ": unbalanced '['");
  *index = segment.substr(open + 1, close - open - 1);
  return segment.substr(0, open);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  for (char c : s) {
    if (c == '[') ++depth;
    if (c == ']') --depth;
    if (c == sep && depth == 0) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

// Parses one field value quietly (the caller reports the error with the --set path).
bool parse_field_value(const std::string& text, const pb::FieldDescriptor* f, pb::Message* msg) {
  pb::TextFormat::Parser parser;
  CollectErrors errors("");
  parser.RecordErrorsTo(&errors);
  return parser.ParseFieldValueFromString(text, f, msg);
}

void set_scalar(pb::Message& msg, const pb::FieldDescriptor* f, const std::string& value,
                const std::string& path) {
  std::string text = value;
  if (f->type() == pb::FieldDescriptor::TYPE_STRING ||
      f->type() == pb::FieldDescriptor::TYPE_BYTES) {
    if (text.size() < 2 || text.front() != '"') text = "\"" + pb::CEscape(value) + "\"";
  }
  if (!parse_field_value(text, f, &msg))
    throw UserError("--set " + path, "cannot parse '" + value + "' as " + f->type_name());
}

// A message-typed --set value: a text-format body, with or without surrounding braces.
void set_message(pb::Message& msg, std::string value, const std::string& path) {
  const auto first = value.find_first_not_of(" \t");
  const auto last = value.find_last_not_of(" \t");
  if (first != std::string::npos && value[first] == '{' && value[last] == '}')
    value = value.substr(first + 1, last - first - 1);
  msg.Clear();
  pb::TextFormat::Parser parser;
  CollectErrors errors("--set " + path);
  parser.RecordErrorsTo(&errors);
  if (!parser.MergeFromString(value, &msg))
    throw UserError(errors.first().empty() ? "--set " + path + ": cannot parse" : errors.first());
}

// Negative, NaN or infinite figures, reported where they were set: the scenario (inline `tech` or
// --set) or the preset file.
void check_figures(const LoadedScenario& loaded, const std::string& preset_file) {
  try {
    check_tech_figures(loaded.scenario.tech());
  } catch (const UserError& e) {
    const bool inline_value = loaded.lines.count(e.field()) || loaded.set.count(e.field());
    throw UserError((inline_value || preset_file.empty() ? loaded.where(e.field())
                                                         : preset_file + ": " + e.field()) +
                    ": " + e.reason());
  }
}

}  // namespace

void parse_text_file(const std::string& path, pb::Message& msg, std::map<std::string, int>* lines) {
  const std::string text = read_file(path);
  pb::TextFormat::Parser parser;
  CollectErrors errors(path);
  parser.RecordErrorsTo(&errors);
  pb::TextFormat::ParseInfoTree tree;
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(text, &msg)) {
    throw UserError(errors.first().empty() ? path + ": cannot parse" : errors.first());
  }
  if (lines != nullptr) record_lines(msg, &tree, "", *lines);
}

void apply_override(pb::Message& root, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UserError("--set " + assignment + ": expected path.to.field=value");
  const std::string path = assignment.substr(0, eq);
  const std::string value = assignment.substr(eq + 1);
  const auto segments = split(path, '.');

  pb::Message* msg = &root;
  for (size_t s = 0; s < segments.size(); ++s) {
    std::string index;
    const std::string name = strip_index(segments[s], &index);
    const pb::FieldDescriptor* f = msg->GetDescriptor()->FindFieldByName(name);
    if (f == nullptr) {
      std::string valid;
      for (int i = 0; i < msg->GetDescriptor()->field_count(); ++i)
        valid += (i ? ", " : "") + msg->GetDescriptor()->field(i)->name();
      throw UserError("--set " + path, "no field '" + name + "' in " +
                                           msg->GetDescriptor()->name() + " (fields: " + valid +
                                           ")");
    }
    const pb::Reflection* refl = msg->GetReflection();
    const bool last = s + 1 == segments.size();

    if (f->is_map()) {
      if (index.empty() || !last)
        throw UserError("--set " + path, "map field '" + name + "' needs [key]=value");
      const pb::FieldDescriptor* key_f = f->message_type()->FindFieldByName("key");
      const pb::FieldDescriptor* val_f = f->message_type()->FindFieldByName("value");
      pb::Message* entry = nullptr;
      for (int i = 0; i < refl->FieldSize(*msg, f); ++i) {
        pb::Message* e = refl->MutableRepeatedMessage(msg, f, i);
        if (e->GetReflection()->GetString(*e, key_f) == index) entry = e;
      }
      if (entry == nullptr) {
        entry = refl->AddMessage(msg, f);
        entry->GetReflection()->SetString(entry, key_f, index);
      }
      set_scalar(*entry, val_f, value, path);
      return;
    }
    if (f->is_repeated()) {
      if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
        if (index.empty())
          throw UserError("--set " + path, "repeated field '" + name + "' needs [i]");
        char* end = nullptr;
        const long i = std::strtol(index.c_str(), &end, 10);
        const int size = refl->FieldSize(*msg, f);
        if (*end != '\0' || i < 0 || i > size)
          throw UserError("--set " + path,
                          "index " + index + " out of range (size " + std::to_string(size) + ")");
        pb::Message* child =
            i == size ? refl->AddMessage(msg, f) : refl->MutableRepeatedMessage(msg, f, i);
        if (last) return set_message(*child, value, path);
        msg = child;
        continue;
      }
      if (!last) throw UserError("--set " + path, "'" + name + "' is not a message");
      refl->ClearField(msg, f);
      if (value.empty()) return;
      for (const auto& item : split(value, ',')) {
        // Parse each item into a scratch copy through text format, then append.
        std::string text = item;
        if (f->type() == pb::FieldDescriptor::TYPE_STRING) text = "\"" + pb::CEscape(item) + "\"";
        std::unique_ptr<pb::Message> scratch(msg->New());
        if (!parse_field_value(text, f, scratch.get()))
          throw UserError("--set " + path, "cannot parse '" + item + "' as " + f->type_name());
        msg->MergeFrom(*scratch);
      }
      return;
    }
    if (!index.empty()) throw UserError("--set " + path, "'" + name + "' is not repeated");
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      pb::Message* child = refl->MutableMessage(msg, f);
      if (last) return set_message(*child, value, path);
      msg = child;
      continue;
    }
    if (!last) throw UserError("--set " + path, "'" + name + "' is not a message");
    set_scalar(*msg, f, value, path);
  }
}

bool path_exists(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::exists(p, ec);
}

std::string source_dir() {
  if (const char* home = std::getenv("NOCSIM_HOME"); home != nullptr && *home != '\0') return home;
#ifdef NOCSIM_SOURCE_DIR_DEFAULT
  return NOCSIM_SOURCE_DIR_DEFAULT;
#else
  return ".";
#endif
}

namespace {

bool home_is_set() {
  const char* home = std::getenv("NOCSIM_HOME");
  return home != nullptr && *home != '\0';
}

// The scenario's folder and every folder above it: where its tree's configs/ and models/ are.
std::vector<std::filesystem::path> tree_folders(const std::string& scenario_path) {
  std::vector<std::filesystem::path> out;
  std::filesystem::path d = std::filesystem::path(scenario_path).parent_path().lexically_normal();
  while (true) {
    out.push_back(d);
    if (d.empty() || d == d.parent_path()) break;
    d = d.parent_path();
  }
  return out;
}

}  // namespace

std::string find_scenario_file(const std::string& file, const std::string& scenario_path,
                               bool* fallback) {
  namespace fs = std::filesystem;
  if (fallback != nullptr) *fallback = false;
  const fs::path p(file);
  if (p.is_absolute()) return path_exists(p) ? p.string() : "";
  std::vector<fs::path> candidates;
  for (const fs::path& d : tree_folders(scenario_path)) candidates.push_back(d / p);
  candidates.push_back(p);
  for (const fs::path& c : candidates)
    if (path_exists(c)) return c.string();
  const fs::path c = fs::path(source_dir()) / p;
  if (!path_exists(c)) return "";
  if (fallback != nullptr) *fallback = !home_is_set();
  return c.string();
}

void record_input(LoadedScenario& loaded, const std::string& role, const std::string& path,
                  bool fallback) {
  config::InputFile* in = loaded.provenance.add_inputs();
  in->set_role(role);
  in->set_path(path);
  in->set_sha256(file_sha256(path));
  in->set_source_tree_fallback(fallback);
  if (!fallback) return;
  // Once per file: a sweep loads the same base for every point.
  static std::mutex mu;
  static std::set<std::string> warned;
  std::lock_guard<std::mutex> lock(mu);
  if (warned.insert(path).second)
    std::cerr << "warning: " << loaded.path << ": " << role << " '" << path
              << "' was found only in the source tree nocsim was built from; set NOCSIM_HOME to "
                 "the nocsim tree to use, or name the file by its path\n";
}

void resolve_tech(LoadedScenario& loaded) {
  config::Scenario& sc = loaded.scenario;
  if (sc.tech_preset().empty()) {
    check_figures(loaded, "");
    return;
  }
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates;
  const fs::path preset(sc.tech_preset());
  if (preset.has_extension()) {
    candidates.push_back(preset);
    candidates.push_back(fs::path(loaded.path).parent_path() / preset);
  } else {
    // A name: the preset of the tree the scenario belongs to, before the source tree's.
    for (const fs::path& d : tree_folders(loaded.path))
      candidates.push_back(d / "configs" / "tech" / (sc.tech_preset() + ".textproto"));
  }
  const size_t from_source = candidates.size();
  candidates.push_back(fs::path(source_dir()) / "configs" / "tech" /
                       (sc.tech_preset() + ".textproto"));
  for (size_t i = 0; i < candidates.size(); ++i) {
    const fs::path& c = candidates[i];
    if (!path_exists(c)) continue;
    config::TechConfig tech;
    parse_text_file(c.string(), tech);
    tech.MergeFrom(sc.tech());  // inline values win over the preset
    *sc.mutable_tech() = tech;
    record_input(loaded, "tech_preset", c.string(), i == from_source && !home_is_set());
    // A figure left out would count as zero energy: the preset (with inline values) needs all.
    const std::string missing = missing_tech_figures(tech);
    if (!missing.empty())
      throw UserError(loaded.where("tech_preset"),
                      "preset " + c.string() + " does not define the figures " + missing);
    check_figures(loaded, c.string());
    return;
  }
  std::string valid;
  const fs::path dir = fs::path(source_dir()) / "configs" / "tech";
  if (path_exists(dir))
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().extension() == ".textproto")
        valid += (valid.empty() ? "" : ", ") + e.path().stem().string();
  throw UserError(loaded.where("tech_preset"),
                  "unknown technology preset '" + sc.tech_preset() + "'; valid: " + valid);
}

LoadedScenario load_scenario(const std::string& path, const std::vector<std::string>& sets) {
  LoadedScenario loaded;
  loaded.path = path;
  parse_text_file(path, loaded.scenario, &loaded.lines);
  loaded.provenance.set_version(nocsim_version());
  record_input(loaded, "scenario", path);
  for (const auto& s : sets) {
    apply_override(loaded.scenario, s);
    const auto eq = s.find('=');
    loaded.set[s.substr(0, eq)] = s.substr(eq + 1);
    loaded.provenance.add_set(s);
  }
  if (loaded.scenario.name().empty())
    loaded.scenario.set_name(std::filesystem::path(path).stem().string());
  resolve_tech(loaded);
  config::Scenario& sc = loaded.scenario;
  if (!sc.model().file().empty()) {
    bool fallback = false;
    const std::string found = find_scenario_file(sc.model().file(), path, &fallback);
    if (found.empty())
      throw UserError(loaded.where("model.file"),
                      "no such file '" + sc.model().file() +
                          "' (looked next to the scenario, in the working directory and in " +
                          source_dir() + ")");
    sc.mutable_model()->set_file(found);
    record_input(loaded, "model.file", found, fallback);
  }
  if (!sc.traffic().trace_file().empty()) {
    // A missing trace is reported by the trace reader, and only when the pattern replays it.
    bool fallback = false;
    const std::string found = find_scenario_file(sc.traffic().trace_file(), path, &fallback);
    if (!found.empty()) {
      sc.mutable_traffic()->set_trace_file(found);
      record_input(loaded, "traffic.trace_file", found, fallback);
    }
  }
  resolve_codec_plugins(loaded);
  return loaded;
}

std::string LoadedScenario::where(const std::string& field) const {
  if (set.count(field)) return "--set " + field;
  // The most specific recorded ancestor gives the line ("noc.router" when num_vcs is defaulted).
  std::string probe = field;
  while (!probe.empty()) {
    auto it = lines.find(probe);
    if (it != lines.end())
      return path + ":" + std::to_string(it->second) + ": " + field +
             (probe == field ? "" : " (not set; default)");
    const auto dot = probe.find_last_of('.');
    probe = dot == std::string::npos ? "" : probe.substr(0, dot);
  }
  return path + ": " + field + " (not set; default)";
}

UserError LoadedScenario::locate(const UserError& e) const {
  if (e.field().empty()) return e;
  if (e.field().rfind("--set", 0) == 0 || e.field().find(".textproto") != std::string::npos)
    return e;
  return UserError(where(e.field()) + ": " + e.reason());
}

}  // namespace nocsim::tools
