// Every archive the registry stores follows from its events: after commands of every kind,
// folding each customer's stored events with Evolve, from an empty archive, gives exactly
// the archive the store holds (timestamps and version included), and the read models the
// folded archives give are exactly the rows the store holds. A rebuild from the topics
// depends on both.
#include <map>
#include <string_view>

#include "crm/base/ids.h"
#include "crm/registry/customer.h"
#include "crm/registry/history.h"
#include "crm/registry/read_models.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "handler_support.h"
#include "registry_harness.h"

namespace crm::registry::testing {
namespace {

class RegistryFoldTest : public ::testing::Test {
 protected:
  // Sends `request` with a fresh request id, a minute after the previous command, so that
  // every event has a time of its own.
  template <class Request, class Response>
  Response Send(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                Request request) {
    registry_.clock().Advance(absl::Minutes(1));
    request.set_request_id(NewUuid());
    auto [status, reply] = registry_.Call(method, request);
    EXPECT_TRUE(status.ok()) << Request::descriptor()->name() << ": " << status.error_message();
    return reply;
  }

  // The archive the store holds for the customer, and the one its events fold into.
  std::pair<crm::v1::CustomerArchive, crm::v1::CustomerArchive> HeldAndFolded(
      const std::string& customer_id) {
    crm::v1::CustomerArchive held, folded;
    auto head = registry_.store().LoadHead(StreamOf(customer_id));
    EXPECT_TRUE(head.ok()) << head.status();
    EXPECT_TRUE(held.ParseFromString(head->state));
    auto events = registry_.store().ReadStream(StreamOf(customer_id), 1, 100'000);
    EXPECT_TRUE(events.ok()) << events.status();
    EXPECT_EQ(events->size(), head->version);
    for (const eventstore::StoredEvent& stored : *events) {
      auto event = ParseCustomerEvent(stored.metadata.event_type(), stored.bytes);
      EXPECT_TRUE(event.ok()) << event.status();
      if (event.ok()) Evolve(stored.metadata, *event, folded);
    }
    return {held, folded};
  }

  // Every row of `table`, key to value.
  std::map<std::string, std::string> RowsOf(std::string_view table) {
    std::map<std::string, std::string> rows;
    std::string token;
    do {
      auto page = registry_.store().ScanRows(table, "", token, 1000);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (auto& [key, value] : page->rows) rows.emplace(key, value);
      token = page->next_page_token;
    } while (!token.empty());
    return rows;
  }

  RegistryHarness registry_;
};

TEST_F(RegistryFoldTest, EveryArchiveIsItsEventsFolded) {
  crm::v1::RegisterCustomerRequest register_acme;
  *register_acme.mutable_summary() = Summary("Acme Telecom GmbH");
  const std::string acme = Send(&Stub::RegisterCustomer, register_acme).customer_id();
  crm::v1::RegisterCustomerRequest register_borealis;
  *register_borealis.mutable_summary() = Summary("Borealis Grid Oy");
  const std::string borealis = Send(&Stub::RegisterCustomer, register_borealis).customer_id();

  crm::v1::UpdateSummaryRequest rename;
  rename.set_customer_id(acme);
  *rename.mutable_summary() = Summary("Acme Telecom Deutschland GmbH");
  rename.set_reason("merger");
  Send(&Stub::UpdateSummary, rename);

  // Finance years out of order: the archive keeps them in year order.
  for (int year : {2026, 2024, 2025}) {
    crm::v1::UpdateSectionRequest finance;
    finance.set_customer_id(acme);
    finance.mutable_update()->mutable_finance()->set_fiscal_year(year);
    *finance.mutable_update()->mutable_finance()->mutable_revenue() = Eur(1000 * year);
    Send(&Stub::UpdateSection, finance);
  }
  crm::v1::UpdateSectionRequest notes;
  notes.set_customer_id(acme);
  notes.mutable_update()->set_notes("prefers workshops to slides");
  Send(&Stub::UpdateSection, notes);

  crm::v1::ChangeLifecycleRequest activate;
  activate.set_customer_id(acme);
  activate.set_status(crm::v1::LIFECYCLE_STATUS_ACTIVE);
  activate.set_reason("first order");
  Send(&Stub::ChangeLifecycle, activate);

  crm::v1::AddKeyPersonRequest ceo_request;
  ceo_request.set_customer_id(acme);
  ceo_request.mutable_person()->set_name("Dana Roth");
  ceo_request.mutable_person()->set_title("CEO");
  ceo_request.mutable_person()->set_influence(5);
  const std::string ceo = Send(&Stub::AddKeyPerson, ceo_request).person_id();
  crm::v1::AddKeyPersonRequest cto_request;
  cto_request.set_customer_id(acme);
  cto_request.mutable_person()->set_name("Ilse Brandt");
  cto_request.mutable_person()->set_title("CTO");
  cto_request.mutable_person()->set_influence(4);
  cto_request.mutable_person()->set_reports_to(ceo);
  const std::string cto = Send(&Stub::AddKeyPerson, cto_request).person_id();

  // A new title records a key position change beside the update.
  crm::v1::GetCustomerRequest get;
  get.set_customer_id(acme);
  crm::v1::KeyPerson promoted =
      registry_.Call(&Stub::GetCustomer, get).second.customer().key_persons(1);
  promoted.set_title("CEO of Acme Networks");
  crm::v1::UpdateKeyPersonRequest promote;
  promote.set_customer_id(acme);
  *promote.mutable_person() = promoted;
  Send(&Stub::UpdateKeyPerson, promote);

  crm::v1::AddCareerEntryRequest career;
  career.set_customer_id(acme);
  career.set_person_id(cto);
  career.mutable_entry()->set_organisation("Nordnet");
  career.mutable_entry()->set_title("Head of Networks");
  Send(&Stub::AddCareerEntry, career);

  crm::v1::RecordPersonalProfileRequest profile;
  profile.set_customer_id(acme);
  profile.set_person_id(ceo);
  profile.mutable_profile()->add_hobbies("sailing");
  Send(&Stub::RecordPersonalProfile, profile);
  crm::v1::ErasePersonalProfileRequest erase;
  erase.set_customer_id(acme);
  erase.set_person_id(ceo);
  erase.set_reason("asked to be forgotten");
  Send(&Stub::ErasePersonalProfile, erase);

  crm::v1::AddKeyDateRequest budget;
  budget.set_customer_id(acme);
  budget.mutable_date()->set_title("budget planning starts");
  budget.mutable_date()->set_month(9);
  budget.mutable_date()->set_day(1);
  Send(&Stub::AddKeyDate, budget);
  crm::v1::AddKeyDateRequest tender;
  tender.set_customer_id(acme);
  tender.mutable_date()->set_title("tender opens");
  tender.mutable_date()->set_month(3);
  tender.mutable_date()->set_day(15);
  const std::string tender_id = Send(&Stub::AddKeyDate, tender).date_id();
  crm::v1::RemoveKeyDateRequest drop_tender;
  drop_tender.set_customer_id(acme);
  drop_tender.set_date_id(tender_id);
  Send(&Stub::RemoveKeyDate, drop_tender);

  crm::v1::RemoveKeyPersonRequest remove_cto;
  remove_cto.set_customer_id(acme);
  remove_cto.set_person_id(cto);
  remove_cto.set_reason("left the company");
  Send(&Stub::RemoveKeyPerson, remove_cto);

  std::map<std::string_view, std::map<std::string, std::string>> expected_rows;
  for (const std::string& customer : {acme, borealis}) {
    const auto [held, folded] = HeldAndFolded(customer);
    std::string difference;
    google::protobuf::util::MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&difference);
    EXPECT_TRUE(differencer.Compare(folded, held)) << customer << ":\n" << difference;
    for (const RowChange& row : ReadModelChanges(crm::v1::CustomerArchive(), folded)) {
      if (row.value.has_value()) expected_rows[row.table][row.key] = *row.value;
    }
  }
  for (std::string_view table :
       {kNameIndexTable, kExternalIdIndexTable, kCustomerListTable, kKeyDateTable}) {
    EXPECT_EQ(RowsOf(table), expected_rows[table]) << "table " << table;
  }
  EXPECT_EQ(expected_rows[kKeyDateTable].size(), 1u) << "the budget date, not the removed tender";
  EXPECT_EQ(expected_rows[kCustomerListTable].size(), 2u);
  // The scenario reached what it was meant to: a long stream, every event kind in it.
  EXPECT_GE(HeldAndFolded(acme).first.version(), 17u);
}

}  // namespace
}  // namespace crm::registry::testing
