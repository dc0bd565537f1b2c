// Splits shell text into simple commands and their words, the way a POSIX
// shell reads them, well enough to price what a RUN does (imageplan score)
// and to read what an existing Dockerfile's RUN installs (imageplan init).
#include "readers/ShellWords.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>

namespace imageplan::readers {
namespace {

size_t skipDoubleQuoted(llvm::StringRef s, size_t quote);

/// `s[open]` is the '(' of `$(`: the index after its matching ')'.
size_t skipSubstitution(llvm::StringRef s, size_t open) {
  int depth = 0;
  for (size_t j = open; j < s.size(); ++j) {
    char c = s[j];
    if (c == '\\') {
      ++j;
    } else if (c == '\'') {
      j = s.find('\'', j + 1);
      if (j == llvm::StringRef::npos)
        return s.size();
    } else if (c == '"') {
      j = skipDoubleQuoted(s, j);
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      return j + 1;
    }
  }
  return s.size();
}

/// `s[quote]` is an opening '"': the index of the closing one (or the end).
size_t skipDoubleQuoted(llvm::StringRef s, size_t quote) {
  for (size_t k = quote + 1; k < s.size(); ++k) {
    if (s[k] == '\\')
      ++k;
    else if (s[k] == '"')
      return k;
    else if (s[k] == '$' && k + 1 < s.size() && s[k + 1] == '(')
      k = skipSubstitution(s, k + 1) - 1;
  }
  return s.size();
}

class ShellSplitter {
public:
  explicit ShellSplitter(llvm::StringRef s) : s(s) {}

  std::vector<std::vector<std::string>> split() {
    size_t n = s.size();
    for (size_t i = 0; i < n;) {
      char c = s[i];
      if (c == '\\') {
        if (i + 1 < n && s[i + 1] != '\n')
          append(s[i + 1]);
        i += 2;
      } else if (c == '\n' || c == ';' || c == '|' || c == '&' || c == '(' || c == ')') {
        endCommand();
        ++i;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        endWord();
        ++i;
      } else if (c == '#' && !inWord) {
        i = std::min(s.find('\n', i), n);
      } else if (c == '>' || c == '<') {
        // A redirection: a file-descriptor number before it and the target
        // after it are not arguments.
        if (inWord && llvm::all_of(word, llvm::isDigit)) {
          word.clear();
          inWord = false;
        }
        endWord();
        while (i < n && (s[i] == '>' || s[i] == '<' || s[i] == '&' || s[i] == '-'))
          ++i;
        dropNext = true;
      } else if (c == '\'') {
        size_t close = std::min(s.find('\'', i + 1), n);
        appendText(s.slice(i + 1, close));
        i = close + 1;
      } else if (c == '"') {
        size_t close = skipDoubleQuoted(s, i);
        appendText(s.slice(i + 1, close));
        i = close + 1;
      } else if (c == '$' && i + 1 < n && s[i + 1] == '(') {
        size_t end = skipSubstitution(s, i + 1);
        appendText(s.slice(i, end));
        i = end;
      } else if (c == '`') {
        size_t close = std::min(s.find('`', i + 1), n);
        appendText(s.slice(i, close + 1));
        i = close + 1;
      } else {
        append(c);
        ++i;
      }
    }
    endCommand();
    return std::move(commands);
  }

private:
  void append(char c) {
    word += c;
    inWord = true;
  }
  void appendText(llvm::StringRef text) {
    word += text;
    inWord = true;
  }
  void endWord() {
    if (!inWord)
      return;
    if (dropNext)
      dropNext = false;
    else
      current.push_back(word);
    word.clear();
    inWord = false;
  }
  void endCommand() {
    endWord();
    dropNext = false;
    if (!current.empty())
      commands.push_back(std::move(current));
    current.clear();
  }

  llvm::StringRef s;
  std::vector<std::vector<std::string>> commands;
  std::vector<std::string> current;
  std::string word;
  bool inWord = false, dropNext = false;
};

} // namespace

std::vector<std::vector<std::string>> shellCommands(llvm::StringRef script) {
  return ShellSplitter(script).split();
}

std::vector<std::vector<std::string>> runCommands(const DockerfileInstruction &run) {
  if (run.jsonForm)
    return {run.args};
  std::string script = run.text;
  for (const DockerfileHeredoc &heredoc : run.heredocs)
    script += "\n" + heredoc.body;
  return shellCommands(script);
}

std::string oneLine(llvm::StringRef text, size_t width) {
  std::string out;
  for (char c : text) {
    bool blank = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (blank && (out.empty() || out.back() == ' '))
      continue;
    out += blank ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  if (out.size() > width)
    out = out.substr(0, width - 3) + "...";
  return out;
}

} // namespace imageplan::readers
