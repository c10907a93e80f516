// Replay speed of the global log (the path of rebuilding a projection): events per second
// read with ScanLog, with and without reading each event's metadata, against the bare
// baseline in the same run: a plain RocksDB iterator over the same log column family.
//
//   build/bench/replay_bench [--events=1000000] [--runs=3] [--dir=/tmp]
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "crm/eventstore/event_codec.h"
#include "crm/eventstore/event_store.h"
#include "crm/testing/v1/testing.pb.h"
#include "rocksdb/db.h"
#include "support/harness.h"

namespace {

using Options = crm::bench::EventRunOptions;

template <typename F>
double PerSecond(int64_t count, F&& body) {
  const absl::Time start = absl::Now();
  body();
  return static_cast<double>(count) / absl::ToDoubleSeconds(absl::Now() - start);
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = crm::bench::ParseEventRunOptions(argc, argv, 1000000);
  const std::string path = absl::StrCat(options.dir, "/crm-replay-bench-", getpid());
  std::filesystem::remove_all(path);
  {
    auto store = crm::eventstore::EventStore::Open({.path = path, .sync = false});
    if (!store.ok()) return 1;
    crm::testing::v1::NoteRecorded note;
    note.set_text(std::string(180, 'n'));
    const auto event = crm::eventstore::NewEvent::From(note);
    constexpr int kPerAppend = 10;
    for (int i = 0; i < options.events / kPerAppend; ++i) {
      crm::eventstore::AppendRequest request{.stream_id = absl::StrCat("customer-", i % 5000)};
      for (int e = 0; e < kPerAppend; ++e) request.events.push_back(event);
      if (!(*store)->Append(std::move(request)).ok()) return 1;
    }
    std::vector<double> raw, parsed;
    for (int run = 0; run < options.runs; ++run) {
      int64_t seen = 0;
      raw.push_back(PerSecond(options.events, [&] {
        (void)(*store)->ScanLog(1, [&](uint64_t, std::string_view bytes) {
          seen += static_cast<int64_t>(bytes.size() > 0);
          return true;
        });
      }));
      crm::v1::EventMetadata metadata;
      parsed.push_back(PerSecond(options.events, [&] {
        (void)(*store)->ScanLog(1, [&](uint64_t, std::string_view bytes) {
          seen += crm::eventstore::ParseEventMetadata(bytes, metadata);
          return true;
        });
      }));
      if (seen != 2 * static_cast<int64_t>(options.events)) return 1;
    }
    store->reset();

    // The bare baseline: the same column family, read with a plain iterator.
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const char* name :
         {"default", "log", "streams", "heads", "outbox", "rows", "requests", "consumer"}) {
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    if (!rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), path, families, &handles, &db).ok()) {
      return 1;
    }
    std::vector<double> bare;
    for (int run = 0; run < options.runs; ++run) {
      int64_t seen = 0;
      bare.push_back(PerSecond(options.events, [&] {
        rocksdb::ReadOptions read;
        read.fill_cache = false;
        std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(read, handles[1]));
        for (it->SeekToFirst(); it->Valid(); it->Next()) seen += it->value().size() > 0;
      }));
      if (seen != options.events) return 1;
    }
    for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
    delete db;
    const double b = crm::bench::Median(bare);
    std::printf("replay: %d events of ~300 bytes, median of %d runs\n\n", options.events,
                options.runs);
    std::printf("| path | events/s | ratio |\n|---|---|---|\n");
    std::printf("| ScanLog, bytes only | %.0f | %.2f |\n", crm::bench::Median(raw),
                crm::bench::Median(raw) / b);
    std::printf("| ScanLog + ParseEventMetadata | %.0f | %.2f |\n", crm::bench::Median(parsed),
                crm::bench::Median(parsed) / b);
    std::printf("| bare RocksDB iterator | %.0f | 1.00 |\n", b);
  }
  std::filesystem::remove_all(path);
}
