// CSV/TSV reading: RFC 4180 quoting, line endings, BOM, delimiter detection, headers, ragged
// rows, errors, chunked (streaming) input and cancellation.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>

#include "io/csv.h"
#include "leadscore/table.h"
#include "test_util.h"

namespace test_csv {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;

namespace {

LoadOptions as_text() {  // every column a string, no missing tokens: see the text exactly
  LoadOptions o;
  o.infer_types = false;
  o.missing = {};
  return o;
}

// Everything observable about a table, as one string, to compare loads.
std::string describe(const Table& t) {
  std::string s = "format=" + t.format + " delim=" + std::string(1, t.delimiter ? t.delimiter : '0') +
                  " rows=" + std::to_string(t.rows) + "\n";
  for (const auto& c : t.columns)
    s += "col " + c.name + " [" + c.header + "] " + to_string(c.type) + (c.date_has_time ? " time" : "") + "\n";
  for (size_t r = 0; r < t.rows; ++r) s += "L" + std::to_string(t.row_line[r]) + " " + t.row_json(r).dump() + "\n";
  for (const auto& p : t.problems)
    s += "P " + std::to_string(p.line) + ":" + std::to_string(p.column) + " [" + p.field + "] " + p.message + "\n";
  return s;
}

std::string cell(const Table& t, size_t row, const std::string& col) {
  const int c = t.find(col);
  if (c < 0) return "<no column " + col + ">";
  return t.columns[static_cast<size_t>(c)].value_text(row);
}

Table load_pieces(const std::string& text, const std::vector<size_t>& cuts, const LoadOptions& o = {}) {
  TableLoader l(o);
  size_t prev = 0;
  for (size_t c : cuts) {
    l.feed(text.data() + prev, c - prev);
    prev = c;
  }
  l.feed(text.data() + prev, text.size() - prev);
  return l.finish();
}

}  // namespace

TEST(Csv, QuotesDoubledQuotesAndEmbeddedNewlines) {
  const Table t =
      load_table("id,text,n\n1,\"a, b\",2\n2,\"say \"\"hi\"\"\",3\n3,\"two\nlines\",4\n4,plain,5\n", as_text());
  ASSERT_EQ(t.rows, 4u);
  EXPECT_EQ(cell(t, 0, "text"), "a, b");
  EXPECT_EQ(cell(t, 1, "text"), "say \"hi\"");
  EXPECT_EQ(cell(t, 2, "text"), "two\nlines");
  EXPECT_EQ(cell(t, 3, "text"), "plain");
  EXPECT_EQ(t.row_line, (std::vector<size_t>{2, 3, 4, 6}));  // the row after a two-line field starts on line 6
  EXPECT_TRUE(t.problems.empty()) << describe(t);
}

TEST(Csv, QuoteOnlySpecialAtFieldStart) {
  const Table t = load_table("a,b\n12\"3,x\"y\n", as_text());
  ASSERT_EQ(t.rows, 1u);
  EXPECT_EQ(cell(t, 0, "a"), "12\"3");
  EXPECT_EQ(cell(t, 0, "b"), "x\"y");
  EXPECT_TRUE(t.problems.empty());
}

TEST(Csv, TextAfterClosingQuoteIsKeptAndReported) {
  const Table t = load_table("a,b\n\"abc\"def,1\n\"x\"  ,2\n", as_text());
  ASSERT_EQ(t.rows, 2u);
  EXPECT_EQ(cell(t, 0, "a"), "abcdef");
  EXPECT_EQ(cell(t, 1, "a"), "x");  // spaces after a closing quote are dropped silently
  ASSERT_EQ(t.problems.size(), 1u) << describe(t);
  EXPECT_EQ(t.problems[0].line, 2u);
  EXPECT_EQ(t.problems[0].column, 1u);
  EXPECT_EQ(t.problems[0].field, "a");
}

TEST(Csv, LineEndings) {
  const std::string lf = "a,b\n1,x\n2,\"p\nq\"\n3,z\n";
  const std::string crlf = "a,b\r\n1,x\r\n2,\"p\nq\"\r\n3,z\r\n";
  const std::string cr = "a,b\r1,x\r2,\"p\nq\"\r3,z\r";
  const std::string mixed = "a,b\r\n1,x\n2,\"p\nq\"\r3,z";
  const Table t1 = load_table(lf, as_text());
  for (const std::string* s : {&crlf, &cr, &mixed}) {
    const Table t = load_table(*s, as_text());
    ASSERT_EQ(t.rows, 3u);
    EXPECT_EQ(cell(t, 0, "b"), "x");
    EXPECT_EQ(cell(t, 1, "b"), "p\nq");
    EXPECT_EQ(cell(t, 2, "b"), "z");  // no stray \r
    EXPECT_EQ(t.row_line, t1.row_line);
    EXPECT_TRUE(t.problems.empty()) << describe(t);
  }
  // CRLF inside quotes is kept as written; it still counts as one line
  const Table t = load_table("a,b\r\n\"x\r\ny\",1\r\nz,2\r\n", as_text());
  EXPECT_EQ(cell(t, 0, "a"), "x\r\ny");
  EXPECT_EQ(t.row_line, (std::vector<size_t>{2, 4}));
}

TEST(Csv, BomAndHeaderWhitespace) {
  const Table t = load_table("\xEF\xBB\xBF  name , \tage\t,\"  city \"\nAnn,31,Oslo\n");
  ASSERT_EQ(t.columns.size(), 3u);
  EXPECT_EQ(t.columns[0].name, "name");
  EXPECT_EQ(t.columns[0].header, "name");
  EXPECT_EQ(t.columns[1].name, "age");
  EXPECT_EQ(t.columns[2].name, "city");
  EXPECT_EQ(t.columns[1].type, ColumnType::Number);
  EXPECT_EQ(t.delimiter, ',');
  EXPECT_TRUE(t.problems.empty()) << describe(t);
}

TEST(Csv, DelimiterDetection) {
  struct Case {
    std::string text;
    char delim;
  };
  const std::vector<Case> cases = {
      {"a,b,c\n1,2,3\n4,5,6\n", ','},
      {"a;b;c\n1,5;2,5;3\n4;5;6\n", ';'},            // decimal commas do not fool it
      {"a\tb\tc\n\"x, y\"\t2\t3\n4\t5\t6\n", '\t'},  // commas inside a tab file
      {"a|b|c\n1|2|3\n", '|'},
      {"name;\"city, state\"\nAnn;\"Oslo, NO\"\n", ';'},  // quoted commas are not delimiters
      {"\"a;b\",c\n\"1;2\",3\n", ','},                    // quoted semicolons are not delimiters
      {"a;b\n1;2", ';'},                                  // no trailing newline
      {"only\n1\n2\n", ','},                              // one column: the default
      {"a,b;c;d\n1,2;3;4\n", ';'},                        // both consistent: more fields wins
  };
  for (const auto& c : cases) {
    const Table t = load_table(c.text, as_text());
    EXPECT_EQ(t.delimiter, c.delim) << c.text;
    EXPECT_TRUE(t.problems.empty()) << c.text << describe(t);
  }
  // TSV with a ragged line still detected
  const Table t = load_table("a\tb\tc\n1\t2\t3\n4\t5\n7\t8\t9\n", as_text());
  EXPECT_EQ(t.delimiter, '\t');
}

TEST(Csv, DelimiterOverrideAndTsvFormat) {
  LoadOptions o = as_text();
  o.delimiter = ';';
  Table t = load_table("a,b;c\n1,2;3\n", o);
  EXPECT_EQ(t.delimiter, ';');
  ASSERT_EQ(t.columns.size(), 2u);
  EXPECT_EQ(t.columns[0].name, "a,b");
  LoadOptions tsv = as_text();
  tsv.format = "tsv";
  t = load_table("a,b\tc\n1,2\t3\n", tsv);
  EXPECT_EQ(t.delimiter, '\t');
  EXPECT_EQ(cell(t, 0, "a,b"), "1,2");
  LoadOptions bad;
  bad.delimiter = '"';
  EXPECT_THROW(load_table("a,b\n", bad), LoadError);
  LoadOptions fmt;
  fmt.format = "xlsx";
  EXPECT_THROW(load_table("a,b\n", fmt), LoadError);
}

TEST(Csv, EmptyAndDuplicateHeaders) {
  const Table t = load_table("id,,name,name,Name,\n1,2,3,4,5,6\n", as_text());
  ASSERT_EQ(t.columns.size(), 6u);
  EXPECT_EQ(t.columns[1].name, "column_2");
  EXPECT_EQ(t.columns[1].header, "");
  EXPECT_EQ(t.columns[2].name, "name");
  EXPECT_EQ(t.columns[3].name, "name_2");
  EXPECT_EQ(t.columns[3].header, "name");
  EXPECT_EQ(t.columns[4].name, "Name");  // names are case-sensitive
  EXPECT_EQ(t.columns[5].name, "column_6");
  EXPECT_EQ(cell(t, 0, "name_2"), "4");
  ASSERT_EQ(t.problems.size(), 3u) << describe(t);
  EXPECT_EQ(t.problems[0].line, 1u);
  EXPECT_EQ(t.problems[0].column, 2u);
  EXPECT_NE(t.problems[0].message.find("column_2"), std::string::npos);
  EXPECT_EQ(t.problems[1].column, 4u);
  EXPECT_NE(t.problems[1].message.find("duplicate"), std::string::npos);
  EXPECT_EQ(t.problems[2].column, 6u);
  // a header used twice with the suffix already taken
  const Table u = load_table("a,a,a_2\n1,2,3\n", as_text());
  EXPECT_EQ(u.columns[1].name, "a_2");
  EXPECT_EQ(u.columns[2].name, "a_2_2");
}

TEST(Csv, RaggedRowsAreKeptAndReported) {
  const Table t = load_table("a,b,c\n1,2,3\n4,5\n6\n7,8,9,10,11\n12,13,14\n");
  ASSERT_EQ(t.rows, 5u) << describe(t);
  EXPECT_EQ(cell(t, 1, "a"), "4");
  EXPECT_TRUE(t.columns[2].is_missing(1));
  EXPECT_TRUE(t.columns[1].is_missing(2));
  EXPECT_TRUE(t.columns[2].is_missing(2));
  EXPECT_EQ(cell(t, 3, "c"), "9");
  EXPECT_EQ(cell(t, 4, "a"), "12");
  ASSERT_EQ(t.problems.size(), 3u) << describe(t);
  EXPECT_EQ(t.problems[0].line, 3u);
  EXPECT_EQ(t.problems[0].column, 3u);
  EXPECT_EQ(t.problems[0].field, "c");
  EXPECT_NE(t.problems[0].message.find("missing"), std::string::npos);
  EXPECT_EQ(t.problems[1].line, 4u);
  EXPECT_EQ(t.problems[2].line, 5u);
  EXPECT_EQ(t.problems[2].column, 4u);  // the first extra field
  EXPECT_NE(t.problems[2].message.find("\"10\", \"11\""), std::string::npos) << t.problems[2].message;
}

TEST(Csv, BlankLinesAndTrailingNewline) {
  const Table t = load_table("\n\na,b\n1,2\n\n\n3,4\n\n");
  EXPECT_EQ(t.rows, 2u);
  EXPECT_EQ(t.row_line, (std::vector<size_t>{4, 7}));
  EXPECT_TRUE(t.problems.empty()) << describe(t);
  // no trailing newline: the last row is still read
  EXPECT_EQ(load_table("a,b\n1,2\n3,4").rows, 2u);
  // a row of empty fields (as spreadsheets write empty rows) is skipped and counted
  const Table e = load_table("a,b\n,\n1,2\n");
  EXPECT_EQ(e.rows, 1u);
  ASSERT_EQ(e.problems.size(), 1u);
  EXPECT_EQ(e.problems[0].line, 2u);
  // a line of spaces is skipped, with a problem
  const Table s = load_table("a,b\n1,2\n   \n3,4\n");
  EXPECT_EQ(s.rows, 2u);
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_EQ(s.problems[0].line, 3u);
  // a single-column file keeps a quoted empty value as a row
  const Table q = load_table("a\n\"\"\nx\n", as_text());
  EXPECT_EQ(q.rows, 2u);
  // header only
  const Table h = load_table("a,b\n");
  EXPECT_EQ(h.rows, 0u);
  EXPECT_EQ(h.columns.size(), 2u);
}

TEST(Csv, EmptyInputIsAnError) {
  EXPECT_THROW(load_table(""), LoadError);
  EXPECT_THROW(load_table("\n\n  \n"), LoadError);
  TableLoader l;
  l.feed("a\n1\n", 4);
  EXPECT_EQ(l.finish().rows, 1u);
  EXPECT_THROW(l.feed("x", 1), LoadError);  // finished
  EXPECT_THROW(l.finish(), LoadError);
}

TEST(Csv, UnterminatedQuoteReportsWhereItOpened) {
  try {
    load_table("a,b\n1,2\n3,\"never closed\n4,5\n6,7\n");
    FAIL() << "expected LoadError";
  } catch (const LoadError& e) {
    EXPECT_EQ(e.line, 3u);
    EXPECT_EQ(e.column, 3u);
    EXPECT_NE(std::string(e.what()).find("line 3, column 3"), std::string::npos) << e.what();
  }
  try {  // the column counts characters, not bytes
    load_table("a,b,c\n\xC3\xA9t\xC3\xA9,x,\"open\n");
    FAIL() << "expected LoadError";
  } catch (const LoadError& e) {
    EXPECT_EQ(e.line, 2u);
    EXPECT_EQ(e.column, 7u);
  }
  try {  // a quoted field that spans lines, then never closes
    load_table("a\n\"x\"\n\"one\ntwo\nthree");
    FAIL() << "expected LoadError";
  } catch (const LoadError& e) {
    EXPECT_EQ(e.line, 3u);
    EXPECT_EQ(e.column, 1u);
  }
}

TEST(Csv, ChunkedFeedingAtEverySplitPointMatchesOneFeed) {
  const std::string tricky =
      "\xEF\xBB\xBF id ;\"na;me\";when;ok\r\n"
      "1;\"a \"\"quoted\"\" word\";2024-03-01;yes\r\n"
      "2;\"multi\r\nline\nfield\";03/04/2024;no\r"
      "3;plain;2024-03-01T09:30:00Z;y\n"
      "\n"
      "4;\"x\"junk;;n\r\n"
      "5;short\r\n"
      "6;\"\xC3\xA9t\xC3\xA9\";2024-01-02;true;extra\r\n"
      "7;\"\";;\r\n"
      "8;\"q\";2024-01-01;\"yes\"\r\n"  // a quoted field right before CRLF
      "9;x;;\"no\"\r"                   // ... and before a lone CR
      "10;last;2024-12-31;false";
  // With the delimiter given, parsing starts after 3 bytes, so the cuts land in the tokenizer
  // itself; when it is detected, the first 64 KB are collected first.
  LoadOptions given;
  given.delimiter = ';';
  for (const LoadOptions& o : {LoadOptions{}, given}) {
    const std::string whole = describe(load_table(tricky, o));
    ASSERT_NE(whole.find("rows=10"), std::string::npos) << whole;
    for (size_t cut = 0; cut <= tricky.size(); ++cut)
      ASSERT_EQ(describe(load_pieces(tricky, {cut}, o)), whole) << "split at " << cut;
    for (size_t a = 0; a <= tricky.size(); a += 3)
      for (size_t b = a; b <= tricky.size(); b += 7)
        ASSERT_EQ(describe(load_pieces(tricky, {a, b}, o)), whole) << "split at " << a << "," << b;
    std::vector<size_t> bytes;
    for (size_t i = 1; i < tricky.size(); ++i) bytes.push_back(i);
    EXPECT_EQ(describe(load_pieces(tricky, bytes, o)), whole) << "one byte at a time";
  }
}

TEST(Csv, ChunkedFeedingOfALargeInput) {
  // Larger than the 64 KB detection sample, with quoted fields spanning the cuts.
  std::string text = "id,comment,amount\n";
  for (int i = 0; i < 5000; ++i)
    text += std::to_string(i) + ",\"row " + std::to_string(i) + ", with \"\"quotes\"\"\nand a newline\"," +
            std::to_string(i * 1.25) + "\r\n";
  const std::string whole = describe(load_table(text));
  std::mt19937 rng(42);
  for (int round = 0; round < 5; ++round) {
    std::vector<size_t> cuts;
    size_t at = 0;
    for (;;) {
      at += 1 + rng() % (round == 0 ? 50 : 70000);
      if (at >= text.size()) break;
      cuts.push_back(at);
    }
    ASSERT_EQ(describe(load_pieces(text, cuts)), whole) << "round " << round;
  }
  const Table t = load_table(text);
  EXPECT_EQ(t.rows, 5000u);
  EXPECT_EQ(t.row_line[4999], 2u + 2 * 4999);
  EXPECT_EQ(t.columns[2].type, ColumnType::Number);
}

// Records whose fields lie in the piece being fed are coded a column at a time, in batches; the
// others (parts of a record carried between pieces, fields with "" decoded into the parser's
// buffer, ragged rows) one at a time, and a batch is coded before them. Fed whole, in tiny pieces
// (nearly every record carried) and in pieces of every size, the same table comes out, with the
// same texts in the same first-seen order in every column's dictionary.
TEST(Csv, RowsCodedInBatchesMatchRowsCodedOneByOne) {
  std::mt19937 rng(7);
  std::string text = "id,email,company,n,amount,flag,note\n";
  for (int i = 0; i < 20000; ++i) {
    if (i % 500 == 499) text += "\n";
    text += "L-" + std::to_string(i) + ",p" + std::to_string(rng() % 2000) + "@example.com,Co " +
            std::to_string(rng() % 300) + "," + std::to_string(rng() % 1000) + "," + std::to_string(rng() % 99999) +
            "." + std::to_string(10 + rng() % 90) + "," + (rng() % 2 ? "yes" : "no");
    if (i % 101 == 100) {  // short row
      text += "\n";
      continue;
    }
    if (i % 37 == 0)
      text += ",\"say \"\"hi\"\" " + std::to_string(i % 50) + "\"";
    else if (i % 777 == 0)
      text += ",\"two\nlines\"";
    else
      text += ",note " + std::to_string(i % 9);
    if (i % 211 == 0) text += ",extra";
    text += i % 3 ? "\n" : "\r\n";
  }
  const auto texts_in_order = [](const Table& t) {
    std::string s;
    for (const auto& c : t.columns)
      for (size_t e = 0; e < c.dict.size(); ++e) s += std::string(c.dict[e]) + "|";
    return s;
  };
  const Table whole = load_table(text);
  ASSERT_EQ(whole.rows, 20000u);
  const std::string want = describe(whole), want_texts = texts_in_order(whole);
  for (const size_t most : {40u, 70000u, 1000000u}) {
    std::vector<size_t> cuts;
    for (size_t at = 1 + rng() % most; at < text.size(); at += 1 + rng() % most) cuts.push_back(at);
    const Table t = load_pieces(text, cuts);
    ASSERT_EQ(describe(t), want) << "pieces of up to " << most << " bytes";
    EXPECT_EQ(texts_in_order(t), want_texts) << "pieces of up to " << most << " bytes";
  }
}

TEST(Csv, HugeFieldsAcrossManyPieces) {
  // Fields much longer than a piece (and than the 64 KB detection sample).
  std::string big(300000, 'x');
  for (size_t i = 0; i < big.size(); i += 1000) big[i] = '\n';
  std::string text = "id;note;n\r\n";
  for (int i = 0; i < 4; ++i) text += std::to_string(i) + ";\"" + big + "\"\"q\";" + std::to_string(i) + "\r\n";
  text += "4;" + std::string(200000, 'y') + ";4\r\n";
  const std::string whole = describe(load_table(text));
  for (size_t piece : {1000u, 65536u, 100000u, 1u << 20}) {
    std::vector<size_t> cuts;
    for (size_t at = piece; at < text.size(); at += piece) cuts.push_back(at);
    ASSERT_EQ(describe(load_pieces(text, cuts)), whole) << "pieces of " << piece;
  }
  const Table t = load_table(text);
  ASSERT_EQ(t.rows, 5u);
  EXPECT_EQ(t.delimiter, ';');
  EXPECT_EQ(t.columns[1].value_text(0), big + "\"q");
  EXPECT_EQ(t.columns[1].value_text(4), std::string(200000, 'y'));
  EXPECT_EQ(t.row_line[1], 2u + 301);  // 300 line breaks inside each big field
  EXPECT_TRUE(t.problems.empty()) << describe(t).substr(0, 300);
}

TEST(Csv, ProgressAndCancellation) {
  std::string text = "a,b\n";
  for (int i = 0; i < 200000; ++i) text += std::to_string(i) + ",x\n";
  std::vector<std::pair<size_t, size_t>> calls;
  LoadOptions o;
  o.progress = [&](size_t bytes, size_t rows) {
    calls.emplace_back(bytes, rows);
    return true;
  };
  const Table t = load_table(text, o);
  EXPECT_EQ(t.rows, 200000u);
  ASSERT_GE(calls.size(), 3u);  // every 64k rows, plus the end
  for (size_t i = 1; i < calls.size(); ++i) {
    EXPECT_GE(calls[i].first, calls[i - 1].first);
    EXPECT_GE(calls[i].second, calls[i - 1].second);
  }
  EXPECT_EQ(calls.back().first, text.size());
  EXPECT_EQ(calls.back().second, 200000u);

  size_t n = 0;
  LoadOptions cancel;
  cancel.progress = [&](size_t, size_t) { return ++n < 2; };
  try {
    load_table(text, cancel);
    FAIL() << "expected cancellation";
  } catch (const LoadError& e) {
    EXPECT_EQ(std::string(e.what()), "cancelled");
  }
  EXPECT_EQ(n, 2u);
}

TEST(Csv, LoadTableFileReadsInPieces) {
  // A file the test writes: 3 MB, so load_table_file feeds several 1 MB pieces.
  const std::string path = std::string(::testing::TempDir()) + "leadscore_test_chunks.csv";
  std::string text = "n;s\n";
  for (int i = 0; i < 150000; ++i) text += std::to_string(i) + ";\"v;" + std::to_string(i % 97) + "\"\n";
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  size_t calls = 0;
  LoadOptions o;
  o.progress = [&](size_t, size_t) { return ++calls > 0; };
  const Table a = load_table_file(path, o);
  const Table b = load_table(text);
  EXPECT_EQ(describe(a), describe(b));
  EXPECT_EQ(a.rows, 150000u);
  EXPECT_GE(calls, 3u);
  std::remove(path.c_str());
  EXPECT_THROW(load_table_file(path + ".does-not-exist"), LoadError);
}

// ---------------------------------------------------------------- the tokenizer against a reference

namespace {

using Records = std::vector<std::vector<std::string>>;

// csv.h's rules written as the plainest byte-at-a-time state machine (delimiter ','): the
// reference the block-at-a-time scanner is checked against. Throws on an unclosed quote.
Records reference_tokens(const std::string& s) {
  enum { Start, Unquoted, Quoted, AfterQuote } st = Start;
  Records out;
  std::vector<std::string> rec;
  std::string field, tail;
  bool junk = false;
  auto end_field = [&] {
    if (junk) field += tail;  // text after the closing quote is kept; only spaces/tabs are dropped
    rec.push_back(field);
    field.clear(), tail.clear(), junk = false;
  };
  const size_t n = s.size();
  for (size_t i = 0; i < n; ++i) {
    const char c = s[i];
    if (st == Quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < n && s[i + 1] == '"') {
        field += '"', ++i;
      } else {
        st = AfterQuote;
      }
      continue;
    }
    if (st == Start && c == '"') {
      st = Quoted;
      continue;
    }
    if (c == ',' || c == '\n' || c == '\r') {
      end_field();
      st = Start;
      if (c != ',') {
        out.push_back(rec), rec.clear();
        if (c == '\r' && i + 1 < n && s[i + 1] == '\n') ++i;
      }
      continue;
    }
    if (st == AfterQuote) {
      tail += c;
      junk = junk || (c != ' ' && c != '\t');
    } else {
      st = Unquoted;
      field += c;
    }
  }
  if (st == Quoted) throw LoadError("unterminated");
  if (st != Start || !rec.empty()) end_field(), out.push_back(rec);
  return out;
}

struct Collect final : csv::Handler {
  Records records;
  void record(const std::string_view* f, size_t n, size_t, bool) override {
    records.emplace_back();
    for (size_t i = 0; i < n; ++i) records.back().emplace_back(f[i]);
  }
  void problem(size_t, size_t, const std::string&) override {}
};

// The tokenizer's records for `s` fed in pieces cut at `cuts`; "<throws>" when it throws.
std::string tokens(const std::string& s, const std::vector<size_t>& cuts) {
  Collect h;
  csv::Parser p(h, ',');
  try {
    size_t at = 0;
    for (size_t c : cuts) p.feed(s.data() + at, c - at), at = c;
    p.feed(s.data() + at, s.size() - at);
    p.finish();
  } catch (const LoadError&) {
    return "<throws>";
  }
  return ::testing::PrintToString(h.records);
}

}  // namespace

