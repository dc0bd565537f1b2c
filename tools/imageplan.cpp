// The imageplan command-line driver: parses options with LLVM's cl:: library
// and hands each subcommand to its function in its *Command.cpp.
#include "tools/Compile.h"
#include "tools/DiffCommand.h"
#include "tools/ExplainCommand.h"
#include "tools/GenCommand.h"
#include "tools/InitCommand.h"
#include "tools/LockCommand.h"
#include "tools/ScoreCommand.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

#include <exception>
#include <string>
#include <vector>

#ifndef IMAGEPLAN_VERSION
#error "IMAGEPLAN_VERSION must be defined by the build (tools/CMakeLists.txt)"
#endif

namespace cl = llvm::cl;
using namespace imageplan::driver;

namespace {

cl::OptionCategory category("imageplan options");

cl::SubCommand genCommand("gen", "Generate a Dockerfile (and more) from a spec");
cl::SubCommand checkCommand("check", "Parse, check and plan a spec; print only diagnostics");
cl::SubCommand explainCommand("explain", "Explain every stage and layer of the plan: contents, "
                                         "inputs, change rates, costs and order");
cl::SubCommand initCommand("init", "Write a commented starter spec for a project folder");
cl::SubCommand graphCommand("graph", "Print the dependency graph and stage assignment as "
                                     "Graphviz DOT");
cl::SubCommand scoreCommand("score", "Replay git history: how often each layer would be "
                                     "rebuilt, generated Dockerfile vs an existing one");
cl::SubCommand diffCommand("diff", "What a spec change does to the plan and to the build "
                                   "cache");
cl::SubCommand lockCommand("lock", "Write imageplan.lock: the digest of every image and the "
                                   "commit of every model revision the spec uses");
cl::SubCommand tuneCommand("tune", "Write the change rates measured from git history into "
                                   "imageplan.lock, for gen to order by");

cl::opt<bool> verbose("verbose", cl::desc("Trace each phase on stderr"),
                      cl::sub(*cl::AllSubCommands), cl::cat(category));
cl::alias verboseShort("v", cl::desc("Alias for --verbose"), cl::aliasopt(verbose));

// gen
cl::opt<std::string> genSpec(cl::Positional, cl::desc("<spec | dir>"), cl::sub(genCommand),
                             cl::cat(category));
cl::list<std::string> genEmit("emit", cl::value_desc("backend"),
                              cl::desc("Backend to emit (repeatable; default dockerfile)"),
                              cl::sub(genCommand), cl::cat(category));
cl::opt<std::string> genOutput("o", cl::value_desc("file"),
                               cl::desc("Write the output to <file> ('-' for stdout)"),
                               cl::sub(genCommand), cl::cat(category));
cl::opt<std::string> genOutputDir("output-dir", cl::value_desc("dir"),
                                  cl::desc("Write each backend to <dir>/<its file name>"),
                                  cl::sub(genCommand), cl::cat(category));
cl::opt<bool> genWriteIfChanged("write-if-changed",
                                cl::desc("Leave files whose contents are unchanged untouched"),
                                cl::sub(genCommand), cl::cat(category));
cl::opt<std::string> genDepfile("depfile", cl::value_desc("file"),
                                cl::desc("Write a Makefile-style depfile of the files read"),
                                cl::sub(genCommand), cl::cat(category));
cl::opt<std::string> genCheck("check", cl::value_desc("file"),
                              cl::desc("Write nothing; fail with a diff if <file> differs "
                                       "from what would be generated"),
                              cl::sub(genCommand), cl::cat(category));
cl::opt<bool> genListBackends("list-backends",
                              cl::desc("Print every backend --emit takes and the file "
                                       "--output-dir writes it to"),
                              cl::sub(genCommand), cl::cat(category));
cl::opt<std::string> genBaseImage("base-image", cl::value_desc("image"),
                                  cl::desc("Use <image> as the base of every stage"),
                                  cl::sub(genCommand), cl::cat(category));
cl::opt<std::string> genCacheRef("cache-ref", cl::value_desc("repository"),
                                 cl::desc("Keep the registry build cache of bake and ci in "
                                          "<repository> (overrides the spec's cache.ref)"),
                                 cl::sub(genCommand), cl::cat(category));

// check
cl::opt<std::string> checkSpecPath(cl::Positional, cl::desc("<spec>"),
                               cl::sub(checkCommand), cl::cat(category));

// explain and graph
cl::opt<std::string> reportSpec(cl::Positional, cl::desc("<spec>"),
                                cl::sub(explainCommand), cl::sub(graphCommand),
                                cl::cat(category));
cl::opt<std::string> explainFormat("format", cl::value_desc("text|json"), cl::init("text"),
                                   cl::desc("Output format of explain (default text)"),
                                   cl::sub(explainCommand), cl::cat(category));
cl::opt<std::string> reportBaseImage("base-image", cl::value_desc("image"),
                                     cl::desc("Use <image> as the base of every stage"),
                                     cl::sub(explainCommand), cl::sub(graphCommand),
                                     cl::cat(category));

// init
cl::opt<std::string> initDir(cl::Positional, cl::init("."), cl::desc("[dir]"),
                             cl::sub(initCommand), cl::cat(category));
cl::opt<bool> initForce("force", cl::desc("Overwrite an existing imageplan.yaml"),
                        cl::sub(initCommand), cl::cat(category));

// score
cl::opt<std::string> scoreSpec(cl::Positional, cl::desc("<spec>"),
                               cl::sub(scoreCommand), cl::cat(category));
cl::opt<std::string> scoreDockerfile("dockerfile", cl::value_desc("file"),
                                     cl::desc("Score this existing Dockerfile beside the "
                                              "generated one"),
                                     cl::sub(scoreCommand), cl::cat(category));
cl::opt<unsigned> scoreHistory("history", cl::init(500), cl::value_desc("commits"),
                               cl::desc("Replay the last N commits (default 500)"),
                               cl::sub(scoreCommand), cl::cat(category));
cl::opt<std::string> scoreContext("context", cl::value_desc("dir"),
                                  cl::desc("Build context directory (default: the spec's "
                                           "folder)"),
                                  cl::sub(scoreCommand), cl::cat(category));
cl::opt<std::string> scoreFormat("format", cl::value_desc("text|json"), cl::init("text"),
                                 cl::desc("Output format (default text)"), cl::sub(scoreCommand),
                                 cl::cat(category));

cl::opt<std::string> scoreMaxFileSize("max-file-size", cl::value_desc("size"),
                                      cl::desc("Largest Dockerfile or .dockerignore to read, "
                                               "in bytes or with K, M or G (default 32M)"),
                                      cl::sub(scoreCommand), cl::cat(category));

// diff
cl::list<std::string> diffSpecs(cl::Positional, cl::OneOrMore,
                                cl::desc("<old spec> <new spec> | --git <rev> <spec>"),
                                cl::sub(diffCommand), cl::cat(category));
cl::opt<std::string> diffGit("git", cl::value_desc("rev"),
                             cl::desc("Compare the spec with its version at git revision <rev>"),
                             cl::sub(diffCommand), cl::cat(category));
cl::opt<std::string> diffFormat("format", cl::value_desc("text|markdown"), cl::init("text"),
                                cl::desc("Output format (default text; markdown for a review "
                                         "comment)"),
                                cl::sub(diffCommand), cl::cat(category));

// lock and tune
cl::opt<std::string> lockSpec(cl::Positional, cl::init("imageplan.yaml"), cl::desc("[spec]"),
                              cl::sub(lockCommand), cl::sub(tuneCommand), cl::cat(category));
cl::opt<std::string> lockOutput("o", cl::value_desc("file"),
                                cl::desc("Write the lock to <file> (default: imageplan.lock "
                                         "beside the spec)"),
                                cl::sub(lockCommand), cl::sub(tuneCommand), cl::cat(category));
cl::list<std::string> lockPins("pin", cl::value_desc("image=sha256:...|id@revision=commit"),
                               cl::desc("Pin an image or a model revision yourself (repeatable); "
                                        "kept when the lock is rewritten"),
                               cl::sub(lockCommand), cl::cat(category));
cl::opt<std::string> lockResolver("resolver", cl::value_desc("name"), cl::init("auto"),
                                  cl::desc("How image digests are found: auto (default), skopeo, "
                                           "imagetools, registry (HTTP API with curl) or none"),
                                  cl::sub(lockCommand), cl::cat(category));
cl::opt<std::string> lockHubEndpoint("hub-endpoint", cl::value_desc("url"),
                                     cl::desc("The model hub (default $HF_ENDPOINT, else "
                                              "https://huggingface.co)"),
                                     cl::sub(lockCommand), cl::cat(category));
cl::opt<std::string> lockHubToken("hub-token-file", cl::value_desc("file"),
                                  cl::desc("A file holding the hub token (default $HF_TOKEN)"),
                                  cl::sub(lockCommand), cl::cat(category));
cl::opt<std::string> lockTolerance("tolerance", cl::value_desc("rate"),
                                   cl::desc("How far a re-measured rate may drift before gen "
                                            "--check calls it stale (default 0.05)"),
                                   cl::sub(lockCommand), cl::sub(tuneCommand), cl::cat(category));

// gen, check, explain, graph
cl::opt<std::string> lockFile("lock", cl::value_desc("file"),
                              cl::desc("The lock to plan with (default: imageplan.lock beside "
                                       "the spec, when there is one)"),
                              cl::sub(genCommand), cl::sub(checkCommand), cl::sub(explainCommand),
                              cl::sub(graphCommand), cl::cat(category));
cl::opt<bool> noLock("no-lock", cl::desc("Plan as if there were no lock"), cl::sub(genCommand),
                     cl::sub(checkCommand), cl::sub(explainCommand), cl::sub(graphCommand),
                     cl::cat(category));

// Shared by the subcommands that compile a spec.
cl::opt<std::string> history("history", cl::ValueOptional, cl::value_desc("commits"),
                             cl::desc("Measure change rates from the last N commits of the "
                                      "repository (default 500)"),
                             cl::sub(genCommand), cl::sub(checkCommand), cl::sub(explainCommand),
                             cl::sub(graphCommand), cl::sub(lockCommand), cl::sub(tuneCommand),
                             cl::cat(category));
cl::opt<std::string> dialect("dialect", cl::value_desc("name"),
                             cl::desc("What the output may use: buildkit (default), docker20, "
                                      "buildah or legacy"),
                             cl::sub(genCommand), cl::sub(checkCommand), cl::sub(explainCommand),
                             cl::sub(graphCommand), cl::cat(category));
cl::opt<std::string> contextDir("context", cl::value_desc("dir"),
                                cl::desc("Build context directory (default: the spec's folder)"),
                                cl::sub(genCommand), cl::sub(checkCommand),
                                cl::sub(explainCommand), cl::sub(graphCommand),
                                cl::sub(lockCommand), cl::sub(tuneCommand), cl::cat(category));

/// spdlog goes to stderr only, and says nothing unless --verbose.
void setUpTracing() {
  auto logger = spdlog::stderr_logger_mt("imageplan");
  logger->set_pattern("imageplan: %l: %v");
  logger->set_level(verbose ? spdlog::level::debug : spdlog::level::off);
  spdlog::set_default_logger(logger);
}

/// --history[=N]: std::nullopt when absent, 500 when given without a value;
/// false after reporting a value that is not a positive number.
bool historyCommits(std::optional<unsigned> &commits) {
  if (history.getNumOccurrences() == 0)
    return true;
  if (history.empty()) {
    commits = 500;
    return true;
  }
  unsigned value = 0;
  if (llvm::StringRef(history).getAsInteger(10, value) || value == 0) {
    llvm::errs() << "error: --history takes a number of commits, not '" << history << "'\n";
    return false;
  }
  commits = value;
  return true;
}

/// The short usage error of a subcommand run without its spec.
int missingSpec(llvm::StringRef command) {
  llvm::errs() << "error: " << command << " needs a spec: imageplan " << command
               << " SPEC (see imageplan " << command << " --help)\n";
  return 1;
}

/// The options every compiling subcommand shares; a folder names its imageplan.yaml.
CompileOptions compileOptions(llvm::StringRef spec, llvm::StringRef baseImage) {
  CompileOptions options;
  options.specPath = specPathFor(spec);
  options.contextDir = contextDir;
  options.baseImage = baseImage.str();
  options.dialect = dialect;
  options.lockPath = lockFile;
  options.noLock = noLock;
  return options;
}

/// lock and tune: tune always measures (500 commits unless --history or the
/// spec's `history:` says otherwise); lock only with --history.
int runLockCommand() {
  LockOptions options;
  options.compile = compileOptions(lockSpec, "");
  options.outputFile = lockOutput;
  options.pins.assign(lockPins.begin(), lockPins.end());
  options.resolver = lockResolver;
  options.hubEndpoint = lockHubEndpoint;
  options.hubTokenFile = lockHubToken;
  options.ratesOnly = static_cast<bool>(tuneCommand);
  if (!historyCommits(options.history))
    return 1;
  if (tuneCommand && !options.history)
    options.history = 0; // the spec's `history:`, else 500 (LockCommand.cpp)
  if (!lockTolerance.empty()) {
    double value = 0;
    if (llvm::StringRef(lockTolerance).getAsDouble(value) || value < 0 || value > 1) {
      llvm::errs() << "error: --tolerance takes a rate between 0 and 1, not '" << lockTolerance
                   << "'\n";
      return 1;
    }
    options.tolerance = value;
  }
  return runLock(options, llvm::errs());
}

int runGenCommand() {
  GenOptions options;
  options.compile = compileOptions(genSpec, genBaseImage);
  options.compile.cacheRef = genCacheRef;
  options.emit.assign(genEmit.begin(), genEmit.end());
  options.outputFile = genOutput;
  options.outputDir = genOutputDir;
  options.writeIfChanged = genWriteIfChanged;
  options.depfile = genDepfile;
  options.checkFile = genCheck;
  options.listBackends = genListBackends;
  if (!historyCommits(options.compile.history))
    return 1;
  return runGen(options, llvm::outs(), llvm::errs());
}

int runDiffCommand() {
  size_t wanted = diffGit.empty() ? 2 : 1;
  if (diffSpecs.size() != wanted) {
    llvm::errs() << "error: diff takes two specs (OLD NEW), or one spec with --git REV\n";
    return 1;
  }
  DiffOptions options;
  options.oldSpec = diffGit.empty() ? specPathFor(diffSpecs[0]) : "";
  options.newSpec = specPathFor(diffSpecs[diffSpecs.size() - 1]);
  options.gitRevision = diffGit;
  options.format = diffFormat;
  return runDiff(options, llvm::outs(), llvm::errs());
}

int runSubcommand() {
  if (lockCommand || tuneCommand)
    return runLockCommand();
  if (genCommand)
    return runGenCommand();
  if (checkCommand) {
    if (checkSpecPath.empty())
      return missingSpec("check");
    CompileOptions options = compileOptions(checkSpecPath, "");
    if (!historyCommits(options.history))
      return 1;
    return runCheck(options, llvm::errs());
  }
  if (initCommand)
    return runInit({initDir, initForce}, llvm::outs(), llvm::errs());
  if (scoreCommand) {
    if (scoreSpec.empty())
      return missingSpec("score");
    return runScore({specPathFor(scoreSpec), scoreContext, scoreDockerfile, scoreHistory,
                     scoreFormat, scoreMaxFileSize},
                    llvm::outs(), llvm::errs());
  }
  if (diffCommand)
    return runDiffCommand();
  if (explainCommand || graphCommand) {
    if (reportSpec.empty())
      return missingSpec(explainCommand ? "explain" : "graph");
    ExplainOptions options{compileOptions(reportSpec, reportBaseImage), explainFormat};
    if (!historyCommits(options.compile.history))
      return 1;
    return explainCommand ? runExplain(options, llvm::outs(), llvm::errs())
                          : runGraph(options, llvm::outs(), llvm::errs());
  }
  llvm::errs() << "error: no subcommand given; use 'imageplan gen' or 'imageplan check' "
                  "(see --help)\n";
  return 1;
}

/// The command line with `--history N` written as `--history=N`: --history's
/// value is optional for the commands that compile a spec, so the option
/// parser would take a separate number for a second positional argument;
/// score's --history always has a value, and reads both forms anyway.
std::vector<const char *> joinHistoryValues(int argc, char **argv,
                                            std::vector<std::string> &joined) {
  joined.reserve(argc);
  std::vector<const char *> args;
  for (int i = 0; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    bool history = (arg == "--history" || arg == "-history") && i + 1 < argc;
    llvm::StringRef next = history ? llvm::StringRef(argv[i + 1]) : "";
    if (history && !next.empty() && llvm::all_of(next, llvm::isDigit)) {
      joined.push_back(("--history=" + next).str());
      args.push_back(joined.back().c_str());
      ++i;
      continue;
    }
    args.push_back(argv[i]);
  }
  return args;
}

int run(int argc, char **argv) {
  cl::SetVersionPrinter(
      [](llvm::raw_ostream &os) { os << "imageplan " << IMAGEPLAN_VERSION << "\n"; });
  for (cl::SubCommand *sub :
       {&*cl::TopLevelSubCommand, &genCommand, &checkCommand, &explainCommand, &graphCommand,
        &initCommand, &scoreCommand, &diffCommand, &lockCommand, &tuneCommand})
    cl::HideUnrelatedOptions(category, *sub);
  std::vector<std::string> joined;
  std::vector<const char *> args = joinHistoryValues(argc, argv, joined);
  if (!cl::ParseCommandLineOptions(static_cast<int>(args.size()), args.data(),
                                   "imageplan: YAML image spec -> Dockerfile\n", &llvm::errs()))
    return 1;
  setUpTracing();
  return runSubcommand();
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  // Defensive only: library code reports errors as values, never by throwing.
  try {
    return run(argc, argv);
  } catch (const std::exception &e) {
    llvm::errs() << "error: internal: " << e.what() << "\n";
  } catch (...) {
    llvm::errs() << "error: internal: unknown exception\n";
  }
  return 1;
}
