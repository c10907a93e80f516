// A service's events topic restored from its store. When the topic holds fewer events than
// the store has published (the topic was deleted, a cluster was rebuilt, or a broker
// started empty, as crm-devbroker does after every restart), the whole log goes back into
// the outbox and the relay publishes it again, in order, each event with its own id and
// key, so consumers that applied an event already skip it and a fresh consumer reads the
// whole history. Run before the relay starts.
//
//   ASSIGN_OR_RETURN(TopicRestore restore, RestoreEventTopic(store, options, RestoreWhen::kAuto));
//   if (restore.requeued > 0) { /* publish the states again too */ }
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "crm/eventstore/event_store.h"

namespace crm::kafka {

struct TopicRestoreOptions {
  std::string brokers;
  std::string client_id = "crm";
  // The service's events topic.
  std::string topic;
  // Further librdkafka properties.
  std::map<std::string, std::string> overrides;
  // How long to wait for the broker's answers.
  absl::Duration timeout = absl::Seconds(5);
};

enum class RestoreWhen {
  // When the topic holds fewer events than the store published.
  kAuto,
  // Whatever the topic holds (an operator's command).
  kAlways,
};

struct TopicRestore {
  // Messages ever written to the topic (the sum of its partitions' high watermarks; 0 for
  // a topic that does not exist); -1 when it was not asked.
  int64_t messages_on_topic = -1;
  // Events the store's relay has published: those of the log no longer in the outbox.
  uint64_t published_by_store = 0;
  // Events put back into the outbox to be published again.
  uint64_t requeued = 0;
};

// The messages ever written to `options.topic`: the sum of its partitions' high
// watermarks, which count messages a retention limit has since removed; 0 when the topic
// does not exist. UNAVAILABLE when the broker does not answer within the timeout.
absl::StatusOr<int64_t> MessagesWritten(const TopicRestoreOptions& options);

absl::StatusOr<TopicRestore> RestoreEventTopic(eventstore::EventStore& store,
                                               const TopicRestoreOptions& options,
                                               RestoreWhen when);

}  // namespace crm::kafka
