// Consumes other services' events into this service's read models, effectively once.
// Each batch of messages is applied by a handler into a ProjectionBatch, and the batch's
// rows, the newest version applied per source stream and the next offset per partition
// are written to the event store in one durable write. On partition assignment the
// consumer seeks to the offsets stored there (not Kafka's committed offsets), so a crash
// between batches loses nothing and applies nothing twice; events already applied (same
// stream and message key, version not newer) are skipped, so redeliveries and resends
// change nothing.
//
//   EventConsumer consumer(store, {.brokers = brokers, .group_id = "crm-engagement",
//                                  .topics = {"crm.registry.events.v1"}},
//                          [&](const ConsumedEvent& e, ProjectionBatch& b) { ... }, &registry);
//   RETURN_IF_ERROR(consumer.Start());
//   consumer.Stop();
//
// A stored offset past the end of a partition (the broker lost its data, as the dev broker
// does on restart) or below its start (retention removed it) restarts the partition from
// its start, with a log line and a metric; projections are idempotent, so that is safe.
// A message that is not an event of ours (no readable metadata) is logged, counted and
// skipped; so is an event the handler rejects. Topics that do not exist yet are waited for.
// Start and Stop are called by the owner from one thread.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "crm/eventstore/event_store.h"
#include "crm/kafka/projection_batch.h"
#include "crm/metrics/registry.h"
#include "crm/v1/common.pb.h"

namespace RdKafka {
class KafkaConsumer;
class Message;
}  // namespace RdKafka

namespace crm::kafka {

// One event read from Kafka.
struct ConsumedEvent {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  std::string key;
  crm::v1::EventMetadata metadata;
  // The serialized event (metadata included); parse as metadata.event_type().
  std::string bytes;
};

// Applies one event to the batch. An error skips the event (it is logged and counted).
using EventHandler = std::function<absl::Status(const ConsumedEvent&, ProjectionBatch&)>;

struct ConsumerOptions {
  std::string brokers;
  // The consumer group: one per service.
  std::string group_id;
  std::string client_id = "crm";
  std::vector<std::string> topics;
  // Most messages applied in one write.
  size_t max_batch = 500;
  // Longest a message waits for its batch to fill.
  absl::Duration max_batch_wait = absl::Milliseconds(20);
  // Further librdkafka consumer properties, e.g. {"fetch.wait.max.ms", "10"} locally.
  std::map<std::string, std::string> overrides;
};

class EventConsumer {
 public:
  EventConsumer(eventstore::EventStore& store, ConsumerOptions options, EventHandler handler,
                metrics::Registry* registry = nullptr);
  ~EventConsumer();
  EventConsumer(const EventConsumer&) = delete;
  EventConsumer& operator=(const EventConsumer&) = delete;

  absl::Status Start();
  // Commits the batch in hand, leaves the group and stops the thread. Idempotent.
  void Stop();

  // Events applied (not skipped) and stored since Start.
  uint64_t Applied() const { return applied_total_.load(); }
  // Events skipped as already applied, in batches stored since Start.
  uint64_t SkippedDuplicates() const { return duplicates_total_.load(); }
  // Batches committed since Start.
  uint64_t BatchesCommitted() const { return batches_total_.load(); }
  // True once the consumer has its partitions and has read everything they held: the
  // service's projections reflect the other services' events up to about now.
  bool CaughtUp() const { return caught_up_.load(); }
  // Set when a batch could not be stored; the consumer has stopped.
  absl::Status status() const;

 private:
  class Rebalancer;
  struct Metrics;

  void Run();
  // Adds one message to the batch in hand. An error (the store cannot be read) stops the
  // consumer without storing the batch.
  absl::Status Handle(const RdKafka::Message& message);
  absl::Status CommitBatch();
  absl::StatusOr<uint64_t> AppliedVersion(const std::string& source, const std::string& stream);

  eventstore::EventStore& store_;
  ConsumerOptions options_;
  EventHandler handler_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<Rebalancer> rebalancer_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> assigned_{false};
  std::atomic<bool> caught_up_{false};

  // The batch in hand; consumer thread only.
  ProjectionBatch projection_;
  std::map<std::pair<std::string, std::string>, uint64_t> applied_;  // (source, stream)
  std::map<std::pair<std::string, int32_t>, int64_t> next_offsets_;  // (topic, partition)
  size_t batch_messages_ = 0;
  uint64_t batch_applied_ = 0;
  uint64_t batch_duplicates_ = 0;

  std::atomic<uint64_t> applied_total_{0};
  std::atomic<uint64_t> duplicates_total_{0};
  std::atomic<uint64_t> batches_total_{0};
  mutable std::mutex status_mu_;
  absl::Status status_;
};

}  // namespace crm::kafka
