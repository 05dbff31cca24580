// Running a Program: the node dispatcher (eval, eval_call) and the eager methods, those that
// receive their arguments already evaluated: arithmetic, comparisons, var/val/missing data
// access, strings (cat, substr, in), arrays (merge, keys, get) and throw. This is the hot path of
// interpreted scoring; the lazily evaluated methods are in eval_lazy.cpp.
// Program::Impl::call stays one switch over the operators (~220 lines): it is the per-node
// dispatch, and cutting it into per-family functions would add a call per evaluated node.

#include <algorithm>
#include <cmath>
#include <cstring>

#include "io/values.h"
#include "jsonlogic/program.h"
#include "jsonlogic/text_fold.h"

namespace leadscore::jsonlogic {

// ---------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------
namespace {

// data && data[k1] && data[k1][k2] ... (falsy links returned as they are; undefined and
// functions become null)
Val fast_path(const json* data, const std::vector<std::string>& keys) {
  Val cur = Val::ref(data);
  for (const auto& k : keys) {
    if (!js_truthy(cur.get())) return cur;
    Got g = js_get(cur.get(), k, !cur.borrowed());
    if (g.k != GK::Value) return Val();
    Val next = std::move(g.v);
    cur = std::move(next);
  }
  return cur;
}

// legacy.js var.method (the general form: defaults, "../" climbing, computed keys).
Val var_method(const Args& a, const Ctx& c) {
  const json* key = a.arr ? a.at(0) : a.v[0];
  const json* def = a.arr ? a.at(1) : nullptr;
  AV ctx;
  ctx.t = AV::Json;
  ctx.j = c.data;
  const Frame* above = c.above;
  std::string stripped;
  const bool key_is_string = key && key->is_string();
  if (key_is_string) {
    std::string_view k = key->get_ref<const std::string&>();
    size_t iter = 0;
    while (k.substr(0, 3) == "../" && iter < frame_len(above)) {
      ctx = frame_at(above, iter++);
      k.remove_prefix(3);
      if (iter == frame_len(above) && ctx.t == AV::FrameArr) {
        above = ctx.f;
        iter = 0;
        ctx = frame_at(above, iter++);
      }
    }
    stripped = std::string(k);
  }
  auto not_found = [&]() { return def ? Val(json(*def)) : Val(); };
  if (!key || key->is_null() || (key_is_string && stripped.empty())) return av_value(ctx);
  std::vector<std::string> parts = split_path(key_is_string ? stripped : js_to_string(*key));
  Val cur = av_value(ctx);
  bool undef = ctx.t == AV::Undef;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (undef || cur.get().is_null()) return not_found();
    Got g = js_get(cur.get(), parts[i], !cur.borrowed());
    if (g.k == GK::Undef) return not_found();
    if (g.k == GK::Func) return i + 1 == parts.size() ? Val() : not_found();
    Val next = std::move(g.v);
    cur = std::move(next);
  }
  return cur;
}

// defaultMethods.js val.method; returns false in *found when `unfound` is requested and
// the path is absent (exists).
Val val_method(const Args& a, const Ctx& c, bool unfound, bool* found) {
  *found = true;
  const json* single = nullptr;
  if (!a.arr)
    single = a.v[0];
  else if (a.n == 1 && !a.v[0]->is_array())
    single = a.v[0];
  if (single) {
    std::string key = js_to_string(*single);
    const json& data = *c.data;
    if (unfound && (!js_truthy(data) || !js_has(data, key))) {
      *found = false;
      return Val();
    }
    if (data.is_null()) return Val();
    Got g = js_get(data, key, false);
    if (g.k != GK::Value) return Val();  // undefined -> null; a function is returned in JS (null here)
    return std::move(g.v);
  }
  AV result;
  result.t = AV::Json;
  result.j = c.data;
  size_t start = 0;
  const Frame* above = c.above;
  if (a.n > 0 && a.v[0]->is_array() && a.v[0]->size() == 1) {
    start = 1;
    double climb = std::fabs(js_to_number((*a.v[0])[0]));
    size_t pos = 0;
    // beyond a few levels everything is undefined; JS would loop forever on Infinity
    for (long i = 0; i < climb && i < 64; ++i) {
      result = frame_at(above, pos++);
      if (i == static_cast<long>(frame_len(above)) - 1 && result.t == AV::FrameArr) {
        above = result.f;
        result = frame_at(above, 0);
        pos = 1;
      }
    }
  }
  Val cur = av_value(result);
  bool undef = result.t == AV::Undef;
  bool func = false;
  for (size_t i = start; i < a.n; ++i) {
    std::string key = js_to_string(*a.v[i]);
    if (unfound && (undef || func || !js_truthy(cur.get()) || !js_has(cur.get(), key))) {
      *found = false;
      return Val();
    }
    if (undef || func || cur.get().is_null()) return Val();
    Got g = js_get(cur.get(), key, !cur.borrowed());
    if (g.k == GK::Undef) {
      undef = true;
      cur = Val();
    } else if (g.k == GK::Func) {
      func = true;
      cur = Val();
    } else {
      Val next = std::move(g.v);
      cur = std::move(next);
    }
  }
  if (undef || func) {
    if (unfound) *found = false;
    return Val();
  }
  return cur;
}

json missing_impl(const json* const* items, size_t n, const json& context) {
  json out = json::array();
  for (size_t i = 0; i < n; ++i) {
    auto path = split_path(js_to_string(*items[i]));
    Val data = Val::ref(&context);
    bool found = true;
    bool func = false;
    for (const auto& seg : path) {
      if (!func && !js_truthy(data.get())) {
        found = false;
        break;
      }
      if (func) {  // a function's properties: treat as absent
        found = false;
        break;
      }
      Got g = js_get(data.get(), seg, !data.borrowed());
      if (g.k == GK::Undef) {
        found = false;
        break;
      }
      if (g.k == GK::Func) {
        func = true;
        continue;
      }
      Val next = std::move(g.v);
      data = std::move(next);
    }
    if (!found) out.push_back(*items[i]);
  }
  return out;
}

// String.prototype.substr
std::string js_substr(const std::string& s, double start, const json* length) {
  auto u = to_utf16(s);
  double size = static_cast<double>(u.size());
  auto to_int = [](double d) -> double {
    if (std::isnan(d)) return 0;
    if (std::isinf(d)) return d;
    return std::trunc(d);
  };
  double is = to_int(start);
  if (is == -HUGE_VAL)
    is = 0;
  else if (is < 0)
    is = std::max(size + is, 0.0);
  else
    is = std::min(is, size);
  double il = length ? to_int(js_to_number(*length)) : size;
  il = std::min(std::max(il, 0.0), size);
  double ie = std::min(is + il, size);
  if (is >= ie) return "";
  return from_utf16(u.data() + static_cast<size_t>(is), static_cast<size_t>(ie - is));
}

// ls:same / ls:in: a value that is absent or null matches nothing; other values compare as
// their String() text, folded (text_fold.h).
bool has_text(const json* v) { return v && !v->is_null(); }

bool same_text(const json* a, const json* b) {
  return has_text(a) && has_text(b) && detail::fold_text(js_to_string(*a)) == detail::fold_text(js_to_string(*b));
}

bool in_text(const json* needle, const json* hay) {
  if (!has_text(needle) || !has_text(hay)) return false;
  const std::string n = detail::fold_text(js_to_string(*needle));
  if (hay->is_array()) {
    for (const auto& e : *hay)
      if (!e.is_null() && detail::fold_text(js_to_string(e)) == n) return true;
    return false;
  }
  return detail::fold_text(js_to_string(*hay)).find(n) != std::string::npos;
}

Val op_substr(const Args& a) {
  const json* s = a.at(0);
  if (!s) throw_type_error("Cannot read properties of undefined (reading 'substr')");
  if (s->is_null()) throw_type_error("Cannot read properties of null (reading 'substr')");
  if (!s->is_string()) throw_type_error("string.substr is not a function");
  const std::string& str = s->get_ref<const std::string&>();
  const json* from = a.at(1);
  const json* end = a.at(2);
  double from_n = from ? js_to_number(*from) : std::numeric_limits<double>::quiet_NaN();
  if (end && js_to_number(*end) < 0) {
    std::string result = js_substr(str, from_n, nullptr);
    double len = static_cast<double>(utf16_length(result));
    json l2;
    if (end->is_number())
      l2 = json(len + to_double(*end));
    else
      l2 = json(detail::format_number(len) + js_to_string(*end));  // number + string concatenates
    return Val(json(js_substr(result, 0, &l2)));
  }
  return Val(json(js_substr(str, from_n, end)));
}

// Thrown JS values -> EvalError. `type` holds what `try` exposes as {"var": "type"}:
// e.type || e.error || e.message || e.constructor.name.
[[noreturn]] void throw_value(const json* t) {
  if (t && (t->is_null() || t->is_structured())) {
    if (t->is_null()) throw FalsyThrow(json(), "thrown: null");
    for (const char* k : {"type", "error", "message"}) {
      Got g = js_get(*t, k, true);
      if (g.k == GK::Value && js_truthy(g.v.get())) throw EvalError(std::move(g.v).take(), "thrown: " + t->dump());
    }
    throw EvalError(json(t->is_array() ? "Array" : "Object"), "thrown: " + t->dump());
  }
  // throw { type: t }
  if (t && js_truthy(*t)) throw EvalError(*t, "thrown: " + t->dump());
  throw EvalError(json("Object"), "thrown: " + (t ? t->dump() : std::string("undefined")));
}

}  // namespace

