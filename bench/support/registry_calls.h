// What the benchmarks that load the registry share: aborting on a failed set-up step, and
// registering a customer over gRPC.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/status/statusor.h"
#include "crm/v1/registry.grpc.pb.h"
#include "support/echo_service.h"

namespace crm::bench {

// The value, or the benchmark stops naming `what`.
template <class T>
T OrDie(absl::StatusOr<T> value, const char* what) {
  if (!value.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, value.status().ToString().c_str());
    std::abort();
  }
  return *std::move(value);
}

// A customer of the emea region under `name`.
inline crm::v1::CustomerSummary SummaryOf(const std::string& name) {
  crm::v1::CustomerSummary summary;
  summary.set_legal_name(name);
  summary.set_region("emea");
  summary.set_country_code("DE");
  summary.set_industry("telecom operator");
  summary.set_owner_id("u-bench");
  return summary;
}

// Registers a customer named `name`; returns its id.
inline std::string Register(crm::v1::RegistryService::Stub& registry, const std::string& request_id,
                            const std::string& name) {
  grpc::ClientContext context;
  crm::v1::RegisterCustomerRequest request;
  request.set_request_id(request_id);
  *request.mutable_summary() = SummaryOf(name);
  crm::v1::RegisterCustomerResponse response;
  Check(registry.RegisterCustomer(&context, request, &response), "RegisterCustomer");
  return response.customer_id();
}

}  // namespace crm::bench
