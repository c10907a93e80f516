// A service of the tests' own on the runtime, over real gRPC channels and HTTP: health,
// metrics (checked with promtool), reflection, and its events on the dev broker.
#include "crm/runtime/service_process.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "crm/kafka/cloud_events.h"
#include "crm/runtime/metrics_http.h"
#include "echo_service.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/impl/codegen/client_unary_call.h"
#include "grpcpp/impl/codegen/rpc_method.h"
#include "grpcpp/impl/codegen/sync_stream.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/slice.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "support/dev_broker.h"
#include "support/temp_dir.h"
#include "support/wait.h"
#include "topic_reader.h"

namespace crm::runtime {
namespace {

using crm::testing::DevBroker;
using crm::testing::WaitFor;
using grpc::health::v1::HealthCheckResponse;

class ServiceProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    settings_.service = "echo";
    settings_.listen = "127.0.0.1:0";
    settings_.metrics_listen = "127.0.0.1:0";
    settings_.data_dir = dir_.Sub("db");
    settings_.kafka_brokers = DevBroker::Shared()->bootstrap();
    settings_.topic_prefix = crm::testing::UniqueTopic("t") + ".";
    settings_.kafka_overrides = {{"session.timeout.ms", "3000"}, {"fetch.wait.max.ms", "10"}};
    process_ = std::make_unique<ServiceProcess>(settings_);
    ASSERT_TRUE(process_->OpenStore().ok());
    echo_ = std::make_unique<crm::testing::EchoServiceImpl>(
        &process_->store(), kafka::EventTopic(settings_.topic_prefix, "echo"));
    process_->AddService(echo_.get());
  }

  void StartAndConnect() {
    ASSERT_TRUE(process_->Start().ok());
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", process_->grpc_port()),
                                   grpc::InsecureChannelCredentials());
    echo_stub_ = crm::testing::v1::EchoService::NewStub(channel_);
  }

  grpc::Status Echo(const std::string& message) {
    grpc::ClientContext context;
    crm::testing::v1::EchoRequest request;
    request.set_message(message);
    crm::testing::v1::EchoResponse response;
    return echo_stub_->Echo(&context, request, &response);
  }

  HealthCheckResponse::ServingStatus Health() { return HealthOf(channel_, ""); }

  static HealthCheckResponse::ServingStatus HealthOf(const std::shared_ptr<grpc::Channel>& channel,
                                                     const std::string& service) {
    auto stub = grpc::health::v1::Health::NewStub(channel);
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    if (!stub->Check(&context, request, &response).ok()) return HealthCheckResponse::UNKNOWN;
    return response.status();
  }

  crm::testing::TempDir dir_;
  ServiceSettings settings_;
  std::unique_ptr<ServiceProcess> process_;
  std::unique_ptr<crm::testing::EchoServiceImpl> echo_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<crm::testing::v1::EchoService::Stub> echo_stub_;
};

TEST_F(ServiceProcessTest, ReportsServingOnlyOnceItsConsumersHaveCaughtUp) {
  process_->AddConsumer(
      {crm::testing::UniqueTopic("upstream")},
      [](const kafka::ConsumedEvent&, kafka::ProjectionBatch&) { return absl::OkStatus(); });
  StartAndConnect();
  // Joining the consumer group takes the dev broker seconds: not ready yet.
  EXPECT_EQ(Health(), HealthCheckResponse::NOT_SERVING);
  ASSERT_TRUE(WaitFor([&] { return Health() == HealthCheckResponse::SERVING; }));
  EXPECT_TRUE(Echo("hello").ok());
  process_->Shutdown();
  EXPECT_FALSE(process_->Serving());
}

TEST_F(ServiceProcessTest, LivenessServesAtOnceWhileReadinessWaitsForTheConsumers) {
  process_->AddConsumer(
      {crm::testing::UniqueTopic("upstream")},
      [](const kafka::ConsumedEvent&, kafka::ProjectionBatch&) { return absl::OkStatus(); });
  StartAndConnect();
  EXPECT_EQ(HealthOf(channel_, kLivenessService), HealthCheckResponse::SERVING);
  EXPECT_EQ(Health(), HealthCheckResponse::NOT_SERVING);
  ASSERT_TRUE(WaitFor([&] { return Health() == HealthCheckResponse::SERVING; }));
  EXPECT_EQ(HealthOf(channel_, kLivenessService), HealthCheckResponse::SERVING);
}

