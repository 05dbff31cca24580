// leadscore_bench: the native side of bench/run.mjs. Times the same work the WebAssembly build
// does in the JavaScript benchmark, on the same files, in one process:
//   load   CSV/JSON text (already in memory) -> typed table          (load_table)
//   score  a full score from scratch: parse the rule set, compile, evaluate, sum  (Scorer::set_rules)
//   edit   a one-rule edit (--edit ID, alternating two conditions given as JSON) followed by the
//          tier counts and the 20-bin histogram of totals the page draws
// and reports the table's memory (malloc'd bytes in use after loading minus before) and a checksum
// and its peak during the load (operator new's bytes: the high-water mark above what was in use
// before, what bounds the file a wasm tab can take), and a checksum
// of the totals (FNV-1a 32 over their IEEE-754 bytes, little-endian; bench/engines.mjs computes the
// same). --totals FILE writes the totals as raw little-endian doubles for a per-lead comparison.
//
//   leadscore_bench --rules R.json --leads L.csv [--warmup 2] [--runs 5] [--load-runs 3]
//                   [--edit ID --edit-a JSON --edit-b JSON] [--totals out.f64]
// Prints one JSON object (times in ms; each list in run order; medians computed by the caller).
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "leadscore/rules.h"
#include "leadscore/scorer.h"
#include "leadscore/table.h"

using namespace leadscore;
using clk = std::chrono::steady_clock;
using nlohmann::json;

// Every C++ allocation passes here: bytes live now and the most live since reset_peak().
namespace heap {
size_t live = 0, peak = 0;
void reset_peak() { peak = live; }
}  // namespace heap

// (GCC sees free() in a replaced operator delete as a mismatch; here it is the pair of the malloc above.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpragmas"
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(size_t n) {
  void* p = std::malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  heap::live += malloc_usable_size(p);
  if (heap::live > heap::peak) heap::peak = heap::live;
  return p;
}
void operator delete(void* p) noexcept {
  if (!p) return;
  heap::live -= malloc_usable_size(p);
  std::free(p);
}
void operator delete(void* p, size_t) noexcept { operator delete(p); }
#pragma GCC diagnostic pop

namespace {

double ms_since(clk::time_point t) { return std::chrono::duration<double, std::milli>(clk::now() - t).count(); }

std::string slurp(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

size_t heap_in_use() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  return mallinfo2().uordblks;
#else
  return (size_t)mallinfo().uordblks;
#endif
}

uint32_t fnv1a(const std::vector<double>& v) {
  uint32_t h = 2166136261u;
  const unsigned char* p = reinterpret_cast<const unsigned char*>(v.data());
  for (size_t i = 0; i < v.size() * sizeof(double); ++i) h = (h ^ p[i]) * 16777619u;
  return h;
}

// What the page shows after every edit: tier counts and a histogram of totals (20 bins between
// the lowest and the highest total), as the wasm binding's summary() computes them.
json summary(const Scorer& s, size_t bins = 20) {
  const Summary sm = summarize(s, bins);
  return {{"tiers", sm.tiers}, {"histogram", sm.histogram}};
}

json list(const std::vector<double>& v) { return json(v); }

}  // namespace

