// JsonLogic interpreter mirroring json-logic-engine 5.0.7's `new LogicEngine().run(logic, data)`.
//
// How the JavaScript engine really evaluates (and therefore how this interpreter is organised):
// `LogicEngine.run` does not walk the logic directly. It first runs its *optimizer*
// (optimizer.js) over the logic, caches the result per logic object, and calls that.
// The optimizer changes observable behaviour in several ways, all mirrored here:
//   * constant folding: every node json-logic-engine considers "deterministic" (no var/val
//     outside an iterator, no throw outside a try, ...) is evaluated once, up front. An error
//     in such a node is raised even when the branch holding it would never be taken
//     ({"if":[{"var":"x"}, 1, {"/":[1,0]}]} always throws);
//   * "idioms": 2- and 3-argument comparisons, 3-argument if, val with short paths, filter
//     with a constant predicate and reduce with a +/* accumulator are rewritten into special
//     forms whose coercions differ from the generic methods (e.g. 3-argument string
//     comparisons work, 4-argument ones throw);
//   * unary argument forms: {"cat": [x]} calls cat(x), not cat([x]), so a null x throws;
//     {"var": "a.b"} uses `data && data.a && data.a.b` (a falsy `a` is returned as is).
// Lazily evaluated operands (and/or/??/try/iterators/non-idiom if) are optimized only when
// they are first evaluated, so a folding error inside them surfaces only when reached.
// We reproduce that by compiling such operands eagerly but storing the folding error in a
// "deferred" node that throws when (and each time) it is evaluated.
//
// The engine itself was read from node_modules/json-logic-engine (defaultMethods.js,
// legacy.js, optimizer.js, logic.js, utilities/*) and every behaviour pinned in
// tests/test_jsonlogic_semantics.cpp was checked against it under Node.
//
// Deliberate differences (documented in the report and the semantics test):
//   * unknown operators and objects with several keys are rejected up front with LogicError
//     (the engine throws {type:"Unknown Operator"} at optimize time or when reached, and
//     evaluates a few multi-key objects whose keys include an idiom operator);
//   * logic nested deeper than kMaxDepth levels is rejected with LogicError;
//   * JS functions (e.g. the value of `{}.toString`) are represented as null;
//   * object identity (=== / in on arrays and objects) is approximated by address identity
//     of the values we hold: same datum value -> identical, computed copies -> distinct;
//   * object key order: nlohmann::json sorts keys, so `keys`/`eachKey` list integer-like keys
//     first (as JS does) and the rest in byte order, not insertion order.
//
// This file: the public API (Program, apply, validate, the per-logic program cache) and the
// structural validation every entry point runs first. The rest of the interpreter:
//   js_values.h/.cpp   JavaScript value semantics (conversions, equality, property access)
//   program.h          operators, scopes, the compiled node form (Program::Impl)
//   compile.cpp        the optimizer mirror: constant folding, idioms
//   eval.cpp           evaluation of eager methods; eval_lazy.cpp the lazy ones
//   referenced_vars.cpp the fields a logic reads
#include "leadscore/jsonlogic.h"

#include <memory>
#include <string>
#include <vector>

#include "io/values.h"
#include "jsonlogic/program.h"

