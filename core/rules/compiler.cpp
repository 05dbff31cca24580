// The rule compiler's planning half: reads a rule's condition against the table's columns,
// reports conditions that can never match, and picks a kernel for each sub-condition (lookup,
// compare, memo, presence, interpret; see compiler.h), producing the PredicateNode tree that
// kernels.cpp runs. Nothing here touches per-lead data except the per-distinct-value tables a
// lookup node carries.
#include "rules/compiler.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <string_view>

#include "io/dates.h"
#include "jsonlogic/text_fold.h"
#include "leadscore/jsonlogic.h"
#include "rules/predicate_node.h"
#include "rules/text_search.h"

namespace leadscore {

namespace {

using Node = PredicateNode;
using NodePtr = std::shared_ptr<const Node>;

const json& empty_object() {
  static const json e = json::object();
  return e;
}

bool is_var(const json& v, std::string* name) {
  if (!v.is_object() || v.size() != 1) return false;
  auto it = v.find("var");
  if (it == v.end()) return false;
  const json* arg = &*it;
  if (arg->is_array()) {
    if (arg->size() != 1) return false;  // a default value changes what "missing" means: leave to the memo
    arg = &(*arg)[0];
  }
  if (!arg->is_string()) return false;
  *name = arg->get<std::string>();
  return !name->empty();
}

int exact_column(const Table& t, const std::string& name) {
  for (size_t i = 0; i < t.columns.size(); ++i)
    if (t.columns[i].name == name) return (int)i;
  return -1;
}

bool is_literal(const json& v) { return v.is_primitive(); }

// JS Number("...") for the type checks: is this text a number the comparison could coerce?
bool numeric_text(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  if (b == std::string::npos) return false;
  std::string t = s.substr(b, e - b + 1);
  char* end = nullptr;
  std::strtod(t.c_str(), &end);
  return end && *end == 0 && t.find_first_of("xXnN") == std::string::npos;
}

// A field name the interpreter reads as one plain key (no dots = no nesting, no escapes).
bool plain_name(const std::string& s) { return !s.empty() && s.find_first_of(".\\") == std::string::npos; }

// The column a {"var": "name"} with a plain name (no path) reads, or -1.
int plain_column(const json& v, const Table& table, const RuleSet& rs) {
  std::string name;
  return is_var(v, &name) && plain_name(name) ? resolve_field(table, rs, name) : -1;
}

// Conditions on one text column that are evaluated per distinct value natively instead of by the
// interpreter: var (truthiness), !, !!, and, or, in (list of literals / substring), ==, ===, !=,
// !== with a text literal, and primitive literals. For a text value (never missing: the missing
// slot always goes through the interpreter) these are exactly json-logic-engine's results: text
// truthiness is non-emptiness, both comparisons are between two texts, `in` on a list is
// SameValueZero (only text elements can equal a text), substring `in` is a byte search (the same
// as a UTF-16 search for valid UTF-8). Anything else returns false and uses the interpreter.
// Also: an `or` of substring tests (AnyOf: one pass over the value for all needles, by first
// byte), substr(v, 0, k) / substr(v, -k) == text (Prefix / Suffix), cat(texts, v, texts) == text
// (Eq on the middle), ls:same / ls:in (FoldEq, FoldContains, FoldInList: the value folded once).
struct TextPred {
  enum class K {
    Lit,
    Var,
    Not,
    And,
    Or,
    InList,
    Contains,
    Eq,
    AnyOf,
    Prefix,
    Suffix,
    FoldEq,
    FoldContains,
    FoldInList,
    Missing,
    If
  };
  K k = K::Lit;
  bool lit = false, negate = false;
  std::vector<TextPred> kids;
  std::vector<std::string> strs;
  std::string s;
  std::vector<std::vector<uint16_t>> by_first;  // AnyOf: first byte -> needles starting with it
  int only_first = -1;                          // AnyOf: the one first byte all needles share, else -2
  bool if_empty = false;                        // Missing: the result for "" (lit: for other texts)
};

bool ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) { return (unsigned char)ch < 0x80; });
}

// An `or` of substring tests as one AnyOf. Empty needles match every non-empty value.
void any_of(TextPred& p) {
  std::vector<std::string> needles;
  for (auto& k : p.kids) needles.push_back(std::move(k.s));
  p = TextPred{};
  p.k = TextPred::K::AnyOf;
  p.strs = std::move(needles);
  p.by_first.resize(256);
  for (size_t i = 0; i < p.strs.size(); ++i) {
    if (p.strs[i].empty()) {
      p.lit = true;
      continue;
    }
    const unsigned char b = (unsigned char)p.strs[i][0];
    p.by_first[b].push_back((uint16_t)i);
    p.only_first = p.only_first == -1 || p.only_first == b ? b : -2;
  }
}

// {"==": [{"substr": [v, 0, k]}, "lit"]} and {"==": [{"cat": ["a", v, "b"]}, "lit"]}: the text
// condition on v they are, when exact on bytes (ASCII literal for substr; cat always is).
bool text_transform(const json& e, const std::string& lit, const std::function<bool(const json&)>& is_col,
                    TextPred& p) {
  if (!e.is_object() || e.size() != 1 || !e.begin().value().is_array()) return false;
  const std::string& op = e.begin().key();
  const json& a = e.begin().value();
  if (op == "substr" && a.size() == 3 && is_col(a[0]) && a[1].is_number_integer() && a[2].is_number_integer()) {
    const long long from = a[1].get<long long>(), len = a[2].get<long long>();
    if (!ascii(lit) || len <= 0 || (long long)lit.size() > len || (from != 0 && from != -len)) return false;
    if ((long long)lit.size() < len) {  // the value is shorter than len units: it is the whole value
      p.k = TextPred::K::Eq;
    } else {
      p.k = from == 0 ? TextPred::K::Prefix : TextPred::K::Suffix;
    }
    p.s = lit;
    return true;
  }
  if (op == "cat" && !a.empty()) {
    std::string before, after;
    int vars = 0;
    for (const auto& x : a) {
      if (is_col(x))
        ++vars;
      else if (!x.is_string())
        return false;
      else
        (vars ? after : before) += x.get<std::string>();
    }
    if (vars != 1) return false;
    const bool fits = lit.size() >= before.size() + after.size() && lit.compare(0, before.size(), before) == 0 &&
                      lit.compare(lit.size() - after.size(), after.size(), after) == 0;
    p.k = fits ? TextPred::K::Eq : TextPred::K::Lit;  // Lit: no value can make the literal (lit = false)
    if (fits) p.s = lit.substr(before.size(), lit.size() - before.size() - after.size());
    return true;
  }
  return false;
}

