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
// Two floors say what storing the events costs without the service's domain: the bare
// consumer with plain RocksDB writing each event's rows in synced batches, and the same rows
// as table files RocksDB ingests. And on each rebuilt store, the rate of a recompute of its
// read models from its own log (--rebuild=read-models).
//
//   build/bench/rebuild_bench [--events=1000000] [--runs=3] [--dir=/tmp]
#include <sys/resource.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "crm/base/ids.h"
#include "crm/base/key_encoding.h"
#include "crm/crypto/key_vault.h"
#include "crm/eventstore/event_codec.h"
#include "crm/eventstore/event_store.h"
#include "crm/kafka/outbox_relay.h"
#include "crm/kafka/topic_log_reader.h"
#include "crm/registry/customer.h"
#include "crm/runtime/rebuild.h"
#include "crm/runtime/recompute.h"
#include "librdkafka/rdkafkacpp.h"
#include "registry_replayer.h"
#include "rocksdb/db.h"
#include "rocksdb/sst_file_writer.h"
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

// Events per second of a rebuild from the topic and, on the store it made, of a
// recompute of the read models from the store's own log.
struct RebuildRates {
  double rebuild = 0;
  double recompute = 0;
};

RebuildRates RunRebuild(const Options& options, const std::string& brokers,
                        const std::string& topic, int64_t events, int run) {
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
  const absl::Time recompute_start = absl::Now();
  auto recomputed = crm::runtime::RecomputeReadModels(**store, replayer, {.progress = nullptr});
  const double recompute_seconds = absl::ToDoubleSeconds(absl::Now() - recompute_start);
  if (!recomputed.ok() || static_cast<int64_t>(recomputed->events) != events) {
    Fail(recomputed.ok() ? crm::runtime::RecomputeSummaryLine(*recomputed)
                         : recomputed.status().ToString());
  }
  store->reset();
  vault->reset();
  std::filesystem::remove_all(path);
  return {.rebuild = events / seconds, .recompute = events / recompute_seconds};
}

// Reads `topic` from its start to its end with a bare librdkafka consumer assigned every
// partition, handing each message's bytes to `take`; returns the seconds it took, `done`
// included.
template <class Take, class Done>
double ReadTopic(const std::string& brokers, const std::string& topic, int64_t events, Take take,
                 Done done) {
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
  while (at_end < partitions.size()) {
    std::unique_ptr<RdKafka::Message> message(consumer->consume(1000));
    if (message->err() == RdKafka::ERR__PARTITION_EOF) {
      ++at_end;
    } else if (message->err() == RdKafka::ERR_NO_ERROR) {
      ++read;
      take(std::string_view(static_cast<const char*>(message->payload()), message->len()));
    }
  }
  done();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  consumer->close();
  RdKafka::TopicPartition::destroy(partitions);
  if (read != events) {
    Fail(absl::StrCat("the bare consumer read ", read, " of ", events, " events"));
  }
  return seconds;
}

// The bare consumer, touching every message's bytes.
double RunBareConsumer(const std::string& brokers, const std::string& topic, int64_t events) {
  uint64_t checksum = 0;
  const double seconds = ReadTopic(
      brokers, topic, events,
      [&](std::string_view bytes) {
        for (size_t i = 0; i < bytes.size(); i += 64) checksum += static_cast<uint8_t>(bytes[i]);
      },
      [] {});
  if (checksum == 0) Fail("the bare consumer read nothing");
  return events / seconds;
}

// What any store of the events must write, without a service's domain: the bare consumer,
// each message's metadata parsed, and plain RocksDB (its default options, one column
// family) given each event as a log row under a new position, its stream's index row, its
// request id's record and its stream's head (the version), in batches of 5,000 events each
// one synced write, as a rebuild's batches are.
double RunStoreFloor(const Options& options, const std::string& brokers, const std::string& topic,
                     int64_t events, int run) {
  const std::string path =
      absl::StrCat(options.dir, "/crm-rebuild-bench-floor-", getpid(), "-", run);
  std::filesystem::remove_all(path);
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(db_options, path, &raw).ok()) Fail("opening the floor's RocksDB");
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteOptions synced;
  synced.sync = true;
  rocksdb::WriteBatch batch;
  std::map<std::string, uint64_t> heads;
  crm::v1::EventMetadata metadata;
  uint64_t position = 0;
  size_t in_batch = 0;
  auto write = [&] {
    for (const auto& [stream, version] : heads) {
      batch.Put(absl::StrCat("h", stream), crm::EncodeUint64(version));
    }
    if (!db->Write(synced, &batch).ok()) Fail("writing the floor's batch");
    batch.Clear();
    heads.clear();
    in_batch = 0;
  };
  const double seconds = ReadTopic(
      brokers, topic, events,
      [&](std::string_view bytes) {
        if (!crm::eventstore::ParseEventMetadata(bytes, metadata)) Fail("an event does not parse");
        const std::string key = crm::EncodeUint64(++position);
        batch.Put(absl::StrCat("l", key), rocksdb::Slice(bytes.data(), bytes.size()));
        std::string index = absl::StrCat("s", metadata.stream_id(), std::string(1, '\0'));
        crm::AppendUint64(index, metadata.stream_version());
        batch.Put(index, key);
        batch.Put(absl::StrCat("r", metadata.request_id()), key);
        heads[metadata.stream_id()] = metadata.stream_version();
        if (++in_batch == 5000) write();
      },
      [&] {
        if (in_batch > 0) write();
      });
  db.reset();
  std::filesystem::remove_all(path);
  return events / seconds;
}

