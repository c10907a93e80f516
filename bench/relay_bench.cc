// Relay throughput: events per second from a full outbox to confirmed delivery on
// crm-devbroker, against the bare baseline in the same run: a librdkafka producer with the
// relay's settings sending messages of the same size, keys and headers, counting
// delivery reports.
//
//   build/bench/relay_bench [--events=200000] [--runs=3] [--dir=/tmp]
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "crm/eventstore/event_store.h"
#include "crm/kafka/cloud_events.h"
#include "crm/kafka/outbox_relay.h"
#include "crm/testing/v1/testing.pb.h"
#include "librdkafka/rdkafkacpp.h"
#include "support/harness.h"
#include "support/subprocess.h"

namespace {

using Options = crm::bench::EventRunOptions;

constexpr int kCustomers = 1000;

double RunRelay(const Options& options, const std::string& brokers, int run) {
  const std::string path = absl::StrCat(options.dir, "/crm-relay-bench-", getpid(), "-", run);
  std::filesystem::remove_all(path);
  auto store = crm::eventstore::EventStore::Open({.path = path, .sync = false});
  if (!store.ok()) std::abort();
  const std::string topic = absl::StrCat("bench.relay.", getpid(), ".", run);
  crm::testing::v1::NoteRecorded note;
  note.set_text(std::string(180, 'n'));
  const auto event = crm::eventstore::NewEvent::From(note);
  for (int i = 0; i < options.events; ++i) {
    crm::eventstore::AppendRequest request{.stream_id = absl::StrCat("customer-", i % kCustomers),
                                           .customer_id = absl::StrCat("cus_", i % kCustomers)};
    request.events.push_back(event);
    request.topic = topic;
    if (!(*store)->Append(std::move(request)).ok()) std::abort();
  }
  crm::kafka::OutboxRelay relay(**store, {.brokers = brokers, .client_id = "relay-bench"});
  const absl::Time start = absl::Now();
  if (!relay.Start().ok()) std::abort();
  while ((*store)->OutboxDepth() > 0) absl::SleepFor(absl::Milliseconds(1));
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  relay.Stop(absl::Seconds(5));
  store->reset();
  std::filesystem::remove_all(path);
  return options.events / seconds;
}

class CountReports final : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override {
    if (message.err() == RdKafka::ERR_NO_ERROR) ++delivered;
  }
  int64_t delivered = 0;
};

double RunBare(const Options& options, const std::string& brokers, int run) {
  const std::string topic = absl::StrCat("bench.bare.", getpid(), ".", run);
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string error;
  CountReports reports;
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"bootstrap.servers", brokers},
                                                        {"enable.idempotence", "true"},
                                                        {"acks", "all"},
                                                        {"message.timeout.ms", "0"},
                                                        {"linger.ms", "5"},
                                                        {"batch.num.messages", "10000"},
                                                        {"queue.buffering.max.messages", "200000"},
                                                        {"compression.type", "lz4"},
                                                        {"partitioner", "murmur2_random"}}) {
    conf->set(name, value, error);
  }
  conf->set("dr_cb", &reports, error);
  std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf.get(), error));
  // The same bytes as the relay sends: the event with its metadata, key and headers.
  crm::v1::EventMetadata metadata;
  metadata.set_event_id("3f2b8c1e-0000-4000-8000-000000000000");
  metadata.set_event_type("crm.testing.v1.NoteRecorded");
  metadata.set_source("crm/test/local");
  const std::string value(300, 'v');
  const auto headers = crm::kafka::CloudEventHeaders(metadata);
  const absl::Time start = absl::Now();
  for (int i = 0; i < options.events; ++i) {
    const std::string key = absl::StrCat("cus_", i % kCustomers);
    while (true) {
      RdKafka::Headers* h = RdKafka::Headers::create();
      for (const auto& [name, header] : headers) h->add(name, header);
      RdKafka::ErrorCode code = producer->produce(
          topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
          const_cast<char*>(value.data()), value.size(), key.data(), key.size(), 0, h, nullptr);
      if (code == RdKafka::ERR_NO_ERROR) break;
      delete h;
      producer->poll(50);
    }
    producer->poll(0);
  }
  while (reports.delivered < options.events) producer->poll(5);
  return options.events / absl::ToDoubleSeconds(absl::Now() - start);
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = crm::bench::ParseEventRunOptions(argc, argv, 200000);
  auto broker = crm::testing::Subprocess::Start({CRM_DEVBROKER_PATH, "--partitions=8"});
  if (!broker.ok()) return 1;
  const std::string brokers = (*broker)->ReadLine(absl::Seconds(30)).value_or("");
  if (brokers.empty()) return 1;
  std::vector<double> relay, bare;
  for (int run = 0; run < options.runs; ++run) {
    bare.push_back(RunBare(options, brokers, run));
    relay.push_back(RunRelay(options, brokers, run));
    std::fprintf(stderr, "run %d: relay %.0f/s, bare producer %.0f/s\n", run, relay.back(),
                 bare.back());
  }
  const double r = crm::bench::Median(relay);
  const double b = crm::bench::Median(bare);
  std::printf("relay: %d events, median of %d runs, 8 partitions on crm-devbroker\n\n",
              options.events, options.runs);
  std::printf("| path | events/s confirmed | ratio |\n|---|---|---|\n");
  std::printf("| outbox relay (read outbox, produce, confirm, remove) | %.0f | %.2f |\n", r, r / b);
  std::printf("| bare librdkafka producer, same settings and bytes | %.0f | 1.00 |\n", b);
}
