// Appends per second and latency of the event store at 1, 16 and 64 concurrent appenders,
// with the WAL synced and not, against the bare baseline: plain RocksDB WriteBatches of the
// same rows and bytes, written by the same number of threads straight to db->Write().
//
// Each append is a realistic command: one ~200-byte event on the appender's own stream,
// published through the outbox, with a request id (log entry, stream index, head, outbox
// row, request record: five rows).
//
//   build/bench/eventstore_append_bench [--seconds=2] [--runs=3] [--dir=/tmp]
#include <filesystem>
#include <map>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "crm/eventstore/event_store.h"
#include "crm/testing/v1/testing.pb.h"
#include "rocksdb/db.h"
#include "support/harness.h"

namespace {

using crm::bench::MedianOf;
using crm::bench::RunConcurrent;
using crm::bench::RunResult;

struct Options {
  int seconds = 2;
  int runs = 3;
  std::string dir = "/tmp";
};

Options Parse(int argc, char** argv) {
  const crm::bench::Flags flags(argc, argv);
  Options options;
  options.seconds = flags.Int("seconds", options.seconds);
  options.runs = flags.Int("runs", options.runs);
  options.dir = flags.String("dir", options.dir);
  return options;
}

std::string FreshDir(const Options& options, const std::string& name) {
  const std::string path = absl::StrCat(options.dir, "/crm-bench-", getpid(), "-", name);
  std::filesystem::remove_all(path);
  return path;
}

RunResult RunStore(const Options& options, int writers, bool sync) {
  const std::string path = FreshDir(options, "store");
  auto store = crm::eventstore::EventStore::Open({.path = path, .sync = sync});
  if (!store.ok()) std::abort();
  crm::testing::v1::NoteRecorded note;
  note.set_text(std::string(180, 'n'));
  const crm::eventstore::NewEvent event = crm::eventstore::NewEvent::From(note);
  RunResult result =
      RunConcurrent(writers, std::chrono::seconds(options.seconds), [&](int thread, uint64_t i) {
        crm::eventstore::AppendRequest request{.stream_id = absl::StrCat("customer-", thread),
                                               .customer_id = absl::StrCat("cus_", thread)};
        request.events.push_back(event);
        request.topic = "crm.bench.events.v1";
        request.context.request_id = absl::StrCat(thread, "-", i);
        if (!(*store)->Append(std::move(request)).ok()) std::abort();
      });
  store->reset();
  std::filesystem::remove_all(path);
  return result;
}

// The same five rows with the same sizes, in the same column families, one WriteBatch per
// append, written directly: what RocksDB alone achieves (with its own write grouping).
RunResult RunBare(const Options& options, int writers, bool sync) {
  const std::string path = FreshDir(options, "bare");
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const char* name : {"default", "log", "streams", "heads", "outbox", "requests"}) {
    rocksdb::ColumnFamilyOptions cf;
    cf.compression = rocksdb::kNoCompression;
    families.emplace_back(name, cf);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(db_options, path, families, &handles, &raw).ok()) std::abort();
  std::unique_ptr<rocksdb::DB> db(raw);
  std::atomic<uint64_t> position{0};
  const std::string event(300, 'e');  // event with its metadata
  const std::string outbox(40, 'o');  // topic and key (the event is the log entry)
  const std::string head(20, 'h');
  const std::string request(60, 'r');
  rocksdb::WriteOptions write_options;
  write_options.sync = sync;
  RunResult result =
      RunConcurrent(writers, std::chrono::seconds(options.seconds), [&](int thread, uint64_t i) {
        const uint64_t p = position.fetch_add(1);
        char key[8];
        for (int b = 0; b < 8; ++b) key[b] = static_cast<char>(p >> (56 - 8 * b));
        const std::string stream = absl::StrCat("customer-", thread);
        rocksdb::WriteBatch batch;
        batch.Put(handles[1], rocksdb::Slice(key, 8), event);
        std::string stream_key = stream;
        stream_key.push_back('\0');
        stream_key.append(key, 8);
        batch.Put(handles[2], stream_key, rocksdb::Slice(key, 8));
        batch.Put(handles[3], stream, head);
        batch.Put(handles[4], rocksdb::Slice(key, 8), outbox);
        batch.Put(handles[5], absl::StrCat(thread, "-", i), request);
        if (!db->Write(write_options, &batch).ok()) std::abort();
      });
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
  db.reset();
  std::filesystem::remove_all(path);
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  // As the service processes do (crm::runtime::SkipMutexDeadlockDetection): the store's
  // locks are measured as they run in production.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  const Options options = Parse(argc, argv);
  std::printf("eventstore append: %d s per run, median of %d runs, store and bare interleaved\n\n",
              options.seconds, options.runs);
  std::printf(
      "| sync | appenders | store appends/s | p50 µs | p99 µs | bare appends/s | p50 µs | "
      "p99 µs | ratio |\n|---|---|---|---|---|---|---|---|---|\n");
  for (bool sync : {true, false}) {
    for (int writers : {1, 16, 64}) {
      std::vector<RunResult> store_runs, bare_runs;
      for (int run = 0; run < options.runs; ++run) {
        bare_runs.push_back(RunBare(options, writers, sync));
        store_runs.push_back(RunStore(options, writers, sync));
      }
      const RunResult store = MedianOf(store_runs);
      const RunResult bare = MedianOf(bare_runs);
      std::printf("| %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.2f |\n",
                  sync ? "on" : "off", writers, store.ops_per_second, store.p50_us, store.p99_us,
                  bare.ops_per_second, bare.p50_us, bare.p99_us,
                  store.ops_per_second / bare.ops_per_second);
      std::fflush(stdout);
    }
  }
}
