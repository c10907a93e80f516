// Publishes the event store's outbox to Kafka. One thread reads outbox rows in order and
// produces each with librdkafka's idempotent producer (acks=all), the customer id as key
// (so one customer's events keep their order) and CloudEvents headers; a row is removed
// only when its delivery report confirms it. While the broker is down, rows wait in the
// outbox and in the producer's queue and go out when it returns; after a restart, every
// row still in the outbox is sent again. Delivery is therefore at least once.
//
//   OutboxRelay relay(store, {.brokers = "127.0.0.1:9092", .client_id = "crm-registry"},
//                     &registry);
//   RETURN_IF_ERROR(relay.Start());
//   ...
//   relay.Stop(absl::Seconds(5));  // deliver what it can within 5 s, then stop
//
// Start and Stop are called by the owner from one thread; metrics are thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "crm/eventstore/event_store.h"
#include "crm/metrics/registry.h"

namespace RdKafka {
class Producer;
}

namespace crm::kafka {

struct RelayOptions {
  // Kafka bootstrap servers, "host:port,...".
  std::string brokers;
  // The client id the broker sees.
  std::string client_id = "crm";
  // Most outbox rows read per round.
  size_t batch_size = 5000;
  // How long the producer gathers messages into a batch (linger.ms).
  int linger_ms = 5;
  // Further librdkafka producer properties (they override the defaults above).
  std::map<std::string, std::string> overrides;
};

class OutboxRelay {
 public:
  // `registry` (may be null) receives the relay's metrics.
  OutboxRelay(eventstore::EventStore& store, RelayOptions options,
              metrics::Registry* registry = nullptr);
  ~OutboxRelay();
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  // Creates the producer (INVALID_ARGUMENT for a bad setting) and starts the thread.
  absl::Status Start();

  // Stops reading new rows once the outbox is empty or `flush_timeout` has passed, waits
  // for outstanding deliveries within that time, and stops the thread. What is not
  // confirmed stays in the outbox. Idempotent.
  void Stop(absl::Duration flush_timeout);

  // Events confirmed by the broker since Start.
  uint64_t Delivered() const { return delivered_total_.load(); }
  // Delivery errors reported since Start.
  uint64_t DeliveryErrors() const { return errors_total_.load(); }

 private:
  class DeliveryReports;

  void Run();
  void Produce(uint64_t id, std::string_view topic, std::string_view key, std::string_view bytes);
  // Removes the confirmed rows from the outbox and tells the store how far the log is
  // published.
  void RemoveConfirmed();
  // After a delivery error: waits until nothing is in flight, then re-reads the outbox
  // from its start (only unconfirmed rows are left in it).
  void Rewind();
  bool PastStopDeadline() const;

  eventstore::EventStore& store_;
  RelayOptions options_;
  std::unique_ptr<DeliveryReports> reports_;
  std::unique_ptr<RdKafka::Producer> producer_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  // Set by Stop before stopping_, read by the relay thread: Unix nanoseconds.
  std::atomic<int64_t> stop_deadline_ns_{0};

  // Touched by the relay thread only (delivery reports are served by its poll calls).
  std::vector<uint64_t> confirmed_;
  // When poll last served an event: the relay polls less often while none come.
  absl::Time last_report_ = absl::InfinitePast();
  // The highest outbox id handed to the producer (back to 0 after a rewind), and the ids
  // handed to it that the broker has not confirmed: everything below the lowest of them
  // and up to the cursor is published (EventStore::NotePublished).
  uint64_t cursor_ = 0;
  std::set<uint64_t> unconfirmed_;
  bool rewind_needed_ = false;
  // Reused for every message, so that parsing allocates almost nothing.
  crm::v1::EventMetadata metadata_;
  std::string topic_;

  std::atomic<uint64_t> delivered_total_{0};
  std::atomic<uint64_t> errors_total_{0};
  metrics::Counter* delivered_metric_ = nullptr;
  metrics::Counter* errors_metric_ = nullptr;
};

}  // namespace crm::kafka
