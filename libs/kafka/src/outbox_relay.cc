#include "crm/kafka/outbox_relay.h"

#include "absl/strings/str_cat.h"
#include "crm/eventstore/event_codec.h"
#include "crm/kafka/cloud_events.h"
#include "crm/log/logger.h"
#include "librdkafka/rdkafkacpp.h"
#include "rdkafka_config.h"

namespace crm::kafka {
namespace {

const std::shared_ptr<spdlog::logger>& Log() {
  static const auto log = crm::log::Get("relay");
  return log;
}

}  // namespace

// Collects the outcome of each delivery; called from the relay thread's poll() and flush().
class OutboxRelay::DeliveryReports final : public RdKafka::DeliveryReportCb {
 public:
  explicit DeliveryReports(OutboxRelay& relay) : relay_(relay) {}

  void dr_cb(RdKafka::Message& message) override {
    const auto id = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(message.msg_opaque()));
    if (message.err() == RdKafka::ERR_NO_ERROR) {
      relay_.confirmed_.push_back(id);
      relay_.unconfirmed_.erase(id);
      return;
    }
    relay_.errors_total_.fetch_add(1);
    if (relay_.errors_metric_ != nullptr) relay_.errors_metric_->Increment();
    relay_.rewind_needed_ = true;
    Log()->warn("delivery of outbox id {} to {} failed: {}; it stays in the outbox", id,
                message.topic_name(), message.errstr());
  }

 private:
  OutboxRelay& relay_;
};

OutboxRelay::OutboxRelay(eventstore::EventStore& store, RelayOptions options,
                         metrics::Registry* registry)
    : store_(store),
      options_(std::move(options)),
      reports_(std::make_unique<DeliveryReports>(*this)) {
  if (registry != nullptr) {
    delivered_metric_ =
        &registry->AddCounter("crm_relay_delivered_total", "Events confirmed by Kafka.", {})
             .Get({});
    errors_metric_ = &registry
                          ->AddCounter("crm_relay_delivery_errors_total",
                                       "Deliveries to Kafka that failed (they are retried).", {})
                          .Get({});
    registry->AddGaugeCallback("crm_outbox_depth", "Events waiting in the outbox for Kafka.",
                               [&store] { return static_cast<double>(store.OutboxDepth()); });
  }
}

OutboxRelay::~OutboxRelay() { Stop(absl::ZeroDuration()); }

absl::Status OutboxRelay::Start() {
  std::map<std::string, std::string> settings = {
      {"bootstrap.servers", options_.brokers},
      {"client.id", options_.client_id},
      // No duplicates or reordering within a producer session, every replica acknowledges.
      {"enable.idempotence", "true"},
      {"acks", "all"},
      // Never give up on a message: while the broker is away it waits in the queue, and the
      // outbox row stays until it is confirmed.
      {"message.timeout.ms", "0"},
      {"linger.ms", std::to_string(options_.linger_ms)},
      {"batch.num.messages", "10000"},
      {"queue.buffering.max.messages", "200000"},
      {"compression.type", "lz4"},
      // The Java client's partitioner, so that keys land where other Kafka clients put them.
      {"partitioner", "murmur2_random"},
  };
  auto conf = internal::MakeConf(std::move(settings), options_.overrides);
  if (!conf.ok()) return conf.status();
  std::string error;
  if ((*conf)->set("dr_cb", reports_.get(), error) != RdKafka::Conf::CONF_OK) {
    return absl::InternalError(error);
  }
  producer_.reset(RdKafka::Producer::create(conf->get(), error));
  if (producer_ == nullptr) return absl::InvalidArgumentError("Kafka producer: " + error);
  thread_ = std::thread([this] { Run(); });
  Log()->info("relay started towards {}", options_.brokers);
  return absl::OkStatus();
}

void OutboxRelay::Stop(absl::Duration flush_timeout) {
  if (!thread_.joinable()) return;
  stop_deadline_ns_.store(absl::ToUnixNanos(absl::Now() + flush_timeout));
  stopping_.store(true);
  thread_.join();
  Log()->info("relay stopped; {} events left in the outbox", store_.OutboxDepth());
}

