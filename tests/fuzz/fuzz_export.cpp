// libFuzzer entry point: the check lives in checks.h (shared with the regression tests).
#include <cstdio>
#include <cstdlib>

#include "checks_analysis.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    leadscore::fuzz::check_export(data, size);
  } catch (const leadscore::fuzz::FuzzFailure& e) {
    std::fprintf(stderr, "FUZZ FAILURE: %s\n", e.what());
    std::abort();
  }
  return 0;  // any other exception escapes and libFuzzer reports it as a crash
}
