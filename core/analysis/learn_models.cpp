// The models: L2 logistic regression (the solver: learn_solver.cpp) with k-fold cross-validation
// over C, warm-started along the grid and from fold to fold, and naive Bayes with Laplace smoothing.
#include <algorithm>
#include <cmath>

#include "analysis/learn_internal.h"
#include "leadscore/metrics.h"

namespace leadscore {

namespace learn_detail {

namespace {

// Rows x used features: each row's design column per used feature (-1 none).
std::vector<int32_t> design_matrix(const LearnResult& r, size_t& k) {
  std::vector<size_t> used;
  for (size_t f = 0; f < r.features.size(); ++f)
    if (r.features[f].used) used.push_back(f);
  k = used.size();
  const size_t nf = r.features.size(), rows = r.split.size();
  std::vector<int32_t> x(rows * k, -1);
  for (size_t i = 0; i < rows; ++i)
    for (size_t u = 0; u < k; ++u)
      if (int32_t l = r.active[i * nf + used[u]]; l >= 0) x[i * k + u] = r.features[used[u]].levels[l].design;
  return x;
}

// Stratified folds of the train rows: positives and negatives each shuffled and dealt round-robin.
std::vector<std::vector<size_t>> make_folds(const std::vector<size_t>& train, const std::vector<int8_t>& y,
                                            size_t folds, uint64_t seed) {
  std::vector<size_t> pos, neg;
  for (size_t i : train) (y[i] ? pos : neg).push_back(i);
  Random rng(seed ^ 0xF01D5ull);
  rng.shuffle(pos), rng.shuffle(neg);
  std::vector<std::vector<size_t>> out(folds);
  size_t n = 0;
  for (size_t i : pos) out[n++ % folds].push_back(i);
  for (size_t i : neg) out[n++ % folds].push_back(i);
  for (auto& f : out) std::sort(f.begin(), f.end());
  return out;
}

double softplus(double e) { return e > 0 ? e + std::log1p(std::exp(-e)) : std::log1p(std::exp(e)); }

double fold_log_loss(const LogisticFit& fit, const SolverDesign& D, const std::vector<size_t>& rows,
                     const std::vector<int8_t>& y, double* auc_out) {
  double loss = 0;
  std::vector<double> score, theta(1, fit.intercept), phi, table;
  theta.insert(theta.end(), fit.w.begin(), fit.w.end());
  D.tables(theta, table, phi);
  std::vector<int8_t> out;
  for (size_t i : rows) {
    const double e = D.eta(table, i);
    loss += softplus(e) - (y[i] ? e : 0);
    score.push_back(e), out.push_back(y[i]);
  }
  auto a = roc_auc(score, out);
  *auc_out = a ? *a : 0.5;
  return loss;
}

void set_weights(LearnResult& r, const LogisticFit& fit) {
  r.intercept = fit.intercept;
  for (auto& f : r.features)
    for (auto& l : f.levels) l.weight = l.design >= 0 ? fit.w[(size_t)l.design] : 0;
}

}  // namespace

void cv_prepare(const std::vector<int8_t>& y, LearnResult& r, CvState& s) {
  size_t k = 0;
  const std::vector<int32_t> x = design_matrix(r, k);  // sets k: not in the same call's arguments
  s.design = solver_design(x, k, r.design_columns);
  s.train = rows_of(r, 0);
  if (r.options.c) return;
  s.grid = r.options.c_grid;
  std::sort(s.grid.begin(), s.grid.end());
  s.folds = make_folds(s.train, y, r.options.folds, r.options.seed);
  r.cv.assign(s.grid.size(), LearnCvRow{});
  for (size_t ci = 0; ci < s.grid.size(); ++ci) r.cv[ci].c = s.grid[ci];
}

// Fits every C of the grid (warm-started from the previous one) without fold `fo`, scores fold `fo`.
void cv_fold(const std::vector<int8_t>& y, LearnResult& r, CvState& s, size_t fo) {
  std::vector<size_t> fit_rows;
  for (size_t g = 0; g < s.folds.size(); ++g)
    if (g != fo) fit_rows.insert(fit_rows.end(), s.folds[g].begin(), s.folds[g].end());
  std::sort(fit_rows.begin(), fit_rows.end());
  s.last.resize(s.grid.size());
  s.curvature.resize(s.grid.size());
  for (size_t ci = 0; ci < s.grid.size(); ++ci) {
    // Warm start: fold 0 from the previous C, later folds from the previous fold at this C.
    const bool chain = fo == 0;
    LogisticFit start = chain && ci > 0 ? s.last[ci - 1] : s.last[ci];
    if (chain && ci > 0) s.curvature[ci] = s.curvature[ci - 1];
    s.last[ci] =
        fit_logistic(s.design, fit_rows, y, s.grid[ci], (chain && ci == 0) ? nullptr : &start, 1e-4, &s.curvature[ci]);
    double auc = 0;
    r.cv[ci].log_loss += fold_log_loss(s.last[ci], s.design, s.folds[fo], y, &auc) / (double)s.train.size();
    r.cv[ci].auc += auc / (double)s.folds.size();
  }
}

void fit_final(const std::vector<int8_t>& y, LearnResult& r, CvState& s) {
  double c = r.options.c.value_or(1);
  if (!r.options.c) {
    size_t best = 0;
    for (size_t ci = 1; ci < r.cv.size(); ++ci)
      if (r.cv[ci].log_loss < r.cv[best].log_loss - 1e-12) best = ci;
    c = r.cv[best].c;
  }
  r.c = c;
  // From the cross-validation's fit at this C (same optimum, fewer Hessians); to 1e-10 all the same.
  LogisticFit fit;
  if (!r.cv.empty()) {
    size_t best = 0;
    while (s.grid[best] != c) ++best;
    fit = fit_logistic(s.design, s.train, y, c, &s.last[best], 1e-10, &s.curvature[best]);
  } else {
    fit = fit_logistic(s.design, s.train, y, c, nullptr, 1e-10, nullptr);
  }
  r.iterations = fit.iterations;
  if (!fit.converged) r.notes.push_back("the final fit stopped before converging (100 Newton steps)");
  set_weights(r, fit);
  s = CvState{};  // the design copy is no longer needed
}

void fit_naive_bayes(const std::vector<int8_t>& y, LearnResult& r) {
  const size_t nf = r.features.size();
  const std::vector<size_t> train = rows_of(r, 0);
  double n1 = 0, n0 = 0;
  for (size_t i : train) (y[i] ? n1 : n0) += 1;
  r.intercept = std::log(n1 / n0);
  const double a = r.options.alpha;
  for (size_t f = 0; f < nf; ++f) {
    LearnFeature& feat = r.features[f];
    if (!feat.used) continue;
    const size_t L = feat.levels.size(), values = L + (feat.has_baseline ? 1 : 0);
    std::vector<double> c1(L + 1, 0), c0(L + 1, 0);
    for (size_t i : train) {
      int32_t l = r.active[i * nf + f];
      (y[i] ? c1 : c0)[l < 0 ? L : (size_t)l] += 1;
    }
    auto log_ratio = [&](size_t k) {
      return std::log((c1[k] + a) / (n1 + a * (double)values)) - std::log((c0[k] + a) / (n0 + a * (double)values));
    };
    const double base = feat.has_baseline ? log_ratio(L) : 0;
    r.intercept += base;
    for (size_t k = 0; k < L; ++k) feat.levels[k].weight = log_ratio(k) - base;
  }
}

double row_log_odds(const LearnResult& r, size_t row) {
  const size_t nf = r.features.size();
  double e = r.intercept;
  for (size_t f = 0; f < nf; ++f)
    if (int32_t l = r.active[row * nf + f]; l >= 0 && r.features[f].used) e += r.features[f].levels[l].weight;
  return e;
}

}  // namespace learn_detail
}  // namespace leadscore