int main(int argc, char** argv) {
  std::string rules_path, leads_path, edit_id, edit_a, edit_b, totals_path;
  int warmup = 2, runs = 5, load_runs = 3, edit_runs = -1;  // edit runs: as --runs unless given (profiling)
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error("missing value after " + a);
      return argv[++i];
    };
    if (a == "--rules")
      rules_path = next();
    else if (a == "--leads")
      leads_path = next();
    else if (a == "--warmup")
      warmup = std::stoi(next());
    else if (a == "--runs")
      runs = std::stoi(next());
    else if (a == "--load-runs")
      load_runs = std::stoi(next());
    else if (a == "--edit-runs")
      edit_runs = std::stoi(next());
    else if (a == "--edit")
      edit_id = next();
    else if (a == "--edit-a")
      edit_a = next();
    else if (a == "--edit-b")
      edit_b = next();
    else if (a == "--totals")
      totals_path = next();
    else {
      std::cerr << "leadscore_bench: unknown option " << a << "\n";
      return 2;
    }
  }
  if (rules_path.empty() || leads_path.empty()) {
    std::cerr << "usage: leadscore_bench --rules R.json --leads L.csv [--warmup N] [--runs N] [--load-runs N] "
                 "[--edit-runs N] [--edit ID --edit-a JSON --edit-b JSON] [--totals out.f64]\n";
    return 2;
  }
  try {
    const std::string rules_text = slurp(rules_path);
    const RuleSet rs = parse_rule_set(rules_text);
    const LoadOptions opts = rs.load_options();
    json out;

    // Load: the text is in memory (as in the browser), time text -> typed table.
    std::vector<double> load_ms;
    std::shared_ptr<Table> table;
    size_t table_bytes = 0, peak_bytes = 0, final_bytes = 0;
    {
      std::string text = slurp(leads_path);
      out["inputBytes"] = text.size();
      for (int i = 0; i < std::max(1, load_runs); ++i) {
        table.reset();
        size_t before = heap_in_use();
        const size_t live_before = heap::live;
        heap::reset_peak();
        auto t0 = clk::now();
        auto t = std::make_shared<Table>(load_table(text, opts));
        load_ms.push_back(ms_since(t0));
        table_bytes = heap_in_use() - before;
        peak_bytes = heap::peak - live_before;
        final_bytes = heap::live - live_before;
        table = std::move(t);
      }
    }
    out["leads"] = table->rows;
    out["columns"] = table->columns.size();
    out["tableBytes"] = table_bytes;
    out["loadPeakBytes"] = peak_bytes;  // operator new's bytes: the load's high-water mark
    out["loadFinalBytes"] = final_bytes;
    out["loadMs"] = list(load_ms);

    // Full score from scratch: a new Scorer each time (nothing cached).
    std::vector<double> score_ms;
    std::vector<double> totals;
    for (int i = 0; i < warmup + runs; ++i) {
      auto t0 = clk::now();
      Scorer s(table);
      s.set_rules(rules_text);
      totals = s.results().total;  // the scores leave the scorer, as totals() copies them in JS
      double ms = ms_since(t0);
      if (i >= warmup) score_ms.push_back(ms);
    }
    out["scoreMs"] = list(score_ms);
    out["checksum"] = fnv1a(totals);
    double sum = 0;
    for (double v : totals) sum += v;
    out["sum"] = sum;

    if (!edit_id.empty()) {
      Scorer s(table);
      s.set_rules(rules_text);
      json base = to_json(s.rules()).at("rules");
      json rule;
      for (const auto& r : base)
        if (r.at("id") == edit_id) rule = r;
      if (rule.is_null()) throw std::runtime_error("no rule '" + edit_id + "' to edit");
      json a = rule, b = rule;
      a["when"] = json::parse(edit_a);
      b["when"] = json::parse(edit_b);
      std::vector<double> edit_ms;
      json last;
      size_t evaluated = 0, in_place = 0;
      const int eruns = edit_runs >= 0 ? edit_runs : runs;
      for (int i = 0; i < 2 * (warmup + eruns); ++i) {
        auto t0 = clk::now();
        s.replace_rule(edit_id, i % 2 ? b : a);
        last = summary(s);
        double ms = ms_since(t0);
        evaluated = s.last_evaluations();
        in_place += s.last_in_place();
        if (i >= 2 * warmup) edit_ms.push_back(ms);
      }
      out["editMs"] = list(edit_ms);
      out["editEvaluated"] = evaluated;
      out["editInPlace"] = in_place;  // how many of the edits patched the previous results in place
      out["editSummary"] = last;      // after edit-b
    }

    if (!totals_path.empty()) {
      std::ofstream f(totals_path, std::ios::binary);
      f.write(reinterpret_cast<const char*>(totals.data()), (std::streamsize)(totals.size() * sizeof(double)));
      if (!f) throw std::runtime_error("cannot write " + totals_path);
    }
    std::cout << out.dump() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "leadscore_bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
