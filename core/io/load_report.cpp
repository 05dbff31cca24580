// Problem sink and progress reporting for the readers (see load_report.h).
#include "io/load_report.h"

#include <algorithm>

namespace leadscore::detail {

void ProblemSink::add(size_t line, size_t column, std::string field, std::string message) {
  if (max_ && out_.size() >= max_) {
    ++omitted_;
    return;
  }
  out_.push_back(LoadProblem{line, column, std::move(field), std::move(message)});
}

void ProblemSink::finish() {
  if (omitted_)
    out_.push_back(LoadProblem{
        0, 0, "",
        std::to_string(omitted_) + " more problems not listed (max_problems = " + std::to_string(max_) + ")"});
  omitted_ = 0;
}

void finish_problems(Table& t, ProblemSink& problems) {
  std::stable_sort(t.problems.begin(), t.problems.end(), [](const LoadProblem& a, const LoadProblem& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  problems.finish();
}

void report_progress(const LoadOptions& opts, size_t bytes, size_t rows) {
  if (opts.progress && !opts.progress(bytes, rows)) throw LoadError("cancelled", "cancelled", 0, 0);
}

}  // namespace leadscore::detail
