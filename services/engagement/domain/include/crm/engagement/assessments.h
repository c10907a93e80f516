// Relationship assessments on the six criteria: what a valid one is, its level, the latest
// per person, and the customer's roll-up weighted by influence.
#pragma once

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "crm/engagement/internal/state.pb.h"
#include "crm/internal/known_customer.pb.h"
#include "crm/v1/engagement.pb.h"

namespace crm::engagement {

// INVALID_ARGUMENT naming the field: each of the six scores 1..5, comments within 2,000
// characters, assessed_on a real day not after `today` (unset: today, filled in).
absl::Status ValidateAssessment(crm::v1::RelationshipAssessment& assessment, absl::CivilDay today);

// The mean of the six scores.
double LevelOf(const crm::v1::RelationshipAssessment& assessment);

// Keeps `assessment` as its person's latest unless a later-dated one is held.
void NoteAssessment(const crm::v1::RelationshipAssessment& assessment,
                    internal::CustomerEngagement& state);

// Each current key person's latest level, the most influential first; those never
// assessed; and Σ(level × influence) / Σ influence.
crm::v1::GetRelationshipRollupResponse Rollup(const crm::internal::KnownCustomer& customer,
                                              const internal::CustomerEngagement& state);

}  // namespace crm::engagement
