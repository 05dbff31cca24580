// The text kernels of the compiler (core/rules/text_search.h and the dictionary lookups of
// compiler.cpp's text_lut): substring search eight positions at a time, the ASCII fold of
// ls:same / ls:in, and ==, != and `in` lists as literals looked up in the dictionary. Each
// condition is checked against the interpreter (itself checked against json-logic-engine) on a
// column of many distinct texts chosen to hit the edges: missing and empty values, non-ASCII
// text, needles longer than the value, needles at the start and the end, matches on either side
// of the 8-byte blocks, and texts of every length from 0 to 40.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "jsonlogic/text_fold.h"
#include "jsonlogic/text_fold_table.h"
#include "rules/compiler.h"
#include "rules/text_search.h"

namespace test_text_kernels {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;

namespace {

// A naive reference for contains_bytes.
bool naive_contains(const std::string& h, const std::string& n) { return h.find(n) != std::string::npos; }

std::string csv_cell(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Texts over a small alphabet (so that partial matches are frequent), with the needles planted
// at the start, the end and in the middle, plus e-mail and URL-like values, non-ASCII text and
// empty / missing cells.
std::vector<std::string> texts() {
  std::vector<std::string> v = {"",
                                "@gmail.",
                                "x@gmail.",
                                "@gmail.com",
                                "anna@gmail.com",
                                "anna@GMAIL.com",
                                "@gmai",
                                "gmail",
                                "Zoë@gmäil.de",
                                "ZOE@GMAIL.DE",
                                "Ünïcödé ✓",
                                "ȺȾ grew: these two fold to three bytes",
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{ Müller ÀÉÎÕÜ ŁŒ",
                                "https://www.acme7.com/pricing?id=7",
                                "https://x.io/PRICING",
                                "xttps://www.acme7.com/pricing",  // a literal's last 8 bytes but not its first
                                "anna@hmail.com",
                                "x@gmail.cxm",  // "@gmail.com" but for a middle byte
                                "https://www.acne7.com",
                                "/pricing",
                                "/pricin",
                                "aaaaaaaaaaaaaaaaab",
                                "abababababababababababababab",
                                "CEO",
                                "ceo",
                                " CEO "};
  std::mt19937 r(29);
  const char alphabet[] = "ab@.gmilAB/";
  for (int len = 0; len <= 40; ++len)
    for (int k = 0; k < 6; ++k) {
      std::string s;
      for (int i = 0; i < len; ++i) s += alphabet[r() % (sizeof alphabet - 1)];
      v.push_back(s);
    }
  for (int pos = 0; pos < 12; ++pos)  // letters that fold to other lengths at every offset
    v.push_back(std::string(pos, 'Q') + "Ⱥü" + std::string(pos % 3, 'x') + "ĲȾ");
  for (int pos = 0; pos < 24; ++pos) {  // "@gmail." at every offset around the 8-byte blocks
    std::string s(pos, 'x');
    v.push_back(s + "@gmail." + std::string(pos % 5, 'y'));
    v.push_back(s + "@gmail");  // the needle cut short at the end
  }
  return v;
}

struct Fixture {
  Table table;
  RuleSet rs;
  std::vector<std::string> values;
  explicit Fixture(std::vector<std::string> vs = texts()) : values(std::move(vs)) {
    std::string csv = "s,k\n";
    for (size_t i = 0; i < values.size(); ++i) csv += csv_cell(values[i]) + "," + std::to_string(i) + "\n";
    csv += ",missing\n";  // a missing text
    LoadOptions o;
    o.missing = {};  // empty texts stay texts, so "" reaches the text kernels
    table = load_table(csv, o);
  }
  // Compiled result == interpreted result; returns the plan.
  std::string check(const json& when) {
    Rule r;
    r.id = "r";
    r.points = 1;
    r.when = when;
    Diagnostics d;
    CompiledRule cr = compile_rule(r, rs, table, d, "rules[0]", false);
    EXPECT_FALSE(has_errors(d)) << when.dump();
    Mask got = evaluate(cr, table), want = evaluate_interpreted(r.when, table);
    std::string g, w;
    for (auto b : got) g += "FTE"[b];
    for (auto b : want) w += "FTE"[b];
    EXPECT_EQ(g, w) << when.dump() << " (plan " << cr.plan << ")";
    size_t fired = 0;
    for (auto b : want) fired += b == kTrue;
    return cr.plan + " fired " + std::to_string(fired);
  }
};

const json s_var = {{"var", "s"}};

}  // namespace

TEST(TextKernels, ContainsBytesEqualsANaiveSearch) {
  const std::vector<std::string> hay = texts();
  std::vector<std::string> needles = {
      "",         "a", "@", "ab", "ba", "@g", "@gmail.", "@gmail", "gmail.com", "aaaaaaaab", "abababababababab",
      "/pricing", "✓", "ë@"};
  for (int len = 1; len <= 20; ++len) needles.push_back(std::string(len, 'a'));
  size_t found = 0;
  for (const auto& h : hay)
    for (const auto& n : needles) {
      const bool want = naive_contains(h, n);
      ASSERT_EQ(detail::contains_bytes(h, n), want) << "'" << n << "' in '" << h << "'";
      found += want;
    }
  EXPECT_GT(found, 500u);  // the table exercises matches, not only misses
}

TEST(TextKernels, AnyByteAtOffersEveryPositionOfTheByte) {
  for (const auto& h : texts())
    for (char c : {'@', 'a', '.', '\xc3'}) {
      std::vector<bool> want(h.size()), got(h.size());
      for (size_t i = 0; i < h.size(); ++i) want[i] = h[i] == c;
      EXPECT_FALSE(detail::any_byte_at(h, c, [&](size_t i) {
        EXPECT_EQ(h[i], c);
        got[i] = true;
        return false;
      }));
      ASSERT_EQ(got, want) << "'" << c << "' in '" << h << "'";
      const size_t first = h.find(c);  // stops at the first position f accepts
      EXPECT_EQ(detail::any_byte_at(h, c, [&](size_t i) { return i == first; }), first != std::string::npos);
    }
}

// fold_text (8 ASCII bytes at a time) against the fold written out character by character from
// the same table; fold_text_append after text already there, and over every split point of
// texts with letters and bytes >= 0x80 near each 8-byte boundary.
TEST(TextKernels, FoldTextEqualsACharacterByCharacterFold) {
  auto reference = [](const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      const unsigned char c = (unsigned char)s[i];
      if (c < 0x80) {
        out += (c >= 'A' && c <= 'Z') ? (char)(c + 32) : (char)c;
      } else if ((c & 0xE0) == 0xC0 && i + 1 < s.size() && ((unsigned char)s[i + 1] & 0xC0) == 0x80 &&
                 (((c & 0x1Fu) << 6) | ((unsigned char)s[i + 1] & 0x3Fu)) >= detail::kFoldFirst &&
                 (((c & 0x1Fu) << 6) | ((unsigned char)s[i + 1] & 0x3Fu)) <= detail::kFoldLast) {
        out += detail::kFoldTable[(((c & 0x1Fu) << 6) | ((unsigned char)s[i + 1] & 0x3Fu)) - detail::kFoldFirst];
        ++i;
      } else {
        out += (char)c;
      }
    }
    return out;
  };
  std::vector<std::string> all = texts();
  for (size_t k = 0; k < 24; ++k) {
    all.push_back(std::string(k, 'A') + "Ü" + std::string(24 - k, 'Z'));
    all.push_back(std::string(k, 'q') + "\xC3" + std::string(9, 'M'));  // a lone lead byte
    std::string tail;
    for (size_t j = 0; j < k; ++j) tail += "Ö";
    all.push_back(std::string(k, '@') + "ȺȾ[`{" + tail);
  }
  // Letters that fold to three bytes (U+023A) push the output past the input's length, then
  // ASCII runs are written 8 bytes at a time: the room check must hold there too (ASan).
  for (size_t pre = 0; pre < 9; ++pre)
    for (size_t k = 1; k < 40; ++k) {
      std::string grow;
      for (size_t j = 0; j < k; ++j) grow += "Ⱥ";
      all.push_back(std::string(pre, 'a') + grow + std::string(8 + k % 9, 'B'));
    }
  std::string appended = "Kept ";
  std::string want_appended = appended;
  for (const auto& s : all) {
    ASSERT_EQ(detail::fold_text(s), reference(s)) << s;
    detail::fold_text_append(s, appended);
    want_appended += reference(s);
  }
  EXPECT_EQ(appended, want_appended);
}

TEST(TextKernels, FoldIntoEqualsFoldText) {
  std::string buf;
  for (const auto& s : texts()) EXPECT_EQ(std::string(detail::fold_into(s, buf)), detail::fold_text(s)) << s;
  EXPECT_EQ(std::string(detail::fold_into("ABC@Z[`az", buf)), "abc@z[`az");  // only A..Z change
}

TEST(TextKernels, FoldEqualsEqualsComparingFoldedTexts) {
  const std::vector<std::string> all = texts();
  std::vector<std::string> lits = {"", "ceo", "zoe@gmail.de", "anna@gmail.com", "ünïcödé ✓", "unicode ✓", "@gmai"};
  for (const auto& s : all) lits.push_back(detail::fold_text(s));
  size_t equal = 0;
  for (const auto& v : all)
    for (const auto& lit : lits) {
      const bool want = detail::fold_text(v) == lit;
      ASSERT_EQ(detail::fold_equals(v, lit), want) << "'" << v << "' vs '" << lit << "'";
      equal += want;
    }
  EXPECT_GT(equal, all.size());  // every text equals its own fold, and some differ only in case
}

TEST(TextKernels, LiteralLookupsEqualTheInterpreter) {
  Fixture f;
  EXPECT_NE(f.check({{"==", {s_var, "anna@gmail.com"}}}).find("fired 1"), std::string::npos);
  f.check({{"==", {"CEO", s_var}}});
  f.check({{"===", {s_var, ""}}});
  f.check({{"!=", {s_var, "anna@gmail.com"}}});
  f.check({{"!==", {s_var, "no such text"}}});
  f.check({{"==", {s_var, std::string(300, 'a')}}});  // longer than any value (the last length slot)
  EXPECT_EQ(f.check({{"in", {s_var, {"CEO", "ceo", "", "Ünïcödé ✓", "nope", 7, nullptr, true}}}}).find("fired 0"),
            std::string::npos);
  f.check({{"in", {s_var, json::array()}}});
  f.check({{"in", {s_var, {1, 2}}}});
  f.check({{"!", {{"in", {s_var, {"CEO", "ceo"}}}}}});
}

TEST(TextKernels, SubstringsAndFoldedTextEqualTheInterpreter) {
  Fixture f;
  for (const char* needle : {"", "a", "@", "@g", "@gmail.", "@gmail", "gmail.com", "aaaaaaaab", "abababababababab",
                             "/pricing", "✓", "ë@", "x@gmail.yyyy", "a string longer than every value in the column"})
    EXPECT_NE(f.check({{"in", {needle, s_var}}}).find("lookup(s)"), std::string::npos) << needle;
  f.check({{"or", {{{"in", {"@gmail.", s_var}}}, {{"in", {"/pricing", s_var}}}, {{"in", {"ab", s_var}}}}}});
  // needles sharing their first byte (a free-mail check), one of them a single byte, one longer than most values
  f.check({{"or", {{{"in", {"@yahoo.", s_var}}}, {{"in", {"@gmail.", s_var}}}, {{"in", {"@gm", s_var}}}}}});
  f.check({{"or", {{{"in", {"@x", s_var}}}, {{"in", {"@", s_var}}}}}});
  f.check({{"or", {{{"in", {"@gmail.yyyy", s_var}}}, {{"in", {"@GMAIL", s_var}}}, {{"in", {"@.", s_var}}}}}});
  for (const char* text : {"anna@gmail.com", "ZOË@GMÄIL.DE", "ceo", "", "HTTPS://X.IO/pricing"})
    f.check({{"ls:same", {s_var, text}}});
  for (const char* needle : {"GMAIL", "@Gmail.", "PRICING", "Ë@", "", "ÜNÏ"}) f.check({{"ls:in", {needle, s_var}}});
  f.check({{"ls:in", {s_var, {"CEO", "zoe@gmail.de", "ANNA@GMAIL.COM"}}}});
}

// entries_containing searches all of a dictionary's texts at once, up to eight needles per pass;
// a match must lie inside one entry. The texts in several orders put many pairs of values side by
// side, so that a needle often runs across the end of one entry into the next (and must not count).
TEST(TextKernels, EntriesContainingEqualsASearchPerEntry) {
  std::vector<std::string> values = texts();
  std::mt19937 r(7);
  const std::vector<std::string> needles = {
      "a",        "@", "ab", "ba",     "@g", "@gmail.", "@gmail",  "gmail.com", "aaaaaaaab",   "abababababababab",
      "/pricing", "✓", "ë@", "gmail@", "b@", ".a",      "@yahoo.", "@gm",       "@gmail.yyyy", "x"};
  std::vector<std::vector<std::string>> sets;
  for (const auto& n : needles) sets.push_back({n});
  sets.push_back({"@gmail.", "@yahoo.", "@gm"});                                        // one first byte
  sets.push_back({"/pricing", "b@", "ë@", "aaaaaaaab"});                                // several
  sets.push_back(std::vector<std::string>(needles.begin() + 2, needles.begin() + 13));  // two passes
  // 9 to 16 bytes, compared as two words: texts with the first and last bytes but not the middle
  sets.push_back({"@gmail.com", "https://www.acme"});
  sets.push_back({"@gmail.com"});
  sets.push_back({"https://www.acme"});
  size_t found = 0, crossing = 0;
  for (int order = 0; order < 4; ++order) {
    TextDictionary dict;
    for (const auto& v : values) dict.push_back(v);
    const std::string all(dict.all_text());
    for (const auto& set : sets) {
      std::vector<uint8_t> got(values.size()), want(values.size());
      for (size_t e = 0; e < values.size(); ++e)
        for (const auto& n : set) want[e] |= naive_contains(values[e], n);
      detail::entries_containing(dict.all_text(), dict.ends(), dict.size(), set.data(), set.size(), [&](size_t e) {
        if (set.size() <= detail::kMaxNeedles) {
          EXPECT_FALSE(got[e]) << "once per entry";
        }
        got[e] = 1;
      });
      ASSERT_EQ(got, want) << "'" << set[0] << "' (" << set.size() << " needles), order " << order;
      for (auto w : want) found += w;
      for (const auto& n : set)
        for (size_t at = all.find(n); at != std::string::npos; at = all.find(n, at + 1)) crossing += 1;
    }
    std::shuffle(values.begin(), values.end(), r);
  }
  EXPECT_GT(found, 1000u);
  EXPECT_GT(crossing, found);  // some matches in the joined text run across two entries
}

// Each set's bits from search(all, ends, count, needles, needle_count, bits) equal naive_contains
// over view(entry), for the values in `orders` shuffled orders. Returns how many (entry, set)
// pairs matched, and how many of those `also` picks.
template <class Search, class View, class Also>
std::pair<size_t, size_t> check_needle_bits(std::vector<std::string> values,
                                            const std::vector<std::vector<std::string>>& sets, int orders,
                                            unsigned seed, Search search, View view, Also also) {
  std::mt19937 r(seed);
  size_t found = 0, picked = 0;
  for (int order = 0; order < orders; ++order) {
    TextDictionary dict;
    for (const auto& v : values) dict.push_back(v);
    for (const auto& set : sets) {
      std::vector<uint8_t> got(values.size(), 0), want(values.size(), 0);
      for (size_t e = 0; e < values.size(); ++e)
        for (size_t k = 0; k < set.size(); ++k) want[e] |= (uint8_t)(naive_contains(view(values[e]), set[k]) << k);
      search(dict.all_text(), dict.ends(), dict.size(), set.data(), set.size(), got.data());
      EXPECT_EQ(got, want) << "'" << set[0] << "' (" << set.size() << " needles), order " << order;
      for (size_t e = 0; e < values.size(); ++e) found += want[e] != 0, picked += want[e] && also(values[e]);
    }
    std::shuffle(values.begin(), values.end(), r);
  }
  return {found, picked};
}

TEST(TextKernels, EntriesContainingEachReportsEveryNeedleOfEveryEntry) {
  const std::vector<std::vector<std::string>> sets = {
      {"@gmail.", "@yahoo.", "@gm", "gmail"},                             // shared first bytes, nested
      {"/pricing", "b@", "ë@", "aaaaaaaab", "a", "ab", "ba", "@gmail."},  // eight
      {"ab", "ba"},                                                       // overlapping, frequent
      {"x"}};
  const auto found = check_needle_bits(
      texts(), sets, 3, 11, detail::entries_containing_each, [](const std::string& v) { return v; },
      [](const std::string&) { return false; });
  EXPECT_GT(found.first, 1000u);
}

// ls:in's search of a whole dictionary: the ASCII entries searched as they are with letters of
// either case, the others folded one by one; every bit as fold_text(entry) contains the needle.
TEST(TextKernels, FoldedSearchEqualsASearchOfEachFoldedEntry) {
  std::vector<std::string> values = texts();
  for (const char* v : {"MÜLLER@ACME.DE", "Muller@acme.de", "xMüLLer", "ACME", "aCmE", "acm", "@Gmail.Com", "GMAIL.",
                        "zoë@gmäil.de", "ÀÉÎ-Õü", "ĳ", "Ĳ@x", "Ï", "müll", "[`{@"})
    values.push_back(v);
  const std::vector<std::vector<std::string>> sets = {
      {"muller"},                                            // accents fold to letters
      {"acme", "gmail.", "@gmail.com", "zoe@gmail.de"},      // ASCII, letters and not
      {"ĳ", "æ", "muller", "a", "@", "[`{", "aeiou", "ab"},  // eight, two not ASCII
      {"ab", "ba", "abababababababababab"},                  // frequent, overlapping
      {"z"}};
  const auto found = check_needle_bits(
      values, sets, 3, 5, detail::folded_entries_containing_each,
      [](const std::string& v) { return detail::fold_text(v); },
      [](const std::string& v) { return std::any_of(v.begin(), v.end(), [](char c) { return c & 0x80; }); });
  EXPECT_GT(found.first, 1000u);
  EXPECT_GT(found.second, 10u);  // found only by folding the entry
}

// A batch of rules compiled with one TextSearches: each column searched once for all the batch's
// needles (more than eight: two groups; plain and folded), every rule's result still the
// interpreter's, also for needles the batch did not plan (they take the rule's own search).
TEST(TextKernels, FusedSearchesOfABatchEqualTheInterpreter) {
  Fixture f;
  const std::vector<std::string> plain = {"@gmail.", "@yahoo.",   "@gm", "gmail", "/pricing", "b@",
                                          "ë@",      "aaaaaaaab", "a",   "ab",    "ba",       "✓"};
  std::vector<json> whens;
  for (const auto& n : plain) whens.push_back({{"in", {n, s_var}}});
  whens.push_back({{"or", {{{"in", {"@gmail.", s_var}}}, {{"in", {"✓", s_var}}}, {{"in", {"ab", s_var}}}}}});
  whens.push_back({{"!", {{"or", {{{"in", {"/pricing", s_var}}}, {{"in", {"b@", s_var}}}}}}}});
  for (const char* n : {"GMAIL", "Müller", "ZOË", "ceo", "Ünï", "ȺÜ", "ĳ"}) whens.push_back({{"ls:in", {n, s_var}}});
  whens.push_back({{"and", {{{"ls:in", {"gmail", s_var}}}, {{"in", {".de", s_var}}}}}});  // .de: planned too
  std::vector<Rule> rules(whens.size());
  for (size_t i = 0; i < whens.size(); ++i)
    rules[i].id = "r" + std::to_string(i), rules[i].points = 1, rules[i].when = whens[i];
  std::vector<const Rule*> batch;
  for (const auto& r : rules) batch.push_back(&r);
  TextSearches searches(batch, f.rs, f.table);
  Rule unplanned;
  unplanned.id = "u", unplanned.points = 1, unplanned.when = {{"in", {"@yahoo.com", s_var}}};
  rules.push_back(unplanned);
  size_t fired = 0;
  for (const auto& r : rules) {
    Diagnostics d;
    CompiledRule cr = compile_rule(r, f.rs, f.table, d, "rules[0]", false, &searches);
    ASSERT_FALSE(has_errors(d)) << r.when.dump();
    const Mask got = evaluate(cr, f.table), want = evaluate_interpreted(r.when, f.table);
    ASSERT_TRUE(std::equal(got.begin(), got.end(), want.begin(), want.end())) << r.when.dump();
    fired += (size_t)std::count(want.begin(), want.end(), kTrue);
  }
  EXPECT_GT(fired, 500u);
  // The planned needles are answered by the fused search (the rules above may not have asked it);
  // a needle not planned is not.
  const Column& col = f.table.columns[0];
  for (const std::string& n : {std::string("✓"), std::string("ab"), detail::fold_text("Müller")}) {
    const bool folded = n == detail::fold_text("Müller");
    std::vector<uint8_t> got(col.dict.size(), 0);
    ASSERT_TRUE(searches.mark_any(0, &n, 1, folded, got.data())) << n;
    for (size_t e = 0; e < col.dict.size(); ++e) {
      const std::string v(col.dict[e]);
      ASSERT_EQ(got[e], naive_contains(folded ? detail::fold_text(v) : v, n)) << n << " in " << v;
    }
  }
  std::vector<uint8_t> out(col.dict.size(), 7);
  const std::string other = "@yahoo.com";
  EXPECT_FALSE(searches.mark_any(0, &other, 1, false, out.data()));
  EXPECT_EQ(std::count(out.begin(), out.end(), 7), (long)out.size()) << "untouched";
}

TEST(TextKernels, WholeDictionarySearchesAndTheirCombinationsEqualTheInterpreter) {
  std::vector<std::string> ascii;
  for (const auto& v : texts())
    if (std::all_of(v.begin(), v.end(), [](char c) { return (unsigned char)c < 0x80; })) ascii.push_back(v);
  auto check_all = [](Fixture* f) {
    for (const char* needle : {"GMAIL", "@Gmail.", "PRICING", "A", "B@", "@GMAIL.YYYY"})
      EXPECT_NE(f->check({{"ls:in", {needle, s_var}}}).find("lookup(s)"), std::string::npos) << needle;
    const json gmail = {{"in", {"@gmail.", s_var}}}, ab = {{"in", {"ab", s_var}}};
    const json pricing = {{"in", {"/pricing", s_var}}};
    f->check({{"!", gmail}});
    f->check({{"missing", {"s"}}});
    // (lengths 8 to 16 take the two-word comparison; 7 and 17 either side of it)
    for (const char* lit : {"", "a", "@gm", "anna", "https://www.", "aaaaaaaaaaaaaaaaab", "/pricing", "/pricin",
                            "@gmail.com", "https://www.acme", "https://www.acme7", "aaaaaaaaaaaaaaab"}) {
      const int n = (int)std::string(lit).size();
      f->check({{"==", {{{"substr", {s_var, 0, n}}}, lit}}});
      f->check({{"!=", {{{"substr", {s_var, 0, std::max(n, 1)}}}, lit}}});
      f->check({{"==", {{{"substr", {s_var, -n, n}}}, lit}}});
    }
    f->check({{"==", {{{"substr", {s_var, -4, 4}}}, ".com"}}});
    f->check({{"!", {{"missing", {"s"}}}}});
    f->check(s_var);
    f->check({{"!", s_var}});
    f->check({{"and", {gmail, {{"!", ab}}}}});
    f->check({{"or", {ab, pricing, {{"==", {s_var, "CEO"}}}}}});
    f->check({{"if", {ab, gmail, pricing}}});
    f->check({{"if", {{{"missing", {"s"}}}, false, {{"!", {{"or", {gmail, pricing}}}}}}}});
    f->check({{"if", {gmail, true, {{"if", {pricing, false, nullptr}}}}}});  // literals as branches
    f->check({{"!", {{"or", {{{"in", {"@yahoo.", s_var}}}, {{"in", {"@gm", s_var}}}}}}}});
  };
  Fixture only_ascii(ascii), mixed;
  check_all(&only_ascii);
  check_all(&mixed);
}
}  // namespace test_text_kernels
