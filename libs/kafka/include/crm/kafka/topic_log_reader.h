// A service's events topic read back in the order of the log that published it: the
// partitions are read side by side and merged by the events' global positions, so that a
// rebuild puts the log back in its own order (and, when nothing is missing, at its own
// positions). Reads up to each partition's end as it was at Open; a resend (an event
// published twice) comes again where it was read, and is the caller's to skip.
//
//   ASSIGN_OR_RETURN(auto reader, TopicLogReader::Open({.brokers = b, .topic = t},
//       [](int32_t) -> absl::StatusOr<std::optional<int64_t>> { return std::nullopt; }));
//   while (true) {
//     ASSIGN_OR_RETURN(std::optional<LogRecord> record, reader->Next());
//     if (!record.has_value()) break;  // the end
//   }
//
// Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "crm/v1/common.pb.h"

namespace RdKafka {
class Consumer;
class Topic;
}  // namespace RdKafka

namespace crm::kafka {

struct TopicLogReaderOptions {
  std::string brokers;
  std::string client_id = "crm";
  std::string topic;
  // Further librdkafka properties.
  std::map<std::string, std::string> overrides;
  // Longest wait for the broker's metadata or for the next message of a partition that
  // has more: UNAVAILABLE after it.
  absl::Duration timeout = absl::Seconds(30);
};

// One event as read from the topic.
struct LogRecord {
  int32_t partition = 0;
  int64_t offset = 0;
  // The whole event, its metadata included, as the service's log holds it.
  std::string bytes;
  crm::v1::EventMetadata metadata;
};

class TopicLogReader {
 public:
  // Partition → the offset of the next message to read.
  using Offsets = std::map<int32_t, int64_t>;

  // Where to start reading a partition: the offset of its next message, nullopt for its
  // start.
  using StartOf = absl::FunctionRef<absl::StatusOr<std::optional<int64_t>>(int32_t partition)>;

  // Reads every partition of `options.topic` from where `start_of` says up to its end now.
  // NOT_FOUND for a topic that does not exist; FAILED_PRECONDITION when retention removed
  // messages that would be read (the topic no longer holds the whole log).
  static absl::StatusOr<std::unique_ptr<TopicLogReader>> Open(const TopicLogReaderOptions& options,
                                                              StartOf start_of);
  ~TopicLogReader();
  TopicLogReader(const TopicLogReader&) = delete;
  TopicLogReader& operator=(const TopicLogReader&) = delete;

  // The next event, in the order of global position; nullopt once every partition is read
  // up to its end. DATA_LOSS for a message that is not an event.
  absl::StatusOr<std::optional<LogRecord>> Next();

  // Each partition's end, as it was at Open.
  const Offsets& ends() const { return ends_; }
  // Messages on the topic from where reading started up to the ends.
  int64_t messages_to_read() const { return messages_to_read_; }

 private:
  TopicLogReader() = default;
  // Reads the next message of `partition` into heads_.
  absl::Status Fetch(int32_t partition);

  TopicLogReaderOptions options_;
  std::unique_ptr<RdKafka::Consumer> consumer_;
  std::unique_ptr<RdKafka::Topic> topic_;
  Offsets next_;
  Offsets ends_;
  int64_t messages_to_read_ = 0;
  // The next record of each partition that has one read, not yet returned, and those
  // partitions by the position of that record, lowest on top.
  std::map<int32_t, LogRecord> heads_;
  std::priority_queue<std::pair<uint64_t, int32_t>, std::vector<std::pair<uint64_t, int32_t>>,
                      std::greater<>>
      lowest_;
  bool started_ = false;
  std::optional<int32_t> last_partition_;
};

}  // namespace crm::kafka
