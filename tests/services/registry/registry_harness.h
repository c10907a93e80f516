// The registry service in the test process on a real RocksDB, the shared dev broker and a
// real gRPC channel, with a manual clock; and calls to it as a given caller.
//
//   RegistryHarness registry;
//   auto [status, reply] = registry.Call(&Stub::RegisterCustomer, request);
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "crm/base/clock.h"
#include "crm/base/ids.h"
#include "crm/crypto/key_vault.h"
#include "crm/kafka/cloud_events.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/service_process.h"
#include "crm/v1/registry.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "registry_service.h"
#include "support/call_as.h"
#include "support/dev_broker.h"
#include "support/temp_dir.h"

namespace crm::registry::testing {

using Stub = crm::v1::RegistryService::Stub;

class RegistryHarness {
 public:
  explicit RegistryHarness(absl::Time now = absl::FromCivil(absl::CivilDay(2026, 12, 20),
                                                            absl::UTCTimeZone()))
      : clock_(now) {
    settings_.service = "registry";
    settings_.listen = "127.0.0.1:0";
    settings_.metrics_listen = "127.0.0.1:0";
    settings_.data_dir = dir_.Sub("registry");
    settings_.kafka_brokers = crm::testing::DevBroker::Shared()->bootstrap();
    settings_.topic_prefix = crm::testing::UniqueTopic("reg") + ".";
    settings_.kafka_overrides = {{"session.timeout.ms", "3000"}, {"fetch.wait.max.ms", "10"}};
    Start();
  }
  ~RegistryHarness() { Stop(); }

  // Starts it again acknowledging writes only once Kafka has their events (--ack=kafka),
  // waiting at most `timeout` for them.
  void AcknowledgeByKafka(absl::Duration timeout) {
    settings_.ack = "kafka";
    settings_.ack_timeout = timeout;
    Restart();
  }

  // Stops the process (as on SIGTERM) and starts it again on the same data directory.
  void Restart() {
    Stop();
    Start();
  }

  // Stops the process, as on SIGTERM; calls fail from then on.
  void Stop() {
    if (process_) process_->Shutdown();
    stub_.reset();
    process_.reset();
    service_.reset();
    vault_.reset();
  }

  template <class Request, class Response>
  std::pair<grpc::Status, Response> Call(
      grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
      const Request& request, const std::string& role = "account_manager",
      const std::string& principal = "u-alice", const std::string& regions = "") {
    return crm::testing::CallAs(*stub_, method, request, role, principal, regions);
  }

  std::string address() const { return absl::StrCat("127.0.0.1:", process_->grpc_port()); }
  ManualClock& clock() { return clock_; }
  const std::string& data_dir() const { return settings_.data_dir; }
  const std::string& brokers() const { return settings_.kafka_brokers; }
  std::string topic() const { return kafka::EventTopic(settings_.topic_prefix, "registry"); }
  const std::string& topic_prefix() const { return settings_.topic_prefix; }
  eventstore::EventStore& store() { return process_->store(); }

 private:
  void Start() {
    process_ = std::make_unique<runtime::ServiceProcess>(settings_);
    ASSERT_TRUE(process_->OpenStore().ok());
    auto vault = crypto::KeyVault::Open({.path = settings_.data_dir + "/keys"});
    ASSERT_TRUE(vault.ok()) << vault.status();
    vault_ = *std::move(vault);
    service_ = std::make_unique<RegistryService>(
        process_->store(), *vault_, RegistryServiceOptions{.topic = topic(), .clock = &clock_});
    process_->AddService(service_.get());
    ASSERT_TRUE(process_->Start().ok());
    stub_ = crm::v1::RegistryService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", process_->grpc_port()), grpc::InsecureChannelCredentials()));
  }

  crm::testing::TempDir dir_;
  ManualClock clock_;
  runtime::ServiceSettings settings_;
  std::unique_ptr<runtime::ServiceProcess> process_;
  std::unique_ptr<crypto::KeyVault> vault_;
  std::unique_ptr<RegistryService> service_;
  std::unique_ptr<Stub> stub_;
};

// An amount in euro, in cents.
inline crm::v1::Money Eur(int64_t minor_units) {
  crm::v1::Money money;
  money.set_currency_code("EUR");
  money.set_minor_units(minor_units);
  return money;
}

// A valid summary of a customer named `legal_name` in `region`.
inline crm::v1::CustomerSummary Summary(const std::string& legal_name,
                                        const std::string& region = "emea") {
  crm::v1::CustomerSummary summary;
  summary.set_legal_name(legal_name);
  summary.set_region(region);
  summary.set_country_code("DE");
  summary.set_industry("telecom operator");
  summary.set_owner_id("u-alice");
  return summary;
}

// Registers a customer; returns its id.
inline std::string RegisterCustomer(
    RegistryHarness& registry, crm::v1::CustomerSummary summary,
    crm::v1::LifecycleStatus status = crm::v1::LIFECYCLE_STATUS_PROSPECT) {
  crm::v1::RegisterCustomerRequest request;
  request.set_request_id(NewUuid());
  *request.mutable_summary() = std::move(summary);
  request.set_status(status);
  auto [status_code, reply] = registry.Call(&Stub::RegisterCustomer, request);
  EXPECT_TRUE(status_code.ok()) << status_code.error_message();
  return reply.customer_id();
}

// Adds a key person; returns their id.
inline std::string AddPerson(RegistryHarness& registry, const std::string& customer_id,
                             const std::string& name, crm::v1::DecisionRole role, int influence,
                             crm::v1::Stance stance = crm::v1::STANCE_NEUTRAL,
                             const std::string& reports_to = "") {
  crm::v1::AddKeyPersonRequest request;
  request.set_request_id(NewUuid());
  request.set_customer_id(customer_id);
  request.mutable_person()->set_name(name);
  request.mutable_person()->set_role(role);
  request.mutable_person()->set_influence(influence);
  request.mutable_person()->set_stance(stance);
  request.mutable_person()->set_reports_to(reports_to);
  auto [status, reply] = registry.Call(&Stub::AddKeyPerson, request);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return reply.person_id();
}

}  // namespace crm::registry::testing
