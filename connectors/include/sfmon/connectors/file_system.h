#pragma once
// The file system behind a small interface, so tests can inject faults
// (a failing move, a vanished file) without touching the disk.

#include <string>
#include <vector>

namespace sfmon {

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Regular files directly in `dir` (not recursive), sorted by name. Hidden
  // files (".name") and partial uploads ("*.part", "*.tmp") are skipped.
  virtual std::vector<std::string> list_files(const std::string& dir) = 0;
  virtual std::string read_file(const std::string& path) = 0;
  // Writes via a temporary file and rename, so readers never see half a file.
  virtual void write_file(const std::string& path, const std::string& content) = 0;
  // Renames `from` to `to`, creating `to`'s folder; never overwrites.
  virtual void move_file(const std::string& from, const std::string& to) = 0;
  virtual bool exists(const std::string& path) = 0;
  virtual void create_directories(const std::string& dir) = 0;
};

// std::filesystem-backed implementation; throws std::runtime_error naming the
// path and the OS error.
class LocalFileSystem : public FileSystem {
 public:
  std::vector<std::string> list_files(const std::string& dir) override;
  std::string read_file(const std::string& path) override;
  void write_file(const std::string& path, const std::string& content) override;
  void move_file(const std::string& from, const std::string& to) override;
  bool exists(const std::string& path) override;
  void create_directories(const std::string& dir) override;
};

}  // namespace sfmon
