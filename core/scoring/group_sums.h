// Group sums (internal to scoring/): the per-lead kernels a re-score is made of. Sums run over
// blocks of kBlock leads so that a block's sums stay in L1 while every rule of a group is added.
// The small ones are inline: they sit in the hottest loops (the full sum and the in-place patch).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <vector>

#include "scoring/scorer_state.h"

namespace leadscore {
namespace scoring {

using Member = Scorer::State::Member;

// The points a fired rule contributes to its group for lead i (after the rule's own bounds).
// Per-unit rules whose field is missing contribute nothing.
inline bool contribution(const Rule& r, const Column* per, size_t i, double* raw) {
  if (!per) {
    *raw = r.points;
    return true;
  }
  double v = per->num[i];
  if (std::isnan(v)) return false;
  *raw = r.points * v;
  return true;
}

// Leads are summed in blocks small enough that a block's sums stay in L1 cache while every rule
// of the group is added to them (each mask is read once, each sum written once). The order of
// additions per lead is the same as one rule after another over all leads: identical results.
constexpr size_t kBlock = 2048;

struct Clamp {
  double lo, hi;
  explicit Clamp(const Bounds& b) : lo(b.min ? *b.min : -INFINITY), hi(b.max ? *b.max : INFINITY) {}
  double operator()(double v) const { return v < lo ? lo : v > hi ? hi : v; }  // Bounds::clamp, branch-free
};

// A rule whose contribution is its (clamped) points wherever it fired: not per-unit, no events.
inline bool fixed_points(const Member& m) { return m.per_column < 0 && !m.event; }
// That contribution, times sign: what add_contribution and changed_leads add where it fired.
inline double fixed_contribution(const Member& m, double sign) { return sign * Clamp(m.bounds)(m.points); }

inline bool integral(double v) { return std::isfinite(v) && std::floor(v) == v; }
// A total TotalCounts can hold: an integer below 2^53 (so the conversion is exact), not -0.0
// (summaries must give back its bits).
inline bool countable(double v) {
  return std::fabs(v) < 9007199254740992.0 && (double)(int64_t)v == v && !(v == 0 && std::signbit(v));
}
inline bool same_bits(double a, double b) { return a == b && std::signbit(a) == std::signbit(b); }

// The tier (or matrix band) of a value, as band_index(): bands highest first, the first whose min
// it reaches; a band without min takes anything. With mins that never increase and only the last
// band without one (how rule sets are normalised), that is the number of bands whose min the value
// does not reach, capped at the last band: no branches.
struct BandFinder {
  std::vector<double> mins;  // -inf for a band without min
  bool sorted = true;
  // Up to five sorted bands (four thresholds: the last band's min is not one), the thresholds
  // held by value and all used: no loop, no branch, no load through mins.
  struct Small {
    bool u1 = false, u2 = false, u3 = false, u4 = false;  // which of the four thresholds exist
    double m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    int32_t operator()(double x) const {
      return (int32_t)(u1 & !(x >= m0)) + (int32_t)(u2 & !(x >= m1)) + (int32_t)(u3 & !(x >= m2)) +
             (int32_t)(u4 & !(x >= m3));
    }
  } sb;
  bool small = false;
  explicit BandFinder(const std::vector<Band>& bands) {
    for (size_t i = 0; i < bands.size(); ++i) {
      mins.push_back(bands[i].min ? *bands[i].min : -INFINITY);
      if ((!bands[i].min && i + 1 < bands.size()) || (i && mins[i] > mins[i - 1])) sorted = false;
    }
    const size_t k = mins.size();
    if (sorted && k && k <= 5) {
      small = true;
      sb.u1 = k > 1, sb.u2 = k > 2, sb.u3 = k > 3, sb.u4 = k > 4;
      sb.m0 = mins[0], sb.m1 = mins[std::min<size_t>(1, k - 1)], sb.m2 = mins[std::min<size_t>(2, k - 1)],
      sb.m3 = mins[std::min<size_t>(3, k - 1)];
    }
  }
  int32_t operator()(double v) const {
    if (small) return sb(v);
    const size_t k = mins.size();
    if (sorted && k) {
      int32_t below = 0;
      for (size_t i = 0; i + 1 < k; ++i) below += !(v >= mins[i]);
      return below;
    }
    for (size_t i = 0; i < k; ++i)
      if (!bands_min(i) || v >= mins[i]) return (int32_t)i;
    return k ? (int32_t)k - 1 : -1;
  }
  bool bands_min(size_t i) const { return mins[i] != -INFINITY; }
  // out[i] = (*this)(v[i]) for n values; the sorted case one threshold at a time (vectorisable).
  void all(const double* v, int32_t* out, size_t n) const {
    const size_t k = mins.size();
    if (k == 1) {  // one band (a rule set without tiers): every value is in it, whatever its min
      std::fill(out, out + n, 0);
      return;
    }
    if (!sorted || !k) {
      for (size_t i = 0; i < n; ++i) out[i] = (*this)(v[i]);
      return;
    }
    // Small: all thresholds in one pass (copied to locals, in registers); more bands, one
    // threshold at a time.
    if (small) {
      const Small f = sb;
      for (size_t i = 0; i < n; ++i) out[i] = f(v[i]);
      return;
    }
    for (size_t i = 0; i < n; ++i) out[i] = 0;
    for (size_t j = 0; j + 1 < k; ++j) {
      const double m = mins[j];
      for (size_t i = 0; i < n; ++i) out[i] += !(v[i] >= m);
    }
  }
};

// How many leads a condition fired on (kTrue = 1: bit 0) and raised an error on (kError = 2:
// bit 1), eight mask bytes at a time: each byte lane of the two 64-bit sums counts up to 255
// before the lanes are added up.
void count_outcomes(const uint8_t* m, size_t n, size_t* fired, size_t* errors);

// One rule's contribution to its group, lead by lead, times sign (+1 / -1): points where the mask
// is true (per-unit rules: points x value, clamped, where the value is present), +0.0 elsewhere.
// A sum that starts at +0.0 never becomes -0.0, so adding +0.0 leaves it exactly as skipping would.
void add_contribution(double* s, const Member& mem, const Table& t, size_t i0, size_t n, double sign);

// Whether a rule's contributions are always integers (so group sums are exact); *mag gets a bound
// on their magnitude. Column facts are computed once per table (`cache`).
bool integral_member(const Member& m, const Table& t, std::map<int, std::pair<bool, double>>& cache, double* mag);

bool same_member(const Member& a, const Member& b);

// The members only in `before` (to subtract) and only in `after` (to add), as multisets.
void diff_members(const std::vector<Member>& before, const std::vector<Member>& after, std::vector<const Member*>* sub,
                  std::vector<const Member*>* add);

// Totals, tiers, matrix bands and the sales-ready threshold defined alike in both rule sets
// (what decides a lead's results from its group scores, apart from the groups themselves).
bool same_scoring_frame(const RuleSet& a, const RuleSet& b);

// The leads of block [i0, i0 + len) whose group sum an edit changes: their block-relative
// indices go to idx (in order) and their changes to d[idx[q]]; returns how many. The change is
// (added contributions) - (subtracted ones), summed from +0.0 in add_contribution's order, so
// bit for bit what add_contribution gives. About one lead in seven changes in a typical edit,
// spread at random, so a branch per lead would mispredict on most of them: for fixed-points
// rules the masks' fired bits are read eight leads at a time and the indices kept without a
// branch; per-unit and event rules go through add_contribution.
size_t changed_leads(const std::vector<const Member*>& adds, const std::vector<const Member*>& subs, const Table& t,
                     size_t i0, size_t len, double* d, uint32_t* idx);

}  // namespace scoring
}  // namespace leadscore
