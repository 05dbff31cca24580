// Narrow column storage (core/table.h, Values): numbers, booleans and dates are kept in one byte,
// four, or eight, whichever gives every value back bit for bit. Checked here: which storage each
// kind of column gets (including the values just outside each form: 255, the int32 missing code,
// -0.0, a date with a time of day), exact round trips on random columns, block decoding, and that
// every compiled kernel and per-unit scoring give the interpreter's results on each storage.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>

#include "leadscore/scorer.h"
#include "rules/compiler.h"

namespace test_values {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;
using Kind = Values::Kind;

namespace {

uint64_t bits(double d) {
  uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}

// The storage chosen for v, after checking every value comes back with the same bits (any NaN
// stands for missing and comes back as NaN).
Kind stored(const std::vector<double>& v) {
  const Values vals(v);
  EXPECT_EQ(vals.size(), v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    if (std::isnan(v[i])) {
      EXPECT_TRUE(std::isnan(vals[i])) << i;
      EXPECT_TRUE(vals.is_missing(i)) << i;
    } else {
      EXPECT_EQ(bits(vals[i]), bits(v[i])) << "value " << v[i] << " at " << i;
      EXPECT_FALSE(vals.is_missing(i)) << i;
    }
  }
  return vals.kind();
}

constexpr double kDay = 86400000.0;

}  // namespace

TEST(Values, TheNarrowestExactStorageIsChosen) {
  EXPECT_EQ(stored({}), Kind::U8);
  EXPECT_EQ(stored({NAN, NAN}), Kind::U8);
  EXPECT_EQ(stored({0, 1, NAN, 1}), Kind::U8);  // booleans
  EXPECT_EQ(stored({0, 254, 17}), Kind::U8);    // small counts
  EXPECT_EQ(stored({0, 255}), Kind::I32);       // 255 is the one-byte missing code
  EXPECT_EQ(stored({-1, 3}), Kind::I32);
  EXPECT_EQ(stored({2147483647, -2147483647, NAN}), Kind::I32);
  EXPECT_EQ(stored({-2147483648.0}), Kind::F64);  // the int32 missing code
  EXPECT_EQ(stored({2147483648.0}), Kind::F64);
  EXPECT_EQ(stored({1, 1.5}), Kind::F64);
  EXPECT_EQ(stored({-0.0}), Kind::F64);  // -0.0 keeps its sign
  EXPECT_EQ(stored({0, 1, -0.0}), Kind::F64);
  EXPECT_EQ(stored({INFINITY, 1}), Kind::F64);
  EXPECT_EQ(stored({1e300, NAN}), Kind::F64);
  // dates: whole days (ms since 1970) are four bytes; one with a time of day is not
  const double d2024 = 19783 * kDay;  // 2024-03-01
  EXPECT_EQ(stored({d2024, d2024 + kDay, NAN, -kDay}), Kind::I32);
  EXPECT_EQ(Values(std::vector<double>{d2024, NAN}).scale(), kDay);
  EXPECT_EQ(stored({d2024, d2024 + 1}), Kind::F64);
  EXPECT_EQ(stored({d2024, d2024 + 0.5}), Kind::F64);
  EXPECT_EQ(stored({2147483647.0 * kDay}), Kind::I32);
  EXPECT_EQ(stored({-2147483648.0 * kDay}), Kind::F64);
  // zeros fit a byte and are whole days: what follows them decides
  EXPECT_EQ(stored({0, NAN, 0, d2024}), Kind::I32);
  EXPECT_EQ(Values(std::vector<double>{0, NAN, 0, d2024}).scale(), kDay);
  EXPECT_EQ(stored({0, 7, d2024}), Kind::F64);
}

TEST(Values, RandomColumnsComeBackBitForBit) {
  std::mt19937_64 rng(20261202);
  for (int round = 0; round < 400; ++round) {
    const size_t n = rng() % 300;
    const int shape = round % 6;
    std::vector<double> v(n);
    for (auto& x : v) {
      const uint64_t r = rng();
      if (r % 7 == 0) {
        x = NAN;
        continue;
      }
      switch (shape) {
        case 0:
          x = (double)(r % 255);
          break;  // U8
        case 1:
          x = (double)(int32_t)(r >> 32);
          break;  // I32 (maybe the code)
        case 2:
          x = (double)((int64_t)(r % 40000) - 20000) * kDay;
          break;  // whole days
        case 3:
          x = (double)((int64_t)(r % 40000) - 20000) * kDay + (double)(r % 3);
          break;
        case 4:
          x = (double)(int64_t)(r % 1000) / 10.0;
          break;  // decimals
        default:
          std::memcpy(&x, &r, sizeof x);
          if (std::isnan(x)) x = 0;
          break;  // any bits
      }
    }
    const Kind k = stored(v);
    // decode of any block equals operator[]
    const Values vals(v);
    if (n) {
      const size_t i0 = rng() % n, len = rng() % (n - i0 + 1);
      std::vector<double> out(len);
      vals.decode(i0, len, out.data());
      for (size_t i = 0; i < len; ++i) EXPECT_EQ(bits(out[i]), bits(vals[i0 + i])) << "round " << round;
    }
    // integers(): the same answer as asking each value
    bool want_int = true;
    double want_max = 0;
    for (double x : v) {
      if (x != x) continue;
      if (!(std::fabs(x) < 9007199254740992.0) || std::floor(x) != x) {
        want_int = false;
        break;
      }
      want_max = std::max(want_max, std::fabs(x));
    }
    // missing(): the count of NaNs in v, on every storage
    EXPECT_EQ(vals.missing(), (size_t)std::count_if(v.begin(), v.end(), [](double x) { return x != x; }))
        << "round " << round;
    double got_max = -1;
    EXPECT_EQ(vals.integers(&got_max), want_int) << "round " << round;
    if (want_int) {
      EXPECT_EQ(got_max, want_max) << "round " << round;
    }
    if (shape == 0) {
      EXPECT_EQ(k, Kind::U8);
    }
    if (shape == 2) {
      EXPECT_NE(k, Kind::F64);
    }
  }
}

// The loaders build values a block at a time: whatever the blocks, and wherever the value that
// forces a wider storage comes (first block, last, after several widenings), the result is the
// same storage and the same bits as assigning the whole column at once.
TEST(Values, BuildingInBlocksWidensLikeAssigningAtOnce) {
  std::mt19937_64 rng(99);
  const double d2024 = 19783 * kDay;
  const std::vector<double> widen = {300, -4, d2024, d2024 + 1, 0.5, -0.0};  // each needs wider storage
  size_t widened = 0;
  for (int round = 0; round < 300; ++round) {
    const size_t n = 1 + rng() % 5000;
    std::vector<double> v(n);
    for (auto& x : v) x = rng() % 5 == 0 ? NAN : (double)(rng() % 200);
    // a few of the widening values at random places
    for (int k = (int)(rng() % 4); k > 0; --k) v[rng() % n] = widen[rng() % widen.size()];
    if (rng() % 2) v.back() = widen[rng() % widen.size()];
    Values::Builder b(n);
    for (size_t i0 = 0; i0 < n;) {
      const size_t len = std::min(n - i0, (size_t)(1 + rng() % 3000));
      b.append(v.data() + i0, len);
      i0 += len;
    }
    const Values built = b.finish(), whole(v);
    ASSERT_EQ(built.size(), n);
    EXPECT_EQ(built.kind(), whole.kind()) << "round " << round;
    EXPECT_EQ(built.scale(), whole.scale()) << "round " << round;
    widened += built.kind() != Kind::U8;
    for (size_t i = 0; i < n; ++i) {
      if (std::isnan(v[i]))
        ASSERT_TRUE(built.is_missing(i)) << round << " " << i;
      else
        ASSERT_EQ(bits(built[i]), bits(v[i])) << round << " " << i;
    }
  }
  EXPECT_GT(widened, 150u);
}

TEST(Values, TheLoaderStoresTypicalCrmColumnsNarrow) {
  const Table t = load_table(
      "flag,opens,employees,revenue,signup,seen\n"
      "Yes,3,120,28.2,2024-03-01,2024-03-01T09:30:00Z\n"
      "No,0,45000,,2024-02-29,\n"
      ",12,,1.5,,2024-03-02T00:00:00Z\n");
  auto kind = [&](const char* name) { return t.columns[(size_t)t.find(name)].num.kind(); };
  EXPECT_EQ(t.columns[(size_t)t.find("flag")].type, ColumnType::Boolean);
  EXPECT_EQ(kind("flag"), Kind::U8);
  EXPECT_EQ(kind("opens"), Kind::U8);
  EXPECT_EQ(kind("employees"), Kind::I32);
  EXPECT_EQ(kind("revenue"), Kind::F64);
  EXPECT_EQ(kind("signup"), Kind::I32);  // whole days
  EXPECT_EQ(kind("seen"), Kind::F64);    // times of day
  EXPECT_EQ(t.columns[(size_t)t.find("employees")].value_text(1), "45000");
  EXPECT_EQ(t.columns[(size_t)t.find("signup")].value_json(1), "2024-02-29");
  EXPECT_TRUE(t.columns[(size_t)t.find("signup")].is_missing(2));
}

// Every numeric kernel on every storage gives the interpreter's answer (the interpreter reads
// value_json, i.e. operator[]; the kernels read the storage directly).
TEST(Values, KernelsAgreeWithTheInterpreterOnEveryStorage) {
  const Table t = load_table(
      "u8,i32,f64,neg,day,b\n"
      "0,-5,0.5,-0,2024-03-01,yes\n"
      "1,300,-2.25,1,2024-02-29,no\n"
      ",,,,,\n"
      "254,2147483647,1e12,0,1970-01-01,yes\n"
      "7,0,7,-3,1969-12-31,\n"
      "200,-2147483647,-0.000001,2,2099-12-31,no\n");
  const std::map<std::string, Kind> want_kind = {{"u8", Kind::U8},   {"i32", Kind::I32}, {"f64", Kind::F64},
                                                 {"neg", Kind::F64}, {"day", Kind::I32}, {"b", Kind::U8}};
  for (const auto& [name, k] : want_kind) EXPECT_EQ(t.columns[(size_t)t.find(name)].num.kind(), k) << name;
  const std::vector<std::string> conds = {
      R"({"<": [{"var": "F"}, 7]})",
      R"({"<=": [{"var": "F"}, 0]})",
      R"({">": [{"var": "F"}, -1]})",
      R"({">=": [{"var": "F"}, 254]})",
      R"({"==": [{"var": "F"}, 0]})",
      R"({"!=": [{"var": "F"}, 1]})",
      R"({"<": [0, {"var": "F"}, 255]})",
      R"({"<=": [-5, {"var": "F"}, 7]})",
      R"({"missing": ["F"]})",
      R"({"!!": {"var": "F"}})",
      R"({"!": {"var": "F"}})",
      R"({"var": "F"})",
      R"({"<": [{"var": "F"}, 2147483647.5]})",
  };
  const std::vector<std::string> day_conds = {R"({"<": [{"var": "day"}, "2024-03-01"]})",
                                              R"({">=": [{"var": "day"}, "1970-01-01"]})", R"({"missing": ["day"]})",
                                              R"({"!!": {"var": "day"}})"};
  RuleSet rs;
  auto check = [&](const std::string& when) -> bool {
    Rule r;
    r.id = "r";
    r.points = 1;
    r.when = json::parse(when);
    Diagnostics d;
    CompiledRule cr = compile_rule(r, rs, t, d, "rules[0]", false);
    if (has_errors(d)) return false;  // e.g. a boolean compared with a number: not a kernel's business
    Mask got = evaluate(cr, t), want = evaluate_interpreted(r.when, t);
    std::string g, w;
    for (auto x : got) g += "FTE"[x];
    for (auto x : want) w += "FTE"[x];
    EXPECT_EQ(g, w) << when << " (plan " << cr.plan << ")";
    return true;
  };
  size_t checked = 0;  // conditions that compiled and were compared
  for (const char* col : {"u8", "i32", "f64", "neg", "b"})
    for (std::string c : conds) {
      for (size_t p; (p = c.find("\"F\"")) != std::string::npos;) c.replace(p, 3, std::string("\"") + col + "\"");
      const bool compared = check(c);
      checked += compared;
      if (std::string(col) != "b") {
        EXPECT_TRUE(compared) << c << " did not compile";
      }  // numbers: every shape
    }
  for (const auto& c : day_conds) EXPECT_TRUE(check(c)) << c << " did not compile", ++checked;
  EXPECT_GE(checked, 4 * conds.size() + day_conds.size());
}

// Per-unit points read the storage in blocks: a table longer than one block, per-unit on a
// one-byte and a four-byte column, against the same leads plus one row with fractions (which
// makes both columns doubles). Totals are computed here from the values as well.
// Column::missing(rows) counts what is_missing says for rows [0, rows), for text and numbers,
// including rows past a column's stored values (missing) and a stored part longer than rows.
TEST(Values, ColumnMissingCountsWhatIsMissingSays) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 60; ++round) {
    Column c;
    const size_t stored = rng() % 200;
    if (round % 2) {
      c.type = ColumnType::String;
      c.dict = {"a", "b"};
      for (size_t i = 0; i < stored; ++i) c.codes.push_back(rng() % 4 == 0 ? -1 : (int32_t)(rng() % 2));
    } else {
      c.type = ColumnType::Number;
      std::vector<double> v(stored);
      for (auto& x : v)
        x = rng() % 5 == 0 ? NAN : (double)(rng() % (round % 3 == 0 ? 200 : 1000000)) / (round % 4 ? 1 : 8);
      c.num = v;
    }
    const size_t rows = rng() % 250;
    size_t want = 0;
    for (size_t i = 0; i < rows; ++i) want += c.is_missing(i);
    EXPECT_EQ(c.missing(rows), want) << "round " << round << ", " << stored << " stored, " << rows << " rows";
  }
}

