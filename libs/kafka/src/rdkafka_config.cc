#include "rdkafka_config.h"

#include "absl/strings/str_cat.h"
#include "log_events.h"

namespace crm::kafka::internal {

absl::StatusOr<std::unique_ptr<RdKafka::Conf>> MakeConf(
    std::map<std::string, std::string> settings,
    const std::map<std::string, std::string>& overrides) {
  for (const auto& [name, value] : overrides) settings[name] = value;
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string error;
  for (const auto& [name, value] : settings) {
    if (conf->set(name, value, error) != RdKafka::Conf::CONF_OK) {
      return absl::InvalidArgumentError(
          absl::StrCat("Kafka client setting ", name, "=", value, ": ", error));
    }
  }
  if (conf->set("event_cb", static_cast<RdKafka::EventCb*>(LogEvents::Instance()), error) !=
      RdKafka::Conf::CONF_OK) {
    return absl::InternalError(error);
  }
  return conf;
}

absl::Status FromKafka(RdKafka::ErrorCode code, const std::string& context) {
  if (code == RdKafka::ERR_NO_ERROR) return absl::OkStatus();
  const std::string message = absl::StrCat(context, ": ", RdKafka::err2str(code));
  switch (code) {
    case RdKafka::ERR__TRANSPORT:
    case RdKafka::ERR__ALL_BROKERS_DOWN:
    case RdKafka::ERR__TIMED_OUT:
    case RdKafka::ERR__QUEUE_FULL:
    case RdKafka::ERR_REQUEST_TIMED_OUT:
    case RdKafka::ERR_NOT_ENOUGH_REPLICAS:
    case RdKafka::ERR_LEADER_NOT_AVAILABLE:
      return absl::UnavailableError(message);
    case RdKafka::ERR__INVALID_ARG:
    case RdKafka::ERR_MSG_SIZE_TOO_LARGE:
      return absl::InvalidArgumentError(message);
    case RdKafka::ERR__UNKNOWN_TOPIC:
    case RdKafka::ERR_UNKNOWN_TOPIC_OR_PART:
      return absl::NotFoundError(message);
    case RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED:
    case RdKafka::ERR_GROUP_AUTHORIZATION_FAILED:
    case RdKafka::ERR_CLUSTER_AUTHORIZATION_FAILED:
      return absl::PermissionDeniedError(message);
    default:
      return absl::InternalError(message);
  }
}

}  // namespace crm::kafka::internal