Val Program::Impl::call(Op op, const Args& a, const Ctx& c) const {
  switch (op) {
    case Op::Plus: {
      if (!a.arr) {
        const json& x = *a.v[0];
        if (!js_truthy(x)) return Val(json(0));
        if (x.is_object()) throw_nan();
        double d = js_to_number(x);
        if (std::isnan(d)) throw_nan();
        return Val(num(d));
      }
      double res = 0;
      for (size_t i = 0; i < a.n; ++i) {
        if (structured(*a.v[i])) throw_nan();
        res += js_to_number(*a.v[i]);
      }
      if (std::isnan(res)) throw_nan();
      return Val(num(res));
    }
    case Op::Minus: {
      if (!a.arr) {
        const json& x = *a.v[0];
        if (!js_truthy(x)) return Val(json(0));
        if (x.is_object()) throw_nan();
        double d = -js_to_number(x);
        if (std::isnan(d)) throw_nan();
        return Val(num(d));
      }
      if (a.n > 0 && structured(*a.v[0])) throw_nan();
      if (a.n == 0) throw_invalid();
      if (a.n == 1) return Val(num(-js_to_number(*a.v[0])));  // no NaN check here in the engine
      double res = js_to_number(*a.v[0]);
      for (size_t i = 1; i < a.n; ++i) {
        if (structured(*a.v[i])) throw_nan();
        res -= js_to_number(*a.v[i]);
      }
      if (std::isnan(res)) throw_nan();
      return Val(num(res));
    }
    case Op::Mul: {
      if (a.n == 0) return Val(json(1));
      double res = 1;
      for (size_t i = 0; i < a.n; ++i) {
        if (structured(*a.v[i])) throw_nan();
        res *= js_to_number(*a.v[i]);
      }
      if (std::isnan(res)) throw_nan();
      return Val(num(res));
    }
    case Op::Div: {
      if (a.n > 0 && structured(*a.v[0])) throw_nan();
      if (a.n == 0) throw_invalid();
      if (a.n == 1) {
        double x = js_to_number(*a.v[0]);
        if (x == 0 || std::isnan(x)) throw_nan();
        return Val(num(1 / x));
      }
      double res = js_to_number(*a.v[0]);
      for (size_t i = 1; i < a.n; ++i) {
        if (structured(*a.v[i]) || !js_truthy(*a.v[i])) throw_nan();
        res /= js_to_number(*a.v[i]);
      }
      if (std::isnan(res) || res == HUGE_VAL) throw_nan();
      return Val(num(res));
    }
    case Op::Mod: {
      if (a.n > 0 && structured(*a.v[0])) throw_nan();
      if (a.n < 2) throw_invalid();
      double res = js_to_number(*a.v[0]);
      for (size_t i = 1; i < a.n; ++i) {
        if (structured(*a.v[i])) throw_nan();
        res = std::fmod(res, js_to_number(*a.v[i]));
      }
      if (std::isnan(res)) throw_nan();
      return Val(num(res));
    }
    case Op::Throw:
      throw_value(a.arr ? a.at(0) : a.v[0]);
    case Op::Max:
    case Op::Min: {
      if (a.n == 0 || !a.v[0]->is_number()) throw_invalid();
      size_t best = 0;
      double bv = to_double(*a.v[0]);
      for (size_t i = 1; i < a.n; ++i) {
        if (!a.v[i]->is_number()) throw_invalid();
        double d = to_double(*a.v[i]);
        if (op == Op::Max ? d > bv : d < bv) {
          bv = d;
          best = i;
        }
      }
      return Val(num(to_double(*a.v[best])));
    }
    case Op::In: {
      const json* item = a.at(0);
      const json* hay = a.at(1);
      if (!hay || !js_truthy(*hay)) return vbool(false);
      if (hay->is_string()) {
        std::string needle = item ? js_to_string(*item) : "undefined";
        return vbool(hay->get_ref<const std::string&>().find(needle) != std::string::npos);
      }
      if (hay->is_array()) {
        if (!item) return vbool(false);
        for (const auto& e : *hay)
          if (same_value_zero(*item, e)) return vbool(true);
        return vbool(false);
      }
      throw_type_error("(array || []).includes is not a function");
    }
    case Op::SameText:
    case Op::InText:
      return vbool(op == Op::SameText ? same_text(a.at(0), a.at(1)) : in_text(a.at(0), a.at(1)));
    case Op::Substr:
      return op_substr(a);
    case Op::Exists: {
      bool found;
      val_method(a, c, true, &found);
      return vbool(found);
    }
    case Op::Val: {
      bool found;
      return val_method(a, c, false, &found);
    }
    case Op::Var:
      return var_method(a, c);
    case Op::Merge: {
      json out = json::array();
      for (size_t i = 0; i < a.n; ++i) {
        if (a.v[i]->is_array()) {
          for (const auto& e : *a.v[i]) out.push_back(e);
        } else {
          out.push_back(*a.v[i]);
        }
      }
      return Val(std::move(out));
    }
    case Op::Not:
    case Op::NotNot: {
      const json* v = a.arr ? a.at(0) : a.v[0];
      bool t = v && engine_truthy(*v);
      return vbool(op == Op::Not ? !t : t);
    }
    case Op::Cat: {
      if (!a.arr) {
        const json& x = *a.v[0];
        if (x.is_string()) return Val(json(x));
        if (x.is_null()) throw_type_error("Cannot read properties of null (reading 'toString')");
        return Val(json(js_to_string(x)));
      }
      std::string out;
      for (size_t i = 0; i < a.n; ++i)
        if (!a.v[i]->is_null()) out += js_to_string(*a.v[i]);
      return Val(json(std::move(out)));
    }
    case Op::Keys: {
      const json* o = a.at(0);
      if (!o) return Val(json::array());
      if (o->is_null()) throw_type_error("Cannot convert undefined or null to object");
      if (o->is_object()) return Val(js_object_keys(*o));
      if (o->is_array()) {
        json out = json::array();
        for (size_t i = 0; i < o->size(); ++i) out.push_back(std::to_string(i));
        return Val(std::move(out));
      }
      return Val(json::array());
    }
    case Op::Get: {
      const json* obj = a.at(0);
      const json* key = a.at(1);
      const json* def = a.at(2);
      std::string keystr = key ? js_to_string(*key) : "undefined";
      auto not_found = [&]() { return def ? Val(json(*def)) : Val(); };
      auto parts = split_path(keystr);
      if (!obj) return parts.empty() ? Val() : not_found();
      Val cur = Val(json(*obj));
      bool func = false;
      for (const auto& seg : parts) {
        if (func || cur.get().is_null()) return not_found();
        Got g = js_get(cur.get(), seg, true);
        if (g.k == GK::Undef) return not_found();
        if (g.k == GK::Func) {
          func = true;
          continue;
        }
        cur = std::move(g.v);
      }
      if (func) return Val();
      if (cur.get().is_null()) throw_type_error("Cannot read properties of null (reading '" + keystr + "')");
      if (js_get(cur.get(), keystr, true).k == GK::Func) return Val();
      return cur;
    }
    case Op::Missing: {
      if (a.n == 0) return Val(json::array());
      return Val(missing_impl(a.v, a.n, *c.data));
    }
    case Op::MissingSome: {
      const json* need = a.at(0);
      const json* opts = a.at(1);
      if (!opts) throw_type_error("Cannot read properties of undefined (reading 'length')");
      if (opts->is_null()) throw_type_error("Cannot read properties of null (reading 'length')");
      std::vector<const json*> items;
      std::vector<json> chars;
      double len = std::numeric_limits<double>::quiet_NaN();
      if (opts->is_array()) {
        for (const auto& e : *opts) items.push_back(&e);
        len = static_cast<double>(opts->size());
      } else if (opts->is_string()) {
        auto u = to_utf16(opts->get_ref<const std::string&>());
        chars.reserve(u.size());
        for (size_t i = 0; i < u.size(); ++i) chars.emplace_back(from_utf16(&u[i], 1));
        for (const auto& ch : chars) items.push_back(&ch);
        len = static_cast<double>(u.size());
      }
      json miss = items.empty() ? json::array() : missing_impl(items.data(), items.size(), *c.data);
      double needn = need ? js_to_number(*need) : std::numeric_limits<double>::quiet_NaN();
      if (len - static_cast<double>(miss.size()) >= needn) return Val(json::array());
      return Val(std::move(miss));
    }
    default:
      break;
  }
  throw_invalid();  // unreachable: lazy operators never get here
}