// The process's CPU time so far (user and system, every thread).
double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// The same rows written as sorted table files that RocksDB ingests at once, 50,000 events
// a file, bypassing its write-ahead log and memtables (as EventStore::AppendBulk does):
// what a store could reach by ingesting files instead of writing batches.
double RunIngestFloor(const Options& options, const std::string& brokers, const std::string& topic,
                      int64_t events, int run) {
  const std::string path =
      absl::StrCat(options.dir, "/crm-rebuild-bench-ingest-", getpid(), "-", run);
  std::filesystem::remove_all(path);
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(db_options, path, &raw).ok()) Fail("opening the floor's RocksDB");
  std::unique_ptr<rocksdb::DB> db(raw);
  std::vector<std::pair<std::string, std::string>> rows;
  std::map<std::string, uint64_t> heads;
  crm::v1::EventMetadata metadata;
  uint64_t position = 0;
  size_t in_file = 0;
  int files = 0;
  auto ingest = [&] {
    for (const auto& [stream, version] : heads) {
      rows.emplace_back(absl::StrCat("h", stream), crm::EncodeUint64(version));
    }
    std::sort(rows.begin(), rows.end());
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), db_options);
    const std::string file = absl::StrCat(path, "/ingest-", files++, ".sst");
    if (!writer.Open(file).ok()) Fail("opening a table file");
    for (const auto& [key, value] : rows) {
      if (!writer.Put(key, value).ok()) Fail("writing a table file");
    }
    if (!writer.Finish().ok()) Fail("finishing a table file");
    rocksdb::IngestExternalFileOptions ingest_options;
    ingest_options.move_files = true;
    if (!db->IngestExternalFile({file}, ingest_options).ok()) Fail("ingesting a table file");
    rows.clear();
    heads.clear();
    in_file = 0;
  };
  const double seconds = ReadTopic(
      brokers, topic, events,
      [&](std::string_view bytes) {
        if (!crm::eventstore::ParseEventMetadata(bytes, metadata)) Fail("an event does not parse");
        const std::string key = crm::EncodeUint64(++position);
        rows.emplace_back(absl::StrCat("l", key), std::string(bytes));
        std::string index = absl::StrCat("s", metadata.stream_id(), std::string(1, '\0'));
        crm::AppendUint64(index, metadata.stream_version());
        rows.emplace_back(std::move(index), key);
        rows.emplace_back(absl::StrCat("r", metadata.request_id()), key);
        heads[metadata.stream_id()] = metadata.stream_version();
        if (++in_file == 50'000) ingest();
      },
      [&] {
        if (in_file > 0) ingest();
      });
  db.reset();
  std::filesystem::remove_all(path);
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
  std::vector<double> rebuild, recompute, bare, floor, ingested;
  for (int run = 0; run < options.runs; ++run) {
    bare.push_back(RunBareConsumer(brokers, topic, events));
    const double cpu_before = CpuSeconds();
    const absl::Time floor_start = absl::Now();
    floor.push_back(RunStoreFloor(options, brokers, topic, events, run));
    // Whether the floor waits on the disk or on the processor.
    std::fprintf(stderr, "store floor: %.1f s of CPU in %.1f s\n", CpuSeconds() - cpu_before,
                 absl::ToDoubleSeconds(absl::Now() - floor_start));
    ingested.push_back(RunIngestFloor(options, brokers, topic, events, run));
    const RebuildRates rates = RunRebuild(options, brokers, topic, events, run);
    rebuild.push_back(rates.rebuild);
    recompute.push_back(rates.recompute);
    std::fprintf(stderr,
                 "run %d: rebuild %.0f/s, store floor %.0f/s, ingested %.0f/s, bare consumer "
                 "%.0f/s, recompute %.0f/s\n",
                 run, rebuild.back(), floor.back(), ingested.back(), bare.back(), recompute.back());
  }
  const double r = crm::bench::Median(rebuild);
  const double f = crm::bench::Median(floor);
  const double i = crm::bench::Median(ingested);
  const double b = crm::bench::Median(bare);
  std::printf("rebuild: %ld registry events, median of %d runs, 64 partitions on crm-devbroker\n\n",
              static_cast<long>(events), options.runs);
  std::printf("| path | events/s | ratio |\n|---|---|---|\n");
  std::printf(
      "| registry rebuilt from its topic (read in log order, fold, project, write) "
      "| %.0f | %.2f |\n",
      r, r / b);
  std::printf(
      "| store floor: the bare consumer and plain RocksDB writing each event's log, index, "
      "request and head rows, synced per 5,000 | %.0f | %.2f |\n",
      f, f / b);
  std::printf(
      "| the same rows as table files RocksDB ingests, 50,000 events a file | %.0f | %.2f |\n", i,
      i / b);
  std::printf("| bare librdkafka consumer, same topic, start to end | %.0f | 1.00 |\n", b);
  std::printf("\nrebuild / store floor: %.2f\n", r / f);
  std::printf("recompute of the read models from the store's own log: %.0f events/s\n",
              crm::bench::Median(recompute));
}
