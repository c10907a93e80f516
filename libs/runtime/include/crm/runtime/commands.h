// The write path of a service's commands (docs/ARCHITECTURE.md, "The write path"): check the
// request id and the expected version, decide under the stream's lock, and append the events, the
// stream's new state, the read-model rows and counters and the reply in one durable write.
//
//   ASSIGN_OR_RETURN(std::string reply,
//       RunCommand(store, context, {.method = "LogTouchpoint", .request_id = id,
//                                   .stream = stream, .customer_id = customer}, topic,
//                  [&](const eventstore::StreamHead& head) -> absl::StatusOr<Decision> {...}));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "crm/eventstore/event_store.h"
#include "grpcpp/server_context.h"

namespace crm::runtime {

// What a command decided: the events, the stream's new state (unset: unchanged), the rows
// and counters to write and the serialized reply kept for retries.
struct Decision {
  std::vector<eventstore::NewEvent> events;
  std::optional<std::string> state;
  std::vector<eventstore::RowWrite> rows;
  std::vector<eventstore::CounterAdd> counters;
  std::string response;
  // The customer the events are about, when only the stream's state tells; empty: the
  // command's.
  std::string customer_id;
  // When the command decided, stamped as its events' occurred_at, so that a time the
  // decision used (an acknowledgement's, a month a counter is kept under) follows from the
  // events; unset: the store's clock at the append.
  std::optional<absl::Time> occurred_at;
};

struct Command {
  // The RPC, stamped on the events' metadata.
  std::string_view method;
  std::string_view request_id;
  std::string stream;
  // The customer the events are about (the Kafka key); empty: the stream id.
  std::string customer_id;
  // 0: no check; otherwise ABORTED unless the stream is at this version.
  uint64_t expected_version = 0;
};

using Decide = absl::FunctionRef<absl::StatusOr<Decision>(const eventstore::StreamHead&)>;

// Runs `command` and returns the serialized reply (a retry's: the first one's). `topic`
// is where the events are published.
absl::StatusOr<std::string> RunCommand(eventstore::EventStore& store,
                                       const grpc::ServerContext& context, const Command& command,
                                       std::string_view topic, Decide decide);

}  // namespace crm::runtime
