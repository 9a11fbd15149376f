#include "tools/results_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "configs/user_error.h"

namespace nocsim::tools {

namespace fs = std::filesystem;

ResultsLock::ResultsLock(const std::string& lock_path) {
  const fs::path dir = fs::path(lock_path).parent_path();
  std::error_code ec;
  if (!dir.empty()) {
    fs::create_directories(dir, ec);
    // The error-code overload: a name the file system refuses (too long) is this error too.
    std::error_code is_dir_ec;
    if (!fs::is_directory(dir, is_dir_ec))
      throw UserError(dir.string() + ": results folder cannot be created (" +
                      (ec ? ec.message() : std::string("a file is in the way")) + ")");
  }
  fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw UserError(lock_path + ": cannot create the results lock (" + std::strerror(errno) +
                    "); is the results folder writable?");
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    char buf[32] = {};
    const ssize_t n = ::pread(fd_, buf, sizeof buf - 1, 0);
    ::close(fd_);
    fd_ = -1;
    if (error != EWOULDBLOCK) throw UserError(lock_path + ": cannot lock: " + std::strerror(error));
    const std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "unknown";
    throw UserError((dir.empty() ? std::string(".") : dir.string()) +
                    ": results are being written by another sweep (pid " +
                    pid.substr(0, pid.find('\n')) + ", lock " + lock_path +
                    "); wait for it to finish or give another --results folder");
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) < 0) {
    // The lock holds without the pid; only the other sweep's message is poorer.
  }
}

ResultsLock::~ResultsLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

}  // namespace nocsim::tools
