#include "crm/kafka/topic_log_reader.h"

#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/eventstore/event_codec.h"
#include "rdkafka_config.h"

namespace crm::kafka {

absl::StatusOr<std::unique_ptr<TopicLogReader>> TopicLogReader::Open(
    const TopicLogReaderOptions& options, StartOf start_of) {
  std::unique_ptr<TopicLogReader> reader(new TopicLogReader());
  reader->options_ = options;
  ASSIGN_OR_RETURN(std::unique_ptr<RdKafka::Conf> conf,
                   internal::MakeConf({{"bootstrap.servers", options.brokers},
                                       {"client.id", absl::StrCat(options.client_id, "-rebuild")}},
                                      options.overrides));
  std::string error;
  reader->consumer_.reset(RdKafka::Consumer::create(conf.get(), error));
  if (reader->consumer_ == nullptr) return absl::InvalidArgumentError("Kafka client: " + error);
  reader->topic_.reset(
      RdKafka::Topic::create(reader->consumer_.get(), options.topic, nullptr, error));
  if (reader->topic_ == nullptr) return absl::InvalidArgumentError("Kafka topic: " + error);

  const int timeout_ms = static_cast<int>(absl::ToInt64Milliseconds(options.timeout));
  // Every topic's metadata: asking for one by name could create it on a broker that
  // creates topics on demand.
  RdKafka::Metadata* raw = nullptr;
  if (RdKafka::ErrorCode code = reader->consumer_->metadata(true, nullptr, &raw, timeout_ms);
      code != RdKafka::ERR_NO_ERROR) {
    return absl::UnavailableError(absl::StrCat("the metadata of ", options.topic, " from ",
                                               options.brokers, ": ", RdKafka::err2str(code)));
  }
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  bool found = false;
  for (const RdKafka::TopicMetadata* topic : *metadata->topics()) {
    if (topic->topic() != options.topic) continue;
    found = true;
    for (const RdKafka::PartitionMetadata* partition : *topic->partitions()) {
      const int32_t id = partition->id();
      int64_t low = 0;
      int64_t high = 0;
      if (RdKafka::ErrorCode code = reader->consumer_->query_watermark_offsets(
              options.topic, id, &low, &high, timeout_ms);
          code != RdKafka::ERR_NO_ERROR) {
        return absl::UnavailableError(absl::StrCat("the end of ", options.topic, " partition ", id,
                                                   ": ", RdKafka::err2str(code)));
      }
      ASSIGN_OR_RETURN(const std::optional<int64_t> start, start_of(id));
      const int64_t next = start.value_or(0);
      if (next < low && next < high) {
        return absl::FailedPreconditionError(absl::StrCat(
            options.topic, " partition ", id, " no longer holds offsets ", next, " to ", low - 1,
            " (removed by retention): the topic does not hold the whole log"));
      }
      reader->next_[id] = next;
      reader->ends_[id] = high;
      if (next < high) {
        reader->messages_to_read_ += high - next;
        if (RdKafka::ErrorCode code = reader->consumer_->start(reader->topic_.get(), id, next);
            code != RdKafka::ERR_NO_ERROR) {
          return internal::FromKafka(code, absl::StrCat("reading ", options.topic, " partition ",
                                                        id, " from offset ", next));
        }
      }
    }
  }
  if (!found) return absl::NotFoundError(absl::StrCat("topic ", options.topic, " does not exist"));
  return reader;
}

TopicLogReader::~TopicLogReader() {
  if (consumer_ == nullptr || topic_ == nullptr) return;
  for (const auto& [partition, end] : ends_) consumer_->stop(topic_.get(), partition);
}

absl::Status TopicLogReader::Fetch(int32_t partition) {
  const absl::Time deadline = absl::Now() + options_.timeout;
  while (true) {
    const int wait_ms =
        static_cast<int>(std::max<int64_t>(0, absl::ToInt64Milliseconds(deadline - absl::Now())));
    std::unique_ptr<RdKafka::Message> message(
        consumer_->consume(topic_.get(), partition, std::min(wait_ms, 1000)));
    switch (message->err()) {
      case RdKafka::ERR_NO_ERROR: {
        LogRecord record{.partition = partition, .offset = message->offset()};
        record.bytes.assign(static_cast<const char*>(message->payload()), message->len());
        if (!eventstore::ParseEventMetadata(record.bytes, record.metadata)) {
          return absl::DataLossError(absl::StrCat(options_.topic, " partition ", partition,
                                                  " offset ", record.offset,
                                                  " is not an event: it has no event metadata"));
        }
        next_[partition] = record.offset + 1;
        lowest_.emplace(record.metadata.global_position(), partition);
        heads_.emplace(partition, std::move(record));
        return absl::OkStatus();
      }
      case RdKafka::ERR__TIMED_OUT:
      case RdKafka::ERR__PARTITION_EOF:
        if (absl::Now() >= deadline) {
          return absl::UnavailableError(absl::StrCat(
              "no message from ", options_.topic, " partition ", partition, " at offset ",
              next_[partition], " within ", absl::FormatDuration(options_.timeout)));
        }
        break;
      default:
        return internal::FromKafka(
            message->err(), absl::StrCat("reading ", options_.topic, " partition ", partition,
                                         " at offset ", next_[partition]));
    }
  }
}

absl::StatusOr<std::optional<LogRecord>> TopicLogReader::Next() {
  // Every partition that has more contributes its next event; the lowest position goes.
  // After the first call only the partition that gave the last event lacks one.
  if (!started_) {
    for (const auto& [partition, end] : ends_) {
      if (next_[partition] < end) RETURN_IF_ERROR(Fetch(partition));
    }
    started_ = true;
  } else if (last_partition_.has_value() && next_[*last_partition_] < ends_[*last_partition_]) {
    RETURN_IF_ERROR(Fetch(*last_partition_));
  }
  if (lowest_.empty()) return std::nullopt;
  const int32_t partition = lowest_.top().second;
  lowest_.pop();
  auto head = heads_.find(partition);
  LogRecord record = std::move(head->second);
  heads_.erase(head);
  last_partition_ = partition;
  return record;
}

}  // namespace crm::kafka
