#include "tools/csv_table.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "configs/user_error.h"

namespace nocsim::tools {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string q = "\"";
  for (char c : text) q += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::vector<std::string> next_csv_record(const std::string& text, size_t& pos) {
  std::vector<std::string> fields;
  std::string cur;
  bool quoted = false;
  while (pos < text.size()) {
    const char c = text[pos++];
    if (quoted) {
      if (c == '"') {
        if (pos < text.size() && text[pos] == '"') {
          cur += '"';
          ++pos;
        } else {
          quoted = false;
        }
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(cur);
      cur.clear();
    } else if (c == '\n') {
      break;
    } else if (c != '\r') {
      cur += c;
    }
  }
  fields.push_back(cur);
  return fields;
}

std::optional<double> to_number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0') return std::nullopt;
  return v;
}

CsvTable CsvTable::parse(const std::string& text, const std::string& name) {
  CsvTable t;
  t.name_ = name;
  size_t pos = 0;
  int line = 1;
  if (text.empty()) throw UserError(name + ": empty file (no header row)");
  t.columns_ = next_csv_record(text, pos);
  for (size_t i = 0; i < t.columns_.size(); ++i) t.index_[t.columns_[i]] = i;
  while (pos < text.size()) {
    ++line;
    auto rec = next_csv_record(text, pos);
    if (rec.size() == 1 && rec[0].empty()) continue;  // blank line
    if (rec.size() != t.columns_.size())
      throw UserError(name + ":" + std::to_string(line) + ": " + std::to_string(rec.size()) +
                      " fields, header has " + std::to_string(t.columns_.size()));
    t.rows_.push_back(std::move(rec));
  }
  return t;
}

CsvTable CsvTable::read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError(path + ": cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
}

const std::string& CsvTable::at(size_t row, const std::string& column) const {
  auto it = index_.find(column);
  if (it == index_.end()) {
    std::string valid;
    for (const auto& c : columns_) valid += (valid.empty() ? "" : ", ") + c;
    throw UserError(name_ + ": no column '" + column + "' (columns: " + valid + ")");
  }
  return rows_.at(row)[it->second];
}

std::optional<double> CsvTable::number(size_t row, const std::string& column) const {
  return to_number(at(row, column));
}

std::vector<size_t> CsvTable::where(
    const std::vector<std::pair<std::string, std::string>>& conds) const {
  std::vector<size_t> out;
  for (size_t r = 0; r < rows_.size(); ++r) {
    bool ok = true;
    for (const auto& [col, want] : conds) {
      const std::string& have = at(r, col);
      const auto a = to_number(have), b = to_number(want);
      ok = (a && b) ? *a == *b : have == want;
      if (!ok) break;
    }
    if (ok) out.push_back(r);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_conditions(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UserError("'" + item + "': expected column=value in '" + text + "'");
    out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  return out;
}

}  // namespace nocsim::tools
