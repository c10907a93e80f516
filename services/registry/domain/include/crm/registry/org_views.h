// Views of a customer's key persons, as pure functions of the archive: the org chart (who
// reports to whom) and the decision chain (who decides, by role and influence).
//
//   crm::v1::GetOrgChartResponse chart = BuildOrgChart(archive);
#pragma once

#include "crm/v1/registry.pb.h"

namespace crm::registry {

// The key persons as a forest: roots report to no one (or to someone no longer on
// record); each level ordered by influence, highest first, then name. Career history is
// left out.
crm::v1::GetOrgChartResponse BuildOrgChart(const crm::v1::CustomerArchive& archive);

// The key persons grouped by decision role (decision makers first, no role last), each
// group by influence, highest first, then name; with the count of each stance.
crm::v1::GetDecisionChainResponse BuildDecisionChain(const crm::v1::CustomerArchive& archive);

}  // namespace crm::registry
