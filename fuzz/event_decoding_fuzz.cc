// Whatever arrives on a topic, decoded the way the services decode it: the metadata every
// consumer reads first, then the event by the type its metadata names, applied to the
// projections of the registry's and tiering's events that the other services keep and to
// tiering's signals. Malformed bytes are refused with a status, never a crash.
#include "crm/eventstore/event_codec.h"
#include "crm/known_customers/known_customers.h"
#include "crm/registry/history.h"
#include "crm/tiering/signals.h"
#include "fuzz_input.h"

namespace {

// The types the decoders know, and one they do not.
constexpr const char* kTypes[] = {"crm.v1.CustomerRegistered",
                                  "crm.v1.CustomerSummaryUpdated",
                                  "crm.v1.ArchiveSectionUpdated",
                                  "crm.v1.LifecycleChanged",
                                  "crm.v1.KeyPersonAdded",
                                  "crm.v1.KeyPersonUpdated",
                                  "crm.v1.KeyPositionChanged",
                                  "crm.v1.KeyPersonRemoved",
                                  "crm.v1.PersonalProfileRecorded",
                                  "crm.v1.PersonalProfileErased",
                                  "crm.v1.KeyDateAdded",
                                  "crm.v1.KeyDateRemoved",
                                  "crm.v1.CustomerTierChanged",
                                  "crm.v1.TouchpointLogged",
                                  "crm.v1.AssessmentRecorded",
                                  "crm.v1.SurveyResponseRecorded",
                                  "crm.v1.IssueRaised",
                                  "crm.v1.IssueClosed",
                                  "crm.v1.ChurnReasonRecorded",
                                  "crm.v1.NoSuchEvent"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  crm::fuzz::FuzzInput input(data, size);
  const std::string named_type = kTypes[input.Choice(std::size(kTypes))];
  const std::string bytes = input.Text(1 << 16);

  crm::v1::EventMetadata metadata;
  const bool has_metadata = crm::eventstore::ParseEventMetadata(bytes, metadata);
  // The type the message claims when it has metadata, else the one chosen.
  const std::string type = has_metadata ? metadata.event_type() : named_type;

  (void)crm::registry::ParseCustomerEvent(type, bytes);
  crm::customers::KnownCustomer customer;
  (void)crm::customers::ApplyRegistryEvent(type, bytes, customer);
  (void)crm::customers::ApplyTieringEvent(type, bytes, customer);
  crm::tiering::internal::CustomerSignals signals;
  for (auto source :
       {crm::tiering::SignalSource::kRegistry, crm::tiering::SignalSource::kEngagement,
        crm::tiering::SignalSource::kSatisfaction}) {
    (void)crm::tiering::ApplySignalEvent(source, type, bytes, metadata, signals);
  }
  return 0;
}
