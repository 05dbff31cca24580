// The bad-input catalogue (tests/fixtures/bad-inputs/index.json), table-driven: each input must
// fail with the listed error code and location (or load with the listed problem), and the leads
// and rule set loaded before stay exactly as they were. The same list is read by the JS tests of
// the built module (tests/js/bad-inputs.test.mjs); large inputs are generated here, not committed.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <set>

#include "leadscore/events.h"
#include "leadscore/limits.h"
#include "leadscore/rules.h"
#include "leadscore/scorer.h"
#include "test_util.h"

namespace test_bad_inputs {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;
using nlohmann::json;

namespace {

std::string dir() { return test::source_path("tests/fixtures/bad-inputs/"); }

// The generators named in index.json ("generate": {"type": ...}).
std::string generate(const json& g) {
  const std::string type = g["type"];
  if (type == "big-cell") return "id,notes,n\n1," + std::string(g["bytes"].get<size_t>(), 'a') + ",2\n";
  if (type == "many-columns") {
    const size_t n = g["columns"];
    std::string h, r;
    for (size_t i = 1; i <= n; ++i) h += (i > 1 ? "," : "") + ("c" + std::to_string(i)), r += (i > 1 ? ",1" : "1");
    return h + "\n" + r + "\n";
  }
  if (type == "deep-json-cell") {
    const size_t d = g["depth"];
    return "[{\"a\": " + std::string(d, '[') + std::string(d, ']') + "}]";
  }
  if (type == "deep-logic") {
    const size_t d = g["depth"];
    std::string s = "{\"rules\":[{\"id\":\"deep\",\"points\":1,\"when\":";
    for (size_t i = 0; i < d; ++i) s += "{\"!\":";
    s += "true" + std::string(d, '}') + "}]}";
    return s;
  }
  if (type == "many-rules") {
    const size_t n = g["rules"];
    std::string s = "{\"rules\":[";
    for (size_t i = 0; i < n; ++i) s += (i ? "," : "") + ("{\"id\":\"r" + std::to_string(i) + "\",\"points\":1}");
    return s + "]}";
  }
  if (type == "big-rules") {  // a valid rule set padded with spaces to `bytes`
    const std::string rules = R"({"rules":[{"id":"a","points":1}]})";
    return rules + std::string(g["bytes"].get<size_t>() - rules.size(), ' ');
  }
  if (type == "zeros") return std::string(g["bytes"].get<size_t>(), '\0');  // /dev/zero, cut
  throw std::runtime_error("unknown generator " + type);
}

std::string input_of(const json& c) {
  if (c.contains("generate")) return generate(c["generate"]);
  return test::read_file(dir() + c["file"].get<std::string>());
}

LoadOptions options_of(const json& c, const RuleSet& base) {
  LoadOptions o = base.load_options();
  if (c.contains("options")) {
    const json& x = c["options"];
    if (x.contains("format")) o.format = x["format"];
    if (x.contains("maxBytes")) o.max_bytes = x["maxBytes"];
  }
  return o;
}

// Everything observable about the loaded state: the table, the rules, every score.
std::string state(const Scorer& s) {
  std::string out = to_json(s.rules()).dump() + "\n";
  const Table& t = s.table();
  for (size_t i = 0; i < t.rows; ++i) out += t.row_json(i).dump() + " " + std::to_string(s.results().total[i]) + "\n";
  for (size_t i = 0; i < t.rows; ++i) out += to_json(s.ledger(i)).dump() + "\n";
  return out;
}

// The value of `field` in `row` as text, the way rules and exports see it.
std::string value(const Table& t, size_t row, const std::string& field) {
  return test::column(t, field).value_text(row);
}

void expect_load_error(const json& c, const LoadError& e) {
  const json& x = c["expect"];
  const std::string id = c["id"];
  EXPECT_EQ(e.code, x["error"].get<std::string>()) << id << ": " << e.what();
  if (x.contains("line")) {
    EXPECT_EQ(e.line, x["line"].get<size_t>()) << id << ": " << e.what();
  }
  if (x.contains("column")) {
    EXPECT_EQ(e.column, x["column"].get<size_t>()) << id << ": " << e.what();
  }
  if (x.contains("field")) {
    EXPECT_EQ(e.field, x["field"].get<std::string>()) << id;
  }
  if (x.contains("message")) {
    EXPECT_NE(std::string(e.what()).find(x["message"].get<std::string>()), std::string::npos) << id << ": " << e.what();
  }
  EXPECT_TRUE(x.contains("line") || c.contains("where")) << id << ": every case says where";
}

void expect_loaded(const json& c, const Table& t) {
  const json& x = c["expect"];
  const std::string id = c["id"];
  ASSERT_FALSE(x.contains("error")) << id << ": expected error " << x["error"] << ", but it loaded";
  EXPECT_EQ(t.rows, x["rows"].get<size_t>()) << id;
  if (x.contains("problem")) {
    const json& p = x["problem"];
    bool found = false;
    std::string all;
    for (const auto& q : t.problems) {
      all += std::to_string(q.line) + ":" + std::to_string(q.column) + " [" + q.field + "] " + q.message + "\n";
      if (q.line != p["line"].get<size_t>()) continue;
      if (p.contains("column") && q.column != p["column"].get<size_t>()) continue;
      if (p.contains("field") && q.field != p["field"].get<std::string>()) continue;
      if (q.message.find(p["message"].get<std::string>()) == std::string::npos) continue;
      found = true;
    }
    EXPECT_TRUE(found) << id << ": no problem like " << p.dump() << " among:\n" << all;
  }
  if (x.contains("values")) {
    for (const auto& v : x["values"])
      EXPECT_EQ(value(t, v["row"], v["field"]), v["text"].get<std::string>()) << id << " " << v.dump();
  }
}

void expect_rules_error(const json& c, const RuleSetError& e) {
  const json& x = c["expect"];
  const std::string id = c["id"];
  const Diagnostic& d = e.first_error();
  EXPECT_EQ(d.code, x["error"].get<std::string>()) << id << ": " << d.to_string();
  if (x.contains("line")) {
    EXPECT_EQ(d.line, x["line"].get<size_t>()) << id << ": " << d.to_string();
  }
  if (x.contains("column")) {
    EXPECT_EQ(d.column, x["column"].get<size_t>()) << id << ": " << d.to_string();
  }
  if (x.contains("ruleId")) {
    EXPECT_EQ(d.rule_id, x["ruleId"].get<std::string>()) << id << ": " << d.to_string();
  }
  if (x.contains("field")) {
    EXPECT_EQ(d.field, x["field"].get<std::string>()) << id << ": " << d.to_string();
  }
  if (x.contains("path")) {
    EXPECT_EQ(d.path, x["path"].get<std::string>()) << id << ": " << d.to_string();
  }
  if (x.contains("message")) {
    EXPECT_NE(d.message.find(x["message"].get<std::string>()), std::string::npos) << id << ": " << d.message;
  }
  EXPECT_TRUE(x.contains("line") || x.contains("ruleId") || x.contains("path")) << id << ": every case says where";
}

// The events of a catalogue case, joined to `leads` as base.eventOptions says.
std::shared_ptr<const Events> load_events(const json& idx, const std::string& text,
                                          const std::shared_ptr<const Table>& leads) {
  EventOptions o;
  o.lead_key = idx["base"]["eventOptions"].value("leadKey", "");
  return std::make_shared<const Events>(leads, load_table(text, event_load_options(o)), o);
}

// Base leads scored by base.eventRules with base.events as of base.asOf: what an events case
// must leave as it was.
struct EventsBase {
  std::shared_ptr<Table> leads;
  Scorer scorer;
  explicit EventsBase(const json& idx)
      : leads(std::make_shared<Table>(load_table_file(dir() + idx["base"]["leads"].get<std::string>()))),
        scorer(leads) {
    scorer.set_as_of(idx["base"]["asOf"].get<std::string>());
    scorer.set_rules(parse_rule_set(test::read_file(dir() + idx["base"]["eventRules"].get<std::string>())));
    scorer.set_events(load_events(idx, test::read_file(dir() + idx["base"]["events"].get<std::string>()), leads));
  }
};

void run_events_case(const json& idx, const json& c, EventsBase& b) {
  const std::string id = c["id"];
  const std::string before = state(b.scorer);
  const size_t rows_before = b.scorer.events()->rows();
  try {
    auto ev = load_events(idx, input_of(c), b.leads);
    ASSERT_FALSE(c["expect"].contains("error")) << id << ": expected " << c["expect"]["error"] << ", but it loaded";
    // the load's and the join's notes (unknown or missing lead ids, undated events)
    Table t = ev->table();
    t.problems = ev->problems;
    expect_loaded(c, t);
  } catch (const LoadError& e) {
    ASSERT_TRUE(c["expect"].contains("error")) << id << ": unexpected error " << e.code << " " << e.what();
    expect_load_error(c, e);
  } catch (const EventsError& e) {
    ASSERT_EQ(c["expect"].value("error", ""), "events") << id << ": " << e.what();
    EXPECT_NE(std::string(e.what()).find(c["expect"]["message"].get<std::string>()), std::string::npos)
        << id << ": " << e.what();
    EXPECT_EQ(c.value("where", ""), "header") << id;
  }
  EXPECT_EQ(state(b.scorer), before) << id << ": the previous events or scores changed";
  EXPECT_EQ(b.scorer.events()->rows(), rows_before) << id;
}

}  // namespace

TEST(BadInputs, CatalogueHasWhatIssue8Asks) {
  const json idx = json::parse(test::read_file(dir() + "index.json"));
  EXPECT_GE(idx["cases"].size(), 30u);
  std::set<std::string> ids;
  for (const auto& c : idx["cases"]) EXPECT_TRUE(ids.insert(c["id"].get<std::string>()).second) << c["id"];
  for (const char* need : {"unterminated-quote", "ragged-short-row",
                           "duplicate-headers",  "empty-header",
                           "bom-crlf",           "cell-10mb",
                           "columns-100k",       "invalid-utf8",
                           "nul-byte",           "xlsx-renamed",
                           "html-renamed",       "empty-file",
                           "header-only",        "json-trailing-garbage",
                           "json-not-objects",   "logic-10000-deep",
                           "unknown-operator",   "wrong-arity",
                           "missing-field",      "gapped-tiers",
                           "overlapping-tiers",  "nan-points",
                           "infinite-points",    "duplicate-rule-ids",
                           "rules-10000",        "wasm-memory"})
    EXPECT_TRUE(ids.count(need)) << need;
}

TEST(BadInputs, EachFailsWhereItShouldAndLeavesThePreviousStateAlone) {
  const json idx = json::parse(test::read_file(dir() + "index.json"));
  const RuleSet base_rules = parse_rule_set(test::read_file(dir() + idx["base"]["rules"].get<std::string>()));
  auto base = std::make_shared<Table>(
      load_table_file(dir() + idx["base"]["leads"].get<std::string>(), base_rules.load_options()));
  Scorer scorer(base);
  scorer.set_rules(base_rules);
  const std::string before = state(scorer);
  EventsBase events_base(idx);
  size_t ran = 0;
  for (const auto& c : idx["cases"]) {
    if (c.contains("only") && c["only"] != "native") continue;
    const std::string id = c["id"];
    SCOPED_TRACE(id);
    const std::string input = input_of(c);
    if (c["kind"] == "events") {
      run_events_case(idx, c, events_base);
    } else if (c["kind"] == "leads") {
      const LoadOptions o = options_of(c, base_rules);
      // Whole text, and fed in 64 KB pieces as the page's worker does: the same outcome.
      for (int way = 0; way < 2; ++way) {
        try {
          Table t;
          if (way == 0) {
            t = load_table(input, o);
          } else {
            TableLoader l(o);
            for (size_t at = 0; at < input.size(); at += 65536)
              l.feed(input.data() + at, std::min<size_t>(65536, input.size() - at));
            t = l.finish();
          }
          expect_loaded(c, t);
        } catch (const LoadError& e) {
          ASSERT_TRUE(c["expect"].contains("error"))
              << id << ": unexpected error " << e.code << " " << e.line << ":" << e.column << " " << e.what();
          expect_load_error(c, e);
        }
      }
    } else if (c.contains("leads")) {  // scored against its own leads, which the base rules score first
      Scorer own(
          std::make_shared<Table>(load_table_file(dir() + c["leads"].get<std::string>(), base_rules.load_options())));
      own.set_rules(base_rules);
      const std::string own_before = state(own);
      try {
        own.set_rules(input);
        ADD_FAILURE() << id << ": the rule set was accepted";
      } catch (const RuleSetError& e) {
        expect_rules_error(c, e);
      }
      EXPECT_EQ(state(own), own_before) << id << ": the previous rules or scores changed";
    } else {
      try {
        scorer.set_rules(input);
        ADD_FAILURE() << id << ": the rule set was accepted";
      } catch (const RuleSetError& e) {
        expect_rules_error(c, e);
      }
    }
    EXPECT_EQ(state(scorer), before) << id << ": the previous leads or rules changed";
    ++ran;
  }
  EXPECT_GE(ran, 30u);
}

// Limits sit exactly where docs/limits.md says.
TEST(BadInputs, LimitsAreExact) {
  LoadOptions o;
  // a cell of exactly 1 MiB loads; one byte more does not
  EXPECT_EQ(load_table("a,b\n1," + std::string(kMaxCellBytes, 'x') + "\n", o).rows, 1u);
  EXPECT_THROW(load_table("a,b\n1," + std::string(kMaxCellBytes + 1, 'x') + "\n", o), LoadError);
  // a header cell of exactly 1 MiB loads; one byte more does not, whole or fed in pieces
  const std::string head = std::string(kMaxCellBytes, 'h');
  EXPECT_EQ(load_table("a," + head + "\n1,2\n", o).columns.size(), 2u);
  for (int way = 0; way < 2; ++way) {
    const std::string text = "a," + head + "h\n1,2\n";
    try {
      if (way == 0) {
        load_table(text, o);
      } else {
        TableLoader l(o);
        for (size_t at = 0; at < text.size(); at += 65536)
          l.feed(text.data() + at, std::min<size_t>(65536, text.size() - at));
        l.finish();
      }
      ADD_FAILURE() << "a header cell over the limit loaded";
    } catch (const LoadError& e) {
      EXPECT_EQ(e.code, "limit") << e.what();
      EXPECT_EQ(e.line, 1u);
      EXPECT_EQ(e.column, 2u);
    }
  }
  // a line without end is refused while it is read: at most the limit (x2 + 2 for a quoted
  // field) is held, not the whole stream
  for (const char* start : {"a,", "a,\""}) {
    TableLoader l(o);
    l.feed(start, std::strlen(start));
    const std::string piece(65536, 'x');
    size_t fed = 0;
    try {
      for (; fed < 64 * kMaxCellBytes; fed += piece.size()) l.feed(piece.data(), piece.size());
      ADD_FAILURE() << start << ": 64 MiB of one cell were read";
    } catch (const LoadError& e) {
      EXPECT_EQ(e.code, "limit") << e.what();
      EXPECT_EQ(e.line, 1u);
      EXPECT_EQ(e.column, 2u);
      EXPECT_LE(fed, 2 * kMaxCellBytes + 2) << start;
    }
  }
  // 16,384 columns load; 16,385 do not
  std::string h;
  for (size_t i = 0; i < kMaxColumns; ++i) h += (i ? ",c" : "c") + std::to_string(i);
  EXPECT_EQ(load_table(h + "\n").columns.size(), kMaxColumns);
  EXPECT_THROW(load_table(h + ",extra\n"), LoadError);
  // a condition 512 levels deep is accepted, 513 is not
  auto deep = [](size_t d) {  // a rule whose condition is d objects {"!": ...} around true
    std::string s = R"({"rules":[{"id":"d","points":1,"when":)";
    for (size_t i = 0; i < d; ++i) s += R"({"!":)";
    return s + "true" + std::string(d, '}') + "}]}";
  };
  EXPECT_NO_THROW(parse_rule_set(deep(kMaxConditionDepth)));
  EXPECT_THROW(parse_rule_set(deep(kMaxConditionDepth + 1)), RuleSetError);
  // the byte limit counts every byte fed
  o.max_bytes = 10;
  EXPECT_EQ(load_table("a\n12345678", o).rows, 1u);
  EXPECT_THROW(load_table("a\n123456789", o), LoadError);
}

}  // namespace test_bad_inputs
