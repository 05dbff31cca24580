// The compiled form of JsonLogic the interpreter runs: the operator set and what
// json-logic-engine declares about each operator (lazy, unary), the comparison semantics the
// generic methods and the optimizer's idioms share, scope frames ("above") for iterators, and
// Program::Impl with its node array. Internal to core/jsonlogic/: compile.cpp builds programs,
// eval.cpp and eval_lazy.cpp run them, jsonlogic.cpp is the public API. The helpers below are
// inline because the evaluator calls them per node.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "jsonlogic/js_values.h"

namespace leadscore::jsonlogic {

// ---------------------------------------------------------------------------------------
// Operators
// ---------------------------------------------------------------------------------------
enum class Op : uint8_t {
  Plus,
  Minus,
  Mul,
  Div,
  Mod,
  Throw,
  Max,
  Min,
  In,
  Preserve,
  If,
  Lt,
  Le,
  Gt,
  Ge,
  Eq,
  SEq,
  Ne,
  SNe,
  Or,
  And,
  Coalesce,
  Try,
  Substr,
  Length,
  Exists,
  Val,
  Map,
  Some,
  All,
  None,
  Merge,
  Filter,
  Reduce,
  Not,
  NotNot,
  Cat,
  Keys,
  Pipe,
  EachKey,
  Get,
  Var,
  Missing,
  MissingSome,
  // leadscore's extension operators (docs/rules.md): text compared ignoring case and accents
  SameText,  // ls:same [a, b]
  InText     // ls:in [needle, list or text]
};

inline const std::unordered_map<std::string, Op>& op_table() {
  static const std::unordered_map<std::string, Op> t = {
      {"+", Op::Plus},
      {"-", Op::Minus},
      {"*", Op::Mul},
      {"/", Op::Div},
      {"%", Op::Mod},
      {"throw", Op::Throw},
      {"max", Op::Max},
      {"min", Op::Min},
      {"in", Op::In},
      {"preserve", Op::Preserve},
      {"if", Op::If},
      {"?:", Op::If},
      {"<", Op::Lt},
      {"<=", Op::Le},
      {">", Op::Gt},
      {">=", Op::Ge},
      {"==", Op::Eq},
      {"===", Op::SEq},
      {"!=", Op::Ne},
      {"!==", Op::SNe},
      {"or", Op::Or},
      {"and", Op::And},
      {"??", Op::Coalesce},
      {"try", Op::Try},
      {"substr", Op::Substr},
      {"length", Op::Length},
      {"exists", Op::Exists},
      {"val", Op::Val},
      {"map", Op::Map},
      {"some", Op::Some},
      {"all", Op::All},
      {"every", Op::All},
      {"none", Op::None},
      {"merge", Op::Merge},
      {"filter", Op::Filter},
      {"reduce", Op::Reduce},
      {"!", Op::Not},
      {"not", Op::Not},
      {"!!", Op::NotNot},
      {"cat", Op::Cat},
      {"keys", Op::Keys},
      {"pipe", Op::Pipe},
      {"eachKey", Op::EachKey},
      {"get", Op::Get},
      {"var", Op::Var},
      {"missing", Op::Missing},
      {"missing_some", Op::MissingSome},
      {"ls:same", Op::SameText},
      {"ls:in", Op::InText},
  };
  return t;
}

inline bool find_op(const std::string& name, Op* op) {
  const auto& t = op_table();
  auto it = t.find(name);
  if (it == t.end()) return false;
  *op = it->second;
  return true;
}

inline bool is_comparator(Op op) { return op >= Op::Lt && op <= Op::SNe; }

// Methods json-logic-engine declares `lazy` (they receive their raw arguments).
inline bool is_lazy(Op op) {
  switch (op) {
    case Op::Preserve:
    case Op::If:
    case Op::Or:
    case Op::And:
    case Op::Coalesce:
    case Op::Try:
    case Op::Length:
    case Op::Map:
    case Op::Some:
    case Op::All:
    case Op::None:
    case Op::Filter:
    case Op::Reduce:
    case Op::Pipe:
    case Op::EachKey:
      return true;
    default:
      return is_comparator(op);
  }
}

// Methods with `optimizeUnary` (a single non-array argument is passed as is, not wrapped).
inline bool is_unary(Op op) {
  switch (op) {
    case Op::Plus:
    case Op::Minus:
    case Op::Not:
    case Op::NotNot:
    case Op::Cat:
    case Op::Throw:
    case Op::Val:
    case Op::Var:
      return true;
    default:
      return false;
  }
}

// JS relational/equality operators on raw values (only used for string/null pairs, or
// strict ones on anything).
inline bool raw_compare(Op op, const json& a, const json& b) {
  switch (op) {
    case Op::SEq:
      return strict_eq(a, b);
    case Op::SNe:
      return !strict_eq(a, b);
    case Op::Eq:
    case Op::Ne: {
      bool eq;
      if (a.is_null() || b.is_null())
        eq = a.is_null() && b.is_null();
      else
        eq = a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
      return op == Op::Eq ? eq : !eq;
    }
    default:
      break;
  }
  if (a.is_string() && b.is_string()) {
    int c = compare_utf16(a.get_ref<const std::string&>(), b.get_ref<const std::string&>());
    switch (op) {
      case Op::Lt:
        return c < 0;
      case Op::Le:
        return c <= 0;
      case Op::Gt:
        return c > 0;
      default:
        return c >= 0;
    }
  }
  double x = js_to_number(a), y = js_to_number(b);
  switch (op) {
    case Op::Lt:
      return x < y;
    case Op::Le:
      return x <= y;
    case Op::Gt:
      return x > y;
    default:
      return x >= y;
  }
}

inline bool num_compare(Op op, double x, double y) {
  switch (op) {
    case Op::Lt:
      return x < y;
    case Op::Le:
      return x <= y;
    case Op::Gt:
      return x > y;
    case Op::Ge:
      return x >= y;
    case Op::Eq:
    case Op::SEq:
      return x == y;
    default:
      return x != y;
  }
}

// +precoerceNumber(x)
inline double precoerce_number(const json& x) {
  if (x.is_number_float() && std::isnan(x.get<double>())) throw_nan();
  if (!js_truthy(x)) return js_to_number(x);
  if (structured(x)) throw_nan();
  return js_to_number(x);
}

// The optimizer's comparisonFunc (2- and 3-argument comparisons).
inline bool idiom_compare(Op op, const json& a, const json& b) {
  if (op == Op::SEq || op == Op::SNe) return raw_compare(op, a, b);
  if (str_or_null(a) && str_or_null(b)) return raw_compare(op, a, b);
  double x = precoerce_number(a);
  if (std::isnan(x)) throw_nan();
  double y = precoerce_number(b);
  if (std::isnan(y) && !a.is_null()) throw_nan();
  return num_compare(op, x, y);
}

// ---------------------------------------------------------------------------------------
// Scopes ("above"): json-logic-engine passes an array [x, context, previousAbove] down into
// iterators / try fallbacks / pipe; `var` with "../" and `val` with [[n], ...] climb it.
// ---------------------------------------------------------------------------------------
struct Frame {
  enum Kind : uint8_t { Iter, Sel, Null, Raw } kind;  // what slot 0 holds
  const json* sel;      // Iter: the iterated array ({iterator, index} object); Sel/Raw: slot 0 itself
  size_t index;         // Iter
  const json* ctx;      // slot 1: the enclosing context
  const Frame* parent;  // slot 2: the enclosing above (nullptr = the top-level [])
};

struct Ctx {
  const json* data;
  const Frame* above;
};

// The context a lazily run operand sees (see undefined_json()).
inline Ctx lazy_ctx(const Ctx& c) { return c.data == &undefined_json() ? Ctx{&empty_object_json(), c.above} : c; }

// A value reached while climbing: a json, the synthesized {iterator, index} object, an
// above-array (frame), or undefined.
struct AV {
  enum T : uint8_t { Undef, Json, IterObj, FrameArr } t = Undef;
  const json* j = nullptr;
  const Frame* f = nullptr;
};

inline size_t frame_len(const Frame* f) { return f ? 3 : 0; }

inline AV frame_at(const Frame* f, size_t k) {
  AV r;
  if (!f) return r;
  if (k == 0) {
    if (f->kind == Frame::Iter) {
      r.t = AV::IterObj;
      r.f = f;
    } else if (f->kind == Frame::Null) {
      r.t = AV::Json;
      r.j = &null_json();
    } else {
      r.t = AV::Json;
      r.j = f->sel;
    }
  } else if (k == 1) {
    r.t = AV::Json;
    r.j = f->ctx;
  } else if (k == 2) {
    r.t = AV::FrameArr;
    r.f = f->parent;
  }
  return r;
}

inline json materialize_frame(const Frame* f, int depth = 0) {
  if (!f) return json::array();
  if (depth > kMaxDepth) return json::array();
  json a = json::array();
  if (f->kind == Frame::Iter)
    a.push_back(json{{"iterator", *f->sel}, {"index", f->index}});
  else if (f->kind == Frame::Null)
    a.push_back(nullptr);
  else
    a.push_back(*f->sel);
  a.push_back(*f->ctx);
  a.push_back(materialize_frame(f->parent, depth + 1));
  return a;
}

inline Val av_value(const AV& v) {
  switch (v.t) {
    case AV::Json:
      return Val::ref(v.j);
    case AV::IterObj:
      return Val(json{{"iterator", *v.f->sel}, {"index", v.f->index}});
    case AV::FrameArr:
      return Val(materialize_frame(v.f));
    default:
      return Val();
  }
}

// ---------------------------------------------------------------------------------------
// Compiled program
// ---------------------------------------------------------------------------------------
struct ErrBox {
  json type;
  std::string msg;
  bool falsy;
};

[[noreturn]] inline void rethrow_box(const ErrBox& e) {
  if (e.falsy) throw FalsyThrow(e.type, e.msg);
  throw EvalError(e.type, e.msg);
}

struct Node {
  enum Kind : uint8_t { Const, Deferred, Array, Var1, VarData, VarPath, Call, Lazy, IfIdiom, Cmp2, Cmp3 };
  enum Form : uint8_t { ArrayForm, UnaryForm, CoerceForm };
  Kind kind = Const;
  Op op = Op::Plus;
  Form form = ArrayForm;
  bool has_default = false;
  const json* cval = nullptr;  // Const: value; Lazy: raw arguments
  std::vector<uint32_t> kids;
  std::vector<std::string> keys;      // Var1 key / VarPath segments / eachKey keys
  std::shared_ptr<const ErrBox> err;  // Deferred
};

// Argument view handed to non-lazy methods: `arr` says whether the method received an
// array (JS `Array.isArray(data)`); v/n are its elements (or the single value).
struct Args {
  bool arr;
  const json* const* v;
  size_t n;
  const json* at(size_t i) const { return i < n ? v[i] : nullptr; }  // nullptr = undefined
};

struct Program::Impl {
  json owned_logic;  // when constructed through the public Program API
  std::vector<Node> nodes;
  std::deque<json> store;  // owned constants / rewritten logic (stable addresses)
  uint32_t root = 0;
  // The filter idiom compiles the predicate eagerly; when it is not constant the generic
  // filter reuses that node instead of compiling it again (nested filters would otherwise
  // cost 2^depth).
  const json* filter_mapper_logic = nullptr;
  uint32_t filter_mapper_node = 0;

