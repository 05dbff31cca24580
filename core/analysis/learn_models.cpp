// The models: L2 logistic regression by Newton's method (IRLS) with a backtracking line search,
// k-fold cross-validation over C (warm-started along the grid), and naive Bayes with Laplace
// smoothing. Every design column is a 0/1 indicator and a row has at most one per feature, so a
// row is a short list of active columns: the Hessian costs (active per row)^2 / 2 per row.
#include <algorithm>
#include <cmath>

#include "analysis/learn_internal.h"
#include "leadscore/metrics.h"

namespace leadscore {

namespace {

double sigmoid(double e) {
  if (e >= 0) return 1 / (1 + std::exp(-e));
  double z = std::exp(e);
  return z / (1 + z);
}
double softplus(double e) { return e > 0 ? e + std::log1p(std::exp(-e)) : std::log1p(std::exp(e)); }

struct Problem {
  const std::vector<int32_t>& x;
  size_t k;
  const std::vector<size_t>& rows;
  const std::vector<int8_t>& y;
  double c;
  double eta(const std::vector<double>& theta, size_t i) const {
    double e = theta[0];
    for (size_t f = 0; f < k; ++f)
      if (int32_t a = x[i * k + f]; a >= 0) e += theta[(size_t)a + 1];
    return e;
  }
  // X theta (with the intercept) for each row, in the order of `rows`.
  void etas(const std::vector<double>& theta, std::vector<double>& out) const {
    out.resize(rows.size());
    for (size_t r = 0; r < rows.size(); ++r) out[r] = eta(theta, rows[r]);
  }
  // The objective from the rows' log-odds (etas) and theta (for the penalty): no pass over x.
  double objective(const std::vector<double>& e, const std::vector<double>& theta) const {
    double loss = 0, pen = 0;
    for (size_t r = 0; r < rows.size(); ++r) loss += softplus(e[r]) - (y[rows[r]] ? e[r] : 0);
    for (size_t j = 1; j < theta.size(); ++j) pen += theta[j] * theta[j];
    return c * loss + 0.5 * pen;
  }
  // Gradient g of the objective; with `a`, also the upper triangle of the unscaled curvature
  // X^T W X (row-major, d x d; column 0 the intercept).
  void derivatives(const std::vector<double>& theta, const std::vector<double>& e, std::vector<double>& g,
                   std::vector<double>* a) const {
    const size_t d = theta.size();
    std::fill(g.begin(), g.end(), 0.0);
    if (a) a->assign(d * d, 0.0);
    std::vector<size_t> act;
    for (size_t ri = 0; ri < rows.size(); ++ri) {
      const size_t i = rows[ri];
      double p = sigmoid(e[ri]), r = p - y[i], w = p * (1 - p);
      act.clear();
      act.push_back(0);
      for (size_t f = 0; f < k; ++f)
        if (int32_t v = x[i * k + f]; v >= 0) act.push_back((size_t)v + 1);
      for (size_t s = 0; s < act.size(); ++s) g[act[s]] += r;
      if (!a) continue;
      std::sort(act.begin() + 1, act.end());
      for (size_t s = 0; s < act.size(); ++s) {
        double* row = &(*a)[act[s] * d];
        for (size_t t = s; t < act.size(); ++t) row[act[t]] += w;
      }
    }
    for (size_t j = 0; j < d; ++j) g[j] *= c;
    for (size_t j = 1; j < d; ++j) g[j] += theta[j];
  }
};

// The Hessian c A + I (no penalty on the intercept) as U^T U, U in the upper triangle of u;
// false if it is not positive definite.
bool factor(const std::vector<double>& a, double c, size_t d, std::vector<double>& u) {
  u.assign(d * d, 0.0);
  for (size_t j = 0; j < d; ++j)
    for (size_t t = j; t < d; ++t) u[j * d + t] = c * a[j * d + t] + (t == j && j > 0 ? 1 : 0);
  for (size_t j = 0; j < d; ++j) {
    double v = u[j * d + j];
    for (size_t q = 0; q < j; ++q) v -= u[q * d + j] * u[q * d + j];
    if (!(v > 0)) return false;
    v = std::sqrt(v);
    u[j * d + j] = v;
    for (size_t t = j + 1; t < d; ++t) {
      double w = u[j * d + t];
      for (size_t q = 0; q < j; ++q) w -= u[q * d + j] * u[q * d + t];
      u[j * d + t] = w / v;
    }
  }
  return true;
}

// s = (U^T U)^-1 g.
void solve(const std::vector<double>& u, size_t d, std::vector<double> g, std::vector<double>& s) {
  for (size_t j = 0; j < d; ++j) {
    for (size_t q = 0; q < j; ++q) g[j] -= u[q * d + j] * g[q];
    g[j] /= u[j * d + j];
  }
  for (size_t j = d; j-- > 0;) {
    for (size_t q = j + 1; q < d; ++q) g[j] -= u[j * d + q] * g[q];
    g[j] /= u[j * d + j];
  }
  s = std::move(g);
}

}  // namespace

LogisticFit fit_logistic(const std::vector<int32_t>& active, size_t features, const std::vector<size_t>& rows,
                         const std::vector<int8_t>& y, size_t columns, double c, const LogisticFit* start, double tol,
                         LogisticCurvature* reuse) {
  const size_t d = columns + 1;
  Problem pr{active, features, rows, y, c};
  std::vector<double> theta(d, 0.0);
  if (start && start->w.size() == columns) {
    theta[0] = start->intercept;
    std::copy(start->w.begin(), start->w.end(), theta.begin() + 1);
  } else {
    double pos = 0;
    for (size_t i : rows) pos += y[i];
    if (pos > 0 && pos < (double)rows.size()) theta[0] = std::log(pos / ((double)rows.size() - pos));
  }
  LogisticFit fit;
  std::vector<double> g(d), a, u, step, next(d);
  if (reuse && reuse->xwx.size() == d * d) a = reuse->xwx;
  bool fresh = a.empty(), factored = false;  // fresh: recompute the curvature at this point
  double last_step = INFINITY;               // length of the previous step
  std::vector<double> e, e_step, e_next;     // X theta, X step, X next: one pass over x per step
  pr.etas(theta, e);
  double obj = pr.objective(e, theta);
  for (fit.iterations = 0; fit.iterations < 300; ++fit.iterations) {
    const bool exact = !reuse || fresh;
    pr.derivatives(theta, e, g, exact ? &a : nullptr);
    if (exact || !factored) {
      factored = factor(a, c, d, u);
      if (!factored && !exact) {
        fresh = true;
        continue;
      }
      if (!factored) break;
    }
    fresh = false;
    solve(u, d, g, step);
    double slope = 0, t = 1, biggest = 0;
    for (size_t j = 0; j < d; ++j) slope += g[j] * step[j], biggest = std::max(biggest, std::fabs(step[j]));
    pr.etas(step, e_step);
    e_next.resize(e.size());
    for (int halvings = 0; halvings < 40; ++halvings, t *= 0.5) {
      for (size_t j = 0; j < d; ++j) next[j] = theta[j] - t * step[j];
      for (size_t r = 0; r < e.size(); ++r) e_next[r] = e[r] - t * e_step[r];
      double o = pr.objective(e_next, next);
      if (o <= obj - 1e-4 * t * slope || t * biggest < 1e-13) {
        obj = o;
        break;
      }
    }
    theta.swap(next);
    e.swap(e_next);
    if (t * biggest < tol) {
      fit.converged = true;
      ++fit.iterations;
      break;
    }
    // Chord steps (an old curvature) converge linearly; refresh it when a step is not at least
    // four times shorter than the one before (or needed a shorter line search).
    if (reuse && !exact && (t < 1 || t * biggest > 0.25 * last_step)) fresh = true;
    last_step = t * biggest;
  }
  if (reuse) reuse->xwx = std::move(a);
  fit.intercept = theta[0];
  fit.w.assign(theta.begin() + 1, theta.end());
  return fit;
}

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

double fold_log_loss(const LogisticFit& fit, const std::vector<int32_t>& x, size_t k, const std::vector<size_t>& rows,
                     const std::vector<int8_t>& y, double* auc_out) {
  double loss = 0;
  std::vector<double> score;
  std::vector<int8_t> out;
  for (size_t i : rows) {
    double e = fit.intercept;
    for (size_t f = 0; f < k; ++f)
      if (int32_t a = x[i * k + f]; a >= 0) e += fit.w[(size_t)a];
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
  s.x = design_matrix(r, s.k);
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
    s.last[ci] = fit_logistic(s.x, s.k, fit_rows, y, r.design_columns, s.grid[ci],
                              (chain && ci == 0) ? nullptr : &start, 1e-6, &s.curvature[ci]);
    double auc = 0;
    r.cv[ci].log_loss += fold_log_loss(s.last[ci], s.x, s.k, s.folds[fo], y, &auc) / (double)s.train.size();
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
    fit = fit_logistic(s.x, s.k, s.train, y, r.design_columns, c, &s.last[best], 1e-10, &s.curvature[best]);
  } else {
    fit = fit_logistic(s.x, s.k, s.train, y, r.design_columns, c);
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
