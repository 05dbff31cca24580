#include "leakage.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

#include "leadscore/jsonlogic.h"
#include "leadscore/metrics.h"

namespace leadscore::leakage {

using nlohmann::json;

namespace {

std::string percent(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", 100 * x);
  return buf;
}

std::string three(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", x);
  return buf;
}

// Lower-case words of a name or value: "LeadQuality", "lead_quality" and "Lead Quality" all give
// {"lead", "quality"}.
std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::string w;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = s[i];
    bool upper_after_lower = std::isupper(c) && i && std::islower((unsigned char)s[i - 1]);
    if (!std::isalnum(c) || upper_after_lower) {
      if (!w.empty()) out.push_back(w);
      w.clear();
    }
    if (std::isalnum(c)) w += (char)std::tolower(c);
  }
  if (!w.empty()) out.push_back(w);
  return out;
}

// Words in a column name that say it is written once the lead's fate is known.
const std::set<std::string>& outcome_name_words() {
  static const std::set<std::string> w = {"status", "quality", "tag",    "tags",        "stage",   "reason",
                                          "lost",   "won",     "closed", "disposition", "outcome", "result"};
  return w;
}
// Words in a value that only a lead already decided carries.
const std::set<std::string>& outcome_value_words() {
  static const std::set<std::string> w = {"closed", "won", "lost", "revert", "disqualified", "churned"};
  return w;
}

}  // namespace

std::string post_outcome_hint(const Column& col) {
  for (const auto& w : words(col.name))
    if (outcome_name_words().count(w)) return "its name ('" + w + "') suggests it is set after the outcome";
  if (col.type != ColumnType::String || col.dict.size() > kMaxCategories) return "";
  for (const std::string_view text : col.dict) {
    const std::string v(text);
    for (const auto& w : words(v))
      if (outcome_value_words().count(w)) return "values like '" + v + "' are only known once a lead is decided";
  }
  return "";
}

double median_auc(const std::vector<ColumnSignal>& sigs) {
  if (sigs.empty()) return 0.5;
  std::vector<double> a;
  for (const auto& s : sigs) a.push_back(s.auc);
  std::sort(a.begin(), a.end());
  size_t m = a.size() / 2;
  return a.size() % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

bool far_above_rest(double auc, double median) { return auc >= kStrongColumnAuc && auc - median >= kFarAboveMedian; }

std::vector<size_t> columns_read(const Rule& rule, const Table& t) {
  std::vector<std::string> vars;
  try {
    if (!rule.when.is_null()) vars = jsonlogic::referenced_vars(rule.when);
  } catch (const std::exception&) {
    // a condition too deep to walk was refused when the rules were set; nothing to add here
  }
  if (rule.per) vars.push_back(*rule.per);
  std::vector<size_t> out;
  for (size_t c = 0; c < t.columns.size(); ++c)
    if (std::find(vars.begin(), vars.end(), t.columns[c].name) != vars.end()) out.push_back(c);
  return out;
}

namespace {

json reason(const std::string& kind, const std::string& column, const std::string& message) {
  json j = {{"kind", kind}, {"message", message}};
  if (!column.empty()) j["column"] = column;
  return j;
}

// The reason a column read by a rule looks leaky, if any: by its signal first, then by its name.
json column_reason(const Column& col, const std::vector<ColumnSignal>* sigs, double median, size_t known_leads) {
  if (sigs)
    for (const auto& s : *sigs) {
      if (s.name != col.name) continue;
      if (s.auc >= kLeakAuc && known_leads >= kMinKnownForLeak)
        return reason(
            "leak_column", col.name,
            "column '" + col.name + "' alone predicts the outcome almost perfectly (AUC " + three(s.auc) + ")");
      if (far_above_rest(s.auc, median) && known_leads >= kMinKnownForLeak)
        return reason("far_above", col.name,
                      "column '" + col.name + "' alone predicts the outcome far better (AUC " + three(s.auc) +
                          ") than the typical column (" + three(median) + ")");
    }
  std::string hint = post_outcome_hint(col);
  if (!hint.empty()) return reason("post_outcome", col.name, "column '" + col.name + "': " + hint);
  return nullptr;
}

}  // namespace

json rule_reasons(const Rule& rule, const Table& t, const RuleEvidence& ev, const std::vector<ColumnSignal>* sigs,
                  size_t known_leads) {
  json out = json::array();
  if (ev.classes && ev.known_fired >= kMinFiredForLeak) {
    double r1 = (double)ev.positives_fired / (double)ev.known_fired;
    if (r1 >= kLeakRuleRate && r1 >= ev.base + (1 - ev.base) / 2)
      out.push_back(reason("near_certain", "",
                           "converts " + percent(r1) + " of the time when it fires (" +
                               std::to_string(ev.positives_fired) + " of " + std::to_string(ev.known_fired) +
                               "; base rate " + percent(ev.base) +
                               "): a condition this certain is usually known "
                               "only after the outcome"));
  }
  const double median = sigs ? median_auc(*sigs) : 0.5;
  for (size_t c : columns_read(rule, t)) {
    json r = column_reason(t.columns[c], sigs, median, known_leads);
    if (!r.is_null()) out.push_back(r);
  }
  return out;
}

}  // namespace leadscore::leakage
