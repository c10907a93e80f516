// One unary call over a generated stub as a given caller (the metadata the authenticating
// edge sets, see crm/runtime/caller.h), returning the status and the response together.
//
//   auto [status, reply] = CallAs(*stub, &Stub::GetCustomer, request, "assistant", "u-amy");
//   auto [status, reply] = CallAs(*stub, &Stub::GetCustomer, request, "assistant", "u-amy",
//                                 "emea,apac");
#pragma once

#include <string>
#include <utility>

#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace crm::testing {

template <class Stub, class Request, class Response>
std::pair<grpc::Status, Response> CallAs(
    Stub& stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
    const Request& request, const std::string& role, const std::string& principal,
    const std::string& regions = "") {
  grpc::ClientContext context;
  context.AddMetadata("x-crm-principal", principal);
  context.AddMetadata("x-crm-role", role);
  // Absent: all regions.
  if (!regions.empty()) context.AddMetadata("x-crm-regions", regions);
  Response response;
  grpc::Status status = (stub.*method)(&context, request, &response);
  return {status, response};
}

}  // namespace crm::testing
