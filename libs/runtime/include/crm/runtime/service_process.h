// The process around one service: logging, the event store, the outbox relay, consumers
// of other services' events, the gRPC server (health and reflection included), /metrics,
// and an orderly shutdown on SIGTERM. Every service's main() is a few lines of this:
//
//   int main(int argc, char** argv) {
//     crm::runtime::ServiceProcess::BlockShutdownSignals();
//     auto settings = crm::runtime::LoadSettingsOrExit("registry", argc, argv);
//     crm::runtime::ServiceProcess process(settings);
//     if (!process.OpenStore().ok()) return 1;
//     RegistryService service(process.store(), ...);
//     process.AddService(&service);
//     process.AddConsumer({...topics...}, handler);
//     if (!process.Start().ok()) return 1;
//     return process.Run();  // until SIGTERM or SIGINT
//   }
//
// Health is NOT_SERVING until the store is open and every consumer has caught up, and
// again from the moment shutdown begins: that is readiness, the health of service "". The
// health of service "liveness" is SERVING from Start until shutdown, however long the
// consumers take to catch up. With settings.health_listen, a second plaintext port answers
// the same health and nothing else (for probes that cannot speak TLS). Shutdown, bounded by
// settings.shutdown_timeout: stop accepting RPCs and finish those in flight, stop the consumers
// (their last batch is stored with its offsets), flush the outbox to Kafka, close RocksDB.
//
// Set-up calls (OpenStore … Start) from one thread; RequestShutdown from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "crm/eventstore/event_store.h"
#include "crm/kafka/event_consumer.h"
#include "crm/kafka/outbox_relay.h"
#include "crm/kafka/state_publisher.h"
#include "crm/metrics/registry.h"
#include "crm/runtime/metrics_http.h"
#include "crm/runtime/rebuild.h"
#include "crm/runtime/settings.h"
#include "grpcpp/server.h"

namespace crm::runtime {

namespace internal {
class HealthOnlyServer;
}  // namespace internal

// LoadSettings for the process's own argv and environment; prints help and exits 0 for
// --help, prints the problem and exits 2 for a bad setting.
ServiceSettings LoadSettingsOrExit(const std::string& service, int argc, char** argv);

// The health service name whose status says the process is alive (not whether it is ready).
inline constexpr char kLivenessService[] = "liveness";

// An idempotent change to a store an earlier release wrote (see AddStoreUpgrade).
using StoreUpgrade = std::function<absl::Status(eventstore::EventStore& store)>;

class ServiceProcess {
 public:
  // Blocks SIGTERM and SIGINT in the calling thread and in every thread started after it,
  // so that Run() alone receives them. Call first thing in main().
  static void BlockShutdownSignals();

  explicit ServiceProcess(ServiceSettings settings);
  ~ServiceProcess();
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  // Opens the event store in settings.data_dir.
  absl::Status OpenStore();
  eventstore::EventStore& store() { return *store_; }
  metrics::Registry& metrics() { return metrics_; }
  const ServiceSettings& settings() const { return settings_; }

  // Registers a gRPC service (not owned; it must outlive the process object).
  void AddService(grpc::Service* service);
  // Consumes `topics` (full names) into this service's read models, in the consumer group
  // "<topic prefix>crm-<service>". `tables`: those `handler` writes (names with static
  // storage), which settings.rebuild = "projections" empties before the consumer starts.
  void AddConsumer(std::vector<std::string> topics, kafka::EventHandler handler,
                   std::vector<std::string_view> tables = {});

  // Publishes the current state of every customer this service's events touch to
  // "<topic prefix>crm.<service>.state.v1" (see crm/kafka/state_publisher.h).
  // `state_type` is the state message's full name.
  void AddStateTopic(std::string state_type, kafka::StateOf state_of);

  // How this service's domain replays its own events, for settings.rebuild (not owned).
  void SetReplayer(EventReplayer* replayer) { replayer_ = replayer; }

  // Adds a change to a store an earlier release wrote (rows moved to a new form), run by
  // Start in the order added, after a rebuild and before anything reads the store. It must
  // be idempotent and leave the store whole if it stops midway: it runs at every start.
  void AddStoreUpgrade(StoreUpgrade upgrade) { upgrades_.push_back(std::move(upgrade)); }

  // Starts /metrics, the relay, the gRPC server and the consumers; first, with
  // settings.rebuild, rebuilds the store from the events topic. Returns once the server
  // listens; health turns SERVING when the consumers have caught up.
  absl::Status Start();
  int grpc_port() const { return grpc_port_; }
  // The plaintext health port (settings.health_listen), 0 when there is none.
  int health_port() const;
  int metrics_port() const { return metrics_http_ ? metrics_http_->port() : 0; }
  bool Serving() const { return serving_.load(); }

  // Waits for SIGTERM, SIGINT or RequestShutdown, shuts down and returns the exit code.
  int Run();
  void RequestShutdown();
  // The orderly stop (see above). Idempotent.
  void Shutdown();

 private:
  void RegisterProcessMetrics();
  // Puts the log back into the outbox when the events topic lost what it held (the
  // republish setting); whether it did.
  absl::StatusOr<bool> RestoreTopics();
  // The rebuild settings.rebuild asks for, if any.
  absl::Status RebuildIfAsked();
  // The consumer group of this service's consumers.
  std::string ConsumerGroup() const;
  void SetServing(bool serving);
  void WatchReadiness();

  ServiceSettings settings_;
  metrics::Registry metrics_;
  std::unique_ptr<eventstore::EventStore> store_;
  std::unique_ptr<kafka::OutboxRelay> relay_;
  std::unique_ptr<kafka::StatePublisher> state_publisher_;
  std::vector<std::unique_ptr<kafka::EventConsumer>> consumers_;
  // The tables the consumers write, and how many consumers named none (which a rebuild of
  // the projections cannot empty: it refuses then).
  std::vector<std::string_view> projection_tables_;
  int consumers_without_tables_ = 0;
  std::vector<grpc::Service*> services_;
  EventReplayer* replayer_ = nullptr;
  std::vector<StoreUpgrade> upgrades_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<internal::HealthOnlyServer> health_server_;
  std::unique_ptr<MetricsHttpServer> metrics_http_;
  int grpc_port_ = 0;
  std::atomic<bool> serving_{false};
  std::atomic<bool> shutting_down_{false};
  std::atomic<bool> shutdown_flag_{false};
  absl::Notification shutdown_requested_;
  absl::Notification shutdown_done_;
  std::thread readiness_;
};

}  // namespace crm::runtime
