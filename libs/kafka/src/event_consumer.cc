#include "crm/kafka/event_consumer.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "crm/eventstore/event_codec.h"
#include "crm/log/logger.h"
#include "librdkafka/rdkafkacpp.h"
#include "rdkafka_config.h"

namespace crm::kafka {
namespace {

const std::shared_ptr<spdlog::logger>& Log() {
  static const auto log = crm::log::Get("consumer");
  return log;
}

constexpr int kWatermarkTimeoutMs = 5000;

}  // namespace

struct EventConsumer::Metrics {
  explicit Metrics(metrics::Registry* registry) {
    if (registry == nullptr) registry = &own;
    events = &registry->AddCounter("crm_consumer_events_total",
                                   "Events read from Kafka, by topic and outcome (applied, "
                                   "duplicate, malformed, rejected).",
                                   {"topic", "outcome"});
    lag = &registry->AddGauge("crm_consumer_lag_messages",
                              "Messages between the consumer's position and the partition's end.",
                              {"topic", "partition"});
    resets = &registry->AddCounter("crm_consumer_offset_resets_total",
                                   "Partitions restarted from their start because the stored "
                                   "offset was past the end or below the start of the log.",
                                   {"topic", "reason"});
  }
  metrics::Registry own;  // used when the owner passes no registry
  metrics::Family<metrics::Counter>* events;
  metrics::Family<metrics::Gauge>* lag;
  metrics::Family<metrics::Counter>* resets;
};

// Seeks newly assigned partitions to the offsets stored with the projections, and commits
// the batch in hand before partitions are taken away. Runs inside consume() calls, on the
// consumer thread.
class EventConsumer::Rebalancer final : public RdKafka::RebalanceCb {
 public:
  explicit Rebalancer(EventConsumer& owner) : owner_(owner) {}

  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override {
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      for (RdKafka::TopicPartition* partition : partitions) Seek(consumer, *partition);
      consumer->assign(partitions);
      owner_.assigned_.store(true);
      Log()->info("consumer {} assigned {} partitions", owner_.options_.group_id,
                  partitions.size());
      return;
    }
    Log()->info("consumer {} gives up {} partitions", owner_.options_.group_id, partitions.size());
    absl::Status committed = owner_.CommitBatch();
    if (!committed.ok()) Log()->error("cannot commit before revocation: {}", committed.ToString());
    consumer->unassign();
  }

 private:
  void Seek(RdKafka::KafkaConsumer* consumer, RdKafka::TopicPartition& partition) {
    const std::string& topic = partition.topic();
    const int32_t id = partition.partition();
    auto stored = owner_.store_.LoadConsumerOffset(owner_.options_.group_id, topic, id);
    if (!stored.ok() || !stored->has_value()) {
      if (!stored.ok())
        Log()->error("cannot read the stored offset: {}", stored.status().ToString());
      partition.set_offset(RdKafka::Topic::OFFSET_BEGINNING);
      return;
    }
    int64_t low = 0;
    int64_t high = 0;
    RdKafka::ErrorCode code =
        consumer->query_watermark_offsets(topic, id, &low, &high, kWatermarkTimeoutMs);
    const int64_t offset = **stored;
    if (code == RdKafka::ERR_NO_ERROR && (offset > high || offset < low)) {
      const char* reason = offset > high ? "past_end" : "below_start";
      Log()->warn(
          "stored offset {} of {}[{}] is {} of the log [{}, {}]: restarting the partition from "
          "its start; already applied events will be skipped",
          offset, topic, id, offset > high ? "past the end" : "below the start", low, high);
      owner_.metrics_->resets->Get({topic, reason}).Increment();
      partition.set_offset(RdKafka::Topic::OFFSET_BEGINNING);
      return;
    }
    partition.set_offset(offset);
  }

  EventConsumer& owner_;
};

EventConsumer::EventConsumer(eventstore::EventStore& store, ConsumerOptions options,
                             EventHandler handler, metrics::Registry* registry)
    : store_(store),
      options_(std::move(options)),
      handler_(std::move(handler)),
      metrics_(std::make_unique<Metrics>(registry)),
      rebalancer_(std::make_unique<Rebalancer>(*this)),
      projection_(store) {}