  // --- compile ---
  uint32_t add(Node&& n) {
    nodes.push_back(std::move(n));
    return static_cast<uint32_t>(nodes.size() - 1);
  }
  uint32_t mk_const(const json* p) {
    Node n;
    n.kind = Node::Const;
    n.cval = p;
    return add(std::move(n));
  }
  uint32_t mk_const_owned(json&& j) {
    store.push_back(std::move(j));
    return mk_const(&store.back());
  }
  uint32_t mk_deferred(const EvalError& e, bool falsy) {
    Node n;
    n.kind = Node::Deferred;
    n.err = std::make_shared<ErrBox>(ErrBox{e.type, e.what(), falsy});
    return add(std::move(n));
  }
  bool is_const(uint32_t id) const { return nodes[id].kind == Node::Const; }
  const json& cval(uint32_t id) const { return *nodes[id].cval; }

  uint32_t compile(const json& l);
  uint32_t compile_lazy(const json& l);
  bool idioms(Op op, const json& args, uint32_t* out);
  uint32_t get_method(Op op, const json& args);
  // isDeterministic, memoized per (object, flags): the engine's own check visits a try's
  // first operand twice, which is exponential for nested trys.
  std::unordered_map<const json*, uint8_t> det_memo;
  bool is_det(const json& l, bool in_iter, bool in_try);
  bool is_det_uncached(const json& l, bool in_iter, bool in_try);

  // --- evaluate ---
  Val eval(uint32_t id, const Ctx& c) const;
  Val eval_call(const Node& n, const Ctx& c) const;
  Val eval_lazy(const Node& n, const Ctx& c) const;
  Val call(Op op, const Args& a, const Ctx& c) const;
};

}  // namespace leadscore::jsonlogic