TEST(Csv, TokenizerMatchesAByteAtATimeReference) {
  // Random texts over the bytes that matter (delimiters, quotes, CR, LF, spaces) and runs of
  // plain bytes, so that fields, quotes and line breaks fall on every side of the 64-byte
  // blocks the scanner reads, fed whole and in random pieces.
  std::mt19937 rng(2626);
  const std::string alphabet = "ab ,,,\"\"\n\r\t";
  for (int round = 0; round < 4000; ++round) {
    std::string s;
    const size_t len = rng() % (round < 2000 ? 200 : 1500);
    while (s.size() < len) {
      if (rng() % 8 == 0)
        s += std::string(1 + rng() % 130, static_cast<char>('c' + rng() % 3));
      else
        s += alphabet[rng() % alphabet.size()];
    }
    std::string want;
    try {
      want = ::testing::PrintToString(reference_tokens(s));
    } catch (const LoadError&) {
      want = "<throws>";
    }
    ASSERT_EQ(tokens(s, {}), want) << ::testing::PrintToString(s);
    std::vector<size_t> cuts;
    for (size_t at = 0; s.size() > 1;) {
      at += 1 + rng() % 97;
      if (at >= s.size()) break;
      cuts.push_back(at);
    }
    ASSERT_EQ(tokens(s, cuts), want) << ::testing::PrintToString(s);
  }
}

