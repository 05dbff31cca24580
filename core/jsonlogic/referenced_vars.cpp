// referenced_vars: which fields of the datum a piece of logic reads, found by walking it with
// the interpreter's scoping rules (not by running it). The rule compiler uses it to decide which
// columns a condition needs.

#include <algorithm>
#include <string>
#include <vector>

#include "jsonlogic/program.h"

namespace leadscore::jsonlogic {

// ---------------------------------------------------------------------------------------
// referenced_vars
// ---------------------------------------------------------------------------------------
// The datum is the context at the top level and inside same-scope operators. Iterator
// mappers (map/filter/all/some/none/reduce), try fallbacks and later pipe stages run with
// another context (an item, {accumulator,current}, {type}, the previous stage's value), so
// plain vars there are not fields. "../" (var) and [[n], ...] (val) climb back out exactly
// as the engine does, so {"var":"../../x"} inside a top-level map is reported as "x".
// Reported paths use var's dotted syntax; val/exists segments that contain "." or "\" are
// escaped with "\" (splitPath's escape), so {"val":"a.b"} reports "a\.b".
// missing/missing_some/exists keys are reported too (they read those fields).
// `dynamic` is set when a key is computed at run time, when the whole datum is read
// (var "" / var 0 / val []), when a data-dependent key list is given to missing*, and when
// a try fallback may run with the datum as context (after a thrown null).
namespace {
struct SymFrame {
  enum Kind : uint8_t { Iter, Sel, Null, Raw } kind;
  bool ctx_is_datum;  // slot 1
  const SymFrame* parent;
};
struct SymAV {
  enum T : uint8_t { Undef, Datum, Other, FrameArr } t;
  const SymFrame* f;
};
SymAV sym_at(const SymFrame* f, size_t k) {
  if (!f) return {SymAV::Undef, nullptr};
  if (k == 0) return {SymAV::Other, nullptr};
  if (k == 1) return {f->ctx_is_datum ? SymAV::Datum : SymAV::Other, nullptr};
  if (k == 2) return {SymAV::FrameArr, f->parent};
  return {SymAV::Undef, nullptr};
}

std::string escape_segment(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '.' || ch == '\\') out += '\\';
    out += ch;
  }
  return out;
}

bool is_literal(const json& v) {
  if (v.is_object()) return false;
  if (v.is_array())
    for (const auto& e : v)
      if (!is_literal(e)) return false;
  return true;
}

// Could evaluating `l` throw a falsy value (so a try fallback would run with the original
// context)? {"throw": <non-literal or null>} or {"try": []}.
bool may_throw_falsy(const json& l) {
  if (l.is_array()) {
    for (const auto& e : l)
      if (may_throw_falsy(e)) return true;
    return false;
  }
  if (!l.is_object() || l.size() != 1) return false;
  auto it = l.begin();
  if (it.key() == "preserve") return false;
  if (it.key() == "throw") {
    // only a null value is thrown as is (falsy); anything else becomes a truthy {type} or object
    const json& a = it.value();
    const json& t = a.is_array() && a.size() == 1 ? a[0] : a;
    if (t.is_null() || t.is_object() || (a.is_array() && a.size() > 1 && (a[0].is_null() || a[0].is_object())))
      return true;
  }
  if (it.key() == "try" && it.value().is_array() && it.value().empty()) return true;
  return may_throw_falsy(it.value());
}

struct VarCollector {
  std::vector<std::string> out;
  bool dynamic = false;

  void report(const std::string& path) {
    if (std::find(out.begin(), out.end(), path) == out.end()) out.push_back(path);
  }

  void walk(const json& l, bool ctx_datum, const SymFrame* above) {
    if (l.is_array()) {
      for (const auto& e : l) walk(e, ctx_datum, above);
      return;
    }
    if (!l.is_object() || l.size() != 1) {
      if (l.is_object())
        for (const auto& v : l) walk(v, ctx_datum, above);
      return;
    }
    auto it = l.begin();
    const std::string& name = it.key();
    const json& a = it.value();
    Op op;
    if (!find_op(name, &op)) {
      walk(a, ctx_datum, above);
      return;
    }
    switch (op) {
      case Op::Preserve:
        return;
      case Op::Var:
        return on_var(a, ctx_datum, above);
      case Op::Val:
      case Op::Exists:
        return on_val(a, ctx_datum, above);
      case Op::Missing: {
        const json* list = &a;
        json wrapped;
        if (!a.is_structured()) {
          wrapped = json::array({a});
          list = &wrapped;
        }
        if (list->is_array() && is_literal(*list)) {
          if (ctx_datum)
            for (const auto& e : *list) report(js_to_string(e));
        } else {
          if (ctx_datum) dynamic = true;
          walk(*list, ctx_datum, above);
        }
        return;
      }
      case Op::MissingSome: {
        if (a.is_array() && a.size() >= 2 && a[1].is_array() && is_literal(a[1])) {
          walk(a[0], ctx_datum, above);
          if (ctx_datum)
            for (const auto& e : a[1]) report(js_to_string(e));
        } else {
          if (ctx_datum) dynamic = true;
          walk(a, ctx_datum, above);
        }
        return;
      }
      case Op::Map:
      case Op::Filter:
      case Op::Some:
      case Op::All:
      case Op::None:
      case Op::Reduce: {
        if (!a.is_array()) return walk(a, ctx_datum, above);
        SymFrame f{op == Op::Map || op == Op::Filter ? SymFrame::Iter : SymFrame::Sel, ctx_datum, above};
        for (size_t i = 0; i < a.size(); ++i) {
          if (i == 1)
            walk(a[i], false, &f);
          else
            walk(a[i], ctx_datum, above);
        }
        return;
      }
      case Op::Try: {
        if (!a.is_array()) return walk(a, ctx_datum, above);
        SymFrame f{SymFrame::Null, ctx_datum, above};
        // After a thrown null the fallbacks run with the datum itself as context; rather
        // than walking them twice (exponential when nested) we then report `dynamic`.
        if (ctx_datum && a.size() > 1 && may_throw_falsy(a)) dynamic = true;
        for (size_t i = 0; i < a.size(); ++i) {
          if (i == 0)
            walk(a[i], ctx_datum, above);
          else
            walk(a[i], false, &f);
        }
        return;
      }
      case Op::Pipe: {
        if (!a.is_array()) return walk(a, ctx_datum, above);
        SymFrame f{SymFrame::Raw, ctx_datum, above};
        for (size_t i = 0; i < a.size(); ++i) walk(a[i], i == 0 ? ctx_datum : false, &f);
        return;
      }
      default:
        walk(a, ctx_datum, above);
    }
  }

