#include "crm/tiering/run_start.h"

#include "absl/strings/str_cat.h"

namespace crm::tiering {

absl::StatusOr<RunStart> DecideRunStart(const internal::RunState& state, bool exists,
                                        const crm::v1::EvaluationRun& asked) {
  if (!exists) return RunStart::kNew;
  const crm::v1::EvaluationRun& earlier = state.run();
  if (earlier.fiscal_year() != asked.fiscal_year() || earlier.region() != asked.region() ||
      earlier.model_version() != asked.model_version()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "run_id ", asked.run_id(), " names a run of fiscal year ", earlier.fiscal_year(),
        ", region \"", earlier.region(), "\", model ", earlier.model_version()));
  }
  return state.completed() ? RunStart::kCompleted : RunStart::kResume;
}

}  // namespace crm::tiering