// ls:same [v, "x"] / ["x", v]; ls:in ["x", v] (substring) / [v, ["x", ...]].
bool text_fold_pred(const std::string& op, const json& a, const std::function<bool(const json&)>& is_col, TextPred& p) {
  if (!a.is_array() || a.size() != 2) return false;
  if (op == "ls:same") {
    int v = is_col(a[0]) ? 0 : is_col(a[1]) ? 1 : -1;
    if (v < 0 || !a[1 - v].is_string()) return false;
    p.k = TextPred::K::FoldEq;
    p.s = detail::fold_text(a[1 - v].get<std::string>());
    return true;
  }
  if (a[0].is_string() && is_col(a[1])) {
    p.k = TextPred::K::FoldContains;
    p.s = detail::fold_text(a[0].get<std::string>());
    return true;
  }
  if (is_col(a[0]) && a[1].is_array()) {
    p.k = TextPred::K::FoldInList;
    for (const auto& x : a[1]) {
      if (x.is_null()) continue;
      if (!x.is_string()) return false;
      p.strs.push_back(detail::fold_text(x.get<std::string>()));
    }
    return true;
  }
  return false;
}

bool text_pred(const json& e, const std::function<bool(const json&)>& is_col, TextPred& p, int depth = 0) {
  if (depth > 64) return false;
  if (e.is_primitive()) {
    p.k = TextPred::K::Lit;
    p.lit = jsonlogic::truthy(e);
    return true;
  }
  if (!e.is_object() || e.size() != 1) return false;
  if (is_col(e)) {
    p.k = TextPred::K::Var;
    return true;
  }
  const std::string& op = e.begin().key();
  const json& a = e.begin().value();
  if (op == "missing") {  // {"missing": ["x"]} on x: depends only on whether the text is empty
    const json* name = a.is_array() && a.size() == 1 ? &a[0] : &a;
    if (!name->is_string() || !is_col(json{{"var", *name}})) return false;
    p.k = TextPred::K::Missing;
    p.if_empty = run_condition(e, json{{name->get<std::string>(), ""}}) == kTrue;
    p.lit = run_condition(e, json{{name->get<std::string>(), "x"}}) == kTrue;
    return true;
  }
  if (op == "!" || op == "!!") {
    const json* arg = &a;
    if (a.is_array()) {
      if (a.size() != 1) return false;
      arg = &a[0];
    }
    if (op == "!!") return text_pred(*arg, is_col, p, depth + 1);
    p.k = TextPred::K::Not;
    p.kids.resize(1);
    return text_pred(*arg, is_col, p.kids[0], depth + 1);
  }
  if (!a.is_array()) return false;
  if (op == "if" && a.size() >= 2) {  // [c, then, else]; a longer chain nests; no else is null (false)
    p.k = TextPred::K::If;
    p.kids.resize(3);
    if (!text_pred(a[0], is_col, p.kids[0], depth + 1) || !text_pred(a[1], is_col, p.kids[1], depth + 1)) return false;
    if (a.size() == 2) return text_pred(json(nullptr), is_col, p.kids[2], depth + 1);
    if (a.size() == 3) return text_pred(a[2], is_col, p.kids[2], depth + 1);
    return text_pred(json{{"if", json(a.begin() + 2, a.end())}}, is_col, p.kids[2], depth + 1);
  }
  if ((op == "and" || op == "or") && !a.empty()) {
    p.k = op == "and" ? TextPred::K::And : TextPred::K::Or;
    p.kids.resize(a.size());
    for (size_t i = 0; i < a.size(); ++i)
      if (!text_pred(a[i], is_col, p.kids[i], depth + 1)) return false;
    if (p.k == TextPred::K::Or && a.size() > 1 &&
        std::all_of(p.kids.begin(), p.kids.end(), [](const TextPred& k) { return k.k == TextPred::K::Contains; }))
      any_of(p);
    return true;
  }
  if (op == "ls:same" || op == "ls:in") return text_fold_pred(op, a, is_col, p);
  if (op == "in" && a.size() == 2) {
    if (is_col(a[0]) && a[1].is_array()) {
      p.k = TextPred::K::InList;
      for (const auto& x : a[1]) {
        if (!x.is_primitive()) return false;  // nested logic in the list: leave to the interpreter
        if (x.is_string()) p.strs.push_back(x.get<std::string>());
      }
      return true;
    }
    if (a[0].is_string() && is_col(a[1])) {
      p.k = TextPred::K::Contains;
      p.s = a[0].get<std::string>();
      return true;
    }
    return false;
  }
  if ((op == "==" || op == "===" || op == "!=" || op == "!==") && a.size() == 2) {
    int v = is_col(a[0]) ? 0 : is_col(a[1]) ? 1 : -1;
    if (v < 0) {
      v = a[0].is_object() && a[1].is_string() ? 0 : a[1].is_object() && a[0].is_string() ? 1 : -1;
      if (v < 0 || !text_transform(a[v], a[1 - v].get<std::string>(), is_col, p)) return false;
      (p.k == TextPred::K::Lit ? p.lit : p.negate) = op == "!=" || op == "!==";
      return true;
    }
    if (!a[1 - v].is_string()) return false;
    p.k = TextPred::K::Eq;
    p.s = a[1 - v].get<std::string>();
    p.negate = op == "!=" || op == "!==";
    return true;
  }
  return false;
}

// Does v (non-empty) contain any of the needles? One scan: at each byte that starts a needle,
// compare those needles there.
bool contains_any(const TextPred& p, std::string_view v) {
  if (v.empty()) return false;
  if (p.lit) return true;
  const char* d = v.data();
  const size_t n = v.size();
  // (the second byte first: most needles sharing a first byte differ there, so memcmp, a call
  // and a byte loop in wasm, runs for about one of them)
  auto match_at = [&](size_t i) {
    for (uint16_t k : p.by_first[(unsigned char)d[i]]) {
      const std::string& s = p.strs[k];
      if (s.size() > n - i) continue;
      if (s.size() == 1 || (d[i + 1] == s[1] && std::memcmp(d + i + 2, s.data() + 2, s.size() - 2) == 0)) return true;
    }
    return false;
  };
  if (p.only_first >= 0)  // all needles start alike ('@'): only where that byte is
    return detail::any_byte_at(v, (char)p.only_first, match_at);
  // Needles with different first bytes: each searched alone (contains_bytes tests eight start
  // positions at once on both ends of the needle), which on URLs beats stopping at every byte
  // that starts some needle.
  for (const auto& s : p.strs)
    if (detail::contains_bytes(v, s)) return true;
  return false;
}

