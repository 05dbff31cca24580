// The rule compiler's execution half: runs a PredicateNode tree (built by compiler.cpp) over
// every lead of a table. The hot loops of scoring live here: typed comparison kernels over each
// column storage (double, scaled int32, one-byte codes), dictionary lookups, memoised
// per-distinct-value evaluation, and short-circuiting and/or that only evaluate the rows still
// undecided. Kept apart from planning so the loops can be read (and profiled) on their own.
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <optional>
#include <type_traits>

#include "rules/compiler.h"
#include "rules/predicate_node.h"

namespace leadscore {

namespace {

using Node = PredicateNode;

// Open-addressing memo of a condition's result per distinct number (its bit pattern).
class FlatMemo {
 public:
  FlatMemo() : keys_(1024), vals_(1024, kEmpty) {}
  // The stored result, or kEmpty.
  uint8_t find(uint64_t k) const {
    for (size_t i = slot(k);; i = (i + 1) & (keys_.size() - 1)) {
      if (vals_[i] == kEmpty) return kEmpty;
      if (keys_[i] == k) return vals_[i];
    }
  }
  void insert(uint64_t k, uint8_t v) {
    if (count_ >= (1u << 20)) return;  // bounded: beyond this many distinct values, just evaluate
    if (2 * (count_ + 1) > keys_.size()) grow();
    size_t i = slot(k);
    while (vals_[i] != kEmpty) i = (i + 1) & (keys_.size() - 1);
    keys_[i] = k, vals_[i] = v, ++count_;
  }
  static constexpr uint8_t kEmpty = 0xff;

