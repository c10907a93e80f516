// A plaintext gRPC server that answers the health protocol (grpc.health.v1) and nothing else.
//
// Kubernetes' native gRPC probes cannot speak TLS, while the service's own port does once
// certificates are configured. This second port lets the kubelet ask for health without
// opening anything else: no service, no reflection, no token, no data.
//
//   auto server = internal::HealthOnlyServer::Start("0.0.0.0:52051");
//   (*server)->SetServing(kLivenessService, true);
//   (*server)->SetServing("", caught_up);
//   (*server)->Shutdown();
//
// Thread-safe. Service names never set answer NOT_FOUND, as the protocol asks.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/server.h"

namespace crm::runtime::internal {

class HealthOnlyServer final : private grpc::health::v1::Health::Service {
 public:
  // Listens on `address` (host:port; port 0 picks one). UNAVAILABLE naming the setting
  // when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<HealthOnlyServer>> Start(const std::string& address);
  ~HealthOnlyServer() override;

  int port() const { return port_; }
  void SetServing(const std::string& service, bool serving);
  // Every service NOT_SERVING from now on, watchers told, then the port closes.
  void Shutdown();

 private:
  HealthOnlyServer() = default;

  grpc::Status Check(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse* response) override;
  grpc::Status Watch(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::ServerWriter<grpc::health::v1::HealthCheckResponse>* writer) override;

  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;
  ServingStatus StatusOf(const std::string& service) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  absl::CondVar changed_;
  std::map<std::string, bool> serving_ ABSL_GUARDED_BY(mu_);
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace crm::runtime::internal
