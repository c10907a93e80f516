#include "log_events.h"

#include "crm/log/logger.h"

namespace crm::kafka::internal {

void LogEvents::event_cb(RdKafka::Event& event) {
  static const auto log = crm::log::Get("kafka");
  switch (event.type()) {
    case RdKafka::Event::EVENT_LOG: {
      // syslog severities: 0-3 error, 4 warning, 5-6 info, 7 debug.
      const int severity = static_cast<int>(event.severity());
      const auto level = severity <= 3   ? spdlog::level::err
                         : severity == 4 ? spdlog::level::warn
                         : severity <= 6 ? spdlog::level::info
                                         : spdlog::level::debug;
      log->log(level, "{}: {}", event.fac(), event.str());
      break;
    }
    case RdKafka::Event::EVENT_ERROR:
      log->log(event.fatal() ? spdlog::level::critical : spdlog::level::warn, "{}: {}",
               RdKafka::err2str(event.err()), event.str());
      break;
    default:
      break;
  }
}

LogEvents* LogEvents::Instance() {
  static LogEvents instance;
  return &instance;
}

}  // namespace crm::kafka::internal
