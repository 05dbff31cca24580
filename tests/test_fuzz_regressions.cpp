// Every input the fuzzers ever crashed on (tests/fuzz/regressions/TARGET/*) and every seed
// (tests/fuzz/corpus/TARGET/*) goes through the fuzz target's own check (tests/fuzz/checks.h):
// natively, as WebAssembly, and under ASan/UBSan (build/asan). A finding fixed in the core stays
// fixed. tests/fuzz/regressions/README.md lists what each file found.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>

#include "fuzz/checks.h"
#include "fuzz/checks_analysis.h"
#include "test_util.h"

namespace test_fuzz_regressions {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;
namespace fs = std::filesystem;

namespace {

using Check = std::function<void(const uint8_t*, size_t)>;

const std::vector<std::pair<std::string, Check>>& targets() {
  static const std::vector<std::pair<std::string, Check>> t = {
      {"csv", fuzz::check_csv},
      {"json", fuzz::check_json},
      {"rules", fuzz::check_rules},
      {"jsonlogic", fuzz::check_jsonlogic},
      {"differential", fuzz::check_differential},
      {"events", fuzz::check_events},
      {"metrics", fuzz::check_metrics},
      {"export", fuzz::check_export},
  };
  return t;
}

std::vector<fs::path> files_in(const std::string& dir) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename().string()[0] != '.' && e.path().extension() != ".md")
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

size_t run_all(const std::string& kind) {
  size_t n = 0;
  for (const auto& [name, check] : targets()) {
    for (const auto& f : files_in(test::source_path("tests/fuzz/" + kind + "/" + name))) {
      const std::string bytes = test::read_file(f.string());
      try {
        check(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      } catch (const std::exception& e) {
        ADD_FAILURE() << name << " " << f.filename().string() << ": " << e.what();
      }
      ++n;
    }
  }
  return n;
}

}  // namespace

TEST(FuzzRegressions, EveryCrashInputPassesItsCheck) {
  const size_t n = run_all("regressions");
  EXPECT_GE(n, 1u) << "tests/fuzz/regressions/ holds the inputs the fuzzers found";
}

TEST(FuzzRegressions, EverySeedPassesItsCheck) { EXPECT_GE(run_all("corpus"), 100u); }

// The checks themselves must be able to fail: a broken invariant is reported, not swallowed.
TEST(FuzzRegressions, ChecksDetectDisagreement) {
  Table t = load_table("a,b\n1,x\n");
  fuzz::Outcome a{true, fuzz::snapshot(t)};
  t.columns[1].dict = {"y"};
  fuzz::Outcome b{true, fuzz::snapshot(t)};
  EXPECT_THROW(fuzz::same(a, b, "tables"), fuzz::FuzzFailure);
  t.row_line.push_back(9);
  EXPECT_THROW(fuzz::check_table(t), fuzz::FuzzFailure);
  std::vector<fuzz::Record> ref;
  size_t open = 0;
  ASSERT_TRUE(fuzz::reference_records("x,\"a\"\"b\"c\r\n\n", ',', ref, &open));
  ASSERT_EQ(ref.size(), 2u);
  EXPECT_EQ(ref[0].fields, (std::vector<std::string>{"x", "a\"bc"}));
  EXPECT_EQ(ref[1].line, 2u);
  EXPECT_FALSE(fuzz::reference_records("a\n\"x\nb", ',', ref, &open));
  EXPECT_EQ(open, 2u);
}

}  // namespace test_fuzz_regressions
