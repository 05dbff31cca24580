// Reading what the commands take: rule sets, leads, events (files or standard input), with the
// load flags (--delimiter, --date-order), and a scorer that skips rules reading missing columns.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "leadscore/diagnostics.h"
#include "leadscore/rules.h"
#include "leadscore/scorer.h"
#include "leadscore/table.h"
#include "options.h"

namespace leadscore::cli {

// How a path shows in messages: "<stdin>" for -.
std::string shown(const std::string& path);
// The text of a file, or of standard input for - (read once, whichever option names it).
std::string read_input(const std::string& path);
// A command-line argument: JSON text as is, @file from a file, - from standard input.
std::string read_arg(const std::string& a);

// ":line:column" (or ":line", or nothing) after a file name, as compilers print places.
std::string where(size_t line, size_t column);
void print_diagnostics(const Diagnostics& d, const std::string& file);

// --delimiter and --date-order applied to load options (usage errors for invalid values).
void apply_load_flags(const Args& a, LoadOptions& o, bool leads);

RuleSet load_rules(const std::string& path, Diagnostics* warnings);
std::shared_ptr<Table> load_leads(const Args& a, const std::string& path, const RuleSet& rs);
// --as-of and --events: set on the scorer before the rules (docs/rules.md, "Events").
void attach_events(const Args& a, Scorer& s, const std::shared_ptr<Table>& table);

// Sets rs on s. A rule whose condition (or per-unit field) reads a column the leads lack is
// disabled with a warning naming rule and field, and the rest scored — unless --strict, or the
// rule set has other errors: then the diagnostics are printed and runtime_error(failure) thrown.
void set_rules_or_skip(const Args& a, Scorer& s, RuleSet rs, const std::string& rules_path, Diagnostics* warnings,
                       const std::string& failure);

// Rule set + leads + events + rules, for score, explain, evaluate and compare.
Scorer make_scorer(const Args& a, Diagnostics* warnings);

// Shortest text that reads back as the same double (like JS), "" when missing.
std::string num(double d);
std::string signed_num(double d);

}  // namespace leadscore::cli
