// JavaScript value semantics on nlohmann::json, as json-logic-engine sees them: the borrowed-or-
// owned value the interpreter passes around (Val), ToNumber / ToString / ToBoolean, === and
// SameValueZero, property access including the prototype names every JS value has, UTF-16
// string length and order, and the engine's thrown errors. Internal to the JsonLogic
// interpreter (core/jsonlogic/). What the interpreter calls per node is inline here, as it was
// when all of this lived in one file; the rest is in js_values.cpp.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leadscore/jsonlogic.h"

namespace leadscore::jsonlogic {

// Nesting limit for logic (objects + arrays). json-logic-engine has none (it overflows the
// JS stack somewhere in the thousands); we refuse earlier so native and WebAssembly stacks
// are safe with room to spare.
constexpr int kMaxDepth = 512;

inline const json& null_json() {
  static const json n;
  return n;
}

// The context while json-logic-engine folds constants is `undefined` (we use a null at a
// distinct address). When a lazy operator then runs an operand through engine.run(logic,
// data = {}), the default parameter turns that undefined into {}.
inline const json& undefined_json() {
  static const json u;
  return u;
}

inline const json& empty_object_json() {
  static const json o = json::object();
  return o;
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

// A thrown JS value that is falsy (null/undefined: {"throw": null}, {"try": []}). `try`
// treats those specially (`if (lastError)`), so we keep the distinction.
struct FalsyThrow : EvalError {
  using EvalError::EvalError;
};

[[noreturn]] inline void throw_nan() { throw EvalError(json("NaN"), "NaN"); }

[[noreturn]] inline void throw_invalid() { throw EvalError(json("Invalid Arguments"), "Invalid Arguments"); }

[[noreturn]] inline void throw_type_error(const std::string& msg) { throw EvalError(json(msg), "TypeError: " + msg); }

[[noreturn]] inline void throw_error_message(const std::string& msg) { throw EvalError(json(msg), msg); }

// ---------------------------------------------------------------------------------------
// Values: a borrowed pointer (into the datum, the logic or compiled constants) or an owned
// json. Borrowing avoids copying strings on every var lookup and lets ===/in see identity.
// ---------------------------------------------------------------------------------------
class Val {
 public:
  Val() = default;
  explicit Val(json&& j) : own_(std::move(j)) {}
  Val(Val&& o) noexcept : p_(o.p_), own_(std::move(o.own_)) {}
  Val& operator=(Val&& o) noexcept {
    p_ = o.p_;
    own_ = std::move(o.own_);
    return *this;
  }
  Val(const Val&) = delete;
  Val& operator=(const Val&) = delete;
  static Val ref(const json* p) {
    Val v;
    v.p_ = p;
    return v;
  }
  const json& get() const { return p_ ? *p_ : own_; }
  bool borrowed() const { return p_ != nullptr; }
  json take() && { return p_ ? json(*p_) : std::move(own_); }

 private:
  const json* p_ = nullptr;
  json own_;
};

enum class GK : uint8_t { Undef, Func, Value };

struct Got {
  GK k = GK::Undef;
  Val v;
};

// ---------------------------------------------------------------------------------------
// Out of line (js_values.cpp)
// ---------------------------------------------------------------------------------------

// Decodes one code point at s[i]; advances i. Invalid bytes decode as U+FFFD (one byte).
uint32_t decode_utf8(std::string_view s, size_t& i);

void append_utf8(std::string& out, uint32_t cp);

size_t utf16_length(std::string_view s);

std::vector<uint16_t> to_utf16(std::string_view s);

std::string from_utf16(const uint16_t* u, size_t n);

// JS relational string order = UTF-16 code-unit order. For ASCII (and indeed for all of the
// BMP below U+E000) that is the same as UTF-8 byte order; it differs only between
// supplementary characters (surrogate pairs, 0xD800..) and U+E000..U+FFFF. We compare bytes
// and, at the first difference, decode both code points and compare their UTF-16 units.
int compare_utf16(std::string_view a, std::string_view b);

// ECMA-262 StringToNumber.
double string_to_number(std::string_view s);

// ToString (String(x)); arrays join with "," and render null elements as "".
std::string js_to_string(const json& v, int depth = 0);

// base[key] in JS. `copy` forces owned results (when base itself is a temporary).
Got js_get(const json& b, const std::string& key, bool copy);

// `key in base`; throws the JS TypeError for primitives.
bool js_has(const json& b, const std::string& key);

// utilities/splitPath.js
std::vector<std::string> split_path(const std::string& str);

// utilities/downgrade.js assertAllowedDepth(item, 0)
void assert_allowed_depth(const json& v);

// Object.keys order: integer-like keys ascending, then the others (insertion order in JS;
// nlohmann::json keeps them sorted, so byte order here).
json js_object_keys(const json& o);

// ---------------------------------------------------------------------------------------
// Inline: called per evaluated node
// ---------------------------------------------------------------------------------------

inline Val vbool(bool b) { return Val(json(b)); }

// ---------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------
inline double to_double(const json& j) {
  switch (j.type()) {
    case json::value_t::number_integer:
      return static_cast<double>(j.get<json::number_integer_t>());
    case json::value_t::number_unsigned:
      return static_cast<double>(j.get<json::number_unsigned_t>());
    case json::value_t::number_float:
      return j.get<json::number_float_t>();
    default:
      return std::numeric_limits<double>::quiet_NaN();
  }
}

// A JS number as json: integral values print without ".0" (as JSON.stringify does), -0 -> 0.
inline json num(double d) {
  if (d == 0) return json(0);
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) <= 9.0e18) {
    return json(static_cast<json::number_integer_t>(d));
  }
  return json(d);
}

