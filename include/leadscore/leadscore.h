// leadscore: the whole public C++ API, for a program that links leadscore_core.
//
//   auto leads = std::make_shared<leadscore::Table>(leadscore::load_table_file("leads.csv"));
//   leadscore::Scorer scorer(leads);
//   scorer.set_rules(rules_json_text);          // throws RuleSetError with where and what
//   double first = scorer.results().total[0];
//   leadscore::Ledger why = scorer.ledger(0);   // every rule that fired, caps, tier
//
// The data path, one header per stage: table.h (text -> typed columns; limits.h) -> jsonlogic.h
// -> rules.h (+ event_rules.h; diagnostics.h) -> scorer.h (+ events.h) -> outcomes.h, metrics.h,
// compare.h, export.h. json_api.h is the JSON face shared by the bindings and the CLI.
#pragma once

#include "leadscore/compare.h"
#include "leadscore/diagnostics.h"
#include "leadscore/event_rules.h"
#include "leadscore/events.h"
#include "leadscore/export.h"
#include "leadscore/json_api.h"
#include "leadscore/jsonlogic.h"
#include "leadscore/limits.h"
#include "leadscore/metrics.h"
#include "leadscore/outcomes.h"
#include "leadscore/rules.h"
#include "leadscore/scorer.h"
#include "leadscore/sql.h"
#include "leadscore/table.h"
