// The subcommands, each `int cmd_NAME(const Args&)` returning the exit status (usage errors and
// failures are thrown: cli::Usage -> 2, anything else -> 1).
#pragma once

#include "options.h"

namespace leadscore::cli {

int cmd_score(const Args& a);     // cmd_score.cpp
int cmd_explain(const Args& a);   // cmd_score.cpp
int cmd_check(const Args& a);     // cmd_check.cpp
int cmd_apply(const Args& a);     // cmd_check.cpp
int cmd_evaluate(const Args& a);  // cmd_analysis.cpp
int cmd_compare(const Args& a);   // cmd_analysis.cpp
int cmd_learn(const Args& a);     // cmd_learn.cpp
int cmd_channels(const Args& a);  // cmd_learn.cpp
int cmd_sql(const Args& a);       // cmd_sql.cpp

}  // namespace leadscore::cli
