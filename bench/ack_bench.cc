// Writes acknowledged by Kafka (--ack=kafka) against what such a write must physically do,
// measured in the same process and run: a bare gRPC server whose handler writes one synced
// RocksDB WriteBatch, produces one message with acks=all and waits for its confirmation.
//
//   registry:  UpdateSection and RegisterCustomer on a store that acknowledges a command
//              once the relay has had its events confirmed by the broker (acks=all,
//              idempotent producer), the WAL synced;
//   baseline:  the same gRPC server and channel; the handler writes the request's bytes
//              as one synced WriteBatch to a RocksDB of its own, produces them with the
//              relay's producer settings and waits for the delivery report.
//
// Each call level (1, 16 and 64 outstanding calls from as many threads over one channel)
// runs the baseline just before each run of the RPC, and the ratio is the median of the
// pairs' ratios, so that the machine's drift cancels out. Both sides produce to
// crm-devbroker, started here with 12 partitions.
//
//   build/bench/ack_bench [--seconds=2] [--runs=5] [--dir=/tmp] [--customers=1000]
//                         [--calls=1,16,64] [--linger_ms=1] [--partitions=12]
//
// --linger_ms sets linger.ms of both producers (the relay's default is 5).
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "crm/crypto/key_vault.h"
#include "crm/eventstore/event_store.h"
#include "crm/kafka/outbox_relay.h"
#include "crm/runtime/server_threads.h"
#include "crm/testing/v1/testing.grpc.pb.h"
#include "crm/v1/registry.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/server_builder.h"
#include "librdkafka/rdkafkacpp.h"
#include "registry_service.h"
#include "rocksdb/db.h"
#include "support/echo_service.h"  // Check
#include "support/harness.h"
#include "support/registry_calls.h"
#include "support/subprocess.h"

namespace {

using crm::bench::Check;
using crm::bench::OrDie;
using crm::bench::Register;
using crm::bench::RunResult;

// The relay's producer settings (OutboxRelay::Start), so that both sides batch alike.
std::vector<std::pair<std::string, std::string>> ProducerSettings(const std::string& brokers,
                                                                  int linger_ms) {
  return {{"bootstrap.servers", brokers},
          {"enable.idempotence", "true"},
          {"acks", "all"},
          {"message.timeout.ms", "0"},
          {"linger.ms", std::to_string(linger_ms)},
          {"batch.num.messages", "10000"},
          {"queue.buffering.max.messages", "200000"},
          {"compression.type", "lz4"},
          {"partitioner", "murmur2_random"}};
}

// One call waiting for its message's delivery report.
struct Delivery {
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  RdKafka::ErrorCode error = RdKafka::ERR_NO_ERROR;
};

class SignalDelivery final : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override {
    auto* delivery = static_cast<Delivery*>(message.msg_opaque());
    const std::lock_guard lock(delivery->mu);
    delivery->error = message.err();
    delivery->done = true;
    delivery->done_cv.notify_one();
  }
};

// The baseline: what a write acknowledged by Kafka must do at least, with nothing else.
class DurableEcho final : public crm::testing::v1::EchoService::Service {
 public:
  DurableEcho(const std::string& path, const std::string& brokers, int linger_ms) {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* db = nullptr;
    if (!rocksdb::DB::Open(options, path, &db).ok()) std::abort();
    db_.reset(db);
    std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    std::string error;
    for (const auto& [name, value] : ProducerSettings(brokers, linger_ms)) {
      if (conf->set(name, value, error) != RdKafka::Conf::CONF_OK) std::abort();
    }
    conf->set("dr_cb", &reports_, error);
    producer_.reset(RdKafka::Producer::create(conf.get(), error));
    if (producer_ == nullptr) std::abort();
    poller_ = std::thread([this] {
      while (!stopping_.load()) producer_->poll(100);
    });
  }
  ~DurableEcho() override {
    stopping_.store(true);
    poller_.join();
    producer_->flush(5000);
  }

