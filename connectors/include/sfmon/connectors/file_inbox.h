#pragma once
// A directory connector's folders: files wait in the inbox, move to
// `archive/` once their records are committed, or to `quarantine/` with a
// `NAME.error` file beside them when they are rejected. Nothing is deleted.

#include <string>
#include <vector>

#include "sfmon/connectors/file_system.h"

namespace sfmon {

struct InboxFolders {
  std::string inbox;
  std::string archive;     // default: <inbox>/archive
  std::string quarantine;  // default: <inbox>/quarantine
};

InboxFolders default_inbox_folders(const std::string& inbox);

class FileInbox {
 public:
  // `fs` must outlive the inbox.
  FileInbox(FileSystem& fs, InboxFolders folders);

  // Files waiting in the inbox, oldest name first.
  std::vector<std::string> pending();
  // Moves `path` into the archive; returns where it went.
  std::string archive(const std::string& path);
  // Moves `path` into quarantine and writes `<name>.error` with `error`.
  std::string quarantine(const std::string& path, const std::string& error);

  const InboxFolders& folders() const { return folders_; }

 private:
  // A free name in `dir` for `path`'s file name ("a.xml", "a.1.xml", ...).
  std::string free_name(const std::string& dir, const std::string& path);

  FileSystem& fs_;
  InboxFolders folders_;
};

}  // namespace sfmon
