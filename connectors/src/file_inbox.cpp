#include "sfmon/connectors/file_inbox.h"

#include <filesystem>

namespace sfmon {

InboxFolders default_inbox_folders(const std::string& inbox) {
  const std::filesystem::path base(inbox);
  return InboxFolders{inbox, (base / "archive").string(), (base / "quarantine").string()};
}

FileInbox::FileInbox(FileSystem& fs, InboxFolders folders)
    : fs_(fs), folders_(std::move(folders)) {}

std::vector<std::string> FileInbox::pending() {
  if (!fs_.exists(folders_.inbox)) return {};
  return fs_.list_files(folders_.inbox);
}

std::string FileInbox::archive(const std::string& path) {
  std::string target = free_name(folders_.archive, path);
  fs_.move_file(path, target);
  return target;
}

std::string FileInbox::quarantine(const std::string& path, const std::string& error) {
  std::string target = free_name(folders_.quarantine, path);
  fs_.move_file(path, target);
  fs_.write_file(target + ".error", error + "\n");
  return target;
}

std::string FileInbox::free_name(const std::string& dir, const std::string& path) {
  const std::filesystem::path name = std::filesystem::path(path).filename();
  std::filesystem::path candidate = std::filesystem::path(dir) / name;
  // The same file name may arrive again (a bank resends "statement.xml").
  for (int n = 1; fs_.exists(candidate.string()); ++n) {
    candidate = std::filesystem::path(dir) /
                (name.stem().string() + "." + std::to_string(n) + name.extension().string());
  }
  return candidate.string();
}

}  // namespace sfmon