  grpc::Status Echo(grpc::ServerContext*, const crm::testing::v1::EchoRequest* request,
                    crm::testing::v1::EchoResponse* response) override {
    const std::string key = absl::StrCat("k", sequence_.fetch_add(1));
    rocksdb::WriteBatch batch;
    batch.Put(key, request->message());
    rocksdb::WriteOptions synced;
    synced.sync = true;
    if (!db_->Write(synced, &batch).ok()) return {grpc::StatusCode::INTERNAL, "write"};
    Delivery delivery;
    const RdKafka::ErrorCode code = producer_->produce(
        "bench.ack.baseline", RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
        const_cast<char*>(request->message().data()), request->message().size(), key.data(),
        key.size(), /*timestamp=*/0, &delivery);
    if (code != RdKafka::ERR_NO_ERROR) return {grpc::StatusCode::UNAVAILABLE, "produce"};
    std::unique_lock lock(delivery.mu);
    delivery.done_cv.wait(lock, [&] { return delivery.done; });
    if (delivery.error != RdKafka::ERR_NO_ERROR) return {grpc::StatusCode::UNAVAILABLE, "ack"};
    response->set_message(key);
    return grpc::Status::OK;
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  SignalDelivery reports_;
  std::unique_ptr<RdKafka::Producer> producer_;
  std::atomic<uint64_t> sequence_{0};
  std::atomic<bool> stopping_{false};
  std::thread poller_;
};

}  // namespace

