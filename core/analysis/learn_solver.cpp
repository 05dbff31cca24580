// L2 logistic regression on a design of 0/1 indicators (at most one per feature and row), by an
// inexact Newton method: the step solves H s = g by conjugate gradients preconditioned with a
// Cholesky factor of an older curvature X^T W X (rescaled to the current C), so a step costs a few
// passes over the active entries instead of a new curvature; the curvature is rebuilt only when
// the preconditioned solve stops converging in a few iterations (W has drifted too far).
//
// Why the design is compressed (SolverDesign): a feature that gives every row a level (a yes/no
// column, quantile bins without missing values) has one level implied by the others, so its most
// frequent level is left out of the rows' lists and recovered by a linear map M (x = M x').
// The curvature over the shorter lists costs (active per row)^2 / 2 per row: a yes/no column
// contributes its "yes" rows only, a quarter of the pairs when half the leads say yes. The
// passes (X v and X^T u, a few per step) read the rows packed instead: features joined into
// packs of at most 256 joint values, a row's log-odds being one look-up per pack in tables built
// from the weights for each pass (8 yes/no columns per look-up instead of one add per level).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>

#include "analysis/learn_internal.h"

namespace leadscore {

namespace learn_detail {

namespace {

// A pack's joint values: few enough that its table stays in the fastest cache.
constexpr size_t kPackValues = 256;

// Joins the features, in order, into packs of at most kPackValues joint values (a feature with
// more has a pack of its own) and codes every row.
void pack_features(const std::vector<int32_t>& x, size_t k, const std::vector<int32_t>& feature_of, SolverDesign& D) {
  std::vector<std::vector<int32_t>> listed(k);
  for (size_t j = 1; j < D.d; ++j)
    if (feature_of[j] >= 0 && D.group[j] < 0) listed[(size_t)feature_of[j]].push_back((int32_t)j);
  std::vector<uint32_t> option(D.d, 0);  // a listed column's option in its feature
  for (const auto& l : listed)
    for (size_t o = 0; o < l.size(); ++o) option[(size_t)l[o]] = (uint32_t)o + 1;
  std::vector<size_t> pack_of(k, SIZE_MAX), stride(k, 0);
  for (size_t f = 0; f < k; ++f) {
    const size_t n = listed[f].size() + 1;
    if (n == 1) continue;  // nothing listed: only its implied level, in the intercept
    if (n > 65536) throw std::length_error("a feature with more than 65,535 levels");
    if (D.packs.empty() || D.packs.back().values * n > kPackValues) D.packs.emplace_back();
    SolverDesign::Pack& p = D.packs.back();
    pack_of[f] = D.packs.size() - 1, stride[f] = p.values;
    p.members.push_back({p.values, listed[f]});
    p.values *= n;
  }
  for (auto& p : D.packs) p.offset = D.table_size, D.table_size += p.values, D.offset.push_back((uint32_t)p.offset);
  const size_t rows = D.start.size() - 1, np = D.packs.size();
  D.code.assign(rows * np, 0);
  for (size_t i = 0; i < rows; ++i)
    for (size_t f = 0; f < k; ++f)
      if (const int32_t a = x[i * k + f]; a >= 0 && pack_of[f] != SIZE_MAX)
        D.code[i * np + pack_of[f]] += (uint16_t)(stride[f] * option[(size_t)a + 1]);
}

}  // namespace

SolverDesign solver_design(const std::vector<int32_t>& x, size_t k, size_t columns) {
  SolverDesign D;
  D.d = columns + 1;
  const size_t rows = k ? x.size() / k : 0;
  D.group.assign(D.d, -1);
  // Per feature: does it cover every row, and its most frequent column.
  std::vector<size_t> count(D.d, 0);
  std::vector<int32_t> feature_of(D.d, -1), implied_col(k, -1);
  std::vector<char> covers(k, 1);
  for (size_t i = 0; i < rows; ++i)
    for (size_t f = 0; f < k; ++f) {
      const int32_t a = x[i * k + f];
      if (a < 0) {
        covers[f] = 0;
        continue;
      }
      ++count[(size_t)a + 1];
      if (feature_of[(size_t)a + 1] == -1) feature_of[(size_t)a + 1] = (int32_t)f;
      if (feature_of[(size_t)a + 1] != (int32_t)f) covers[f] = 0;  // a column shared by features: keep it plain
    }
  for (size_t j = 1; j < D.d; ++j) {
    const int32_t f = feature_of[j];
    if (f < 0 || !covers[(size_t)f]) continue;
    int32_t& best = implied_col[(size_t)f];
    if (best < 0 || count[j] > count[(size_t)best]) best = (int32_t)j;
  }
  for (size_t f = 0; f < k; ++f) {
    if (!covers[f] || implied_col[f] < 0) continue;
    const int32_t g = (int32_t)D.implied.size();
    D.implied.push_back(implied_col[f]);
    D.members.emplace_back();
    for (size_t j = 1; j < D.d; ++j)
      if (feature_of[j] == (int32_t)f && (int32_t)j != implied_col[f]) D.members.back().push_back((int32_t)j);
    D.group[(size_t)implied_col[f]] = g;
  }
  size_t listed = 0;  // counted first: a growing vector would briefly hold twice the rows
  for (size_t i = 0; i < rows * k; ++i) listed += x[i] >= 0 && D.group[(size_t)x[i] + 1] < 0;
  D.col.reserve(listed);
  D.start.assign(rows + 1, 0);
  for (size_t i = 0; i < rows; ++i) {
    for (size_t f = 0; f < k; ++f)
      if (const int32_t a = x[i * k + f]; a >= 0 && D.group[(size_t)a + 1] < 0) D.col.push_back(a + 1);
    std::sort(D.col.begin() + D.start[i], D.col.end());
    D.start[i + 1] = (uint32_t)D.col.size();
  }
  pack_features(x, k, feature_of, D);
  return D;
}

// theta (full) -> phi with x'phi = (M x')'theta: the implied levels' weights move to the intercept.
void SolverDesign::reduce(const std::vector<double>& theta, std::vector<double>& phi) const {
  phi = theta;
  for (size_t g = 0; g < implied.size(); ++g) {
    const double t = theta[(size_t)implied[g]];
    phi[0] += t;
    for (int32_t j : members[g]) phi[(size_t)j] -= t;
    phi[(size_t)implied[g]] = 0;
  }
}

// q (sums over the listed columns) -> M q: an implied level's rows are the others' complement.
void SolverDesign::expand(std::vector<double>& q) const {
  for (size_t g = 0; g < implied.size(); ++g) {
    double v = q[0];
    for (int32_t j : members[g]) v -= q[(size_t)j];
    q[(size_t)implied[g]] = v;
  }
}

void SolverDesign::tables(const std::vector<double>& theta, std::vector<double>& t, std::vector<double>& phi) const {
  reduce(theta, phi);
  t.assign(table_size + 1, 0.0);
  for (const Pack& p : packs) {
    double* T = &t[p.offset];
    for (const Member& m : p.members)  // m.stride values are done: each option extends them
      for (size_t o = 1; o <= m.col.size(); ++o)
        for (size_t v = 0; v < m.stride; ++v) T[o * m.stride + v] = T[v] + phi[(size_t)m.col[o - 1]];
  }
  t[table_size] = phi[0];
}

// Four sums side by side: one sum would wait for each addition to finish (its latency, not the
// loads, bounds this loop, and compilers may not reorder floating-point sums themselves).
double SolverDesign::eta(const std::vector<double>& t, size_t row) const {
  const size_t np = offset.size();
  const uint16_t* c = &code[row * np];
  const uint32_t* off = offset.data();
  const double* T = t.data();
  double a0 = T[table_size], a1 = 0, a2 = 0, a3 = 0;
  size_t p = 0;
  for (; p + 4 <= np; p += 4)
    a0 += T[off[p] + c[p]], a1 += T[off[p + 1] + c[p + 1]], a2 += T[off[p + 2] + c[p + 2]],
        a3 += T[off[p + 3] + c[p + 3]];
  for (; p < np; ++p) a0 += T[off[p] + c[p]];
  return (a0 + a1) + (a2 + a3);
}

void SolverDesign::column_sums(const std::vector<double>& hist, double total, std::vector<double>& q) const {
  q.assign(d, 0.0);
  q[0] = total;
  for (const Pack& p : packs) {
    const double* h = &hist[p.offset];
    for (const Member& m : p.members) {  // value v = (high * n + option) * stride + low
      const size_t n = m.col.size() + 1, block = m.stride * n;
      for (size_t high = 0; high < p.values; high += block)
        for (size_t o = 1; o < n; ++o) {
          double sum = 0;
          for (size_t low = 0; low < m.stride; ++low) sum += h[high + o * m.stride + low];
          q[(size_t)m.col[o - 1]] += sum;
        }
    }
  }
  expand(q);
}

}  // namespace learn_detail

namespace {

using learn_detail::SolverDesign;

double sigmoid(double e) {
  if (e >= 0) return 1 / (1 + std::exp(-e));
  double z = std::exp(e);
  return z / (1 + z);
}
double softplus(double e) { return e > 0 ? e + std::log1p(std::exp(-e)) : std::log1p(std::exp(e)); }

struct Problem {
  const SolverDesign& D;
  const std::vector<size_t>& rows;
  const std::vector<int8_t>& y;
  double c;
  mutable std::vector<double> phi, table, hist;

