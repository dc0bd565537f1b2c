// How each run operation becomes shell commands (see RunOps.h): dispatch to
// the emitters (RunBuilder.h), the model download and user scripts, and how
// RUNs are merged and written. All shell text is built by shellQuote,
// shellJoin and shellAssign from data and fixed words; the only other shell
// syntax is the constant printf wrapper in RunBuilder.cpp.
#include "backends/RunOps.h"

#include "backends/AssetDownloadProgram.h"
#include "backends/ModelDownloadProgram.h"
#include "backends/RunBuilder.h"
#include "backends/ShellQuote.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cassert>

namespace imageplan::backends {
namespace {

constexpr llvm::StringLiteral Indent = "    ";
constexpr llvm::StringLiteral ArgIndent = "        ";

// A model's files are the same whatever the distribution: one cache.
constexpr PackageCache ModelCache{"models", "/root/.cache/imageplan/models", false, false};

/// `["a", "b"]` as JSON: the patterns the download program reads.
std::string jsonStrings(const std::vector<std::string> &items) {
  llvm::json::Array array;
  for (const std::string &item : items)
    array.push_back(item);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::json::Value(std::move(array));
  return os.str();
}

bool isCacheMount(const Mount &mount) {
  return llvm::is_contained(mount.options,
                            std::make_pair(std::string("type"), std::string("cache")));
}

bool isLockedCacheMount(const Mount &mount) {
  return isCacheMount(mount) &&
         llvm::is_contained(mount.options,
                            std::make_pair(std::string("sharing"), std::string("locked")));
}

// A one-line script joins the && chain as written only when it is a plain
// command whose words need no quoting: nothing in it can reach outside its
// own command (a list operator would regroup the chain, '#' would comment out
// the rest of the joined line, a trailing backslash would escape the line
// break after it) or fail to parse (an unmatched quote or parenthesis, a
// redirection without a target, a reserved word such as `if` first). Any
// other script runs as one quoted argument of the stage's shell, so the RUN
// line always parses, whatever the script holds.
bool isSimpleCommand(llvm::StringRef script) {
  static constexpr llvm::StringLiteral kReserved[] = {
      "if",    "then", "else", "elif",     "fi",   "case", "esac", "for",  "select",
      "while", "until", "do",  "done",     "function", "in", "time", "coproc"};
  bool plainWords = llvm::all_of(script, [](char c) {
    return llvm::isAlnum(c) || c == ' ' || c == '\t' || llvm::StringRef("-_./=:,+@%^~").contains(c);
  });
  if (!plainWords)
    return false;
  llvm::StringRef first = script.ltrim(" \t").take_until([](char c) { return c == ' ' || c == '\t'; });
  return !llvm::is_contained(kReserved, first);
}

// Operations that are not run operations are written as instructions of
// their own (Dockerfile.cpp), never into a RUN.
[[noreturn]] void notARunOp() { llvm_unreachable("not a run operation"); }
void emitOp(RunBuilder &, const plan::CopyContext &) { notARunOp(); }
void emitOp(RunBuilder &, const plan::CopyStage &) { notARunOp(); }
void emitOp(RunBuilder &, const plan::SetEnv &) { notARunOp(); }
void emitOp(RunBuilder &, const plan::SetWorkdir &) { notARunOp(); }
void emitOp(RunBuilder &, const plan::WriteFile &) { notARunOp(); }
void emitOp(RunBuilder &, const plan::FetchUrl &) { notARunOp(); }
void emitOp(RunBuilder &, const plan::DeclareArg &) { notARunOp(); }

} // namespace

void emitOp(RunBuilder &b, const plan::ModelDownload &op) {
  // Not `required`: without the secret the download still works for a
  // public model.
  // dsl::checkBuildSecrets refuses token secrets for dialects without them.
  if (!op.secretId.empty() && b.rules().secretMounts)
    b.addMount(Mount{{{"type", "secret"}, {"id", op.secretId}}});
  std::vector<std::string> env = {
      shellAssign("IMAGEPLAN_MODEL_REPO", op.repo),
      shellAssign("IMAGEPLAN_MODEL_REVISION", op.revision),
      shellAssign("IMAGEPLAN_MODEL_DIR", op.path),
      shellAssign("IMAGEPLAN_MODEL_CLIENT", op.client),
  };
  if (!op.allowPatterns.empty())
    env.push_back(shellAssign("IMAGEPLAN_MODEL_ALLOW", jsonStrings(op.allowPatterns)));
  if (!op.ignorePatterns.empty())
    env.push_back(shellAssign("IMAGEPLAN_MODEL_IGNORE", jsonStrings(op.ignorePatterns)));
  // Downloads land in a cache mount first: an interrupted or failed build
  // resumes there, and a new revision fetches only the files that changed.
  if (b.rules().cacheMounts) {
    b.addCache(ModelCache);
    env.push_back(shellAssign("IMAGEPLAN_MODEL_CACHE", ModelCache.target));
  }
  if (op.hfTransfer)
    env.push_back(shellAssign("HF_HUB_ENABLE_HF_TRANSFER", "1"));
  if (!op.secretId.empty())
    env.push_back(shellAssign("IMAGEPLAN_TOKEN_FILE", "/run/secrets/" + op.secretId));
  b.printfLines(shellJoin({"python3", "-c"}), modelDownloadProgram(), env);
}

void emitOp(RunBuilder &b, const plan::AssetDownload &op) {
  std::vector<std::string> env = {
      shellAssign("IMAGEPLAN_ASSET_URL", op.url),
      shellAssign("IMAGEPLAN_ASSET_SHA256", op.sha256),
      shellAssign("IMAGEPLAN_ASSET_PATH", op.path),
  };
  if (!op.unpack.empty())
    env.push_back(shellAssign("IMAGEPLAN_ASSET_UNPACK", op.unpack));
  std::vector<llvm::StringRef> program(assetDownloadProgram().begin(),
                                       assetDownloadProgram().end());
  b.printfLines(shellJoin({"python3", "-c"}), program, env);
}

// A shallow fetch of exactly the commit (by id, so a moved branch or tag
// cannot change it), through a remote named origin, which `git lfs pull`
// reads; the .git folder is removed once the files are checked out.
void emitOp(RunBuilder &b, const plan::GitCheckout &op) {
  std::string git = shellAssign("GIT_TERMINAL_PROMPT", "0") + " " + shellJoin({"git", "-C", op.path});
  b.command(shellJoin({"git", "init", "--quiet", op.path}));
  b.command(git + " " + shellJoin({"remote", "add", "origin", op.url}));
  b.command(git + " " + shellJoin({"fetch", "--quiet", "--depth", "1", "origin", op.revision}));
  b.command(git + " " + shellJoin({"-c", "advice.detachedHead=false", "checkout", "--quiet",
                                   "FETCH_HEAD"}));
  if (op.lfs) {
    b.command(git + " " + shellJoin({"lfs", "install", "--local"}));
    b.command(git + " " + shellJoin({"lfs", "pull"}));
  }
  b.command(shellJoin({"rm", "-rf", op.path + "/.git"}));
}

void emitOp(RunBuilder &b, const plan::RunScript &op) {
  // A relative target resolves against the WORKDIR, where the script runs.
  // Mounts are read-write so that tools that write beside their sources
  // (make, npm) work; what they write there is discarded with the mount.
  for (const std::string &input : op.inputs) {
    if (op.copyInputs)
      b.addCopy(FileCopy{"", input, input});
    else
      b.bindContext(input, input, /*readWrite=*/true);
  }
  // A YAML block scalar ends in a line break; it is not an empty last line.
  llvm::StringRef script = llvm::StringRef(op.script).rtrim("\n");
  if (!script.contains('\n')) {
    script = script.trim();
    if (script.empty())
      b.command(shellJoin({"true"}));
    else if (isSimpleCommand(script))
      // User-authored shell by design: written as the user wrote it.
      b.command(script.str());
    else
      b.command(shellJoin(b.withScript(script)));
    return;
  }
  // Dockerfile continuation lines would join a multi-line script into one
  // line; keep its line breaks by handing it to the shell as one argument.
  llvm::SmallVector<llvm::StringRef, 16> lines;
  script.split(lines, '\n');
  b.printfLines(shellJoin(b.scriptShell()),
                std::vector<llvm::StringRef>(lines.begin(), lines.end()), {});
}

std::vector<StageRunContext> stageRunContexts(const plan::Plan &plan) {
  std::vector<StageRunContext> contexts;
  std::vector<bool> hasChild;
  for (const plan::Stage &stage : plan.stages) {
    StageRunContext context{stage.posixShell, stage.distro, stage.name};
    // Stages come after the stages they are built FROM. The first stage
    // built FROM one continues its family; a second one can build at the
    // same time as the first, so it starts a family of its own.
    if (stage.fromStage)
      for (size_t i = 0; i < contexts.size(); ++i)
        if (plan.stages[i].name == stage.from && !hasChild[i]) {
          context.family = contexts[i].family;
          hasChild[i] = true;
        }
    contexts.push_back(std::move(context));
    hasChild.push_back(false);
  }
  return contexts;
}

void appendRunOp(const plan::Op &op, const DialectRules &rules, RunInstruction &run,
                 const StageRunContext &stage) {
  assert(plan::isRunOp(op));
  RunBuilder builder(rules, run, stage);
  // One overload per operation type: a new type does not compile without one.
  std::visit([&builder](const auto &each) { emitOp(builder, each); }, op);
}

void appendWriteFile(const plan::WriteFile &file, RunInstruction &run) {
  llvm::StringRef content = file.content;
  bool finalNewline = content.endswith("\n");
  if (finalNewline)
    content = content.drop_back();
  llvm::SmallVector<llvm::StringRef, 16> lines;
  if (!content.empty() || finalNewline)
    content.split(lines, '\n');
  // printf repeats its format for each argument: '%s\n' writes every line
  // with its line break. A last line without one gets a format of its own.
  std::string format;
  if (!finalNewline && !lines.empty()) {
    for (size_t i = 0; i + 1 < lines.size(); ++i)
      format += "%s\\n";
    format += "%s";
  } else {
    format = "%s\\n";
  }
  llvm::StringRef dir = llvm::StringRef(file.path).rsplit('/').first;
  if (!dir.empty())
    run.commands.push_back({shellJoin({"mkdir", "-p", dir}), {}});
  ShellCommand write{shellJoin({"printf", lines.empty() ? "" : format}), {}};
  for (llvm::StringRef line : lines)
    write.args.push_back(shellQuote(line, QuoteMode::Always));
  write.args.push_back("> " + shellQuote(file.path));
  run.commands.push_back(std::move(write));
  run.commands.push_back({shellJoin({"chmod", file.mode, file.path}), {}});
}

bool canShareRun(const RunInstruction &run, const RunInstruction &next, const DialectRules &rules) {
  if (!rules.lockedCacheMountAlone)
    return true;
  RunInstruction merged = run;
  mergeRun(merged, next);
  unsigned caches = llvm::count_if(merged.mounts, isCacheMount);
  return caches <= 1 || llvm::none_of(merged.mounts, isLockedCacheMount);
}

void mergeRun(RunInstruction &run, RunInstruction next) {
  for (FileCopy &copy : next.copies)
    addCopy(run, std::move(copy));
  for (Mount &mount : next.mounts)
    addMount(run, std::move(mount));
  llvm::append_range(run.commands, std::move(next.commands));
}

std::vector<std::string> runLines(const RunInstruction &run) {
  std::vector<std::string> lines;
  // The first line follows `RUN `; only continuation lines are indented.
  auto add = [&lines](llvm::StringRef indent, llvm::StringRef text) {
    lines.push_back(lines.empty() ? text.str() : (indent + text).str());
  };
  for (const Mount &mount : run.mounts)
    add(Indent, mountFlag(mount));
  for (size_t i = 0; i < run.commands.size(); ++i) {
    const ShellCommand &cmd = run.commands[i];
    add(Indent, i == 0 ? cmd.head : "&& " + cmd.head);
    for (const std::string &arg : cmd.args)
      add(ArgIndent, arg);
  }
  return lines;
}

} // namespace imageplan::backends
