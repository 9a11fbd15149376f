#pragma once
// The stored rows of a sweep: results.csv and results.jsonl (or one shard's part files), one row
// per point in point order. Each row carries the point's id (its axis labels), the hash of the
// fully resolved point and a status, so that a resumed sweep keeps exactly the rows that are
// still what it would compute, whatever moved in the axes in between.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "configs/schema/result.pb.h"
#include "tools/sweep.h"

namespace nocsim::tools {

// One point's row in both files, without its index (the index follows the point's place in the
// sweep as it is now, so rows are renumbered when axes change).
struct StoredRow {
  std::string id;
  std::string hash;
  bool ok = false;        // status "ok" (else "failed", with the error in the row)
  std::string csv_tail;   // the CSV fields after point_index
  std::string json_tail;  // the JSON members after "point_index":N, up to the closing brace
};

// The CSV header of a sweep's results.
std::string sweep_csv_header(const std::vector<std::string>& axis_columns);

// The row of a finished point, or of a failed one (`result` null, `error` says why: the result
// columns stay empty and the JSON has no "result").
StoredRow make_row(const SweepPoint& p, const std::string& hash, const config::RunResult* result,
                   const std::string& error);

class SweepRows {
 public:
  // Reads both files when they exist; a row counts as stored only when both files hold it (a
  // kill between the two writes leaves it in one). A CSV whose header differs (another sweep's
  // folder, or a result schema change) is an error, unless `replace_foreign` or the file predates
  // point hashes: then its rows are ignored and replaced.
  SweepRows(std::string csv_path, std::string jsonl_path, std::string csv_header,
            bool replace_foreign = false);

  // True when files were found but not used (written before rows had point hashes, or foreign
  // and replace_foreign): every point reruns and the files are replaced.
  bool replaced_old() const { return replaced_old_; }

  // The rows found on disk, by point id.
  const std::map<std::string, StoredRow>& stored() const { return stored_; }

  void put(size_t index, StoredRow row) { rows_[index] = std::move(row); }
  const std::map<size_t, StoredRow>& rows() const { return rows_; }
  // Rewrites both files (JSON lines first, each atomically) from rows().
  void save() const;

 private:
  std::string csv_path_, jsonl_path_, header_;
  std::map<std::string, StoredRow> stored_;
  std::map<size_t, StoredRow> rows_;
  bool replaced_old_ = false;
};

}  // namespace nocsim::tools
