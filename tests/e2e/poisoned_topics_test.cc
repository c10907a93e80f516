// A malformed or foreign message on any of the four topics, read by the services as
// processes: each consumer logs it, counts it (crm_consumer_events_total{outcome=
// "malformed"}) and goes on to the next message; none crashes or stops.
#include <map>

#include "crm/base/ids.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "support/wait.h"
#include "system.h"
#include "topic_reader.h"

namespace crm::e2e {
namespace {

// The process's crm_consumer_events_total for `topic` and `outcome`; 0 when absent, -1 while
// its metrics do not answer.
double ConsumedEvents(crm::testing::ServiceUnderTest& process, const std::string& topic,
                      const std::string& outcome) {
  httplib::Client http("127.0.0.1", process.metrics_port());
  auto response = http.Get("/metrics");
  if (!response || response->status != 200) return -1;
  const std::string series =
      absl::StrCat("crm_consumer_events_total{topic=\"", topic, "\",outcome=\"", outcome, "\"} ");
  const size_t at = response->body.find(series);
  if (at == std::string::npos) return 0;
  return std::stod(response->body.substr(at + series.size()));
}

// What each service consumes (by index into System::kServices).
const std::map<size_t, std::vector<std::string>> kConsumed = {
    {1, {"registry", "tiering"}},
    {2, {"registry", "tiering"}},
    {3, {"registry", "engagement", "satisfaction", "tiering"}}};

TEST(PoisonedTopics, AreLoggedCountedAndSkippedByEveryConsumer) {
  System system;
  ASSERT_TRUE(system.Serving());

  // A genuine event, cut short: its metadata no longer parses.
  crm::v1::CustomerRegistered truncated;
  truncated.mutable_metadata()->set_event_type("crm.v1.CustomerRegistered");
  truncated.mutable_metadata()->set_stream_id("customer-cus_poison");
  truncated.mutable_metadata()->set_stream_version(1);
  truncated.mutable_metadata()->set_source("crm/registry/emea");
  truncated.set_customer_id("cus_poison");
  std::string cut = truncated.SerializeAsString();
  cut.resize(cut.size() / 2);
  const std::vector<std::pair<std::string, std::string>> poison = {
      {"cus_poison", std::string("\xff\xfe\x00\x01 not protobuf", 17)},
      {"cus_poison", R"({"type":"com.example.order.created","data":{"id":1}})"},
      {"cus_poison", cut},
      {"", ""}};
  for (const char* service : System::kServices) {
    kafka::testing::ProduceRaw(system.brokers(), system.topic(service), poison);
  }

  for (const auto& [process, topics] : kConsumed) {
    for (const std::string& service : topics) {
      const std::string topic = system.topic(service);
      EXPECT_TRUE(crm::testing::WaitFor(
          [&] {
            return ConsumedEvents(system.process(process), topic, "malformed") ==
                   static_cast<double>(poison.size());
          },
          absl::Seconds(30)))
          << System::kServices[process] << " on " << topic << ": "
          << ConsumedEvents(system.process(process), topic, "malformed");
    }
  }

  // And each goes on: a customer registered afterwards reaches every consumer of the
  // registry's topic.
  crm::v1::RegisterCustomerRequest registration;
  registration.set_request_id(NewUuid());
  registration.mutable_summary()->set_legal_name("After The Poison AG");
  registration.mutable_summary()->set_region("emea");
  ASSERT_TRUE(Call(*system.registry, &RegistryStub::RegisterCustomer, registration).first.ok());
  for (const auto& [process, topics] : kConsumed) {
    EXPECT_TRUE(crm::testing::WaitFor(
        [&] {
          return ConsumedEvents(system.process(process), system.topic("registry"), "applied") >= 1;
        },
        absl::Seconds(30)))
        << System::kServices[process] << " stopped after the poison";
  }
}

}  // namespace
}  // namespace crm::e2e
