#pragma once
// An exclusive lock on one set of result files (flock on "<name>.lock" beside them), held for the
// life of the object, so that two sweeps never write the same results.csv at once. The holder's pid
// is written into the lock file for the error message of the one that has to wait.
#include <string>

namespace nocsim::tools {

class ResultsLock {
 public:
  // Creates the folder of `lock_path` if needed. Throws UserError naming the folder and the
  // holder's pid when another process (or another ResultsLock) holds it, or when the folder
  // cannot be used (a file in the way, not writable).
  explicit ResultsLock(const std::string& lock_path);
  ~ResultsLock();
  ResultsLock(const ResultsLock&) = delete;
  ResultsLock& operator=(const ResultsLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace nocsim::tools
