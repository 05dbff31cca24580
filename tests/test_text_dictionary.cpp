// The loader's compact storage: TextDictionary (a String column's texts back to back), the raw
// dictionary's index (StringDict) and the raw codes that widen from one byte to four (RawCodes),
// each checked against a plain std::vector / std::unordered_map doing the same work.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "io/columns.h"
#include "leadscore/table.h"

namespace test_text_dictionary {

using namespace leadscore;
using detail::RawCodes;
using detail::StringDict;

std::string random_text(std::mt19937& rng) {
  static const std::string alphabet = "ab\"\n,\xc3\xa9 0123456789";
  std::string s(rng() % 24, ' ');
  for (char& c : s) c = alphabet[rng() % alphabet.size()];
  return s;
}

TEST(TextDictionary, HoldsTextsInOrderAndErasesMarkedOnes) {
  std::mt19937 rng(7);
  TextDictionary d;
  std::vector<std::string> want;
  for (int i = 0; i < 3000; ++i) {
    want.push_back(random_text(rng));
    d.push_back(want.back());
  }
  ASSERT_EQ(d.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) ASSERT_EQ(d[i], want[i]) << i;
  EXPECT_EQ(d.to_strings(), want);
  EXPECT_EQ(d.end() - d.begin(), static_cast<std::ptrdiff_t>(want.size()));
  std::vector<uint8_t> drop(want.size());
  std::vector<std::string> kept;
  for (size_t i = 0; i < want.size(); ++i) {
    drop[i] = rng() % 3 == 0;
    if (!drop[i]) kept.push_back(want[i]);
  }
  d.erase_marked(drop);
  EXPECT_EQ(d.to_strings(), kept);
  const TextDictionary e = {"", "x", ""};
  EXPECT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0], "");
  EXPECT_EQ(e[1], "x");
  EXPECT_EQ(e.back(), "");
}

TEST(StringDict, GivesOneCodePerDistinctTextInFirstSeenOrder) {
  std::mt19937 rng(11);
  StringDict d;
  std::unordered_map<std::string, int32_t> ref;
  std::vector<std::string> texts;
  for (int i = 0; i < 20000; ++i) {  // short and long, repeated and new; grows the index many times
    const std::string s = rng() % 2 ? random_text(rng) : texts.empty() ? "" : texts[rng() % texts.size()];
    const auto [it, added] = ref.emplace(s, static_cast<int32_t>(ref.size()));
    if (added) texts.push_back(s);
    ASSERT_EQ(d.intern(s), it->second) << i;
  }
  ASSERT_EQ(d.size(), texts.size());
  EXPECT_EQ(d.texts().to_strings(), texts);
  d.reserve(100000);  // a later reservation keeps every code
  for (const auto& [s, code] : ref) ASSERT_EQ(d.intern(s), code);
  EXPECT_EQ(d.take_texts().to_strings(), texts);
}

// The codes a dictionary gave while deferred, read through what settle() returned.
int32_t settled(const std::vector<int32_t>& new_code, int32_t code) {
  return new_code.empty() ? code : new_code[static_cast<size_t>(code)];
}

TEST(StringDict, DeferredLookupsFoldRepeatsIntoTheFirstEntry) {
  std::mt19937 rng(13);
  StringDict d;
  std::unordered_map<std::string, int32_t> ref;
  std::vector<std::string> texts;
  std::vector<int32_t> given, want;
  for (int i = 0; i < 30000; ++i) {
    if (i == 300) d.defer_lookups(20000, 200000);
    // New texts, recent repeats (the recent-texts table answers those) and old ones (it cannot).
    const int kind = static_cast<int>(rng() % 4);
    const std::string s = kind < 2 || texts.empty() ? random_text(rng)
                          : kind == 2 ? texts[texts.size() - 1 - rng() % std::min<size_t>(3, texts.size())]
                                      : texts[rng() % texts.size()];
    const auto [it, added] = ref.emplace(s, static_cast<int32_t>(ref.size()));
    if (added) texts.push_back(s);
    given.push_back(d.intern(s));
    want.push_back(it->second);
  }
  ASSERT_TRUE(d.deferred());
  ASSERT_GT(d.size(), texts.size());  // the repeats the recent table missed are entries until settled
  const std::vector<int32_t> new_code = d.settle(false);
  ASSERT_FALSE(new_code.empty());
  EXPECT_FALSE(d.deferred());
  for (size_t i = 0; i < given.size(); ++i) ASSERT_EQ(settled(new_code, given[i]), want[i]) << i;
  EXPECT_EQ(d.texts().to_strings(), texts);
}

