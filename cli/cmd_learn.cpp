// leadscore learn (a scorecard from known outcomes, docs/learn.md) and leadscore channels
// (score and conversion by lead source, campaign, ...).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "inputs.h"
#include "leadscore/learn.h"
#include "leadscore/outcomes.h"

namespace leadscore::cli {

using nlohmann::json;

namespace {

Outcomes outcomes_for(const Args& a, const Table& leads, std::shared_ptr<Table>& deals) {
  if (a.has("outcome")) return outcomes_from_column(leads, a.get("outcome"));
  if (!a.has("outcomes"))
    throw Usage(std::string(a.cmd->name) + " needs --outcome COLUMN or --outcomes FILE --lead-id COLUMN");
  if (!a.has("lead-id")) throw Usage("--outcomes needs --lead-id COLUMN (the leads' id column)");
  Args plain = a;
  plain.opt.erase("delimiter");
  deals = load_leads(plain, a.get("outcomes"), RuleSet{});
  return outcomes_from_ids(leads, a.get("lead-id"), *deals, a.get_or("outcome-id", a.get("lead-id")));
}

std::string format_of(const Args& a) {
  std::string f = a.has("json") ? "json" : a.get_or("format", "text");
  if (f != "text" && f != "json") throw Usage("--format must be text or json");
  return f;
}

double number_arg(const Args& a, const std::string& k) {
  const std::string v = a.get(k);
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (v.empty() || *end) throw Usage("--" + k + " takes a number, not '" + v + "'");
  return d;
}

std::vector<std::string> list_arg(const Args& a, const std::string& k) {
  std::vector<std::string> out;
  std::stringstream ss(a.get_or(k, ""));
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

// "1:19" (one conversion to nineteen non-conversions) or a number (the odds themselves).
double odds_arg(const std::string& s) {
  auto colon = s.find(':');
  char* end = nullptr;
  if (colon == std::string::npos) {
    double d = std::strtod(s.c_str(), &end);
    if (s.empty() || *end || !(d > 0)) throw Usage("--base-odds takes odds like 1:19 or 0.05, not '" + s + "'");
    return d;
  }
  const std::string left = s.substr(0, colon), right = s.substr(colon + 1);  // (end points into them)
  double a = std::strtod(left.c_str(), &end);
  bool ok = *end == 0;
  double b = std::strtod(right.c_str(), &end);
  if (!ok || *end || !(a > 0) || !(b > 0)) throw Usage("--base-odds takes odds like 1:19 or 0.05, not '" + s + "'");
  return a / b;
}

LearnOptions learn_options(const Args& a) {
  LearnOptions o;
  if (a.has("model")) {
    o.model = a.get("model");
    if (o.model == "naive-bayes" || o.model == "nb") o.model = "naive_bayes";
  }
  if (a.has("scale")) o.scale = a.get("scale");
  if (a.has("base-score")) o.base_score = number_arg(a, "base-score");
  if (a.has("base-odds")) o.base_odds = odds_arg(a.get("base-odds"));
  if (a.has("pdo")) o.pdo = number_arg(a, "pdo");
  if (a.has("c")) o.c = number_arg(a, "c");
  if (a.has("folds")) o.folds = (size_t)number_arg(a, "folds");
  if (a.has("seed")) o.seed = (uint64_t)number_arg(a, "seed");
  if (a.has("test-share")) o.test_share = number_arg(a, "test-share");
  if (a.has("bins")) o.bins = (size_t)number_arg(a, "bins");
  if (a.has("min-leads")) o.min_leads = (size_t)number_arg(a, "min-leads");
  if (a.has("min-positives")) o.min_positives = (size_t)number_arg(a, "min-positives");
  o.monotone = a.has("monotone");
  o.use_rules = !a.has("no-rules");
  o.columns = list_arg(a, "columns");
  o.exclude = list_arg(a, "exclude");
  o.keep = list_arg(a, "keep");
  return o;
}

std::string fixed(double v, int digits) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// 1/19 -> "1:19", 3 -> "3:1".
std::string odds_text(double odds) {
  double x = odds < 1 ? 1 / odds : odds;
  std::string n = std::fabs(x - std::round(x)) < 1e-9 ? num(std::round(x)) : fixed(x, 2);
  return odds < 1 ? "1:" + n : n + ":1";
}

std::string auc_text(const json& v) { return v.is_null() ? "n/a" : fixed(v.get<double>(), 4); }

std::string learn_text(const json& r) {
  std::ostringstream t;
  const json& n = r["leads"];
  t << "learned from " << n["train"] << " leads (" << n["trainPositives"] << " converted), checked on " << n["test"]
    << " held out (" << n["testPositives"] << " converted); seed " << r["seed"] << "\n";
  t << "model: " << (r["model"] == "logistic" ? "L2 logistic regression" : "naive Bayes (Laplace-smoothed)");
  if (!r["c"].is_null())
    t << ", C = " << num(r["c"]) << (r["cv"].empty() ? " (given)" : " (picked by cross-validation, log loss)");
  t << ", " << r["designColumns"] << " feature levels\n";
  t << "held-out AUC: model " << auc_text(r["auc"]["model"]) << ", scorecard " << auc_text(r["auc"]["points"])
    << ", rounded " << auc_text(r["auc"]["rounded"]) << " (train " << auc_text(r["auc"]["train"]) << ")\n";
  const json& s = r["scale"];
  if (s["kind"] == "pdo")
    t << "scale: " << num(s["baseScore"]) << " points at odds " << odds_text(s["baseOdds"]) << ", " << num(s["pdo"])
      << " points to double the odds";
  else
    t << "scale: 0-100";
  t << "; scores " << r["range"]["roundedMin"] << " to " << r["range"]["roundedMax"] << ", base " << r["roundedBase"]
    << "\n";
  if (!r["flagged"].empty()) {
    t << "\nflagged:\n";
    for (const auto& f : r["flagged"])
      t << "  " << f["name"].get<std::string>() << " (" << f["flag"].get<std::string>()
        << "): " << f["reason"].get<std::string>() << "\n";
  }
  t << "\nfeatures (by information value):\n";
  for (const auto& f : r["features"]) {
    if (!f["used"]) continue;
    t << "  " << f["name"].get<std::string>() << " [" << f["source"].get<std::string>() << "]  IV " << fixed(f["iv"], 3)
      << "  AUC " << fixed(f["auc"], 3) << "\n";
    for (const auto& l : f["levels"])
      t << "    " << l["label"].get<std::string>() << ": " << l["rounded"] << " points  (" << l["count"]
        << " leads, WoE " << fixed(l["woe"], 3) << ")\n";
  }
  for (const auto& note : r["notes"]) t << "note: " << note.get<std::string>() << "\n";
  return t.str();
}

void write_file(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::cout << text;
    return;
  }
  std::ofstream f(path, std::ios::binary);
  f << text;
  if (!f) throw std::runtime_error(path + ": cannot write");
}

// Every lead: its number, the model's probability, its points (rounded) and the split it was in.
std::string probabilities_csv(const LearnResult& r) {
  std::string out = "lead,probability,points,split\n";
  for (size_t i = 0; i < r.probability.size(); ++i) {
    json l = learned_lead(r, i, 0);
    out += std::to_string(i + 1) + "," + num(r.probability[i]) + "," + num(l["points"].get<double>()) + "," +
           l["split"].get<std::string>() + "\n";
  }
  return out;
}

}  // namespace

int cmd_learn(const Args& a) {
  const std::string format = format_of(a);
  LearnOptions opt = learn_options(a);
  Diagnostics warnings;
  std::optional<Scorer> current;
  std::shared_ptr<Table> table;
  if (a.has("rules")) {
    current.emplace(make_scorer(a, &warnings));
  } else {
    table = load_leads(a, a.get("leads"), RuleSet{});
  }
  const Table& leads = current ? current->table() : *table;
  std::shared_ptr<Table> deals;
  Outcomes o = outcomes_for(a, leads, deals);
  LearnResult r = learn(leads, o, current ? &*current : nullptr, opt);
  if (a.has("out")) write_file(a.get("out"), learned_rule_set(r, !a.has("exact")).dump(2) + "\n");
  if (a.has("dump-design")) write_file(a.get("dump-design"), design_csv(r));
  if (a.has("probabilities")) write_file(a.get("probabilities"), probabilities_csv(r));
  json rep = to_json(r);
  if (a.has("lead")) {
    double n = number_arg(a, "lead");
    if (n < 1 || n != (double)(size_t)n) throw Usage("--lead takes a lead number from 1");
    rep["lead"] = learned_lead(r, (size_t)n - 1, 5);
  }
  if (format == "json") {
    rep["designColumns"] = design_columns_json(r);
    std::cout << rep.dump(2) << "\n";
  } else {
    std::cout << learn_text(rep);
    if (rep.contains("lead"))
      std::cout << "\nlead " << num(number_arg(a, "lead")) << ": " << rep["lead"].dump() << "\n";
  }
  return 0;
}

int cmd_channels(const Args& a) {
  const std::string format = format_of(a);
  Diagnostics warnings;
  Scorer s = make_scorer(a, &warnings);
  std::shared_ptr<Table> deals;
  std::optional<Outcomes> o;
  if (a.has("outcome") || a.has("outcomes")) o = outcomes_for(a, s.table(), deals);
  size_t values = a.has("values") ? (size_t)number_arg(a, "values") : 20;
  json rep = channel_quality(s, o ? &*o : nullptr, a.get("by"), values, 10);
  if (format == "json") {
    std::cout << rep.dump(2) << "\n";
    return 0;
  }
  std::cout << "by " << rep["column"].get<std::string>() << " (" << rep["leads"] << " leads";
  if (o)
    std::cout << ", overall conversion "
              << (rep["overallRate"].is_null() ? "n/a" : fixed(rep["overallRate"].get<double>() * 100, 1) + " %");
  std::cout << ")\n";
  for (const auto& c : rep["channels"]) {
    std::cout << "  " << c["value"].get<std::string>() << ": " << c["leads"] << " leads, mean score "
              << fixed(c["mean"], 1) << ", median " << num(c["median"]);
    if (o)
      std::cout << ", " << c["conversions"] << "/" << c["known"] << " converted"
                << (c["rate"].is_null() ? ""
                                        : " (" + fixed(c["rate"].get<double>() * 100, 1) + " %, lift " +
                                              fixed(c["lift"].is_null() ? 0.0 : c["lift"].get<double>(), 2) + ")");
    std::cout << "\n";
  }
  return 0;
}

}  // namespace leadscore::cli
