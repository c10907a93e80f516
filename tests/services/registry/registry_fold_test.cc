// Every archive the registry stores follows from its events: after commands of every kind,
// folding each customer's stored events with Evolve, from an empty archive, gives exactly
// the archive the store holds (timestamps and version included), and the read models the
// folded archives give are exactly the rows the store holds. A rebuild from the topic,
// which depends on both, gives the very store again (log, archives, every table, the
// replies kept for request ids), also when it was interrupted and started again.
#include <map>
#include <string_view>

#include "crm/base/ids.h"
#include "crm/registry/customer.h"
#include "crm/registry/history.h"
#include "crm/registry/read_models.h"
#include "crm/runtime/rebuild.h"
#include "crm/runtime/recompute.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "handler_support.h"
#include "registry_harness.h"
#include "registry_replayer.h"
#include "support/rebuilt_stores.h"
#include "support/wait.h"

namespace crm::registry::testing {
namespace {

struct Customers;

class RegistryFoldTest : public ::testing::Test {
 protected:
  Customers RecordEveryKindOfCommand();

  // Sends `request` with a fresh request id, a minute after the previous command, so that
  // every event has a time of its own.
  template <class Request, class Response>
  Response Send(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                Request request) {
    registry_.clock().Advance(absl::Minutes(1));
    request.set_request_id(NewUuid());
    auto [status, reply] = registry_.Call(method, request);
    EXPECT_TRUE(status.ok()) << Request::descriptor()->name() << ": " << status.error_message();
    request_ids_.push_back(absl::StrCat(
        Request::descriptor()->name().substr(0, Request::descriptor()->name().size() - 7), ":",
        request.request_id()));
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
    return RowsOf(registry_.store(), table);
  }
  static std::map<std::string, std::string> RowsOf(eventstore::EventStore& store,
                                                   std::string_view table) {
    std::map<std::string, std::string> rows;
    std::string token;
    do {
      auto page = store.ScanRows(table, "", token, 1000);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (auto& [key, value] : page->rows) rows.emplace(key, value);
      token = page->next_page_token;
    } while (!token.empty());
    return rows;
  }

