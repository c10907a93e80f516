// A server interceptor that counts every RPC by method and status code and records its
// latency, into crm_grpc_server_handled_total and crm_grpc_server_handling_seconds.
#pragma once

#include "crm/metrics/registry.h"
#include "grpcpp/support/server_interceptor.h"

namespace crm::runtime::internal {

class GrpcMetricsFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit GrpcMetricsFactory(metrics::Registry& registry);
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  metrics::Family<metrics::Counter>& handled_;
  metrics::Family<metrics::Histogram>& latency_;
};

}  // namespace crm::runtime::internal
