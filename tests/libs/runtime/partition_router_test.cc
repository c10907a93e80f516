// The router over real gRPC: three partition tasks behind in-process channels, calls
// routed by key, asked of every partition and merged, and what a forwarded call keeps of
// the caller's.
#include "crm/runtime/partition_router.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/notification.h"
#include "crm/kafka/partitioner.h"
#include "crm/testing/v1/testing.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace crm::runtime {
namespace {

using crm::testing::v1::EchoRequest;
using crm::testing::v1::EchoResponse;
using ::testing::HasSubstr;

constexpr int kPartitions = 3;

// A partition's task: answers "p<partition>|<caller>|<deadline set>|<message>", and
// NOT_FOUND for the message "missing".
class PartitionEcho final : public crm::testing::v1::EchoService::Service {
 public:
  explicit PartitionEcho(int partition) : partition_(partition) {}

  grpc::Status Echo(grpc::ServerContext* context, const EchoRequest* request,
                    EchoResponse* response) override {
    if (request->message() == "missing") {
      return {grpc::StatusCode::NOT_FOUND, "customer_id missing names no customer"};
    }
    const auto caller = context->client_metadata().find("x-crm-principal");
    const std::string principal = caller == context->client_metadata().end()
                                      ? "-"
                                      : std::string(caller->second.data(), caller->second.size());
    const bool deadline_set = context->deadline() != std::chrono::system_clock::time_point::max();
    response->set_message(absl::StrCat("p", partition_, "|", principal, "|",
                                       deadline_set ? "deadline" : "none", "|",
                                       request->message()));
    return grpc::Status::OK;
  }

 private:
  int partition_;
};

const google::protobuf::ServiceDescriptor& EchoDescriptor() {
  return *EchoRequest::descriptor()->file()->FindServiceByName("EchoService");
}

class PartitionRouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int p = 0; p < kPartitions; ++p) {
      tasks_.push_back(std::make_unique<PartitionEcho>(p));
      grpc::ServerBuilder builder;
      builder.RegisterService(tasks_.back().get());
      task_servers_.push_back(builder.BuildAndStart());
      channels_.push_back(task_servers_.back()->InProcessChannel(grpc::ChannelArguments()));
    }
  }

  void TearDown() override {
    if (router_server_ != nullptr) router_server_->Shutdown();
    for (auto& server : task_servers_) server->Shutdown();
  }

  // Starts the router with `route` for Echo, answering through `stub_`.
  void StartRouter(Route route, RouterOptions options = {.pass_claimed_identity = true}) {
    if (router_server_ != nullptr) {
      // The server goes before the router it calls.
      router_server_->Shutdown();
      router_server_.reset();
    }
    RoutedService echo{.service = &EchoDescriptor(), .routes = {{"Echo", std::move(route)}}};
    echo.mergers["Echo"] =
        [](std::string_view request,
           const std::vector<std::string>& replies) -> absl::StatusOr<std::string> {
      EchoRequest asked;
      if (!asked.ParseFromString(std::string(request))) return absl::InternalError("request");
      std::vector<std::string> messages;
      for (const std::string& reply : replies) {
        EchoResponse response;
        if (!response.ParseFromString(reply)) return absl::InternalError("reply");
        messages.push_back(response.message());
      }
      std::sort(messages.begin(), messages.end());
      EchoResponse merged;
      merged.set_message(absl::StrJoin(messages, ";"));
      return merged.SerializeAsString();
    };
    echo.settings_key = "settings";
    auto router = PartitionRouter::Create({std::move(echo)}, channels_, options);
    ASSERT_TRUE(router.ok()) << router.status();
    router_ = *std::move(router);
    grpc::ServerBuilder builder;
    builder.RegisterCallbackGenericService(router_.get());
    router_server_ = builder.BuildAndStart();
    channel_ = router_server_->InProcessChannel(grpc::ChannelArguments());
    stub_ = crm::testing::v1::EchoService::NewStub(channel_);
  }

  grpc::Status Echo(const std::string& message, EchoResponse& response,
                    const std::string& principal = "alice") {
    grpc::ClientContext context;
    context.AddMetadata("x-crm-principal", principal);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    EchoRequest request;
    request.set_message(message);
    return stub_->Echo(&context, request, &response);
  }

  std::vector<std::unique_ptr<PartitionEcho>> tasks_;
  std::vector<std::unique_ptr<grpc::Server>> task_servers_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::unique_ptr<PartitionRouter> router_;
  std::unique_ptr<grpc::Server> router_server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<crm::testing::v1::EchoService::Stub> stub_;
};