TEST(Values, PerUnitScoringIsTheSameOnEveryStorage) {
  std::string narrow = "opens,size\n";
  std::mt19937 rng(7);
  for (int i = 0; i < 5000; ++i) {
    const int o = (int)(rng() % 30), s = (int)(rng() % 100000) - 500;
    narrow += (rng() % 9 == 0 ? std::string() : std::to_string(o)) + "," +
              (rng() % 11 == 0 ? std::string() : std::to_string(s)) + "\n";
  }
  const std::string wide = narrow + "0.5,0.5\n";
  auto tn = std::make_shared<const Table>(load_table(narrow)), tw = std::make_shared<const Table>(load_table(wide));
  ASSERT_EQ(tn->columns[0].num.kind(), Kind::U8);
  ASSERT_EQ(tn->columns[1].num.kind(), Kind::I32);
  ASSERT_EQ(tw->columns[0].num.kind(), Kind::F64);
  ASSERT_EQ(tw->columns[1].num.kind(), Kind::F64);
  const std::string rules = R"({"rules": [
      {"id": "o", "points": 2, "per": "opens", "max": 40, "when": {">": [{"var": "opens"}, 1]}},
      {"id": "s", "points": 0.001, "per": "size", "when": {"!!": {"var": "size"}}},
      {"id": "every", "points": -3, "per": "opens", "min": -60}]})";  // no condition: fires on missing values too
  Scorer sn(tn), sw(tw);
  sn.set_rules(rules);
  sw.set_rules(rules);
  size_t fired = 0;
  for (size_t i = 0; i < tn->rows; ++i) {
    const double o = tn->columns[0].num[i], s = tn->columns[1].num[i];
    const double want = 0.0 + (o > 1 ? std::min(40.0, 2 * o) : 0) + (s == s && s != 0 ? 0.001 * s : 0) +
                        (o == o ? std::max(-60.0, -3 * o) : 0);
    EXPECT_EQ(sn.results().total[i], want) << i;
    EXPECT_EQ(bits(sn.results().total[i]), bits(sw.results().total[i])) << i;
    fired += o > 1;
  }
  EXPECT_GT(fired, 3000u);
}

}  // namespace test_values
