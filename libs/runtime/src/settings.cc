#include "crm/runtime/settings.h"

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "crm/base/status_macros.h"

namespace crm::runtime {
namespace {

// One setting: its flag, variable, meaning, local default and how it is applied.
struct Spec {
  std::string flag;  // without "--"
  std::string variable;
  std::string meaning;
  std::function<std::string(const std::string& service)> local_default;
  std::function<absl::Status(const std::string& value, ServiceSettings&)> apply;
};

absl::Status ValidateHostPort(const std::string& value) {
  const size_t colon = value.rfind(':');
  int port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(value.substr(colon + 1), &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError("must be host:port with a port from 0 to 65535");
  }
  return absl::OkStatus();
}

// The service's local gRPC port; the registry's for a service of the tests' own.
int DefaultPort(const std::string& service) {
  auto it = ServicePorts().find(service);
  return it == ServicePorts().end() ? ServicePorts().at("registry") : it->second;
}

// A setting naming a file (or nothing): `field` of the settings.
Spec FileSpec(std::string flag, std::string meaning, std::string ServiceSettings::*field) {
  std::string variable = absl::StrCat("CRM_", absl::AsciiStrToUpper(flag));
  return {std::move(flag), std::move(variable), std::move(meaning),
          [](const std::string&) { return std::string(); },
          [field](const std::string& v, ServiceSettings& out) {
            out.*field = v;
            return absl::OkStatus();
          }};
}

// Transport security and callers' authentication (crm/security/).
std::vector<Spec> SecuritySpecs() {
  return {
      FileSpec("tls_cert_file",
               "PEM certificate chain of the gRPC server (and the client certificate towards "
               "the other services); empty: plaintext",
               &ServiceSettings::tls_cert_file),
      FileSpec("tls_key_file", "PEM private key of tls_cert_file", &ServiceSettings::tls_key_file),
      FileSpec("tls_client_ca_file",
               "mutual TLS: callers must present a certificate this CA (PEM) signed",
               &ServiceSettings::tls_client_ca_file),
      FileSpec("tls_ca_file",
               "CA (PEM) that signed the other services' certificates; empty: plaintext to them",
               &ServiceSettings::tls_ca_file),
      {"auth", "CRM_AUTH",
       "jwt: every call carries a bearer token; off: no authentication, the caller is what the "
       "x-crm-principal and x-crm-role headers say (development only)",
       [](const std::string&) { return std::string("jwt"); },
       [](const std::string& v, ServiceSettings& out) {
         if (v != "jwt" && v != "off") return absl::InvalidArgumentError("must be jwt or off");
         out.auth_required = v == "jwt";
         return absl::OkStatus();
       }},
      {"jwt_algorithm", "CRM_JWT_ALGORITHM", "RS256 or HS256",
       [](const std::string&) { return std::string("RS256"); },
       [](const std::string& v, ServiceSettings& out) {
         if (v != "RS256" && v != "HS256") {
           return absl::InvalidArgumentError("must be RS256 or HS256");
         }
         out.jwt_algorithm = v;
         return absl::OkStatus();
       }},
      FileSpec("jwt_key_file",
               "RS256: the token issuer's public key (PEM); HS256: the shared secret",
               &ServiceSettings::jwt_key_file),
      {"jwt_issuer", "CRM_JWT_ISSUER", "the iss claim every token must carry",
       [](const std::string&) { return std::string(); },
       [](const std::string& v, ServiceSettings& out) {
         out.jwt_issuer = v;
         return absl::OkStatus();
       }},
      {"jwt_audience", "CRM_JWT_AUDIENCE", "the aud claim every token must carry",
       [](const std::string&) { return std::string("crm"); },
       [](const std::string& v, ServiceSettings& out) {
         if (v.empty()) return absl::InvalidArgumentError("must not be empty");
         out.jwt_audience = v;
         return absl::OkStatus();
       }},
      FileSpec("service_token_file",
               "bearer token (role service) this service presents to the other services",
               &ServiceSettings::service_token_file),
      {"max_message_bytes", "CRM_MAX_MESSAGE_BYTES",
       "largest gRPC message received or sent, bytes (1024 to 67108864)",
       [](const std::string&) { return std::to_string(4 << 20); },
       [](const std::string& v, ServiceSettings& out) {
         if (!absl::SimpleAtoi(v, &out.max_message_bytes) || out.max_message_bytes < 1024 ||
             out.max_message_bytes > (64 << 20)) {
           return absl::InvalidArgumentError("must be a number of bytes from 1024 to 67108864");
         }
         return absl::OkStatus();
       }},
  };
}

// What one setting alone cannot tell: authentication needs TLS and a way to verify tokens.
absl::Status CheckSecurity(const ServiceSettings& settings) {
  if (settings.tls_cert_file.empty() != settings.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "settings --tls_cert_file (CRM_TLS_CERT_FILE) and --tls_key_file (CRM_TLS_KEY_FILE) "
        "go together");
  }
  if (!settings.tls_client_ca_file.empty() && settings.tls_cert_file.empty()) {
    return absl::InvalidArgumentError(
        "setting --tls_client_ca_file (CRM_TLS_CLIENT_CA_FILE) needs --tls_cert_file and "
        "--tls_key_file");
  }
  if (!settings.auth_required) return absl::OkStatus();
  if (settings.tls_cert_file.empty() || settings.jwt_key_file.empty() ||
      settings.jwt_issuer.empty()) {
    return absl::InvalidArgumentError(
        "setting --auth (CRM_AUTH) = jwt needs --tls_cert_file, --tls_key_file, --jwt_key_file "
        "and --jwt_issuer (bearer tokens travel only over TLS); to run without authentication, "
        "for development only, set --auth=off");
  }
  return absl::OkStatus();
}

const std::vector<Spec>& Specs() {
  static const std::vector<Spec> specs = [] {
    std::vector<Spec> s = {
        {"listen", "CRM_LISTEN", "gRPC address, host:port",
         [](const std::string& service) {
           return absl::StrCat("127.0.0.1:", DefaultPort(service));
         },
         [](const std::string& v, ServiceSettings& out) {
           RETURN_IF_ERROR(ValidateHostPort(v));
           out.listen = v;
           return absl::OkStatus();
         }},
        {"data_dir", "CRM_DATA_DIR", "RocksDB directory",
         [](const std::string& service) { return absl::StrCat("./var/", service); },
         [](const std::string& v, ServiceSettings& out) {
           if (v.empty()) return absl::InvalidArgumentError("must not be empty");
           out.data_dir = v;
           return absl::OkStatus();
         }},
        {"kafka_brokers", "CRM_KAFKA_BROKERS", "Kafka bootstrap servers, host:port[,host:port...]",
         [](const std::string&) { return std::string(); },
         [](const std::string& v, ServiceSettings& out) {
           if (v.empty()) return absl::InvalidArgumentError("is required");
           for (absl::string_view broker : absl::StrSplit(v, ',')) {
             RETURN_IF_ERROR(ValidateHostPort(std::string(broker)));
           }
           out.kafka_brokers = v;
           return absl::OkStatus();
         }},
        {"topic_prefix", "CRM_TOPIC_PREFIX", "prefix of every topic name (per region)",
         [](const std::string&) { return std::string(); },
         [](const std::string& v, ServiceSettings& out) {
           for (char c : v) {
             if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' &&
                 c != '-') {
               return absl::InvalidArgumentError("may hold only letters, digits, '.', '_' and '-'");
             }
           }
           out.topic_prefix = v;
           return absl::OkStatus();
         }},
        {"metrics_listen", "CRM_METRICS_LISTEN", "HTTP address of /metrics, host:port",
         [](const std::string& service) {
           return absl::StrCat("127.0.0.1:", DefaultPort(service) + 1000);
         },
         [](const std::string& v, ServiceSettings& out) {
           RETURN_IF_ERROR(ValidateHostPort(v));
           out.metrics_listen = v;
           return absl::OkStatus();
         }},
        {"health_listen", "CRM_HEALTH_LISTEN",
         "plaintext gRPC address answering only grpc.health.v1, for probes that cannot speak "
         "TLS, host:port; empty: none",
         [](const std::string&) { return std::string(); },
         [](const std::string& v, ServiceSettings& out) {
           if (!v.empty()) RETURN_IF_ERROR(ValidateHostPort(v));
           out.health_listen = v;
           return absl::OkStatus();
         }},
        {"region", "CRM_REGION", "region this instance serves (lower-case letters, digits, '-')",
         [](const std::string&) { return std::string("local"); },
         [](const std::string& v, ServiceSettings& out) {
           if (v.empty()) return absl::InvalidArgumentError("must not be empty");
           for (char c : v) {
             if (!absl::ascii_islower(static_cast<unsigned char>(c)) &&
                 !absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '-') {
               return absl::InvalidArgumentError("may hold only a-z, 0-9 and '-'");
             }
           }
           out.region = v;
           return absl::OkStatus();
         }},
        {"log_level", "CRM_LOG_LEVEL", "trace, debug, info, warn or error",
         [](const std::string&) { return std::string("info"); },
         [](const std::string& v, ServiceSettings& out) {
           static const std::vector<std::string> levels = {"trace", "debug", "info", "warn",
                                                           "error"};
           if (std::find(levels.begin(), levels.end(), v) == levels.end()) {
             return absl::InvalidArgumentError("must be trace, debug, info, warn or error");
           }
           out.log_level = v;
           return absl::OkStatus();
         }},
        {"sync_writes", "CRM_SYNC_WRITES",
         "sync the write-ahead log before acknowledging a write (true/false)",
         [](const std::string&) { return std::string("true"); },
         [](const std::string& v, ServiceSettings& out) {
           if (!absl::SimpleAtob(v, &out.sync_writes)) {
             return absl::InvalidArgumentError("must be true or false");
           }
           return absl::OkStatus();
         }},
        {"shutdown_timeout_seconds", "CRM_SHUTDOWN_TIMEOUT_SECONDS",
         "longest the SIGTERM drain may take, seconds",
         [](const std::string&) { return std::string("20"); },
         [](const std::string& v, ServiceSettings& out) {
           int seconds = 0;
           if (!absl::SimpleAtoi(v, &seconds) || seconds < 1 || seconds > 600) {
             return absl::InvalidArgumentError("must be a whole number of seconds from 1 to 600");
           }
           out.shutdown_timeout = absl::Seconds(seconds);
           return absl::OkStatus();
         }},
        {"ack", "CRM_ACK",
         "when a write is acknowledged: local (once it is in the store) or kafka (once the "
         "broker has confirmed its events too)",
         [](const std::string&) { return std::string("local"); },
         [](const std::string& v, ServiceSettings& out) {
           if (v != "local" && v != "kafka")
             return absl::InvalidArgumentError("must be local or kafka");
           out.ack = v;
           return absl::OkStatus();
         }},
        {"ack_timeout_seconds", "CRM_ACK_TIMEOUT_SECONDS",
         "longest a write waits for the broker's confirmation with ack=kafka, seconds",
         [](const std::string&) { return std::string("10"); },
         [](const std::string& v, ServiceSettings& out) {
           int seconds = 0;
           if (!absl::SimpleAtoi(v, &seconds) || seconds < 1 || seconds > 600) {
             return absl::InvalidArgumentError("must be a whole number of seconds from 1 to 600");
           }
           out.ack_timeout = absl::Seconds(seconds);
           return absl::OkStatus();
         }},
        {"republish", "CRM_REPUBLISH",
         "publish the whole event log again at start: auto (when the events topic holds "
         "fewer events than were published), always, or off",
         [](const std::string&) { return std::string("auto"); },
         [](const std::string& v, ServiceSettings& out) {
           if (v != "auto" && v != "always" && v != "off") {
             return absl::InvalidArgumentError("must be auto, always or off");
           }
           out.republish = v;
           return absl::OkStatus();
         }},
        {"rebuild", "CRM_REBUILD",
         "before serving, rebuild the store from the topics: full (everything, from the "
         "service's events topic into an empty data directory, or finishing an "
         "interrupted rebuild), projections (only the projections of other services' "
         "topics, read again from their start), read-models (only the service's own read "
         "models, recomputed from its own log, the events untouched), or off",
         [](const std::string&) { return std::string("off"); },
         [](const std::string& v, ServiceSettings& out) {
           if (v != "full" && v != "projections" && v != "read-models" && v != "off") {
             return absl::InvalidArgumentError("must be full, projections, read-models or off");
           }
           out.rebuild = v;
           return absl::OkStatus();
         }},
        {"rebuild_batch_events", "CRM_REBUILD_BATCH_EVENTS",
         "events per durable write of a rebuild or a recompute of read models",
         [](const std::string&) { return std::string("5000"); },
         [](const std::string& v, ServiceSettings& out) {
           if (!absl::SimpleAtoi(v, &out.rebuild_batch_events) || out.rebuild_batch_events < 1 ||
               out.rebuild_batch_events > 1'000'000) {
             return absl::InvalidArgumentError("must be a whole number from 1 to 1000000");
           }
           return absl::OkStatus();
         }},
        {"kafka_config", "CRM_KAFKA_CONFIG",
         "further librdkafka properties for every Kafka client, name=value[,name=value...]",
         [](const std::string&) { return std::string(); },
         [](const std::string& v, ServiceSettings& out) {
           out.kafka_overrides.clear();
           if (v.empty()) return absl::OkStatus();
           for (absl::string_view pair : absl::StrSplit(v, ',')) {
             std::vector<std::string> parts = absl::StrSplit(pair, absl::MaxSplits('=', 1));
             if (parts.size() != 2 || parts[0].empty()) {
               return absl::InvalidArgumentError("must be name=value pairs separated by commas");
             }
             out.kafka_overrides[parts[0]] = parts[1];
           }
           return absl::OkStatus();
         }},
    };
    for (Spec& spec : SecuritySpecs()) s.push_back(std::move(spec));
    for (const auto& [name, port] : ServicePorts()) {
      s.push_back({absl::StrCat(name, "_addr"),
                   absl::StrCat("CRM_", absl::AsciiStrToUpper(name), "_ADDR"),
                   absl::StrCat("where the ", name, " service answers gRPC, host:port"),
                   [port = port](const std::string&) { return absl::StrCat("127.0.0.1:", port); },
                   [name = name](const std::string& v, ServiceSettings& out) {
                     RETURN_IF_ERROR(ValidateHostPort(v));
                     out.service_addresses[name] = v;
                     return absl::OkStatus();
                   }});
    }
    return s;
  }();
  return specs;
}

