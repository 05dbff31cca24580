// What a load reports as it goes: problems, capped at LoadOptions::max_problems, and progress
// (which may cancel the load). Shared by the CSV and JSON readers and the column builder.
// Internal to the loader.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "leadscore/table.h"

namespace leadscore::detail {

// Adds a problem unless the limit in opts.max_problems has been reached (then counts it).
class ProblemSink {
 public:
  ProblemSink(std::vector<LoadProblem>& out, size_t max) : out_(out), max_(max) {}
  void add(size_t line, size_t column, std::string field, std::string message);
  void finish();  // appends the "N more problems" note, if any were left out
  size_t omitted() const { return omitted_; }

 private:
  std::vector<LoadProblem>& out_;
  size_t max_;
  size_t omitted_ = 0;
};

// Sorts problems by line then column (stable) and closes the sink.
void finish_problems(Table& t, ProblemSink& problems);

// Calls opts.progress (if set); throws LoadError("cancelled") when it returns false.
void report_progress(const LoadOptions& opts, size_t bytes, size_t rows);

}  // namespace leadscore::detail
