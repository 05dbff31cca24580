#include "options.h"

#include <algorithm>
#include <sstream>

#include "leadscore/diagnostics.h"

namespace leadscore::cli {

const char* const kExitStatus =
    "exit status: 0 ok (also when rules were skipped for a missing column, with a warning),\n"
    "             1 invalid input or rules (or a missing column under --strict), 2 usage";

namespace {

using Opts = std::vector<OptionSpec>;

Opts join(std::initializer_list<Opts> parts) {
  Opts all;
  for (const auto& p : parts) all.insert(all.end(), p.begin(), p.end());
  return all;
}

const Opts kRulesOpt = {{"rules", "R", "the rule set (JSON; docs/rules.md); - reads standard input"}};
const Opts kLeadsOpts = {
    {"leads", "L", "the leads: CSV/TSV, a JSON array of objects or NDJSON; - reads standard input"},
    {"delimiter", "C", "the leads' CSV delimiter, one character (\\t or tab for a tab); default: detected"},
    {"date-order", "ORDER", "DMY, MDY or auto: how to read 03/04/2024 in leads and events (auto: MDY, noted)"},
    {"decimal", "SEP", "the decimal separator of formatted numbers (1.234,5): . or , (default: detected, noted)"},
};
const Opts kStrictOpt = {
    {"strict", nullptr, "a rule reading a column the leads lack is an error (exit 1) instead of skipped"}};
const Opts kEventOpts = {
    {"events", "E", "activity events (CSV/TSV/JSON/NDJSON: lead id, type, timestamp); - reads stdin"},
    {"as-of", "D", "the day time computations are against, YYYY-MM-DD (needed by event rules)"},
    {"event-lead-id", "COL", "the events' lead id column (default: lead_id, email or id)"},
    {"event-type", "COL", "the events' type column (default: type or event)"},
    {"event-time", "COL", "the events' timestamp column (default: timestamp, date or time)"},
    {"lead-key", "COL", "the leads' id column the events join on"},
};
const Opts kOutcomeOpts = {
    {"outcome", "COL", "known outcomes in a column of the leads (yes/no, 1/0, true/false, won/lost)"},
    {"outcomes", "F", "or a second file of converted leads (e.g. closed deals); - reads standard input"},
    {"lead-id", "COL", "with --outcomes: the leads' id column"},
    {"outcome-id", "COL", "with --outcomes: the id column of F (default: the --lead-id name)"},
    {"capacity", "C", "how many leads sales can take: a count (500) or a share (10%)"},
};
const Opts kTextJson = {{"format", "FMT", "text (default) or json"}};

std::vector<Command> make_commands() {
  return {
      {"score", "--rules R --leads L [options]", "score every lead and write the scored leads",
       "Writes every lead with its score, group scores, tier, next-step action, matrix cell,\n"
       "sales-ready flag and the reasons (rules that fired, with points). Text cells that a\n"
       "spreadsheet would run as a formula (=, +, -, @, tab, CR) are prefixed with an apostrophe.\n"
       "Tier counts and timings go to standard error.",
       join({kRulesOpt,
             kLeadsOpts,
             kEventOpts,
             {{"format", "FMT", "csv (default), json or ndjson"},
              {"out", "F", "write to F instead of standard output (- is standard output)"},
              {"no-reasons", nullptr, "leave out the reasons column"},
              {"keep", "COLS", "CSV: only these input columns (names or headers, comma-separated)"},
              {"add", "LIST", "CSV: these added columns: score,groups,tier,action,sales_ready,cell,reasons"},
              {"rename", "MAP", "CSV: header names for the CRM import: 'score=Lead Score,tier=Lead Tier'"}},
             kStrictOpt}),
       "leadscore score --rules samples/b2b-rules.json --leads samples/b2b-leads.csv --out scored.csv\n"
       "  cat leads.csv | leadscore score --rules rules.json --leads - --format ndjson"},
      {"explain", "--rules R --leads L --lead N|top [options]", "show how one lead's score adds up",
       "Prints one lead's values and its ledger: every rule that fired, by group, with points,\n"
       "clipping and event details. For a rule set written by leadscore learn --out, also the\n"
       "probability of converting its points stand for and the top factors (docs/learn.md).",
       join({kRulesOpt,
             kLeadsOpts,
             kEventOpts,
             {{"lead", "N", "the lead's number (1 = the first data row), or top for the highest score"}},
             kTextJson,
             kStrictOpt}),
       "leadscore explain --rules samples/b2b-rules.json --leads samples/b2b-leads.csv --lead top"},
      {"check", "--rules R [--leads L [options]] [--json]", "validate a rule set, optionally against leads",
       "Validates the rule set; with --leads, also compiles every rule against the leads' columns\n"
       "and counts how many leads each fires on. A rule reading a column the leads lack is an\n"
       "error here (check is the strict view of what score would skip).",
       join({kRulesOpt,
             kLeadsOpts,
             kEventOpts,
             {{"format", "FMT", "text (default) or json"}, {"json", nullptr, "the same as --format json"}}}),
       "leadscore check --rules samples/bank-rules.json --leads bank-full.csv --json"},
      {"evaluate", "--rules R --leads L (--outcome COL | --outcomes F --lead-id COL) [options]",
       "measure the rules against known outcomes",
       "Compares the scores with known outcomes: AUC, lift and conversion by tier, the rules'\n"
       "precision, and columns that predict better than the rules (docs/metrics.md).",
       join({kRulesOpt, kLeadsOpts, kEventOpts, kOutcomeOpts, kTextJson, kStrictOpt}),
       "leadscore evaluate --rules samples/bank-rules.json --leads bank-full.csv --outcome y"},
      {"compare", "--rules R --rules-b R2 --leads L [options]", "compare two rule sets on the same leads",
       "Scores the leads under rule sets A and B: tier migration, movers and, with outcomes, both\n"
       "evaluations. --from and --to list the leads of one migration cell.",
       join({kRulesOpt,
             {{"rules-b", "R2", "the second rule set (B)"}},
             kLeadsOpts,
             kEventOpts,
             kOutcomeOpts,
             {{"movers", "N", "how many top movers to list (default 20)"},
              {"from", "T", "with --to: list the leads in tier (or cell) T under A ..."},
              {"to", "T2", "... and T2 under B"},
              {"kind", "K", "tier (default) or cell: what --from and --to name"}},
             kTextJson,
             kStrictOpt}),
       "leadscore compare --rules a.json --rules-b b.json --leads leads.csv --outcome won"},
      {"sql", "--rules R --dialect D [options]", "write the rule set as one SQL query",
       "Writes one query that scores a table of leads where it lives (DuckDB, PostgreSQL,\n"
       "BigQuery, Snowflake, Spark): every lead column plus points_<rule>, score_<group>, score\n"
       "and tier. Conditions are typed like the engine types the columns: --data (and --events)\n"
       "give a sample file to take the types from; otherwise the rule set's declared fields. What\n"
       "has no faithful translation is an error naming the rule (docs/sql.md).",
       join({kRulesOpt,
             {{"dialect", "D", "duckdb, postgres, bigquery, snowflake or spark"},
              {"leads-table", "T", "the leads' table (default leads; may be qualified: db.schema.leads)"},
              {"events-table", "E", "the events' table (default events)"},
              {"data", "F", "a leads file to take the columns' types from (as score would load it)"},
              {"events", "F", "an events file to take the events' columns from"},
              {"as-of", "D", "the day ages are counted to, YYYY-MM-DD (needed by event rules)"},
              {"event-lead-id", "COL", "the events' lead id column (default: lead_id, email or id)"},
              {"event-type", "COL", "the events' type column (default: type or event)"},
              {"event-time", "COL", "the events' timestamp column (default: timestamp, date or time)"},
              {"lead-key", "COL", "the leads' id column the events join on"},
              {"delimiter", "C", "the --data file's CSV delimiter (default: detected)"},
              {"date-order", "ORDER", "DMY, MDY or auto: how to read 03/04/2024 in --data and --events"},
              {"prefix", "P", "before every output column (P + score, tier, score_<group>, points_<rule>)"},
              {"out", "F", "write to F instead of standard output"}}}),
       "leadscore sql --rules samples/bank-rules.json --dialect duckdb --data bank-full.csv"},
      {"apply",
       "LOGIC DATA",
       "evaluate a JsonLogic expression",
       "Evaluates LOGIC against DATA and prints the result as JSON. Each is JSON text, or @file\n"
       "to read it from a file, or - for standard input.",
       {},
       "leadscore apply '{\"in\": [\"VP\", {\"var\": \"title\"}]}' '{\"title\": \"VP Sales\"}'",
       true},
      // learn and channels (issue 23; docs/learn.md)
      {"learn", "--leads L (--outcome COL | --outcomes F --lead-id COL) [--rules R] [options]",
       "learn a scorecard (points) from known outcomes",
       "Learns points from known outcomes: candidate features from the columns (text values,\n"
       "numbers cut at quantiles, missing as its own level) and, with --rules, the rules'\n"
       "conditions; L2 logistic regression with cross-validation (or naive Bayes); a held-out\n"
       "check; points on a PDO scale (600 at odds 1:19, 50 to double) or 0-100, rounded. Columns\n"
       "known only after the outcome or separating it almost perfectly are left out, with the\n"
       "reason. Writes the learned rule set with --out (docs/learn.md).",
       join({kLeadsOpts,
             {{"rules", "R", "the current rule set: its conditions become candidate features, its tiers' shares kept"}},
             kOutcomeOpts,
             {{"model", "M", "logistic (default) or naive-bayes"},
              {"scale", "S", "pdo (default) or 0-100"},
              {"base-score", "N", "pdo scale: points at the base odds (default 600)"},
              {"base-odds", "O", "pdo scale: odds of converting at the base score (default 1:19)"},
              {"pdo", "N", "pdo scale: points to double the odds (default 50)"},
              {"c", "C", "logistic: a fixed inverse regularisation C (default: picked by cross-validation)"},
              {"folds", "K", "cross-validation folds (default 5)"},
              {"seed", "N", "seed of the train/test split and folds (default 42)"},
              {"test-share", "S", "held-out share of the leads with outcomes (default 0.25)"},
              {"bins", "N", "quantile bins per number column (default 5)"},
              {"monotone", nullptr, "merge adjacent bins until conversion is monotone"},
              {"columns", "A,B", "only these columns as candidates"},
              {"exclude", "A,B", "never these columns"},
              {"keep", "A,B", "use these columns even when flagged as leakage"},
              {"no-rules", nullptr, "with --rules: do not use its conditions as features"},
              {"min-leads", "N", "refuse with fewer leads with outcomes (default 1000)"},
              {"min-positives", "N", "refuse with fewer conversions (default 120)"},
              {"out", "F", "write the learned rule set (JSON) to F"},
              {"exact", nullptr, "with --out: exact points instead of rounded"},
              {"dump-design", "F", "write the design matrix (CSV: split, y, p, points, 0/1 columns) to F"},
              {"probabilities", "F", "write every lead's probability, points and split (CSV) to F"},
              {"lead", "N", "also show lead N's probability and top factors"},
              {"json", nullptr, "the same as --format json"}},
             kTextJson}),
       "leadscore learn --leads bank-full.csv --outcome y --out learned.json"},
      {"channels", "--rules R --leads L --by COL [--outcome COL] [options]",
       "score and conversion by lead source, campaign, ...",
       "Groups the leads by a column (lead source, campaign, UTM medium): leads, score\n"
       "distribution (mean, quartiles, histogram, tiers) and, with outcomes, conversion and lift.",
       join({kRulesOpt,
             kLeadsOpts,
             kEventOpts,
             kOutcomeOpts,
             {{"by", "COL", "the column to group by"},
              {"values", "N", "the most frequent N values, the rest as (other) (default 20)"},
              {"json", nullptr, "the same as --format json"}},
             kTextJson,
             kStrictOpt}),
       "leadscore channels --rules samples/bank-rules.json --leads bank-full.csv --by contact --outcome y"},
      {"version",
       "",
       "print the version",
       "Prints the version and the rule set format version.",
       {},
       "leadscore version"},
  };
}

const OptionSpec* find_option(const Command& c, const std::string& name) {
  for (const auto& o : c.options)
    if (name == o.name) return &o;
  return nullptr;
}

std::string unknown_option(const Command& c, const std::string& name) {
  std::vector<std::string> names;
  for (const auto& o : c.options) names.push_back(o.name);
  names.push_back("help");
  std::string msg = "unknown option '--" + name + "' for " + c.name;
  if (std::string near = did_you_mean(name, names); !near.empty()) return msg + "; did you mean '--" + near + "'?";
  for (const auto& other : commands())
    if (find_option(other, name)) return msg + " (--" + name + " is an option of " + other.name + ")";
  return msg;
}

bool looks_like_option(const std::string& s) { return s.size() > 2 && s.compare(0, 2, "--") == 0; }

}  // namespace

const std::vector<Command>& commands() {
  static const std::vector<Command> all = make_commands();
  return all;
}

const Command* find_command(const std::string& name) {
  for (const auto& c : commands())
    if (name == c.name) return &c;
  return nullptr;
}

std::string Args::get(const std::string& k) const {
  auto it = opt.find(k);
  if (it == opt.end()) throw Usage(std::string(cmd ? cmd->name : "leadscore") + " needs --" + k);
  return it->second;
}

std::string Args::get_or(const std::string& k, const std::string& fallback) const {
  auto it = opt.find(k);
  return it == opt.end() ? fallback : it->second;
}

Args parse_args(const Command& cmd, int argc, char** argv, int first) {
  Args a;
  a.cmd = &cmd;
  for (int i = first; i < argc; ++i) {
    const std::string s = argv[i];
    if (s == "-h" || s == "--help") {
      a.help = true;
    } else if (looks_like_option(s)) {
      std::string name = s.substr(2), value;
      const auto eq = name.find('=');
      if (eq != std::string::npos) value = name.substr(eq + 1), name = name.substr(0, eq);
      const OptionSpec* o = find_option(cmd, name);
      if (!o) throw Usage(unknown_option(cmd, name));
      if (a.has(name)) throw Usage("--" + name + " is given twice");
      if (!o->arg) {
        if (eq != std::string::npos) throw Usage("--" + name + " takes no value");
        value = "1";
      } else if (eq == std::string::npos) {
        if (i + 1 >= argc || looks_like_option(argv[i + 1]))
          throw Usage("--" + name + " needs a value (--" + name + " " + o->arg + ")");
        value = argv[++i];
      }
      a.opt[name] = value;
    } else if (cmd.positional) {
      a.pos.push_back(s);
    } else if (s.size() > 1 && s[0] == '-') {
      throw Usage(unknown_option(cmd, s.substr(s.find_first_not_of('-'))));
    } else {
      throw Usage(std::string(cmd.name) + " takes no argument '" + s + "' (options start with --)");
    }
  }
  return a;
}

void check_inputs(const Args& a) {
  std::vector<std::string> dashes;
  for (const char* k : {"rules", "rules-b", "leads", "events", "outcomes"})
    if (a.get_or(k, "") == "-") dashes.push_back(std::string("--") + k);
  if (dashes.size() > 1)
    throw Usage("only one input can be - (standard input), but " + dashes[0] + " and " + dashes[1] + " both are");
}

std::string main_help() {
  std::ostringstream h;
  h << "leadscore — explainable lead scoring (native CLI)\n\n"
       "usage: leadscore COMMAND [options]\n"
       "       leadscore COMMAND --help     the command's options and an example\n"
       "       leadscore --version\n\ncommands:\n";
  for (const auto& c : commands()) {
    std::string n = c.name;
    h << "  " << n << std::string(10 - n.size(), ' ') << c.summary << "\n";
  }
  h << "\nAn input named - is read from standard input (at most one per command); output goes to\n"
       "standard output unless --out is given. Messages and warnings go to standard error.\n"
       "Docs: docs/cli.md, man leadscore.\n\n"
    << kExitStatus << "\n";
  return h.str();
}

std::string command_help(const Command& c) {
  std::ostringstream h;
  h << "usage: leadscore " << c.name << (*c.synopsis ? " " : "") << c.synopsis << "\n\n" << c.about << "\n\n";
  h << "options:\n";
  for (const auto& o : c.options) {
    std::string left = std::string("--") + o.name + (o.arg ? std::string(" ") + o.arg : "");
    h << "  " << left << std::string(left.size() < 22 ? 22 - left.size() : 1, ' ') << o.help << "\n";
  }
  h << "  -h, --help            this help\n\nexample:\n  " << c.example << "\n\n" << kExitStatus << "\n";
  return h.str();
}

}  // namespace leadscore::cli