EventConsumer::~EventConsumer() { Stop(); }

absl::Status EventConsumer::Start() {
  if (options_.group_id.empty()) return absl::InvalidArgumentError("consumer group id is empty");
  if (options_.topics.empty()) return absl::InvalidArgumentError("consumer has no topics");
  std::map<std::string, std::string> settings = {
      {"bootstrap.servers", options_.brokers},
      {"group.id", options_.group_id},
      {"client.id", options_.client_id},
      // Offsets live in the event store, written with the projections.
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"auto.offset.reset", "earliest"},
      // A topic that does not exist yet is not an error; it is picked up once created.
      {"topic.metadata.refresh.interval.ms", "10000"},
  };
  auto conf = internal::MakeConf(std::move(settings), options_.overrides);
  if (!conf.ok()) return conf.status();
  std::string error;
  if ((*conf)->set("rebalance_cb", rebalancer_.get(), error) != RdKafka::Conf::CONF_OK) {
    return absl::InternalError(error);
  }
  consumer_.reset(RdKafka::KafkaConsumer::create(conf->get(), error));
  if (consumer_ == nullptr) return absl::InvalidArgumentError("Kafka consumer: " + error);
  absl::Status subscribed = internal::FromKafka(consumer_->subscribe(options_.topics), "subscribe");
  if (!subscribed.ok()) return subscribed;
  thread_ = std::thread([this] { Run(); });
  Log()->info("consumer {} started on {}", options_.group_id, absl::StrJoin(options_.topics, ","));
  return absl::OkStatus();
}

void EventConsumer::Stop() {
  if (!thread_.joinable()) return;
  stopping_.store(true);
  thread_.join();
}

absl::Status EventConsumer::status() const {
  std::lock_guard lock(status_mu_);
  return status_;
}

void EventConsumer::Run() {
  absl::Status failure;
  while (!stopping_.load() && failure.ok()) {
    const absl::Time deadline = absl::Now() + options_.max_batch_wait;
    while (batch_messages_ < options_.max_batch && !stopping_.load()) {
      const int timeout_ms = batch_messages_ == 0
                                 ? 100
                                 : static_cast<int>(std::max<int64_t>(
                                       0, absl::ToInt64Milliseconds(deadline - absl::Now())));
      std::unique_ptr<RdKafka::Message> message(consumer_->consume(timeout_ms));
      const RdKafka::ErrorCode code = message->err();
      if (code == RdKafka::ERR_NO_ERROR) {
        failure = Handle(*message);
        if (!failure.ok()) break;
      } else if (code == RdKafka::ERR__TIMED_OUT) {
        // Nothing more to read right now: what was there when assigned has been read.
        if (assigned_.load() && batch_messages_ == 0) caught_up_.store(true);
        if (batch_messages_ > 0) break;
      } else if (code == RdKafka::ERR_UNKNOWN_TOPIC_OR_PART ||
                 code == RdKafka::ERR__UNKNOWN_TOPIC) {
        Log()->debug("waiting for topic {} to exist", message->topic_name());
      } else if (code != RdKafka::ERR__PARTITION_EOF) {
        Log()->warn("consumer: {}", message->errstr());
      }
      if (batch_messages_ > 0 && absl::Now() >= deadline) break;
    }
    if (failure.ok()) failure = CommitBatch();
  }
  if (failure.ok()) failure = CommitBatch();
  if (!failure.ok()) {
    Log()->error("consumer {} stopped: a batch could not be stored: {}", options_.group_id,
                 failure.ToString());
    std::lock_guard lock(status_mu_);
    status_ = failure;
  }
  consumer_->close();
  consumer_.reset();
}

absl::StatusOr<uint64_t> EventConsumer::AppliedVersion(const std::string& source,
                                                       const std::string& stream) {
  auto key = std::make_pair(source, stream);
  if (auto it = applied_.find(key); it != applied_.end()) return it->second;
  return store_.LoadAppliedVersion(source, stream);
}

