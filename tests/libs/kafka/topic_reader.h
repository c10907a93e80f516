// Reads a topic from its start with a plain librdkafka consumer, the way a downstream
// consumer would: the tests' independent view of what the relay published.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace crm::kafka::testing {

struct Record {
  int32_t partition = 0;
  int64_t offset = 0;
  std::string key;
  std::string value;
  std::map<std::string, std::string> headers;
};

// Reads until `expected` records arrived or `timeout` passed, then keeps reading for
// `linger` more, so that duplicates beyond `expected` show up too.
std::vector<Record> ReadTopic(const std::string& brokers, const std::string& topic, size_t expected,
                              absl::Duration timeout = absl::Seconds(30),
                              absl::Duration linger = absl::Milliseconds(300));

// Creates the topics on the dev broker (with its default partition count), as a
// deployment provisions them before the services start.
void CreateTopics(const std::string& brokers, const std::vector<std::string>& topics);

// True when consumer group `group` has committed the end of every partition of `topic`:
// it has taken every message there. (The services store their offsets and tell Kafka too.)
bool GroupReachedEnd(const std::string& brokers, const std::string& group,
                     const std::string& topic);

// Produces raw messages (for malformed input and redelivery tests).
void ProduceRaw(const std::string& brokers, const std::string& topic,
                const std::vector<std::pair<std::string, std::string>>& keys_and_values);

}  // namespace crm::kafka::testing
