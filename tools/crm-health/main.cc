// crm-health: asks a service for its gRPC health (grpc.health.v1) and exits 0 only when it
// is SERVING. For scripts and the local launcher.
//
//   crm-health 127.0.0.1:50051 [service name] [--timeout_ms=1000]
#include <cstdio>
#include <cstring>
#include <string>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"

int main(int argc, char** argv) {
  std::string address;
  std::string service;
  int timeout_ms = 1000;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--timeout_ms=", 13) == 0) {
      timeout_ms = std::atoi(argv[i] + 13);
    } else if (address.empty()) {
      address = argv[i];
    } else {
      service = argv[i];
    }
  }
  if (address.empty() || timeout_ms <= 0) {
    std::fprintf(stderr, "usage: crm-health HOST:PORT [SERVICE] [--timeout_ms=N]\n");
    return 2;
  }
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(timeout_ms));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) {
    std::printf("%s: unreachable (%s)\n", address.c_str(), status.error_message().c_str());
    return 1;
  }
  std::printf("%s: %s\n", address.c_str(),
              grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()).c_str());
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING ? 0 : 1;
}
