#include "camt_xml_tree.h"

#include <expat.h>

#include <algorithm>
#include <climits>
#include <functional>
#include <new>
#include <optional>
#include <unordered_map>

#include "sfmon/model/input_error.h"

namespace sfmon {
namespace {

// Between a namespace URI and the local name in the names expat reports; it
// cannot occur in XML 1.0 text, not even as a character reference.
constexpr char kNamespaceSeparator = '\x01';

bool is_xml_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string position_of(long line, long column) {
  return std::to_string(line) + ":" + std::to_string(column);
}

// Hashes std::string and std::string_view alike, for lookups without a copy.
struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

// Owns an expat parser.
struct ExpatParser {
  ExpatParser() : parser(XML_ParserCreateNS(nullptr, kNamespaceSeparator)) {
    if (parser == nullptr) throw std::bad_alloc();
  }
  ~ExpatParser() { XML_ParserFree(parser); }
  ExpatParser(const ExpatParser&) = delete;
  ExpatParser& operator=(const ExpatParser&) = delete;

  XML_Parser parser;
};

// Builds the tree from expat's events and refuses everything a bank
// statement never needs: DTDs (and with them all entities), excessive depth
// and size. A refusal stops the parser (an exception must not unwind through
// expat's C frames) and is thrown once XML_Parse returns.
class TreeBuilder {
 public:
  TreeBuilder(XML_Parser parser, const std::string& file) : parser_(parser), file_(file) {
    XML_SetUserData(parser, this);
    XML_SetElementHandler(parser, &TreeBuilder::on_start, &TreeBuilder::on_end);
    XML_SetCharacterDataHandler(parser, &TreeBuilder::on_text);
    XML_SetStartDoctypeDeclHandler(parser, &TreeBuilder::on_doctype);
    XML_SetSkippedEntityHandler(parser, &TreeBuilder::on_skipped_entity);
  }

  XmlDocument take_document() { return std::move(document_); }
  // The refusal that stopped the parser, if any.
  const std::optional<InputError>& refusal() const { return refusal_; }

  // "Document/BkToCstmrStmt[1]/Stmt[2]": the elements open right now, for
  // errors raised by the XML parser itself.
  std::string open_path() const {
    std::string path;
    for (std::size_t i = 0; i < open_.size(); ++i) {
      if (!path.empty()) path += '/';
      path += open_[i]->name;
      if (i == 0) continue;
      int index = 0;
      for (const XmlElement& sibling : open_[i - 1]->children) {
        if (sibling.name == open_[i]->name) ++index;
      }
      path += '[';
      path += std::to_string(index);
      path += ']';
    }
    return path;
  }

  // Where the parser stands, 1-based, as "LINE:COLUMN".
  std::string here() const {
    return position_of(static_cast<long>(XML_GetCurrentLineNumber(parser_)),
                       static_cast<long>(XML_GetCurrentColumnNumber(parser_)) + 1);
  }

 private:
  static TreeBuilder& self(void* user_data) { return *static_cast<TreeBuilder*>(user_data); }

  static void XMLCALL on_start(void* user_data, const XML_Char* name, const XML_Char** attributes) {
    self(user_data).start_element(name, attributes);
  }
  static void XMLCALL on_end(void* user_data, const XML_Char*) {
    TreeBuilder& builder = self(user_data);
    if (!builder.refusal_) builder.open_.pop_back();
  }
  static void XMLCALL on_text(void* user_data, const XML_Char* text, int length) {
    TreeBuilder& builder = self(user_data);
    if (builder.refusal_ || builder.open_.empty()) return;
    builder.open_.back()->text.append(text, static_cast<std::size_t>(length));
  }
  // A DOCTYPE is where XXE and entity bombs live; camt never has one, so it
  // is refused before its internal subset is read.
  static void XMLCALL on_doctype(void* user_data, const XML_Char* name, const XML_Char*,
                                 const XML_Char*, int) {
    self(user_data).refuse("XML DOCTYPE declarations are not allowed", name);
  }
  static void XMLCALL on_skipped_entity(void* user_data, const XML_Char* name, int) {
    self(user_data).refuse("XML entity references are not allowed", name);
  }

