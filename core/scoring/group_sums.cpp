// Group sums: the kernels declared in group_sums.h that are not inline.
#include "scoring/group_sums.h"

#include <algorithm>
#include <cstring>

namespace leadscore {
namespace scoring {

void count_outcomes(const uint8_t* m, size_t n, size_t* fired, size_t* errors) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kLow16 = 0x00FF00FF00FF00FFull;
  auto lanes = [](uint64_t a) {                                 // the sum of the eight byte lanes
    const uint64_t pairs = (a & kLow16) + ((a >> 8) & kLow16);  // four 16-bit lanes, each <= 510
    return (size_t)((pairs * 0x0001000100010001ull) >> 48);     // their sum <= 2040
  };
  size_t f = 0, e = 0, i = 0;
  while (i + 8 <= n) {
    uint64_t af = 0, ae = 0;
    for (size_t end = std::min(n - n % 8, i + 8 * 255); i < end; i += 8) {
      uint64_t w;
      std::memcpy(&w, m + i, 8);
      af += w & kOnes;
      ae += (w >> 1) & kOnes;
    }
    f += lanes(af), e += lanes(ae);
  }
  for (; i < n; ++i) f += m[i] & 1, e += m[i] >> 1;
  *fired = f, *errors = e;
}

void add_contribution(double* s, const Member& mem, const Table& t, size_t i0, size_t n, double sign) {
  const Clamp c(mem.bounds);
  const uint8_t* m = mem.eval->mask.data() + i0;
  if (mem.event) {  // event rules: each lead's effective (decayed) points, then the rule's min/max
    const double* pts = mem.eval->points.data() + i0;
    for (size_t i = 0; i < n; ++i) s[i] += m[i] == kTrue ? sign * c(pts[i]) : 0.0;
    return;
  }
  if (mem.per_column < 0) {
    // kTrue = 1, kFalse = 0, kError = 2: (m & 1) is 1 exactly where the rule fired. p x 0 may be
    // -0.0, which leaves any sum but -0.0 unchanged.
    const double p = fixed_contribution(mem, sign);
    for (size_t i = 0; i < n; ++i) s[i] += p * (double)(m[i] & 1);
  } else if (const Values& col = t.columns[mem.per_column].num; col.kind() == Values::Kind::U8) {
    // One-byte values (counts): the contribution of each of the 256 values once, then a lookup.
    double x[256];
    for (int k = 0; k < 256; ++k) x[k] = k == Values::kMissingU8 ? 0.0 : sign * c(mem.points * (double)k);
    const uint8_t* v = col.u8() + i0;
    for (size_t i = 0; i < n; ++i) s[i] += m[i] == kTrue ? x[v[i]] : 0.0;
  } else if (col.kind() == Values::Kind::I32 && col.scale() == 1) {
    // Whole numbers in 32 bits (counts, sizes): read as they are stored, without a decoded copy.
    const int32_t* v = col.i32() + i0;
    const double p = mem.points;
    for (size_t i = 0; i < n; ++i) {
      const double x = sign * c(p * (double)v[i]);
      s[i] += ((m[i] == kTrue) & (v[i] != Values::kMissingI32)) ? x : 0.0;
    }
  } else {
    double per[kBlock];  // the block's values, decoded from the column's storage
    col.decode(i0, n, per);
    const double p = mem.points;
    for (size_t i = 0; i < n; ++i) {
      const double v = per[i];
      const double x = sign * c(p * v);
      s[i] += ((m[i] == kTrue) & (v == v)) ? x : 0.0;
    }
  }
}

bool integral_member(const Member& m, const Table& t, std::map<int, std::pair<bool, double>>& cache, double* mag) {
  if (!integral(m.points)) return false;
  if (m.bounds.min && !integral(*m.bounds.min)) return false;
  if (m.bounds.max && !integral(*m.bounds.max)) return false;
  double top = std::fabs(m.points);
  if (m.per_column >= 0) {
    auto it = cache.find(m.per_column);
    if (it == cache.end()) {
      double vmax = 0;
      const bool ok = t.columns[m.per_column].num.integers(&vmax);
      it = cache.emplace(m.per_column, std::make_pair(ok, vmax)).first;
    }
    if (!it->second.first) return false;
    top *= it->second.second;
  }
  if (m.bounds.min) top = std::max(top, std::fabs(*m.bounds.min));
  if (m.bounds.max) top = std::max(top, std::fabs(*m.bounds.max));
  *mag = top;
  return true;
}

bool same_member(const Member& a, const Member& b) {
  return a.eval->serial == b.eval->serial && a.points == b.points && a.per_column == b.per_column &&
         a.event == b.event && a.per_sig == b.per_sig && a.bounds == b.bounds;
}

void diff_members(const std::vector<Member>& before, const std::vector<Member>& after, std::vector<const Member*>* sub,
                  std::vector<const Member*>* add) {
  sub->clear(), add->clear();
  std::vector<bool> used(before.size());
  for (const auto& a : after) {
    size_t k = 0;
    while (k < before.size() && (used[k] || !same_member(before[k], a))) ++k;
    if (k < before.size())
      used[k] = true;
    else
      add->push_back(&a);
  }
  for (size_t k = 0; k < before.size(); ++k)
    if (!used[k]) sub->push_back(&before[k]);
}

bool same_scoring_frame(const RuleSet& a, const RuleSet& b) {
  auto same_bands = [](const std::vector<Band>& x, const std::vector<Band>& y) {
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i)
      if (x[i].min != y[i].min) return false;
    return true;
  };
  if (a.total != b.total || a.sales_ready != b.sales_ready || !same_bands(a.tiers, b.tiers) ||
      a.matrix.present != b.matrix.present || a.groups.size() != b.groups.size())
    return false;
  for (size_t g = 0; g < a.groups.size(); ++g)
    if (a.groups[g].id != b.groups[g].id) return false;
  return !a.matrix.present ||
         (a.matrix.fit_group == b.matrix.fit_group && a.matrix.engagement_group == b.matrix.engagement_group &&
          same_bands(a.matrix.fit, b.matrix.fit) && same_bands(a.matrix.engagement, b.matrix.engagement));
}

