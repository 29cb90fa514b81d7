#include "sfmon/connectors/file_system.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <cerrno>
#include <cstring>

namespace sfmon {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, const std::error_code& ec) {
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
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw std::runtime_error("error reading " + path);
  return content.str();
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
