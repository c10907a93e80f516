// The one place where librdkafka's configuration and error codes become absl::Status.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "librdkafka/rdkafkacpp.h"

namespace crm::kafka::internal {

// A global configuration object with `settings` applied in order, and librdkafka's logs
// sent to the JSON logger; INVALID_ARGUMENT naming the property when librdkafka rejects one.
// `overrides` (the operator's --kafka_config) replace defaults of the same name.
absl::StatusOr<std::unique_ptr<RdKafka::Conf>> MakeConf(
    std::map<std::string, std::string> defaults,
    const std::map<std::string, std::string>& overrides);

absl::Status FromKafka(RdKafka::ErrorCode code, const std::string& context);

}  // namespace crm::kafka::internal
