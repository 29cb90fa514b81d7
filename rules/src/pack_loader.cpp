// The file-system front end: folders and files to a PackDocument, then
// compile_pack, with the digest of the sources the rules were compiled from.
// The only part of the rule engine that touches files.

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

#include "sfmon/rules/rule_pack.h"

namespace sfmon::rules {
namespace {

namespace fs = std::filesystem;

enum class FileRole { Rules, Tests };

struct PackFile {
  std::string path;  // as shown in messages
  FileRole role;
};

// A problem with a whole file or folder. Built out of line: GCC 12 at -O3
// reports a false -Wmaybe-uninitialized for the nested braced initialiser.
[[gnu::noinline]] Diagnostic file_problem(std::string file, std::string message) {
  Diagnostic problem;
  problem.where.file = std::move(file);
  problem.message = std::move(message);
  return problem;
}

// The *.yaml regular files of `folder`, in name order.
std::vector<std::string> yaml_files(const fs::path& folder, std::vector<Diagnostic>& errors) {
  std::vector<std::string> names;
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    if (it->path().extension() == ".yaml" && it->is_regular_file()) {
      names.push_back(it->path().filename().string());
    }
  }
  if (error) {
    errors.push_back(
        file_problem(folder.generic_string(), "cannot read folder: " + error.message()));
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<PackFile> pack_files(const std::vector<std::string>& paths, PackParts parts,
                                 std::vector<Diagnostic>& errors) {
  std::vector<PackFile> files;
  if (paths.empty()) errors.push_back(file_problem("", "no rule pack given"));
  for (const std::string& path : paths) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (fs::is_regular_file(status)) {
      files.push_back({path, FileRole::Rules});
      continue;
    }
    if (!fs::is_directory(status)) {
      errors.push_back(file_problem(path, "no such rule file or folder"));
      continue;
    }
    const fs::path folder(path);
    const std::vector<std::string> rules = yaml_files(folder, errors);
    if (rules.empty()) {
      errors.push_back(file_problem(path, "no rule files (*.yaml) in the folder"));
      continue;
    }
    for (const std::string& name : rules) {
      files.push_back({(folder / name).generic_string(), FileRole::Rules});
    }
    if (parts == PackParts::RulesOnly) continue;
    const fs::path tests = folder / "tests";
    if (fs::is_directory(tests, error)) {
      for (const std::string& name : yaml_files(tests, errors)) {
        files.push_back({(tests / name).generic_string(), FileRole::Tests});
      }
    }
  }
  return files;
}

std::optional<std::string> read_file(const std::string& path, std::vector<Diagnostic>& errors) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors.push_back(file_problem(path, std::string("cannot read file: ") + std::strerror(errno)));
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    errors.push_back(file_problem(path, "cannot read file"));
    return std::nullopt;
  }
  return text.str();
}

// SHA-256 of the pack's sources. A rule file feeds the field "rule file" and
// its text, an override "parameter", its name and its value; every field is
// fed as "<length>:<bytes>", so two different sequences of files and overrides
// never feed the same bytes (text moved across a file boundary counts).
class SourceDigest {
 public:
  void add_rule_file(std::string_view text) {
    add_field("rule file");
    add_field(text);
  }
  void add_override(std::string_view name, std::string_view value) {
    add_field("parameter");
    add_field(name);
    add_field(value);
  }
  // Lower-case hex, 64 characters. Ends the digest: call once.
  std::string hex() { return Poco::DigestEngine::digestToHex(engine_.digest()); }

 private:
  void add_field(std::string_view bytes) {
    const std::string length = std::to_string(bytes.size()) + ':';
    engine_.update(length.data(), length.size());
    engine_.update(bytes.data(), bytes.size());
  }

  Poco::SHA2Engine engine_{Poco::SHA2Engine::SHA_256};
};

// read_pack(), also feeding each rule file's text to `digest` when it is given.
PackDocument read_sources(const std::vector<std::string>& paths, PackParts parts,
                          SourceDigest* digest) {
  std::vector<Diagnostic> errors;
  PackDocument doc;
  for (const PackFile& file : pack_files(paths, parts, errors)) {
    const std::optional<std::string> text = read_file(file.path, errors);
    if (!text) continue;
    try {
      if (file.role == FileRole::Rules) {
        if (digest != nullptr) digest->add_rule_file(*text);
        read_rules_file(*text, file.path, doc);
      } else {
        read_tests_file(*text, file.path, doc);
      }
    } catch (const PackError& error) {
      errors.insert(errors.end(), error.errors().begin(), error.errors().end());
    }
  }
  if (!errors.empty()) throw PackError(std::move(errors));
  return doc;
}

}  // namespace

PackDocument read_pack(const std::vector<std::string>& paths, PackParts parts) {
  return read_sources(paths, parts, nullptr);
}

std::unique_ptr<CompiledPack> load_pack(const std::vector<std::string>& paths,
                                        const std::map<std::string, std::string>& overrides,
                                        PackParts parts) {
  SourceDigest digest;
  std::unique_ptr<CompiledPack> pack = compile_pack(read_sources(paths, parts, &digest), overrides);
  for (const auto& [name, value] : overrides) digest.add_override(name, value);
  pack->source_digest = digest.hex();
  return pack;
}

}  // namespace sfmon::rules