  void on_var(const json& a, bool ctx_datum, const SymFrame* above) {
    on_var_key(a, ctx_datum, above);
    if (a.is_array() && !(a.size() == 1 && !a[0].is_array()))
      for (size_t i = 1; i < a.size(); ++i) walk(a[i], ctx_datum, above);  // defaults are logic
  }

  void on_var_key(const json& a, bool ctx_datum, const SymFrame* above) {
    const json* key = &a;
    bool unary_form = true;
    if (a.is_array()) {
      if (a.size() == 1 && !a[0].is_array()) {
        key = &a[0];
      } else {
        unary_form = false;
        key = a.empty() ? nullptr : &a[0];
      }
    }
    if (key && key->is_structured()) {
      dynamic = true;
      walk(*key, ctx_datum, above);
      return;
    }
    // optimized unary form: any falsy key (0, false, "", null) reads the whole context
    bool whole = !key || key->is_null() || (key->is_string() && key->get_ref<const std::string&>().empty()) ||
                 (unary_form && !js_truthy(*key));
    if (whole) {
      if (ctx_datum) dynamic = true;
      return;
    }
    std::string k = js_to_string(*key);
    bool datum = ctx_datum;
    if (key->is_string()) {
      std::string_view kv = k;
      size_t iter = 0;
      const SymFrame* ab = above;
      SymAV cur{ctx_datum ? SymAV::Datum : SymAV::Other, nullptr};
      while (kv.substr(0, 3) == "../" && iter < (ab ? 3u : 0u)) {
        cur = sym_at(ab, iter++);
        kv.remove_prefix(3);
        if (iter == (ab ? 3u : 0u) && cur.t == SymAV::FrameArr) {
          ab = cur.f;
          iter = 0;
          cur = sym_at(ab, iter++);
        }
      }
      k = std::string(kv);
      datum = cur.t == SymAV::Datum;
      if (k.empty()) {
        if (datum) dynamic = true;
        return;
      }
    }
    if (datum) report(k);
  }

  void on_val(const json& a, bool ctx_datum, const SymFrame* above) {
    if (a.is_object()) {
      dynamic = true;
      walk(a, ctx_datum, above);
      return;
    }
    if (!a.is_array() || (a.size() == 1 && !a[0].is_array())) {
      const json& k = a.is_array() ? a[0] : a;
      if (k.is_structured()) {
        dynamic = true;
        walk(k, ctx_datum, above);
        return;
      }
      if (ctx_datum) report(escape_segment(js_to_string(k)));
      return;
    }
    size_t start = 0;
    bool datum = ctx_datum;
    if (!a.empty() && a[0].is_array() && a[0].size() == 1) {
      start = 1;
      if (a[0][0].is_structured()) {
        dynamic = true;
        walk(a[0][0], ctx_datum, above);
        return;
      }
      double climb = std::fabs(js_to_number(a[0][0]));
      const SymFrame* ab = above;
      SymAV cur{ctx_datum ? SymAV::Datum : SymAV::Other, nullptr};
      size_t pos = 0;
      for (long i = 0; i < climb && i < 64; ++i) {
        cur = sym_at(ab, pos++);
        if (i == static_cast<long>(ab ? 3 : 0) - 1 && cur.t == SymAV::FrameArr) {
          ab = cur.f;
          cur = sym_at(ab, 0);
          pos = 1;
        }
      }
      datum = cur.t == SymAV::Datum;
    }
    std::string path;
    for (size_t i = start; i < a.size(); ++i) {
      if (a[i].is_structured()) {
        dynamic = true;
        walk(a[i], ctx_datum, above);
        return;
      }
      if (!path.empty() || i > start) path += '.';
      path += escape_segment(js_to_string(a[i]));
    }
    if (!datum) return;
    if (start >= a.size()) {
      dynamic = true;  // val [] / val [[n]]: the whole context
      return;
    }
    report(path);
  }
};

void check_depth(const json& l, int depth) {
  if (!l.is_structured()) return;
  if (depth >= kMaxDepth) throw LogicError("logic nested deeper than " + std::to_string(kMaxDepth) + " levels", "", "");
  for (const auto& e : l) check_depth(e, depth + 1);
}
}  // namespace

std::vector<std::string> referenced_vars(const json& logic, bool* dynamic) {
  check_depth(logic, 0);  // throws LogicError, as apply() would
  VarCollector c;
  c.walk(logic, true, nullptr);
  if (dynamic) *dynamic = c.dynamic;
  return c.out;
}

}  // namespace leadscore::jsonlogic
