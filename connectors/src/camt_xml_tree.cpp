#include "camt_xml_tree.h"

#include <Poco/Exception.h>
#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/ContentHandler.h>
#include <Poco/SAX/LexicalHandler.h>
#include <Poco/SAX/Locator.h>
#include <Poco/SAX/SAXException.h>
#include <Poco/SAX/SAXParser.h>
#include <Poco/SAX/XMLReader.h>

#include <unordered_map>

#include "sfmon/model/input_error.h"

namespace sfmon {
namespace {

using Poco::XML::XMLChar;
using Poco::XML::XMLString;

bool is_xml_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string position_of(int line, int column) {
  return std::to_string(line) + ":" + std::to_string(column);
}

// Builds the tree from SAX events and refuses everything a bank statement
// never needs: DTDs (and with them all entities), excessive depth and size.
class TreeBuilder final : public Poco::XML::ContentHandler, public Poco::XML::LexicalHandler {
 public:
  explicit TreeBuilder(const std::string& file) : file_(file) {}

  XmlDocument take_document() { return std::move(document_); }

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
      path += "[" + std::to_string(index) + "]";
    }
    return path;
  }

  // Where the parser stands, 1-based, as "LINE:COLUMN".
  std::string here() const {
    if (locator_ == nullptr) return {};
    return position_of(locator_->getLineNumber(), locator_->getColumnNumber() + 1);
  }

  // ContentHandler
  void setDocumentLocator(const Poco::XML::Locator* locator) override { locator_ = locator; }
  void startDocument() override {}
  void endDocument() override {}
  void startElement(const XMLString& uri, const XMLString& local_name, const XMLString&,
                    const Poco::XML::Attributes& attributes) override {
    if (static_cast<int>(open_.size()) >= kMaxXmlDepth) {
      throw InputError(file_, here(),
                       "XML nested deeper than " + std::to_string(kMaxXmlDepth) +
                           " elements inside " + open_path(),
                       local_name);
    }
    if (++element_count_ > kMaxXmlElements) {
      throw InputError(
          file_, here(),
          "XML document has more than " + std::to_string(kMaxXmlElements) + " elements");
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
    element->name = local_name;
    for (int i = 0; i < attributes.getLength(); ++i) {
      if (attributes.getURI(i).empty()) {
        element->attributes.emplace_back(attributes.getLocalName(i), attributes.getValue(i));
      }
    }
    if (locator_ != nullptr) {
      element->line = locator_->getLineNumber();
      element->column = locator_->getColumnNumber() + 1;
    }
    open_.push_back(element);
  }
  void endElement(const XMLString&, const XMLString&, const XMLString&) override {
    open_.pop_back();
  }
  void characters(const XMLChar ch[], int start, int length) override {
    if (open_.empty()) return;
    open_.back()->text.append(ch + start, static_cast<std::size_t>(length));
  }
  void ignorableWhitespace(const XMLChar[], int, int) override {}
  void processingInstruction(const XMLString&, const XMLString&) override {}
  void startPrefixMapping(const XMLString&, const XMLString&) override {}
  void endPrefixMapping(const XMLString&) override {}
  void skippedEntity(const XMLString& name) override {
    throw InputError(file_, here(), "XML entity references are not allowed", name);
  }

  // LexicalHandler: a DOCTYPE is where XXE and entity bombs live; camt never
  // has one, so refuse it before its internal subset is read.
  void startDTD(const XMLString& name, const XMLString&, const XMLString&) override {
    throw InputError(file_, here(), "XML DOCTYPE declarations are not allowed", name);
  }
  void endDTD() override {}
  void startEntity(const XMLString&) override {}
  void endEntity(const XMLString&) override {}
  void startCDATA() override {}
  void endCDATA() override {}
  void comment(const XMLChar[], int, int) override {}

 private:
  int namespace_id(const XMLString& uri) {
    const auto [it, inserted] =
        namespace_ids_.try_emplace(uri, static_cast<int>(document_.namespaces.size()));
    if (inserted) document_.namespaces.push_back(uri);
    return it->second;
  }

  const std::string& file_;
  const Poco::XML::Locator* locator_ = nullptr;
  XmlDocument document_{{""}, {}};
  std::unordered_map<std::string, int> namespace_ids_{{"", 0}};
  std::vector<XmlElement*> open_;
  long element_count_ = 0;
};

// Poco appends " in line L column C" to expat's reason; the location is
// reported separately, so keep just the reason.
std::string bare_reason(const std::string& message) {
  const std::size_t cut = message.find(" in line ");
  return cut == std::string::npos ? message : message.substr(0, cut);
}

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
  TreeBuilder builder(file);
  Poco::XML::SAXParser parser;
  parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACE_PREFIXES, false);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
  parser.setContentHandler(&builder);
  parser.setProperty(Poco::XML::XMLReader::PROPERTY_LEXICAL_HANDLER,
                     static_cast<Poco::XML::LexicalHandler*>(&builder));
  try {
    parser.parseMemoryNP(content.data(), content.size());
  } catch (const Poco::XML::SAXParseException& error) {
    std::string message = "malformed XML: " + bare_reason(error.message());
    const std::string open = builder.open_path();
    if (!open.empty()) message += " (inside " + open + ")";
    throw InputError(file, position_of(error.getLineNumber(), error.getColumnNumber() + 1),
                     message);
  } catch (const Poco::Exception& error) {
    // Anything else Poco reports (e.g. an encoding it cannot convert) is
    // still a problem of this input, not of the program.
    throw InputError(file, builder.here(), "unreadable XML: " + error.displayText());
  }
  return builder.take_document();
}

}  // namespace sfmon
