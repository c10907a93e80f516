// The registry's decisions applied in any order to one customer's archive, with what the
// service then derives from it (read-model rows, org chart, decision chain, redaction):
// a decision either refuses or gives events whose archive the views can still be built
// from — no crash, no endless walk up a reporting line.
#include "absl/time/time.h"
#include "crm/registry/access_rules.h"
#include "crm/registry/customer.h"
#include "crm/registry/org_views.h"
#include "crm/registry/read_models.h"
#include "fuzz_input.h"

namespace crm::registry {
namespace {

absl::StatusOr<CustomerEvents> Decide(fuzz::FuzzInput& input,
                                      const crm::v1::CustomerArchive& archive) {
  switch (input.Choice(10)) {
    case 0:
      return DecideRegister("cus_fuzz", input.Next<crm::v1::CustomerSummary>(),
                            static_cast<crm::v1::LifecycleStatus>(input.Choice(6)));
    case 1:
      return DecideUpdateSummary(archive, input.Next<crm::v1::CustomerSummary>(), input.Text());
    case 2:
      return DecideUpdateSection(archive, input.Next<crm::v1::ArchiveSectionUpdated>());
    case 3:
      return DecideChangeLifecycle(archive, static_cast<crm::v1::LifecycleStatus>(input.Choice(7)),
                                   input.Text());
    case 4:
      return DecideAddKeyPerson(archive, input.Next<crm::v1::KeyPerson>());
    case 5:
      return DecideUpdateKeyPerson(archive, input.Next<crm::v1::KeyPerson>(), input.Text());
    case 6:
      return DecideAddCareerEntry(archive, input.Text(16), input.Next<crm::v1::CareerEntry>());
    case 7:
      return DecideRemoveKeyPerson(archive, input.Text(16), input.Text());
    case 8:
      return DecideAddKeyDate(archive, input.Next<crm::v1::KeyDate>());
    default:
      return DecideErasePersonalProfile(archive, input.Text(16), input.Text());
  }
}

}  // namespace
}  // namespace crm::registry

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace crm::registry;
  crm::fuzz::FuzzInput input(data, size);
  crm::v1::CustomerArchive archive;
  const absl::Time now = absl::FromUnixSeconds(1'790'000'000);
  for (int step = 0; step < 16 && !input.empty(); ++step) {
    absl::StatusOr<CustomerEvents> events = Decide(input, archive);
    if (!events.ok()) continue;
    const crm::v1::CustomerArchive before = archive;
    for (const CustomerEvent& event : *events) Apply(event, now, archive);
    ReadModelChanges(before, archive);
    BuildOrgChart(archive);
    BuildDecisionChain(archive);
    crm::v1::CustomerArchive shown = archive;
    RedactFinances(crm::v1::ROLE_ASSISTANT, *shown.mutable_finances());
  }
  return 0;
}
