#include "grpc_metrics.h"

#include <chrono>
#include <string>

namespace crm::runtime::internal {
namespace {

using grpc::experimental::InterceptionHookPoints;

const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::OK:
      return "OK";
    case grpc::CANCELLED:
      return "CANCELLED";
    case grpc::UNKNOWN:
      return "UNKNOWN";
    case grpc::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::ABORTED:
      return "ABORTED";
    case grpc::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::INTERNAL:
      return "INTERNAL";
    case grpc::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

class GrpcMetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  GrpcMetricsInterceptor(std::string method, metrics::Family<metrics::Counter>& handled,
                         metrics::Family<metrics::Histogram>& latency)
      : method_(std::move(method)),
        handled_(handled),
        latency_(latency),
        start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
      handled_.Get({method_, CodeName(status.error_code())}).Increment();
      latency_.Get({method_}).Observe(elapsed.count());
    }
    methods->Proceed();
  }

 private:
  std::string method_;
  metrics::Family<metrics::Counter>& handled_;
  metrics::Family<metrics::Histogram>& latency_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

GrpcMetricsFactory::GrpcMetricsFactory(metrics::Registry& registry)
    : handled_(registry.AddCounter("crm_grpc_server_handled_total",
                                   "RPCs completed by the server, by method and status code.",
                                   {"method", "code"})),
      latency_(registry.AddHistogram("crm_grpc_server_handling_seconds",
                                     "Time from receiving an RPC to sending its status.",
                                     {"method"}, metrics::LatencyBuckets())) {}

grpc::experimental::Interceptor* GrpcMetricsFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new GrpcMetricsInterceptor(info->method(), handled_, latency_);
}

}  // namespace crm::runtime::internal
