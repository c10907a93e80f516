// The first decision of an evaluation run, without any I/O: a new id starts the run, the
// same request goes on with or is answered by the run it began, another run under a taken
// id is refused naming the run that holds it.
#include "crm/tiering/run_start.h"

#include "gtest/gtest.h"

namespace crm::tiering {
namespace {

crm::v1::EvaluationRun RunOf(int fiscal_year, const std::string& region,
                             const std::string& model_version) {
  crm::v1::EvaluationRun run;
  run.set_run_id("fy2026-emea");
  run.set_fiscal_year(fiscal_year);
  run.set_region(region);
  run.set_model_version(model_version);
  return run;
}

TEST(RunStart, ANewIdStartsTheSameRunGoesOnOrIsAnswered) {
  internal::RunState state;
  EXPECT_EQ(DecideRunStart(state, /*exists=*/false, RunOf(2026, "emea", "default-1")).value(),
            RunStart::kNew);
  *state.mutable_run() = RunOf(2026, "emea", "default-1");
  EXPECT_EQ(DecideRunStart(state, true, RunOf(2026, "emea", "default-1")).value(),
            RunStart::kResume);
  state.set_completed(true);
  EXPECT_EQ(DecideRunStart(state, true, RunOf(2026, "emea", "default-1")).value(),
            RunStart::kCompleted);
}

TEST(RunStart, AnotherRunUnderATakenIdIsRefused) {
  internal::RunState state;
  *state.mutable_run() = RunOf(2026, "emea", "default-1");
  for (const crm::v1::EvaluationRun& other :
       {RunOf(2027, "emea", "default-1"), RunOf(2026, "apac", "default-1"),
        RunOf(2026, "emea", "small-2")}) {
    auto refused = DecideRunStart(state, true, other);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kAlreadyExists);
    EXPECT_EQ(refused.status().message(),
              "run_id fy2026-emea names a run of fiscal year 2026, region \"emea\", model "
              "default-1");
  }
}

}  // namespace
}  // namespace crm::tiering