  // X v (with the intercept) for each row, in the order of `rows`.
  void times(const std::vector<double>& v, std::vector<double>& out) const {
    D.tables(v, table, phi);
    out.resize(rows.size());
    for (size_t r = 0; r < rows.size(); ++r) out[r] = D.eta(table, rows[r]);
  }
  // Adds u to its row's value in every pack (and to the total).
  void scatter(size_t i, double u, double& total) const {
    const size_t np = D.offset.size();
    const uint16_t* code = &D.code[i * np];
    const uint32_t* off = D.offset.data();
    double* h = hist.data();
    total += u;
    for (size_t p = 0; p < np; ++p) h[off[p] + code[p]] += u;
  }
  // X^T u for u in the order of `rows`.
  void transpose_times(const std::vector<double>& u, std::vector<double>& q) const {
    hist.assign(D.table_size, 0.0);
    double total = 0;
    for (size_t r = 0; r < rows.size(); ++r) scatter(rows[r], u[r], total);
    D.column_sums(hist, total, q);
  }
  // The objective from the rows' log-odds and theta (for the penalty): no pass over the design.
  double objective(const std::vector<double>& e, const std::vector<double>& theta) const {
    double loss = 0, pen = 0;
    for (size_t r = 0; r < rows.size(); ++r) loss += softplus(e[r]) - (y[rows[r]] ? e[r] : 0);
    for (size_t j = 1; j < theta.size(); ++j) pen += theta[j] * theta[j];
    return c * loss + 0.5 * pen;
  }
  // H v = c X^T W X v + v (no penalty on the intercept), in one pass: X v, then X^T of w X v.
  void hessian_times(const std::vector<double>& w, const std::vector<double>& v, std::vector<double>& out) const {
    D.tables(v, table, phi);
    hist.assign(D.table_size, 0.0);
    double total = 0;
    for (size_t r = 0; r < rows.size(); ++r) scatter(rows[r], w[r] * D.eta(table, rows[r]), total);
    D.column_sums(hist, total, out);
    for (size_t j = 0; j < D.d; ++j) out[j] = c * out[j] + (j > 0 ? v[j] : 0);
  }
  // The unscaled curvature X^T W X, symmetric, row-major d x d.
  void curvature(const std::vector<double>& w, std::vector<double>& a) const {
    const size_t d = D.d;
    a.assign(d * d, 0.0);
    for (size_t r = 0; r < rows.size(); ++r) {
      const size_t i = rows[r];
      const double wr = w[r];
      const uint32_t b = D.start[i], e = D.start[i + 1];
      a[0] += wr;
      for (uint32_t s = b; s < e; ++s) {
        a[(size_t)D.col[s]] += wr;  // row 0 (the intercept)
        double* row = &a[(size_t)D.col[s] * d];
        for (uint32_t t = s; t < e; ++t) row[D.col[t]] += wr;
      }
    }
    for (size_t j = 0; j < d; ++j)
      for (size_t t = j + 1; t < d; ++t) a[t * d + j] = a[j * d + t];
    // A = M B M^T: rows of the implied levels, then their columns.
    for (size_t g = 0; g < D.implied.size(); ++g) {
      double* out = &a[(size_t)D.implied[g] * d];
      std::copy(a.begin(), a.begin() + (long)d, out);
      for (int32_t j : D.members[g])
        for (size_t t = 0; t < d; ++t) out[t] -= a[(size_t)j * d + t];
    }
    for (size_t t = 0; t < d; ++t) {
      double* row = &a[t * d];
      for (size_t g = 0; g < D.implied.size(); ++g) {
        double v = row[0];
        for (int32_t j : D.members[g]) v -= row[(size_t)j];
        row[(size_t)D.implied[g]] = v;
      }
    }
  }
};

// The Hessian c A + I (no penalty on the intercept) as U^T U, U in the upper triangle of u;
// false if it is not positive definite. Row by row (right-looking), so every loop is contiguous.
bool factor(const std::vector<double>& a, double c, size_t d, std::vector<double>& u) {
  u.assign(d * d, 0.0);
  for (size_t j = 0; j < d; ++j)
    for (size_t t = j; t < d; ++t) u[j * d + t] = c * a[j * d + t] + (t == j && j > 0 ? 1 : 0);
  for (size_t j = 0; j < d; ++j) {
    double* uj = &u[j * d];
    if (!(uj[j] > 0)) return false;
    const double v = std::sqrt(uj[j]), inv = 1 / v;
    uj[j] = v;
    for (size_t t = j + 1; t < d; ++t) uj[t] *= inv;
    for (size_t r = j + 1; r < d; ++r) {
      const double f = uj[r];
      if (f == 0) continue;
      double* ur = &u[r * d];
      for (size_t t = r; t < d; ++t) ur[t] -= f * uj[t];
    }
  }
  return true;
}

// s = (U^T U)^-1 g.
void solve(const std::vector<double>& u, size_t d, const std::vector<double>& g, std::vector<double>& s) {
  s = g;
  for (size_t q = 0; q < d; ++q) {  // U^T z = g
    const double* uq = &u[q * d];
    s[q] /= uq[q];
    for (size_t j = q + 1; j < d; ++j) s[j] -= uq[j] * s[q];
  }
  for (size_t j = d; j-- > 0;) {  // U s = z
    const double* uj = &u[j * d];
    double v = s[j];
    for (size_t q = j + 1; q < d; ++q) v -= uj[q] * s[q];
    s[j] = v / uj[j];
  }
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t j = 0; j < a.size(); ++j) s += a[j] * b[j];
  return s;
}

// H s = g by conjugate gradients preconditioned with U (from the start s = U^-1 U^-T g); false
// when the residual is not below eta |g| after `max_iter` products.
bool pcg(const Problem& pr, const std::vector<double>& w, const std::vector<double>& u, const std::vector<double>& g,
         double eta, size_t max_iter, std::vector<double>& s, size_t& products) {
  const size_t d = g.size();
  std::vector<double> r(d), z, p, hp(d);
  solve(u, d, g, s);
  pr.hessian_times(w, s, hp);
  ++products;
  for (size_t j = 0; j < d; ++j) r[j] = g[j] - hp[j];
  const double goal = eta * eta * dot(g, g);
  if (dot(r, r) <= goal) return true;
  solve(u, d, r, z);
  p = z;
  double rz = dot(r, z);
  for (size_t it = 0; it < max_iter; ++it) {
    pr.hessian_times(w, p, hp);
    ++products;
    const double php = dot(p, hp);
    if (!(php > 0)) return false;
    const double alpha = rz / php;
    for (size_t j = 0; j < d; ++j) s[j] += alpha * p[j], r[j] -= alpha * hp[j];
    if (dot(r, r) <= goal) return true;
    solve(u, d, r, z);
    const double rz_next = dot(r, z), beta = rz_next / rz;
    rz = rz_next;
    for (size_t j = 0; j < d; ++j) p[j] = z[j] + beta * p[j];
  }
  return false;
}

// Preconditioned solves longer than this cost more than a new curvature would save.
constexpr size_t kMaxCg = 6;

}  // namespace

