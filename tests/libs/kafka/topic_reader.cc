#include "topic_reader.h"

#include <memory>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "librdkafka/rdkafkacpp.h"
#include "support/dev_broker.h"

namespace crm::kafka::testing {
namespace {

std::unique_ptr<RdKafka::Conf> Conf(const std::map<std::string, std::string>& settings) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string error;
  for (const auto& [name, value] : settings) {
    if (conf->set(name, value, error) != RdKafka::Conf::CONF_OK) throw std::runtime_error(error);
  }
  return conf;
}

}  // namespace

std::vector<Record> ReadTopic(const std::string& brokers, const std::string& topic, size_t expected,
                              absl::Duration timeout, absl::Duration linger) {
  auto conf = Conf({{"bootstrap.servers", brokers},
                    {"group.id", crm::testing::UniqueTopic("reader")},
                    {"auto.offset.reset", "earliest"},
                    {"enable.auto.commit", "false"},
                    {"fetch.wait.max.ms", "10"}});
  std::string error;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer) throw std::runtime_error(error);
  // Assign every partition from its start: no group join, so no rebalance delay.
  RdKafka::Metadata* metadata = nullptr;
  std::unique_ptr<RdKafka::Topic> handle(
      RdKafka::Topic::create(consumer.get(), topic, nullptr, error));
  if (consumer->metadata(false, handle.get(), &metadata, 10000) != RdKafka::ERR_NO_ERROR) {
    throw std::runtime_error("no metadata for " + topic);
  }
  std::vector<RdKafka::TopicPartition*> partitions;
  for (const RdKafka::TopicMetadata* t : *metadata->topics()) {
    for (const RdKafka::PartitionMetadata* p : *t->partitions()) {
      partitions.push_back(
          RdKafka::TopicPartition::create(topic, p->id(), RdKafka::Topic::OFFSET_BEGINNING));
    }
  }
  delete metadata;
  consumer->assign(partitions);
  RdKafka::TopicPartition::destroy(partitions);
  std::vector<Record> records;
  absl::Time deadline = absl::Now() + timeout;
  bool lingering = false;
  while (absl::Now() < deadline) {
    std::unique_ptr<RdKafka::Message> message(consumer->consume(50));
    if (message->err() == RdKafka::ERR_NO_ERROR) {
      Record record;
      record.partition = message->partition();
      record.offset = message->offset();
      if (message->key() != nullptr) record.key = *message->key();
      record.value.assign(static_cast<const char*>(message->payload()), message->len());
      if (RdKafka::Headers* headers = message->headers()) {
        for (const RdKafka::Headers::Header& header : headers->get_all()) {
          record.headers[header.key()] =
              std::string(static_cast<const char*>(header.value()), header.value_size());
        }
      }
      records.push_back(std::move(record));
    }
    if (!lingering && records.size() >= expected) {
      lingering = true;
      deadline = absl::Now() + linger;
    }
  }
  consumer->close();
  return records;
}

void CreateTopics(const std::string& brokers, const std::vector<std::string>& topics) {
  // The dev broker creates a topic the first time a client asks for its metadata.
  auto conf = Conf({{"bootstrap.servers", brokers}});
  std::string error;
  std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf.get(), error));
  if (!producer) throw std::runtime_error(error);
  for (const std::string& name : topics) {
    std::unique_ptr<RdKafka::Topic> topic(
        RdKafka::Topic::create(producer.get(), name, nullptr, error));
    if (!topic) throw std::runtime_error(error);
    RdKafka::Metadata* metadata = nullptr;
    if (producer->metadata(false, topic.get(), &metadata, 10000) != RdKafka::ERR_NO_ERROR) {
      throw std::runtime_error(absl::StrCat("no metadata for ", name));
    }
    delete metadata;
  }
}

bool GroupReachedEnd(const std::string& brokers, const std::string& group,
                     const std::string& topic) {
  // A member of the group that never subscribes: it reads the group's offsets, nothing else.
  auto conf =
      Conf({{"bootstrap.servers", brokers}, {"group.id", group}, {"enable.auto.commit", "false"}});
  std::string error;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer) throw std::runtime_error(error);
  RdKafka::Metadata* raw = nullptr;
  if (consumer->metadata(true, nullptr, &raw, 10000) != RdKafka::ERR_NO_ERROR) return false;
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  std::vector<RdKafka::TopicPartition*> partitions;
  for (const RdKafka::TopicMetadata* t : *metadata->topics()) {
    if (t->topic() != topic) continue;
    for (const RdKafka::PartitionMetadata* p : *t->partitions()) {
      partitions.push_back(RdKafka::TopicPartition::create(topic, p->id()));
    }
  }
  bool reached = consumer->committed(partitions, 10000) == RdKafka::ERR_NO_ERROR;
  for (RdKafka::TopicPartition* partition : partitions) {
    int64_t low = 0, high = 0;
    if (!reached || consumer->query_watermark_offsets(topic, partition->partition(), &low, &high,
                                                      10000) != RdKafka::ERR_NO_ERROR) {
      reached = false;
      break;
    }
    // A partition with no message needs no commit.
    if (high > 0 && partition->offset() < high) {
      reached = false;
      break;
    }
  }
  RdKafka::TopicPartition::destroy(partitions);
  consumer->close();
  return reached;
}

void ProduceRaw(const std::string& brokers, const std::string& topic,
                const std::vector<std::pair<std::string, std::string>>& keys_and_values) {
  auto conf = Conf({{"bootstrap.servers", brokers}, {"partitioner", "murmur2_random"}});
  std::string error;
  std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf.get(), error));
  if (!producer) throw std::runtime_error(error);
  for (const auto& [key, value] : keys_and_values) {
    producer->produce(topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
                      const_cast<char*>(value.data()), value.size(), key.data(), key.size(), 0,
                      nullptr);
  }
  if (producer->flush(10000) != RdKafka::ERR_NO_ERROR) throw std::runtime_error("flush failed");
}

}  // namespace crm::kafka::testing