void OutboxRelay::Run() {
  while (true) {
    if (stopping_.load()) {
      // Drain: keep delivering until the outbox is empty or the deadline passes.
      const bool drained = store_.OutboxDepth() == 0 && producer_->outq_len() == 0;
      if (drained || PastStopDeadline()) break;
    }
    if (rewind_needed_) Rewind();

    const uint64_t last_committed = store_.LastPosition();
    size_t produced = 0;
    absl::Status read = store_.VisitOutbox(
        cursor_, options_.batch_size,
        [&](uint64_t id, std::string_view topic, std::string_view key, std::string_view bytes) {
          Produce(id, topic, key, bytes);
          cursor_ = id;
          ++produced;
        });
    if (!read.ok()) {
      Log()->error("cannot read the outbox: {}", read.ToString());
      producer_->poll(100);
      continue;
    }
    if (producer_->poll(0) > 0) last_report_ = absl::Now();
    RemoveConfirmed();
    if (produced == 0) {
      if (producer_->outq_len() > 0) {
        // Messages in flight: a command may be waiting for their confirmation
        // (StoreOptions::acknowledge_when_published), so serve each delivery report as it
        // arrives (poll returns at once then) and look for new commits every millisecond;
        // every 20 ms once no report has come for a while (the broker is away).
        const bool quiet = absl::Now() - last_report_ > absl::Milliseconds(100);
        if (producer_->poll(quiet ? 20 : 1) > 0) last_report_ = absl::Now();
        RemoveConfirmed();
      } else {
        // Nothing in flight and nothing new: sleep until the next commit.
        store_.WaitForCommit(last_committed, absl::Milliseconds(20));
      }
    }
  }
  const int64_t remaining_ms = std::max<int64_t>(
      0, absl::ToInt64Milliseconds(absl::FromUnixNanos(stop_deadline_ns_.load()) - absl::Now()));
  producer_->flush(static_cast<int>(remaining_ms));
  RemoveConfirmed();
  // Whatever is still queued is dropped with the producer; its rows stay in the outbox.
  producer_.reset();
}

void OutboxRelay::Produce(uint64_t id, std::string_view topic, std::string_view key,
                          std::string_view bytes) {
  // Unpublished until its delivery report confirms it, whatever happens below.
  unconfirmed_.insert(id);
  if (!eventstore::ParseEventMetadata(bytes, metadata_)) {
    // The store wrote it; unreadable means corruption. Leave it and say so loudly.
    Log()->critical("outbox id {} holds an event whose metadata cannot be read", id);
    errors_total_.fetch_add(1);
    return;
  }
  topic_.assign(topic);
  while (true) {
    RdKafka::Headers* headers = RdKafka::Headers::create();
    ForEachCloudEventHeader(metadata_, [headers](std::string_view name, std::string_view value) {
      headers->add(std::string(name), value.data(), value.size());
    });
    RdKafka::ErrorCode code = producer_->produce(
        topic_, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
        const_cast<char*>(bytes.data()), bytes.size(), key.data(), key.size(),
        // The outbox id rides as librdkafka's opaque pointer to the delivery report.
        /*timestamp=*/0, headers,
        reinterpret_cast<void*>(static_cast<uintptr_t>(id)));  // NOLINT(performance-no-int-to-ptr)
    if (code == RdKafka::ERR_NO_ERROR) return;                 // the producer owns the headers now
    delete headers;
    if (code == RdKafka::ERR__QUEUE_FULL) {
      // Back-pressure: wait for deliveries to make room.
      producer_->poll(50);
      RemoveConfirmed();
      continue;
    }
    // A message the producer refuses outright (too large, bad topic name): it stays in the
    // outbox and is retried after a rewind.
    errors_total_.fetch_add(1);
    if (errors_metric_ != nullptr) errors_metric_->Increment();
    rewind_needed_ = true;
    Log()->error("cannot produce outbox id {} to {}: {}", id, topic_, RdKafka::err2str(code));
    return;
  }
}

void OutboxRelay::RemoveConfirmed() {
  if (confirmed_.empty()) return;
  // Published first: commands acknowledged by Kafka wait for this mark, and the removal
  // below may queue behind a synced commit of the store.
  const uint64_t published =
      unconfirmed_.empty() ? cursor_ : std::min(cursor_, *unconfirmed_.begin() - 1);
  store_.NotePublished(published);
  absl::Status status = store_.RemoveFromOutbox(confirmed_);
  if (!status.ok()) {
    // They were delivered; if the rows stay, they are sent again after a restart.
    Log()->error("cannot remove delivered rows from the outbox: {}", status.ToString());
  }
  delivered_total_.fetch_add(confirmed_.size());
  if (delivered_metric_ != nullptr)
    delivered_metric_->Increment(static_cast<double>(confirmed_.size()));
  confirmed_.clear();
}

bool OutboxRelay::PastStopDeadline() const {
  return absl::Now() >= absl::FromUnixNanos(stop_deadline_ns_.load());
}

void OutboxRelay::Rewind() {
  while (producer_->outq_len() > 0 && !(stopping_.load() && PastStopDeadline())) {
    producer_->poll(100);
  }
  RemoveConfirmed();
  rewind_needed_ = false;
  cursor_ = 0;
  // Back off, so that a message that keeps failing does not spin.
  producer_->poll(500);
}

}  // namespace crm::kafka
