// Tier policies: publishing a version (admin only, on the policies stream, in force from
// then on), and reading them. The version in force is the stream's state; every published
// version is a row that never changes.
#include "crm/tiering/tier_policies.h"

#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/row_pages.h"
#include "crm/runtime/row_writes.h"
#include "crm/runtime/stored_messages.h"
#include "crm/tiering/read_models.h"
#include "crm/tiering/redaction.h"
#include "google/protobuf/util/time_util.h"
#include "tiering_service.h"

namespace crm::tiering {

using google::protobuf::util::TimeUtil;

absl::StatusOr<crm::v1::TierPolicies> TieringService::LoadTierPolicies(
    std::string_view version) const {
  if (version.empty()) {
    ASSIGN_OR_RETURN(eventstore::StreamHead head, store_.LoadHead(kPoliciesStream));
    ASSIGN_OR_RETURN(internal::TierPolicyState state,
                     runtime::ParseState<internal::TierPolicyState>(head, kPoliciesStream));
    return state.has_in_force() ? state.in_force() : DefaultTierPolicies();
  }
  const crm::v1::TierPolicies built_in = DefaultTierPolicies();
  if (version == built_in.version()) return built_in;
  ASSIGN_OR_RETURN(std::optional<std::string> row, store_.GetRow(kTierPolicies, version));
  if (!row.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("version ", std::string(version), " names no tier policies"));
  }
  return runtime::ParseRow<crm::v1::TierPolicies>(*row);
}

grpc::Status TieringService::PublishTierPolicies(grpc::ServerContext* context,
                                                 const crm::v1::PublishTierPoliciesRequest* request,
                                                 crm::v1::PublishTierPoliciesResponse* response) {
  auto publish = [&]() -> absl::StatusOr<std::string> {
    RETURN_IF_ERROR(runtime::RequireAdmin(*context, "publishing tier policies"));
    crm::v1::TierPolicies policies = request->policies();
    *policies.mutable_published_at() =
        TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(options_.clock->Now()));
    const Command command{.method = "PublishTierPolicies",
                          .request_id = request->request_id(),
                          .stream = std::string(kPoliciesStream)};
    return Run(
        *context, command, [&](const eventstore::StreamHead& head) -> absl::StatusOr<Decision> {
          ASSIGN_OR_RETURN(std::optional<std::string> existing,
                           store_.GetRow(kTierPolicies, policies.version()));
          ASSIGN_OR_RETURN(
              crm::v1::TierPoliciesPublished published,
              DecidePublishTierPolicies(policies, /*published_already=*/existing.has_value()));
          ASSIGN_OR_RETURN(internal::TierPolicyState state,
                           runtime::ParseState<internal::TierPolicyState>(head, command.stream));
          EvolvePolicies(published, state);
          crm::v1::PublishTierPoliciesResponse reply;
          *reply.mutable_policies() = published.policies();
          return Decision{.events = {eventstore::NewEvent::From(published)},
                          .state = state.SerializeAsString(),
                          .rows = runtime::RowWritesOf({TierPoliciesRow(policies)}),
                          .response = reply.SerializeAsString()};
        });
  };
  return runtime::Reply(publish(), response);
}

grpc::Status TieringService::GetTierPolicies(grpc::ServerContext* context,
                                             const crm::v1::GetTierPoliciesRequest* request,
                                             crm::v1::GetTierPoliciesResponse* response) {
  auto get = [&]() -> absl::StatusOr<crm::v1::GetTierPoliciesResponse> {
    crm::v1::GetTierPoliciesResponse reply;
    ASSIGN_OR_RETURN(*reply.mutable_policies(), LoadTierPolicies(request->version()));
    ASSIGN_OR_RETURN(crm::v1::TierPolicies in_force, LoadTierPolicies(""));
    reply.set_in_force(in_force.version() == reply.policies().version());
    for (std::string& path :
         RedactTierPolicies(runtime::CallerOf(*context).role(), *reply.mutable_policies())) {
      reply.add_redacted_fields(std::move(path));
    }
    return reply;
  };
  return runtime::Answer(get(), response);
}

grpc::Status TieringService::ListTierPolicies(grpc::ServerContext* context,
                                              const crm::v1::ListTierPoliciesRequest* request,
                                              crm::v1::ListTierPoliciesResponse* response) {
  auto list = [&]() -> absl::StatusOr<crm::v1::ListTierPoliciesResponse> {
    ASSIGN_OR_RETURN(size_t page_size, runtime::PageSizeOf(request->page()));
    crm::v1::ListTierPoliciesResponse reply;
    const crm::v1::Role role = runtime::CallerOf(*context).role();
    ASSIGN_OR_RETURN(
        std::string next,
        runtime::ReadRowPage(
            store_, kTierPolicies, "", request->page().page_token(), page_size,
            [&](std::string_view, std::string_view value) -> absl::StatusOr<runtime::RowVerdict> {
              ASSIGN_OR_RETURN(*reply.add_versions(),
                               runtime::ParseRow<crm::v1::TierPolicies>(value));
              RedactTierPolicies(role, *reply.mutable_versions(reply.versions_size() - 1));
              return runtime::RowVerdict::kKeep;
            }));
    for (std::string& path : HiddenTierPolicyFields(role)) {
      reply.add_redacted_fields(std::move(path));
    }
    reply.mutable_page()->set_next_page_token(next);
    return reply;
  };
  return runtime::Answer(list(), response);
}

}  // namespace crm::tiering
