// crmctl's commands over the whole system rather than one RPC: `demo` loads a synthetic
// sales organisation, `report` shows what the method makes of it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "grpcpp/security/credentials.h"

namespace crm::crmctl {

struct WholeSystemOptions {
  std::function<std::string(const std::string&)> address_of;  // service → address
  std::string principal;
  std::string role;
  // TLS and the bearer token of every call.
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  uint64_t seed = 1;
  int customers = 2000;
  int parallel_calls = 8;
  int fiscal_year = 0;    // 0: the current year
  std::string html_path;  // report: also write the HTML page here
};

// Each returns the process's exit code: 0, or the failed call's gRPC status code.
int RunDemo(const WholeSystemOptions& options);
int RunReport(const WholeSystemOptions& options);

}  // namespace crm::crmctl