absl::Status Apply(const Spec& spec, const std::string& value, ServiceSettings& settings) {
  absl::Status status = spec.apply(value, settings);
  if (status.ok()) return status;
  return absl::InvalidArgumentError(absl::StrCat("setting --", spec.flag, " (", spec.variable,
                                                 ") = \"", value, "\": ", status.message()));
}

}  // namespace

Environment ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

const std::map<std::string, int>& ServicePorts() {
  static const std::map<std::string, int> ports = {
      {"registry", 50051}, {"engagement", 50052}, {"satisfaction", 50053}, {"tiering", 50054}};
  return ports;
}

absl::StatusOr<ServiceSettings> LoadSettings(const std::string& service, int argc,
                                             const char* const* argv, const Environment& env) {
  if (service.empty()) return absl::InvalidArgumentError("service name is empty");

  // Flags first, so that an unknown one is reported before anything else.
  std::map<std::string, std::string> flags;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (!arg.starts_with("--")) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected argument \"", arg, "\""));
    }
    arg = arg.substr(2);
    std::string value;
    if (size_t eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrCat("flag --", arg, " needs a value"));
    }
    const bool known = std::any_of(Specs().begin(), Specs().end(),
                                   [&](const Spec& spec) { return spec.flag == arg; });
    if (!known) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", arg, " (see --help)"));
    }
    flags[arg] = value;
  }

  ServiceSettings settings;
  settings.service = service;
  for (const Spec& spec : Specs()) {
    std::string value = spec.local_default(service);
    if (std::optional<std::string> from_env = env(spec.variable)) value = *from_env;
    if (auto it = flags.find(spec.flag); it != flags.end()) value = it->second;
    if (spec.flag == "kafka_brokers" && value.empty()) {
      return absl::InvalidArgumentError(
          "setting --kafka_brokers (CRM_KAFKA_BROKERS) is required: the Kafka bootstrap servers");
    }
    RETURN_IF_ERROR(Apply(spec, value, settings));
  }
  RETURN_IF_ERROR(CheckSecurity(settings));
  return settings;
}

std::string SettingsHelp(const std::string& service) {
  std::string out;
  for (const Spec& spec : Specs()) {
    const std::string fallback = spec.local_default(service);
    absl::StrAppend(&out, "  --", spec.flag, " (", spec.variable, ")\n      ", spec.meaning,
                    "; default: ", fallback.empty() ? "(empty)" : fallback, "\n");
  }
  return out;
}

std::vector<std::string> SettingNames() {
  std::vector<std::string> names;
  for (const Spec& spec : Specs()) {
    names.push_back(spec.flag);
    names.push_back(spec.variable);
  }
  return names;
}

}  // namespace crm::runtime
