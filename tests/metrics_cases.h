// The small hand-computed case shared by test_outcomes/test_metrics/test_compare (and mirrored
// in tests/js/wasm-metrics.test.mjs): 12 leads, scores and outcomes worked out by hand.
//
//   lead  title flag y        status | A: r1(A)+20, r2(flag)+10 | B: r1 +5, r2 +25
//    1    A     yes  yes      closed |  30 Hot   A1             |  30 Hot   B1
//    2    A     yes  no       open   |  30 Hot   A1             |  30 Hot   B1
//    3    A     no   yes      closed |  20 Warm  A2             |   5 Cold  B2
//    4    A     no   yes      closed |  20 Warm  A2             |   5 Cold  B2
//    5    C     yes  no       open   |  10 Cold  B1             |  25 Hot   B1
//    6    C     yes  pending  open   |  10 Cold  B1             |  25 Hot   B1
//    7    C     no   no       open   |   0 Cold  B2             |   0 Cold  B2
//    8    C     no   yes      closed |   0 Cold  B2             |   0 Cold  B2
//    9    C     no   no       open   |   0 Cold  B2             |   0 Cold  B2
//   10    C     no   (empty)  open   |   0 Cold  B2             |   0 Cold  B2
//   11    C     yes  no       open   |  10 Cold  B1             |  25 Hot   B1
//   12    C     no   no       open   |   0 Cold  B2             |   0 Cold  B2
#pragma once
#include <string>

namespace leadscore::test {

inline std::string small_leads(int copies = 1) {
  const char* rows[] = {"A,yes,yes,closed", "A,yes,no,open",      "A,no,yes,closed", "A,no,yes,closed",
                        "C,yes,no,open",    "C,yes,pending,open", "C,no,no,open",    "C,no,yes,closed",
                        "C,no,no,open",     "C,no,,open",         "C,yes,no,open",   "C,no,no,open"};
  std::string s = "id,title,flag,y,status\n";
  int id = 1;
  for (int c = 0; c < copies; ++c)
    for (const char* r : rows) s += std::to_string(id++) + "," + r + "\n";
  return s;
}

inline std::string small_rules(double r1, double r2, const std::string& extra_rules = "") {
  return R"({"name": "v", "groups": [{"id": "fit"}, {"id": "engagement"}],
    "rules": [{"id": "r1", "group": "fit", "points": )" +
         std::to_string(r1) + R"(, "when": {"==": [{"var": "title"}, "A"]}},
              {"id": "r2", "group": "engagement", "points": )" +
         std::to_string(r2) + R"(, "when": {"var": "flag"}})" + extra_rules + R"(],
    "tiers": [{"name": "Hot", "min": 25}, {"name": "Warm", "min": 15}, {"name": "Cold"}], "salesReady": "Hot",
    "matrix": {"fit": {"bands": [{"label": "A", "min": 20}, {"label": "B"}]}, "engagement": {"bands": [{"label": "1", "min": 10}, {"label": "2"}]}}})";
}

}  // namespace leadscore::test
