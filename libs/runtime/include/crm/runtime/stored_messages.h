// Messages the service stored: a stream's state and a read-model row, parsed.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "crm/eventstore/types.h"

namespace crm::runtime {

// The stream's state; an empty message for a stream not started yet.
template <class State>
absl::StatusOr<State> ParseState(const eventstore::StreamHead& head, std::string_view stream) {
  State state;
  if (head.version > 0 && !state.ParseFromString(head.state)) {
    return absl::InternalError(
        absl::StrCat("the state of ", std::string(stream), " does not parse"));
  }
  return state;
}

// The row's message; INTERNAL when it does not parse.
template <class Message>
absl::StatusOr<Message> ParseRow(std::string_view value) {
  Message message;
  if (!message.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::InternalError(
        absl::StrCat("a ", Message::descriptor()->name(), " row is corrupt"));
  }
  return message;
}

}  // namespace crm::runtime
