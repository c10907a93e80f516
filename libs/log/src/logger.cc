#include "crm/log/logger.h"

#include <mutex>

#include "spdlog/formatter.h"
#include "spdlog/sinks/stdout_sinks.h"

namespace crm::log {
namespace {

// Formats a record as one JSON object. spdlog's pattern formatter cannot escape the
// message, so a log line with a quote in it would not be JSON.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto since_epoch = msg.time.time_since_epoch();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(since_epoch - seconds).count();
    std::time_t t = static_cast<std::time_t>(seconds.count());
    std::tm utc{};
    gmtime_r(&t, &utc);
    char stamp[96];
    std::snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<long>(micros));
    const auto level = spdlog::level::to_string_view(msg.level);
    std::string line = "{\"ts\":\"";
    line += stamp;
    line += "\",\"level\":\"";
    line.append(level.data(), level.size());
    line += "\",\"logger\":\"";
    line += JsonEscape(std::string_view(msg.logger_name.data(), msg.logger_name.size()));
    line += "\",\"msg\":\"";
    line += JsonEscape(std::string_view(msg.payload.data(), msg.payload.size()));
    line += "\"}\n";
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

std::mutex& Mutex() {
  static std::mutex mu;
  return mu;
}

spdlog::level::level_enum& CurrentLevel() {
  static spdlog::level::level_enum level = spdlog::level::info;
  return level;
}

}  // namespace

std::string JsonEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::shared_ptr<spdlog::logger> Get(const std::string& component) {
  std::lock_guard lock(Mutex());
  if (auto existing = spdlog::get(component)) return existing;
  // One shared stderr sink, so that lines of different components never interleave.
  static auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>(component, sink);
  logger->set_formatter(std::make_unique<JsonFormatter>());
  logger->set_level(CurrentLevel());
  logger->flush_on(spdlog::level::warn);
  spdlog::register_logger(logger);
  return logger;
}

bool SetLevel(const std::string& level) {
  const auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") return false;
  std::lock_guard lock(Mutex());
  CurrentLevel() = parsed;
  spdlog::set_level(parsed);
  return true;
}

}  // namespace crm::log
