// The lazy methods: those json-logic-engine hands their raw arguments, because they decide what
// to evaluate and in which context. Control flow (if, and, or, ??, try, preserve), iterators
// (map, filter, reduce, all, some, none, eachKey), pipe and length.
// eval_lazy is one switch for the same reason as call in eval.cpp: one dispatch per node.

#include <algorithm>
#include <cmath>

#include "jsonlogic/program.h"

namespace leadscore::jsonlogic {

namespace {
// Iteration over `selector[i]` for i < selector.length (some/all/none): arrays and strings.
template <class F>
void for_each_item(const json& sel, F&& f) {
  if (sel.is_array()) {
    for (const auto& e : sel)
      if (!f(e)) return;
  } else if (sel.is_string()) {
    auto u = to_utf16(sel.get_ref<const std::string&>());
    for (size_t i = 0; i < u.size(); ++i) {
      json ch(from_utf16(&u[i], 1));
      if (!f(ch)) return;
    }
  }
}
}  // namespace

Val Program::Impl::eval_lazy(const Node& n, const Ctx& outer) const {
  const json& raw = *n.cval;
  const Ctx c = lazy_ctx(outer);
  const auto& k = n.kids;
  switch (n.op) {
    case Op::Preserve:
      return Val::ref(&raw);
    case Op::If: {
      if (!raw.is_array()) throw_invalid();
      const size_t m = k.size();
      if (m == 1) return eval(k[0], c);
      if (m < 2) return Val();
      const bool odd = m % 2 == 1;
      const size_t pairs_end = odd ? m - 1 : m;
      for (size_t i = 0; i < pairs_end; i += 2) {
        Val t = eval(k[i], c);
        if (engine_truthy(t.get())) return eval(k[i + 1], c);
      }
      return odd ? eval(k[m - 1], c) : Val();
    }
    case Op::And:
    case Op::Or: {
      if (!raw.is_array()) throw_invalid();
      if (k.empty()) return Val();
      Val item;
      for (uint32_t id : k) {
        item = eval(id, c);
        bool t = engine_truthy(item.get());
        if (n.op == Op::And ? !t : t) return item;
      }
      return item;
    }
    case Op::Coalesce: {
      if (!raw.is_array()) throw_invalid();
      for (uint32_t id : k) {
        Val item = eval(id, c);
        if (!item.get().is_null()) return item;
      }
      return Val();
    }
    case Op::Try: {
      std::exception_ptr last;
      bool have = false, falsy = false;
      json last_type;
      for (uint32_t id : k) {
        try {
          if (have && !falsy) {
            json ectx = json::object();
            ectx["type"] = last_type;
            Frame f{Frame::Null, nullptr, 0, outer.data, c.above};
            return Val(eval(id, Ctx{&ectx, &f}).take());
          }
          return eval(id, c);
        } catch (const FalsyThrow& e) {
          last = std::current_exception();
          have = true;
          falsy = true;
          last_type = nullptr;
        } catch (const EvalError& e) {
          last = std::current_exception();
          have = true;
          falsy = false;
          last_type = e.type;
        }
      }
      if (!have) throw FalsyThrow(json(), "thrown: undefined");
      std::rethrow_exception(last);
    }
    case Op::Length: {
      if (!js_truthy(raw)) throw_invalid();
      Val parsed = eval(k[0], c);
      const json* i = &parsed.get();
      if (raw.is_array()) i = parsed.get().is_array() && !parsed.get().empty() ? &parsed.get()[0] : nullptr;
      if (i && i->is_string()) return Val(json(utf16_length(i->get_ref<const std::string&>())));
      if (i && i->is_array()) return Val(json(i->size()));
      if (i && i->is_object()) return Val(json(i->size()));
      throw_invalid();
    }
    case Op::Map:
    case Op::Filter: {
      if (!raw.is_array()) throw_invalid();
      Val sel = eval(k[0], c);
      if (!js_truthy(sel.get())) sel = Val(json::array());
      const json& s = sel.get();
      if (!s.is_array()) throw_type_error("selector[name] is not a function");
      Frame f{Frame::Iter, &s, 0, outer.data, c.above};
      json out = json::array();
      for (size_t i = 0; i < s.size(); ++i) {
        f.index = i;
        Val r = eval(k[1], Ctx{&s[i], &f});
        if (n.op == Op::Map)
          out.push_back(std::move(r).take());
        else if (engine_truthy(r.get()))
          out.push_back(s[i]);
      }
      return Val(std::move(out));
    }
    case Op::Some:
    case Op::None:
    case Op::All: {
      if (!raw.is_array()) throw_invalid();
      Val sel = eval(k[0], c);
      if (!js_truthy(sel.get())) sel = Val(json::array());
      const json& s = sel.get();
      if (n.op == Op::All && s.is_array() && s.empty()) return vbool(false);
      Frame f{Frame::Sel, &s, 0, outer.data, c.above};
      bool result = n.op == Op::All;
      for_each_item(s, [&](const json& item) {
        Val r = eval(k[1], Ctx{&item, &f});
        bool t = engine_truthy(r.get());
        if (n.op == Op::All && !t) {
          result = false;
          return false;
        }
        if (n.op != Op::All && t) {
          result = true;
          return false;
        }
        return true;
      });
      return vbool(n.op == Op::None ? !result : result);
    }
    case Op::Reduce: {
      if (!raw.is_array()) throw_invalid();
      json acc;
      if (n.has_default) {
        acc = eval(k[2], c).take();
        assert_allowed_depth(acc);
      }
      Val sel = eval(k[0], c);
      if (!js_truthy(sel.get())) sel = Val(json::array());
      const json& s = sel.get();
      if (!s.is_array()) throw_type_error("selector.reduce is not a function");
      size_t start = 0;
      if (!n.has_default) {
        if (s.empty()) throw_type_error("Reduce of empty array with no initial value");
        acc = s[0];
        start = 1;
      }
      Frame f{Frame::Sel, &s, 0, outer.data, c.above};
      for (size_t i = start; i < s.size(); ++i) {
        json ctx = json::object();
        ctx["accumulator"] = std::move(acc);
        ctx["current"] = s[i];
        acc = eval(k[1], Ctx{&ctx, &f}).take();
        assert_allowed_depth(acc);
      }
      return Val(std::move(acc));
    }
    case Op::Pipe: {
      if (!raw.is_array()) throw_error_message("Data for pipe must be an array");
      if (k.empty()) return Val();
      Frame f{Frame::Raw, &raw, 0, outer.data, c.above};
      json answer = eval(k[0], Ctx{c.data, &f}).take();
      for (size_t i = 1; i < k.size(); ++i) answer = eval(k[i], Ctx{&answer, &f}).take();
      return Val(std::move(answer));
    }
    case Op::EachKey: {
      json out = json::object();
      for (size_t i = 0; i < k.size(); ++i) out[n.keys[i]] = eval(k[i], c).take();
      return Val(std::move(out));
    }
    default:
      break;
  }
  if (is_comparator(n.op)) {
    // createComparator(...).method: reached for 1 or 4+ arguments (2 and 3 are idioms)
    if (!raw.is_array() || raw.size() <= 1) throw_invalid();
    const bool strict = n.op == Op::SEq || n.op == Op::SNe;
    Val prev = eval(k[0], c);
    for (size_t i = 1; i < k.size(); ++i) {
      Val cur = eval(k[i], c);
      const json& p = prev.get();
      const json& q = cur.get();
      if (strict || (str_or_null(q) && str_or_null(p)))
        if (!raw_compare(n.op, p, q)) return vbool(false);
      if (std::isnan(precoerce_number(q)) && !p.is_null()) throw_nan();
      if (i == 1 && std::isnan(precoerce_number(p))) throw_nan();
      if (!num_compare(n.op, js_to_number(p), js_to_number(q))) return vbool(false);
      prev = std::move(cur);
    }
    return vbool(true);
  }
  throw_invalid();
}

}  // namespace leadscore::jsonlogic
