// Publishes the current state of each customer a service's events touched to a compacted
// topic keyed by customer id ("crm.<service>.state.v1"), so that a downstream consumer can
// load today's picture without replaying the event topics.
//
// It follows the service's own event log from a position it stores in the event store:
// for each batch of new events it asks `state_of` for the current state of every customer
// the batch names (once per customer, however many of its events the batch holds),
// produces them, and stores the batch's last position once the broker confirmed them all.
// A crash or a broker outage only delays states and may publish one twice, which a
// compacted topic makes harmless. A customer without state (`state_of` answers nullopt)
// gets a tombstone, which compaction removes.
//
//   kafka::StatePublisher states(store, {.brokers = brokers, .topic = StateTopic(prefix,
//       "tiering"), .state_type = "crm.v1.CustomerTier"}, [&](std::string_view id) { … });
//   states.Start();
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "crm/eventstore/event_store.h"

namespace RdKafka {
class Producer;
}

namespace crm::kafka {

struct StateTopicOptions {
  std::string brokers;
  std::string client_id;
  std::string topic;
  // The state message's full protobuf name, sent as the `ce_type` header.
  std::string state_type;
  std::map<std::string, std::string> overrides;  // librdkafka settings
  size_t batch_events = 2000;
};

// The serialized current state of a customer, or nullopt when it has none.
using StateOf =
    std::function<absl::StatusOr<std::optional<std::string>>(std::string_view customer_id)>;

class StatePublisher {
 public:
  StatePublisher(eventstore::EventStore& store, StateTopicOptions options, StateOf state_of);
  ~StatePublisher();
  StatePublisher(const StatePublisher&) = delete;
  StatePublisher& operator=(const StatePublisher&) = delete;

  // Before Start: publish every customer's state again, following the log from its start
  // (the stored position is forgotten first, so an interruption resumes from where it
  // got): for a state topic that lost what it held.
  void PublishFromStart() { from_start_ = true; }
  // Creates the producer (INVALID_ARGUMENT for a bad setting) and starts the thread.
  absl::Status Start();
  // Stops after the batch in progress (waiting for its deliveries at most `timeout`).
  void Stop(absl::Duration timeout);

  // The position of the last event whose customers' states were confirmed.
  uint64_t PublishedPosition() const { return published_.load(); }

 private:
  void Run();
  // Produces the states of the customers of `events`; true once the broker confirmed all.
  bool PublishBatch(const std::vector<eventstore::StoredEvent>& events);

  eventstore::EventStore& store_;
  bool from_start_ = false;
  StateTopicOptions options_;
  StateOf state_of_;
  std::unique_ptr<RdKafka::Producer> producer_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> published_{0};
};

// "<prefix>crm.<service>.state.v1".
std::string StateTopic(const std::string& prefix, const std::string& service);

}  // namespace crm::kafka