namespace learn_detail {

LogisticFit fit_logistic(const SolverDesign& D, const std::vector<size_t>& rows, const std::vector<int8_t>& y, double c,
                         const LogisticFit* start, double tol, LogisticCurvature* reuse) {
  const size_t d = D.d;
  Problem pr{D, rows, y, c, {}, {}, {}};
  std::vector<double> theta(d, 0.0);
  if (start && start->w.size() + 1 == d) {
    theta[0] = start->intercept;
    std::copy(start->w.begin(), start->w.end(), theta.begin() + 1);
  } else {
    double pos = 0;
    for (size_t i : rows) pos += y[i];
    if (pos > 0 && pos < (double)rows.size()) theta[0] = std::log(pos / ((double)rows.size() - pos));
  }
  LogisticFit fit;
  LogisticCurvature local;
  LogisticCurvature& cur = reuse ? *reuse : local;
  // A curvature from other rows (another fold, the whole train split) is rescaled to these rows.
  if (cur.xwx.size() == d * d && cur.rows && cur.rows != rows.size()) {
    const double k = (double)rows.size() / (double)cur.rows;
    for (double& v : cur.xwx) v *= k;
  }
  if (cur.xwx.size() != d * d) cur.xwx.clear();
  cur.rows = rows.size();
  std::vector<double> g(d), u, step, next(d), w(rows.size()), resid(rows.size());
  bool factored = false;
  std::vector<double> e, e_step, e_next;  // X theta, X step, X next
  pr.times(theta, e);
  double obj = pr.objective(e, theta);
  for (fit.iterations = 0; fit.iterations < 300; ++fit.iterations) {
    for (size_t r = 0; r < rows.size(); ++r) {
      const double p = sigmoid(e[r]);
      resid[r] = p - y[rows[r]], w[r] = p * (1 - p);
    }
    pr.transpose_times(resid, g);
    for (size_t j = 0; j < d; ++j) g[j] = c * g[j] + (j > 0 ? theta[j] : 0);
    const double gnorm = std::sqrt(dot(g, g));
    bool solved = false;
    if (!cur.xwx.empty()) {
      if (!factored) factored = factor(cur.xwx, c, d, u);
      solved = factored && pcg(pr, w, u, g, std::min(0.1, std::sqrt(gnorm)), kMaxCg, step, fit.products);
    }
    if (!solved) {  // a new curvature at this point: an exact Newton step
      pr.curvature(w, cur.xwx);
      ++fit.curvatures;
      factored = factor(cur.xwx, c, d, u);
      if (!factored) break;
      solve(u, d, g, step);
    }
    double slope = dot(g, step), t = 1, biggest = 0;
    // Near the optimum the decrease a step promises is below the objective's rounding: the
    // comparison of objectives then says nothing, and the (descent) step is taken whole.
    const bool below_rounding = 0.5 * slope <= 1e-13 * (std::fabs(obj) + 1);
    for (size_t j = 0; j < d; ++j) biggest = std::max(biggest, std::fabs(step[j]));
    pr.times(step, e_step);
    e_next.resize(e.size());
    for (int halvings = 0; halvings < 40; ++halvings, t *= 0.5) {
      for (size_t j = 0; j < d; ++j) next[j] = theta[j] - t * step[j];
      for (size_t r = 0; r < e.size(); ++r) e_next[r] = e[r] - t * e_step[r];
      double o = pr.objective(e_next, next);
      if (o <= obj - 1e-4 * t * slope || below_rounding || t * biggest < 1e-13) {
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
  }
  fit.intercept = theta[0];
  fit.w.assign(theta.begin() + 1, theta.end());
  return fit;
}

}  // namespace learn_detail

LogisticFit fit_logistic(const std::vector<int32_t>& active, size_t features, const std::vector<size_t>& rows,
                         const std::vector<int8_t>& y, size_t columns, double c, const LogisticFit* start, double tol,
                         LogisticCurvature* reuse) {
  const learn_detail::SolverDesign D = learn_detail::solver_design(active, features, columns);
  return learn_detail::fit_logistic(D, rows, y, c, start, tol, reuse);
}

}  // namespace leadscore
