#include "crm/runtime/settings.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace crm::runtime {
namespace {

using ::testing::HasSubstr;

Environment Env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

absl::StatusOr<ServiceSettings> Load(const std::string& service, std::vector<const char*> args,
                                     std::map<std::string, std::string> vars) {
  args.insert(args.begin(), "crm-test");
  // Authentication has tests of its own below; the others run without it.
  vars.try_emplace("CRM_AUTH", "off");
  return LoadSettings(service, static_cast<int>(args.size()), args.data(), Env(std::move(vars)));
}

TEST(Settings, LocalDefaultsFollowTheServicePorts) {
  auto registry = Load("registry", {}, {{"CRM_KAFKA_BROKERS", "127.0.0.1:9092"}});
  ASSERT_TRUE(registry.ok()) << registry.status();
  EXPECT_EQ(registry->listen, "127.0.0.1:50051");
  EXPECT_EQ(registry->metrics_listen, "127.0.0.1:51051");
  EXPECT_EQ(registry->data_dir, "./var/registry");
  EXPECT_EQ(registry->health_listen, "");
  EXPECT_EQ(registry->region, "local");
  EXPECT_TRUE(registry->sync_writes);
  EXPECT_EQ(registry->service_addresses.at("tiering"), "127.0.0.1:50054");

  auto tiering = Load("tiering", {}, {{"CRM_KAFKA_BROKERS", "127.0.0.1:9092"}});
  ASSERT_TRUE(tiering.ok());
  EXPECT_EQ(tiering->listen, "127.0.0.1:50054");
  EXPECT_EQ(tiering->metrics_listen, "127.0.0.1:51054");
  EXPECT_EQ(tiering->data_dir, "./var/tiering");
}

TEST(Settings, AFlagWinsOverTheEnvironmentWhichWinsOverTheDefault) {
  auto settings = Load("engagement", {"--listen=0.0.0.0:7000", "--region", "emea"},
                       {{"CRM_KAFKA_BROKERS", "k1:9092,k2:9092"},
                        {"CRM_LISTEN", "127.0.0.1:6000"},
                        {"CRM_TOPIC_PREFIX", "emea."},
                        {"CRM_REGISTRY_ADDR", "registry.emea:50051"},
                        {"CRM_SYNC_WRITES", "false"},
                        {"CRM_HEALTH_LISTEN", "0.0.0.0:9090"},
                        {"CRM_KAFKA_CONFIG", "session.timeout.ms=6000,fetch.wait.max.ms=10"}});
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->listen, "0.0.0.0:7000");
  EXPECT_EQ(settings->region, "emea");
  EXPECT_EQ(settings->kafka_brokers, "k1:9092,k2:9092");
  EXPECT_EQ(settings->topic_prefix, "emea.");
  EXPECT_EQ(settings->service_addresses.at("registry"), "registry.emea:50051");
  EXPECT_FALSE(settings->sync_writes);
  EXPECT_EQ(settings->health_listen, "0.0.0.0:9090");
  EXPECT_EQ(settings->kafka_overrides.at("session.timeout.ms"), "6000");
  EXPECT_EQ(settings->kafka_overrides.at("fetch.wait.max.ms"), "10");
}

TEST(Settings, KafkaBrokersAreRequired) {
  auto settings = Load("registry", {}, {});
  EXPECT_EQ(settings.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(settings.status().message()), HasSubstr("CRM_KAFKA_BROKERS"));
}

TEST(Settings, ABadValueStopsStartUpNamingTheSetting) {
  const std::map<std::string, std::string> base = {{"CRM_KAFKA_BROKERS", "127.0.0.1:9092"}};
  struct Case {
    std::string variable;
    std::string value;
    std::string flag;
  };
  for (const Case& c :
       std::vector<Case>{{"CRM_LISTEN", "nowhere", "--listen"},
                         {"CRM_METRICS_LISTEN", "host:99999", "--metrics_listen"},
                         {"CRM_HEALTH_LISTEN", "0.0.0.0", "--health_listen"},
                         {"CRM_REGION", "EMEA", "--region"},
                         {"CRM_SYNC_WRITES", "maybe", "--sync_writes"},
                         {"CRM_SHUTDOWN_TIMEOUT_SECONDS", "0", "--shutdown_timeout_seconds"},
                         {"CRM_LOG_LEVEL", "loud", "--log_level"},
                         {"CRM_KAFKA_BROKERS", "k1:9092,nonsense", "--kafka_brokers"},
                         {"CRM_TOPIC_PREFIX", "emea/", "--topic_prefix"},
                         {"CRM_KAFKA_CONFIG", "novalue", "--kafka_config"},
                         {"CRM_TIERING_ADDR", "tiering", "--tiering_addr"}}) {
    auto vars = base;
    vars[c.variable] = c.value;
    auto settings = Load("registry", {}, vars);
    ASSERT_EQ(settings.status().code(), absl::StatusCode::kInvalidArgument) << c.variable;
    EXPECT_THAT(std::string(settings.status().message()), HasSubstr(c.variable));
    EXPECT_THAT(std::string(settings.status().message()), HasSubstr(c.flag));
  }
}

