// The command line's grammar: which options each subcommand takes, how they are parsed, and
// the help text made from the same table (so help, parsing and the man page cannot drift apart).
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace leadscore::cli {

// A mistake in how the command was called: exit status 2, with a pointer to --help.
struct Usage : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  const char* name;  // without the dashes: "out"
  const char* arg;   // the value's placeholder ("F"), or nullptr for a flag
  const char* help;  // one line
};

struct Command {
  const char* name;
  const char* synopsis;  // after "leadscore NAME "
  const char* summary;   // one line for `leadscore --help`
  const char* about;     // a paragraph for `leadscore NAME --help`
  std::vector<OptionSpec> options;
  const char* example;
  bool positional = false;  // takes arguments that are not options (apply: LOGIC DATA)
};

struct Args {
  const Command* cmd = nullptr;
  std::map<std::string, std::string> opt;
  std::vector<std::string> pos;
  bool help = false;
  bool has(const std::string& k) const { return opt.count(k) > 0; }
  // The option's value; a usage error naming it when absent (a required option).
  std::string get(const std::string& k) const;
  std::string get_or(const std::string& k, const std::string& fallback) const;
};

const std::vector<Command>& commands();
const Command* find_command(const std::string& name);

// argv[first..argc) against cmd's options: --name VALUE, --name=VALUE, flags, -h/--help.
// Throws Usage for an unknown option (with the closest known one), a missing value, an option
// given twice, or an argument where none is taken.
Args parse_args(const Command& cmd, int argc, char** argv, int first);

// Checks that hold for every subcommand: at most one input is '-' (standard input).
void check_inputs(const Args& a);

std::string main_help();
std::string command_help(const Command& c);
extern const char* const kExitStatus;

}  // namespace leadscore::cli
