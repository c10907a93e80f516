// Pieces registry handlers share: the stream of a customer and the key of a person's
// restricted profile, besides the runtime's request checks and replies.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "crm/crypto/key_vault.h"
#include "crm/eventstore/types.h"
#include "crm/registry/customer.h"
#include "crm/registry/read_models.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/row_writes.h"

namespace crm::registry {

using runtime::Answer;
using runtime::BadPageToken;
using runtime::CheckId;
using runtime::CheckRequestId;
using runtime::NewId;
using runtime::PageSizeOf;
using runtime::Reply;
using runtime::RowWritesOf;
using runtime::VersionReply;

std::string StreamOf(std::string_view customer_id);

// The key vault's subject (and the sealing context) of a person's profile.
std::string ProfileSubject(std::string_view customer_id, std::string_view person_id);

// Destroys the key of every profile `events` erase (idempotent): what erasing does outside
// the store, for the command path and a rebuild alike.
absl::Status DestroyErasedKeys(crypto::KeyVault& vault, const CustomerEvents& events);

}  // namespace crm::registry
