// What EVENTS.md says beyond the protos: the topics, who reads them, how they are keyed,
// partitioned and kept, and the delivery guarantees (docs/ARCHITECTURE.md, "Events to Kafka").
#pragma once

#include <string>
#include <vector>

struct TopicLine {
  std::string name;
  std::string service;
  std::string consumers;
  std::string key;
  std::string partitions;
  std::string retention;
  std::string proto_file;
};

struct HeaderLine {
  std::string name;
  std::string value;
};

inline constexpr char kDeliverySection[] =
    "## Delivery\n\n"
    "- **At least once.** A service appends an event and its outbox record in one write; a "
    "relay produces the outbox in order with Kafka's idempotent producer and removes a "
    "record only once the broker confirmed it. A resend after a crash or a delivery error "
    "can publish an event twice, so consumers deduplicate by `ce_id` (or by `stream_id` and "
    "`stream_version`).\n"
    "- **Ordered per key.** Messages are keyed by the customer id, so one customer's events "
    "arrive in the order they happened; events about no customer are keyed by their stream "
    "(`settings`, `policies`, `model-<version>`, `survey-<id>`, …). There is no order across "
    "keys or topics: a consumer that joins topics waits for what it needs or tolerates "
    "gaps.\n"
    "- **LZ4-compressed batches.** The producers compress with LZ4, which librdkafka-based "
    "clients and the Java client read as they are; kafkajs needs a codec registered (see "
    "`examples/node-nps-per-tier`).\n"
    "- **Commands do not wait for Kafka.** While the broker is away, commands still succeed "
    "and their events wait in the outbox; they are published, in order, when it returns.\n"
    "- **Events never change.** An event type is never removed and a field never changes "
    "its number or type; an event whose meaning changes gets a new message type (see "
    "`contract/README.md`).\n";

inline std::vector<HeaderLine> Headers() {
  return {
      {"ce_specversion", "`1.0`"},
      {"ce_id", "the event id (`metadata.event_id`), a UUID: the key for deduplication"},
      {"ce_source", "`crm/<service>/<region>` (`metadata.source`)"},
      {"ce_type", "the event message's full name, e.g. `crm.v1.CustomerRegistered`"},
      {"ce_time", "when it was recorded, RFC 3339 in UTC with microseconds"},
      {"ce_subject", "the customer id; absent for events about no customer"},
      {"content-type", "`application/protobuf`"},
  };
}

// Partitions and retention are what deployments should create the topics with (see
// kTopicsNote); the local launcher creates 8 partitions and its broker keeps messages in
// memory only.
inline constexpr char kTopicsNote[] =
    "Each region's deployment prefixes its topics (`CRM_TOPIC_PREFIX`, e.g. "
    "`emea.crm.registry.events.v1`). Partitions: 12, enough for the consumers of one region "
    "to share the load; the count bounds only how many instances of a consumer group read "
    "in parallel, and the per-key order holds whatever it is. Retention: unlimited "
    "(`retention.ms=-1`), since a topic is the history a new consumer replays to build its "
    "read model.\n";

inline std::vector<TopicLine> Topics() {
  return {
      {"crm.registry.events.v1", "registry", "engagement, satisfaction, tiering", "customer id",
       "12", "unlimited", "crm/v1/registry.proto"},
      {"crm.engagement.events.v1", "engagement", "tiering", "customer id, else stream", "12",
       "unlimited", "crm/v1/engagement.proto"},
      {"crm.satisfaction.events.v1", "satisfaction", "tiering", "customer id, else stream", "12",
       "unlimited", "crm/v1/satisfaction.proto"},
      {"crm.tiering.events.v1", "tiering", "engagement, satisfaction", "customer id, else stream",
       "12", "unlimited", "crm/v1/tiering.proto"},
  };
}

// The compacted state topics: the current state of each customer, keyed by customer id.
struct StateTopicLine {
  std::string name;
  std::string service;
  std::string state_type;
  std::string state;
};

inline constexpr char kStateTopicsNote[] =
    "Besides its events, a service publishes the current state of each customer its events "
    "touch to a compacted topic (`cleanup.policy=compact`), keyed by customer id, so that a "
    "consumer loads today's picture without replaying history: it reads the topic from the "
    "start and keeps the newest record of each key. The value is the serialized state "
    "message named by `ce_type` (headers `ce_type`, `ce_subject`, `content-type`); an empty "
    "value (a tombstone) means the customer has no such state any more. States are "
    "published at least once, after the events that changed them.\n";

inline std::vector<StateTopicLine> StateTopics() {
  return {
      {"crm.registry.state.v1", "registry", "crm.v1.CustomerArchive",
       "the whole archive; never the restricted personal profile (only whether a key person "
       "has one), and erasing a profile publishes the archive again"},
      {"crm.engagement.state.v1", "engagement", "crm.v1.CustomerEngagementSummary",
       "tier, latest touchpoint, 90-day coverage, relationship levels and what is overdue, as "
       "of the customer's last engagement event"},
      {"crm.satisfaction.state.v1", "satisfaction", "crm.v1.CustomerSatisfaction",
       "NPS over the last twelve months and the open issues"},
      {"crm.tiering.state.v1", "tiering", "crm.v1.CustomerTier",
       "the tier with its explanation (score card); a tombstone once the customer is lost"},
  };
}