Val Program::Impl::eval_call(const Node& n, const Ctx& c) const {
  if (n.form == Node::ArrayForm) {
    const size_t k = n.kids.size();
    if (k <= 4) {
      Val vals[4];
      const json* ptrs[4];
      for (size_t i = 0; i < k; ++i) {
        vals[i] = eval(n.kids[i], c);
        ptrs[i] = &vals[i].get();
      }
      return call(n.op, Args{true, ptrs, k}, c);
    }
    std::vector<Val> vals;
    vals.reserve(k);
    std::vector<const json*> ptrs(k);
    for (size_t i = 0; i < k; ++i) {
      vals.push_back(eval(n.kids[i], c));
      ptrs[i] = &vals.back().get();
    }
    return call(n.op, Args{true, ptrs.data(), k}, c);
  }
  Val v = eval(n.kids[0], c);
  const json& j = v.get();
  if (j.is_array()) {
    std::vector<const json*> ptrs;
    ptrs.reserve(j.size());
    for (const auto& e : j) ptrs.push_back(&e);
    return call(n.op, Args{true, ptrs.data(), ptrs.size()}, c);
  }
  const json* p = &j;
  return call(n.op, Args{n.form == Node::CoerceForm, &p, 1}, c);
}

Val Program::Impl::eval(uint32_t id, const Ctx& c) const {
  const Node& n = nodes[id];
  switch (n.kind) {
    case Node::Const:
      return Val::ref(n.cval);
    case Node::Deferred:
      rethrow_box(*n.err);
    case Node::Array: {
      json out = json::array();
      for (uint32_t k : n.kids) out.push_back(eval(k, c).take());
      return Val(std::move(out));
    }
    case Node::Var1: {
      // !data || typeof data[key] === 'undefined' || function ? null : data[key]
      const json& d = *c.data;
      if (!js_truthy(d)) return Val();
      if (d.is_object()) {  // fast path for the common case
        auto it = d.find(n.keys[0]);
        if (it != d.end()) return Val::ref(&*it);
      }
      Got g = js_get(d, n.keys[0], false);
      if (g.k != GK::Value) return Val();
      return std::move(g.v);
    }
    case Node::VarData:
      if (c.data->is_null()) return Val();
      return Val::ref(c.data);
    case Node::VarPath:
      return fast_path(c.data, n.keys);
    case Node::Call:
      return eval_call(n, c);
    case Node::Lazy:
      return eval_lazy(n, c);
    case Node::IfIdiom: {
      Val cond = eval(n.kids[0], c);
      return eval(engine_truthy(cond.get()) ? n.kids[1] : n.kids[2], c);
    }
    case Node::Cmp2: {
      Val a = eval(n.kids[0], c);
      Val b = eval(n.kids[1], c);
      return vbool(idiom_compare(n.op, a.get(), b.get()));
    }
    case Node::Cmp3: {
      Val a = eval(n.kids[0], c);
      Val b = eval(n.kids[1], c);
      if (!idiom_compare(n.op, a.get(), b.get())) return vbool(false);
      Val cc = eval(n.kids[2], c);
      return vbool(idiom_compare(n.op, b.get(), cc.get()));
    }
  }
  throw_invalid();
}

}  // namespace leadscore::jsonlogic
