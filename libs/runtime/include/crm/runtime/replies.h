// Turning what a handler computed into its gRPC answer: a stored command response (kept
// with the request id, so a retry gets the same bytes) or a query's result.
#pragma once

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "crm/runtime/grpc_status.h"
#include "grpcpp/support/status.h"

namespace crm::runtime {

// The response stored with the command, parsed into `response`.
template <class Response>
grpc::Status Reply(const absl::StatusOr<std::string>& stored, Response* response) {
  if (!stored.ok()) return ToGrpcStatus(stored.status());
  if (!response->ParseFromString(*stored)) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "stored response does not parse");
  }
  return grpc::Status::OK;
}

// A query's result moved into `response`.
template <class Response>
grpc::Status Answer(absl::StatusOr<Response> result, Response* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

// The serialized response that carries only the aggregate's version.
template <class Response>
std::string VersionReply(uint64_t version) {
  Response response;
  response.set_version(version);
  return response.SerializeAsString();
}

}  // namespace crm::runtime
