#pragma once
// A database file of one test's own: a path in the temp folder named after
// the test and the process, removed with its WAL and shared-memory files
// before the test and after it. Declare it before the SqliteDb that opens it,
// so that the connection closes first.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace sfmon {

class ScratchDbFile {
 public:
  explicit ScratchDbFile(const std::string& prefix)
      : path_((std::filesystem::temp_directory_path() /
               (prefix + "-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                  .string()) {
    remove();
  }
  ~ScratchDbFile() { remove(); }
  ScratchDbFile(const ScratchDbFile&) = delete;
  ScratchDbFile& operator=(const ScratchDbFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  void remove() const {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::error_code ignored;  // absent is fine
      std::filesystem::remove(path_ + suffix, ignored);
    }
  }

  std::string path_;
};

}  // namespace sfmon
