// The relay's per-message steps, one at a time (Google Benchmark): reading outbox rows,
// building CloudEvents headers, and the event codec both ways.
//
//   build/bench/relay_path_microbench --benchmark_repetitions=3
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "crm/base/ids.h"
#include "crm/eventstore/event_codec.h"
#include "crm/eventstore/event_store.h"
#include "crm/kafka/cloud_events.h"
#include "crm/testing/v1/testing.pb.h"
#include "google/protobuf/util/time_util.h"

namespace {

crm::v1::EventMetadata SampleMetadata() {
  crm::v1::EventMetadata m;
  m.set_event_id(crm::NewUuid());
  m.set_event_type("crm.v1.CustomerRegistered");
  m.set_stream_id("customer-cus_0b7c5d2e");
  m.set_stream_version(42);
  m.set_global_position(123456789);
  *m.mutable_occurred_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  m.set_region("emea");
  m.mutable_actor()->set_principal("alice@example.com");
  m.set_correlation_id(crm::NewUuid());
  m.set_request_id(crm::NewUuid());
  m.set_customer_id("cus_0b7c5d2e");
  m.set_source("crm/registry/emea");
  return m;
}

void BM_ComposeEvent(benchmark::State& state) {
  const auto metadata = SampleMetadata();
  const std::string payload(180, 'p');
  for (auto _ : state) benchmark::DoNotOptimize(crm::eventstore::ComposeEvent(metadata, payload));
}
BENCHMARK(BM_ComposeEvent);

void BM_ParseEventMetadata(benchmark::State& state) {
  const std::string bytes = crm::eventstore::ComposeEvent(SampleMetadata(), std::string(180, 'p'));
  crm::v1::EventMetadata metadata;
  for (auto _ : state)
    benchmark::DoNotOptimize(crm::eventstore::ParseEventMetadata(bytes, metadata));
}
BENCHMARK(BM_ParseEventMetadata);

void BM_CloudEventHeaders(benchmark::State& state) {
  const auto metadata = SampleMetadata();
  for (auto _ : state) benchmark::DoNotOptimize(crm::kafka::CloudEventHeaders(metadata));
}
BENCHMARK(BM_CloudEventHeaders);

// Reading a batch of 5000 rows from an outbox of 50,000; reports time per row.
void BM_ReadOutbox(benchmark::State& state) {
  const std::string path = absl::StrCat("/tmp/crm-outbox-microbench-", getpid());
  std::filesystem::remove_all(path);
  auto store = crm::eventstore::EventStore::Open({.path = path, .sync = false});
  crm::testing::v1::NoteRecorded note;
  note.set_text(std::string(180, 'n'));
  for (int i = 0; i < 5000; ++i) {
    crm::eventstore::AppendRequest request{.stream_id = absl::StrCat("customer-", i % 100)};
    for (int e = 0; e < 10; ++e) request.events.push_back(crm::eventstore::NewEvent::From(note));
    request.topic = "bench";
    (void)(*store)->Append(std::move(request));
  }
  uint64_t after = 0;
  for (auto _ : state) {
    auto rows = (*store)->ReadOutbox(after, 5000);
    after = rows->empty() ? 0 : rows->back().id % 45000;
    benchmark::DoNotOptimize(rows);
  }
  state.SetItemsProcessed(state.iterations() * 5000);
  store->reset();
  std::filesystem::remove_all(path);
}
BENCHMARK(BM_ReadOutbox)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
