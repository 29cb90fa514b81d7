// Turning the registry text into one YAML document, with yaml-cpp 0.7's
// gaps filled: a reported position for text it reads as nothing, and a
// second-document check that cannot loop.

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <sstream>

#include "registry_loader_internal.h"

namespace sfmon::registry_internal {
namespace {

// Where the first line that is not blank, a comment or a document marker
// starts, if there is one.
std::optional<std::size_t> first_content(std::string_view text) {
  std::size_t line_start = 0;
  while (line_start < text.size()) {
    const std::size_t line_end = std::min(text.find('\n', line_start), text.size());
    const std::string_view line = text.substr(line_start, line_end - line_start);
    const std::size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string_view::npos && line[first] != '#' && line.substr(first) != "---" &&
        line.substr(first) != "...") {
      return line_start + first;
    }
    line_start = line_end + 1;
  }
  return std::nullopt;
}

// Notes whether a YAML document holds anything and where it starts.
class DocumentProbe : public YAML::EventHandler {
 public:
  bool has_content() const { return has_content_; }
  const YAML::Mark& start() const { return start_; }

  void OnDocumentStart(const YAML::Mark& mark) override { start_ = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { has_content_ = true; }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {
    has_content_ = true;
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    has_content_ = true;
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    has_content_ = true;
  }
  void OnMapEnd() override {}

 private:
  bool has_content_ = false;
  YAML::Mark start_;
};

// A second document would be silently ignored by most readers. Not
// YAML::LoadAll: in yaml-cpp 0.7 it loops forever, allocating, on some
// invalid input (jbeder/yaml-cpp#1319), so at most two documents are read.
void report_second_document(std::string_view text, ProblemList& problems) {
  std::istringstream stream{std::string(text)};
  YAML::Parser parser(stream);
  DocumentProbe first;
  DocumentProbe second;
  try {
    parser.HandleNextDocument(first);
    if (parser.HandleNextDocument(second) && second.has_content()) {
      problems.add(second.start(), "the registry must be one YAML document; found another");
    }
  } catch (const YAML::Exception& error) {
    problems.add(error.mark, "YAML syntax error: " + error.msg);
  }
}

// True when a document marker ("---" or "...", alone or followed by white
// space) starts a line after `from`. YAML forbids such a line inside any
// content, so without one no second document can follow, and the full
// second parse of report_second_document can be skipped.
bool has_marker_after(std::string_view text, std::size_t from) {
  const auto is_marker = [&](std::size_t at) {
    const std::string_view rest = text.substr(at);
    if (!rest.starts_with("---") && !rest.starts_with("...")) return false;
    return rest.size() == 3 || rest[3] == ' ' || rest[3] == '\t' || rest[3] == '\r' ||
           rest[3] == '\n';
  };
  for (std::size_t line = text.find('\n', from); line != std::string_view::npos;
       line = text.find('\n', line + 1)) {
    if (is_marker(line + 1)) return true;
  }
  return false;
}

}  // namespace

YAML::Mark mark_at(std::string_view text, std::size_t offset) {
  YAML::Mark mark;
  mark.pos = static_cast<int>(offset);
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') ++mark.line;
  }
  return mark;
}

std::optional<YAML::Node> parse_document(std::string_view text, ProblemList& problems) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& error) {
    problems.add(error.mark, "YAML syntax error: " + error.msg);
    return std::nullopt;
  }
  if (root.IsNull()) {
    // yaml-cpp 0.7 reads some invalid text as an empty document; text that
    // is more than comments is not an empty registry.
    if (const std::optional<std::size_t> content = first_content(text)) {
      problems.add(mark_at(text, *content), "YAML syntax error: no YAML value could be read here");
    } else {
      problems.add(YAML::Mark(), "the registry is empty; expected a map with a schools list");
    }
    return std::nullopt;
  }
  // Registries are read by every command: parse twice only when a document
  // marker after the content makes a second document possible.
  if (const std::optional<std::size_t> content = first_content(text);
      content && has_marker_after(text, *content)) {
    report_second_document(text, problems);
  }
  return root;
}

}  // namespace sfmon::registry_internal