TEST(StringDict, ADeferredColumnLessUniqueThanItLookedIsIndexedAgain) {
  StringDict d;
  std::vector<int32_t> given;
  for (int i = 0; i < 1000; ++i) given.push_back(d.intern("id-" + std::to_string(i) + "-padded-long"));
  d.defer_lookups(2000, 40000);
  std::vector<int32_t> new_code;
  for (int round = 0; round < 200 && d.deferred(); ++round) {
    for (int i = 0; i < 1000; ++i) given.push_back(d.intern("id-" + std::to_string(i) + "-padded-long"));
    if (d.overran()) new_code = d.settle(true);  // as the loader asks every 4,096 rows
  }
  ASSERT_FALSE(d.deferred());  // most entries repeated: looked up from now on
  ASSERT_EQ(d.size(), 1000u);
  for (size_t i = 0; i < given.size(); ++i) ASSERT_EQ(settled(new_code, given[i]), static_cast<int32_t>(i % 1000)) << i;
  EXPECT_EQ(d.intern("id-7-padded-long"), 7);
  EXPECT_EQ(d.intern("new-text-after-the-index-is-back"), 1000);
}

TEST(StringDict, ADeferredColumnWhoseNewRowsRepeatIsIndexedAgain) {
  // Unique in its first rows, then the same few thousand names again and again (within the
  // bytes budget: it is the repeats among the latest 64K entries that tell).
  StringDict d;
  std::unordered_map<std::string, int32_t> ref;  // first-seen order
  std::vector<int32_t> given, want;
  const auto intern = [&](int k) {
    const std::string s = "Company number " + std::to_string(k);
    given.push_back(d.intern(s));
    want.push_back(ref.emplace(s, static_cast<int32_t>(ref.size())).first->second);
  };
  for (int i = 0; i < 4000; ++i) intern(i);
  d.defer_lookups(1000000, 40000000);
  std::vector<int32_t> new_code;
  bool told = false;
  for (int i = 0; i < 200000 && d.deferred(); ++i) {
    intern((i * 7919) % 6000);
    if (i % 4096 == 0 && !d.overran() && d.repeats_lately()) new_code = d.settle(true), told = true;
  }
  ASSERT_TRUE(told);
  ASSERT_FALSE(d.deferred());
  ASSERT_EQ(d.size(), ref.size());
  for (size_t i = 0; i < given.size(); ++i) ASSERT_EQ(settled(new_code, given[i]), want[i]) << i;
  const size_t before = given.size();
  intern(5999);
  intern(123456);  // a new text after the index is back
  EXPECT_EQ(given[before], want[before]);
  EXPECT_EQ(given[before + 1], want[before + 1]);
}

TEST(StringDict, LoadsAColumnUniqueAtFirstAndRepeatedLaterExactly) {
  // Unique for the first rows (the loader stops looking texts up), then the same ids again, then
  // long texts repeated (past the bytes the first rows predicted: looked up again), then fresh
  // ids: every row keeps its text, and the dictionary has each text once.
  std::string text = "id,n\n";
  std::vector<std::string> ids;
  for (int i = 0; i < 60000; ++i) {
    const int v = i < 8000 ? i : i < 40000 ? (i * 7919) % 8000 : i;
    if (i >= 40000 && i < 55000)
      ids.push_back(std::string(140, 'x') + std::to_string(i % 100));
    else
      ids.push_back(v % 3 ? "lead-" + std::to_string(v) : "L" + std::to_string(v));
    text += ids.back() + "," + std::to_string(i % 5) + "\n";
  }
  const Table t = load_table(text, LoadOptions{});
  ASSERT_EQ(t.rows, 60000u);
  const Column& c = t.columns[0];
  ASSERT_EQ(c.type, ColumnType::String);
  std::unordered_map<std::string, size_t> distinct;
  for (size_t r = 0; r < t.rows; ++r) {
    ASSERT_EQ(c.dict[static_cast<size_t>(c.codes[r])], ids[r]) << r;
    distinct.emplace(ids[r], distinct.size());
  }
  ASSERT_EQ(c.dict.size(), distinct.size());
  for (size_t e = 0; e < c.dict.size(); ++e) ASSERT_EQ(distinct.at(std::string(c.dict[e])), e) << e;
}

int32_t int_code_of(int64_t v) {
  int32_t c = 0;
  const std::string s = std::to_string(v);
  EXPECT_TRUE(detail::int_code(s.data(), s.size(), c)) << v;
  return c;
}

