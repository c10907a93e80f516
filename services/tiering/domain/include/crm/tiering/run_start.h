// The first decision of an evaluation run: what a RunEvaluation request does with its
// run's stream. A run id names one run (fiscal year, region, model) for good: the same
// request again goes on with a run that did not complete, or is answered with the one that
// did; a request naming another run under a taken id is refused.
//
//   ASSIGN_OR_RETURN(RunStart start, DecideRunStart(state, head.version > 0, asked));
#pragma once

#include "absl/status/statusor.h"
#include "crm/tiering/internal/state.pb.h"
#include "crm/v1/tiering.pb.h"

namespace crm::tiering {

enum class RunStart {
  // No run has the id yet: the asked run starts.
  kNew,
  // The same run began and did not complete: it goes on.
  kResume,
  // The same run completed: its answer is the completed run.
  kCompleted,
};

// `asked`: the run the request names (id, fiscal year, region, model version). `state`:
// the run's stream, which `exists` when it has an event. ALREADY_EXISTS naming the run the
// id is taken by when it differs in fiscal year, region or model.
absl::StatusOr<RunStart> DecideRunStart(const internal::RunState& state, bool exists,
                                        const crm::v1::EvaluationRun& asked);

}  // namespace crm::tiering
