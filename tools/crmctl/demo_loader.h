// Loads a DemoOrganisation into a running system through the public APIs, as its users
// would have entered it: the registry's archives and decision chains, engagement's
// touchpoints and assessments, satisfaction's surveys, answers and issues, tiering's
// inputs and two evaluations with the customers lost in between.
//
// Every request id is derived from the seed and what the request does, so loading the
// same seed again (after an interruption, say) repeats nothing: the services answer the
// retried requests as they did the first time.
#pragma once

#include "absl/status/statusor.h"
#include "crm/v1/tiering.pb.h"
#include "demo_organisation.h"
#include "service_clients.h"

namespace crm::crmctl {

struct DemoLoadResult {
  int64_t customers = 0;
  int64_t persons = 0;
  int64_t touchpoints = 0;
  int64_t assessments = 0;
  int64_t answers = 0;
  int64_t issues = 0;
  crm::v1::EvaluationRun first_run;
  crm::v1::EvaluationRun second_run;
};

// Loads with `parallel_calls` calls in flight, drawing a progress bar per step; stops at
// the first call that fails and returns its status.
absl::StatusOr<DemoLoadResult> LoadDemoOrganisation(const DemoOrganisation& organisation,
                                                    const ServiceClients& clients,
                                                    int parallel_calls);

}  // namespace crm::crmctl