TEST_F(PartitionRouterTest, SendsEachCallToThePartitionOfItsKeyWithTheCallersHeaders) {
  StartRouter(Route::ByKey("message"));
  std::set<int> reached;
  for (int i = 0; i < 30; ++i) {
    const std::string key = absl::StrCat("cus_", i);
    EchoResponse response;
    ASSERT_TRUE(Echo(key, response).ok());
    const int partition = kafka::KeyPartition(key, kPartitions);
    reached.insert(partition);
    EXPECT_EQ(response.message(), absl::StrCat("p", partition, "|alice|deadline|", key));
  }
  EXPECT_EQ(reached.size(), 3u);
}

TEST_F(PartitionRouterTest, KeepsAClaimedIdentityFromTheTasksUnlessTold) {
  // A task's in-process server has no transport to verify a token: an identity a caller
  // merely claims must not reach it, except with authentication off.
  StartRouter(Route::ByKey("message"), {});
  EchoResponse response;
  ASSERT_TRUE(Echo("cus_1", response, "mallory").ok());
  EXPECT_EQ(response.message(),
            absl::StrCat("p", kafka::KeyPartition("cus_1", kPartitions), "|-|deadline|cus_1"));
}

TEST_F(PartitionRouterTest, SendsACallWithoutItsKeyToPartitionZero) {
  StartRouter(Route::ByKey("message"));
  EchoResponse response;
  ASSERT_TRUE(Echo("", response).ok());
  EXPECT_EQ(response.message(), "p0|alice|deadline|");
}

TEST_F(PartitionRouterTest, SendsSettingsToThePartitionOfTheSettingsStream) {
  StartRouter(Route::Settings());
  EchoResponse response;
  ASSERT_TRUE(Echo("cus_1", response).ok());
  EXPECT_EQ(response.message(), absl::StrCat("p", kafka::KeyPartition("settings", kPartitions),
                                             "|alice|deadline|cus_1"));
}

TEST_F(PartitionRouterTest, AsksEveryPartitionAndMergesTheirReplies) {
  StartRouter(Route::AcrossPartitions());
  EchoResponse response;
  ASSERT_TRUE(Echo("all", response).ok());
  EXPECT_EQ(response.message(),
            "p0|alice|deadline|all;p1|alice|deadline|all;p2|alice|deadline|all");
}

TEST_F(PartitionRouterTest, PassesATasksRefusalThroughUntouched) {
  StartRouter(Route::ByKey("message"));
  EchoResponse response;
  const grpc::Status status = Echo("missing", response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "customer_id missing names no customer");

  StartRouter(Route::AcrossPartitions());
  EXPECT_EQ(Echo("missing", response).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(PartitionRouterTest, AnswersAMethodWithoutARouteUnimplemented) {
  StartRouter(Route::ByKey("message"));
  grpc::GenericStub generic(channel_);
  grpc::ClientContext context;
  EchoRequest request;
  const std::string bytes = request.SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer buffer(&slice, 1);
  grpc::ByteBuffer reply;
  absl::Notification done;
  grpc::Status status;
  generic.UnaryCall(&context, "/crm.testing.v1.EchoService/Shout", grpc::StubOptions(), &buffer,
                    &reply, [&](grpc::Status s) {
                      status = std::move(s);
                      done.Notify();
                    });
  done.WaitForNotification();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_THAT(status.error_message(), HasSubstr("no route for /crm.testing.v1.EchoService/Shout"));
}

TEST_F(PartitionRouterTest, RefusesATableWithoutAMergerOrARoute) {
  auto no_merger = PartitionRouter::Create(
      {{.service = &EchoDescriptor(), .routes = {{"Echo", Route::AcrossPartitions()}}}}, channels_);
  ASSERT_FALSE(no_merger.ok());
  EXPECT_THAT(no_merger.status().message(),
              HasSubstr("Echo is routed across partitions but has no merger"));
  auto no_route = PartitionRouter::Create({{.service = &EchoDescriptor()}}, channels_);
  ASSERT_FALSE(no_route.ok());
  EXPECT_THAT(no_route.status().message(), HasSubstr("Echo has no route"));
}

}  // namespace
}  // namespace crm::runtime