TEST_F(ServiceProcessTest, TheHealthPortAnswersHealthAndNothingElse) {
  ServiceSettings settings = settings_;
  settings.health_listen = "127.0.0.1:0";
  settings.data_dir = dir_.Sub("health");
  ServiceProcess process(settings);
  ASSERT_TRUE(process.OpenStore().ok());
  crm::testing::EchoServiceImpl echo(&process.store(),
                                     kafka::EventTopic(settings.topic_prefix, "echo"));
  process.AddService(&echo);
  process.AddConsumer(
      {crm::testing::UniqueTopic("upstream")},
      [](const kafka::ConsumedEvent&, kafka::ProjectionBatch&) { return absl::OkStatus(); });
  ASSERT_TRUE(process.Start().ok());
  ASSERT_NE(process.health_port(), 0);
  ASSERT_NE(process.health_port(), process.grpc_port());
  auto health = grpc::CreateChannel(absl::StrCat("127.0.0.1:", process.health_port()),
                                    grpc::InsecureChannelCredentials());

  // The same liveness and readiness as the service's own port.
  EXPECT_EQ(HealthOf(health, kLivenessService), HealthCheckResponse::SERVING);
  EXPECT_EQ(HealthOf(health, ""), HealthCheckResponse::NOT_SERVING);
  ASSERT_TRUE(WaitFor([&] { return HealthOf(health, "") == HealthCheckResponse::SERVING; }));

  // Neither the service nor reflection answers there.
  auto echo_there = crm::testing::v1::EchoService::NewStub(health);
  grpc::ClientContext context;
  crm::testing::v1::EchoRequest request;
  request.set_message("hello");
  crm::testing::v1::EchoResponse response;
  EXPECT_EQ(echo_there->Echo(&context, request, &response).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  const grpc::internal::RpcMethod reflection(
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      grpc::internal::RpcMethod::BIDI_STREAMING, health);
  grpc::ClientContext reflection_context;
  auto stream = std::unique_ptr<grpc::ClientReaderWriter<crm::testing::v1::ReflectionRequest,
                                                         crm::testing::v1::ReflectionResponse>>(
      grpc::internal::ClientReaderWriterFactory<
          crm::testing::v1::ReflectionRequest,
          crm::testing::v1::ReflectionResponse>::Create(health.get(), reflection,
                                                        &reflection_context));
  crm::testing::v1::ReflectionRequest list;
  list.set_list_services("*");
  stream->Write(list);
  stream->WritesDone();
  crm::testing::v1::ReflectionResponse listed;
  EXPECT_FALSE(stream->Read(&listed));
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNIMPLEMENTED);

  // Shutdown turns readiness off there too.
  process.Shutdown();
  EXPECT_NE(HealthOf(health, ""), HealthCheckResponse::SERVING);
}