namespace {

// For each byte value, the positions of its set bits, lowest first (the rest 0), and how many
// (x86-64's baseline has no popcount instruction).
struct SetBits {
  uint8_t at[256][8];
  uint8_t count[256];
  constexpr SetBits() : at(), count() {
    for (int v = 0; v < 256; ++v)
      for (int b = 0; b < 8; ++b)
        if (v >> b & 1) at[v][count[v]++] = (uint8_t)b;
  }
};
constexpr SetBits kSetBits;

}  // namespace

size_t changed_leads(const std::vector<const Member*>& adds, const std::vector<const Member*>& subs, const Table& t,
                     size_t i0, size_t len, double* d, uint32_t* idx) {
  auto fixed = [](const Member* m) { return fixed_points(*m); };
  size_t k = 0;
  if (std::all_of(adds.begin(), adds.end(), fixed) && std::all_of(subs.begin(), subs.end(), fixed)) {
    auto lead = [&](size_t j) {  // the exact change at block index j, in add_contribution's order
      double v = 0.0;
      for (const auto* m : adds) v += fixed_contribution(*m, 1.0) * (double)(m->eval->mask[i0 + j] & 1);
      for (const auto* m : subs) v += fixed_contribution(*m, -1.0) * (double)(m->eval->mask[i0 + j] & 1);
      d[j] = v;
      idx[k] = (uint32_t)j;
      k += v != 0.0;
    };
    // Eight leads at a time: bit 0 of each mask byte is "fired" (kTrue = 1, kFalse = 0, kError = 2).
    constexpr uint64_t kFired = 0x0101010101010101ull;
    constexpr bool kWords = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;  // byte b of a word is lead j + b
    auto word = [&](const Member* m, size_t j) {
      uint64_t w;
      std::memcpy(&w, m->eval->mask.data() + i0 + j, 8);
      return w & kFired;
    };
    size_t j = 0;
    const double p = adds.size() == 1 ? fixed_contribution(*adds[0], 1.0) : 0.0;
    if (kWords && subs.size() == 1 && p != 0 && p == fixed_contribution(*subs[0], 1.0)) {
      // One rule's condition replaced, same points: a lead changes exactly where the two fired
      // bits differ, by +p where the new condition holds and -p where the old one did.
      const uint8_t* ma = adds[0]->eval->mask.data() + i0;
      // Eight leads per step and no branch: the eight changed bits gathered into one byte (the
      // multiply moves byte b's bit 0 to bit 56 + b, without carries), whose set bits' positions
      // come from a table; all eight indices are written, the first popcount of them kept.
      // (k + 8 <= j + 8 <= len: idx has room.)
      for (; j + 8 <= len; j += 8) {
        const uint64_t z = word(adds[0], j) ^ word(subs[0], j);
        const unsigned bits = (unsigned)((z * 0x0102040810204080ull) >> 56);
        const uint8_t* at = kSetBits.at[bits];
        for (size_t b = 0; b < 8; ++b) idx[k + b] = (uint32_t)(j + at[b]);
        k += kSetBits.count[bits];
      }
      const double pm[2] = {-p, p};  // (p + -0.0 = p); a select, not a branch: the bits are random
      for (size_t q = 0; q < k; ++q) d[idx[q]] = pm[ma[idx[q]] & 1];
    } else if (kWords) {
      // Only leads where one of the rules fired can change.
      for (; j + 8 <= len; j += 8) {
        uint64_t z = 0;
        for (const auto* m : adds) z |= word(m, j);
        for (const auto* m : subs) z |= word(m, j);
        for (; z; z &= z - 1) lead(j + (size_t)(__builtin_ctzll(z) >> 3));
      }
    }
    for (; j < len; ++j) lead(j);
    return k;
  }
  std::fill(d, d + len, 0.0);
  for (const auto* m : adds) add_contribution(d, *m, t, i0, len, 1.0);
  for (const auto* m : subs) add_contribution(d, *m, t, i0, len, -1.0);
  for (size_t j = 0; j < len; ++j) {
    idx[k] = (uint32_t)j;
    k += d[j] != 0.0;
  }
  return k;
}

}  // namespace scoring
}  // namespace leadscore
