// Learning a scorecard from known outcomes (docs/learn.md): candidate features from the leads'
// columns (and the current rules' conditions), their weight of evidence and information value,
// a model (L2 logistic regression solved by Newton's method, or naive Bayes as Odoo does) fitted
// on a seeded train split with k-fold cross-validation over C, and the result as points on a
// scorecard scale (points to double the odds, or 0-100), rounded to integers and written as an
// ordinary rule set that scores exactly as the model's points say.
//
// Deterministic: the same table, outcomes and options give the same result on every platform
// (a seeded splitmix64 drives the split and the folds; no std:: distributions).
//
// Errors are MetricsError (outcomes.h): "too_little_data" (with the numbers needed and found),
// "mismatch" (outcomes of other leads), "unknown_field", "range" (an option out of range),
// "no_features", "cancelled".
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "leadscore/outcomes.h"
#include "leadscore/scorer.h"
#include "leadscore/table.h"

namespace leadscore {

// Salesforce Einstein asks for 1,000 leads with 120 conversions; the same defaults here.
constexpr size_t kLearnMinLeads = 1000, kLearnMinPositives = 120;
// Leakage: a feature whose binned values alone rank the outcomes with an AUC this high, or whose
// information value is this high, separates them "almost perfectly" (IV > 0.5 is the usual
// "too good to be true" line of credit scorecards).
constexpr double kLearnLeakAuc = 0.95, kLearnLeakIv = 1.0, kLearnSuspiciousIv = 0.5;

struct LearnOptions {
  std::string model = "logistic";  // "logistic" or "naive_bayes"
  double test_share = 0.25;        // held-out share of the leads with a known outcome (stratified)
  uint64_t seed = 42;
  size_t folds = 5;  // k-fold cross-validation over `c_grid` on the train split
  std::vector<double> c_grid = {0.001, 0.01, 0.1, 1, 10, 100};
  std::optional<double> c;           // a fixed C (no cross-validation)
  double alpha = 1;                  // naive Bayes: Laplace smoothing
  size_t bins = 5;                   // quantile bins of a numeric column
  bool monotone = false;             // merge adjacent bins until the event rate is monotone
  double min_level_share = 0.01;     // a text value needs this share of the train leads ...
  size_t min_level_count = 20;       // ... and this many of them to be its own level (else "other")
  size_t max_levels = 20;            // most frequent values kept per text column
  std::vector<std::string> columns;  // candidate columns (empty = every column but the outcome's)
  std::vector<std::string> exclude;  // columns never used
  std::vector<std::string> keep;     // columns used even when flagged as leakage
  bool use_rules = true;             // the current rules' conditions as features (with a scorer)
  bool use_columns = true;
  std::string scale = "pdo";  // "pdo" (base_score at base_odds, pdo points per doubling) or "0-100"
  double base_score = 600, base_odds = 1.0 / 19, pdo = 50;  // odds of converting: 1:19
  size_t min_leads = kLearnMinLeads, min_positives = kLearnMinPositives;
  // Called between stages with the share done (0..1) and the stage; returning false cancels
  // (MetricsError "cancelled").
  std::function<bool(double done, const std::string& stage)> progress;