  RegistryHarness registry_;
  // The request ids the store keeps for the commands sent ("<method>:<request id>").
  std::vector<std::string> request_ids_;
};

// Customers after commands of every kind: a long stream with every event kind, and a
// short one.
struct Customers {
  std::string acme;
  std::string borealis;
};

Customers RegistryFoldTest::RecordEveryKindOfCommand() {
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
  // A profile that stays on record.
  crm::v1::AddKeyPersonRequest cfo_request;
  cfo_request.set_customer_id(acme);
  cfo_request.mutable_person()->set_name("Mara Lind");
  cfo_request.mutable_person()->set_title("CFO");
  cfo_request.mutable_person()->set_influence(4);
  cfo_request.mutable_person()->set_reports_to(ceo);
  const std::string cfo = Send(&Stub::AddKeyPerson, cfo_request).person_id();
  crm::v1::RecordPersonalProfileRequest kept_profile;
  kept_profile.set_customer_id(acme);
  kept_profile.set_person_id(cfo);
  kept_profile.mutable_profile()->add_hobbies("chess");
  Send(&Stub::RecordPersonalProfile, kept_profile);

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
  return {acme, borealis};
}

TEST_F(RegistryFoldTest, EveryArchiveIsItsEventsFolded) {
  const auto [acme, borealis] = RecordEveryKindOfCommand();
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

// A store rebuilt from the registry's topic into a directory of its own, with a vault of
// its own (the keys of profiles are not events).
class RebuiltStore {
 public:
  RebuiltStore() {
    auto store = eventstore::EventStore::Open({.path = dir_.Sub("store"), .service = "registry"});
    EXPECT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    auto vault = crypto::KeyVault::Open({.path = dir_.Sub("keys")});
    EXPECT_TRUE(vault.ok()) << vault.status();
    vault_ = *std::move(vault);
    replayer_ = std::make_unique<RegistryReplayer>(*vault_);
  }
  eventstore::EventStore& store() { return *store_; }
  RegistryReplayer& replayer() { return *replayer_; }

 private:
  crm::testing::TempDir dir_;
  std::unique_ptr<eventstore::EventStore> store_;
  std::unique_ptr<crypto::KeyVault> vault_;
  std::unique_ptr<RegistryReplayer> replayer_;
};

class RegistryRebuildTest : public RegistryFoldTest {
 protected:
  // Once the relay has published every event.
  void WaitForTopic() {
    ASSERT_TRUE(crm::testing::WaitFor([&] { return registry_.store().OutboxDepth() == 0; },
                                      absl::Seconds(30)));
  }

  absl::StatusOr<runtime::RebuildSummary> Rebuild(eventstore::EventStore& store,
                                                  runtime::EventReplayer& replayer) {
    // Batches of a few events, so that the commands fall in several of them.
    return runtime::RebuildOwnEvents(
        store, replayer,
        {.topic = {.brokers = registry_.brokers(), .topic = registry_.topic()},
         .batch_events = 4,
         .progress = nullptr});
  }

  // `rebuilt` holds what the registry's own store holds: the log byte for byte, the
  // customers' archives, every table's rows, the reply of every request id.
  void ExpectSameStore(eventstore::EventStore& rebuilt, const Customers& customers) {
    eventstore::EventStore& original = registry_.store();
    auto original_log = original.ReadLog(1, 100'000);
    auto rebuilt_log = rebuilt.ReadLog(1, 100'000);
    ASSERT_TRUE(original_log.ok() && rebuilt_log.ok());
    ASSERT_EQ(rebuilt_log->size(), original_log->size());
    for (size_t i = 0; i < original_log->size(); ++i) {
      EXPECT_EQ((*rebuilt_log)[i].bytes, (*original_log)[i].bytes) << "log position " << i + 1;
    }
    for (const std::string& customer : {customers.acme, customers.borealis}) {
      auto original_head = original.LoadHead(StreamOf(customer));
      auto rebuilt_head = rebuilt.LoadHead(StreamOf(customer));
      ASSERT_TRUE(original_head.ok() && rebuilt_head.ok());
      EXPECT_EQ(rebuilt_head->version, original_head->version) << customer;
      EXPECT_EQ(rebuilt_head->state, original_head->state) << customer;
    }
    for (std::string_view table : {kNameIndexTable, kExternalIdIndexTable, kCustomerListTable,
                                   kKeyDateTable, kProfileTable}) {
      EXPECT_EQ(RowsOf(rebuilt, table), RowsOf(original, table)) << "table " << table;
    }
    EXPECT_EQ(RowsOf(rebuilt, kProfileTable).size(), 1u) << "the CFO's profile";
    for (const std::string& request_id : request_ids_) {
      auto original_request = original.FindRequest(request_id);
      auto rebuilt_request = rebuilt.FindRequest(request_id);
      ASSERT_TRUE(original_request.ok() && rebuilt_request.ok());
      ASSERT_TRUE(original_request->has_value()) << request_id;
      ASSERT_TRUE(rebuilt_request->has_value()) << request_id << " is not known after the rebuild";
      EXPECT_EQ((*rebuilt_request)->response, (*original_request)->response) << request_id;
      EXPECT_EQ((*rebuilt_request)->last_version, (*original_request)->last_version) << request_id;
    }
    EXPECT_EQ(rebuilt.OutboxDepth(), 0) << "restored events are on their topic already";
  }
};

TEST_F(RegistryRebuildTest, RebuiltFromItsTopicTheStoreIsTheSame) {
  const Customers customers = RecordEveryKindOfCommand();
  WaitForTopic();
  RebuiltStore rebuilt;
  auto summary = Rebuild(rebuilt.store(), rebuilt.replayer());
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->events_restored, registry_.store().LastPosition());
  EXPECT_EQ(summary->streams, 2u);
  EXPECT_EQ(summary->requests, request_ids_.size());
  EXPECT_TRUE(summary->gaps.empty());
  ExpectSameStore(rebuilt.store(), customers);

  // Run again, it finds where it ended and nothing more to do.
  auto again = Rebuild(rebuilt.store(), rebuilt.replayer());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->messages_read, 0u);
  EXPECT_EQ(again->events_restored, 0u);
  ExpectSameStore(rebuilt.store(), customers);
}

TEST_F(RegistryRebuildTest, AnInterruptedRebuildStartedAgainEndsTheSame) {
  const Customers customers = RecordEveryKindOfCommand();
  WaitForTopic();
  RebuiltStore rebuilt;
  crm::testing::InterruptedReplayer interrupted(rebuilt.replayer(), /*fail_at=*/4);
  EXPECT_EQ(Rebuild(rebuilt.store(), interrupted).status().code(), absl::StatusCode::kUnavailable);
  // Stopped midway: some batches written, not all.
  EXPECT_GT(rebuilt.store().LastPosition(), 0u);
  const uint64_t written_before = rebuilt.store().LastPosition();
  EXPECT_LT(written_before, registry_.store().LastPosition());

  // The second run restores what the first did not, each event once.
  auto summary = Rebuild(rebuilt.store(), rebuilt.replayer());
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(written_before + summary->events_restored, registry_.store().LastPosition());
  ExpectSameStore(rebuilt.store(), customers);
}

TEST_F(RegistryRebuildTest, ReadModelsRecomputedFromItsLogAreTheSame) {
  const Customers customers = RecordEveryKindOfCommand();
  WaitForTopic();
  RebuiltStore rebuilt;
  ASSERT_TRUE(Rebuild(rebuilt.store(), rebuilt.replayer()).ok());
  const std::vector<std::string_view> tables = rebuilt.replayer().Tables();
  EXPECT_THAT(tables,
              ::testing::UnorderedElementsAre(kNameIndexTable, kExternalIdIndexTable,
                                              kCustomerListTable, kKeyDateTable, kProfileTable));
  // The registry's own store, spoiled, recomputed in place: the stray rows and the stale
  // archive gone, the archives and rows as its commands made them (the store rebuilt from
  // the topic, untouched, holds those), the erased profile still erased.
  crm::testing::Spoil(registry_.store(), tables);
  crm::testing::RecomputeInterrupted(registry_.store(), rebuilt.replayer(), /*fail_at=*/4);
  ExpectSameStore(rebuilt.store(), customers);
}

TEST_F(RegistryRebuildTest, ABatchEndsAtItsByteLimit) {
  const Customers customers = RecordEveryKindOfCommand();
  WaitForTopic();
  RebuiltStore rebuilt;
  // A byte a batch: each command is a batch of its own, and the store comes out the same.
  auto summary = runtime::RebuildOwnEvents(
      rebuilt.store(), rebuilt.replayer(),
      {.topic = {.brokers = registry_.brokers(), .topic = registry_.topic()},
       .batch_bytes = 1,
       .progress = nullptr});
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->batches, summary->requests);
  EXPECT_GT(summary->batches, 10u);
  ExpectSameStore(rebuilt.store(), customers);

  auto recomputed = runtime::RecomputeReadModels(rebuilt.store(), rebuilt.replayer(),
                                                 {.batch_bytes = 1, .progress = nullptr});
  ASSERT_TRUE(recomputed.ok()) << recomputed.status();
  EXPECT_EQ(recomputed->batches, recomputed->commands);
  ExpectSameStore(rebuilt.store(), customers);
}

TEST_F(RegistryRebuildTest, RefusesAStoreItDidNotFill) {
  RegisterCustomer(registry_, Summary("Acme Telecom GmbH"));
  WaitForTopic();
  RebuiltStore rebuilt;
  auto refused = Rebuild(registry_.store(), rebuilt.replayer());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << refused.status();
  EXPECT_EQ(registry_.store().LastPosition(), 1u);
}

}  // namespace
}  // namespace crm::registry::testing
