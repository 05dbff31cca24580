#include "leadscore/compare.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace leadscore {

using nlohmann::json;

namespace {

void check_same_leads(const Scorer& a, const Scorer& b) {
  if (!a.has_rules() || !b.has_rules()) throw MetricsError("mismatch", "both scorers need a rule set");
  if (a.table().rows != b.table().rows)
    throw MetricsError("mismatch", "the two scorers score different leads (" + std::to_string(a.table().rows) + " vs " +
                                       std::to_string(b.table().rows) + "): compare variants on the same leads");
}

std::vector<std::string> tier_names(const RuleSet& rs) {
  std::vector<std::string> v;
  for (const auto& t : rs.tiers) v.push_back(t.name);
  return v;
}

std::vector<std::string> cell_names(const RuleSet& rs) {
  std::vector<std::string> v;
  for (const auto& f : rs.matrix.fit)
    for (const auto& e : rs.matrix.engagement) v.push_back(f.name + e.name);
  return v;
}

int cell_of(const Scorer& s, size_t i) {
  const Results& r = s.results();
  return r.fit_band[i] * (int)s.rules().matrix.engagement.size() + r.engagement_band[i];
}

json migration(const std::vector<std::string>& from, const std::vector<std::string>& to,
               const std::vector<std::vector<size_t>>& counts) {
  return {{"from", from}, {"to", to}, {"counts", counts}};
}

json variant_summary(const Scorer& s) {
  const RuleSet& rs = s.rules();
  const Results& r = s.results();
  std::vector<size_t> tiers(rs.tiers.size());
  size_t ready = 0;
  double lo = INFINITY, hi = -INFINITY, sum = 0;
  for (size_t i = 0; i < r.rows; ++i) {
    tiers[r.tier[i]]++, ready += r.sales_ready[i];
    lo = std::min(lo, r.total[i]), hi = std::max(hi, r.total[i]), sum += r.total[i];
  }
  json t = json::array();
  for (size_t k = 0; k < rs.tiers.size(); ++k) t.push_back({{"name", rs.tiers[k].name}, {"count", tiers[k]}});
  return {{"name", rs.name},
          {"rules", rs.rules.size()},
          {"threshold", rs.sales_ready ? json(*rs.sales_ready) : json(nullptr)},
          {"salesReady", ready},
          {"tiers", t},
          {"min", r.rows ? lo : 0},
          {"max", r.rows ? hi : 0},
          {"mean", r.rows ? sum / r.rows : 0}};
}

json mover(const Scorer& a, const Scorer& b, size_t i) {
  Ledger la = a.ledger(i), lb = b.ledger(i);
  struct Part {
    std::string label;
    double a = 0, b = 0;
    bool fa = false, fb = false, ina = false, inb = false;
  };
  std::vector<std::string> order;
  std::map<std::string, Part> parts;
  for (const auto& r : a.rules().rules) order.push_back(r.id), parts[r.id].label = r.label, parts[r.id].ina = true;
  for (const auto& r : b.rules().rules) {
    if (!parts.count(r.id)) order.push_back(r.id), parts[r.id].label = r.label;
    parts[r.id].inb = true;
  }
  for (const auto& e : la.entries) parts[e.rule_id].a = e.points, parts[e.rule_id].fa = true;
  for (const auto& e : lb.entries) parts[e.rule_id].b = e.points, parts[e.rule_id].fb = true;
  std::vector<std::string> changed;
  for (const auto& id : order)
    if (parts[id].a != parts[id].b || parts[id].fa != parts[id].fb) changed.push_back(id);
  std::stable_sort(changed.begin(), changed.end(), [&](const std::string& x, const std::string& y) {
    return std::fabs(parts[x].b - parts[x].a) > std::fabs(parts[y].b - parts[y].a);
  });
  json rules = json::array();
  for (const auto& id : changed) {
    const Part& p = parts[id];
    rules.push_back({{"id", id},
                     {"label", p.label},
                     {"a", p.a},
                     {"b", p.b},
                     {"delta", p.b - p.a},
                     {"firedA", p.fa},
                     {"firedB", p.fb},
                     {"inA", p.ina},
                     {"inB", p.inb}});
  }
  std::vector<std::string> gorder;
  std::map<std::string, std::pair<double, double>> gs;
  for (const auto& g : la.groups) gorder.push_back(g.id), gs[g.id].first = g.score;
  for (const auto& g : lb.groups) {
    if (!gs.count(g.id)) gorder.push_back(g.id);
    gs[g.id].second = g.score;
  }
  json groups = json::array();
  for (const auto& id : gorder)
    groups.push_back({{"id", id}, {"a", gs[id].first}, {"b", gs[id].second}, {"delta", gs[id].second - gs[id].first}});
  json j = {{"lead", i},        {"line", la.line},  {"a", la.total},  {"b", lb.total},   {"delta", lb.total - la.total},
            {"tierA", la.tier}, {"tierB", lb.tier}, {"rules", rules}, {"groups", groups}};
  if (!la.cell.empty()) j["cellA"] = la.cell;
  if (!lb.cell.empty()) j["cellB"] = lb.cell;
  return j;
}

}  // namespace