// The value folded as ls:same / ls:in fold it (text_fold.h), into a reused buffer.
std::string_view fold_value(std::string_view v) {
  static thread_local std::string buf;
  return detail::fold_into(v, buf);
}

bool text_eval(const TextPred& p, std::string_view v) {
  switch (p.k) {
    case TextPred::K::Lit:
      return p.lit;
    case TextPred::K::Var:
      return !v.empty();
    case TextPred::K::Not:
      return !text_eval(p.kids[0], v);
    case TextPred::K::And:
      for (const auto& k : p.kids)
        if (!text_eval(k, v)) return false;
      return true;
    case TextPred::K::Or:
      for (const auto& k : p.kids)
        if (text_eval(k, v)) return true;
      return false;
    case TextPred::K::InList:
      return std::find(p.strs.begin(), p.strs.end(), v) != p.strs.end();
    case TextPred::K::Contains:
      return !v.empty() && detail::contains_bytes(v, p.s);  // (haystack || []).includes(needle)
    case TextPred::K::Eq:
      return (v == p.s) != p.negate;
    case TextPred::K::Prefix:
      return (v.compare(0, p.s.size(), p.s) == 0 && v.size() >= p.s.size()) != p.negate;
    case TextPred::K::Suffix:
      return (v.size() >= p.s.size() && v.compare(v.size() - p.s.size(), p.s.size(), p.s) == 0) != p.negate;
    case TextPred::K::AnyOf:
      return contains_any(p, v);
    case TextPred::K::FoldEq:
      return detail::fold_equals(v, p.s);
    case TextPred::K::FoldContains:
      return detail::contains_bytes(fold_value(v), p.s);
    case TextPred::K::FoldInList:
      return std::find(p.strs.begin(), p.strs.end(), fold_value(v)) != p.strs.end();
    case TextPred::K::Missing:
      return v.empty() ? p.if_empty : p.lit;
    case TextPred::K::If:
      return text_eval(p.kids[0], v) ? text_eval(p.kids[1], v) : text_eval(p.kids[2], v);
  }
  return false;
}

// out[e] = 1 where a substring test over the whole dictionary finds one of the needles (or, for
// FoldContains, the folded needle in the folded texts). False when this kind needs the per-entry
// path.
// `searches` (with the column's index `c`): the batch's fused searches, asked first.
bool search_all(const TextPred& p, const TextDictionary& dict, uint8_t* out, TextSearches* searches, int c) {
#if defined(LEADSCORE_SIZE_FIRST)
  // The size-first build (the package's compact entry, wasm/CMakeLists.txt) keeps the per-entry
  // search: these searches cost ~1.4 KB gzipped, more than its 300 KB budget had left (~1 KB).
  (void)p, (void)dict, (void)out, (void)searches, (void)c;
  return false;
#else
  if (dict.empty()) return true;
  if (searches) {
    const bool any = p.k == TextPred::K::AnyOf && !p.lit;
    const bool one = (p.k == TextPred::K::Contains || p.k == TextPred::K::FoldContains) && !p.s.empty();
    if ((any && searches->mark_any(c, p.strs.data(), p.strs.size(), false, out)) ||
        (one && searches->mark_any(c, &p.s, 1, p.k == TextPred::K::FoldContains, out)))
      return true;
  }
  auto mark = [out](size_t e) { out[e] = 1; };
  switch (p.k) {
    case TextPred::K::Contains:
      if (p.s.empty()) return false;
      detail::entries_containing(dict.all_text(), dict.ends(), dict.size(), &p.s, 1, mark);
      return true;
    case TextPred::K::AnyOf:
      if (p.lit) return false;  // an empty needle: every non-empty text
      if (!detail::kManyNeedlesAtOnce && p.strs.size() >= 3) return false;
      detail::entries_containing(dict.all_text(), dict.ends(), dict.size(), p.strs.data(), p.strs.size(), mark);
      return true;
    case TextPred::K::FoldContains:  // (out is all kFalse = 0 here: bit 0 set is kTrue)
      if (p.s.empty()) return false;
      detail::folded_entries_containing_each(dict.all_text(), dict.ends(), dict.size(), &p.s, 1, out);
      return true;
    default:
      return false;
  }
#endif
}

