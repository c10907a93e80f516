// Rebuild rate: events per second a registry store is rebuilt at from its events topic on
// crm-devbroker (read back in the log's order, each command's events folded, projected and
// written with its reply, batches durable), against the bare baseline in the same run: a
// librdkafka consumer reading the same topic from its start to its end, touching every
// message's bytes.
//
// The topic is filled once: customers registered with the registry's own domain functions,
// each with the mix of a demo customer's archive (two sections, three key persons in a
// reporting line, a key date, a lifecycle change), appended to a store and published by the
// outbox relay.
//
//   build/bench/rebuild_bench [--events=1000000] [--runs=3] [--dir=/tmp]
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "crm/base/ids.h"
#include "crm/crypto/key_vault.h"
#include "crm/eventstore/event_store.h"
#include "crm/kafka/outbox_relay.h"
#include "crm/kafka/topic_log_reader.h"
#include "crm/registry/customer.h"
#include "crm/runtime/rebuild.h"
#include "librdkafka/rdkafkacpp.h"
#include "registry_replayer.h"
#include "support/harness.h"
#include "support/subprocess.h"

namespace {

using Options = crm::bench::EventRunOptions;

// Stops the benchmark with `what` (stderr is buffered once the JSON logger runs).
[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "rebuild_bench: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}
using crm::registry::CustomerEvents;

// A demo-like customer's commands, each one's events, decided on the archive as it stands.
std::vector<CustomerEvents> CustomerCommands(int index, crm::v1::CustomerArchive& archive) {
  std::vector<CustomerEvents> commands;
  const absl::Time now = absl::FromUnixSeconds(1'790'000'000 + index);
  auto decide = [&](absl::StatusOr<CustomerEvents> events) {
    if (!events.ok()) Fail("setting up");
    for (const auto& event : *events) crm::registry::Apply(event, now, archive);
    commands.push_back(*std::move(events));
  };
  crm::v1::CustomerSummary summary;
  summary.set_legal_name(absl::StrCat("Bench Customer ", index, " GmbH"));
  summary.set_region(std::vector<std::string>{"emea", "apac", "amer", "china"}[index % 4]);
  summary.set_country_code("DE");
  summary.set_industry("telecom operator");
  summary.set_owner_id(absl::StrCat("u-", index % 50));
  decide(crm::registry::DecideRegister(absl::StrCat("cus_", index), summary,
                                       crm::v1::LIFECYCLE_STATUS_PROSPECT));
  crm::v1::ArchiveSectionUpdated notes;
  notes.set_notes("prefers workshops to slides; budget cycle starts in September");
  decide(crm::registry::DecideUpdateSection(archive, notes));
  crm::v1::ArchiveSectionUpdated finance;
  finance.mutable_finance()->set_fiscal_year(2026);
  finance.mutable_finance()->mutable_revenue()->set_currency_code("EUR");
  finance.mutable_finance()->mutable_revenue()->set_minor_units(120'000'000'00);
  decide(crm::registry::DecideUpdateSection(archive, finance));
  std::string reports_to;
  for (int p = 0; p < 3; ++p) {
    crm::v1::KeyPerson person;
    person.set_person_id(absl::StrCat("kp_", index, "_", p));
    person.set_name(absl::StrCat("Person ", p, " of ", index));
    person.set_title(std::vector<std::string>{"CEO", "CTO", "Head of Procurement"}[p]);
    person.set_role(crm::v1::DECISION_ROLE_DECISION_MAKER);
    person.set_influence(5 - p);
    person.set_reports_to(reports_to);
    reports_to = person.person_id();
    decide(crm::registry::DecideAddKeyPerson(archive, person));
  }
  crm::v1::KeyDate date;
  date.set_date_id(absl::StrCat("kd_", index));
  date.set_title("budget planning starts");
  date.set_month(9);
  date.set_day(1);
  decide(crm::registry::DecideAddKeyDate(archive, date));
  decide(crm::registry::DecideChangeLifecycle(archive, crm::v1::LIFECYCLE_STATUS_ACTIVE,
                                              "first order"));
  return commands;
}

// Fills `topic` with about `events` registry events; returns how many.
int64_t FillTopic(const Options& options, const std::string& brokers, const std::string& topic) {
  const std::string path = absl::StrCat(options.dir, "/crm-rebuild-bench-source-", getpid());
  std::filesystem::remove_all(path);
  auto store = crm::eventstore::EventStore::Open({.path = path, .sync = false});
  if (!store.ok()) Fail("setting up");
  int64_t appended = 0;
  for (int index = 0; appended < options.events; ++index) {
    crm::v1::CustomerArchive archive;
    for (const CustomerEvents& command : CustomerCommands(index, archive)) {
      crm::eventstore::AppendRequest request{.stream_id = absl::StrCat("customer-cus_", index),
                                             .customer_id = absl::StrCat("cus_", index),
                                             .topic = topic};
      for (const auto& event : command) {
        request.events.push_back(crm::eventstore::NewEvent::From(crm::registry::AsMessage(event)));
      }
      request.context.request_id = absl::StrCat("UpdateSection:", crm::NewUuid());
      appended += static_cast<int64_t>(request.events.size());
      if (!(*store)->Append(std::move(request)).ok()) Fail("setting up");
    }
  }
  crm::kafka::OutboxRelay relay(**store, {.brokers = brokers, .client_id = "rebuild-bench"});
  if (!relay.Start().ok()) Fail("setting up");
  while ((*store)->OutboxDepth() > 0) absl::SleepFor(absl::Milliseconds(10));
  relay.Stop(absl::Seconds(5));
  store->reset();
  std::filesystem::remove_all(path);
  // The devbroker keeps a few MiB per partition: every event must still be there.
  crm::kafka::TopicLogReaderOptions reader_options{.brokers = brokers, .topic = topic};
  auto reader = crm::kafka::TopicLogReader::Open(
      reader_options, [](int32_t) -> absl::StatusOr<std::optional<int64_t>> { return 0; });
  if (!reader.ok()) Fail(reader.status().ToString());
  if ((*reader)->messages_to_read() != appended) {
    Fail(absl::StrCat("the topic holds ", (*reader)->messages_to_read(), " of ", appended,
                      " events"));
  }
  return appended;
}

double RunRebuild(const Options& options, const std::string& brokers, const std::string& topic,
                  int64_t events, int run) {
  const std::string path = absl::StrCat(options.dir, "/crm-rebuild-bench-", getpid(), "-", run);
  std::filesystem::remove_all(path);
  std::filesystem::create_directories(path);
  auto store = crm::eventstore::EventStore::Open({.path = path + "/store", .service = "registry"});
  auto vault = crm::crypto::KeyVault::Open({.path = path + "/keys"});
  if (!store.ok() || !vault.ok()) Fail("setting up");
  crm::registry::RegistryReplayer replayer(**vault);
  const absl::Time start = absl::Now();
  auto summary = crm::runtime::RebuildOwnEvents(
      **store, replayer, {.topic = {.brokers = brokers, .topic = topic}, .progress = nullptr});
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (!summary.ok() || static_cast<int64_t>(summary->events_restored) != events) {
    Fail(summary.ok() ? crm::runtime::SummaryLine(*summary) : summary.status().ToString());
  }
  store->reset();
  vault->reset();
  std::filesystem::remove_all(path);
  return events / seconds;
}

double RunBareConsumer(const std::string& brokers, const std::string& topic, int64_t events) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string error;
  conf->set("bootstrap.servers", brokers, error);
  conf->set("group.id", "rebuild-bench-bare", error);
  conf->set("enable.auto.commit", "false", error);
  conf->set("enable.partition.eof", "true", error);
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(conf.get(), error));
  if (consumer == nullptr) {
    Fail("consumer: " + error);
  }
  RdKafka::Metadata* raw = nullptr;
  if (RdKafka::ErrorCode code = consumer->metadata(true, nullptr, &raw, 10000);
      code != RdKafka::ERR_NO_ERROR) {
    Fail("metadata: " + RdKafka::err2str(code));
  }
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  std::vector<RdKafka::TopicPartition*> partitions;
  for (const RdKafka::TopicMetadata* described : *metadata->topics()) {
    if (described->topic() != topic) continue;
    for (const auto* partition : *described->partitions()) {
      partitions.push_back(RdKafka::TopicPartition::create(topic, partition->id(),
                                                           RdKafka::Topic::OFFSET_BEGINNING));
    }
  }
  const absl::Time start = absl::Now();
  consumer->assign(partitions);
  size_t at_end = 0;
  int64_t read = 0;
  uint64_t checksum = 0;
  while (at_end < partitions.size()) {
    std::unique_ptr<RdKafka::Message> message(consumer->consume(1000));
    if (message->err() == RdKafka::ERR__PARTITION_EOF) {
      ++at_end;
    } else if (message->err() == RdKafka::ERR_NO_ERROR) {
      ++read;
      const auto* bytes = static_cast<const unsigned char*>(message->payload());
      for (size_t i = 0; i < message->len(); i += 64) checksum += bytes[i];
    }
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  consumer->close();
  RdKafka::TopicPartition::destroy(partitions);
  if (read != events || checksum == 0) {
    Fail(absl::StrCat("the bare consumer read ", read, " of ", events, " events"));
  }
  return events / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = crm::bench::ParseEventRunOptions(argc, argv, 1'000'000);
  // Enough partitions that the devbroker, which keeps a few MiB per partition, holds them all.
  const std::string topic = absl::StrCat("bench.rebuild.", getpid());
  auto broker = crm::testing::Subprocess::Start(
      {CRM_DEVBROKER_PATH, "--partitions=64", absl::StrCat("--topic=", topic)});
  if (!broker.ok()) return 1;
  const std::string brokers = (*broker)->ReadLine(absl::Seconds(30)).value_or("");
  if (brokers.empty()) return 1;
  const absl::Time fill_start = absl::Now();
  const int64_t events = FillTopic(options, brokers, topic);
  std::fprintf(stderr, "filled %s with %ld events in %.1f s\n", topic.c_str(),
               static_cast<long>(events), absl::ToDoubleSeconds(absl::Now() - fill_start));
  std::vector<double> rebuild, bare;
  for (int run = 0; run < options.runs; ++run) {
    bare.push_back(RunBareConsumer(brokers, topic, events));
    rebuild.push_back(RunRebuild(options, brokers, topic, events, run));
    std::fprintf(stderr, "run %d: rebuild %.0f/s, bare consumer %.0f/s\n", run, rebuild.back(),
                 bare.back());
  }
  const double r = crm::bench::Median(rebuild);
  const double b = crm::bench::Median(bare);
  std::printf("rebuild: %ld registry events, median of %d runs, 64 partitions on crm-devbroker\n\n",
              static_cast<long>(events), options.runs);
  std::printf("| path | events/s | ratio |\n|---|---|---|\n");
  std::printf(
      "| registry rebuilt from its topic (read in log order, fold, project, write) "
      "| %.0f | %.2f |\n",
      r, r / b);
  std::printf("| bare librdkafka consumer, same topic, start to end | %.0f | 1.00 |\n", b);
}
