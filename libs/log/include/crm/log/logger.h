// One named logger per component, writing one JSON object a line to stderr:
//   {"ts":"2026-11-23T08:46:13.123456Z","level":"info","logger":"relay","msg":"..."}
//
//   static const auto log = crm::log::Get("relay");
//   log->warn("delivery failed for outbox id {}: {}", id, error);
//
// Thread-safe. The level of every logger comes from SetLevel (default info).
#pragma once

#include <memory>
#include <string>

#include "spdlog/spdlog.h"

namespace crm::log {

// The logger named `component`, created on first use.
std::shared_ptr<spdlog::logger> Get(const std::string& component);

// Sets the level of every logger, existing and future: "trace", "debug", "info", "warn",
// "error", "critical", "off". False for an unknown name.
bool SetLevel(const std::string& level);

// `text` as the inside of a JSON string (quotes, backslashes and control characters
// escaped).
std::string JsonEscape(std::string_view text);

}  // namespace crm::log