namespace leadscore::jsonlogic {

namespace {

// ---------------------------------------------------------------------------------------
// Structural validation: unknown operators, multi-key objects, nesting depth.
// ---------------------------------------------------------------------------------------
struct PathSeg {
  const PathSeg* parent;
  const std::string* key;  // object key, or nullptr for an array index
  size_t idx;
};

std::string pointer_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string render_path(const PathSeg* p) {
  std::vector<std::string> parts;
  for (; p; p = p->parent) parts.push_back(p->key ? pointer_escape(*p->key) : std::to_string(p->idx));
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) out += "/" + *it;
  return out;
}

void check_structure(const json& l, const PathSeg* path, int depth) {
  if (!l.is_structured()) return;
  if (depth >= kMaxDepth)
    throw LogicError("logic nested deeper than " + std::to_string(kMaxDepth) + " levels at " + render_path(path), "",
                     render_path(path));
  if (l.is_array()) {
    size_t i = 0;
    for (const auto& e : l) {
      PathSeg s{path, nullptr, i++};
      check_structure(e, &s, depth + 1);
    }
    return;
  }
  if (l.empty()) return;
  auto it = l.begin();
  if (l.size() > 1)
    throw LogicError("object with " + std::to_string(l.size()) + " keys at " + (path ? render_path(path) : "/") +
                         " is not an operation (an operation has exactly one key; json-logic-engine: Unknown Operator)",
                     it.key(), render_path(path));
  Op op;
  if (!find_op(it.key(), &op))
    throw LogicError("unknown operator \"" + it.key() + "\" at " + (path ? render_path(path) : "/"), it.key(),
                     render_path(path));
  if (op == Op::Preserve) return;
  PathSeg s{path, &it.key(), 0};
  if (op == Op::EachKey && it.value().is_object()) {  // {"eachKey": {key: logic, ...}}
    for (auto kv = it.value().begin(); kv != it.value().end(); ++kv) {
      PathSeg s2{&s, &kv.key(), 0};
      check_structure(kv.value(), &s2, depth + 2);
    }
    return;
  }
  check_structure(it.value(), &s, depth + 1);
}

// Arity / shape problems that make an operation throw whatever the data.
void check_arity(const json& l, const PathSeg* path) {
  if (!l.is_structured()) return;
  if (l.is_array()) {
    size_t i = 0;
    for (const auto& e : l) {
      PathSeg s{path, nullptr, i++};
      check_arity(e, &s);
    }
    return;
  }
  if (l.empty()) return;
  auto it = l.begin();
  Op op;
  if (!find_op(it.key(), &op) || op == Op::Preserve) return;
  const json& a = it.value();
  const std::string& name = it.key();
  // `op` stays empty: it is reserved for operator names that are not known (callers such as
  // rules.cpp report those as unknown_operator); the message names the operator.
  auto fail = [&](const std::string& why) {
    throw LogicError("\"" + name + "\" at " + (path ? render_path(path) : "/") + ": " + why, "", render_path(path));
  };
  if (is_comparator(op) && !(a.is_array() && a.size() >= 2)) fail("needs an array of at least 2 arguments");
  switch (op) {
    case Op::And:
    case Op::Or:
    case Op::Coalesce:
    case Op::If:
    case Op::Map:
    case Op::Filter:
    case Op::Some:
    case Op::All:
    case Op::None:
    case Op::Pipe:
      if (!a.is_array()) fail("needs an array of arguments");
      break;
    case Op::Reduce:
      if (!a.is_array() || a.size() < 2) fail("needs [array, logic, initial?]");
      break;
    case Op::Minus:
    case Op::Div:
    case Op::Max:
    case Op::Min:
      if (a.is_array() && a.empty()) fail("needs at least 1 argument");
      break;
    case Op::Mod:
      if (!a.is_structured() || (a.is_array() && a.size() < 2)) fail("needs 2 arguments");
      break;
    case Op::MissingSome:
      if (!a.is_array() || a.size() < 2) fail("needs [count, [keys]]");
      break;
    case Op::Length:
      if (!js_truthy(a)) fail("needs an argument");
      break;
    case Op::EachKey:
      if (!a.is_structured()) fail("needs an object");
      break;
    default:
      break;
  }
  PathSeg s{path, &it.key(), 0};
  if (op == Op::EachKey && a.is_object()) {
    for (auto kv = a.begin(); kv != a.end(); ++kv) {
      PathSeg s2{&s, &kv.key(), 0};
      check_arity(kv.value(), &s2);
    }
    return;
  }
  check_arity(a, &s);
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------
namespace {
// `logic` must already have passed check_structure (done before copying it: nlohmann's copy
// is recursive, so absurdly deep logic must be rejected first).
void compile_into(Program::Impl& impl, const json& logic) {
  try {
    impl.root = impl.compile(logic);
  } catch (const FalsyThrow& e) {
    impl.root = impl.mk_deferred(e, true);
  } catch (const EvalError& e) {
    impl.root = impl.mk_deferred(e, false);
  }
  impl.det_memo.clear();
  impl.det_memo.rehash(0);
}

// Results print as JSON.stringify would: integral numbers without ".0", -0 as 0, and
// integers beyond 2^53 rounded to the double JS would hold.
void normalize_numbers(json& j, int depth = 0) {
  switch (j.type()) {
    case json::value_t::number_float: {
      double d = j.get<double>();
      if (std::isfinite(d) && d == std::floor(d)) j = num(d);
      return;
    }
    case json::value_t::number_integer: {
      auto i = j.get<json::number_integer_t>();
      if (i > 9007199254740992LL || i < -9007199254740992LL) j = num(static_cast<double>(i));
      return;
    }
    case json::value_t::number_unsigned: {
      auto u = j.get<json::number_unsigned_t>();
      if (u > 9007199254740992ULL) j = num(static_cast<double>(u));
      return;
    }
    case json::value_t::array:
    case json::value_t::object:
      if (depth < kMaxDepth)
        for (auto& e : j) normalize_numbers(e, depth + 1);
      return;
    default:
      return;
  }
}

json run_impl(const Program::Impl& impl, const json& data) {
  json out = impl.eval(impl.root, Ctx{&data, nullptr}).take();
  normalize_numbers(out);
  return out;
}

// apply() is called row after row with the same rule; compiling costs several times more
// than evaluating, so each thread keeps its last few compiled rules. An entry is reused only
// for logic that is identical to what it was compiled from, numbers included: nlohmann's
// operator== calls 0 and -0.0 equal ({"/": [1, -0.0]} is -Infinity in JS, {"/": [1, 0]}
// Infinity), and 5 and 5.0 equal (one number in JS, but a thrown or returned value keeps the
// spelling it was written with). The fuzzer found both. So the cache is invisible apart from
// speed.
bool same_logic(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_number_float() != b.is_number_float()) return false;
    if (!a.is_number_float()) return a == b;
    const double x = a.get<double>(), y = b.get<double>();
    return x == y ? std::signbit(x) == std::signbit(y) : (x != x && y != y);
  }
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!same_logic(a[i], b[i])) return false;
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j)
      if (i.key() != j.key() || !same_logic(i.value(), j.value())) return false;
    return true;
  }
  return a == b;
}

