// The one place where absl::Status becomes grpc::Status, at the edge of a handler. The
// codes are the same numbers in both; the message is kept as it is.
//
//   return crm::runtime::ToGrpcStatus(store.Append(request).status());
#pragma once

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace crm::runtime {

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace crm::runtime