absl::Status EventConsumer::Handle(const RdKafka::Message& message) {
  ConsumedEvent event;
  event.topic = message.topic_name();
  event.partition = message.partition();
  event.offset = message.offset();
  if (message.key() != nullptr) event.key = *message.key();
  event.bytes.assign(static_cast<const char*>(message.payload()), message.len());
  next_offsets_[{event.topic, event.partition}] = event.offset + 1;
  ++batch_messages_;

  auto& events = *metrics_->events;
  if (!eventstore::ParseEventMetadata(event.bytes, event.metadata) ||
      event.metadata.stream_id().empty() || event.metadata.stream_version() == 0 ||
      event.metadata.source().empty()) {
    Log()->warn("skipping {}[{}]@{}: not an event of this system (no readable metadata)",
                event.topic, event.partition, event.offset);
    events.Get({event.topic, "malformed"}).Increment();
    return absl::OkStatus();
  }
  const std::string& source = event.metadata.source();
  // Versions are tracked per stream and message key: Kafka keeps the order of one key's
  // messages only, and a stream may publish under several keys (an evaluation run keys
  // each tier change by its customer), so a later version under one key must not pass
  // for a redelivery of an earlier one still on its way under another.
  const std::string stream = event.key.empty()
                                 ? event.metadata.stream_id()
                                 : absl::StrCat(event.metadata.stream_id(), " key ", event.key);
  auto applied = AppliedVersion(source, stream);
  // The store cannot be read: stop without storing the batch, so that nothing is skipped.
  if (!applied.ok()) return applied.status();
  if (event.metadata.stream_version() <= *applied) {
    ++batch_duplicates_;
    events.Get({event.topic, "duplicate"}).Increment();
    return absl::OkStatus();
  }
  if (*applied != 0 && event.metadata.stream_version() > *applied + 1) {
    Log()->warn("stream {} from {} jumps from version {} to {}: earlier events were not seen",
                stream, source, *applied, event.metadata.stream_version());
  }
  projection_.BeginEvent();
  absl::Status status = handler_(event, projection_);
  if (!status.ok()) {
    projection_.RollbackEvent();
    Log()->warn("skipping {} {} v{}: {}", event.metadata.event_type(), stream,
                event.metadata.stream_version(), status.ToString());
    events.Get({event.topic, "rejected"}).Increment();
  } else {
    ++batch_applied_;
    events.Get({event.topic, "applied"}).Increment();
  }
  applied_[{source, stream}] = event.metadata.stream_version();
  return absl::OkStatus();
}

absl::Status EventConsumer::CommitBatch() {
  if (batch_messages_ == 0) return absl::OkStatus();
  eventstore::ConsumedBatch batch;
  batch.rows = projection_.TakeWrites();
  for (const auto& [key, version] : applied_) {
    batch.applied.push_back({.source = key.first, .stream_id = key.second, .version = version});
  }
  for (const auto& [key, next] : next_offsets_) {
    batch.offsets.push_back({.group = options_.group_id,
                             .topic = key.first,
                             .partition = key.second,
                             .next_offset = next});
  }
  absl::Status stored = store_.CommitConsumed(batch);
  if (!stored.ok()) return stored;
  batches_total_.fetch_add(1);
  applied_total_.fetch_add(batch_applied_);
  duplicates_total_.fetch_add(batch_duplicates_);
  batch_applied_ = 0;
  batch_duplicates_ = 0;

  // Also tell Kafka, so that its tools show the group's progress; the stored offsets are
  // the ones that count.
  std::vector<RdKafka::TopicPartition*> offsets;
  for (const auto& [key, next] : next_offsets_) {
    RdKafka::TopicPartition* partition = RdKafka::TopicPartition::create(key.first, key.second);
    partition->set_offset(next);
    offsets.push_back(partition);
    int64_t low = 0;
    int64_t high = 0;
    if (consumer_->get_watermark_offsets(key.first, key.second, &low, &high) ==
            RdKafka::ERR_NO_ERROR &&
        high >= next) {
      metrics_->lag->Get({key.first, std::to_string(key.second)})
          .Set(static_cast<double>(high - next));
    }
  }
  consumer_->commitAsync(offsets);
  RdKafka::TopicPartition::destroy(offsets);

  applied_.clear();
  next_offsets_.clear();
  batch_messages_ = 0;
  return absl::OkStatus();
}

}  // namespace crm::kafka
