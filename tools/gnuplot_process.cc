#include "tools/gnuplot_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "configs/user_error.h"

extern char** environ;

namespace nocsim::tools {

std::string gnuplot_string(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "''";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      out += ' ';
    else
      out += c;
  }
  return out + "'";
}

namespace {

// Writes all of `data` to `fd`; false when the reader went away (gnuplot died early). SIGPIPE is
// blocked for this thread meanwhile and a pending one consumed, so a dead gnuplot is an error
// message, not a killed nocsim.
bool write_all(int fd, const std::string& data) {
  sigset_t pipe_set, old_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
  bool ok = true;
  for (size_t done = 0; done < data.size();) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
      break;
    }
    done += static_cast<size_t>(n);
  }
  if (!ok) {
    const timespec zero{0, 0};
    sigtimedwait(&pipe_set, nullptr, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old_set, nullptr);
  return ok;
}

}  // namespace

int run_gnuplot(const std::string& script, const std::string& stdout_path,
                const std::string& stderr_path) {
  // The files are opened here, not by the spawn, so that a bad path is reported as such.
  auto open_output = [](const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw UserError(path + ": cannot write: " + std::strerror(errno));
    return fd;
  };
  const int out_fd = open_output(stdout_path);
  int err_fd = -1;
  try {
    err_fd = open_output(stderr_path);
  } catch (...) {
    ::close(out_fd);
    throw;
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    ::close(out_fd);
    ::close(err_fd);
    throw UserError(std::string("cannot start gnuplot: pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  char program[] = "gnuplot";
  char* argv[] = {program, nullptr};
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, program, &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[0]);
  ::close(out_fd);
  ::close(err_fd);
  if (rc != 0) {
    ::close(fds[1]);
    if (rc == ENOENT) return 127;
    throw UserError(std::string("cannot start gnuplot: ") + std::strerror(rc));
  }
  write_all(fds[1], script);
  ::close(fds[1]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace nocsim::tools