// text_eval(p, v) for every dictionary entry v of a text column into out[code] (kTrue = 1, kFalse
// = 0). A text equal to (or not equal to, or in a list of) literals is the literals looked up in
// the dictionary: one scan that compares lengths first, instead of evaluating the condition per
// entry; substring tests search all the texts at once; ! / and / or / if combine their parts'
// results entry by entry.
void text_lut(const TextPred& p, const Column& col, uint8_t* out, TextSearches* searches = nullptr, int c = -1) {
  const size_t d = col.dict.size();
  if (p.k == TextPred::K::Eq || p.k == TextPred::K::InList) {
    const bool eq = p.k == TextPred::K::Eq;
    const uint8_t hit = eq && p.negate ? kFalse : kTrue;
    std::fill(out, out + d, hit == kTrue ? kFalse : kTrue);
    if (!eq && p.strs.empty()) return;
    // Which lengths a literal has (lengths from 255 on share the last slot): most entries are
    // rejected by their length alone.
    bool length[256] = {};
    if (eq) length[std::min<size_t>(p.s.size(), 255)] = true;
    for (const auto& x : p.strs) length[std::min<size_t>(x.size(), 255)] = true;
    for (size_t i = 0; i < d; ++i) {
      const std::string_view v = col.dict[i];
      if (!length[std::min<size_t>(v.size(), 255)]) continue;
      if (eq ? v == p.s : std::find(p.strs.begin(), p.strs.end(), v) != p.strs.end()) out[i] = hit;
    }
    return;
  }
  switch (p.k) {
    case TextPred::K::Lit:  // (the else of {"if": [.., .., false]})
      std::fill(out, out + d, p.lit ? kTrue : kFalse);
      return;
    case TextPred::K::Var:
    case TextPred::K::Missing: {  // from the entries' lengths alone
      const uint32_t* ends = col.dict.ends();
      const uint8_t if_empty = p.k == TextPred::K::Var ? kFalse : p.if_empty;
      const uint8_t otherwise = p.k == TextPred::K::Var ? kTrue : p.lit;
      for (size_t i = 0; i < d; ++i) out[i] = ends[i] == (i ? ends[i - 1] : 0) ? if_empty : otherwise;
      return;
    }
    case TextPred::K::Prefix:
    case TextPred::K::Suffix: {  // the entries' bytes where they start or end, compared inline
      const uint32_t* ends = col.dict.ends();
      const char* bytes = col.dict.all_text().data();
      const size_t m = p.s.size();
      const uint8_t yes = p.negate ? kFalse : kTrue, no = p.negate ? kTrue : kFalse;
      const bool prefix = p.k == TextPred::K::Prefix;
      const detail::NeedleWords literal(p.s);  // (compared as one or two words: no loop per entry)
      const size_t total = col.dict.all_text().size();
      for (size_t i = 0; i < d; ++i) {
        const size_t begin = i ? ends[i - 1] : 0, end = ends[i];
        if (end - begin < m) {  // (shorter than the literal: no pointer before the entry is formed)
          out[i] = no;
          continue;
        }
        const char* at = bytes + (prefix ? begin : end - m);
        out[i] = literal.at(at, total - (size_t)(at - bytes)) ? yes : no;
      }
      return;
    }
    case TextPred::K::Contains:
    case TextPred::K::AnyOf:
    case TextPred::K::FoldContains:
      std::fill(out, out + d, kFalse);
      if (search_all(p, col.dict, out, searches, c)) return;
      break;
    case TextPred::K::Not:
      text_lut(p.kids[0], col, out, searches, c);
      for (size_t i = 0; i < d; ++i) out[i] ^= 1;
      return;
    case TextPred::K::And:
    case TextPred::K::Or: {
      text_lut(p.kids[0], col, out, searches, c);
      std::vector<uint8_t> part(d);
      for (size_t k = 1; k < p.kids.size(); ++k) {
        text_lut(p.kids[k], col, part.data(), searches, c);
        if (p.k == TextPred::K::And)
          for (size_t i = 0; i < d; ++i) out[i] &= part[i];
        else
          for (size_t i = 0; i < d; ++i) out[i] |= part[i];
      }
      return;
    }
    case TextPred::K::If: {
      std::vector<uint8_t> then(d), otherwise(d);
      text_lut(p.kids[0], col, out, searches, c);
      text_lut(p.kids[1], col, then.data(), searches, c);
      text_lut(p.kids[2], col, otherwise.data(), searches, c);
      for (size_t i = 0; i < d; ++i) out[i] = out[i] ? then[i] : otherwise[i];
      return;
    }
    default:
      break;
  }
  for (size_t i = 0; i < d; ++i) out[i] = text_eval(p, col.dict[i]) ? kTrue : kFalse;
}

struct Compiler {
  const Rule& rule;
  const RuleSet& rs;
  const Table& table;
  Diagnostics& out;
  std::string path;
  bool failed = false;
  std::vector<int> used;
  TextSearches* searches = nullptr;

  void error(const std::string& code, const std::string& field, const std::string& msg) {
    out.push_back({Diagnostic::Severity::Error, code, msg, path + ".when", rule.id, field});
    failed = true;
  }

  // Resolve a field name the way the interpreter would see it: the exact column name.
  int resolve(const std::string& name) {
    if (int c = resolve_field(table, rs, name); c >= 0) {
      if (std::find(used.begin(), used.end(), c) == used.end()) used.push_back(c);
      return c;
    }
    std::vector<std::string> names;
    for (const auto& c : table.columns) names.push_back(c.name);
    std::string msg = "unknown field '" + name + "': the leads have no such column";
    int near = table.find(name);
    std::string hint = near >= 0 ? table.columns[near].name : did_you_mean(name, names);
    if (!hint.empty())
      msg += "; did you mean '" + hint + "'?";
    else {
      std::string list;
      for (size_t i = 0; i < names.size() && i < 12; ++i) list += (i ? ", " : "") + names[i];
      if (names.size() > 12) list += ", ...";
      msg += " (columns: " + list + ")";
    }
    if (name.find('.') != std::string::npos)
      msg += ". A dot in a field name reads a nested value; dots in headers become '_'";
    error("unknown_field", name, msg);
    return -1;
  }

  // The fields this (sub)expression reads, each with its column. `dynamic`: names computed at
  // run time (any column may be read).
  std::vector<std::pair<std::string, int>> fields_of(const json& expr, bool* dynamic) {
    bool dyn = false;
    std::vector<std::pair<std::string, int>> refs;
    for (const auto& n : jsonlogic::referenced_vars(expr, &dyn)) {
      int c = resolve(n);
      if (c >= 0) refs.emplace_back(n, c);
    }
    *dynamic = dyn;
    return refs;
  }

  // Comparisons that can never match because of the column's type are errors: the rule is
  // certainly wrong, and silently scoring nobody is the failure marketers complain about.
  void check_types(const json& expr) {
    if (!expr.is_object() || expr.size() != 1) {
      if (expr.is_array())
        for (const auto& e : expr) check_types(e);
      return;
    }
    const std::string& op = expr.begin().key();
    const json& args = expr.begin().value();
    static const char* cmp_ops[] = {"==", "===", "!=", "!==", "<", "<=", ">", ">="};
    bool is_cmp = std::any_of(std::begin(cmp_ops), std::end(cmp_ops), [&](const char* o) { return op == o; });
    if (is_cmp && args.is_array() && args.size() >= 2) {
      for (size_t i = 0; i < args.size(); ++i) {
        std::string name;
        if (!is_var(args[i], &name)) continue;
        int c = resolve_field(table, rs, name);
        if (c < 0) continue;
        for (size_t j = 0; j < args.size(); ++j)
          if (j != i && is_literal(args[j])) literal_mismatch(op, table.columns[c], args[j]);
      }
    } else if (op == "in" && args.is_array() && args.size() == 2 && args[1].is_array()) {
      std::string name;
      if (is_var(args[0], &name)) {
        int c = resolve_field(table, rs, name);
        if (c >= 0 && !args[1].empty()) {
          const Column& col = table.columns[c];
          bool any_number = false, any_bool = false, any_string = false;
          for (const auto& v : args[1])
            any_number |= v.is_number(), any_bool |= v.is_boolean(), any_string |= v.is_string();
          if (col.type == ColumnType::Number && !any_number)
            error("type_mismatch", name,
                  "field '" + name +
                      "' holds numbers, but the list has none, so 'in' can never match; write the numbers without "
                      "quotes");
          else if (col.type == ColumnType::Boolean && !any_bool)
            error("type_mismatch", name,
                  "field '" + name + "' holds true/false, but the list has neither, so 'in' can never match");
          else if ((col.type == ColumnType::String || col.type == ColumnType::Date) && !any_string)
            error("type_mismatch", name,
                  "field '" + name +
                      "' holds text, but the list has no text, so 'in' can never match; put the values in quotes");
        }
      }
    }
    if (args.is_array())
      for (const auto& a : args) check_types(a);
    else
      check_types(args);
  }

