// SIGTERM to a service process: the RPC in flight completes, what it recorded reaches
// Kafka, RocksDB is closed cleanly, and the process exits 0 in bounded time. A bad setting
// stops start-up with exit code 2.
#include <signal.h>
#include <sys/wait.h>

#include <future>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "crm/eventstore/event_store.h"
#include "crm/kafka/cloud_events.h"
#include "crm/testing/v1/testing.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "support/dev_broker.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"
#include "topic_reader.h"

namespace crm::runtime {
namespace {

using crm::testing::Subprocess;

std::vector<std::pair<std::string, std::string>> Environment(const std::string& data_dir,
                                                             const std::string& prefix) {
  return {{"CRM_AUTH", "off"},
          {"CRM_LISTEN", "127.0.0.1:0"},
          {"CRM_METRICS_LISTEN", "127.0.0.1:0"},
          {"CRM_DATA_DIR", data_dir},
          {"CRM_KAFKA_BROKERS", crm::testing::DevBroker::Shared()->bootstrap()},
          {"CRM_TOPIC_PREFIX", prefix},
          {"CRM_SHUTDOWN_TIMEOUT_SECONDS", "10"}};
}

TEST(ServiceShutdown, SigtermFinishesTheRpcInFlightFlushesTheOutboxAndExitsCleanly) {
  crm::testing::TempDir dir;
  const std::string prefix = crm::testing::UniqueTopic("shutdown") + ".";
  auto child = Subprocess::Start({CRM_ECHO_SERVICE_PATH}, Environment(dir.Sub("db"), prefix));
  ASSERT_TRUE(child.ok());
  std::optional<std::string> line = (*child)->ReadLine(absl::Seconds(30));
  ASSERT_TRUE(line.has_value()) << "the service did not start";
  std::istringstream in(*line);
  std::string word;
  int port = 0;
  in >> word >> port;
  ASSERT_EQ(word, "listening");

  auto stub = crm::testing::v1::EchoService::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  for (int i = 0; i < 10; ++i) {
    grpc::ClientContext context;
    crm::testing::v1::EchoRequest request;
    request.set_message(absl::StrCat("m", i));
    crm::testing::v1::EchoResponse response;
    ASSERT_TRUE(stub->Echo(&context, request, &response).ok());
  }

  auto in_flight = std::async(std::launch::async, [&] {
    grpc::ClientContext context;
    crm::testing::v1::EchoRequest request;
    request.set_message("slow");
    request.set_delay_ms(1500);
    crm::testing::v1::EchoResponse response;
    return stub->Echo(&context, request, &response);
  });
  ASSERT_EQ((*child)->ReadLine(absl::Seconds(10)).value_or(""), "delayed");
  const absl::Time signalled = absl::Now();
  (*child)->Signal(SIGTERM);

  grpc::Status slow = in_flight.get();
  EXPECT_TRUE(slow.ok()) << slow.error_message();
  const int status = (*child)->Wait();
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_LT(absl::Now() - signalled, absl::Seconds(12));

  // Everything recorded, the slow request included, was published before exit.
  auto records = kafka::testing::ReadTopic(crm::testing::DevBroker::Shared()->bootstrap(),
                                           kafka::EventTopic(prefix, "echo"), 11);
  EXPECT_EQ(records.size(), 11u);
  auto store = eventstore::EventStore::Open({.path = dir.Sub("db")});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->LastPosition(), 11u);
  EXPECT_EQ((*store)->OutboxDepth(), 0);
}

TEST(ServiceShutdown, ABadSettingStopsStartUpWithExitCodeTwo) {
  crm::testing::TempDir dir;
  auto environment = Environment(dir.Sub("db"), "bad.");
  environment.emplace_back("CRM_REGION", "Not A Region");
  auto child = Subprocess::Start({CRM_ECHO_SERVICE_PATH}, environment);
  ASSERT_TRUE(child.ok());
  const int status = (*child)->Wait();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
}

}  // namespace
}  // namespace crm::runtime
