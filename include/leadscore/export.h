// Scored leads as CSV: every column of the table, then score, score_<group>, tier, action,
// sales_ready, (cell, cell_action with a matrix) and reasons. Shared by the CLI (`leadscore
// score`) and the page's export (through wasm), so both write exactly the same file.
//
// Round trip: every input cell is written as it was read (Column::text_as_read: "$1,200.50",
// "Yes", "Select", "02139" stay as they were) under its header as written; input columns named
// like an added column (an exported file scored again) are replaced, not repeated.
//
// Spreadsheet safety (OWASP CSV injection): a text cell that starts with `=`, `+`, `-`, `@`, tab
// or CR gets a leading apostrophe so Excel/Sheets/LibreOffice show it instead of running it as a
// formula — except a sign followed only by digits, spaces and . , ( ) - / (a negative number, a
// phone number such as "+44 20 7946 0958"), which can carry no formula. Numbers, booleans and
// dates are written as values.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "leadscore/scorer.h"

namespace leadscore {

// Whether a cell would be read as a formula by a spreadsheet (see above).
bool starts_like_formula(const std::string& s);

// A CSV cell: neutralised when `text` and it starts like a formula; quoted when needed.
std::string csv_cell(const std::string& v, bool text);

// Appends a number the way JavaScript prints it (1.5, 3, -0.25, 1e+21); nothing for NaN.
void append_number(std::string& out, double d);

// One line explaining a score: "Decision-maker title +20; Unsubscribed -20; Fit capped at 60".
std::string reasons_text(const Ledger& l);

// What an export holds. Defaults: every input column, then every added column.
struct ExportOptions {
  bool reasons = true;  // the reasons column (when "reasons" is among `add`)
  // Input columns to keep, by name or header as written (Table::find), in the table's order;
  // empty = all. An unknown name is an ExportError.
  std::vector<std::string> keep;
  // Added columns, in this order whatever the order given: "score", "groups" (score_<group> for
  // each group), "tier", "action", "sales_ready", "cell" (cell, cell_action with a matrix),
  // "reasons"; empty = all.
  std::vector<std::string> add;
  // Header names to write instead (a CRM's import names: {"score": "Lead Score"}), for input
  // headers as written and added columns alike.
  std::map<std::string, std::string> rename;
};

struct ExportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class ScoredCsvWriter {
 public:
  ScoredCsvWriter(const Scorer& s, bool with_reasons);
  ScoredCsvWriter(const Scorer& s, const ExportOptions& options);  // throws ExportError
  // The header line, ending in CRLF.
  std::string header() const;
  // Appends the lines of leads [begin, end) (clamped to the table), each ending in CRLF.
  void append_rows(size_t begin, size_t end, std::string& out) const;
  // The columns the writer adds (score, score_<group>, tier, ...), in order.
  std::vector<std::string> added_columns() const;
  // Input columns left out because an added column of the same name replaces them.
  const std::vector<std::string>& replaced_columns() const { return replaced_; }

 private:
  struct Added {
    enum Kind { Score, Group, Tier, Action, SalesReady, Cell, CellAction, Reasons } kind;
    std::string name;  // the header written
    size_t group;      // Group: the group's index
  };
  void plan_added();
  void append_added(size_t row, std::string& out) const;

  const Scorer& s_;
  ExportOptions options_;
  std::vector<Added> added_;
  struct ColumnCells {  // each distinct text of a column formatted once
    std::vector<std::string> dict, spelled;
  };
  std::vector<ColumnCells> cells_;
  std::vector<size_t> passed_;  // the input columns written, in order
  std::vector<std::string> replaced_;
  std::vector<std::string> cell_actions_;  // by fit band * engagement bands + engagement band
};

}  // namespace leadscore
