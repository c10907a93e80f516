// Small pieces every registry handler uses: request checks that name the field, ids, the
// stream of a customer, and turning a stored response into the handler's answer.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "crm/runtime/grpc_status.h"
#include "grpcpp/support/status.h"

namespace crm::registry {

// Sealed restricted profiles: customer id + person id → PersonalProfileRecorded (the
// ciphertext and nonce, and the time in its metadata).
inline constexpr std::string_view kProfileTable = "personal_profiles";

// INVALID_ARGUMENT unless `request_id` is given, at most 128 bytes, printable.
absl::Status CheckRequestId(std::string_view request_id);

// INVALID_ARGUMENT naming `field` unless `id` is given and looks like an id of ours
// (letters, digits, '_' and '-', at most 64).
absl::Status CheckId(std::string_view field, std::string_view id);

// "<prefix>_" and 20 random hex digits.
std::string NewId(std::string_view prefix);

std::string StreamOf(std::string_view customer_id);

// The key vault's subject (and the sealing context) of a person's profile.
std::string ProfileSubject(std::string_view customer_id, std::string_view person_id);

// The response stored with the command, parsed into `response`.
template <class Response>
grpc::Status Reply(const absl::StatusOr<std::string>& stored, Response* response) {
  if (!stored.ok()) return runtime::ToGrpcStatus(stored.status());
  if (!response->ParseFromString(*stored)) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "stored response does not parse");
  }
  return grpc::Status::OK;
}

// The serialized response that carries only the customer's version.
template <class Response>
std::string VersionReply(uint64_t version) {
  Response response;
  response.set_version(version);
  return response.SerializeAsString();
}

}  // namespace crm::registry
