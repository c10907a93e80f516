// Satisfaction speaks of NPS in the product's one rule (crm/nps/nps.h), under its own
// namespace's names.
#pragma once

#include "crm/nps/nps.h"

namespace crm::satisfaction {

using nps::CategoryOf;
using nps::NpsCounts;
using nps::NpsOf;
using nps::Summarise;
using nps::ValidateScore;

}  // namespace crm::satisfaction