  // {"model", "testShare", "seed", "folds", "c", "cGrid", "bins", "monotone", "minLevelShare",
  //  "minLevelCount", "maxLevels", "columns", "exclude", "keep", "useRules", "useColumns", "scale",
  //  "baseScore", "baseOdds", "pdo", "minLeads", "minPositives", "alpha"}; unknown keys are an error.
  static LearnOptions parse(const nlohmann::json& j);
};

// One value range of a feature: a design column of the model and a rule of the scorecard.
struct LearnLevel {
  std::string label;                // "management", "[30, 40)", "missing", "other", "fires"
  nlohmann::json when;              // the JsonLogic condition of the level
  size_t count = 0, positives = 0;  // train leads in the level, and conversions among them
  double woe = 0;                   // ln(share of conversions / share of non-conversions), +0.5 smoothed
  double weight = 0;                // the model's log-odds contribution (relative to the feature's baseline)
  double points = 0;                // scaled points
  long rounded = 0;                 // integer points of the rounded scorecard
  int design = -1;                  // design column, -1 for a feature left out
};

struct LearnFeature {
  std::string name;    // column name or rule id
  std::string source;  // "column" or "rule"
  std::string kind;    // "text", "number", "boolean", "rule"
  std::vector<LearnLevel> levels;
  bool has_baseline = false;  // rows can be in no level (rules not firing): they get 0 points
  double iv = 0, auc = 0.5;   // information value; AUC of the feature's WoE alone (train)
  bool used = true;
  std::string flag;    // "", "leakage", "suspicious", "excluded", "constant"
  std::string reason;  // why it is flagged or left out
};

struct LearnCvRow {
  double c = 0, log_loss = 0, auc = 0;
};

struct LearnResult {
  LearnOptions options;
  std::string outcome;  // the outcome column (or the id join)
  size_t known = 0, positives = 0, train = 0, test = 0, train_positives = 0, test_positives = 0;
  std::vector<LearnFeature> features;
  size_t design_columns = 0;
  double intercept = 0;           // log-odds of a lead in every feature's baseline
  std::optional<double> c;        // logistic: the C used
  std::vector<LearnCvRow> cv;     // logistic with cross-validation
  size_t iterations = 0;          // Newton iterations of the final fit
  double factor = 0, offset = 0;  // points = offset + factor x log-odds
  double base_points = 0;         // points every lead gets
  long rounded_base = 0;
  double min_score = 0, max_score = 0;  // unrounded range
  long rounded_min = 0, rounded_max = 0;
  std::optional<double> auc_model, auc_points, auc_rounded, auc_train;  // held out (train: the model)
  std::vector<int8_t> split;                                            // per lead: 0 train, 1 test, -1 unknown outcome
  std::vector<int8_t> y;                                                // per lead: 1 converted, 0 not, -1 unknown
  std::vector<int32_t> active;                    // rows x features: the row's level in each feature, -1 none
  std::vector<double> probability;                // per lead, from the model
  std::vector<double> average_points;             // per feature: mean exact points over the train leads
  std::vector<std::string> notes;                 // what was decided and why (columns skipped, ...)
  std::vector<std::string> rule_conditions_from;  // rule ids used as features
  std::string current_rules_name;
  std::vector<std::pair<std::string, double>> tier_shares;  // tiers of the learned set: name, min points
  nlohmann::json current;  // of the current rule set: {tiers, fields, derived, missing}
};

// Learns from `leads` and `o` (outcomes of these leads). With `current`, its enabled rules'
// conditions are candidate features too and the learned tiers take its tier names and lead shares.
LearnResult learn(const Table& leads, const Outcomes& o, const Scorer* current, const LearnOptions& opt = {});

// learn() in steps, for callers that must stay responsive between them (the browser worker
// checks for a cancel): the constructor checks the data and builds the features (reading the
// scorer); each step() then runs one stage (a cross-validation fold, the final fit, the
// scorecard). The table, outcomes and scorer are not used after the constructor.
class Learner {
 public:
  Learner(const Table& leads, const Outcomes& o, const Scorer* current, const LearnOptions& opt);
  ~Learner();
  Learner(const Learner&) = delete;
  Learner& operator=(const Learner&) = delete;
  bool step();                // true while stages remain
  double done() const;        // 0..1
  std::string stage() const;  // the next stage: "cross-validation", "fit", "scorecard", "done"
  LearnResult take();         // once done

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The report: features (levels with counts, WoE, weights, points), flags, CV, AUCs, scale.
nlohmann::json to_json(const LearnResult& r);
// The learned scorecard as a rule set document (docs/rules.md): a base rule and a rule per level.
// `rounded` = integer points (the proposal); false = the exact points (for checking).
nlohmann::json learned_rule_set(const LearnResult& r, bool rounded = true);
// One lead: probability, points and the `top` largest contributions (points against the
// feature's average over the train leads).
nlohmann::json learned_lead(const LearnResult& r, size_t lead, size_t top = 3);
// A lead's probability and top factors under a learned rule set, from its ledger and the rule
// set's "x-learned" note (learned_rule_set): probability = logistic((total - offset) / factor),
// the probability its points stand for; a factor is a feature's points for the lead minus the
// feature's average over the train leads, the `top` largest in size first. Null when the note is
// not one learned_rule_set wrote (a hand-made rule set has no probability).
nlohmann::json learned_explanation(const nlohmann::json& note, const Ledger& ledger, size_t top = 3);
// The model's design as CSV (split,y,then one 0/1 column per design column) with a JSON header
// line describing the columns: what tests/metrics/sklearn_learn_check.py reads.
std::string design_csv(const LearnResult& r);
nlohmann::json design_columns_json(const LearnResult& r);

// Fitting, exposed for the differential tests. x: rows x active design column per feature (-1
// none), `features` per row; y 0/1. Minimises C * sum(log loss) + |w|^2 / 2 (no penalty on the
// intercept), as scikit-learn's LogisticRegression(C=C).
struct LogisticFit {
  double intercept = 0;
  std::vector<double> w;
  size_t iterations = 0;
  bool converged = false;
  size_t curvatures = 0, products = 0;  // X^T W X built; Hessian-vector products
};
// The last curvature X^T W X built, to precondition the next fit (another C, another fold) with.
struct LogisticCurvature {
  std::vector<double> xwx;
  size_t rows = 0;  // summed over this many rows (a fit on other rows rescales it)
};
// Stops when the largest Newton step is below `tol` (cross-validation, which only ranks C values,
// uses 1e-4; the final fit 1e-10). Newton steps are solved by conjugate gradients preconditioned
// with the curvature in `reuse` (or the fit's own first one); a new curvature is built only when
// that solve needs more than a few Hessian-vector products.
LogisticFit fit_logistic(const std::vector<int32_t>& active, size_t features, const std::vector<size_t>& rows,
                         const std::vector<int8_t>& y, size_t columns, double c, const LogisticFit* start = nullptr,
                         double tol = 1e-10, LogisticCurvature* reuse = nullptr);
// Channel quality: by the values of `column` (the most frequent `max_values`, then "other" and
// "missing"), the leads, their score distribution (mean, quartiles, a histogram on shared edges,
// tier counts) and, with outcomes, conversions, conversion rate and lift over all leads.
nlohmann::json channel_quality(const Scorer& s, const Outcomes* o, const std::string& column, size_t max_values = 20,
                               size_t bins = 10);

}  // namespace leadscore
