// The whole system for end-to-end tests: registry, engagement, satisfaction and tiering as
// processes, each on its own data directory, sharing the test binary's dev broker under a
// topic prefix of their own, with a stub per service and each process restartable.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "crm/calendar/calendar.h"
#include "crm/kafka/cloud_events.h"
#include "crm/kafka/state_publisher.h"
#include "crm/v1/engagement.grpc.pb.h"
#include "crm/v1/registry.grpc.pb.h"
#include "crm/v1/satisfaction.grpc.pb.h"
#include "crm/v1/tiering.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "support/call_as.h"
#include "support/dev_broker.h"
#include "support/service_under_test.h"
#include "support/temp_dir.h"
#include "support/wait.h"
#include "topic_reader.h"

namespace crm::e2e {

using RegistryStub = crm::v1::RegistryService::Stub;
using EngagementStub = crm::v1::EngagementService::Stub;
using SatisfactionStub = crm::v1::SatisfactionService::Stub;
using TieringStub = crm::v1::TieringService::Stub;

// The day `days` before today (UTC).
inline crm::v1::CalendarDate DaysAgo(int days) {
  return CalendarDateOf(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) - days);
}

// Calls as an account manager, or as an admin where the method asks for one.
template <class Stub, class Request, class Response>
std::pair<grpc::Status, Response> Call(
    Stub& stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
    const Request& request, const std::string& role = "account_manager") {
  return crm::testing::CallAs(stub, method, request, role, "u-alice");
}

// A value of the process's /metrics; -1 while they do not answer.
inline double Metric(const crm::testing::ServiceUnderTest& process, const std::string& series) {
  httplib::Client http("127.0.0.1", process.metrics_port());
  auto response = http.Get("/metrics");
  if (!response || response->status != 200) return -1;
  const size_t at = response->body.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(response->body.substr(at + series.size() + 2));
}

// The messages `process`'s consumers have yet to read, over every topic and partition
// (crm_consumer_lag_messages); -1 when the metrics cannot be read.
inline double ConsumerLag(const crm::testing::ServiceUnderTest& process) {
  httplib::Client http("127.0.0.1", process.metrics_port());
  auto response = http.Get("/metrics");
  if (!response || response->status != 200) return -1;
  const std::string series = "\ncrm_consumer_lag_messages{";
  double lag = 0;
  for (size_t at = response->body.find(series); at != std::string::npos;
       at = response->body.find(series, at + 1)) {
    const size_t value = response->body.find("} ", at);
    if (value == std::string::npos) return -1;
    lag += std::stod(response->body.substr(value + 2));
  }
  return lag;
}

class System {
 public:
  static constexpr std::array<const char*, 4> kServices = {"registry", "engagement", "satisfaction",
                                                           "tiering"};

  using CredentialsFactory = std::function<std::shared_ptr<grpc::ChannelCredentials>()>;

  // `secured` is added to every service's environment (TLS and token settings), and the
  // stubs and health checks connect with the credentials `credentials` makes. It is called
  // once the processes started: TLS credentials start gRPC's threads, which must not be
  // running when the processes are forked.
  // `brokers` empty: the test binary's shared dev broker.
  explicit System(const crm::testing::ServiceUnderTest::Environment& secured = {},
                  const CredentialsFactory& credentials = grpc::InsecureChannelCredentials,
                  const std::string& brokers = "")
      : brokers_(brokers.empty() ? crm::testing::DevBroker::Shared()->bootstrap() : brokers) {
    prefix_ = crm::testing::UniqueTopic("e2e") + ".";
    // Provisioned before the services start, as a deployment does: a consumer subscribed
    // to a topic that does not exist yet only notices it at a later rebalance.
    std::vector<std::string> topics;
    CreateTopics();
    crm::testing::ServiceUnderTest::Environment common = {
        {"CRM_KAFKA_BROKERS", brokers_},
        {"CRM_TOPIC_PREFIX", prefix_},
        {"CRM_KAFKA_CONFIG",
         "session.timeout.ms=3000,heartbeat.interval.ms=500,"
         "topic.metadata.refresh.interval.ms=500"}};
    common.insert(common.end(), secured.begin(), secured.end());
    processes_[0] = std::make_unique<crm::testing::ServiceUnderTest>(CRM_REGISTRY_PATH,
                                                                     dir_.Sub("registry"), common);
    // The others ask the registry of customers and persons their projection lacks yet.
    crm::testing::ServiceUnderTest::Environment asking = common;
    asking.emplace_back("CRM_REGISTRY_ADDR", processes_[0]->address());
    const std::array<const char*, 3> binaries = {CRM_ENGAGEMENT_PATH, CRM_SATISFACTION_PATH,
                                                 CRM_TIERING_PATH};
    for (size_t i = 0; i < binaries.size(); ++i) {
      processes_[i + 1] = std::make_unique<crm::testing::ServiceUnderTest>(
          binaries[i], dir_.Sub(kServices[i + 1]), asking);
    }
    for (auto& process : processes_) EXPECT_TRUE(process->Start().ok());
    credentials_ = credentials();
    registry = crm::v1::RegistryService::NewStub(processes_[0]->Channel(credentials_));
    engagement = crm::v1::EngagementService::NewStub(processes_[1]->Channel(credentials_));
    satisfaction = crm::v1::SatisfactionService::NewStub(processes_[2]->Channel(credentials_));
    tiering = crm::v1::TieringService::NewStub(processes_[3]->Channel(credentials_));
  }

  // True once every service reports SERVING (its consumers caught up), as the launcher
  // waits before it tells the user to go ahead.
  bool Serving(absl::Duration within = absl::Seconds(30)) {
    for (auto& process : processes_) {
      auto health = grpc::health::v1::Health::NewStub(process->Channel(credentials_));
      const bool serving = crm::testing::WaitFor(
          [&] {
            grpc::ClientContext context;
            context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
            grpc::health::v1::HealthCheckResponse response;
            return health->Check(&context, grpc::health::v1::HealthCheckRequest(), &response)
                       .ok() &&
                   response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
          },
          within);
      if (!serving) return false;
    }
    return true;
  }

  // Provisions the services' event topics, as a deployment does before they start.
  void CreateTopics() {
    std::vector<std::string> topics;
    for (const char* service : kServices) topics.push_back(topic(service));
    kafka::testing::CreateTopics(brokers_, topics);
  }

  // The process of kServices[index].
  crm::testing::ServiceUnderTest& process(size_t index) { return *processes_.at(index); }
  // The data directory of kServices[index].
  std::string data_dir(size_t index) const { return dir_.Sub(kServices.at(index)); }
  const std::string& brokers() const { return brokers_; }
  const std::string& topic_prefix() const { return prefix_; }
  std::string topic(const std::string& service) const {
    return kafka::EventTopic(prefix_, service);
  }

  std::unique_ptr<RegistryStub> registry;
  std::unique_ptr<EngagementStub> engagement;
  std::unique_ptr<SatisfactionStub> satisfaction;
  std::unique_ptr<TieringStub> tiering;

 private:
  crm::testing::TempDir dir_;
  std::string brokers_;
  std::shared_ptr<grpc::ChannelCredentials> credentials_;
  std::string prefix_;
  std::array<std::unique_ptr<crm::testing::ServiceUnderTest>, kServices.size()> processes_;
};

}  // namespace crm::e2e
