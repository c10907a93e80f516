#include "crm/kafka/topic_restore.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/log/logger.h"
#include "rdkafka_config.h"

namespace crm::kafka {
namespace {

const std::shared_ptr<spdlog::logger>& Log() {
  static const auto log = crm::log::Get("topic-restore");
  return log;
}

}  // namespace

absl::StatusOr<int64_t> MessagesWritten(const TopicRestoreOptions& options) {
  ASSIGN_OR_RETURN(
      std::unique_ptr<RdKafka::Conf> conf,
      internal::MakeConf({{"bootstrap.servers", options.brokers},
                          {"client.id", absl::StrCat(options.client_id, "-topic-restore")}},
                         options.overrides));
  std::string error;
  std::unique_ptr<RdKafka::Producer> client(RdKafka::Producer::create(conf.get(), error));
  if (client == nullptr) return absl::InvalidArgumentError("Kafka client: " + error);
  const int timeout_ms = static_cast<int>(absl::ToInt64Milliseconds(options.timeout));
  // Every topic's metadata: asking for one by name could create it on a broker that
  // creates topics on demand.
  RdKafka::Metadata* raw = nullptr;
  if (RdKafka::ErrorCode code = client->metadata(true, nullptr, &raw, timeout_ms);
      code != RdKafka::ERR_NO_ERROR) {
    return absl::UnavailableError(absl::StrCat("the metadata of ", options.topic, " from ",
                                               options.brokers, ": ", RdKafka::err2str(code)));
  }
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  int64_t written = 0;
  for (const RdKafka::TopicMetadata* topic : *metadata->topics()) {
    if (topic->topic() != options.topic) continue;
    for (const RdKafka::PartitionMetadata* partition : *topic->partitions()) {
      int64_t low = 0, high = 0;
      if (RdKafka::ErrorCode code = client->query_watermark_offsets(options.topic, partition->id(),
                                                                    &low, &high, timeout_ms);
          code != RdKafka::ERR_NO_ERROR) {
        return absl::UnavailableError(absl::StrCat("the end of ", options.topic, " partition ",
                                                   partition->id(), ": ", RdKafka::err2str(code)));
      }
      written += high;
    }
  }
  return written;
}

absl::StatusOr<TopicRestore> RestoreEventTopic(eventstore::EventStore& store,
                                               const TopicRestoreOptions& options,
                                               RestoreWhen when) {
  TopicRestore restore;
  const int64_t waiting = store.OutboxDepth();
  const uint64_t last = store.LastPosition();
  restore.published_by_store = last > static_cast<uint64_t>(waiting) ? last - waiting : 0;
  if (when == RestoreWhen::kAuto) {
    if (restore.published_by_store == 0) return restore;  // nothing the topic could lack
    ASSIGN_OR_RETURN(restore.messages_on_topic, MessagesWritten(options));
    // Resends may have written an event twice, so more is fine; fewer means lost.
    if (restore.messages_on_topic >= static_cast<int64_t>(restore.published_by_store)) {
      return restore;
    }
    Log()->warn(
        "{} holds {} messages, fewer than the {} events published from the store: the topic "
        "lost them; publishing the whole log again",
        options.topic, restore.messages_on_topic, restore.published_by_store);
  }
  ASSIGN_OR_RETURN(restore.requeued, store.RequeueLog(options.topic));
  Log()->info("{}: {} events of the log put back into the outbox to be published again",
              options.topic, restore.requeued);
  return restore;
}

}  // namespace crm::kafka