CompareOptions CompareOptions::parse(const json& j) {
  CompareOptions o;
  if (j.is_null()) return o;
  if (!j.is_object()) throw MetricsError("range", "compare options must be an object");
  if (j.contains("capacity") && !j["capacity"].is_null()) o.capacity = Capacity::parse(j["capacity"]);
  auto count = [&](const char* k, size_t& out) {
    if (!j.contains(k) || j[k].is_null()) return;
    double v = j[k].is_number() ? j[k].get<double>() : -1;
    if (!(v >= 0 && v <= 1e7 && v == std::floor(v)))
      throw MetricsError("range", std::string("'") + k + "' must be a whole number from 0 up");
    out = (size_t)v;
  };
  count("movers", o.movers);
  count("bins", o.bins);
  if (o.bins == 0) o.bins = 1;
  if (j.contains("evaluate")) o.evaluate = EvaluateOptions::parse(j["evaluate"]);
  o.evaluate.capacity.reset();
  return o;
}

json compare(const Scorer& a, const Scorer& b, const CompareOptions& opt) {
  check_same_leads(a, b);
  const Outcomes* ob = opt.outcomes_b ? opt.outcomes_b : opt.outcomes;
  // Evaluations first: they check that the outcomes belong to these leads.
  json eval_a, eval_b;
  if (opt.outcomes) eval_a = evaluate(a, *opt.outcomes, opt.evaluate), eval_b = evaluate(b, *ob, opt.evaluate);

  const RuleSet &ra = a.rules(), &rb = b.rules();
  const Results &xa = a.results(), &xb = b.results();
  const size_t n = xa.rows;
  json rep = {{"rows", n}, {"a", variant_summary(a)}, {"b", variant_summary(b)}};

  std::vector<std::vector<size_t>> tiers(ra.tiers.size(), std::vector<size_t>(rb.tiers.size()));
  size_t up = 0, down = 0, both = 0, neither = 0, changed = 0;
  for (size_t i = 0; i < n; ++i) {
    tiers[xa.tier[i]][xb.tier[i]]++;
    bool sa = xa.sales_ready[i], sb = xb.sales_ready[i];
    (sa ? (sb ? both : down) : (sb ? up : neither))++;
    changed += xa.total[i] != xb.total[i];
  }
  rep["changed"] = changed;
  rep["tiers"] = migration(tier_names(ra), tier_names(rb), tiers);
  if (ra.matrix.present && rb.matrix.present) {
    auto ca = cell_names(ra), cb = cell_names(rb);
    std::vector<std::vector<size_t>> cells(ca.size(), std::vector<size_t>(cb.size()));
    for (size_t i = 0; i < n; ++i) cells[cell_of(a, i)][cell_of(b, i)]++;
    rep["cells"] = migration(ca, cb, cells);
  } else {
    rep["cells"] = nullptr;
  }
  rep["salesReady"] = {{"up", up}, {"down", down}, {"both", both}, {"neither", neither}};

  // Overlaid histograms on shared bins (the maximum falls in the last bin).
  {
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; ++i)
      lo = std::min({lo, xa.total[i], xb.total[i]}), hi = std::max({hi, xa.total[i], xb.total[i]});
    if (!n) lo = hi = 0;
    const size_t nb = std::max<size_t>(1, opt.bins);
    const double width = hi > lo ? (hi - lo) / nb : 1;
    std::vector<double> edges;
    for (size_t k = 0; k <= nb; ++k) edges.push_back(k == nb && hi > lo ? hi : lo + k * width);
    std::vector<size_t> ha(nb), hb(nb);
    for (size_t i = 0; i < n; ++i) {
      ha[std::min(nb - 1, (size_t)((xa.total[i] - lo) / width))]++;
      hb[std::min(nb - 1, (size_t)((xb.total[i] - lo) / width))]++;
    }
    rep["histogram"] = {{"edges", edges}, {"a", ha}, {"b", hb}};
  }

  // Top movers: largest |b - a| first, ties in lead order.
  {
    std::vector<size_t> idx;
    for (size_t i = 0; i < n; ++i)
      if (xa.total[i] != xb.total[i]) idx.push_back(i);
    auto cmp = [&](size_t p, size_t q) {
      double dp = std::fabs(xb.total[p] - xa.total[p]), dq = std::fabs(xb.total[q] - xa.total[q]);
      return dp > dq || (dp == dq && p < q);
    };
    size_t k = std::min(opt.movers, idx.size());
    std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), cmp);
    json movers = json::array();
    for (size_t q = 0; q < k; ++q) movers.push_back(mover(a, b, idx[q]));
    rep["movers"] = movers;
  }

  if (opt.capacity) {
    size_t cap = opt.capacity->leads(n);
    rep["capacity"] = {
        {"capacity", cap}, {"a", capacity_json(xa.total, opt.outcomes, cap)}, {"b", capacity_json(xb.total, ob, cap)}};
  }
  if (opt.outcomes) rep["evaluation"] = {{"a", eval_a}, {"b", eval_b}};
  return rep;
}

