// Pieces registry handlers share: the stream of a customer and the key of a person's
// restricted profile, besides the runtime's request checks and replies.
#pragma once

#include <string>
#include <string_view>

#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"

namespace crm::registry {

using runtime::Answer;
using runtime::BadPageToken;
using runtime::CheckId;
using runtime::CheckRequestId;
using runtime::NewId;
using runtime::PageSizeOf;
using runtime::Reply;
using runtime::VersionReply;

std::string StreamOf(std::string_view customer_id);

// The key vault's subject (and the sealing context) of a person's profile.
std::string ProfileSubject(std::string_view customer_id, std::string_view person_id);

}  // namespace crm::registry
