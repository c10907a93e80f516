// The write path of a service's commands (docs/ARCHITECTURE.md, "The write path"): check the
// request id and the expected version, decide under the stream's lock, and append the events, the
// stream's new state, the read-model rows and counters and the reply in one durable write.
//
// Every service's commands run through it: a handler checks the request, gathers the facts
// its domain needs and passes a `decide` that calls the domain's Decide… and Evolve on the
// stream's state and Project on the events.
//
//   ASSIGN_OR_RETURN(std::string reply,
//       RunCommand(store, context, {.method = "AddPlanAction", .request_id = id,
//                                   .stream = PlanStream(plan_id), .must = StreamMust::kExist,
//                                   .subject = {"plan_id", plan_id, "plan"}}, topic,
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

// What the stream must be when a command runs, checked before anything else.
enum class StreamMust {
  kEither,
  // NOT_FOUND "<id_field> <id> names no <noun>" when the stream has no event yet.
  kExist,
  // ALREADY_EXISTS "<id_field> is taken" when it has (a new id that collided).
  kBeNew,
};

// The aggregate a stream holds, as its errors name it: {"plan_id", id, "plan"}.
struct Subject {
  std::string_view id_field;
  std::string_view id;
  std::string_view noun;
};

struct Command {
  // The RPC, stamped on the events' metadata.
  std::string_view method;
  std::string_view request_id;
  std::string stream;
  // The customer the events are about (the Kafka key); empty: the stream id.
  std::string customer_id;
  // 0: no check; otherwise ABORTED unless the stream is at this version (checked after
  // `must`, so that a stream that does not exist is NOT_FOUND rather than stale).
  uint64_t expected_version = 0;
  StreamMust must = StreamMust::kEither;
  // Named in the errors of `must`; needed unless it is kEither.
  Subject subject;
};

using Decide = absl::FunctionRef<absl::StatusOr<Decision>(const eventstore::StreamHead&)>;

// With writes acknowledged by Kafka (the store's acknowledge_when_published): waits until
// every event up to `last_position` is published, within the call's deadline and the
// store's publication timeout; UNAVAILABLE, the events still recorded, when they are not.
// Without: OK at once.
absl::Status AwaitPublished(const eventstore::EventStore& store, const grpc::ServerContext& context,
                            uint64_t last_position);

// Runs `command` and returns the serialized reply (a retry's: the first one's) once the
// write is acknowledged (AwaitPublished). `topic` is where the events are published.
absl::StatusOr<std::string> RunCommand(eventstore::EventStore& store,
                                       const grpc::ServerContext& context, const Command& command,
                                       std::string_view topic, Decide decide);

}  // namespace crm::runtime
