// Commands on key persons and their restricted profiles, and the profile's one read.
#include "absl/strings/str_cat.h"
#include "crm/base/key_encoding.h"
#include "crm/base/status_macros.h"
#include "crm/crypto/sealed_box.h"
#include "crm/registry/access_rules.h"
#include "crm/registry/read_models.h"
#include "crm/runtime/caller.h"
#include "handler_support.h"
#include "registry_service.h"

namespace crm::registry {

grpc::Status RegistryService::AddKeyPerson(grpc::ServerContext* context,
                                           const crm::v1::AddKeyPersonRequest* request,
                                           crm::v1::AddKeyPersonResponse* response) {
  crm::v1::KeyPerson person = request->person();
  person.set_person_id(NewId("kp"));
  return Reply(Run(*context,
                   {.method = "AddKeyPerson",
                    .request_id = request->request_id(),
                    .customer_id = request->customer_id(),
                    .expected_version = request->expected_version()},
                   [&](const crm::v1::CustomerArchive& archive) {
                     return DecideAddKeyPerson(archive, person);
                   }),
               response);
}

grpc::Status RegistryService::UpdateKeyPerson(grpc::ServerContext* context,
                                              const crm::v1::UpdateKeyPersonRequest* request,
                                              crm::v1::UpdateKeyPersonResponse* response) {
  if (absl::Status valid = CheckId("person.person_id", request->person().person_id());
      !valid.ok()) {
    return runtime::ToGrpcStatus(valid);
  }
  return Reply(Run(*context,
                   {.method = "UpdateKeyPerson",
                    .request_id = request->request_id(),
                    .customer_id = request->customer_id(),
                    .expected_version = request->expected_version()},
                   [&](const crm::v1::CustomerArchive& archive) {
                     return DecideUpdateKeyPerson(archive, request->person(), request->reason());
                   }),
               response);
}

grpc::Status RegistryService::AddCareerEntry(grpc::ServerContext* context,
                                             const crm::v1::AddCareerEntryRequest* request,
                                             crm::v1::AddCareerEntryResponse* response) {
  if (absl::Status valid = CheckId("person_id", request->person_id()); !valid.ok()) {
    return runtime::ToGrpcStatus(valid);
  }
  return Reply(Run(*context,
                   {.method = "AddCareerEntry",
                    .request_id = request->request_id(),
                    .customer_id = request->customer_id(),
                    .expected_version = request->expected_version()},
                   [&](const crm::v1::CustomerArchive& archive) {
                     return DecideAddCareerEntry(archive, request->person_id(), request->entry());
                   }),
               response);
}

grpc::Status RegistryService::RemoveKeyPerson(grpc::ServerContext* context,
                                              const crm::v1::RemoveKeyPersonRequest* request,
                                              crm::v1::RemoveKeyPersonResponse* response) {
  if (absl::Status valid = CheckId("person_id", request->person_id()); !valid.ok()) {
    return runtime::ToGrpcStatus(valid);
  }
  return Reply(Run(*context,
                   {.method = "RemoveKeyPerson",
                    .request_id = request->request_id(),
                    .customer_id = request->customer_id(),
                    .expected_version = request->expected_version()},
                   [&](const crm::v1::CustomerArchive& archive) {
                     return DecideRemoveKeyPerson(archive, request->person_id(), request->reason());
                   }),
               response);
}

grpc::Status RegistryService::RecordPersonalProfile(
    grpc::ServerContext* context, const crm::v1::RecordPersonalProfileRequest* request,
    crm::v1::RecordPersonalProfileResponse* response) {
  const crm::v1::Actor caller = runtime::CallerOf(*context);
  for (const absl::Status& valid :
       {CheckId("person_id", request->person_id()), ValidatePersonalProfile(request->profile())}) {
    if (!valid.ok()) return runtime::ToGrpcStatus(valid);
  }
  return Reply(
      Run(*context,
          {.method = "RecordPersonalProfile",
           .request_id = request->request_id(),
           .customer_id = request->customer_id(),
           .expected_version = request->expected_version()},
          [&](const crm::v1::CustomerArchive& archive) -> absl::StatusOr<CustomerEvents> {
            RETURN_IF_ERROR(
                CheckMayHandlePersonalProfile(archive, caller.role(), caller.principal()));
            const std::string subject = ProfileSubject(archive.customer_id(), request->person_id());
            return DecideRecordPersonalProfile(
                archive, request->person_id(), [&]() -> absl::StatusOr<SealedProfile> {
                  ASSIGN_OR_RETURN(std::string key, vault_.GetOrCreateKey(subject));
                  crypto::Sealed sealed =
                      crypto::Seal(request->profile().SerializeAsString(), key, subject);
                  return SealedProfile{std::move(sealed.ciphertext), std::move(sealed.nonce)};
                });
          }),
      response);
}

grpc::Status RegistryService::ErasePersonalProfile(
    grpc::ServerContext* context, const crm::v1::ErasePersonalProfileRequest* request,
    crm::v1::ErasePersonalProfileResponse* response) {
  const crm::v1::Actor caller = runtime::CallerOf(*context);
  if (absl::Status valid = CheckId("person_id", request->person_id()); !valid.ok()) {
    return runtime::ToGrpcStatus(valid);
  }
  return Reply(Run(*context,
                   {.method = "ErasePersonalProfile",
                    .request_id = request->request_id(),
                    .customer_id = request->customer_id(),
                    .expected_version = request->expected_version()},
                   [&](const crm::v1::CustomerArchive& archive) -> absl::StatusOr<CustomerEvents> {
                     RETURN_IF_ERROR(
                         CheckMayErasePersonalProfile(archive, caller.role(), caller.principal()));
                     return DecideErasePersonalProfile(archive, request->person_id(),
                                                       request->reason());
                   }),
               response);
}

grpc::Status RegistryService::GetPersonalProfile(grpc::ServerContext* context,
                                                 const crm::v1::GetPersonalProfileRequest* request,
                                                 crm::v1::GetPersonalProfileResponse* response) {
  const crm::v1::Actor caller = runtime::CallerOf(*context);
  auto profile = [&]() -> absl::StatusOr<crm::v1::GetPersonalProfileResponse> {
    RETURN_IF_ERROR(CheckId("person_id", request->person_id()));
    ASSIGN_OR_RETURN(crm::v1::CustomerArchive archive,
                     LoadArchiveFor(*context, request->customer_id()));
    RETURN_IF_ERROR(CheckMayHandlePersonalProfile(archive, caller.role(), caller.principal()));
    const std::string subject = ProfileSubject(archive.customer_id(), request->person_id());
    const std::string not_on_record =
        absl::StrCat("person_id ", request->person_id(), " has no personal profile on record");
    ASSIGN_OR_RETURN(
        std::optional<std::string> row,
        store_.GetRow(kProfileTable, JoinKey({archive.customer_id(), request->person_id()})));
    if (!row.has_value()) return absl::NotFoundError(not_on_record);
    ASSIGN_OR_RETURN(std::optional<std::string> key, vault_.GetKey(subject));
    // A row without a key is a profile whose erasure was interrupted: erased all the same.
    if (!key.has_value()) return absl::NotFoundError(not_on_record);
    crm::v1::PersonalProfileRecorded recorded;
    if (!recorded.ParseFromString(*row)) return absl::InternalError("a sealed profile is corrupt");
    ASSIGN_OR_RETURN(std::string plain,
                     crypto::Open({recorded.ciphertext(), recorded.nonce()}, *key, subject));
    crm::v1::GetPersonalProfileResponse reply;
    if (!reply.mutable_profile()->ParseFromString(plain)) {
      return absl::InternalError("a decrypted profile does not parse");
    }
    *reply.mutable_recorded_at() = recorded.metadata().occurred_at();
    return reply;
  }();
  if (!profile.ok()) return runtime::ToGrpcStatus(profile.status());
  *response = *std::move(profile);
  return grpc::Status::OK;
}

}  // namespace crm::registry