  void literal_mismatch(const std::string& op, const Column& col, const json& lit) {
    const std::string& name = col.name;
    bool strict = op == "===" || op == "!==";
    bool never = (op != "!=" && op != "!==");
    std::string what = never ? "can never match" : "always matches";
    if (col.type == ColumnType::Number && lit.is_string()) {
      std::string s = lit.get<std::string>();
      if (strict || !numeric_text(s))
        error("type_mismatch", name,
              "field '" + name + "' holds numbers, so comparing it with the text \"" + s + "\" " + what +
                  (numeric_text(s) ? "; write " + s + " without quotes" : ""));
    } else if (col.type == ColumnType::Boolean && lit.is_string()) {
      error("type_mismatch", name,
            "field '" + name + "' holds true/false, so comparing it with the text \"" + lit.get<std::string>() + "\" " +
                what + "; compare with true or false (no quotes)");
    } else if (col.type == ColumnType::Boolean && lit.is_number() && (op == "==" || op == "!=" || strict)) {
      double d = lit.get<double>();
      if (strict || (d != 0 && d != 1))
        error("type_mismatch", name,
              "field '" + name + "' holds true/false, so comparing it with " + lit.dump() + " " + what +
                  "; compare with true or false");
    } else if (col.type == ColumnType::Date && lit.is_number()) {
      error("type_mismatch", name,
            "field '" + name + "' holds dates, so comparing it with the number " + lit.dump() + " " + what +
                "; compare with a date in quotes, like \"2024-01-31\"");
    } else if (col.type == ColumnType::String && lit.is_boolean() && strict) {
      error("type_mismatch", name,
            "field '" + name + "' holds text, so comparing it with " + lit.dump() + " " + what +
                "; compare with text in quotes");
    }
  }

  NodePtr constant(const json& expr) {
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::Const;
    n->value = run_condition(expr, empty_object());
    return n;
  }

  NodePtr error_constant() {
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::Const;
    n->value = kError;
    return n;
  }

  // One column, strings or booleans: evaluate once per distinct value.
  NodePtr lookup(const json& expr, const std::vector<std::pair<std::string, int>>& refs) {
    const int c = refs.front().second;
    const Column& col = table.columns[c];
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::Lookup;
    n->col = c;
    json datum = json::object();
    auto with = [&](const json& v) {
      for (const auto& r : refs) datum[r.first] = v;
      return run_condition(expr, datum);
    };
    n->lut.push_back(run_condition(expr, datum));  // missing: always the interpreter
    if (col.type == ColumnType::String) {
      n->lut.resize(col.dict.size() + 1);
      uint8_t* out = n->lut.data() + 1;
      TextPred p;
      auto is_col = [&](const json& v) { return plain_column(v, table, rs) == c; };
      if (text_pred(expr, is_col, p)) {
        text_lut(p, col, out, searches, c);
      } else {
        for (size_t i = 0; i < col.dict.size(); ++i) out[i] = with(json(std::string(std::string_view(col.dict[i]))));
      }
    } else {  // boolean
      n->lut.push_back(with(false));
      n->lut.push_back(with(true));
    }
    return n;
  }

  // An arithmetic operand (predicate_node.h): a number or boolean column, a number literal, or
  // + - * of those. Only these: each is a JavaScript number operation on numbers, so the kernel's
  // doubles are exactly the interpreter's.
  bool arith_of(const json& e, Arith& out, int depth = 0) {
    if (depth > 32) return false;
    std::string name;
    if (e.is_number()) {
      out.op = Arith::Op::Lit, out.lit = e.get<double>();
      return true;
    }
    if (is_var(e, &name)) {
      const int c = plain_name(name) ? resolve_field(table, rs, name) : -1;
      if (c < 0 || (table.columns[c].type != ColumnType::Number && table.columns[c].type != ColumnType::Boolean))
        return false;
      out.op = Arith::Op::Col, out.col = c;
      return true;
    }
    if (!e.is_object() || e.size() != 1 || !e.begin().value().is_array() || e.begin().value().empty()) return false;
    const std::string& op = e.begin().key();
    const json& a = e.begin().value();
    if (op == "-" && a.size() == 1)
      out.op = Arith::Op::Neg;
    else if (op == "+" || op == "*" || (op == "-" && a.size() == 2))
      out.op = op == "+" ? Arith::Op::Add : op == "*" ? Arith::Op::Mul : Arith::Op::Sub;
    else
      return false;
    out.kids.resize(a.size());
    for (size_t i = 0; i < a.size(); ++i)
      if (!arith_of(a[i], out.kids[i], depth + 1)) return false;
    return true;
  }

  // A two-operand comparison as a kernel's operator, the column on the left (`var_left`) or the
  // right of the constant. False for other operators.
  static bool compare_op(const std::string& op, bool var_left, Node::Op& out) {
    using Op = Node::Op;
    if (op == "==" || op == "===")
      out = Op::EQ;
    else if (op == "!=" || op == "!==")
      out = Op::NE;
    else if (op == "<")
      out = var_left ? Op::LT : Op::GT;
    else if (op == "<=")
      out = var_left ? Op::LE : Op::GE;
    else if (op == ">")
      out = var_left ? Op::GT : Op::LT;
    else if (op == ">=")
      out = var_left ? Op::GE : Op::LE;
    else
      return false;
    return true;
  }

