// The official JsonLogic test suite (jsonlogic.com/tests.json, shared copy): every case must
// give the expected value. json-logic-engine 5.0.7 passes all 277 as well (checked under
// Node), so there is no conflict between the suite and the engine we mirror.
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "leadscore/jsonlogic.h"
#include "test_util.h"

namespace test_jsonlogic_official {  // own namespace: the unity build compiles several test files as one

namespace jl = leadscore::jsonlogic;
using json = nlohmann::json;

namespace {

bool same(const json& a, const json& b) { return leadscore::test::json_same(a, b); }

json load_suite() {
  return json::parse(leadscore::test::read_file(leadscore::test::data_path("jsonlogic/tests.json")));
}

}  // namespace

TEST(JsonLogicOfficial, AllCasesPass) {
  const json suite = load_suite();
  ASSERT_TRUE(suite.is_array());
  size_t cases = 0, passed = 0;
  std::string section = "(none)";
  for (const auto& c : suite) {
    if (c.is_string()) {
      section = c.get<std::string>();
      continue;
    }
    ASSERT_TRUE(c.is_array() && c.size() == 3) << c.dump();
    ++cases;
    const json& logic = c[0];
    const json& data = c[1];
    const json& expected = c[2];
    json got;
    try {
      got = jl::apply(logic, data);
    } catch (const std::exception& e) {
      ADD_FAILURE() << section << ": " << logic.dump() << " on " << data.dump() << " threw " << e.what();
      continue;
    }
    if (same(got, expected)) {
      ++passed;
    } else {
      ADD_FAILURE() << section << ": " << logic.dump() << " on " << data.dump() << " gave " << got.dump()
                    << ", expected " << expected.dump();
    }
  }
  // A silently shrinking (or truncated) suite must fail, not pass vacuously.
  EXPECT_EQ(cases, 277u);
  EXPECT_EQ(passed, cases);
}

TEST(JsonLogicOfficial, CompiledProgramAgreesWithApply) {
  // Program (compile once, run many) must give the same answers as apply().
  const json suite = load_suite();
  size_t cases = 0;
  for (const auto& c : suite) {
    if (c.is_string()) continue;
    ++cases;
    jl::Program p(c[0]);
    EXPECT_TRUE(same(p.run(c[1]), jl::apply(c[0], c[1]))) << c.dump();
    EXPECT_EQ(p.test(c[1]), jl::truthy(c[2])) << c.dump();
  }
  EXPECT_EQ(cases, 277u);
}

TEST(JsonLogicOfficial, EveryRuleValidates) {
  const json suite = load_suite();
  for (const auto& c : suite) {
    if (c.is_string()) continue;
    EXPECT_NO_THROW(jl::validate(c[0])) << c[0].dump();
  }
}

}  // namespace test_jsonlogic_official