TEST(Settings, UnknownFlagsAndStrayArgumentsAreRefused) {
  const std::map<std::string, std::string> env = {{"CRM_KAFKA_BROKERS", "127.0.0.1:9092"}};
  auto unknown = Load("registry", {"--lisen=1"}, env);
  EXPECT_THAT(std::string(unknown.status().message()), HasSubstr("--lisen"));
  auto stray = Load("registry", {"registry"}, env);
  EXPECT_EQ(stray.status().code(), absl::StatusCode::kInvalidArgument);
  auto missing_value = Load("registry", {"--region"}, env);
  EXPECT_EQ(missing_value.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Settings, AuthenticationIsOnUnlessTurnedOffAndNeedsTlsAndAKey) {
  const std::map<std::string, std::string> brokers = {{"CRM_KAFKA_BROKERS", "127.0.0.1:9092"}};
  auto unsaid =
      LoadSettings("registry", 1, std::vector<const char*>{"crm-test"}.data(), Env(brokers));
  ASSERT_EQ(unsaid.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unsaid.status().message()), HasSubstr("--auth=off"));

  std::map<std::string, std::string> secured = brokers;
  secured.insert({{"CRM_AUTH", "jwt"},
                  {"CRM_TLS_CERT_FILE", "/run/secrets/tls.crt"},
                  {"CRM_TLS_KEY_FILE", "/run/secrets/tls.key"},
                  {"CRM_JWT_KEY_FILE", "/run/secrets/issuer.pem"},
                  {"CRM_JWT_ISSUER", "https://id.example.com"}});
  auto settings = Load("registry", {}, secured);
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_TRUE(settings->auth_required);
  EXPECT_EQ(settings->jwt_algorithm, "RS256");
  EXPECT_EQ(settings->jwt_audience, "crm");

  auto without_tls = Load("registry", {"--tls_cert_file="}, secured);
  EXPECT_THAT(std::string(without_tls.status().message()), HasSubstr("CRM_TLS_KEY_FILE"));
  auto half_tls = Load("registry", {"--auth=off", "--tls_key_file="}, secured);
  EXPECT_EQ(half_tls.status().code(), absl::StatusCode::kInvalidArgument);
  auto bad_mode = Load("registry", {"--auth=maybe"}, secured);
  EXPECT_THAT(std::string(bad_mode.status().message()), HasSubstr("must be jwt or off"));
  auto bad_algorithm = Load("registry", {"--jwt_algorithm=none"}, secured);
  EXPECT_THAT(std::string(bad_algorithm.status().message()), HasSubstr("CRM_JWT_ALGORITHM"));
  auto huge = Load("registry", {"--max_message_bytes=999999999"}, secured);
  EXPECT_THAT(std::string(huge.status().message()), HasSubstr("CRM_MAX_MESSAGE_BYTES"));
}

TEST(Settings, WritesAreAcknowledgedLocallyUnlessKafkaIsAsked) {
  const std::map<std::string, std::string> brokers = {{"CRM_KAFKA_BROKERS", "127.0.0.1:9092"}};
  auto local = Load("registry", {}, brokers);
  ASSERT_TRUE(local.ok()) << local.status();
  EXPECT_EQ(local->ack, "local");
  EXPECT_EQ(local->ack_timeout, absl::Seconds(10));
  auto kafka = Load("registry", {"--ack=kafka", "--ack_timeout_seconds=3"}, brokers);
  ASSERT_TRUE(kafka.ok()) << kafka.status();
  EXPECT_EQ(kafka->ack, "kafka");
  EXPECT_EQ(kafka->ack_timeout, absl::Seconds(3));
  auto bad = Load("registry", {"--ack=quorum"}, brokers);
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("CRM_ACK"));
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("must be local or kafka"));
  auto endless = Load("registry", {"--ack_timeout_seconds=0"}, brokers);
  EXPECT_THAT(std::string(endless.status().message()), HasSubstr("CRM_ACK_TIMEOUT_SECONDS"));
}

TEST(Settings, NamesListEveryFlagAndVariable) {
  std::vector<std::string> names = SettingNames();
  for (const char* expected :
       {"listen", "CRM_LISTEN", "data_dir", "CRM_DATA_DIR", "CRM_KAFKA_BROKERS", "CRM_TOPIC_PREFIX",
        "CRM_METRICS_LISTEN", "CRM_REGION", "CRM_ENGAGEMENT_ADDR", "satisfaction_addr"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
  EXPECT_THAT(SettingsHelp("registry"), HasSubstr("127.0.0.1:50051"));
}

}  // namespace
}  // namespace crm::runtime