  // {"<": [x, 5]}, {"<": [5, x]}, {"<=": [1, x, 9]}, {"==": [x, 3]}: x a number column (typed
  // kernels over its storage) or arithmetic over number / boolean columns (computed, then compared).
  NodePtr compare(const json& expr) {
    if (!expr.is_object() || expr.size() != 1) return nullptr;
    const std::string& op = expr.begin().key();
    const json& args = expr.begin().value();
    if (!args.is_array()) return nullptr;
    using Op = Node::Op;
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::Compare;
    Arith x;
    if (args.size() == 2) {
      bool var_left = args[1].is_number() && arith_of(args[0], x);
      bool var_right = !var_left && args[0].is_number() && arith_of(args[1], x);
      if (!var_left && !var_right) return nullptr;
      n->a = (var_left ? args[1] : args[0]).get<double>();
      if (!compare_op(op, var_left, n->op)) return nullptr;
    } else if (args.size() == 3 && (op == "<" || op == "<=") && args[0].is_number() && args[2].is_number() &&
               arith_of(args[1], x)) {
      n->a = args[0].get<double>();
      n->b = args[2].get<double>();
      n->op = op == "<" ? Op::OpenOpen : Op::ClosedClosed;
    } else {
      return nullptr;
    }
    if (x.op == Arith::Op::Lit) return nullptr;  // a constant: folded elsewhere
    if (x.op == Arith::Op::Col) {
      if (table.columns[x.col].type != ColumnType::Number) return nullptr;
      n->col = x.col;
    } else {
      n->arith = std::make_shared<const Arith>(std::move(x));
    }
    n->if_missing = run_condition(expr, empty_object());
    return n;
  }

  // "2024-03-01" as milliseconds, for a literal that is exactly an ISO date naming a real day.
  static bool iso_day(const json& lit, double& ms) {
    if (!lit.is_string()) return false;
    const std::string& s = lit.get_ref<const std::string&>();
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
      if (s[i] < '0' || s[i] > '9') return false;
    const int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
    if (m < 1 || m > 12 || d < 1 || d > (int)detail::days_in_month(y, (unsigned)m)) return false;
    ms = (double)detail::days_from_civil(y, (unsigned)m, (unsigned)d) * (double)detail::kMsPerDay;
    return true;
  }

  // A date column compared with ISO dates ({">=": [{"var": "signup"}, "2024-01-01"]}): the
  // interpreter compares texts, the column's dates as it prints them ("2024-03-01"). Texts of that
  // one fixed width order as the days they name, so this is the same comparison of day numbers: a
  // compare kernel instead of the interpreter per distinct day. Only for columns without times
  // whose dates all print with four-digit years (0000..3939 here: |ms| within year 0's), and
  // literals that are real calendar dates; anything else stays with the memo.
  NodePtr date_compare(const json& expr, int c) {
    const Column& col = table.columns[c];
    if (col.type != ColumnType::Date || col.date_has_time || !expr.is_object() || expr.size() != 1) return nullptr;
    const std::string& op = expr.begin().key();
    const json& args = expr.begin().value();
    if (!args.is_array()) return nullptr;
    auto is_col = [&](const json& e) { return plain_column(e, table, rs) == c; };
    using Op = Node::Op;
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::Compare;
    n->col = c;
    if (args.size() == 2) {
      const bool var_left = is_col(args[0]) && iso_day(args[1], n->a);
      if (!var_left && !(is_col(args[1]) && iso_day(args[0], n->a))) return nullptr;
      if (!compare_op(op, var_left, n->op)) return nullptr;
    } else if (args.size() == 3 && (op == "<" || op == "<=") && is_col(args[1]) && iso_day(args[0], n->a) &&
               iso_day(args[2], n->b)) {
      n->op = op == "<" ? Op::OpenOpen : Op::ClosedClosed;
    } else {
      return nullptr;
    }
    const double year_zero = -(double)detail::days_from_civil(0, 1, 1) * (double)detail::kMsPerDay;
    if (col.num.max_abs() > year_zero) return nullptr;
    n->if_missing = run_condition(expr, empty_object());
    return n;
  }

  // {"in": [x, [3, 5, 8]]} on a number column: x == 3 or x == 5 or x == 8 (includes() is strict:
  // only number elements can equal a number), each as a compare kernel; missing as the interpreter.
  NodePtr number_in_list(const json& expr, int c) {
    if (!expr.is_object() || expr.size() != 1 || expr.begin().key() != "in") return nullptr;
    const json& a = expr.begin().value();
    if (!a.is_array() || a.size() != 2 || !a[1].is_array() || a[1].empty() || a[1].size() > 16 ||
        plain_column(a[0], table, rs) != c || table.columns[c].type != ColumnType::Number)
      return nullptr;
    const uint8_t missing = run_condition(expr, empty_object());
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::Or;
    for (const auto& x : a[1]) {
      if (!x.is_primitive()) return nullptr;
      if (!x.is_number()) continue;
      auto k = std::make_shared<Node>();
      k->kind = Node::Kind::Compare, k->col = c, k->op = Node::Op::EQ, k->a = x.get<double>(), k->if_missing = missing;
      n->kids.push_back(k);
    }
    if (n->kids.empty()) return nullptr;
    return n;
  }

  // {"if": [c, a, b]}, {"if": [c1, a1, c2, a2, ..., else]}: a kernel per operand; no else is null.
  NodePtr if_chain(const json& args, size_t k, int depth) {
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::If;
    n->kids.push_back(build(args[k], depth + 1));
    n->kids.push_back(build(args[k + 1], depth + 1));
    const size_t rest = args.size() - k - 2;
    n->kids.push_back(rest == 0   ? constant(json(nullptr))
                      : rest == 1 ? build(args[k + 2], depth + 1)
                                  : if_chain(args, k + 2, depth + 1));
    // json-logic-engine evaluates constant operands when it builds the rule, so a constant that
    // throws ({"/": [1, 0]}) is an error whichever branch runs: left to the interpreter.
    for (const auto& kid : n->kids)
      if (!kid || (kid->kind == Node::Kind::Const && kid->value == kError)) return nullptr;
    return n;
  }