TEST(Csv, SizeHintReservesRowStorageOnceAndChangesNothing) {
  // rows of one length (the estimate is exact) with ids, repeated texts, small numbers and
  // unique texts (their raw codes need four bytes and become the column's codes as they are)
  std::string text = "id,name,score,mail\n";
  for (int i = 0; i < 50000; ++i)
    text += std::to_string(100000 + i) + ",name" + std::to_string(100 + i % 877) + "," + std::to_string(100 + i % 101) +
            ",m" + std::to_string(100000 + i) + "@x.io\n";
  const auto load_in_pieces = [&](uint64_t hint) {
    LoadOptions o;
    o.size_hint = hint;
    TableLoader l(o);
    for (size_t at = 0; at < text.size(); at += 70000)
      l.feed(text.data() + at, std::min<size_t>(70000, text.size() - at));
    return l.finish();
  };
  const Table plain = load_in_pieces(0);
  const std::string want = describe(plain);
  // without a hint the codes grow by doubling; with the right size they are reserved once
  const auto capacity = [](const Table& t) { return t.columns[3].codes.capacity(); };
  const auto reserved_once = [&](const Table& t) {
    EXPECT_LE(capacity(t), 50000u * 106 / 100 + 1024) << "reserved from the hint";
    EXPECT_GE(capacity(t), 50000u);
  };
  EXPECT_GE(capacity(plain), 65536u);
  for (const uint64_t hint : {uint64_t{text.size()}, uint64_t{text.size() / 3}, uint64_t{text.size() * 3},
                              uint64_t{1} << 62, uint64_t{100}}) {
    const Table t = load_in_pieces(hint);
    EXPECT_EQ(describe(t), want) << hint;
    if (hint == text.size()) reserved_once(t);
  }
  // load_table has the whole text: its size is the hint
  const Table whole = load_table(text, LoadOptions{});
  EXPECT_EQ(describe(whole), want);
  reserved_once(whole);
}

}  // namespace test_csv
