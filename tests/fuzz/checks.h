// The bodies of the libFuzzer targets (tests/fuzz/fuzz_*.cpp), header-only so that the
// GoogleTest suite (tests/test_fuzz_regressions.cpp) runs every committed crash input through
// exactly the same checks, natively and as WebAssembly.
// Longer than our ~600-line guide on purpose: one header per fuzz harness family would have to be
// included by each target and by the regression test alike; one file keeps them in step.
//
// Each check takes fuzzer bytes, drives one part of the core, and throws FuzzFailure when an
// invariant breaks: an exception of a kind the API does not document, two paths that must agree
// and do not (whole vs streamed input, the tokenizer vs a plain reference tokenizer, nlohmann's
// DOM vs the SAX table reader, apply() vs Program, compiled columnar evaluation vs the
// row-at-a-time interpreter), a table whose columns do not line up, text that is not UTF-8.
// Crashes, leaks, overflows and undefined behaviour are the sanitizers' part.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/csv.h"
#include "leadscore/jsonlogic.h"
#include "leadscore/limits.h"
#include "leadscore/rules.h"
#include "leadscore/scorer.h"
#include "leadscore/table.h"
#include "rules/compiler.h"

namespace leadscore::fuzz {

using json = nlohmann::json;

struct FuzzFailure : std::logic_error {
  using std::logic_error::logic_error;
};

#define LS_FUZZ_CHECK(cond, what)                                                                         \
  do {                                                                                                    \
    if (!(cond)) throw ::leadscore::fuzz::FuzzFailure(std::string("check failed: " #cond ": ") + (what)); \
  } while (0)

// Reads fuzzer bytes: small numbers from the front, the rest as text.
class Bytes {
 public:
  Bytes(const uint8_t* p, size_t n) : p_(p), n_(n) {}
  uint8_t byte() { return i_ < n_ ? p_[i_++] : 0; }
  uint32_t u32() {
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) v = v << 8 | byte();
    return v;
  }
  bool empty() const { return i_ >= n_; }
  std::string rest() {
    std::string s(reinterpret_cast<const char*>(p_ + i_), n_ - i_);
    i_ = n_;
    return s;
  }

 private:
  const uint8_t* p_;
  size_t n_, i_ = 0;
};

// A tiny deterministic generator for split points and choices (xorshift32).
struct Rng {
  uint32_t s;
  explicit Rng(uint32_t seed) : s(seed ? seed : 0x9E3779B9u) {}
  uint32_t next() {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    return s;
  }
  size_t below(size_t n) { return n ? next() % n : 0; }
};

// ------------------------------------------------------------------------- table snapshots

inline std::string bits(double d) {
  uint64_t b;
  std::memcpy(&b, &d, 8);
  if (std::isnan(d)) b = 0x7FF8000000000000ULL;  // every NaN is "missing"
  return std::to_string(b);
}

// Everything a loaded table holds, as text: two loads agree iff their snapshots are equal.
inline std::string snapshot(const Table& t) {
  std::ostringstream o;
  o << t.format << '|' << int(t.delimiter) << '|' << t.rows << '\n';
  for (size_t r : t.row_line) o << r << ',';
  o << '\n';
  for (const auto& c : t.columns) {
    o << c.name.size() << ':' << c.name << '|' << c.header.size() << ':' << c.header << '|' << to_string(c.type) << '|'
      << c.date_has_time << '\n';
    for (double d : c.num.to_vector()) o << bits(d) << ',';
    o << '\n';
    for (int32_t k : c.codes) o << k << ',';
    o << '\n';
    for (const auto& s : c.dict) o << s.size() << ':' << s << ',';
    o << '\n';
  }
  for (const auto& p : t.problems) o << p.line << ',' << p.column << ',' << p.field << ',' << p.message << '\n';
  return o.str();
}

// The invariants every loaded table keeps.
inline void check_table(const Table& t) {
  LS_FUZZ_CHECK(t.row_line.size() == t.rows, "row_line has one entry per row");
  for (size_t r = 1; r < t.row_line.size(); ++r)
    LS_FUZZ_CHECK(t.row_line[r] > t.row_line[r - 1] || (t.format != "csv" && t.row_line[r] == t.row_line[r - 1]),
                  "rows start on increasing lines");
  LS_FUZZ_CHECK(t.columns.size() <= kMaxColumns, "column limit");
  for (const auto& c : t.columns) {
    LS_FUZZ_CHECK(!c.name.empty(), "every column has a name");
    LS_FUZZ_CHECK(detail::valid_utf8(c.name) && detail::valid_utf8(c.header), "names are UTF-8: " + c.name);
    if (c.type == ColumnType::String) {
      LS_FUZZ_CHECK(c.codes.size() == t.rows && c.num.empty(), "string column sizes");
      for (int32_t k : c.codes) LS_FUZZ_CHECK(k >= -1 && k < (int32_t)c.dict.size(), "codes index the dictionary");
      for (const auto& s : c.dict) LS_FUZZ_CHECK(detail::valid_utf8(s), "dictionary texts are UTF-8");
    } else {
      LS_FUZZ_CHECK(c.num.size() == t.rows && c.codes.empty() && c.dict.empty(), "numeric column sizes");
      for (double d : c.num.to_vector())
        LS_FUZZ_CHECK(std::isnan(d) || std::isfinite(d), "numbers are finite or missing");
      if (c.type == ColumnType::Boolean)
        for (double d : c.num.to_vector()) LS_FUZZ_CHECK(std::isnan(d) || d == 0 || d == 1, "booleans are 0/1");
    }
  }
  // Names are unique: a rule reads exactly one column by name.
  for (size_t i = 0; i < t.columns.size(); ++i)
    for (size_t j = i + 1; j < t.columns.size(); ++j)
      LS_FUZZ_CHECK(t.columns[i].name != t.columns[j].name, "unique names");
  for (const auto& p : t.problems)
    LS_FUZZ_CHECK(detail::valid_utf8(p.message) && !p.message.empty(), "problems are readable");
  // What the page and the CLI do with rows: JSON out (strict UTF-8) and text out.
  for (size_t r = 0; r < t.rows && r < 4; ++r) {
    const json row = t.row_json(r);
    (void)row.dump();
    for (const auto& c : t.columns) (void)c.value_text(r);
  }
}

// Cut points for feeding text in pieces: up to 6 cuts chosen by the fuzzer's seed, some of them
// next to each other (1-byte pieces), so pieces end inside quotes, CRLFs and UTF-8 characters.
inline std::vector<size_t> cuts(size_t n, Rng& rng) {
  std::vector<size_t> c;
  if (n > 1)
    for (size_t k = rng.below(7); k > 0; --k) {
      const size_t at = 1 + rng.below(n - 1);
      c.push_back(at);
      if (rng.below(3) == 0 && at + 1 < n) c.push_back(at + 1);
    }
  c.push_back(n);
  std::sort(c.begin(), c.end());
  c.erase(std::unique(c.begin(), c.end()), c.end());
  return c;
}

struct Outcome {
  bool ok = false;
  std::string snap;  // the table, or the error: code|line|column|field|message
};

inline Outcome error_outcome(const LoadError& e) {
  LS_FUZZ_CHECK(!std::string(e.what()).empty(), "errors say something");
  LS_FUZZ_CHECK(detail::valid_utf8(e.what()), "error messages are UTF-8");
  static const char* kCodes[] = {"load", "empty", "limit", "format", "encoding", "cancelled"};
  bool known = false;
  for (const char* k : kCodes) known |= e.code == k;
  LS_FUZZ_CHECK(known, "documented error code: " + e.code);
  return {false,
          e.code + "|" + std::to_string(e.line) + "|" + std::to_string(e.column) + "|" + e.field + "|" + e.what()};
}

inline Outcome load_whole(const std::string& text, const LoadOptions& o) {
  try {
    Table t = load_table(text, o);
    check_table(t);
    return {true, snapshot(t)};
  } catch (const LoadError& e) {
    return error_outcome(e);
  }
}

// The same input fed in pieces split at chosen points (inside quotes, CRLFs, UTF-8 characters...).
inline Outcome load_split(const std::string& text, const LoadOptions& o, Rng& rng) {
  try {
    TableLoader l(o);
    size_t at = 0;
    for (size_t c : cuts(text.size(), rng)) {
      l.feed(text.data() + at, c - at);
      at = c;
    }
    Table t = l.finish();
    check_table(t);
    return {true, snapshot(t)};
  } catch (const LoadError& e) {
    return error_outcome(e);
  }
}

inline void same(const Outcome& a, const Outcome& b, const char* what) {
  if (a.ok != b.ok || a.snap != b.snap)
    throw FuzzFailure(std::string(what) + " differ:\n--- first\n" + a.snap.substr(0, 2000) + "\n--- second\n" +
                      b.snap.substr(0, 2000));
}

// ------------------------------------------------------------------------- CSV tokenizer reference

struct Record {
  std::vector<std::string> fields;
  size_t line;
  bool any_quoted;
  bool operator==(const Record& o) const { return fields == o.fields && line == o.line && any_quoted == o.any_quoted; }
};

// The rules of csv.h, written out plainly for a whole input: quotes only at the start of a field,
// "" inside quotes, text after a closing quote kept (spaces/tabs alone dropped), records end at
// LF / CRLF / lone CR, lines counted the same way inside quotes too, a BOM skipped.
// Returns false (unterminated quote) with the quote's line.
inline bool reference_records(const std::string& s, char d, std::vector<Record>& out, size_t* open_line) {
  size_t i = s.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  const size_t n = s.size();
  size_t line = 1;
  while (i < n) {
    Record rec{{}, line, false};
    for (;;) {  // one field
      std::string v;
      if (i < n && s[i] == '"') {
        rec.any_quoted = true;
        const size_t qline = line;
        ++i;
        for (;;) {
          if (i >= n) {
            *open_line = qline;
            return false;
          }
          const char c = s[i];
          if (c == '"') {
            if (i + 1 < n && s[i + 1] == '"') {
              v += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (c == '\n' || (c == '\r' && !(i + 1 < n && s[i + 1] == '\n'))) ++line;
          v += c;
          ++i;
        }
        const size_t j = i;
        while (i < n && s[i] != d && s[i] != '\n' && s[i] != '\r') ++i;
        const std::string tail = s.substr(j, i - j);
        if (tail.find_first_not_of(" \t") != std::string::npos) v += tail;
      } else {
        const size_t j = i;
        while (i < n && s[i] != d && s[i] != '\n' && s[i] != '\r') ++i;
        v = s.substr(j, i - j);
      }
      rec.fields.push_back(v);
      if (i >= n) break;
      const char c = s[i];
      if (c == d) {
        ++i;
        continue;
      }
      ++i;
      if (c == '\r' && i < n && s[i] == '\n') ++i;
      ++line;
      break;
    }
    out.push_back(std::move(rec));
  }
  return true;
}

class Collect final : public csv::Handler {
 public:
  std::vector<Record> records;
  void record(const std::string_view* f, size_t n, size_t line, bool any_quoted) override {
    Record r{{}, line, any_quoted};
    for (size_t i = 0; i < n; ++i) r.fields.emplace_back(f[i]);
    records.push_back(std::move(r));
  }
  void problem(size_t, size_t, const std::string&) override {}
};

inline std::string show(const std::vector<Record>& rs) {
  std::string s;
  for (const auto& r : rs) {
    s += std::to_string(r.line) + (r.any_quoted ? "q" : "") + ":";
    for (const auto& f : r.fields) s += " [" + f + "]";
    s += "\n";
  }
  return s.substr(0, 3000);
}

// ------------------------------------------------------------------------- targets

// CSV/TSV: the streaming tokenizer vs the reference (whole and split), and the table loader
// whole vs split. Byte 0: options, bytes 1-4: split seed, the rest: the input.
inline void check_csv(const uint8_t* data, size_t size) {
  Bytes in(data, size);
  const uint8_t opt = in.byte();
  const uint32_t seed = in.u32();
  const std::string text = in.rest();
  static const char kDelims[5] = {0, ',', ';', '\t', '|'};

  // Tokenizer, fed in pieces, vs the reference on the whole text (explicit or detected delimiter).
  {
    Rng rng(seed);
    Collect split;
    const char d = kDelims[opt % 5];
    bool split_ok = true;
    size_t sl = 0;
    csv::Parser ps(split, d);
    try {
      size_t at = 0;
      for (size_t c : cuts(text.size(), rng)) {
        ps.feed(text.data() + at, c - at);
        at = c;
      }
      ps.finish();
    } catch (const LoadError& e) {
      split_ok = false, sl = e.line;
    }
    LS_FUZZ_CHECK(d == 0 || ps.delimiter() == d, "the given delimiter is used");
    std::vector<Record> ref;
    size_t open = 0;
    const bool ref_ok = reference_records(text, ps.delimiter(), ref, &open);
    LS_FUZZ_CHECK(split_ok == ref_ok, "unterminated quote found alike");
    if (ref_ok) {
      if (split.records != ref)
        throw FuzzFailure("tokenizer vs reference:\n" + show(split.records) + "--- reference\n" + show(ref));
    } else {
      LS_FUZZ_CHECK(sl == open, "unterminated quote line");
    }
  }

  // Table loader: whole vs split, with fuzzer-chosen options.
  LoadOptions o;
  o.format = (opt & 0x20) ? "auto" : "csv";
  o.delimiter = kDelims[(opt >> 3) % 5 == 4 ? 0 : (opt >> 3) % 5];
  o.infer_types = !(opt & 0x40);
  o.max_problems = (opt & 0x80) ? 3 : 0;
  if (opt & 0x01) {  // a rule set's declared fields: hints and aliases
    o.fields = {FieldSpec{"size", ColumnType::Number, {"Employees"}, {"0"}},
                FieldSpec{"when", ColumnType::Date, {}, {}}, FieldSpec{"flag", ColumnType::Boolean, {"b"}, {}},
                FieldSpec{"title", ColumnType::String, {"Job Title"}, {}}};
  }
  Rng rng(seed ^ 0xA5A5A5A5u);
  same(load_whole(text, o), load_split(text, o, rng), "CSV loaded whole and in pieces");
}

// JSON / NDJSON: whole vs split, and every row against nlohmann's DOM parse of the same text.
inline void check_json(const uint8_t* data, size_t size) {
  Bytes in(data, size);
  const uint8_t opt = in.byte();
  const uint32_t seed = in.u32();
  const std::string text = in.rest();
  static const char* kFormats[4] = {"auto", "json", "ndjson", "auto"};
  LoadOptions o;
  o.format = kFormats[opt & 3];
  o.infer_types = !(opt & 4);
  o.max_problems = (opt & 8) ? 2 : 0;
  Rng rng(seed);
  const Outcome whole = load_whole(text, o);
  same(whole, load_split(text, o, rng), "JSON loaded whole and in pieces");

  // Differential: texts exactly as written (no inference, no missing tokens) against the DOM.
  LoadOptions raw;
  raw.format = (opt & 3) == 2 ? "ndjson" : "json";
  raw.infer_types = false;
  raw.missing = {};
  std::vector<json> objects;
  bool dom_ok = true;
  if (raw.format == "json") {
    json doc = json::parse(text, nullptr, false);
    dom_ok = !doc.is_discarded() && doc.is_array();
    if (dom_ok)
      for (auto& e : doc) dom_ok = dom_ok && e.is_object(), objects.push_back(e);
  } else {
    size_t off = 0;
    while (dom_ok && off < text.size()) {
      size_t eol = text.find('\n', off);
      if (eol == std::string::npos) eol = text.size();
      std::string line = text.substr(off, eol - off);
      off = eol + 1;
      if (line.find_first_not_of(" \t\r\n\v\f") == std::string::npos) continue;
      if (line.compare(0, 3, "\xEF\xBB\xBF") == 0 && line.find_first_not_of(" \t\r\n\v\f", 3) == std::string::npos)
        continue;  // a BOM alone: blank (nlohmann skips a BOM at the start of each line it parses)
      json v = json::parse(line, nullptr, false);
      dom_ok = !v.is_discarded() && v.is_object();
      if (dom_ok) objects.push_back(std::move(v));
    }
  }
  // (nlohmann's DOM keeps the last of duplicate keys, like the reader; deep nesting and the
  // limits are the reader's to refuse.)
  const bool deep = json_text_depth(text, kMaxJsonDepth - 1, nullptr) > kMaxJsonDepth - 1;
  Table t;
  try {
    t = load_table(text, raw);
  } catch (const LoadError& e) {
    // (nlohmann's DOM stops at a NUL byte as if the input ended there; the reader refuses it.)
    const bool nul = e.code == "encoding" && text.find('\0') != std::string::npos;
    if (dom_ok && !deep && !nul && e.code != "limit" && !(raw.format == "ndjson" && objects.empty()))
      throw FuzzFailure(std::string("the reader refused what the DOM parser read: ") + e.what());
    return;
  }
  if (!dom_ok) {
    // The reader may accept NDJSON lines with a BOM the DOM parser refuses; nothing else.
    LS_FUZZ_CHECK(raw.format == "ndjson", "the reader accepted what the DOM parser refused");
    return;
  }
  LS_FUZZ_CHECK(t.rows == objects.size(), "one row per object");
  for (const auto& c : t.columns) {
    LS_FUZZ_CHECK(c.type == ColumnType::String, "no inference asked");
    for (size_t r = 0; r < t.rows; ++r) {
      auto it = objects[r].find(c.header);
      std::string expect;
      bool present = it != objects[r].end() && !it->is_null();
      if (present) {
        if (it->is_string())
          expect = it->get<std::string>();
        else if (it->is_boolean())
          expect = it->get<bool>() ? "true" : "false";
        else if (it->is_number_integer() || it->is_number_unsigned())
          expect = it->dump();
        else if (it->is_structured())
          expect = it->dump();
        else
          expect = "";  // floats: their raw text, which the DOM does not keep
      }
      LS_FUZZ_CHECK(present != c.is_missing(r), "missing where the DOM has null/absent: " + c.header);
      if (present && !it->is_number_float())
        LS_FUZZ_CHECK(c.dict[(size_t)c.codes[r]] == expect, "value of " + c.header + " in row " + std::to_string(r));
    }
  }
  size_t keys = 0;
  {
    std::vector<std::string> seen;
    for (const auto& ob : objects)
      for (auto it = ob.begin(); it != ob.end(); ++it)
        if (std::find(seen.begin(), seen.end(), it.key()) == seen.end()) seen.push_back(it.key());
    keys = seen.size();
  }
  LS_FUZZ_CHECK(t.columns.size() == keys, "one column per distinct key");
}

// A small table every rule-set check runs against (all column types, missing values).
inline std::shared_ptr<const Table> rules_table() {
  static const std::shared_ptr<const Table> t =
      std::make_shared<Table>(load_table("title,company_size,page_views,demo,created,country,score\n"
                                         "CEO,1200,3,yes,2024-03-01,US,0.5\n"
                                         "VP Sales,450,0,no,2023-12-31,DE,1\n"
                                         "Student,,12,no,,US,\n"
                                         "N/A,50,1,yes,2024-01-15,FR,-2\n"
                                         "Engineer,9000,,,2022-06-30,,3.25\n"
                                         "cto,5,7,yes,2024-02-29,US,0\n"));
  return t;
}

// The scorer's results against a plain re-computation from the interpreter's masks.
inline void check_scored(const Scorer& s) {
  const Table& t = s.table();
  const RuleSet& rs = s.rules();
  const Results& res = s.results();
  LS_FUZZ_CHECK(res.total.size() == t.rows && res.groups.size() == rs.groups.size(), "result sizes");
  std::vector<Mask> masks;
  for (const auto& r : rs.rules) masks.push_back(evaluate_interpreted(r.when, t));
  for (size_t i = 0; i < t.rows; ++i) {
    double total = 0;
    for (size_t g = 0; g < rs.groups.size(); ++g) {
      double sum = 0;
      for (size_t k = 0; k < rs.rules.size(); ++k) {
        const Rule& r = rs.rules[k];
        if (!r.enabled || r.group != rs.groups[g].id || masks[k][i] != kTrue) continue;
        if (r.per) {
          const Column& c = t.columns[(size_t)resolve_field(t, rs, *r.per)];
          if (std::isnan(c.num[i])) continue;
          sum += r.bounds.clamp(r.points * c.num[i]);
        } else {
          sum += r.bounds.clamp(r.points);
        }
      }
      const double gs = rs.groups[g].bounds.clamp(sum);
      LS_FUZZ_CHECK(bits(gs) == bits(res.groups[g][i]), "group score of lead " + std::to_string(i));
      total += gs;
    }
    total = rs.total.clamp(total);
    LS_FUZZ_CHECK(bits(total) == bits(res.total[i]), "total of lead " + std::to_string(i));
    const Ledger l = s.ledger(i);
    LS_FUZZ_CHECK(bits(l.total) == bits(res.total[i]), "ledger total of lead " + std::to_string(i));
    LS_FUZZ_CHECK(res.tier[i] == band_index(rs.tiers, total), "tier");
    (void)to_json(l).dump();
  }
}

// Rule sets: parse (errors are RuleSetError with codes), round-trip, compile and score against a
// small table, and a single-rule edit equals scoring the edited set from scratch.
inline void check_rules(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  RuleSet rs;
  try {
    rs = parse_rule_set(text);
  } catch (const RuleSetError& e) {
    LS_FUZZ_CHECK(!e.diagnostics.empty() && e.first_error().is_error(), "an error diagnostic");
    for (const auto& d : e.diagnostics)
      LS_FUZZ_CHECK(!d.code.empty() && !d.message.empty() && detail::valid_utf8(d.message),
                    "diagnostics have code and a UTF-8 message");
    return;
  }
  const std::string once = to_json(rs).dump();
  RuleSet again;
  try {
    again = parse_rule_set(once);
  } catch (const RuleSetError& e) {
    throw FuzzFailure(std::string("a normalised rule set does not parse again: ") + e.what() + "\n" + once);
  }
  LS_FUZZ_CHECK(to_json(again).dump() == once, "to_json round trip");

  Scorer s(rules_table());
  try {
    s.set_rules(rs);
  } catch (const RuleSetError& e) {
    for (const auto& d : e.diagnostics)
      LS_FUZZ_CHECK(!d.code.empty() && !d.message.empty() && detail::valid_utf8(d.message),
                    "diagnostics have code and a UTF-8 message");
    LS_FUZZ_CHECK(!s.has_rules(), "a failed set_rules leaves no rules");
    return;
  }
  check_scored(s);
  if (!rs.rules.empty()) {
    const std::string id = rs.rules.front().id;
    const std::string before = to_json(s.rules()).dump();
    try {
      s.remove_rule(id);
    } catch (const RuleSetError&) {
      LS_FUZZ_CHECK(to_json(s.rules()).dump() == before, "a failed edit changes nothing");
      return;
    }
    check_scored(s);
  }
}

// JsonLogic: "logic\0data" (no NUL: data null). apply() and Program must agree, values or
// errors; only EvalError / LogicError may leave them.
inline void check_jsonlogic(const uint8_t* data, size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  const size_t nul = in.find('\0');
  const std::string ltext = in.substr(0, nul), dtext = nul == std::string::npos ? "null" : in.substr(nul + 1);
  json logic = json::parse(ltext, nullptr, false), datum = json::parse(dtext, nullptr, false);
  if (logic.is_discarded() || datum.is_discarded()) return;
  auto run = [&](const std::function<json()>& f) {
    try {
      return "value " + f().dump(-1, ' ', false, json::error_handler_t::replace);
    } catch (const jsonlogic::EvalError& e) {
      return "eval " + e.type.dump(-1, ' ', false, json::error_handler_t::replace) + " " + e.what();
    } catch (const jsonlogic::LogicError& e) {
      return std::string("logic ") + e.what();
    }
  };
  const std::string a = run([&] { return jsonlogic::apply(logic, datum); });
  std::string b;
  try {
    jsonlogic::Program p(logic);
    b = run([&] { return p.run(datum); });
    const std::string t = run([&] { return json(p.test(datum)); });
    if (b.rfind("value ", 0) == 0)
      LS_FUZZ_CHECK(t == std::string("value ") + (jsonlogic::truthy(p.run(datum)) ? "true" : "false"),
                    "test() is truthy(run())");
  } catch (const jsonlogic::LogicError& e) {
    b = std::string("logic ") + e.what();
  }
  if (a != b) throw FuzzFailure("apply vs Program:\n" + a + "\n" + b);
  try {
    jsonlogic::validate(logic);
    bool dyn = false;
    (void)jsonlogic::referenced_vars(logic, &dyn);
  } catch (const jsonlogic::LogicError&) {
  }
}

// Builds a JsonLogic condition from bytes over the columns of the differential table.
class CondGen {
 public:
  explicit CondGen(Bytes& b) : b_(b) {}
  json gen(int depth = 0) {
    const uint8_t k = b_.byte();
    if (depth > 5 || b_.empty()) return leaf(k);
    switch (k % 16) {
      case 0:
      case 1:
      case 2: {
        static const char* cmp[] = {"==", "===", "!=", "!==", "<", "<=", ">", ">="};
        const char* op = cmp[b_.byte() % 8];
        if ((b_.byte() & 3) == 0 && (op[0] == '<')) return {{op, {leaf(b_.byte()), var(), leaf(b_.byte())}}};
        return {{op, {operand(depth), operand(depth)}}};
      }
      case 3:
      case 4: {
        json args = json::array();
        for (int n = 1 + b_.byte() % 3; n > 0; --n) args.push_back(gen(depth + 1));
        return {{k % 2 ? "and" : "or", args}};
      }
      case 5:
        return {{b_.byte() & 1 ? "!" : "!!", gen(depth + 1)}};
      case 6: {
        json list = json::array();
        for (int n = b_.byte() % 4; n > 0; --n) list.push_back(literal(b_.byte()));
        return {{"in", {operand(depth), list}}};
      }
      case 7:
        return {{"in", {literal(b_.byte()), var()}}};
      case 8: {
        static const char* ar[] = {"+", "-", "*", "/", "%", "min", "max"};
        return {{ar[b_.byte() % 7], {operand(depth), operand(depth)}}};
      }
      case 9:
        return {{"if", {gen(depth + 1), operand(depth), operand(depth)}}};
      case 10:
        return {{"missing", {name()}}};
      case 11:
        return {{"cat", {operand(depth), operand(depth)}}};
      case 12:
        return {{"substr", {var(), (int)(int8_t)b_.byte() % 4}}};
      case 13:
        return {{"some", {{{"merge", {var(), var()}}}, {{"==", {{{"var", ""}}, literal(b_.byte())}}}}}};
      case 14:
        return {{"var", {name(), literal(b_.byte())}}};
      default:
        return var();
    }
  }

 private:
  json operand(int depth) {
    const uint8_t k = b_.byte();
    if (k % 3 == 0) return var();
    if (k % 3 == 1) return literal(b_.byte());
    return gen(depth + 1);
  }
  std::string name() {
    static const char* names[] = {"n", "s", "b", "d", "m", "n", "s", "nope"};
    return names[b_.byte() % 8];
  }
  json var() { return {{"var", name()}}; }
  json leaf(uint8_t k) { return k & 1 ? var() : literal(k >> 1); }
  static json literal(uint8_t k) {
    switch (k % 14) {
      case 0:
        return 0;
      case 1:
        return 1;
      case 2:
        return -1.5;
      case 3:
        return 1000;
      case 4:
        return "";
      case 5:
        return "1";
      case 6:
        return "abc";
      case 7:
        return "yes";
      case 8:
        return true;
      case 9:
        return false;
      case 10:
        return nullptr;
      case 11:
        return "2024-03-01";
      case 12:
        return json::array({1, "a"});
      default:
        return 7;
    }
  }
  Bytes& b_;
};

// The differential table: each cell chosen by a byte from a pool per column, so inference meets
// numbers, number-like text, booleans, dates and missing values.
inline std::string diff_csv(Bytes& b) {
  static const char* pool[5][8] = {
      {"0", "1", "-1.5", "1e3", " 7", "", "N/A", "42"},
      {"abc", "", "yes", "1", "VP Sales", "Abc", "\"a,b\"", "2024-03-01"},
      {"yes", "no", "", "true", "false", "y", "n", "1"},
      {"2024-03-01", "2023-12-31", "", "2024-02-29T10:00:00Z", "2021-01-01", "1999-09-09", "", "2024-03-01"},
      {"1", "x", "", "2.5", "true", "-0", "2024-03-01", "0"},
  };
  std::string csv = "n,s,b,d,m\n";
  const size_t rows = 1 + b.byte() % 12;
  const uint8_t mask = b.byte();  // columns whose pool is narrowed to "clean" values (typed columns)
  for (size_t r = 0; r < rows; ++r) {
    for (int c = 0; c < 5; ++c) {
      uint8_t k = b.byte();
      if (mask & (1 << c)) k %= (c == 1 ? 8 : 3);
      csv += (c ? "," : "") + std::string(pool[c][k % 8]);
    }
    csv += "\n";
  }
  return csv;
}

inline std::string show_mask(const Mask& m) {
  std::string s;
  for (uint8_t v : m) s += char('0' + v);
  return s;
}

// Compiled columnar evaluation vs the row-at-a-time interpreter: equal on every lead, errors
// included. Byte 0 odd: "logic\0csv" as text; even: a condition generated from the bytes.
inline void check_differential(const uint8_t* data, size_t size) {
  Bytes in(data, size);
  const uint8_t mode = in.byte();
  json when;
  std::string csv;
  if (mode & 1) {
    const std::string rest = in.rest();
    const size_t nul = rest.find('\0');
    if (nul == std::string::npos) return;
    when = json::parse(rest.substr(0, nul), nullptr, false);
    if (when.is_discarded()) return;
    csv = rest.substr(nul + 1);
  } else {
    csv = diff_csv(in);
    when = CondGen(in).gen();
  }
  Table t;
  try {
    t = load_table(csv);
  } catch (const LoadError&) {
    return;
  }
  RuleSet rs;
  Rule rule;
  rule.id = "r";
  rule.when = when;
  try {
    jsonlogic::validate(when);
  } catch (const jsonlogic::LogicError&) {
    return;
  }
  Diagnostics d;
  CompiledRule cr = compile_rule(rule, rs, t, d, "rules[0]", false);
  if (has_errors(d)) return;  // e.g. unknown fields
  const Mask compiled = evaluate(cr, t);
  const Mask interpreted = evaluate_interpreted(when, t);
  if (compiled != interpreted)
    throw FuzzFailure("compiled " + show_mask(compiled) + " vs interpreted " + show_mask(interpreted) + " for " +
                      when.dump() + " (plan " + cr.plan + ")\n" + csv);
}

}  // namespace leadscore::fuzz