TEST(RawCodes, WidenFromOneByteToFourAndKeepEveryCode) {
  std::mt19937 rng(3);
  // codes of growing range: what fits a byte, then two bytes, then four
  for (int run = 0; run < 20; ++run) {
    RawCodes codes;
    std::vector<int32_t> want;
    codes.reserve(run % 2 ? 5000 : 0);
    for (int i = 0; i < 5000; ++i) {
      const int64_t range = i < 1000 ? 127 : i < 3000 ? 32767 : 5000000;
      int32_t c;
      switch (rng() % 3) {
        case 0:
          c = -1;
          break;
        case 1:
          c = static_cast<int32_t>(rng() % (run % 3 == 0 ? range : 100));
          break;
        default:
          c = int_code_of(static_cast<int64_t>(rng() % range) - (run % 4 == 1 ? range / 2 : 0));
      }
      want.push_back(c);
      codes.push_back(c);
    }
    ASSERT_EQ(codes.size(), want.size());
    for (size_t r = 0; r < want.size(); ++r) ASSERT_EQ(codes[r], want[r]) << "run " << run << " row " << r;
    for (int k = 0; k < 200; ++k) {  // set() may widen as well
      const size_t r = rng() % want.size();
      want[r] = k % 2 ? static_cast<int32_t>(rng() % 70000) : int_code_of(rng() % 40000);
      codes.set(r, want[r]);
    }
    std::vector<int32_t> block(777);
    codes.read(1000, block.size(), block.data());
    for (size_t j = 0; j < block.size(); ++j) ASSERT_EQ(block[j], want[1000 + j]);
    EXPECT_EQ(codes.take_i32(), want);
    EXPECT_EQ(codes.size(), 0u);
  }
}

TEST(RawCodes, StayOneByteForCategoriesAndSmallCounts) {
  RawCodes codes;
  for (int i = 0; i < 1000; ++i) codes.push_back(i % 5 == 0 ? -1 : i % 2 ? i % 128 : int_code_of(i % 127));
  EXPECT_EQ(codes.width(), 1u);
  codes.push_back(int_code_of(127));
  EXPECT_EQ(codes.width(), 2u);
  codes.push_back(32768);
  EXPECT_EQ(codes.width(), 4u);
  EXPECT_EQ(codes[1000], int_code_of(127));
  EXPECT_EQ(codes[0], -1);
  EXPECT_EQ(codes[1], 1);
  EXPECT_EQ(codes[2], int_code_of(2));
}

// Loaded columns whose raw codes widen part-way through the file read back every cell.
TEST(RawCodes, ColumnsThatWidenLateLoadExactly) {
  std::string text = "n,t,m\n";
  std::vector<std::string> t_cells, m_cells;
  for (int i = 0; i < 70000; ++i) {
    const int n = i < 1000 ? i % 100 : i < 40000 ? i % 30000 : 100000 + i;
    t_cells.push_back(i < 500 ? "c" + std::to_string(i % 7) : "t" + std::to_string(i));
    m_cells.push_back(i % 3 == 0 ? "N/A" : i < 20000 ? "a" : "x" + std::to_string(i));
    text += std::to_string(n) + "," + t_cells.back() + "," + m_cells.back() + "\n";
  }
  const Table t = load_table(text, LoadOptions{});
  ASSERT_EQ(t.rows, 70000u);
  const Column& n = t.columns[0];
  const Column& tc = t.columns[1];
  const Column& mc = t.columns[2];
  ASSERT_EQ(n.type, ColumnType::Number);
  ASSERT_EQ(tc.type, ColumnType::String);
  ASSERT_EQ(mc.type, ColumnType::String);
  for (size_t r = 0; r < t.rows; ++r) {
    const int i = static_cast<int>(r);
    ASSERT_EQ(n.num[r], i < 1000 ? i % 100 : i < 40000 ? i % 30000 : 100000 + i) << r;
    ASSERT_EQ(tc.dict[static_cast<size_t>(tc.codes[r])], t_cells[r]) << r;
    if (i % 3 == 0)
      ASSERT_EQ(mc.codes[r], -1) << r;  // "N/A" is missing: erased from the dictionary
    else
      ASSERT_EQ(mc.dict[static_cast<size_t>(mc.codes[r])], m_cells[r]) << r;
  }
  EXPECT_EQ(mc.dict[0], "a");
}

}  // namespace test_text_dictionary
