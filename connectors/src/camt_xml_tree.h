#pragma once
// A small read-only element tree for the camt parser, built by expat through
// its C API (Poco's SAX layer on top of it made parsing the benchmark's camt
// files take a quarter more CPU, in string copies; bench/profile.md) with
// every DTD feature refused: a document with a DOCTYPE is rejected before
// any entity is declared, so neither external entities (XXE) nor entity
// expansion bombs (billion laughs) can happen.
// Private to the connectors library.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sfmon {

// Documents nest deeper than this are rejected (camt needs about 15 levels);
// the bound keeps the recursive tree teardown far from the stack limit.
inline constexpr int kMaxXmlDepth = 64;
// Documents with more elements are rejected; a camt entry has ~50 elements,
// so this allows well over 100,000 entries per file while bounding memory.
inline constexpr long kMaxXmlElements = 8'000'000;

struct XmlElement {
  int ns = 0;        // index into XmlDocument::namespaces (URIs are shared, not copied)
  std::string name;  // local name (prefix removed)
  // Attributes without a namespace, as (local name, value).
  std::vector<std::pair<std::string, std::string>> attributes;
  std::string text;  // character data directly inside, untrimmed
  std::vector<XmlElement> children;
  int line = 0;    // 1-based line of the start tag
  int column = 0;  // 1-based column of the start tag

  // The first child with `local_name` in this element's namespace, or nullptr.
  const XmlElement* child(std::string_view local_name) const;
  // Follows a chain of children, e.g. find({"Id", "IBAN"}); nullptr when any
  // step is missing.
  const XmlElement* find(std::initializer_list<std::string_view> chain) const;
  // All children with `local_name` in this element's namespace, in order.
  std::vector<const XmlElement*> children_named(std::string_view local_name) const;
  // Value of an unqualified attribute, or nullptr.
  const std::string* attribute(std::string_view local_name) const;
  // `text` without leading and trailing XML white space.
  std::string_view trimmed_text() const;
};

struct XmlDocument {
  std::vector<std::string> namespaces;  // namespaces[0] is "" (no namespace)
  XmlElement root;

  const std::string& namespace_of(const XmlElement& element) const {
    return namespaces.at(static_cast<std::size_t>(element.ns));
  }
};

// Parses `content` (UTF-8, UTF-16 or ISO-8859-1 as declared; a UTF-8 BOM is
// fine) into a tree. Throws InputError(file, "LINE:COLUMN", ...)
// for malformed XML, a DOCTYPE, nesting deeper than kMaxXmlDepth or more than
// kMaxXmlElements elements; the message names the elements open at the error.
XmlDocument parse_xml_tree(std::string_view content, const std::string& file);

}  // namespace sfmon
