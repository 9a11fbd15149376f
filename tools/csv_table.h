#pragma once
// A CSV file read into memory: the header row names the columns (RFC 4180 quoting). Used to redraw
// plots from result files and to read reference curves.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nocsim::tools {

class CsvTable {
 public:
  // Throws UserError naming the file (and line) when it cannot be read or a row has the wrong
  // width.
  static CsvTable read(const std::string& path);
  static CsvTable parse(const std::string& text, const std::string& name = "<csv>");

  const std::string& name() const { return name_; }  // the file it was read from
  const std::vector<std::string>& columns() const { return columns_; }
  size_t rows() const { return rows_.size(); }
  bool has(const std::string& column) const { return index_.count(column) > 0; }
  // Throws UserError listing the columns when `column` does not exist.
  const std::string& at(size_t row, const std::string& column) const;
  // Numeric value; nullopt when the cell is empty or not a number.
  std::optional<double> number(size_t row, const std::string& column) const;

  // Rows where every "column=value" condition holds (values compared as text, or as numbers when
  // both parse as numbers).
  std::vector<size_t> where(const std::vector<std::pair<std::string, std::string>>& conds) const;

 private:
  std::string name_;
  std::vector<std::string> columns_;
  std::map<std::string, size_t> index_;
  std::vector<std::vector<std::string>> rows_;
};

// A cell as a number; nullopt when it is empty or not entirely a number.
std::optional<double> to_number(const std::string& text);

// One CSV field, quoted (RFC 4180) when it holds a comma, quote or line break.
std::string csv_field(const std::string& text);

// Reads the record that starts at `pos` (quoted fields may hold commas, quotes and line breaks),
// returns its fields and moves `pos` past it.
std::vector<std::string> next_csv_record(const std::string& text, size_t& pos);

// "a=1,b=x" -> {{"a","1"},{"b","x"}}; throws UserError on a malformed item.
std::vector<std::pair<std::string, std::string>> parse_conditions(const std::string& text);

}  // namespace nocsim::tools
