// The settings every service process accepts, with the same names everywhere
// (docs/ARCHITECTURE.md): each is a flag (--listen=…) and an environment variable (CRM_LISTEN=…); a
// flag wins over the environment, the environment over the local default. A bad value stops
// start-up with a message naming the setting.
//
//   auto settings = crm::runtime::LoadSettings("registry", argc, argv,
//   crm::runtime::ProcessEnvironment()); if (!settings.ok()) { std::cerr <<
//   settings.status().message(); return 2; }
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace crm::runtime {

struct ServiceSettings {
  // The service's name: registry, engagement, satisfaction or tiering.
  std::string service;
  // gRPC address, host:port. Default 127.0.0.1:<service port>.
  std::string listen;
  // RocksDB directory. Default ./var/<service>.
  std::string data_dir;
  // Kafka bootstrap servers, host:port[,host:port…]. Required.
  std::string kafka_brokers;
  // Prefix of every topic name (per region). Default empty.
  std::string topic_prefix;
  // HTTP address of /metrics. Default 127.0.0.1:<gRPC port + 1000>.
  std::string metrics_listen;
  // Plaintext gRPC address that answers only the health protocol, for probes that cannot
  // speak TLS (Kubernetes' gRPC probes). Default empty: none.
  std::string health_listen;
  // The region this instance serves. Default "local".
  std::string region = "local";
  // Where the other services answer gRPC, by service name.
  std::map<std::string, std::string> service_addresses;
  // Log level: trace, debug, info, warn, error. Default info.
  std::string log_level = "info";
  // Sync the write-ahead log before acknowledging a write. Default true.
  bool sync_writes = true;
  // Longest the SIGTERM drain may take. Default 20 s.
  absl::Duration shutdown_timeout = absl::Seconds(20);
  // When a write is acknowledged: "local", once it is in the store (a lost volume loses
  // what the relay had not published), or "kafka", once the broker has confirmed its events
  // too (eventstore::StoreOptions::acknowledge_when_published). Default local.
  std::string ack = "local";
  // Longest a write waits for the broker's confirmation with ack=kafka. Default 10 s.
  absl::Duration ack_timeout = absl::Seconds(10);
  // When the service publishes its whole log again at start (crm/kafka/topic_restore.h):
  // "auto" when its events topic holds fewer events than it published (a topic lost or a
  // broker started empty), "always", or "off". Default auto.
  std::string republish = "auto";
  // Rebuild the store from the service's events topic before serving
  // (crm/runtime/rebuild.h): "full" fills an empty data directory with every event the
  // service published and what they give (or finishes such a rebuild that was
  // interrupted); then the service's consumers, having no offsets yet, read the other
  // services' topics from the start, as for any new store. "projections" recomputes only
  // the projections of other services' topics, read again from their start;
  // "read-models" recomputes the service's own read models from its own log, the events
  // untouched (crm/runtime/recompute.h). "off". Default off.
  std::string rebuild = "off";
  // Events per durable write of a rebuild. Default 5000.
  int rebuild_batch_events = 5000;
  // Further librdkafka properties for every Kafka client, "name=value,name=value".
  std::map<std::string, std::string> kafka_overrides;

  // Transport security (crm/security/transport.h). The server's PEM certificate chain and
  // key (also its client certificate towards its peers); empty: plaintext.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Mutual TLS: callers must present a certificate this CA signed.
  std::string tls_client_ca_file;
  // The CA that signed the other services' certificates; empty: plaintext to them.
  std::string tls_ca_file;
  // Every call but health checks carries a bearer token (JWT). LoadSettings makes this the
  // default: running without is said explicitly (--auth=off), for development only.
  bool auth_required = false;
  // "RS256" (jwt_key_file: the issuer's public key, PEM) or "HS256" (the shared secret).
  std::string jwt_algorithm = "RS256";
  std::string jwt_key_file;
  std::string jwt_issuer;
  std::string jwt_audience = "crm";
  // The bearer token (role service) this service presents to the other services.
  std::string service_token_file;
  // Largest gRPC message received or sent, bytes. Default 4 MiB.
  int max_message_bytes = 4 << 20;
};

// Looks up environment variables; injectable for tests.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;
Environment ProcessEnvironment();

// The four services and their local gRPC ports.
const std::map<std::string, int>& ServicePorts();

// Reads the settings of `service` from argv and the environment. INVALID_ARGUMENT naming
// the setting (flag and variable) for a bad or missing value or an unknown flag.
absl::StatusOr<ServiceSettings> LoadSettings(const std::string& service, int argc,
                                             const char* const* argv, const Environment& env);

// One line per setting: flag, variable, default, meaning (for --help and the README).
std::string SettingsHelp(const std::string& service);

// Every flag name the services accept (without the leading dashes), and every variable:
// for checking that deployment manifests set only settings that exist.
std::vector<std::string> SettingNames();

}  // namespace crm::runtime