  void start_element(const XML_Char* qualified, const XML_Char** attributes) {
    if (refusal_) return;
    const std::string_view name(qualified);
    const std::size_t cut = name.find(kNamespaceSeparator);
    const std::string_view uri = cut == std::string_view::npos ? "" : name.substr(0, cut);
    const std::string_view local = cut == std::string_view::npos ? name : name.substr(cut + 1);
    if (static_cast<int>(open_.size()) >= kMaxXmlDepth) {
      refuse("XML nested deeper than " + std::to_string(kMaxXmlDepth) + " elements inside " +
                 open_path(),
             std::string(local));
      return;
    }
    if (++element_count_ > kMaxXmlElements) {
      refuse("XML document has more than " + std::to_string(kMaxXmlElements) + " elements", {});
      return;
    }
    XmlElement* element = nullptr;
    if (open_.empty()) {
      element = &document_.root;
    } else {
      // Only the innermost open element grows, so the pointers to its
      // ancestors on the stack stay valid.
      open_.back()->children.emplace_back();
      element = &open_.back()->children.back();
    }
    element->ns = namespace_id(uri);
    element->name = local;
    // Name and value pairs; a qualified name carries the separator.
    for (const XML_Char** pair = attributes; pair[0] != nullptr; pair += 2) {
      const std::string_view key(pair[0]);
      if (key.find(kNamespaceSeparator) == std::string_view::npos) {
        element->attributes.emplace_back(key, pair[1]);
      }
    }
    element->line = static_cast<int>(XML_GetCurrentLineNumber(parser_));
    element->column = static_cast<int>(XML_GetCurrentColumnNumber(parser_)) + 1;
    open_.push_back(element);
  }

  void refuse(const std::string& message, const std::string& value) {
    if (refusal_) return;
    refusal_.emplace(file_, here(), message, value);
    XML_StopParser(parser_, XML_FALSE);
  }

  int namespace_id(std::string_view uri) {
    const auto found = namespace_ids_.find(uri);
    if (found != namespace_ids_.end()) return found->second;
    const int id = static_cast<int>(document_.namespaces.size());
    document_.namespaces.emplace_back(uri);
    namespace_ids_.emplace(uri, id);
    return id;
  }

  XML_Parser parser_;
  const std::string& file_;
  XmlDocument document_{{""}, {}};
  // Looked up by string_view: no string is made per element.
  std::unordered_map<std::string, int, TextHash, std::equal_to<>> namespace_ids_{{"", 0}};
  std::vector<XmlElement*> open_;
  long element_count_ = 0;
  std::optional<InputError> refusal_;
};

}  // namespace

const XmlElement* XmlElement::child(std::string_view local_name) const {
  for (const XmlElement& element : children) {
    if (element.name == local_name && element.ns == ns) return &element;
  }
  return nullptr;
}

const XmlElement* XmlElement::find(std::initializer_list<std::string_view> chain) const {
  const XmlElement* element = this;
  for (const std::string_view step : chain) {
    element = element->child(step);
    if (element == nullptr) return nullptr;
  }
  return element;
}

std::vector<const XmlElement*> XmlElement::children_named(std::string_view local_name) const {
  std::vector<const XmlElement*> found;
  for (const XmlElement& element : children) {
    if (element.name == local_name && element.ns == ns) found.push_back(&element);
  }
  return found;
}

const std::string* XmlElement::attribute(std::string_view local_name) const {
  for (const auto& [key, value] : attributes) {
    if (key == local_name) return &value;
  }
  return nullptr;
}

std::string_view XmlElement::trimmed_text() const {
  std::string_view view = text;
  while (!view.empty() && is_xml_space(view.front())) view.remove_prefix(1);
  while (!view.empty() && is_xml_space(view.back())) view.remove_suffix(1);
  return view;
}

XmlDocument parse_xml_tree(std::string_view content, const std::string& file) {
  const ExpatParser expat;
  TreeBuilder builder(expat.parser, file);
  // Parameter entities (and so any external DTD subset) are never read;
  // expat's default, stated here because the refusals above rely on it.
  XML_SetParamEntityParsing(expat.parser, XML_PARAM_ENTITY_PARSING_NEVER);
  // XML_Parse takes an int length: large contents go in pieces.
  constexpr std::size_t kPiece = std::size_t{1} << 30;
  static_assert(kPiece <= static_cast<std::size_t>(INT_MAX));
  std::size_t offset = 0;
  XML_Status status = XML_STATUS_OK;
  do {
    const std::size_t size = std::min(kPiece, content.size() - offset);
    const bool last = offset + size == content.size();
    status = XML_Parse(expat.parser, content.data() + offset, static_cast<int>(size),
                       last ? XML_TRUE : XML_FALSE);
    offset += size;
  } while (status == XML_STATUS_OK && offset < content.size());
  if (builder.refusal()) throw *builder.refusal();
  if (status != XML_STATUS_OK) {
    std::string message =
        std::string("malformed XML: ") + XML_ErrorString(XML_GetErrorCode(expat.parser));
    const std::string open = builder.open_path();
    if (!open.empty()) message += " (inside " + open + ")";
    throw InputError(file, builder.here(), message);
  }
  return builder.take_document();
}

}  // namespace sfmon
