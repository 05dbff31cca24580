// Scored leads as CSV: every column of the table, then score, score_<group>, tier, action,
// sales_ready, (cell, cell_action with a matrix) and reasons. Shared by the CLI (`leadscore
// score`) and the page's export (through wasm), so both write exactly the same file.
//
// Spreadsheet safety: a text cell that starts with `=`, `+`, `-`, `@`, tab or CR gets a leading
// apostrophe so Excel/Sheets/LibreOffice show it instead of running it as a formula. Numbers,
// booleans and dates are written as values (a negative number stays a number).
#pragma once

#include <string>
#include <vector>

#include "leadscore/scorer.h"

namespace leadscore {

// A CSV cell: neutralised when `text` and it starts like a formula; quoted when needed.
std::string csv_cell(const std::string& v, bool text);

// Appends a number the way JavaScript prints it (1.5, 3, -0.25, 1e+21); nothing for NaN.
void append_number(std::string& out, double d);

// One line explaining a score: "Decision-maker title +20; Unsubscribed -20; Fit capped at 60".
std::string reasons_text(const Ledger& l);

class ScoredCsvWriter {
 public:
  ScoredCsvWriter(const Scorer& s, bool with_reasons);
  // The header line, ending in CRLF.
  std::string header() const;
  // Appends the lines of leads [begin, end) (clamped to the table), each ending in CRLF.
  void append_rows(size_t begin, size_t end, std::string& out) const;

 private:
  const Scorer& s_;
  bool reasons_;
  std::vector<std::vector<std::string>> dict_cells_;  // text columns: each value formatted once
  std::vector<std::string> cell_actions_;             // by fit band * engagement bands + engagement band
};

}  // namespace leadscore