struct CacheEntry {
  std::unique_ptr<Program::Impl> impl;
  const json* last_seen;
  uint64_t stamp;
};
constexpr size_t kCacheEntries = 16;

const Program::Impl& cached_program(const json& logic) {
  thread_local std::vector<CacheEntry> cache;
  thread_local uint64_t clock = 0;
  for (auto& e : cache) {
    if (e.last_seen == &logic && same_logic(e.impl->owned_logic, logic)) {
      e.stamp = ++clock;
      return *e.impl;
    }
  }
  for (auto& e : cache) {
    if (same_logic(e.impl->owned_logic, logic)) {
      e.last_seen = &logic;
      e.stamp = ++clock;
      return *e.impl;
    }
  }
  check_structure(logic, nullptr, 0);  // throws LogicError: nothing cached
  auto impl = std::make_unique<Program::Impl>();
  impl->owned_logic = logic;
  compile_into(*impl, impl->owned_logic);
  if (cache.size() < kCacheEntries) {
    cache.push_back(CacheEntry{std::move(impl), &logic, ++clock});
    return *cache.back().impl;
  }
  auto oldest = std::min_element(cache.begin(), cache.end(),
                                 [](const CacheEntry& a, const CacheEntry& b) { return a.stamp < b.stamp; });
  *oldest = CacheEntry{std::move(impl), &logic, ++clock};
  return *oldest->impl;
}
}  // namespace

Program::Program(const json& logic) : impl_(std::make_unique<Impl>()) {
  check_structure(logic, nullptr, 0);
  impl_->owned_logic = logic;
  compile_into(*impl_, impl_->owned_logic);
}
Program::~Program() = default;
Program::Program(Program&&) noexcept = default;
Program& Program::operator=(Program&&) noexcept = default;

json Program::run(const json& data) const { return run_impl(*impl_, data); }

bool Program::always_throws() const { return impl_->nodes[impl_->root].kind == Node::Deferred; }

bool Program::test(const json& data) const {
  Val v = impl_->eval(impl_->root, Ctx{&data, nullptr});
  return engine_truthy(v.get());
}

json apply(const json& logic, const json& data) { return run_impl(cached_program(logic), data); }

bool truthy(const json& v) { return engine_truthy(v); }

void validate(const json& logic) {
  check_structure(logic, nullptr, 0);
  check_arity(logic, nullptr);
}

bool is_operator(const std::string& name) {
  Op op;
  return find_op(name, &op);
}

std::string number_to_string(double v) { return detail::format_number(v); }

std::string to_js_string(const json& v) { return js_to_string(v); }

}  // namespace leadscore::jsonlogic
