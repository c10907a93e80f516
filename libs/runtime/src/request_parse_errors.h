// A request that does not parse is the caller's mistake, yet gRPC answers it INTERNAL with
// an empty message, before any handler can look at it. The commonest cause is a string
// field holding bytes that are not UTF-8, which proto3 refuses while parsing. This turns
// such answers into INVALID_ARGUMENT naming the field:
//
//   INVALID_ARGUMENT "summary.legal_name must be valid UTF-8"
//   INVALID_ARGUMENT "the request is not a valid crm.v1.RegisterCustomerRequest"
//
// Protobuf reports the failing field only in a log line; CaptureProtobufLogs installs the
// handler that notes it (and writes protobuf's log lines as JSON like every other log).
// The sync server parses a request, runs the interceptors' POST_RECV_MESSAGE and sends the
// status on one thread, so the note is kept per thread.
//
//   internal::CaptureProtobufLogs();
//   interceptors.push_back(std::make_unique<internal::RequestParseErrorsFactory>());
//
// Both are thread-safe.
#pragma once

#include <string>

#include "grpcpp/support/server_interceptor.h"

namespace crm::runtime::internal {

// Installs protobuf's log handler once per process (later calls do nothing).
void CaptureProtobufLogs();

// The path from a request of type `request_type` (full name) to the field whose full name
// is `field_full_name`, as "summary.legal_name"; the full name itself when no path leads
// there. Breadth first, so the shortest path wins.
std::string FieldPathOf(const std::string& request_type, const std::string& field_full_name);

class RequestParseErrorsFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace crm::runtime::internal