  // {"missing": ["x"]} and {"var": "x"} (truthiness) on a number or date column: no value is
  // missing / falsy; a number is truthy unless 0; a date (an ISO text) always is.
  NodePtr presence(const json& expr, int c) {
    if (!expr.is_object() || expr.size() != 1) return nullptr;
    const std::string& op = expr.begin().key();
    const json& a = expr.begin().value();
    std::string name;
    Node::Kind kind;
    if (op == "missing" && a.is_array() && a.size() == 1 && a[0].is_string()) {
      name = a[0].get<std::string>();
      kind = Node::Kind::Missing;
    } else if (is_var(expr, &name)) {
      kind = Node::Kind::Truthy;
    } else {
      return nullptr;
    }
    if (!plain_name(name) || resolve_field(table, rs, name) != c) return nullptr;
    auto n = std::make_shared<Node>();
    n->kind = kind;
    n->col = c;
    return n;
  }

  NodePtr memo(const json& expr, const std::vector<std::pair<std::string, int>>& refs) {
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::Memo;
    n->col = refs.front().second;
    n->refs = refs;
    n->expr = expr;
    n->if_missing = run_condition(expr, empty_object());
    return n;
  }

  NodePtr interpret(const json& expr, const std::vector<std::pair<std::string, int>>& refs, bool dynamic) {
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::Interpret;
    n->expr = expr;
    n->refs = refs;
    n->whole_row = dynamic;
    return n;
  }

  // "has a value, and <a comparison of that value>", the usual guard ({"and": [{"!": {"missing":
  // ["x"]}}, {">=": [{"var": "x"}, 3]}]}): the first operand is true exactly where column c has a
  // value and never an error (not missing(c); truthy(c) on a date column, where every date is
  // truthy), so the "and" is the second operand where c has a value and false elsewhere: that
  // comparison alone, with false as its result for missing values.
  NodePtr guarded(const Node& first, const Node& second) const {
    int c = -1;
    if (first.kind == Node::Kind::Not && first.kids[0]->kind == Node::Kind::Missing) c = first.kids[0]->col;
    if (first.kind == Node::Kind::Truthy && table.columns[first.col].type == ColumnType::Date) c = first.col;
    if (c < 0 || second.col != c || (second.kind != Node::Kind::Compare && second.kind != Node::Kind::Memo))
      return nullptr;
    auto n = std::make_shared<Node>(second);
    n->if_missing = kFalse;
    return n;
  }
  NodePtr logical(const json& expr, int depth) {
    if (!expr.is_object() || expr.size() != 1) return nullptr;
    const std::string& op = expr.begin().key();
    const json& args = expr.begin().value();
    if ((op == "and" || op == "or") && args.is_array() && !args.empty()) {
      auto n = std::make_shared<Node>();
      n->kind = op == "and" ? Node::Kind::And : Node::Kind::Or;
      for (const auto& a : args) n->kids.push_back(build(a, depth + 1));
      if (n->kind == Node::Kind::And && n->kids.size() == 2)
        if (NodePtr g = guarded(*n->kids[0], *n->kids[1])) return g;
      return n;
    }
    if (op == "if" && args.is_array() && args.size() >= 2 && depth < 64) {
      // A branch that is never taken can still make the whole if throw (see always_throws).
      if (jsonlogic::Program(expr).always_throws()) return error_constant();
      return if_chain(args, 0, depth);
    }
    // {"!": x} negates x; {"!": [x]} negates x too (a one-element argument list).
    if (op == "!" || op == "!!") {
      const json* arg = &args;
      if (args.is_array()) {
        if (args.size() != 1) return nullptr;
        arg = &args[0];
      }
      if (!arg->is_object()) return nullptr;  // literals: leave to the constant folding
      NodePtr kid = build(*arg, depth + 1);
      if (op == "!!") return kid;
      auto n = std::make_shared<Node>();
      n->kind = Node::Kind::Not;
      n->kids.push_back(kid);
      return n;
    }
    return nullptr;
  }

  NodePtr build(const json& expr, int depth) {
    bool dynamic = false;
    auto refs = fields_of(expr, &dynamic);
    if (failed) return nullptr;
    if (dynamic) return interpret(expr, refs, true);
    if (refs.empty()) return constant(expr);
    bool one_column =
        std::all_of(refs.begin(), refs.end(), [&](const auto& r) { return r.second == refs.front().second; });
    if (one_column) {
      const int c = refs.front().second;
      ColumnType t = table.columns[c].type;
      if (t == ColumnType::String || t == ColumnType::Boolean) return lookup(expr, refs);
      if (auto n = presence(expr, c)) return n;
      if (auto n = compare(expr)) return n;
      if (auto n = number_in_list(expr, c)) return n;
      if (auto n = date_compare(expr, c)) return n;
      if (auto n = logical(expr, depth)) return n;
      return memo(expr, refs);
    }
    if (auto n = logical(expr, depth)) return n;
    if (auto n = compare(expr)) return n;
    return interpret(expr, refs, false);
  }
};

std::string describe(const Node* n, const Table& t) {
  if (!n) return "always";
  auto col = [&](int c) { return t.columns[c].name; };
  switch (n->kind) {
    case Node::Kind::Const:
      return n->value == kTrue ? "always" : n->value == kFalse ? "never" : "always an error";
    case Node::Kind::Lookup:
      return "lookup(" + col(n->col) + ")";
    case Node::Kind::Compare:
      return n->arith ? "compare(arithmetic)" : "compare(" + col(n->col) + ")";
    case Node::Kind::If:
      return "if(" + describe(n->kids[0].get(), t) + ", " + describe(n->kids[1].get(), t) + ", " +
             describe(n->kids[2].get(), t) + ")";
    case Node::Kind::Memo:
      return "memo(" + col(n->col) + ")";
    case Node::Kind::Missing:
      return "missing(" + col(n->col) + ")";
    case Node::Kind::Truthy:
      return "truthy(" + col(n->col) + ")";
    case Node::Kind::Not:
      return "not " + describe(n->kids[0].get(), t);
    case Node::Kind::And:
    case Node::Kind::Or: {
      std::string s = "(";
      for (size_t i = 0; i < n->kids.size(); ++i)
        s += (i ? (n->kind == Node::Kind::And ? " and " : " or ") : "") + describe(n->kids[i].get(), t);
      return s + ")";
    }
    case Node::Kind::Interpret: {
      std::string s = "interpreted(";
      if (n->whole_row) return s + "whole row)";
      std::vector<int> seen;
      for (const auto& r : n->refs)
        if (std::find(seen.begin(), seen.end(), r.second) == seen.end())
          s += (seen.empty() ? "" : ",") + col(r.second), seen.push_back(r.second);
      return s + ")";
    }
  }
  return "?";
}

}  // namespace

