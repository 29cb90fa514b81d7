#include "sfmon/connectors/file_system.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace sfmon {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path,
                       const std::error_code& ec) {
  throw std::runtime_error(what + " " + path + ": " + ec.message());
}

bool is_partial(const std::string& name) {
  const auto ends_with = [&](const char* suffix) {
    const std::string s = suffix;
    return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  return name.empty() || name[0] == '.' || ends_with(".part") || ends_with(".tmp");
}

}  // namespace

std::vector<std::string> LocalFileSystem::list_files(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) fail("cannot list", dir, ec);
  for (const fs::directory_entry& entry : it) {
    std::error_code type_ec;
    if (!entry.is_regular_file(type_ec)) continue;
    if (is_partial(entry.path().filename().string())) continue;
    files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string LocalFileSystem::read_file(const std::string& path) {
  // One allocation of the file's size and plain read(2)s: ingest reads
  // thousands of files, and a stringstream copies each several times.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
  struct Closer {
    int descriptor;
    ~Closer() { ::close(descriptor); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
  }
  std::string content;
  // The size is a hint: a file still being written may grow, so read to the end.
  content.resize(static_cast<std::size_t>(std::max<off_t>(info.st_size, 0)) + 1);
  std::size_t filled = 0;
  for (;;) {
    if (filled == content.size()) content.resize(content.size() * 2);
    const ssize_t got = ::read(fd, content.data() + filled, content.size() - filled);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("error reading " + path + ": " + std::strerror(errno));
    }
    if (got == 0) break;
    filled += static_cast<std::size_t>(got);
  }
  content.resize(filled);
  return content;
}

void LocalFileSystem::write_file(const std::string& path, const std::string& content) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + temporary + ": " + std::strerror(errno));
    out << content;
    out.flush();
    if (!out) throw std::runtime_error("error writing " + temporary);
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) fail("cannot rename into", path, ec);
}

void LocalFileSystem::move_file(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::create_directories(fs::path(to).parent_path(), ec);
  if (ec) fail("cannot create folder for", to, ec);
  if (fs::exists(to, ec)) throw std::runtime_error("will not overwrite " + to);
  fs::rename(from, to, ec);
  if (ec) fail("cannot move " + from + " to", to, ec);
}

bool LocalFileSystem::exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

void LocalFileSystem::create_directories(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) fail("cannot create folder", dir, ec);
}

}  // namespace sfmon
