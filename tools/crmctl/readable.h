// crmctl's default output: an answer laid out for people rather than for programs.
//
//   customer.summary.legal_name  Cli GmbH
//   customer.status              ACTIVE
//
//   customers (2)
//   CUSTOMER_ID  NAME      REGION  STATUS
//   cus_1        Cli GmbH  emea    ACTIVE
//
// Fields that are set print as "path  value" lines, nested messages by their paths; a list
// of messages prints as a table, one column per field set in some row (a nested message's
// fields flattened one level by path), cells cut at 40 characters. Enum values lose their
// type's prefix (TIER_S → S), timestamps print in RFC 3339 and calendar dates as
// YYYY-MM-DD.
#pragma once

#include <string>

#include "google/protobuf/message.h"

namespace crm::crmctl {

std::string Readable(const google::protobuf::Message& message);

}  // namespace crm::crmctl