int resolve_field(const Table& table, const RuleSet& rs, const std::string& name) {
  if (int c = exact_column(table, name); c >= 0) return c;
  auto spec = std::find_if(rs.fields.begin(), rs.fields.end(), [&](const FieldSpec& f) { return f.name == name; });
  if (spec == rs.fields.end()) return -1;
  std::vector<std::string> keys = {normalize_header(spec->name)};
  for (const auto& a : spec->aliases) keys.push_back(normalize_header(a));
  for (size_t i = 0; i < table.columns.size(); ++i)
    for (const std::string& h : {normalize_header(table.columns[i].header), normalize_header(table.columns[i].name)})
      if (!h.empty() && std::find(keys.begin(), keys.end(), h) != keys.end()) return (int)i;
  return -1;
}

#if defined(LEADSCORE_SIZE_FIRST)
struct TextSearches::Impl {};
TextSearches::TextSearches(const std::vector<const Rule*>&, const RuleSet&, const Table&) {}
bool TextSearches::mark_any(int, const std::string*, size_t, bool, uint8_t*) { return false; }
#else
struct TextSearches::Impl {
  static_assert(detail::kMaxNeedles == 8, "a pass's needles are the bits of one byte per entry");
  // One column's needles, as written ([0], `in`) and folded ([1], `ls:in`), and once searched,
  // bit k % 8 of hits[k / 8 * entries + e] says whether entry e contains needle k.
  struct Column {
    std::vector<std::string> needles[2];
    std::vector<uint8_t> hits[2];
    bool searched[2] = {false, false};
  };
  const Table& table;
  std::map<int, Column> columns;

  void collect(const json& e, const RuleSet& rs, int depth) {
    if (depth > 64) return;
    if (e.is_array())
      for (const auto& x : e) collect(x, rs, depth + 1);
    if (!e.is_object()) return;
    for (const auto& [op, a] : e.items()) {
      if ((op == "in" || op == "ls:in") && a.is_array() && a.size() == 2 && a[0].is_string() &&
          !a[0].get_ref<const std::string&>().empty()) {
        const int c = plain_column(a[1], table, rs);
        if (c >= 0 && table.columns[c].type == ColumnType::String) {
          const bool folded = op == "ls:in";
          std::string needle = a[0].get<std::string>();
          if (folded) needle = detail::fold_text(needle);
          auto& list = columns[c].needles[folded];
          if (!needle.empty() && std::find(list.begin(), list.end(), needle) == list.end()) list.push_back(needle);
        }
      }
      collect(a, rs, depth + 1);
    }
  }

  void search(int c, Column& col, bool folded) {
    const TextDictionary& dict = table.columns[c].dict;
    const size_t d = dict.size();
    const auto& needles = col.needles[folded];
    auto& hits = col.hits[folded];
    hits.assign((needles.size() + detail::kMaxNeedles - 1) / detail::kMaxNeedles * d, 0);
    for (size_t g = 0; g < needles.size(); g += detail::kMaxNeedles) {
      const size_t k = std::min(detail::kMaxNeedles, needles.size() - g);
      (folded ? detail::folded_entries_containing_each : detail::entries_containing_each)(
          dict.all_text(), dict.ends(), d, needles.data() + g, k, hits.data() + g / 8 * d);
    }
    col.searched[folded] = true;
  }
};

TextSearches::TextSearches(const std::vector<const Rule*>& rules, const RuleSet& rs, const Table& table)
    : impl_(new Impl{table, {}}) {
  for (const Rule* r : rules) impl_->collect(r->when, rs, 0);
}

bool TextSearches::mark_any(int c, const std::string* needles, size_t count, bool folded, uint8_t* out) {
  auto it = impl_->columns.find(c);
  if (it == impl_->columns.end()) return false;
  Impl::Column& col = it->second;
  const auto& planned = col.needles[folded];
  if (planned.size() < 2) return false;
  std::vector<size_t> which;
  for (size_t i = 0; i < count; ++i) {
    const size_t k = (size_t)(std::find(planned.begin(), planned.end(), needles[i]) - planned.begin());
    if (k == planned.size()) return false;
    which.push_back(k);
  }
  if (!col.searched[folded]) impl_->search(c, col, folded);
  const size_t d = impl_->table.columns[c].dict.size();
  for (size_t k : which) {
    const uint8_t* hits = col.hits[folded].data() + k / 8 * d;
    const unsigned bit = k % 8;
    for (size_t e = 0; e < d; ++e) out[e] |= (uint8_t)(hits[e] >> bit & 1);
  }
  return true;
}
#endif
TextSearches::~TextSearches() = default;

CompiledRule compile_rule(const Rule& rule, const RuleSet& rs, const Table& table, Diagnostics& out,
                          const std::string& path, bool check_types, TextSearches* searches) {
  CompiledRule cr;
  Compiler c{rule, rs, table, out, path, false, {}, searches};
  if (rule.per) {
    int col = resolve_field(table, rs, *rule.per);
    if (col < 0) {
      std::vector<std::string> names;
      for (const auto& x : table.columns) names.push_back(x.name);
      std::string hint = did_you_mean(*rule.per, names);
      out.push_back({Diagnostic::Severity::Error, "unknown_field",
                     "per-unit field '" + *rule.per + "' is not a column of the leads" +
                         (hint.empty() ? "" : "; did you mean '" + hint + "'?"),
                     path + ".per", rule.id, *rule.per});
      c.failed = true;
    } else if (table.columns[col].type != ColumnType::Number && table.columns[col].type != ColumnType::Boolean) {
      out.push_back({Diagnostic::Severity::Error, "type_mismatch",
                     "per-unit field '" + *rule.per + "' holds " + to_string(table.columns[col].type) +
                         " values; points per unit need a number column (declare it in 'fields' with \"type\": "
                         "\"number\" if it should be one)",
                     path + ".per", rule.id, *rule.per});
      c.failed = true;
    } else {
      cr.per_column = col;
      c.used.push_back(col);
    }
  }
  if (!rule.when.is_null()) {
    if (check_types) c.check_types(rule.when);
    NodePtr n = c.failed ? nullptr : c.build(rule.when, 0);
    if (!c.failed) cr.cond = n;
  }
  if (c.failed) return CompiledRule{};
  cr.columns = c.used;
  cr.plan = describe(cr.cond.get(), table);
  if (cr.per_column >= 0) cr.plan += " x " + table.columns[cr.per_column].name;
  return cr;
}
}  // namespace leadscore
