// The engagement service in the test process on a real RocksDB, the shared dev broker and
// a real gRPC channel, with a manual clock, next to a registry harness whose events it
// consumes and which it asks about customers its projection lacks.
//
//   RegistryHarness registry;
//   EngagementHarness engagement(registry);
//   auto [status, reply] = engagement.Call(&EngagementStub::LogTouchpoint, request);
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "crm/base/ids.h"
#include "crm/customers/customer_directory.h"
#include "crm/customers/known_customers_projection.h"
#include "crm/kafka/cloud_events.h"
#include "engagement_service.h"
#include "registry_harness.h"

namespace crm::engagement::testing {

using EngagementStub = crm::v1::EngagementService::Stub;
using registry::testing::RegistryHarness;
using RegistryStub = crm::v1::RegistryService::Stub;

// 2026-12-20, a Sunday, as the registry harness has it.
inline absl::Time TestNow() {
  return absl::FromCivil(absl::CivilDay(2026, 12, 20), absl::UTCTimeZone());
}

struct EngagementHarnessOptions {
  // Whether the service may ask the registry about customers it has not learnt from events.
  bool ask_registry = true;
  // Whether it consumes the registry's events (without them it knows customers only by
  // asking).
  bool follow_registry_events = true;
};

class EngagementHarness {
 public:
  explicit EngagementHarness(RegistryHarness& registry, EngagementHarnessOptions options = {})
      : registry_(registry), options_(options), clock_(TestNow()) {
    settings_.service = "engagement";
    settings_.listen = "127.0.0.1:0";
    settings_.metrics_listen = "127.0.0.1:0";
    settings_.data_dir = dir_.Sub("engagement");
    settings_.kafka_brokers = registry.brokers();
    settings_.topic_prefix = registry.topic_prefix();
    // Topics created after the consumer subscribed are found within half a second.
    settings_.kafka_overrides = {{"session.timeout.ms", "3000"},
                                 {"heartbeat.interval.ms", "500"},
                                 {"fetch.wait.max.ms", "10"},
                                 {"topic.metadata.refresh.interval.ms", "500"}};
    Start();
  }
  ~EngagementHarness() { Stop(); }

  void Restart() {
    Stop();
    Start();
  }

  template <class Request, class Response>
  std::pair<grpc::Status, Response> Call(
      grpc::Status (EngagementStub::*method)(grpc::ClientContext*, const Request&, Response*),
      const Request& request, const std::string& role = "account_manager",
      const std::string& principal = "u-alice") {
    return crm::testing::CallAs(*stub_, method, request, role, principal);
  }

  ManualClock& clock() { return clock_; }
  std::string topic() const { return kafka::EventTopic(settings_.topic_prefix, "engagement"); }
  std::string tiering_topic() const { return kafka::EventTopic(settings_.topic_prefix, "tiering"); }
  eventstore::EventStore& store() { return process_->store(); }

 private:
  void Start() {
    process_ = std::make_unique<runtime::ServiceProcess>(settings_);
    ASSERT_TRUE(process_->OpenStore().ok());
    directory_ = std::make_unique<CustomerDirectory>(
        process_->store(),
        options_.ask_registry
            ? grpc::CreateChannel(registry_.address(), grpc::InsecureChannelCredentials())
            : nullptr,
        "crm-engagement");
    service_ = std::make_unique<EngagementService>(
        process_->store(), *directory_,
        EngagementServiceOptions{.topic = topic(), .clock = &clock_});
    process_->AddService(service_.get());
    const std::string registry_topic = kafka::EventTopic(settings_.topic_prefix, "registry");
    std::vector<std::string> topics = {tiering_topic()};
    if (options_.follow_registry_events) topics.push_back(registry_topic);
    process_->AddConsumer(topics,
                          customers::KnownCustomersProjection(registry_topic, tiering_topic()));
    ASSERT_TRUE(process_->Start().ok());
    stub_ = crm::v1::EngagementService::NewStub(grpc::CreateChannel(
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
  EngagementHarnessOptions options_;
  crm::testing::TempDir dir_;
  ManualClock clock_;
  runtime::ServiceSettings settings_;
  std::unique_ptr<runtime::ServiceProcess> process_;
  std::unique_ptr<CustomerDirectory> directory_;
  std::unique_ptr<EngagementService> service_;
  std::unique_ptr<EngagementStub> stub_;
};

using registry::testing::AddPerson;

// Registers a customer named `name`; returns its id.
inline std::string RegisterCustomer(RegistryHarness& registry, const std::string& name) {
  return registry::testing::RegisterCustomer(registry, registry::testing::Summary(name));
}

inline crm::v1::CalendarDate Date(int year, int month, int day) {
  crm::v1::CalendarDate date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

// A valid touchpoint request: a key-person meeting on `date` with `persons`, attended by
// u-alice as account manager.
inline crm::v1::LogTouchpointRequest Touchpoint(
    const std::string& customer_id, const crm::v1::CalendarDate& date,
    std::vector<std::string> persons = {},
    crm::v1::RelationshipLayer layer = crm::v1::RELATIONSHIP_LAYER_KEY_PERSON) {
  crm::v1::LogTouchpointRequest request;
  request.set_request_id(NewUuid());
  request.set_customer_id(customer_id);
  crm::v1::TouchpointFacts& facts = *request.mutable_facts();
  facts.set_type(crm::v1::TOUCHPOINT_TYPE_MEETING);
  facts.set_layer(layer);
  *facts.mutable_date() = date;
  for (std::string& person : persons) facts.add_person_ids(std::move(person));
  crm::v1::EmployeePresence& employee = *facts.add_employees();
  employee.set_employee_id("u-alice");
  employee.set_role("account_manager");
  facts.set_outcome("agreed on a pilot");
  return request;
}

}  // namespace crm::engagement::testing