std::vector<int32_t> list_migration(const Scorer& a, const Scorer& b, const std::string& kind, const std::string& from,
                                    const std::string& to, size_t limit) {
  check_same_leads(a, b);
  const RuleSet &ra = a.rules(), &rb = b.rules();
  auto find = [&](const std::vector<std::string>& names, const std::string& x, const char* which, const char* code,
                  const char* what) {
    auto it = std::find(names.begin(), names.end(), x);
    if (it == names.end()) {
      std::string list;
      for (const auto& nm : names) list += (list.empty() ? "" : ", ") + nm;
      throw MetricsError(code, std::string("rule set ") + which + " has no " + what + " '" + x + "'" +
                                   (list.empty() ? "" : " (it has: " + list + ")"));
    }
    return (int)(it - names.begin());
  };
  int fa, fb;
  bool cells = kind == "cell";
  if (cells) {
    if (!ra.matrix.present || !rb.matrix.present)
      throw MetricsError("unknown_cell", "cell migration needs a matrix in both rule sets");
    fa = find(cell_names(ra), from, "A", "unknown_cell", "cell");
    fb = find(cell_names(rb), to, "B", "unknown_cell", "cell");
  } else if (kind == "tier" || kind.empty()) {
    fa = find(tier_names(ra), from, "A", "unknown_tier", "tier");
    fb = find(tier_names(rb), to, "B", "unknown_tier", "tier");
  } else {
    throw MetricsError("range", "kind must be 'tier' or 'cell', not '" + kind + "'");
  }
  const Results& xb = b.results();
  std::vector<int32_t> out;
  for (size_t i = 0; i < xb.rows; ++i) {
    int ia = cells ? cell_of(a, i) : a.results().tier[i];
    int ib = cells ? cell_of(b, i) : xb.tier[i];
    if (ia == fa && ib == fb) out.push_back((int32_t)i);
  }
  std::stable_sort(out.begin(), out.end(), [&](int32_t p, int32_t q) { return xb.total[p] > xb.total[q]; });
  if (limit && out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace leadscore
