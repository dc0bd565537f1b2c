// loadSingleDocument: yaml-cpp parsing behind the library boundary. The text
// is parsed twice, once as bare events to count documents and once into a tree,
// because yaml-cpp's LoadAll never returns on some inputs (a stray ',' at the
// top level yields empty documents forever without consuming the ',').
#include "dsl/YamlLoad.h"

#include "dsl/ValueRules.h"
#include "dsl/YamlPrescan.h"

#include "llvm/ADT/StringExtras.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <sstream>

namespace imageplan::dsl {

namespace {

/// Records where documents start and ignores everything else.
class DocumentStarts : public YAML::EventHandler {
public:
  std::vector<YAML::Mark> starts;

  void OnDocumentStart(const YAML::Mark &mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark &, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark &, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark &, const std::string &, YAML::anchor_t,
                const std::string &) override {}
  void OnSequenceStart(const YAML::Mark &, const std::string &, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark &, const std::string &, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

/// Where a tab sits in the indentation of the line holding `offset`, if one
/// does: yaml-cpp's "illegal map value" there is really about the tab.
std::optional<size_t> tabInIndentation(llvm::StringRef text, size_t offset) {
  size_t newline = text.rfind('\n', std::min(offset, text.size()));
  size_t lineStart = newline == llvm::StringRef::npos ? 0 : newline + 1;
  for (size_t i = lineStart; i < text.size() && (text[i] == ' ' || text[i] == '\t'); ++i)
    if (text[i] == '\t')
      return i;
  return std::nullopt;
}

void reportYamlError(YamlReader &r, const YAML::Exception &e) {
  llvm::StringRef text = r.text();
  llvm::SMLoc loc = r.locOf(e.mark, r.start());
  size_t offset = loc.getPointer() - text.data();
  if (std::optional<size_t> tab = tabInIndentation(text, offset))
    r.diags().error(llvm::SMLoc::getFromPointer(text.data() + *tab),
                    "invalid YAML: tabs are not allowed in indentation");
  else
    r.diags().error(loc, "invalid YAML: " + yamlMessage(e));
}

/// Reads events up to the start of a second document. Returns false (after
/// reporting) when the text is not YAML.
bool scanDocuments(YamlReader &r, DocumentStarts &documents) {
  std::istringstream in{std::string(r.text())};
  YAML::Parser parser(in);
  while (documents.starts.size() < 2 && parser.HandleNextDocument(documents)) {
  }
  if (documents.starts.size() == 2 && documents.starts[0].pos == documents.starts[1].pos) {
    // A second document starting where the first did means yaml-cpp read
    // nothing: a token no document can start with, such as a stray ','.
    llvm::SMLoc loc = r.locOf(documents.starts[0], r.start());
    size_t offset = loc.getPointer() - r.text().data();
    std::string token = offset < r.text().size() ? quoteValue(r.text().substr(offset, 1)) : "text";
    r.diags().error(loc, "invalid YAML: unexpected " + token);
    return false;
  }
  return true;
}

} // namespace

std::string yamlMessage(const YAML::Exception &e) {
  // The message may quote a byte of the input, which could be anything.
  std::string msg = e.msg.empty() ? "malformed document" : escaped(e.msg);
  if (msg.size() > 1 && !(msg[1] >= 'A' && msg[1] <= 'Z'))
    msg[0] = llvm::toLower(msg[0]);
  while (!msg.empty() && msg.back() == '.')
    msg.pop_back();
  return msg;
}

std::optional<YAML::Node> loadSingleDocument(YamlReader &r) {
  // Nothing reaches yaml-cpp that could make it recurse deeply or allocate
  // without bound (YamlPrescan.h).
  llvm::StringRef text = r.text();
  bool fits = prescanYaml(text, r.limits(), [&](size_t offset, const std::string &message) {
    r.diags().error(llvm::SMLoc::getFromPointer(text.data() + std::min(offset, text.size())),
                    message);
  });
  if (!fits)
    return std::nullopt;
  try {
    DocumentStarts documents;
    if (!scanDocuments(r, documents))
      return std::nullopt;
    YAML::Node root = YAML::Load(std::string(r.text()));
    // yaml-cpp marks a document that starts with `---` at that line, so the
    // caret lands on the separator the user wrote.
    if (documents.starts.size() > 1)
      r.diags().error(r.locOf(documents.starts[1], r.start()),
                      "unexpected second YAML document; a spec is a single document");
    return root;
  } catch (const YAML::DeepRecursion &e) {
    // Its message is unrelated ("bad file"); the depth is what went wrong.
    r.diags().error(r.locOf(e.mark, r.start()), "invalid YAML: nesting is too deep");
  } catch (const YAML::Exception &e) {
    reportYamlError(r, e);
  } catch (const std::exception &e) {
    r.diags().error(r.start(), llvm::Twine("cannot read the spec: ") + e.what());
  }
  return std::nullopt;
}

} // namespace imageplan::dsl