int main(int argc, char** argv) {
  crm::runtime::SkipMutexDeadlockDetection();  // as the service processes do
  const crm::bench::Flags flags(argc, argv);
  const int seconds = flags.Int("seconds", 2);
  const int runs = flags.Int("runs", 5);
  const int customers = flags.Int("customers", 1000);
  const int linger_ms = flags.Int("linger_ms", 1);
  std::vector<int> calls;
  for (const std::string& n :
       std::vector<std::string>(absl::StrSplit(flags.String("calls", "1,16,64"), ','))) {
    calls.push_back(std::stoi(n));
  }
  const std::string dir = absl::StrCat(flags.String("dir", "/tmp"), "/crm-ack-bench-", getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  const int partitions = flags.Int("partitions", 12);
  auto broker = OrDie(crm::testing::Subprocess::Start(
                          {CRM_DEVBROKER_PATH, absl::StrCat("--partitions=", partitions)}),
                      "crm-devbroker");
  const std::string brokers = broker->ReadLine(absl::Seconds(30)).value_or("");
  if (brokers.empty()) return 1;

  auto store = OrDie(crm::eventstore::EventStore::Open({.path = dir + "/registry",
                                                        .sync = true,
                                                        .acknowledge_when_published = true,
                                                        .publication_timeout = absl::Seconds(30)}),
                     "registry store");
  auto vault = OrDie(crm::crypto::KeyVault::Open({.path = dir + "/registry/keys"}), "key vault");
  crm::registry::RegistryService registry(*store, *vault, {.topic = "crm.registry.events.v1"});
  // The same registry acknowledging once its store has the events (--ack=local), on a
  // server of its own: the gap between the two is what waiting for Kafka costs.
  auto local_store =
      OrDie(crm::eventstore::EventStore::Open({.path = dir + "/local", .sync = true}), "store");
  auto local_vault = OrDie(crm::crypto::KeyVault::Open({.path = dir + "/local/keys"}), "key vault");
  crm::registry::RegistryService local_registry(*local_store, *local_vault,
                                                {.topic = "crm.registry.events.v1"});
  crm::kafka::OutboxRelay relay(
      *store, {.brokers = brokers, .client_id = "ack-bench", .linger_ms = linger_ms});
  if (!relay.Start().ok()) return 1;
  DurableEcho baseline(dir + "/baseline", brokers, linger_ms);

  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  crm::runtime::SizeHandlerThreads(builder);
  builder.RegisterService(&registry);
  builder.RegisterService(&baseline);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  auto channel =
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
  auto registry_stub = crm::v1::RegistryService::NewStub(channel);
  auto baseline_stub = crm::testing::v1::EchoService::NewStub(channel);
  int local_port = 0;
  grpc::ServerBuilder local_builder;
  local_builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &local_port);
  local_builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  crm::runtime::SizeHandlerThreads(local_builder);
  local_builder.RegisterService(&local_registry);
  std::unique_ptr<grpc::Server> local_server = local_builder.BuildAndStart();
  auto local_stub = crm::v1::RegistryService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", local_port), grpc::InsecureChannelCredentials()));

  std::vector<std::string> ids;
  std::vector<std::string> local_ids;
  for (int i = 0; i < customers; ++i) {
    ids.push_back(Register(*registry_stub, absl::StrCat("seed-", i), absl::StrCat("Seed ", i)));
    local_ids.push_back(Register(*local_stub, absl::StrCat("seed-", i), absl::StrCat("Seed ", i)));
  }
  std::atomic<uint64_t> sequence{0};
  const std::string note(200, 'n');
  // The baseline's message is about the size of an UpdateSection event on the topic.
  const std::string payload(400, 'p');
  const auto baseline_op = [&](int, uint64_t) {
    grpc::ClientContext context;
    crm::testing::v1::EchoRequest request;
    request.set_message(payload);
    crm::testing::v1::EchoResponse response;
    Check(baseline_stub->Echo(&context, request, &response), "baseline");
  };
  using Op = std::function<void(int, uint64_t)>;
  const auto update_section = [&](crm::v1::RegistryService::Stub& stub,
                                  const std::vector<std::string>& customer_ids) -> Op {
    return [&sequence, &note, stub = &stub, ids = &customer_ids](int thread, uint64_t i) {
      const uint64_t n = sequence.fetch_add(1);
      grpc::ClientContext context;
      crm::v1::UpdateSectionRequest request;
      request.set_request_id(absl::StrCat("update-", n));
      // Each thread updates customers of its own, as account teams do.
      request.set_customer_id((*ids)[(static_cast<uint64_t>(thread) * 97 + i) % ids->size()]);
      request.mutable_update()->set_notes(absl::StrCat(note, n));
      crm::v1::UpdateSectionResponse response;
      Check(stub->UpdateSection(&context, request, &response), "UpdateSection");
    };
  };
  const auto register_customer = [&](crm::v1::RegistryService::Stub& stub) -> Op {
    return [&sequence, stub = &stub](int, uint64_t) {
      const uint64_t n = sequence.fetch_add(1);
      Register(*stub, absl::StrCat("register-", n), absl::StrCat("Load ", n));
    };
  };
  struct Measured {
    std::string name;
    Op by_kafka;
    Op locally;
  };
  const std::vector<Measured> ops = {
      {"UpdateSection", update_section(*registry_stub, ids),
       update_section(*local_stub, local_ids)},
      {"RegisterCustomer", register_customer(*registry_stub), register_customer(*local_stub)},
  };

  // Warm up: the producers' connections to every partition's leader and the stores' caches.
  crm::bench::RunConcurrent(16, std::chrono::seconds(1), baseline_op);
  for (const Measured& op : ops) {
    crm::bench::RunConcurrent(16, std::chrono::seconds(1), op.by_kafka);
    crm::bench::RunConcurrent(16, std::chrono::seconds(1), op.locally);
  }

  std::printf(
      "%d s per run, median of %d runs, each RPC run paired with a baseline run just before "
      "it; WAL synced; linger.ms %d; crm-devbroker, %d partitions\n\n",
      seconds, runs, linger_ms, partitions);
  std::printf(
      "| calls | RPC | acknowledged by Kafka, calls/s | baseline calls/s | ratio | p50 µs | "
      "p99 µs | baseline p50 µs | acknowledged locally, calls/s |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  std::fflush(stdout);
  for (int outstanding : calls) {
    for (const Measured& op : ops) {
      std::vector<RunResult> results;
      std::vector<RunResult> baseline_results;
      std::vector<RunResult> local_results;
      std::vector<double> ratios;
      for (int run = 0; run < runs; ++run) {
        baseline_results.push_back(
            crm::bench::RunConcurrent(outstanding, std::chrono::seconds(seconds), baseline_op));
        results.push_back(
            crm::bench::RunConcurrent(outstanding, std::chrono::seconds(seconds), op.by_kafka));
        ratios.push_back(results.back().ops_per_second / baseline_results.back().ops_per_second);
        local_results.push_back(
            crm::bench::RunConcurrent(outstanding, std::chrono::seconds(seconds), op.locally));
      }
      const RunResult median = crm::bench::MedianOf(results);
      const RunResult baseline_median = crm::bench::MedianOf(baseline_results);
      std::printf("| %d | %s | %.0f | %.0f | %.2f | %.0f | %.0f | %.0f | %.0f |\n", outstanding,
                  op.name.c_str(), median.ops_per_second, baseline_median.ops_per_second,
                  crm::bench::Median(ratios), median.p50_us, median.p99_us, baseline_median.p50_us,
                  crm::bench::MedianOf(local_results).ops_per_second);
      std::fflush(stdout);
    }
  }
  server->Shutdown();
  local_server->Shutdown();
  relay.Stop(absl::Seconds(5));
  (void)store->Close();
  (void)local_store->Close();
  std::filesystem::remove_all(dir);
  return 0;
}
