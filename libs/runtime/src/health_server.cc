#include "health_server.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "grpcpp/ext/health_check_service_server_builder_option.h"
#include "grpcpp/impl/server_builder_option.h"
#include "grpcpp/impl/server_builder_plugin.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace crm::runtime::internal {
namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// Server builder plugins are process-wide: once reflection is switched on for the service's
// own port, every later builder would add it too. The health port must offer health alone.
class WithoutPlugins : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    plugins->clear();
  }
};

// How often a Watch looks for a cancelled call while the status stays the same.
constexpr absl::Duration kWatchPoll = absl::Seconds(1);

}  // namespace

absl::StatusOr<std::unique_ptr<HealthOnlyServer>> HealthOnlyServer::Start(
    const std::string& address) {
  std::unique_ptr<HealthOnlyServer> health(new HealthOnlyServer());
  grpc::ServerBuilder builder;
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetOption(std::make_unique<WithoutPlugins>());
  // This class is the health service; gRPC's default one must not be added beside it.
  builder.SetOption(std::make_unique<grpc::HealthCheckServiceServerBuilderOption>(nullptr));
  // Probes send tiny requests; nothing larger is ever needed here.
  builder.SetMaxReceiveMessageSize(4096);
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &health->port_);
  builder.RegisterService(static_cast<grpc::health::v1::Health::Service*>(health.get()));
  health->server_ = builder.BuildAndStart();
  if (health->server_ == nullptr || health->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("setting --health_listen (CRM_HEALTH_LISTEN): cannot listen on ", address));
  }
  return health;
}

HealthOnlyServer::~HealthOnlyServer() { Shutdown(); }

void HealthOnlyServer::SetServing(const std::string& service, bool serving) {
  absl::MutexLock lock(&mu_);
  if (!shut_down_) serving_[service] = serving;
  changed_.SignalAll();
}

void HealthOnlyServer::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    if (shut_down_) return;
    shut_down_ = true;
    for (auto& [service, serving] : serving_) serving = false;
    changed_.SignalAll();
  }
  if (server_ != nullptr) {
    // Watchers see NOT_SERVING within a poll; then the port closes.
    server_->Shutdown(absl::ToChronoTime(absl::Now() + kWatchPoll + absl::Milliseconds(500)));
    server_->Wait();
  }
}

HealthOnlyServer::ServingStatus HealthOnlyServer::StatusOf(const std::string& service) const {
  auto it = serving_.find(service);
  if (it == serving_.end()) return HealthCheckResponse::SERVICE_UNKNOWN;
  return it->second ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING;
}

grpc::Status HealthOnlyServer::Check(grpc::ServerContext*, const HealthCheckRequest* request,
                                     HealthCheckResponse* response) {
  absl::MutexLock lock(&mu_);
  const ServingStatus status = StatusOf(request->service());
  if (status == HealthCheckResponse::SERVICE_UNKNOWN) {
    return grpc::Status(grpc::NOT_FOUND, "unknown service");
  }
  response->set_status(status);
  return grpc::Status::OK;
}

grpc::Status HealthOnlyServer::Watch(grpc::ServerContext* context,
                                     const HealthCheckRequest* request,
                                     grpc::ServerWriter<HealthCheckResponse>* writer) {
  std::optional<ServingStatus> sent;
  absl::MutexLock lock(&mu_);
  while (!context->IsCancelled()) {
    const ServingStatus status = StatusOf(request->service());
    if (status != sent) {
      HealthCheckResponse response;
      response.set_status(status);
      mu_.Unlock();
      const bool written = writer->Write(response);
      mu_.Lock();
      if (!written) break;
      sent = status;
    }
    if (shut_down_) break;
    // Woken by a change; the timeout notices a caller that went away.
    changed_.WaitWithTimeout(&mu_, kWatchPoll);
  }
  return grpc::Status::OK;
}

}  // namespace crm::runtime::internal
