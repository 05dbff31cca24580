// JsonLogic -> Program: mirrors json-logic-engine's optimizer (optimizer.js, compiler.js). Decides
// which nodes are deterministic and folds them to constants up front (an error in a folded node
// becomes a deferred node that throws when reached), rewrites the engine's "idioms" (2/3-argument
// comparisons, 3-argument if, short val paths, constant-predicate filter, +/* reduce) into their
// special forms, and picks the argument form of each method. See jsonlogic.cpp for why the
// engine's optimizer has to be mirrored at all.

#include <algorithm>
#include <cstring>

#include "jsonlogic/program.h"

namespace leadscore::jsonlogic {

// ---------------------------------------------------------------------------------------
// isDeterministic (compiler.js + each method's `deterministic`)
// ---------------------------------------------------------------------------------------
bool Program::Impl::is_det(const json& l, bool in_iter, bool in_try) {
  if (!l.is_object() || l.empty()) return is_det_uncached(l, in_iter, in_try);
  const int slot = (in_iter ? 1 : 0) + (in_try ? 2 : 0);
  const uint8_t known = static_cast<uint8_t>(1u << (2 * slot)), value = static_cast<uint8_t>(2u << (2 * slot));
  auto it = det_memo.find(&l);
  if (it != det_memo.end() && (it->second & known)) return (it->second & value) != 0;
  const bool r = is_det_uncached(l, in_iter, in_try);  // may throw: then nothing is recorded
  uint8_t& bits = det_memo[&l];
  bits = static_cast<uint8_t>(bits | known | (r ? value : 0));
  return r;
}

bool Program::Impl::is_det_uncached(const json& l, bool in_iter, bool in_try) {
  if (l.is_array()) {
    for (const auto& e : l)
      if (!is_det(e, in_iter, in_try)) return false;
    return true;
  }
  if (!l.is_object() || l.empty()) return true;
  auto it = l.begin();
  Op op;
  if (!find_op(it.key(), &op)) return true;  // unreachable: validated
  const json& lower = it.value();
  auto first = [&](const json& d) -> const json* {  // d[0] in JS, nullptr = undefined
    if (d.is_null()) throw_type_error("Cannot read properties of null (reading '0')");
    if (d.is_array()) return d.empty() ? nullptr : &d[0];
    return nullptr;  // strings give a character (a primitive), others undefined: both "deterministic"
  };
  switch (op) {
    case Op::Preserve:
      return true;
    case Op::If:
    case Op::Or:
    case Op::And:
    case Op::Coalesce:
    case Op::Length:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
    case Op::Eq:
    case Op::SEq:
    case Op::Ne:
    case Op::SNe:
      return is_det(lower, in_iter, in_try);
    case Op::Try: {
      const json* f = first(lower);
      return (!f || is_det(*f, in_iter, true)) && is_det(lower, true, true);
    }
    case Op::Map:
    case Op::Filter:
    case Op::Some:
    case Op::All:
    case Op::None:
    case Op::Reduce: {
      const json* f = first(lower);
      if (f && !is_det(*f, in_iter, in_try)) return false;
      if (lower.is_array() && lower.size() > 1) return is_det(lower[1], true, in_try);
      return true;
    }
    case Op::Pipe: {
      if (!lower.is_array()) return false;
      if (lower.empty()) return true;
      if (!is_det(lower[0], in_iter, in_try)) return false;
      for (size_t i = 1; i < lower.size(); ++i)
        if (!is_det(lower[i], true, in_try)) return false;
      return true;
    }
    case Op::EachKey: {
      if (!lower.is_structured()) throw_invalid();
      for (const auto& v : lower)
        if (!is_det(v, in_iter, in_try)) return false;
      return true;
    }
    case Op::Throw:
      return in_try && is_det(lower, in_iter, in_try);
    case Op::Val:
      if (!in_iter) return false;
      if (lower.is_array() && !lower.empty() && lower[0].is_array()) {
        double c = lower[0].empty() ? std::numeric_limits<double>::quiet_NaN() : js_to_number(lower[0][0]);
        if (std::fabs(c) >= 2) return false;
      }
      return true;
    case Op::Var:
      return in_iter && js_to_string(lower).find("../../") == std::string::npos;
    case Op::Exists:
    case Op::MissingSome:
      return false;
    case Op::Missing:
      return lower.is_array() && lower.empty();
    default:
      return is_det(lower, in_iter, in_try);
  }
}

// ---------------------------------------------------------------------------------------
// optimize() mirror
// ---------------------------------------------------------------------------------------
uint32_t Program::Impl::compile_lazy(const json& l) {
  // runOptimizedOrFallback: primitives are returned as they are; structures are run (and
  // optimized) when first reached, so optimization errors surface only then.
  if (!l.is_structured()) return mk_const(&l);
  try {
    return compile(l);
  } catch (const FalsyThrow& e) {
    return mk_deferred(e, true);
  } catch (const EvalError& e) {
    return mk_deferred(e, false);
  }
}

uint32_t Program::Impl::compile(const json& l) {
  if (l.is_array()) {
    std::vector<uint32_t> kids;
    kids.reserve(l.size());
    bool all_const = true, all_literal = true;
    for (const auto& e : l) {
      uint32_t k = compile(e);
      kids.push_back(k);
      if (!is_const(k))
        all_const = false;
      else if (nodes[k].cval != &e)
        all_literal = false;
    }
    if (all_const) {
      if (all_literal) return mk_const(&l);
      json a = json::array();
      for (uint32_t k : kids) a.push_back(cval(k));
      return mk_const_owned(std::move(a));
    }
    Node n;
    n.kind = Node::Array;
    n.kids = std::move(kids);
    return add(std::move(n));
  }
  if (!l.is_object() || l.empty()) return mk_const(&l);
  auto it = l.begin();
  Op op;
  if (!find_op(it.key(), &op)) throw LogicError("unknown operator \"" + it.key() + "\"", it.key(), "");
  const json& args = it.value();
  uint32_t out;
  if (idioms(op, args, &out)) return out;
  const bool det = is_det(l, false, false);
  uint32_t id = get_method(op, args);
  if (det) {
    Val v = eval(id, Ctx{&undefined_json(), nullptr});
    if (v.borrowed()) return mk_const(&v.get());
    return mk_const_owned(std::move(v).take());
  }
  return id;
}

// optimizer.js checkIdioms
bool Program::Impl::idioms(Op op, const json& args, uint32_t* out) {
  switch (op) {
    case Op::Val: {
      if (!args.is_array() || args.empty() || args.size() > 3) return false;
      for (const auto& e : args)
        if (e.is_null() || e.is_structured()) return false;
      // (prev = data && data[a] && data[a][b]) — falsy links are returned as they are
      Node n;
      n.kind = Node::VarPath;
      for (const auto& e : args) n.keys.push_back(js_to_string(e));
      *out = add(std::move(n));
      return true;
    }
    case Op::If: {
      if (!args.is_array() || args.size() != 3) return false;
      uint32_t c = compile(args[0]);
      uint32_t t = compile(args[1]);
      uint32_t f = compile(args[2]);
      if (is_const(c)) {
        *out = engine_truthy(cval(c)) ? t : f;
        return true;
      }
      Node n;
      n.kind = Node::IfIdiom;
      n.kids = {c, t, f};
      *out = add(std::move(n));
      return true;
    }
    case Op::Filter: {
      if (!args.is_array() || args.size() != 2) return false;
      uint32_t f = compile(args[1]);
      if (!is_const(f)) {
        filter_mapper_logic = &args[1];
        filter_mapper_node = f;
        return false;
      }
      // a constant predicate: the collection itself (no copy, no array check) or []
      *out = engine_truthy(cval(f)) ? compile(args[0]) : mk_const_owned(json::array());
      return true;
    }
    case Op::Reduce: {
      if (!args.is_array()) return false;
      if (args.size() < 2) throw_type_error("Cannot read properties of undefined (reading '+')");
      const json& mapper = args[1];
      if (mapper.is_null()) throw_type_error("Cannot read properties of null (reading '+')");
      auto var_is = [](const json& e, const char* name) {
        if (!e.is_object()) return false;
        auto v = e.find("var");
        return v != e.end() && v->is_string() && *v == name;
      };
      auto has_var = [](const json& e) {
        if (!e.is_object()) return false;
        auto v = e.find("var");
        return v != e.end() && js_truthy(*v);
      };
      for (const char* opname : {"+", "*"}) {
        if (!mapper.is_object()) break;
        auto m = mapper.find(opname);
        if (m == mapper.end() || !m->is_array() || m->size() != 2) continue;
        const json& a0 = (*m)[0];
        const json& a1 = (*m)[1];
        if (!has_var(a0) || !has_var(a1)) continue;
        bool acc = var_is(a0, "accumulator") || var_is(a1, "accumulator");
        bool cur = var_is(a0, "current") || var_is(a1, "current");
        if (!(acc && cur)) continue;
        json def;
        if (opname[0] == '+')
          def = args.size() >= 3 && js_truthy(args[2]) ? args[2] : json(0);
        else
          def = args.size() >= 3 ? args[2] : json(1);
        json rewritten = {{opname, json::array({json{{opname, args[0]}}, def})}};
        store.push_back(std::move(rewritten));
        *out = compile(store.back());
        return true;
      }
      return false;
    }
    default:
      break;
  }
  if (is_comparator(op) && args.is_array() && (args.size() == 2 || args.size() == 3)) {
    std::vector<uint32_t> k;
    for (const auto& e : args) k.push_back(compile(e));
    bool all_const = std::all_of(k.begin(), k.end(), [&](uint32_t id) { return is_const(id); });
    if (all_const) {
      bool r = idiom_compare(op, cval(k[0]), cval(k[1]));
      if (k.size() == 3) r = r && idiom_compare(op, cval(k[1]), cval(k[2]));
      *out = mk_const_owned(json(r));
      return true;
    }
    Node n;
    n.kind = k.size() == 2 ? Node::Cmp2 : Node::Cmp3;
    n.op = op;
    n.kids = std::move(k);
    *out = add(std::move(n));
    return true;
  }
  return false;
}

// optimizer.js getMethod
uint32_t Program::Impl::get_method(Op op, const json& args) {
  Node n;
  n.op = op;
  if (is_lazy(op)) {
    n.kind = Node::Lazy;
    n.cval = &args;
    std::vector<uint32_t> kids;
    switch (op) {
      case Op::Preserve:
        break;
      case Op::Length:
        if (js_truthy(args)) kids.push_back(compile_lazy(args));
        break;
      case Op::Map:
      case Op::Filter:
      case Op::Some:
      case Op::All:
      case Op::None:
        if (args.is_array()) {
          kids.push_back(args.size() > 0 ? compile_lazy(args[0]) : mk_const(&null_json()));
          if (args.size() > 1 && filter_mapper_logic == &args[1]) {
            kids.push_back(filter_mapper_node);
          } else {
            kids.push_back(args.size() > 1 ? compile_lazy(args[1]) : mk_const(&null_json()));
          }
          filter_mapper_logic = nullptr;
        }
        break;
      case Op::Reduce:
        if (args.is_array()) {
          kids.push_back(args.size() > 0 ? compile_lazy(args[0]) : mk_const(&null_json()));
          kids.push_back(args.size() > 1 ? compile_lazy(args[1]) : mk_const(&null_json()));
          kids.push_back(args.size() > 2 ? compile_lazy(args[2]) : mk_const(&null_json()));
          n.has_default = args.size() > 2;
        }
        break;
      case Op::Try:
        if (args.is_array()) {
          for (const auto& e : args) kids.push_back(compile_lazy(e));
        } else {
          kids.push_back(compile_lazy(args));
        }
        break;
      case Op::EachKey:
        if (args.is_object()) {
          for (auto it = args.begin(); it != args.end(); ++it) {
            n.keys.push_back(it.key());
            kids.push_back(compile_lazy(it.value()));
          }
        } else if (args.is_array()) {
          for (size_t i = 0; i < args.size(); ++i) {
            n.keys.push_back(std::to_string(i));
            kids.push_back(compile_lazy(args[i]));
          }
        }
        break;
      default:  // if, and, or, ??, comparators, pipe
        if (args.is_array())
          for (const auto& e : args) kids.push_back(compile_lazy(e));
        break;
    }
    n.kids = std::move(kids);
    return add(std::move(n));
  }

  n.kind = Node::Call;
  const bool unary = is_unary(op);
  if (!args.is_structured() && !unary) {
    // (!args || typeof args !== 'object') && !optimizeUnary -> [args]
    n.form = Node::ArrayForm;
    n.kids.push_back(compile(args));
    return add(std::move(n));
  }
  const json* a = &args;
  if (args.is_array() && args.size() == 1 && unary && !args[0].is_array()) a = &args[0];
  if (a->is_array()) {
    n.form = Node::ArrayForm;
    for (const auto& e : *a) n.kids.push_back(compile(e));
    return add(std::move(n));
  }
  uint32_t k = compile(*a);
  if (!unary) {
    n.form = Node::CoerceForm;
    n.kids.push_back(k);
    return add(std::move(n));
  }
  n.form = Node::UnaryForm;
  n.kids.push_back(k);
  if ((op == Op::Var || op == Op::Val) && is_const(k)) {
    const json& key = cval(k);
    if (op == Op::Var && !js_truthy(key)) {
      Node d;
      d.kind = Node::VarData;
      return add(std::move(d));
    }
    auto single = [&](std::string keystr) {
      Node d;
      d.kind = Node::Var1;
      d.keys.push_back(std::move(keystr));
      return add(std::move(d));
    };
    if (op == Op::Val || key.is_number()) return single(js_to_string(key));
    // optimizedArgs.includes('.') / .includes('\\') / .startsWith('../')
    if (key.is_string()) {
      const std::string& s = key.get_ref<const std::string&>();
      if (s.find('.') == std::string::npos && s.find('\\') == std::string::npos) return single(s);
      if (s.compare(0, 3, "../") != 0) {
        auto path = split_path(s);
        if (path.size() == 2 || path.size() == 3) {
          Node d;
          d.kind = Node::VarPath;
          d.keys = std::move(path);
          return add(std::move(d));
        }
      }
      return add(std::move(n));
    }
    if (key.is_array()) {
      bool has = false;
      for (const auto& e : key)
        if (e.is_string() && (e == "." || e == "\\")) has = true;
      if (!has) return single(js_to_string(key));
      throw_type_error("optimizedArgs.startsWith is not a function");
    }
    throw_type_error("optimizedArgs.includes is not a function");
  }
  return add(std::move(n));
}

}  // namespace leadscore::jsonlogic