TEST_F(ServiceProcessTest, ARequestThatDoesNotParseIsAnInvalidArgumentNotAnInternalError) {
  StartAndConnect();
  // Field 1 (message, a string) as length-delimited bytes that are not UTF-8, then bytes
  // that are no protobuf at all.
  const grpc::internal::RpcMethod echo("/crm.testing.v1.EchoService/Echo",
                                       grpc::internal::RpcMethod::NORMAL_RPC, channel_);
  auto call = [&](const std::string& payload) {
    grpc::Slice slice(payload);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ClientContext context;
    crm::testing::v1::EchoResponse response;
    return grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, crm::testing::v1::EchoResponse>(
        channel_.get(), echo, &context, request, &response);
  };
  const grpc::Status not_utf8 = call(std::string("\x0a\x03\x61\xff\x62", 5));
  EXPECT_EQ(not_utf8.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(not_utf8.error_message(), "message must be valid UTF-8");
  const grpc::Status garbage = call(std::string("\xff\xff\xff\xff", 4));
  EXPECT_EQ(garbage.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(garbage.error_message(), "the request is not a valid crm.testing.v1.EchoRequest");
  // A valid request on the same connection is unaffected.
  EXPECT_TRUE(Echo("hello").ok());
}

TEST_F(ServiceProcessTest, MetricsCountRpcsByMethodAndCodeAndPassPromtool) {
  StartAndConnect();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Echo("hi").ok());
  EXPECT_EQ(Echo("").error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  httplib::Client http("127.0.0.1", process_->metrics_port());
  auto response = http.Get("/metrics");
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200);
  const std::string& text = response->body;
  EXPECT_NE(text.find("crm_grpc_server_handled_total{method=\"/crm.testing.v1.EchoService/Echo\","
                      "code=\"OK\"} 3"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("code=\"INVALID_ARGUMENT\"} 1"), std::string::npos);
  EXPECT_NE(text.find("crm_grpc_server_handling_seconds_count{method=\"/crm.testing.v1."
                      "EchoService/Echo\"} 4"),
            std::string::npos);
  EXPECT_NE(text.find("crm_outbox_depth"), std::string::npos);
  EXPECT_NE(text.find("crm_events_appended_total 3"), std::string::npos);

  const std::string file = dir_.Sub("metrics.txt");
  std::ofstream(file) << text;
  const std::string command = absl::StrCat("promtool check metrics < ", file);
  EXPECT_EQ(std::system(command.c_str()), 0) << "promtool rejected:\n" << text;
}

TEST_F(ServiceProcessTest, ReflectionListsTheServices) {
  StartAndConnect();
  // The reflection call by its method path, with our own copies of its messages.
  const grpc::internal::RpcMethod method(
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      grpc::internal::RpcMethod::BIDI_STREAMING, channel_);
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReaderWriter<crm::testing::v1::ReflectionRequest,
                                           crm::testing::v1::ReflectionResponse>>
      stream(grpc::internal::ClientReaderWriterFactory<
             crm::testing::v1::ReflectionRequest,
             crm::testing::v1::ReflectionResponse>::Create(channel_.get(), method, &context));
  crm::testing::v1::ReflectionRequest request;
  request.set_list_services("*");
  ASSERT_TRUE(stream->Write(request));
  stream->WritesDone();
  crm::testing::v1::ReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));
  std::vector<std::string> names;
  for (const auto& service : response.list_services_response().service()) {
    names.push_back(service.name());
  }
  EXPECT_NE(std::find(names.begin(), names.end(), "crm.testing.v1.EchoService"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "grpc.health.v1.Health"), names.end());
  while (stream->Read(&response)) {
  }
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(ServiceProcessTest, RecordedEventsReachTheTopic) {
  StartAndConnect();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Echo(absl::StrCat("m", i)).ok());
  auto records = kafka::testing::ReadTopic(settings_.kafka_brokers,
                                           kafka::EventTopic(settings_.topic_prefix, "echo"), 5);
  EXPECT_EQ(records.size(), 5u);
}

TEST(MetricsHttpServerTest, StopsRightAfterItStarts) {
  // A process that fails to start right after its metrics port opened (a refused rebuild
  // setting, say) stops it at once; a stop that came before the server's thread ran would
  // leave that thread listening for good, and the process would never exit.
  metrics::Registry registry;
  std::atomic<int> stopped{0};
  std::thread starts_and_stops([&] {
    for (int i = 0; i < 200; ++i) {
      MetricsHttpServer server(registry);
      ASSERT_TRUE(server.Start("127.0.0.1:0").ok());
      server.Stop();
      stopped.fetch_add(1);
    }
  });
  const bool all_stopped = WaitFor([&] { return stopped.load() == 200; }, absl::Seconds(60));
  EXPECT_TRUE(all_stopped) << stopped.load() << " of 200 servers stopped";
  if (all_stopped) {
    starts_and_stops.join();
  } else {
    starts_and_stops.detach();  // stuck in Stop: the test fails instead of hanging
  }
}

TEST_F(ServiceProcessTest, StartFailsNamingTheSettingWhenTheAddressIsTaken) {
  StartAndConnect();
  ServiceSettings clash = settings_;
  clash.data_dir = dir_.Sub("other");
  clash.listen = absl::StrCat("127.0.0.1:", process_->grpc_port());
  ServiceProcess second(clash);
  ASSERT_TRUE(second.OpenStore().ok());
  absl::Status started = second.Start();
  EXPECT_EQ(started.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(started.message().find("CRM_LISTEN"), std::string::npos) << started;
}

}  // namespace
}  // namespace crm::runtime
