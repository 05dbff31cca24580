// Internal to learn*.cpp: the stages of learn() (learn.cpp) shared between the files split by
// concern (features and WoE/IV: learn_features.cpp; models: learn_models.cpp; the scorecard and
// its rule set: learn_scorecard.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "leadscore/learn.h"

namespace leadscore::learn_detail {

// splitmix64: the same numbers on every platform (std:: distributions are not).
struct Random {
  uint64_t state;
  explicit Random(uint64_t seed) : state(seed) {}
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  size_t below(size_t n) { return (size_t)(next() % (uint64_t)n); }  // modulo bias < 2^-40 for our n
  template <class T>
  void shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
  }
};

// Candidate features of the leads' columns and of the current rules, each row's level in them
// (r.active), and the rows of r.split as train (0) / test (1).
// `skip`: columns that are never features (the outcome's, the lead id's).
void build_features(const Table& t, const std::vector<int8_t>& y, const Scorer* current, const std::vector<int>& skip,
                    LearnResult& r);
// WoE, IV and single-feature AUC on the train rows; then the leakage and support flags.
void measure_features(const std::vector<int8_t>& y, LearnResult& r);
// Gives the used features' levels their design columns (r.design_columns).
void assign_design(LearnResult& r);

// The train rows (split 0) and test rows (split 1).
std::vector<size_t> rows_of(const LearnResult& r, int8_t split);
// Log-odds of a row under level weights (LearnLevel::weight) and the intercept.
double row_log_odds(const LearnResult& r, size_t row);

void fit_naive_bayes(const std::vector<int8_t>& y, LearnResult& r);

// The design as the logistic solver reads it (learn_solver.cpp). For a feature that gives every
// row a level, its most frequent level is implied (1 minus the feature's other levels) and not
// listed. Two copies of the rows: lists of their listed columns (1-based; 0 is the intercept),
// for the curvature; and packed codes for the passes of every step: features joined into packs
// of at most 256 joint values, so a row's log-odds is one table look-up per pack.
struct SolverDesign {
  struct Member {
    size_t stride = 1;         // its digit's weight in the pack's code
    std::vector<int32_t> col;  // option o > 0 is column col[o - 1]; option 0: none listed
  };
  struct Pack {
    size_t values = 1, offset = 0;  // joint values; where its table starts
    std::vector<Member> members;
  };
  size_t d = 0;                               // 1 + design columns
  std::vector<uint32_t> start;                // per row (of the whole table) + 1: offsets into col
  std::vector<int32_t> col;                   // listed active columns, sorted per row
  std::vector<int32_t> implied;               // per implied level: its column
  std::vector<std::vector<int32_t>> members;  // per implied level: the feature's other columns
  std::vector<int32_t> group;                 // per column: its index in `implied`, or -1
  std::vector<Pack> packs;
  std::vector<uint32_t> offset;  // per pack: its table's offset (a copy, for the inner loops)
  std::vector<uint16_t> code;    // rows x packs
  size_t table_size = 0;         // all packs' tables, then one slot for the intercept

  // Weights theta (per column) -> phi, with a row's log-odds the sum of phi over its listed columns.
  void reduce(const std::vector<double>& theta, std::vector<double>& phi) const;
  // Sums over the listed columns (q[0]: over all rows) -> the sums over every column.
  void expand(std::vector<double>& q) const;
  // theta -> the packs' tables of log-odds (and the intercept's slot); then a row's log-odds.
  void tables(const std::vector<double>& theta, std::vector<double>& t, std::vector<double>& phi) const;
  double eta(const std::vector<double>& t, size_t row) const;
  // Per-pack-value sums (and the sum over all rows) -> per-column sums X^T u.
  void column_sums(const std::vector<double>& hist, double total, std::vector<double>& q) const;
};
// x: rows x features, each a design column (0-based) or -1.
SolverDesign solver_design(const std::vector<int32_t>& x, size_t features, size_t columns);
LogisticFit fit_logistic(const SolverDesign& D, const std::vector<size_t>& rows, const std::vector<int8_t>& y, double c,
                         const LogisticFit* start, double tol, LogisticCurvature* reuse);

// Cross-validation over C in steps (one fold each), then the final fit on the train rows.
struct CvState {
  SolverDesign design;
  std::vector<size_t> train;
  std::vector<double> grid;
  std::vector<std::vector<size_t>> folds;
  // Per C: the last fold's fit and curvature, where the next fold (and the final fit) start.
  std::vector<LogisticFit> last;
  std::vector<LogisticCurvature> curvature;
};
void cv_prepare(const std::vector<int8_t>& y, LearnResult& r, CvState& s);
void cv_fold(const std::vector<int8_t>& y, LearnResult& r, CvState& s, size_t fold);
void fit_final(const std::vector<int8_t>& y, LearnResult& r, CvState& s);

// Scales weights to points, rounds them keeping the range, picks tiers.
void make_scorecard(LearnResult& r);
// Points of a row on the scorecard (rounded or not).
double row_points(const LearnResult& r, size_t row, bool rounded);

void report_progress(const LearnOptions& o, double done, const std::string& stage);

}  // namespace leadscore::learn_detail
