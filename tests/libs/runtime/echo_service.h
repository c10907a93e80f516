// The echo service of the tests: answers with what it was sent and, when given a store,
// records each message as an event published to `topic` — a minimal service on the
// runtime, to test the runtime with.
#pragma once

#include <functional>
#include <string>

#include "crm/eventstore/event_store.h"
#include "crm/testing/v1/testing.grpc.pb.h"

namespace crm::testing {

class EchoServiceImpl final : public crm::testing::v1::EchoService::Service {
 public:
  // `store` may be null (nothing is recorded). `on_delayed` runs when a request with a delay
  // arrives, before the wait.
  EchoServiceImpl(eventstore::EventStore* store, std::string topic,
                  std::function<void()> on_delayed = nullptr)
      : store_(store), topic_(std::move(topic)), on_delayed_(std::move(on_delayed)) {}

  grpc::Status Echo(grpc::ServerContext* context, const crm::testing::v1::EchoRequest* request,
                    crm::testing::v1::EchoResponse* response) override;

 private:
  eventstore::EventStore* store_;
  std::string topic_;
  std::function<void()> on_delayed_;
};

}  // namespace crm::testing
