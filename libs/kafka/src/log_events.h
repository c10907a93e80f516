// Sends librdkafka's own log lines and error events to the "kafka" JSON logger instead of
// its default plain-text stderr output.
#pragma once

#include "librdkafka/rdkafkacpp.h"

namespace crm::kafka::internal {

class LogEvents final : public RdKafka::EventCb {
 public:
  void event_cb(RdKafka::Event& event) override;
  // One instance serves every client (it holds no state).
  static LogEvents* Instance();
};

}  // namespace crm::kafka::internal
