#include "crm/runtime/service_process.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "crm/base/status_macros.h"
#include "crm/kafka/cloud_events.h"
#include "crm/kafka/topic_restore.h"
#include "crm/log/logger.h"
#include "crm/runtime/listening_file.h"
#include "crm/runtime/recompute.h"
#include "crm/runtime/server_threads.h"
#include "crm/runtime/transport_settings.h"
#include "grpc_metrics.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "health_server.h"
#include "request_parse_errors.h"

namespace crm::runtime {
namespace {

const std::shared_ptr<spdlog::logger>& Log() {
  static const auto log = crm::log::Get("process");
  return log;
}

sigset_t ShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

}  // namespace

ServiceSettings LoadSettingsOrExit(const std::string& service, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::printf("crm-%s: the %s service of the CRM backend.\n\nSettings (flag, variable):\n%s",
                  service.c_str(), service.c_str(), SettingsHelp(service).c_str());
      std::exit(0);
    }
  }
  auto settings = LoadSettings(service, argc, argv, ProcessEnvironment());
  if (!settings.ok()) {
    std::fprintf(stderr, "crm-%s: %s\n", service.c_str(),
                 std::string(settings.status().message()).c_str());
    std::exit(2);
  }
  return *std::move(settings);
}

void ServiceProcess::BlockShutdownSignals() {
  sigset_t signals = ShutdownSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

ServiceProcess::ServiceProcess(ServiceSettings settings) : settings_(std::move(settings)) {
  crm::log::SetLevel(settings_.log_level);
  SkipMutexDeadlockDetection();
}

ServiceProcess::~ServiceProcess() { Shutdown(); }

absl::Status ServiceProcess::OpenStore() {
  auto store = eventstore::EventStore::Open({.path = settings_.data_dir,
                                             .sync = settings_.sync_writes,
                                             .region = settings_.region,
                                             .service = settings_.service,
                                             .acknowledge_when_published = settings_.ack == "kafka",
                                             .publication_timeout = settings_.ack_timeout});
  if (!store.ok()) return store.status();
  store_ = *std::move(store);
  Log()->info("{} opened its store at {} (last position {})", settings_.service, settings_.data_dir,
              store_->LastPosition());
  return absl::OkStatus();
}

void ServiceProcess::AddService(grpc::Service* service) { services_.push_back(service); }

std::string ServiceProcess::ConsumerGroup() const {
  return absl::StrCat(settings_.topic_prefix, "crm-", settings_.service);
}

void ServiceProcess::AddConsumer(std::vector<std::string> topics, kafka::EventHandler handler,
                                 std::vector<std::string_view> tables) {
  if (tables.empty()) ++consumers_without_tables_;
  projection_tables_.insert(projection_tables_.end(), tables.begin(), tables.end());
  kafka::ConsumerOptions options{
      .brokers = settings_.kafka_brokers,
      .group_id = ConsumerGroup(),
      .client_id = absl::StrCat("crm-", settings_.service),
      .topics = std::move(topics),
      .overrides = settings_.kafka_overrides,
  };
  consumers_.push_back(std::make_unique<kafka::EventConsumer>(*store_, std::move(options),
                                                              std::move(handler), &metrics_));
}

void ServiceProcess::AddStateTopic(std::string state_type, kafka::StateOf state_of) {
  state_publisher_ = std::make_unique<kafka::StatePublisher>(
      *store_,
      kafka::StateTopicOptions{
          .brokers = settings_.kafka_brokers,
          .client_id = absl::StrCat("crm-", settings_.service, "-states"),
          .topic = kafka::StateTopic(settings_.topic_prefix, settings_.service),
          .state_type = std::move(state_type),
          .overrides = settings_.kafka_overrides},
      std::move(state_of));
}

void ServiceProcess::RegisterProcessMetrics() {
  metrics_
      .AddGauge("crm_build_info", "Always 1; the labels say what runs.",
                {"service", "region", "version"})
      .Get({settings_.service, settings_.region, "0.1.0"})
      .Set(1);
  metrics_.AddGaugeCallback("crm_up", "1 while the service reports SERVING.",
                            [this] { return serving_.load() ? 1.0 : 0.0; });
  eventstore::EventStore* store = store_.get();
  metrics_.AddCounterCallback("crm_events_appended_total",
                              "Events appended to the event store since start.",
                              [store] { return static_cast<double>(store->EventsAppended()); });
  metrics_.AddGaugeCallback("crm_event_log_position", "Global position of the newest event.",
                            [store] { return static_cast<double>(store->LastPosition()); });
  metrics_.AddGaugeCallback(
      "crm_rocksdb_live_data_bytes", "RocksDB's estimate of live data.", [store] {
        return static_cast<double>(store->RocksDbProperty("rocksdb.estimate-live-data-size"));
      });
  metrics_.AddGaugeCallback("crm_rocksdb_memtable_bytes", "Bytes in RocksDB memtables.", [store] {
    return static_cast<double>(store->RocksDbProperty("rocksdb.cur-size-all-mem-tables"));
  });
  metrics_.AddGaugeCallback("crm_rocksdb_pending_compaction_bytes",
                            "Bytes RocksDB estimates compaction must rewrite.", [store] {
                              return static_cast<double>(store->RocksDbProperty(
                                  "rocksdb.estimate-pending-compaction-bytes"));
                            });
}

absl::Status ServiceProcess::Start() {
  if (store_ == nullptr) return absl::FailedPreconditionError("OpenStore must come before Start");
  RegisterProcessMetrics();

  metrics_http_ = std::make_unique<MetricsHttpServer>(metrics_);
  if (absl::Status s = metrics_http_->Start(settings_.metrics_listen); !s.ok()) {
    return absl::UnavailableError(
        absl::StrCat("setting --metrics_listen (CRM_METRICS_LISTEN): ", s.message()));
  }

  // The health port answers from here on: alive, not ready, also during a rebuild, which
  // may take minutes.
  if (!settings_.health_listen.empty()) {
    absl::StatusOr<std::unique_ptr<internal::HealthOnlyServer>> health =
        internal::HealthOnlyServer::Start(settings_.health_listen);
    if (!health.ok()) return health.status();
    health_server_ = *std::move(health);
    health_server_->SetServing(kLivenessService, true);
    health_server_->SetServing("", false);
  }
  // An earlier release's rows changed first, so that a recompute of the read models does
  // not find them after it (on an empty store, before a rebuild, they change nothing).
  for (const StoreUpgrade& upgrade : upgrades_) RETURN_IF_ERROR(upgrade(*store_));
  // Before anything reads the store or the outbox: a rebuild fills both.
  RETURN_IF_ERROR(RebuildIfAsked());
  // Before the relay starts, which reads the outbox from its start only then.
  ASSIGN_OR_RETURN(const bool republished, RestoreTopics());
  if (republished && state_publisher_ != nullptr) state_publisher_->PublishFromStart();

  relay_ = std::make_unique<kafka::OutboxRelay>(
      *store_,
      kafka::RelayOptions{.brokers = settings_.kafka_brokers,
                          .client_id = absl::StrCat("crm-", settings_.service),
                          // A command acknowledged by Kafka waits for its batch: gather
                          // for 1 ms rather than 5 (bench/RESULTS.md, ack_bench).
                          .linger_ms = settings_.ack == "kafka" ? 1 : 5,
                          .overrides = settings_.kafka_overrides},
      &metrics_);
  if (absl::Status s = relay_->Start(); !s.ok()) return s;
  if (state_publisher_ != nullptr) {
    if (absl::Status s = state_publisher_->Start(); !s.ok()) return s;
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default: a second instance on the same address would share
  // its traffic silently. A taken address must fail start-up instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      ServerCredentialsOf(settings_);
  if (!credentials.ok()) return credentials.status();
  builder.AddListeningPort(settings_.listen, *credentials, &grpc_port_);
  builder.SetMaxReceiveMessageSize(settings_.max_message_bytes);
  builder.SetMaxSendMessageSize(settings_.max_message_bytes);
  SizeHandlerThreads(builder);
  for (grpc::Service* service : services_) builder.RegisterService(service);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  // First, so that the metrics count the status the caller receives.
  internal::CaptureProtobufLogs();
  interceptors.push_back(std::make_unique<internal::RequestParseErrorsFactory>());
  interceptors.push_back(std::make_unique<internal::GrpcMetricsFactory>(metrics_));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || grpc_port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("setting --listen (CRM_LISTEN): cannot listen on ", settings_.listen));
  }
  server_->GetHealthCheckService()->SetServingStatus(kLivenessService, true);
  SetServing(false);

  for (auto& consumer : consumers_) {
    if (absl::Status s = consumer->Start(); !s.ok()) return s;
  }
  readiness_ = std::thread([this] { WatchReadiness(); });
  Log()->info("{} listening on port {} (gRPC), {} (metrics)", settings_.service, grpc_port_,
              metrics_http_->port());
  // Last, once every port is bound: whoever waits for the file may connect at once.
  const ListeningAddresses listening{
      .pid = getpid(),
      .grpc = BoundAddress(settings_.listen, grpc_port_),
      .metrics = BoundAddress(settings_.metrics_listen, metrics_http_->port()),
      .health = health_server_ == nullptr
                    ? ""
                    : BoundAddress(settings_.health_listen, health_server_->port())};
  if (absl::Status s = WriteListeningFile(ListeningFilePath(settings_.data_dir), listening);
      !s.ok()) {
    return s;
  }
  if (!settings_.auth_required) {
    Log()->warn(
        "AUTHENTICATION IS OFF (--auth=off): any caller may act as anyone by setting the "
        "x-crm-principal and x-crm-role headers. For development only; never in production.");
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> ServiceProcess::RestoreTopics() {
  if (settings_.republish == "off") return false;
  const kafka::TopicRestoreOptions options{
      .brokers = settings_.kafka_brokers,
      .client_id = absl::StrCat("crm-", settings_.service),
      .topic = kafka::EventTopic(settings_.topic_prefix, settings_.service),
      .overrides = settings_.kafka_overrides};
  absl::StatusOr<kafka::TopicRestore> restore = kafka::RestoreEventTopic(
      *store_, options,
      settings_.republish == "always" ? kafka::RestoreWhen::kAlways : kafka::RestoreWhen::kAuto);
  if (absl::IsUnavailable(restore.status())) {
    // A broker away at start is no reason to stay down: the check waits for the next one.
    Log()->warn("cannot tell whether {} is whole: {}", options.topic, restore.status().ToString());
    return false;
  }
  if (!restore.ok()) return restore.status();
  return restore->requeued > 0;
}

absl::Status ServiceProcess::RebuildIfAsked() {
  if (settings_.rebuild != "read-models") {
    ASSIGN_OR_RETURN(const bool half_made, RecomputeUnderWay(*store_));
    if (half_made) {
      // Its tables were emptied and only partly made again: serving them would answer
      // wrongly.
      return absl::FailedPreconditionError(
          "a recompute of the read models was interrupted: start with --rebuild=read-models "
          "(CRM_REBUILD=read-models) to finish it");
    }
  }
  if (settings_.rebuild == "off") return absl::OkStatus();
  if (settings_.rebuild == "projections") {
    if (consumers_without_tables_ > 0) {
      // Their offsets would be forgotten and their events applied again on top of rows
      // that were never emptied.
      return absl::FailedPreconditionError(
          "setting --rebuild=projections: a consumer of this service names no tables");
    }
    // The consumers, which start later, find no offsets and read from the topics' start;
    // readiness waits until they have caught up.
    if (absl::Status forgot = store_->ForgetConsumed(ConsumerGroup(), projection_tables_);
        !forgot.ok()) {
      return absl::Status(forgot.code(),
                          absl::StrCat("setting --rebuild=projections: ", forgot.message()));
    }
    Log()->info(
        "rebuild of the projections: {} emptied; the consumers read their topics from "
        "the start",
        absl::StrJoin(projection_tables_, ", ",
                      [](std::string* out, std::string_view table) { out->append(table); }));
    return absl::OkStatus();
  }
  if (replayer_ == nullptr) {
    // Every service of the product sets one; a process without is a build mistake.
    return absl::FailedPreconditionError(absl::StrCat("setting --rebuild (CRM_REBUILD): the ",
                                                      settings_.service,
                                                      " process was built without a replayer"));
  }
  if (settings_.rebuild == "read-models") {
    absl::StatusOr<RecomputeSummary> summary = RecomputeReadModels(
        *store_, *replayer_, {.batch_events = static_cast<size_t>(settings_.rebuild_batch_events)});
    if (!summary.ok()) {
      return absl::Status(summary.status().code(), absl::StrCat("recomputing the read models: ",
                                                                summary.status().message()));
    }
    return absl::OkStatus();
  }
  const RebuildOptions options{
      .topic = {.brokers = settings_.kafka_brokers,
                .client_id = absl::StrCat("crm-", settings_.service),
                .topic = kafka::EventTopic(settings_.topic_prefix, settings_.service),
                .overrides = settings_.kafka_overrides},
      .batch_events = static_cast<size_t>(settings_.rebuild_batch_events)};
  absl::StatusOr<RebuildSummary> summary = RebuildOwnEvents(*store_, *replayer_, options);
  if (!summary.ok()) {
    return absl::Status(summary.status().code(),
                        absl::StrCat("rebuilding from the topics: ", summary.status().message()));
  }
  return absl::OkStatus();
}

int ServiceProcess::health_port() const {
  return health_server_ == nullptr ? 0 : health_server_->port();
}

void ServiceProcess::SetServing(bool serving) {
  if (server_ == nullptr) return;
  // Readiness only: the liveness service keeps its own status.
  server_->GetHealthCheckService()->SetServingStatus("", serving);
  if (health_server_ != nullptr) health_server_->SetServing("", serving);
  serving_.store(serving);
}

void ServiceProcess::WatchReadiness() {
  while (!shutting_down_.load()) {
    bool caught_up = true;
    for (const auto& consumer : consumers_) caught_up = caught_up && consumer->CaughtUp();
    if (caught_up) {
      SetServing(true);
      Log()->info("{} is SERVING", settings_.service);
      return;
    }
    shutdown_requested_.WaitForNotificationWithTimeout(absl::Milliseconds(20));
  }
}

void ServiceProcess::RequestShutdown() {
  if (!shutdown_flag_.exchange(true)) shutdown_requested_.Notify();
}

int ServiceProcess::Run() {
  std::atomic<bool> done{false};
  // Receives the blocked signals (see BlockShutdownSignals); polls so that it ends when the
  // shutdown was requested some other way.
  std::thread watcher([this, &done] {
    sigset_t signals = ShutdownSignals();
    timespec wait{.tv_sec = 0, .tv_nsec = 200'000'000};
    while (!done.load()) {
      int received = sigtimedwait(&signals, nullptr, &wait);
      if (received == SIGTERM || received == SIGINT) {
        Log()->info("{} received {}: shutting down", settings_.service, strsignal(received));
        RequestShutdown();
        return;
      }
    }
  });
  shutdown_requested_.WaitForNotification();
  done.store(true);
  watcher.join();
  Shutdown();
  for (const auto& consumer : consumers_) {
    if (!consumer->status().ok()) return 1;
  }
  return 0;
}

void ServiceProcess::Shutdown() {
  if (shutting_down_.exchange(true)) {
    shutdown_done_.WaitForNotification();
    return;
  }
  const absl::Time started = absl::Now();
  const absl::Time deadline = started + settings_.shutdown_timeout;
  RequestShutdown();
  // The ports are about to close: the file must not name them any more.
  if (server_ != nullptr) std::remove(ListeningFilePath(settings_.data_dir).c_str());
  if (server_ != nullptr) {
    // NOT_SERVING first, so that load balancers stop sending; then finish what is in flight
    // (anything still running at the deadline is cancelled).
    SetServing(false);
    server_->GetHealthCheckService()->Shutdown();
    server_->Shutdown(absl::ToChronoTime(started + (deadline - started) / 2));
    server_->Wait();
  }
  // The health port answers NOT_SERVING until the drain is over, then closes.
  if (health_server_ != nullptr) health_server_->Shutdown();
  if (readiness_.joinable()) readiness_.join();
  for (auto& consumer : consumers_) consumer->Stop();
  if (relay_ != nullptr) relay_->Stop(std::max(absl::ZeroDuration(), deadline - absl::Now()));
  if (state_publisher_ != nullptr) {
    state_publisher_->Stop(std::max(absl::ZeroDuration(), deadline - absl::Now()));
  }
  if (store_ != nullptr) {
    if (absl::Status closed = store_->Close(); !closed.ok()) {
      Log()->error("closing the store failed: {}", closed.ToString());
    }
  }
  if (metrics_http_ != nullptr) metrics_http_->Stop();
  Log()->info("{} stopped in {} ms", settings_.service,
              absl::ToInt64Milliseconds(absl::Now() - started));
  shutdown_done_.Notify();
}

}  // namespace crm::runtime