// ToNumber
inline double js_to_number(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return 0;
    case json::value_t::boolean:
      return v.get<bool>() ? 1 : 0;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return to_double(v);
    case json::value_t::string:
      return string_to_number(v.get_ref<const std::string&>());
    case json::value_t::array:
      return string_to_number(js_to_string(v));
    default:
      return std::numeric_limits<double>::quiet_NaN();
  }
}

// JS ToBoolean.
inline bool js_truthy(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return false;
    case json::value_t::boolean:
      return v.get<bool>();
    case json::value_t::number_integer:
      return v.get<json::number_integer_t>() != 0;
    case json::value_t::number_unsigned:
      return v.get<json::number_unsigned_t>() != 0;
    case json::value_t::number_float: {
      double d = v.get<double>();
      return d != 0 && !std::isnan(d);
    }
    case json::value_t::string:
      return !v.get_ref<const std::string&>().empty();
    case json::value_t::discarded:
      return false;
    default:
      return true;
  }
}

// json-logic-engine's engine.truthy: JS truthiness, but [] and {} are falsy.
inline bool engine_truthy(const json& v) {
  if (v.is_array() || v.is_object()) return !v.empty();
  return js_truthy(v);
}

inline bool structured(const json& v) { return v.is_array() || v.is_object(); }

inline bool str_or_null(const json& v) { return v.is_string() || v.is_null(); }

inline Got got_value(const json* p, bool copy) {
  Got g;
  g.k = GK::Value;
  g.v = copy ? Val(json(*p)) : Val::ref(p);
  return g;
}

inline Got got_owned(json&& j) {
  Got g;
  g.k = GK::Value;
  g.v = Val(std::move(j));
  return g;
}

inline Got got_func() {
  Got g;
  g.k = GK::Func;
  return g;
}

// SameValueZero (Array.prototype.includes); objects compare by identity.
// ===
inline bool strict_eq(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) return to_double(a) == to_double(b);
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case json::value_t::null:
      return true;
    case json::value_t::boolean:
      return a.get<bool>() == b.get<bool>();
    case json::value_t::string:
      return a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
    default:
      return &a == &b;
  }
}

// SameValueZero is === except that NaN equals NaN.
inline bool same_value_zero(const json& a, const json& b) {
  if (a.is_number() && b.is_number() && std::isnan(to_double(a)) && std::isnan(to_double(b))) return true;
  return strict_eq(a, b);
}

}  // namespace leadscore::jsonlogic
