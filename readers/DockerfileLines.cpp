// Dockerfile lines (see DockerfileLines.h).
#include "readers/DockerfileLines.h"

#include "llvm/ADT/StringExtras.h"

namespace imageplan::readers {
namespace {

bool isBlankOrComment(llvm::StringRef line) {
  llvm::StringRef trimmed = line.ltrim(" \t");
  return trimmed.empty() || trimmed.startswith("#");
}

} // namespace

DockerfileLines::DockerfileLines(llvm::StringRef text) {
  text.consume_front("\xEF\xBB\xBF");
  endOfText = text.end();
  while (!text.empty()) {
    auto [line, rest] = text.split('\n');
    lines.push_back(line.rtrim('\r'));
    text = rest;
  }
}

void DockerfileLines::readDirectives(Dockerfile &file, LineError error) {
  for (; next < lines.size(); ++next) {
    llvm::StringRef line = lines[next];
    if (!line.consume_front("#"))
      return;
    auto [key, value] = line.split('=');
    key = key.trim();
    if (value.data() == nullptr || key.empty() || !llvm::all_of(key, llvm::isAlnum))
      return;
    std::string name = key.lower();
    if (name != "syntax" && name != "escape" && name != "check")
      return; // an unknown directive is a comment, and comments end directives
    value = value.trim();
    llvm::SMLoc loc = llvm::SMLoc::getFromPointer(lines[next].data());
    if (llvm::any_of(file.directives, [&](const auto &d) { return d.first == name; })) {
      error(loc, "only one '" + name + "' parser directive may be given");
      continue;
    }
    if (name == "escape") {
      if (value != "\\" && value != "`") {
        error(loc, "invalid escape character '" + value + "'; use '\\' or '`'");
        continue;
      }
      file.escape = value.front();
    }
    file.directives.push_back({name, value.str()});
  }
}

bool DockerfileLines::nextLogicalLine(LogicalLine &line, char escape) {
  while (next < lines.size() && isBlankOrComment(lines[next]))
    ++next;
  if (next >= lines.size())
    return false;
  line = LogicalLine();
  line.line = next + 1;
  bool first = true;
  while (next < lines.size()) {
    llvm::StringRef piece = lines[next++];
    if (first)
      piece = piece.ltrim(" \t");
    first = false;
    llvm::StringRef body = piece.rtrim(" \t");
    if (!body.endswith(llvm::StringRef(&escape, 1))) {
      line.append(piece);
      return true;
    }
    line.append(body.drop_back());
    // Comment and blank lines inside a continued instruction are dropped.
    while (next < lines.size() && isBlankOrComment(lines[next]))
      ++next;
  }
  return true;
}

void DockerfileLines::readHeredocs(const LogicalLine &line, size_t from,
                                   char escape, std::vector<DockerfileHeredoc> &heredocs,
                                   LineError error) {
  llvm::StringRef text = line.text;
  char quote = 0;
  for (size_t i = from; i + 2 < text.size(); ++i) {
    char c = text[i];
    // The escape character quotes the next one, except inside '...':
    // `'it'\''s <<x'` holds no heredoc marker.
    if (c == escape && quote != '\'') {
      ++i;
      continue;
    }
    if (quote) {
      if (c == quote)
        quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      continue;
    }
    if (!text.substr(i).startswith("<<") || text.substr(i).startswith("<<<") ||
        (i > 0 && text[i - 1] == '<'))
      continue;
    size_t j = i + 2;
    bool chomp = j < text.size() && text[j] == '-';
    j += chomp;
    char q = j < text.size() && (text[j] == '"' || text[j] == '\'') ? text[j] : 0;
    j += q != 0;
    size_t nameStart = j;
    while (j < text.size() &&
           (llvm::isAlnum(text[j]) || text[j] == '_' || text[j] == '.' || text[j] == '-'))
      ++j;
    if (j == nameStart || (q && (j >= text.size() || text[j] != q)))
      continue;
    DockerfileHeredoc heredoc;
    heredoc.name = text.slice(nameStart, j).str();
    bool closed = false;
    while (next < lines.size()) {
      llvm::StringRef body = lines[next++];
      if (chomp)
        body = body.ltrim('\t');
      if (body == heredoc.name) {
        closed = true;
        break;
      }
      heredoc.body += body;
      heredoc.body += '\n';
    }
    if (!closed) {
      error(line.locAt(i), "heredoc '" + heredoc.name +
                               "' is never closed; end it with a line "
                               "holding only '" +
                               heredoc.name + "'");
      return;
    }
    heredocs.push_back(std::move(heredoc));
    i = j;
  }
}

} // namespace imageplan::readers
