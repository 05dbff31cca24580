// Events at scale (native): N leads with M activity events (default 1,000,000 and 20,000,000).
// Measures loading the events (CSV text -> columns), joining + grouping them by lead (once),
// the first score, a re-score after one rule edit, and a re-score after an as-of change,
// each edit repeated and reported as the median. Built and run by bench/events.sh; results in
// bench/EVENTS.md.
//
//   usage: events_bench [LEADS] [EVENTS] [REPEATS]
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "leadscore/events.h"
#include "leadscore/rules.h"
#include "leadscore/scorer.h"
#include "leadscore/table.h"

using namespace leadscore;
using clk = std::chrono::steady_clock;

// Wall time and this process's CPU time (the machine is shared: CPU time is the steadier number).
static double cpu_ms() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
static double g_cpu0 = 0, g_last_cpu = 0;
static double ms_since(clk::time_point t) {
  g_last_cpu = cpu_ms() - g_cpu0;
  return std::chrono::duration<double, std::milli>(clk::now() - t).count();
}
static clk::time_point start() {
  g_cpu0 = cpu_ms();
  return clk::now();
}
static double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}
static long peak_rss_mb() {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

int main(int argc, char** argv) {
  const size_t L = argc > 1 ? std::stoul(argv[1]) : 1000000;
  const size_t E = argc > 2 ? std::stoul(argv[2]) : 20000000;
  const int repeats = argc > 3 ? std::stoi(argv[3]) : 5;
  std::mt19937_64 rng(42);
  const long asof = *parse_day("2024-06-30");

  // Leads: id, title, company size, last activity date.
  std::string leads_csv = "id,title,company_size,last_activity\n";
  const char* titles[] = {"CEO", "CTO", "VP Sales", "Engineer", "Analyst", "Student"};
  for (size_t i = 0; i < L; ++i)
    leads_csv += std::to_string(i + 1) + "," + titles[rng() % 6] + "," + std::to_string(rng() % 5000) + "," +
                 day_text(asof - (long)(rng() % 400)) + "\n";
  // Events in time order (as exported), leads interleaved; 0.5% with ids no lead has.
  std::string ev_csv;
  ev_csv.reserve(E * 52 + 64);
  ev_csv += "lead_id,type,timestamp,campaign,url\n";
  const char* types[] = {"page_view",   "page_view",   "page_view", "email_open",
                         "email_click", "form_submit", "webinar",   "download"};
  const char* urls[] = {"/", "/pricing", "/blog/a", "/blog/b", "/docs", "/pricing/enterprise", "/careers", "/contact"};
  const long first = asof - 364;
  char buf[64];
  for (size_t k = 0; k < E; ++k) {
    long day = first + (long)(k * 365 / E);
    unsigned secs = (unsigned)(rng() % 86400);
    size_t lead = rng() % 200 == 0 ? L + 1 + rng() % 1000 : 1 + rng() % L;
    std::snprintf(buf, sizeof buf, "T%02u:%02u:%02uZ", secs / 3600, secs / 60 % 60, secs % 60);
    ev_csv += std::to_string(lead);
    ev_csv += ',';
    ev_csv += types[rng() % 8];
    ev_csv += ',';
    ev_csv += day_text(day);
    ev_csv += buf;
    ev_csv += ",c";
    ev_csv += std::to_string(rng() % 40);
    ev_csv += ',';
    ev_csv += urls[rng() % 8];
    ev_csv += '\n';
  }
  std::printf("generated: %zu leads (%.1f MB CSV), %zu events (%.1f MB CSV)\n", L, leads_csv.size() / 1e6, E,
              ev_csv.size() / 1e6);

  const char* rules_text = R"({
    "fields": {
      "days_inactive": { "daysSince": "last_activity" },
      "days_since_visit": { "daysSince": { "type": "page_view" }, "default": 9999 },
      "visits_30d": { "eventCount": { "type": "page_view", "within": 30 } }
    },
    "groups": [{ "id": "fit", "max": 50 }, { "id": "engagement", "min": -30, "max": 60, "decay": { "halfLife": 30 } }],
    "rules": [
      { "id": "dm", "group": "fit", "points": 20, "when": { "in": [{ "var": "title" }, ["CEO", "CTO", "VP Sales"]] } },
      { "id": "size", "group": "fit", "points": 0.004, "per": "company_size", "max": 20 },
      { "id": "pricing", "group": "engagement", "points": 10, "events": { "type": "page_view", "where": { "in": ["/pricing", { "var": "url" }] }, "within": 30, "count": { ">=": 2 } } },
      { "id": "views", "group": "engagement", "points": 1, "events": { "type": "page_view", "repeat": "daily", "within": 90 } },
      { "id": "opens", "group": "engagement", "points": 2, "events": { "type": "email_open", "repeat": "weekly", "dedupe": "campaign" } },
      { "id": "forms", "group": "engagement", "events": { "type": "form_submit", "bands": [{ "min": 1, "points": 10 }, { "min": 3, "points": 20 }], "decay": { "linear": { "rate": 0.25, "period": 14 } } } },
      { "id": "webinar", "group": "engagement", "points": 8, "events": { "type": "webinar", "decay": { "expire": 120 } } },
      { "id": "idle", "group": "engagement", "points": -15, "when": { ">=": [{ "var": "days_since_visit" }, 30] } },
      { "id": "stale", "group": "engagement", "points": -0.5, "per": "days_inactive", "min": -20, "max": 0 },
      { "id": "busy", "group": "engagement", "points": 1, "per": "visits_30d", "max": 10 }
    ],
    "tiers": [{ "name": "Hot", "min": 60 }, { "name": "Warm", "min": 30 }, { "name": "Cold" }]
  })";
  RuleSet rs = parse_rule_set(std::string(rules_text));

  auto t = start();
  auto leads = std::make_shared<Table>(load_table(leads_csv, rs.load_options()));
  const double load_leads_ms = ms_since(t), load_leads_cpu = g_last_cpu;
  std::string().swap(leads_csv);

  t = start();
  Table raw = load_table(ev_csv, event_load_options({}));
  const double load_events_ms = ms_since(t), load_events_cpu = g_last_cpu;
  std::string().swap(ev_csv);
  t = start();
  auto events = std::make_shared<Events>(leads, std::move(raw), EventOptions{});
  const double join_ms = ms_since(t), join_cpu = g_last_cpu;
  std::printf("events: %zu rows, %zu matched, %zu unknown lead ids, %zu leads with events, %zu undated\n",
              events->rows(), events->matched, events->unknown_leads, events->leads_with_events, events->undated);

  Scorer s(leads);
  s.set_events(events);
  s.set_as_of(asof);
  t = start();
  s.set_rules(rs);
  const double first_ms = ms_since(t), first_cpu = g_last_cpu;
  const size_t first_evals = s.last_evaluations();

  // One rule edit: the points of an event rule, alternating, so every edit is a real change.
  std::vector<double> edit, edit_cond, asof_change, edit_c, edit_cond_c, asof_c;
  size_t edit_evals = 0, asof_evals = 0;
  for (int k = 0; k < repeats; ++k) {
    auto j = to_json(s.rules().rules[s.rules().rule_index("views")]);
    j["points"] = k % 2 ? 1 : 2;
    t = start();
    s.replace_rule("views", j);
    edit.push_back(ms_since(t));
    edit_c.push_back(g_last_cpu);
    edit_evals = s.last_evaluations();
  }
  for (int k = 0; k < repeats; ++k) {
    auto j = to_json(s.rules().rules[s.rules().rule_index("pricing")]);
    j["events"]["within"] = k % 2 ? 30 : 14;
    t = start();
    s.replace_rule("pricing", j);
    edit_cond.push_back(ms_since(t));
    edit_cond_c.push_back(g_last_cpu);
  }
  for (int k = 0; k < repeats; ++k) {
    t = start();
    s.set_as_of(asof + 1 + k);
    asof_change.push_back(ms_since(t));
    asof_c.push_back(g_last_cpu);
    asof_evals = s.last_evaluations();
  }
  double sum = 0;
  for (double v : s.results().total) sum += v;

  std::printf("\n| step | wall ms | CPU ms |\n|---|---|---|\n");
  std::printf("| load leads (%zu rows, CSV) | %.0f | %.0f |\n", L, load_leads_ms, load_leads_cpu);
  std::printf("| load events (%zu rows, CSV -> columns) | %.0f | %.0f |\n", E, load_events_ms, load_events_cpu);
  std::printf("| join + group by lead (once per load) | %.0f | %.0f |\n", join_ms, join_cpu);
  std::printf("| first score (10 rules: 5 event rules, 3 computed fields; %zu evaluations) | %.0f | %.0f |\n",
              first_evals, first_ms, first_cpu);
  std::printf("| re-score after editing one event rule's points (median of %d; %zu evaluation) | %.1f | %.1f |\n",
              repeats, edit_evals, median(edit), median(edit_c));
  std::printf("| re-score after editing one event rule's window (median of %d) | %.1f | %.1f |\n", repeats,
              median(edit_cond), median(edit_cond_c));
  std::printf("| re-score after an as-of change (median of %d; %zu evaluations) | %.1f | %.1f |\n", repeats, asof_evals,
              median(asof_change), median(asof_c));
  std::printf("\nratios (CPU): load+join / rule edit = %.0fx; load+join / as-of change = %.1fx\n",
              (load_events_cpu + join_cpu) / median(edit_c), (load_events_cpu + join_cpu) / median(asof_c));
  std::printf("peak RSS %ld MB; checksum of totals %.3f\n", peak_rss_mb(), sum);
  return 0;
}