 private:
  size_t slot(uint64_t k) const { return (size_t)((k * 0x9E3779B97F4A7C15ull) >> 32) & (keys_.size() - 1); }
  void grow() {
    std::vector<uint64_t> keys(keys_.size() * 2);
    std::vector<uint8_t> vals(keys_.size() * 2, kEmpty);
    keys.swap(keys_), vals.swap(vals_);
    count_ = 0;
    for (size_t i = 0; i < keys.size(); ++i)
      if (vals[i] != kEmpty) insert(keys[i], vals[i]);
  }
  std::vector<uint64_t> keys_;
  std::vector<uint8_t> vals_;
  size_t count_ = 0;
};
// The column's values as kernels read them: present(i) (false = missing) and value(i).
struct F64Src {
  const double* p;
  bool present(size_t i) const { return p[i] == p[i]; }  // NaN = missing
  double value(size_t i) const { return p[i]; }
};
template <bool Scaled>
struct I32Src {
  const int32_t* p;
  double scale;
  bool present(size_t i) const { return p[i] != Values::kMissingI32; }
  double value(size_t i) const { return Scaled ? (double)p[i] * scale : (double)p[i]; }
};

// A comparison of whole numbers x (present: INT32_MIN < x <= INT32_MAX) with constants a, b
// as the closed integer range lo <= x <= hi, or with complement, x outside it. Exact: x < a is
// x <= ceil(a) - 1, x <= a is x <= floor(a), and so on; a range no x can be in is one that
// matches nothing. Kernels test lo <= x <= hi as (uint32_t)(x - lo) <= (uint32_t)(hi - lo), one
// compare. None (the double kernel runs) only where a constant is NaN.
struct IntRange {
  int32_t lo, hi;
  bool complement;
};
std::optional<IntRange> int_range(Node::Op op, double a, double b) {
  using Op = Node::Op;
  if (a != a ||
      ((op == Op::OpenOpen || op == Op::OpenClosed || op == Op::ClosedOpen || op == Op::ClosedClosed) && b != b))
    return std::nullopt;
  constexpr double kMin = -2147483647.0, kMax = 2147483647.0;  // the present values' range
  double lo = kMin, hi = kMax;
  bool complement = false;
  switch (op) {
    case Op::LT:
      hi = std::ceil(a) - 1;
      break;
    case Op::LE:
      hi = std::floor(a);
      break;
    case Op::GT:
      lo = std::floor(a) + 1;
      break;
    case Op::GE:
      lo = std::ceil(a);
      break;
    case Op::NE:
      complement = true;
      [[fallthrough]];
    case Op::EQ:
      if (std::floor(a) == a)
        lo = hi = a;
      else
        lo = 1, hi = 0;  // no whole number equals a
      break;
    case Op::OpenOpen:
      lo = std::floor(a) + 1, hi = std::ceil(b) - 1;
      break;
    case Op::OpenClosed:
      lo = std::floor(a) + 1, hi = std::floor(b);
      break;
    case Op::ClosedOpen:
      lo = std::ceil(a), hi = std::ceil(b) - 1;
      break;
    case Op::ClosedClosed:
      lo = std::ceil(a), hi = std::floor(b);
      break;
  }
  lo = std::max(lo, kMin), hi = std::min(hi, kMax);
  // No present value in range: {INT32_MIN, INT32_MIN} holds only the missing marker, which the
  // kernel answers with if_missing anyway.
  if (lo > hi) return IntRange{INT32_MIN, INT32_MIN, complement};
  return IntRange{(int32_t)lo, (int32_t)hi, complement};
}

// Runs kernel(src, rows, out) over a numeric column whatever its storage. One-byte columns have
// at most 256 different values: the kernel runs once over those and each lead is a table lookup.
template <class Kernel>
void over_values(const Values& v, size_t rows, uint8_t* __restrict o, Kernel&& kernel) {
  switch (v.kind()) {
    case Values::Kind::F64:
      kernel(F64Src{v.f64()}, rows, o);
      return;
    case Values::Kind::I32:
      if (v.scale() == 1)
        kernel(I32Src<false>{v.i32(), 1}, rows, o);
      else
        kernel(I32Src<true>{v.i32(), v.scale()}, rows, o);
      return;
    case Values::Kind::U8: {
      double all[256];
      for (int k = 0; k < 256; ++k) all[k] = k == Values::kMissingU8 ? NAN : (double)k;
      uint8_t lut[256];
      kernel(F64Src{all}, 256, lut);
      const uint8_t* p = v.u8();
      for (size_t i = 0; i < rows; ++i) o[i] = lut[p[i]];
      return;
    }
  }
}

// Arithmetic is computed a block of leads at a time, each operand's block in L1, instead of a
// whole-column vector per operand (8 MB each at 1M leads, written and read again).
constexpr size_t kArithBlock = 1024;

// How many blocks of scratch arith_block needs for `a`: one per level of operands below it.
size_t arith_depth(const Arith& a) {
  size_t d = 0;
  for (const Arith& k : a.kids) d = std::max(d, 1 + arith_depth(k));
  return d;
}

// An Arith tree's value for leads [i0, i0 + len), len <= kArithBlock, into out (a missing value
// reads as 0, as JsonLogic arithmetic reads null). `scratch` has arith_depth(a) blocks.
void arith_block(const Arith& a, const Table& t, size_t i0, size_t len, double* __restrict out, double* scratch) {
  switch (a.op) {
    case Arith::Op::Lit:
      std::fill(out, out + len, a.lit);
      return;
    case Arith::Op::Col:
      t.columns[a.col].num.decode(i0, len, out, 0.0);
      return;
    case Arith::Op::Neg:
      arith_block(a.kids[0], t, i0, len, out, scratch);
      for (size_t i = 0; i < len; ++i) out[i] = -out[i];
      return;
    default:
      break;
  }
  arith_block(a.kids[0], t, i0, len, out, scratch);
  for (size_t k = 1; k < a.kids.size(); ++k) {
    const Arith& kid = a.kids[k];
    const double* __restrict x = nullptr;
    if (kid.op != Arith::Op::Lit) arith_block(kid, t, i0, len, scratch, scratch + kArithBlock), x = scratch;
    const double c = kid.lit;
    switch (a.op) {
      case Arith::Op::Add:
        if (x)
          for (size_t i = 0; i < len; ++i) out[i] += x[i];
        else
          for (size_t i = 0; i < len; ++i) out[i] += c;
        break;
      case Arith::Op::Sub:
        if (x)
          for (size_t i = 0; i < len; ++i) out[i] -= x[i];
        else
          for (size_t i = 0; i < len; ++i) out[i] -= c;
        break;
      default:
        if (x)
          for (size_t i = 0; i < len; ++i) out[i] *= x[i];
        else
          for (size_t i = 0; i < len; ++i) out[i] *= c;
        break;
    }
  }
}

#if !defined(LEADSCORE_SIZE_FIRST)  // (the compact build's budget: wasm/CMakeLists.txt)
// A bound on |value| of an Arith tree over the leads, from each column's largest |value| (kept
// with its values; missing reads as 0).
double arith_bound(const Arith& a, const Table& t) {
  switch (a.op) {
    case Arith::Op::Lit:
      return std::fabs(a.lit);
    case Arith::Op::Col:
      return t.columns[a.col].num.max_abs();
    case Arith::Op::Neg:
      return arith_bound(a.kids[0], t);
    default:
      break;
  }
  double b = arith_bound(a.kids[0], t);
  for (size_t k = 1; k < a.kids.size(); ++k)
    b = a.op == Arith::Op::Mul ? b * arith_bound(a.kids[k], t) : b + arith_bound(a.kids[k], t);
  return b;
}

// Whether `n` is a cheap kernel that gives kTrue or kFalse for every lead, never kError. Only
// errors make JavaScript's short-circuit visible (an operand not evaluated raises none), so
// and / or / if / ! over such nodes are plain byte operations on whole masks.
bool cheap_and_errorless(const Node& n, const Table& t) {
  switch (n.kind) {
    case Node::Kind::Const:
      return n.value != kError;
    case Node::Kind::Lookup:
      return std::find(n.lut.begin(), n.lut.end(), kError) == n.lut.end();
    case Node::Kind::Compare:
      // Arithmetic errs only on NaN, which needs an infinity (inf - inf, 0 x inf): none where
      // every partial result is bounded far below overflow (1e300 against ~1.8e308, so rounding
      // cannot reach it either).
      return n.arith ? arith_bound(*n.arith, t) < 1e300 : n.if_missing != kError;
    case Node::Kind::Missing:
    case Node::Kind::Truthy:
      return true;
    case Node::Kind::Not:
    case Node::Kind::And:
    case Node::Kind::Or:
    case Node::Kind::If:
      return std::all_of(n.kids.begin(), n.kids.end(), [&t](const auto& k) { return cheap_and_errorless(*k, t); });
    default:  // Memo, Interpret: costly per lead, so only evaluated where needed
      return false;
  }
}

void eval(const Node& n, const Table& t, Mask& out, const Mask* need);

// and / or / if of cheap_and_errorless operands: every operand over every lead, combined byte by
// byte (kTrue = 1, kFalse = 0), without the masks of where each operand is needed.
void combine_whole(const Node& n, const Table& t, Mask& out) {
  const size_t rows = t.rows;
  auto operand = [&](size_t k, Mask& m) -> const uint8_t* {
    const Node& kid = *n.kids[k];
    if (kid.kind == Node::Kind::And || kid.kind == Node::Kind::Or || kid.kind == Node::Kind::If)
      m.resize(rows), combine_whole(kid, t, m);  // (known errorless: not asked again)
    else
      eval(kid, t, m, nullptr);
    return m.data();
  };
  Mask a, b;
  if (n.kind == Node::Kind::If) {
    const uint8_t* c = operand(0, out);
    const uint8_t* yes = operand(1, a);
    const Node& no = *n.kids[2];
    uint8_t* __restrict o = out.data();
    if (no.kind == Node::Kind::Const) {  // {"if": [c, x, false]}: c and x
      const uint8_t v = no.value;
      for (size_t i = 0; i < rows; ++i) o[i] = c[i] ? yes[i] : v;
    } else {
      const uint8_t* other = operand(2, b);
      for (size_t i = 0; i < rows; ++i) o[i] = c[i] ? yes[i] : other[i];
    }
    return;
  }
  operand(0, out);
  uint8_t* __restrict o = out.data();
  for (size_t k = 1; k < n.kids.size(); ++k) {
    const uint8_t* x = operand(k, a);
    if (n.kind == Node::Kind::And)
      for (size_t i = 0; i < rows; ++i) o[i] &= x[i];
    else
      for (size_t i = 0; i < rows; ++i) o[i] |= x[i];
  }
}

#endif

// Evaluate `n` into `out` for the rows where need[i] (all rows when need is null). Rows not
// needed may hold anything afterwards.
void eval(const Node& n, const Table& t, Mask& out, const Mask* need) {
  const size_t rows = t.rows;
  out.resize(rows);
#if !defined(LEADSCORE_SIZE_FIRST)
  if ((n.kind == Node::Kind::And || n.kind == Node::Kind::Or || n.kind == Node::Kind::If) && cheap_and_errorless(n, t))
    return combine_whole(n, t, out);
#endif
  switch (n.kind) {
    case Node::Kind::Const:
      std::fill(out.begin(), out.end(), n.value);
      return;
    case Node::Kind::Lookup: {
      const Column& c = t.columns[n.col];
      const uint8_t* lut = n.lut.data();
      uint8_t* __restrict o = out.data();  // a local pointer: byte stores cannot alias it, so loops stay tight
      if (c.type == ColumnType::String) {
        const int32_t* codes = c.codes.data();
        for (size_t i = 0; i < rows; ++i) o[i] = lut[codes[i] + 1];
      } else {
        over_values(c.num, rows, o, [lut](auto v, size_t len, uint8_t* __restrict r) {
          for (size_t i = 0; i < len; ++i) {
            const bool p = v.present(i);
            r[i] = lut[p + (p && v.value(i) != 0)];  // missing 0, false 1, true 2
          }
        });
      }
      return;
    }
    case Node::Kind::Compare: {
      const double a = n.a, b = n.b;
      const Node::Op op = n.op;
      // Computed values are never missing: NaN there is the interpreter's NaN error.
      const uint8_t m = n.arith ? kError : n.if_missing;
      auto kernel = [a, b, m, op](auto v, size_t len, uint8_t* __restrict o) {
        using Op = Node::Op;
        if constexpr (std::is_same_v<decltype(v), I32Src<false>>) {
          // Whole numbers in 32 bits: the comparison is the same closed range of integers
          // [lo, hi] (or, for !=, all but one), compared without converting each value to double.
          if (const auto r = int_range(op, a, b)) {
            const int32_t* __restrict p = v.p;
            const uint32_t lo = (uint32_t)r->lo, width = (uint32_t)r->hi - lo;
            const uint8_t inside = r->complement ? 0 : 1;
            for (size_t i = 0; i < len; ++i) {
              const uint8_t in = (uint8_t)(((uint32_t)p[i] - lo <= width) ? inside : inside ^ 1);
              o[i] = p[i] == Values::kMissingI32 ? m : in;
            }
            return;
          }
        }
        // NaN (missing) compares false everywhere, so compute the comparison then patch missing;
        // branch-free (& instead of &&), so the loops vectorise.
#define LS_LOOP(EXPR)                  \
  for (size_t i = 0; i < len; ++i) {   \
    const double x = v.value(i);       \
    const uint8_t r = (uint8_t)(EXPR); \
    o[i] = v.present(i) ? r : m;       \
  }
        switch (op) {
          case Op::LT:
            LS_LOOP(x < a);
            break;
          case Op::LE:
            LS_LOOP(x <= a);
            break;
          case Op::GT:
            LS_LOOP(x > a);
            break;
          case Op::GE:
            LS_LOOP(x >= a);
            break;
          case Op::EQ:
            LS_LOOP(x == a);
            break;
          case Op::NE:
            LS_LOOP(x != a);
            break;
          case Op::OpenOpen:
            LS_LOOP((a < x) & (x < b));
            break;
          case Op::OpenClosed:
            LS_LOOP((a < x) & (x <= b));
            break;
          case Op::ClosedOpen:
            LS_LOOP((a <= x) & (x < b));
            break;
          case Op::ClosedClosed:
            LS_LOOP((a <= x) & (x <= b));
            break;
        }
#undef LS_LOOP
      };
      if (n.arith) {
        std::vector<double> block((1 + arith_depth(*n.arith)) * kArithBlock);
        for (size_t i0 = 0; i0 < rows; i0 += kArithBlock) {
          const size_t len = std::min(kArithBlock, rows - i0);
          arith_block(*n.arith, t, i0, len, block.data(), block.data() + kArithBlock);
          kernel(F64Src{block.data()}, len, out.data() + i0);
        }
      } else
        over_values(t.columns[n.col].num, rows, out.data(), kernel);
      return;
    }
    case Node::Kind::If: {
      // The condition everywhere needed; each branch only where the condition chose it (so its
      // errors are where JS has them). An erroring condition is the result.
      eval(*n.kids[0], t, out, need);
      Mask pick(rows), tmp;
      for (int branch = 1; branch <= 2; ++branch) {
        const uint8_t want = branch == 1 ? kTrue : kFalse;
        const uint8_t* nd = need ? need->data() : nullptr;
        uint8_t* __restrict pk = pick.data();
        const uint8_t* o = out.data();
        size_t count = 0;
        for (size_t i = 0; i < rows; ++i) count += (pk[i] = (uint8_t)((o[i] == want) & (!nd || nd[i] != 0)));
        if (!count) continue;
        eval(*n.kids[branch], t, tmp, &pick);
        uint8_t* __restrict ow = out.data();
        const uint8_t* tp = tmp.data();
        for (size_t i = 0; i < rows; ++i) ow[i] = pk[i] ? (uint8_t)(tp[i] | 0x80) : ow[i];
      }
      // (bit 7 marks rows a branch decided, so the second branch does not re-pick them)
      uint8_t* __restrict ow = out.data();
      for (size_t i = 0; i < rows; ++i) ow[i] &= 0x7f;
      return;
    }
    case Node::Kind::Missing:
    case Node::Kind::Truthy: {
      const Column& c = t.columns[n.col];
      const int what = n.kind == Node::Kind::Missing ? 0 : c.type == ColumnType::Date ? 1 : 2;
      over_values(c.num, rows, out.data(), [what](auto v, size_t len, uint8_t* __restrict o) {
        if (what == 0) {
          for (size_t i = 0; i < len; ++i) o[i] = !v.present(i);
        } else if (what == 1) {
          for (size_t i = 0; i < len; ++i) o[i] = v.present(i);
        } else {
          for (size_t i = 0; i < len; ++i) o[i] = v.present(i) & (v.value(i) != 0);
        }
      });
      return;
    }
    case Node::Kind::Memo: {
      const Column& c = t.columns[n.col];
      json datum = json::object();
      auto compute = [&](size_t i) {  // the interpreter on lead i's value
        json v = c.value_json(i);
        for (const auto& ref : n.refs) datum[ref.first] = v;
        return run_condition(n.expr, datum);
      };
      const uint8_t* nd = need ? need->data() : nullptr;
      if (c.num.kind() == Values::Kind::I32) {
        // Whole numbers or whole days in 32 bits (dates without a time of day: the usual case).
        // When the stored values span at most 65,536, the memo is an array indexed by value - min
        // (one load per lead instead of a hash probe); each distinct value is still interpreted once.
        const int32_t* p = c.num.i32();
        int64_t lo = INT32_MAX, hi = INT32_MIN;
        for (size_t i = 0; i < rows; ++i)
          if (p[i] != Values::kMissingI32) lo = std::min<int64_t>(lo, p[i]), hi = std::max<int64_t>(hi, p[i]);
        if (lo > hi || hi - lo < 65536) {
          std::vector<uint8_t> memo(lo > hi ? 0 : (size_t)(hi - lo) + 1, FlatMemo::kEmpty);
          for (size_t i = 0; i < rows; ++i) {
            if (nd && !nd[i]) continue;
            if (p[i] == Values::kMissingI32) {
              out[i] = n.if_missing;
              continue;
            }
            uint8_t& r = memo[(size_t)(p[i] - lo)];
            if (r == FlatMemo::kEmpty) r = compute(i);  // (run never returns kEmpty)
            out[i] = r;
          }
          return;
        }
      }
      FlatMemo memo;
      for (size_t i = 0; i < rows; ++i) {
        if (nd && !nd[i]) continue;
        double x = c.num[i];
        if (std::isnan(x)) {
          out[i] = n.if_missing;
          continue;
        }
        uint64_t key;
        std::memcpy(&key, &x, sizeof key);
        uint8_t hit = memo.find(key);
        if (hit != FlatMemo::kEmpty) {
          out[i] = hit;
          continue;
        }
        uint8_t r = compute(i);
        memo.insert(key, r);
        out[i] = r;
      }
      return;
    }
    case Node::Kind::Interpret: {
      for (size_t i = 0; i < rows; ++i) {
        if (need && !(*need)[i]) continue;
        if (n.whole_row) {
          out[i] = run_condition(n.expr, t.row_json(i));
          continue;
        }
        json datum = json::object();
        for (const auto& [key, c] : n.refs)
          if (!t.columns[c].is_missing(i)) datum[key] = t.columns[c].value_json(i);
        out[i] = run_condition(n.expr, datum);
      }
      return;
    }
    case Node::Kind::Not: {
      eval(*n.kids[0], t, out, need);
      uint8_t* __restrict o = out.data();
      for (size_t i = 0; i < rows; ++i) o[i] = o[i] == kError ? kError : (uint8_t)(o[i] ^ 1);
      return;
    }
    case Node::Kind::And:
    case Node::Kind::Or: {
      // and: the first non-true operand decides; or: the first non-false one. Later operands are
      // only needed where every earlier one passed, which keeps errors exactly where JS has them.
      const uint8_t pass = n.kind == Node::Kind::And ? kTrue : kFalse;
      eval(*n.kids[0], t, out, need);
      Mask sub_need(rows), tmp;
      for (size_t k = 1; k < n.kids.size(); ++k) {
        size_t count = 0;
        uint8_t* __restrict o = out.data();
        uint8_t* __restrict sn = sub_need.data();
        const uint8_t* nd = need ? need->data() : nullptr;
        if (nd)
          for (size_t i = 0; i < rows; ++i) count += (sn[i] = (uint8_t)((o[i] == pass) & (nd[i] != 0)));
        else
          for (size_t i = 0; i < rows; ++i) count += (sn[i] = (uint8_t)(o[i] == pass));
        if (!count) break;
        eval(*n.kids[k], t, tmp, &sub_need);
        const uint8_t* tp = tmp.data();
        for (size_t i = 0; i < rows; ++i) o[i] = sn[i] ? tp[i] : o[i];
      }
      return;
    }
  }
}

}  // namespace

Mask evaluate(const CompiledRule& rule, const Table& table) {
  Mask m;
  if (!rule.cond)
    m.assign(table.rows, kTrue);
  else
    eval(*rule.cond, table, m, nullptr);
  return m;
}

std::vector<Mask> evaluate_all(const std::vector<const CompiledRule*>& rules, const Table& table) {
  std::vector<Mask> masks(rules.size());
  auto text_lookup = [&](size_t k) {
    const Node* n = rules[k]->cond.get();
    return n && n->kind == Node::Kind::Lookup && table.columns[n->col].type == ColumnType::String ? n->col : -1;
  };
  std::vector<bool> done(rules.size(), false);
  for (size_t k = 0; k < rules.size(); ++k) {
    const int col = done[k] ? -1 : text_lookup(k);
    if (col < 0) continue;
    std::vector<size_t> same;  // this rule and the later ones looking up the same column
    for (size_t j = k; j < rules.size(); ++j)
      if (!done[j] && text_lookup(j) == col) same.push_back(j);
    if (same.size() < 2) continue;
    // One pass over the codes per four rules: each lead's code is read once and looked up in
    // each rule's table ([0] = missing, [code + 1]).
    const int32_t* codes = table.columns[col].codes.data();
    const size_t rows = table.rows;
    for (size_t q = 0; q < same.size(); q += 4) {
      const uint8_t* lut[4];
      uint8_t* out[4];
      const size_t m = std::min<size_t>(4, same.size() - q);
      if (m == 1) break;  // a rule left over alone: evaluate() below
      for (size_t r = 0; r < 4; ++r) {
        const size_t j = same[q + std::min(r, m - 1)];
        if (r < m) masks[j].resize(rows), done[j] = true;
        lut[r] = rules[j]->cond->lut.data();
        out[r] = masks[j].data();
      }
      if (m == 4) {
        uint8_t* __restrict o0 = out[0];
        uint8_t* __restrict o1 = out[1];
        uint8_t* __restrict o2 = out[2];
        uint8_t* __restrict o3 = out[3];
        for (size_t i = 0; i < rows; ++i) {
          const int32_t c = codes[i] + 1;
          o0[i] = lut[0][c], o1[i] = lut[1][c], o2[i] = lut[2][c], o3[i] = lut[3][c];
        }
      } else {
        for (size_t i = 0; i < rows; ++i) {  // (two or three rules: the last one fills the spare slots)
          const int32_t c = codes[i] + 1;
          out[0][i] = lut[0][c], out[1][i] = lut[1][c], out[2][i] = lut[2][c];
        }
      }
    }
  }
  for (size_t k = 0; k < rules.size(); ++k)
    if (!done[k]) masks[k] = evaluate(*rules[k], table);
  return masks;
}

std::string error_message(const json& when, const Table& table, size_t row) {
  try {
    jsonlogic::apply(when, table.row_json(row));
  } catch (const std::exception& e) {
    return e.what();
  }
  return "the condition raised an error";
}

Mask evaluate_interpreted(const json& when, const Table& table) {
  Mask m(table.rows);
  for (size_t i = 0; i < table.rows; ++i) m[i] = when.is_null() ? kTrue : run_condition(when, table.row_json(i));
  return m;
}

}  // namespace leadscore
