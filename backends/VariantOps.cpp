// A variant's installs as one `case` over its build argument (see
// RunBuilder.h): each value's commands are made by the emitters of their
// operations, their mounts join the RUN's, and any other value fails the
// build with the values there are. The only shell syntax added here is the
// fixed `case ... in`, `)`, `;;` and `esac`.
#include "backends/RunBuilder.h"

#include "backends/ShellQuote.h"

#include "llvm/ADT/StringExtras.h"

namespace imageplan::backends {
namespace {
// A branch's commands sit one level under its pattern, their arguments two.
constexpr llvm::StringLiteral BodyIndent = "    ";
constexpr llvm::StringLiteral ArgumentIndent = "        ";
} // namespace

void emitOp(RunBuilder &b, const plan::VariantSwitch &op) {
  ShellCommand choice{"case " + shellVariable(op.arg) + " in", {}};
  std::vector<std::string> names;
  for (const auto &[value, installs] : op.cases) {
    names.push_back(value);
    RunInstruction inner;
    for (const plan::VariantInstall &install : installs)
      appendRunOp(std::visit([](const auto &each) { return plan::Op(each); }, install), b.rules(),
                  inner, b.stageContext());
    for (const Mount &mount : inner.mounts)
      b.addMount(mount);
    for (const FileCopy &copy : inner.copies)
      b.addCopy(copy);
    choice.args.push_back(shellQuote(value) + ")");
    if (inner.commands.empty())
      choice.args.push_back((BodyIndent + "true").str());
    for (size_t i = 0; i < inner.commands.size(); ++i) {
      const ShellCommand &command = inner.commands[i];
      choice.args.push_back((BodyIndent + (i == 0 ? "" : "&& ") + command.head).str());
      for (const std::string &arg : command.args)
        choice.args.push_back((ArgumentIndent + arg).str());
    }
    choice.args.push_back((BodyIndent + ";;").str());
  }
  std::string message = op.arg + " must be one of " + llvm::join(names, ", ");
  choice.args.push_back("*) " + shellJoin({"echo", message}) + " >&2 && exit 1 ;;");
  choice.args.push_back("esac");
  b.push(std::move(choice));
}

} // namespace imageplan::backends
