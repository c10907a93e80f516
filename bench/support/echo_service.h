// The bare gRPC baseline the service benchmarks measure against, and the check they make
// on every call they need to succeed.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "crm/testing/v1/testing.grpc.pb.h"

namespace crm::bench {

// Answers with its input: the cost of the transport alone.
class BareEcho final : public crm::testing::v1::EchoService::Service {
  grpc::Status Echo(grpc::ServerContext*, const crm::testing::v1::EchoRequest* request,
                    crm::testing::v1::EchoResponse* response) override {
    response->set_message(request->message());
    return grpc::Status::OK;
  }
};

// Aborts the benchmark, naming the call, when `status` is not OK.
inline void Check(const grpc::Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s failed: %s\n", what, status.error_message().c_str());
    std::abort();
  }
}

}  // namespace crm::bench
