#include "crm/kafka/state_publisher.h"

#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "crm/kafka/cloud_events.h"
#include "crm/log/logger.h"
#include "librdkafka/rdkafkacpp.h"
#include "rdkafka_config.h"

namespace crm::kafka {
namespace {

// Where each state topic's publisher stands in the local event log.
constexpr char kPositionsTable[] = "state_publisher_positions";

const std::shared_ptr<spdlog::logger>& Log() {
  static const auto log = crm::log::Get("states");
  return log;
}

// The deliveries of one batch.
struct BatchReports {
  size_t confirmed = 0;
  size_t failed = 0;
  std::string error;
};

// Hands each delivery report to the batch it belongs to (the message's opaque pointer).
class ReportsToBatch final : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override {
    auto& batch = *static_cast<BatchReports*>(message.msg_opaque());
    if (message.err() == RdKafka::ERR_NO_ERROR) {
      ++batch.confirmed;
    } else {
      ++batch.failed;
      batch.error = message.errstr();
    }
  }
};

}  // namespace

std::string StateTopic(const std::string& prefix, const std::string& service) {
  return absl::StrCat(prefix, "crm.", service, ".state.v1");
}

StatePublisher::StatePublisher(eventstore::EventStore& store, StateTopicOptions options,
                               StateOf state_of)
    : store_(store), options_(std::move(options)), state_of_(std::move(state_of)) {}

StatePublisher::~StatePublisher() { Stop(absl::ZeroDuration()); }

absl::Status StatePublisher::Start() {
  auto conf = internal::MakeConf(
      {
          {"bootstrap.servers", options_.brokers},
          {"client.id", options_.client_id},
          {"acks", "all"},
          {"enable.idempotence", "true"},
          // Kept until delivered: the batch is confirmed or retried as a whole.
          {"message.timeout.ms", "0"},
          {"linger.ms", "20"},
          {"compression.type", "lz4"},
          {"partitioner", "murmur2_random"},
      },
      options_.overrides);
  if (!conf.ok()) return conf.status();
  std::string error;
  static ReportsToBatch reports_to_batch;  // stateless: one for every publisher
  if ((*conf)->set("dr_cb", &reports_to_batch, error) != RdKafka::Conf::CONF_OK) {
    return absl::InternalError(error);
  }
  producer_.reset(RdKafka::Producer::create(conf->get(), error));
  if (producer_ == nullptr) return absl::InvalidArgumentError("Kafka producer: " + error);
  if (from_start_) {
    eventstore::ConsumedBatch forget;
    forget.rows.push_back({kPositionsTable, options_.topic, std::nullopt});
    if (absl::Status forgotten = store_.CommitConsumed(forget); !forgotten.ok()) return forgotten;
  }
  auto stored = store_.GetRow(kPositionsTable, options_.topic);
  if (!stored.ok()) return stored.status();
  uint64_t position = 0;
  if (stored->has_value() && !absl::SimpleAtoi(**stored, &position)) {
    return absl::DataLossError(
        absl::StrCat("the stored position of ", options_.topic, " is not a number: ", **stored));
  }
  published_.store(position);
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void StatePublisher::Stop(absl::Duration timeout) {
  if (!thread_.joinable()) return;
  stopping_.store(true);
  thread_.join();
  if (producer_ != nullptr) producer_->flush(static_cast<int>(absl::ToInt64Milliseconds(timeout)));
}

void StatePublisher::Run() {
  while (!stopping_.load()) {
    const uint64_t position = published_.load();
    if (store_.LastPosition() <= position) {
      store_.WaitForCommit(position, absl::Milliseconds(200));
      continue;
    }
    auto events = store_.ReadLog(position + 1, options_.batch_events);
    if (!events.ok() || events->empty()) {
      if (!events.ok())
        Log()->error("reading the log for {}: {}", options_.topic, events.status().ToString());
      absl::SleepFor(absl::Seconds(1));
      continue;
    }
    if (!PublishBatch(*events)) {
      absl::SleepFor(absl::Seconds(1));  // the broker is away or refused: the same batch again
      continue;
    }
    const uint64_t last = events->back().metadata.global_position();
    eventstore::ConsumedBatch write;
    write.rows.push_back({kPositionsTable, options_.topic, absl::StrCat(last)});
    if (absl::Status stored = store_.CommitConsumed(write); !stored.ok()) {
      Log()->error("storing the position of {}: {}", options_.topic, stored.ToString());
      absl::SleepFor(absl::Seconds(1));
      continue;
    }
    published_.store(last);
  }
}

bool StatePublisher::PublishBatch(const std::vector<eventstore::StoredEvent>& events) {
  std::set<std::string> customers;
  for (const auto& event : events) {
    if (!event.metadata.customer_id().empty()) customers.insert(event.metadata.customer_id());
  }
  BatchReports reports;
  size_t produced = 0;
  for (const std::string& customer : customers) {
    auto state = state_of_(customer);
    if (!state.ok()) {
      Log()->error("the state of {} for {}: {}", customer, options_.topic,
                   state.status().ToString());
      return false;
    }
    RdKafka::Headers* headers = RdKafka::Headers::create();
    headers->add(kContentTypeHeader, kProtobufContentType);
    headers->add(kTypeHeader, options_.state_type);
    headers->add(kSubjectHeader, customer);
    const bool tombstone = !state->has_value();
    RdKafka::ErrorCode error = producer_->produce(
        options_.topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
        tombstone ? nullptr : const_cast<char*>((*state)->data()), tombstone ? 0 : (*state)->size(),
        customer.data(), customer.size(), 0, headers, &reports);
    if (error != RdKafka::ERR_NO_ERROR) {
      delete headers;  // produce() took it only on success
      Log()->warn("producing the state of {} to {}: {}", customer, options_.topic,
                  RdKafka::err2str(error));
      break;
    }
    ++produced;
  }
  // Wait for every delivery of the batch (the reports point into this frame).
  while (reports.confirmed + reports.failed < produced) {
    producer_->poll(100);
    if (stopping_.load() && producer_->outq_len() > 0) producer_->flush(1000);
    if (stopping_.load() && reports.confirmed + reports.failed < produced) {
      producer_->purge(RdKafka::Producer::PURGE_QUEUE | RdKafka::Producer::PURGE_INFLIGHT);
      producer_->poll(0);
      return false;
    }
  }
  if (reports.failed > 0) {
    Log()->warn("{} states not delivered to {}: {}; the batch is sent again", reports.failed,
                options_.topic, reports.error);
  }
  return produced == customers.size() && reports.failed == 0;
}

}  // namespace crm::kafka
