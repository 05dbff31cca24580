// leadscore — the native command line: score big files, check rule sets, explain a lead,
// evaluate JsonLogic. Same core as the page; no Emscripten here.
//
// Layout: options.{h,cpp} the grammar and help of every subcommand; inputs.{h,cpp} reading rule
// sets, leads and events; cmd_*.cpp the subcommands. Exit status: 0 ok, 1 invalid input or
// rules, 2 usage (docs/cli.md).
#include <iostream>

#include "commands.h"
#include "inputs.h"
#include "leadscore/rules.h"
#include "options.h"

#ifndef LEADSCORE_VERSION
#error "LEADSCORE_VERSION comes from project(... VERSION ...) in CMakeLists.txt"
#endif

using namespace leadscore;
using namespace leadscore::cli;

namespace {

int run_command(const Args& a) {
  const std::string name = a.cmd->name;
  if (name == "score") return cmd_score(a);
  if (name == "explain") return cmd_explain(a);
  if (name == "check") return cmd_check(a);
  if (name == "evaluate") return cmd_evaluate(a);
  if (name == "compare") return cmd_compare(a);
  if (name == "apply") return cmd_apply(a);
  if (name == "learn") return cmd_learn(a);
  if (name == "channels") return cmd_channels(a);
  if (name == "sql") return cmd_sql(a);
  std::cout << "leadscore " << LEADSCORE_VERSION << " (rule set format " << kRuleSetVersion << ")\n";
  return 0;
}

int run(int argc, char** argv, std::string& cmd_name) {
  if (argc < 2) throw Usage("no command given");
  const std::string first = argv[1];
  if (first == "--help" || first == "-h" || first == "help") {
    const Command* c = argc > 2 ? find_command(argv[2]) : nullptr;
    std::cout << (c ? command_help(*c) : main_help());
    return 0;
  }
  if (first == "--version" || first == "-V") return run_command(parse_args(*find_command("version"), 0, argv, 0));
  const Command* c = find_command(first);
  if (!c) {
    std::vector<std::string> names;
    for (const auto& x : commands()) names.push_back(x.name);
    std::string near = did_you_mean(first, names);
    throw Usage("unknown command '" + first + "'" + (near.empty() ? "" : "; did you mean '" + near + "'?"));
  }
  cmd_name = c->name;
  Args a = parse_args(*c, argc, argv, 2);
  if (a.help) {
    std::cout << command_help(*c);
    return 0;
  }
  check_inputs(a);
  return run_command(a);
}

}  // namespace

int main(int argc, char** argv) {
  std::string cmd_name;
  try {
    return run(argc, argv, cmd_name);
  } catch (const Usage& e) {
    std::cerr << "leadscore" << (cmd_name.empty() ? "" : " " + cmd_name) << ": " << e.what() << "\n"
              << "Try 'leadscore " << (cmd_name.empty() ? "" : cmd_name + " ") << "--help'.\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "leadscore: " << e.what() << "\n";
    return 1;
  }
}
