// A service that checks customers against the registry (engagement, satisfaction), in the
// test process on a real RocksDB, the shared dev broker and a real gRPC channel, with a
// manual clock, next to a registry harness whose events it consumes (with tiering's) and
// which it asks about customers its projection lacks.
//
//   CustomerServiceHarness<crm::v1::EngagementService> engagement(registry, "engagement",
//       [](eventstore::EventStore& store, const CustomerDirectory& directory,
//          std::string topic, const Clock* clock) { return std::make_unique<…>(…); });
//   auto [status, reply] = engagement.Call(&Stub::LogTouchpoint, request);
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "crm/base/clock.h"
#include "crm/customers/customer_directory.h"
#include "crm/customers/customer_service_main.h"
#include "crm/customers/known_customers_projection.h"
#include "crm/kafka/cloud_events.h"
#include "registry_harness.h"

namespace crm::testing {

// 2026-12-20, a Sunday, as the registry harness has it.
inline absl::Time TestNow() {
  return absl::FromCivil(absl::CivilDay(2026, 12, 20), absl::UTCTimeZone());
}

struct CustomerServiceHarnessOptions {
  // Whether the service may ask the registry about customers it has not learnt from events.
  bool ask_registry = true;
  // Whether it consumes the registry's events (without them it knows customers only by
  // asking).
  bool follow_registry_events = true;
  // More topics it follows, as its main would have it (RunCustomerService's `more`).
  customers::MoreEvents more_events = nullptr;
};

template <class GrpcService>
class CustomerServiceHarness {
 public:
  using Stub = typename GrpcService::Stub;
  using RegistryHarness = registry::testing::RegistryHarness;
  using MakeService = std::function<std::unique_ptr<grpc::Service>(
      eventstore::EventStore& store, const customers::CustomerDirectory& directory,
      std::string topic, const Clock* clock)>;

  CustomerServiceHarness(RegistryHarness& registry, std::string service, MakeService make,
                         CustomerServiceHarnessOptions options = {})
      : registry_(registry), make_(std::move(make)), options_(options), clock_(TestNow()) {
    settings_.service = std::move(service);
    settings_.listen = "127.0.0.1:0";
    settings_.metrics_listen = "127.0.0.1:0";
    settings_.data_dir = dir_.Sub(settings_.service);
    settings_.kafka_brokers = registry.brokers();
    settings_.topic_prefix = registry.topic_prefix();
    // Topics created after the consumer subscribed are found within half a second.
    settings_.kafka_overrides = {{"session.timeout.ms", "3000"},
                                 {"heartbeat.interval.ms", "500"},
                                 {"fetch.wait.max.ms", "10"},
                                 {"topic.metadata.refresh.interval.ms", "500"}};
    Start();
  }
  ~CustomerServiceHarness() { Stop(); }

  // Stops the process (as on SIGTERM) and starts it again on the same data directory.
  void Restart() {
    Stop();
    Start();
  }

  template <class Request, class Response>
  std::pair<grpc::Status, Response> Call(
      grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
      const Request& request, const std::string& role = "account_manager",
      const std::string& principal = "u-alice", const std::string& regions = "") {
    return CallAs(*stub_, method, request, role, principal, regions);
  }

  ManualClock& clock() { return clock_; }
  std::string topic() const { return kafka::EventTopic(settings_.topic_prefix, settings_.service); }
  std::string tiering_topic() const { return kafka::EventTopic(settings_.topic_prefix, "tiering"); }
  eventstore::EventStore& store() { return process_->store(); }

 private:
  void Start() {
    process_ = std::make_unique<runtime::ServiceProcess>(settings_);
    ASSERT_TRUE(process_->OpenStore().ok());
    directory_ = std::make_unique<customers::CustomerDirectory>(
        process_->store(),
        options_.ask_registry
            ? grpc::CreateChannel(registry_.address(), grpc::InsecureChannelCredentials())
            : nullptr,
        "crm-" + settings_.service);
    service_ = make_(process_->store(), *directory_, topic(), &clock_);
    process_->AddService(service_.get());
    customers::ServiceConsumer consumer =
        options_.more_events
            ? customers::CustomerServiceConsumer(settings_.topic_prefix,
                                                 options_.more_events(settings_.topic_prefix))
            : customers::CustomerServiceConsumer(settings_.topic_prefix);
    if (!options_.follow_registry_events) {
      const std::string registry_topic = kafka::EventTopic(settings_.topic_prefix, "registry");
      std::erase(consumer.topics, registry_topic);
    }
    process_->AddConsumer(std::move(consumer.topics), std::move(consumer.handler),
                          std::move(consumer.tables));
    ASSERT_TRUE(process_->Start().ok());
    stub_ = GrpcService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", process_->grpc_port()), grpc::InsecureChannelCredentials()));
  }

  void Stop() {
    if (process_) process_->Shutdown();
    stub_.reset();
    process_.reset();
    service_.reset();
    directory_.reset();
  }

  RegistryHarness& registry_;
  MakeService make_;
  CustomerServiceHarnessOptions options_;
  TempDir dir_;
  ManualClock clock_;
  runtime::ServiceSettings settings_;
  std::unique_ptr<runtime::ServiceProcess> process_;
  std::unique_ptr<customers::CustomerDirectory> directory_;
  std::unique_ptr<grpc::Service> service_;
  std::unique_ptr<Stub> stub_;
};

inline crm::v1::CalendarDate Date(int year, int month, int day) {
  crm::v1::CalendarDate date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

}  // namespace crm::testing
