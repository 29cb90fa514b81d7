#pragma once
// Runs the real sfmon binary and captures what it prints, for end-to-end tests.

#include <memory>
#include <string>
#include <vector>

namespace sfmon::e2e {

struct RunResult {
  int exit_code = -1;  // the process's exit status; a signal shows as 128 + signal
  std::string out;
  std::string err;
};

RunResult run_sfmon(const std::vector<std::string>& args, const std::string& working_dir = {});

// A fresh, empty folder under the system temp folder, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void write_text(const std::string& path, const std::string& content);
std::string read_text(const std::string& path);
std::vector<std::string> files_in(const std::string& dir);  // names, sorted
void copy_tree(const std::string& from, const std::string& to);

// The real binary running in the background (e.g. `sfmon serve`), its stdout
// and stderr going to `log_path`. The destructor kills (SIGKILL) and reaps a
// process still running, so a failing test never leaves one behind.
class SfmonProcess {
 public:
  SfmonProcess(const std::vector<std::string>& args, const std::string& log_path);
  ~SfmonProcess();
  SfmonProcess(const SfmonProcess&) = delete;
  SfmonProcess& operator=(const SfmonProcess&) = delete;

  int pid() const { return pid_; }
  void send_signal(int signal) const;
  // The exit status (a signal shows as 128 + signal) once the process has
  // ended, or -1 if it still runs after `timeout_ms`.
  int wait_exit(int timeout_ms);

 private:
  int pid_ = -1;
  bool reaped_ = false;
  int exit_code_ = -1;
};

std::unique_ptr<SfmonProcess> start_sfmon(const std::vector<std::string>& args,
                                          const std::string& log_path);

}  // namespace sfmon::e2e
