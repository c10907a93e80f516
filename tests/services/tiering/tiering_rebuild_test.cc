// Tiering's store follows from its events: after commands of every kind (a model published
// and made current, another published only, the built-in one chosen again and the first
// back, tier policies published, a customer's inputs entered twice for a year, and two
// evaluation runs of three customers in two parts, the second moving a strategic customer
// down to B), a store rebuilt from the service's topic holds the very same log, stream
// states, read-model rows (every run's results and history among them, from the parts the
// runs recorded them in) and the replies kept for every request id; also when the rebuild
// was interrupted and started again.
#include "crm/known_customers/known_customers.h"
#include "crm/tiering/read_models.h"
#include "gtest/gtest.h"
#include "rebuilt_service_test.h"
#include "support/wait.h"
#include "tiering_harness.h"
#include "tiering_replayer.h"

namespace crm::tiering::testing {
namespace {

class TieringRebuildTest
    : public crm::testing::RebuiltServiceTest<TieringHarness, TieringReplayer> {
 protected:
  TieringRebuildTest()
      : RebuiltServiceTest("tiering", {kModels, kInputs, kTierPolicies, kTiers, kTierHistory, kRuns,
                                       kAbnormalChurn}) {}

  void Enter(const std::string& customer, std::vector<crm::v1::FactorInput> inputs) {
    crm::v1::RecordInputsRequest request;
    request.set_customer_id(customer);
    request.set_fiscal_year(2026);
    for (auto& input : inputs) *request.add_inputs() = std::move(input);
    Send(&TieringStub::RecordInputs, request);
  }

  void Run(const std::string& run_id) {
    crm::v1::RunEvaluationRequest request;
    request.set_run_id(run_id);
    request.set_fiscal_year(2026);
    request.set_region("emea");
    Send(&TieringStub::RunEvaluation, request, "admin");
    KeepsNoReply();
  }

  void RecordEveryKindOfCommand() {
    std::vector<std::string> ids;
    for (const char* name : {"Alpha GmbH", "Beta GmbH", "Gamma GmbH"}) {
      ids.push_back(
          registry::testing::RegisterCustomer(registry_, registry::testing::Summary(name)));
    }
    crm::v1::PublishModelRequest publish;
    *publish.mutable_model() = ThresholdModel("fy26");
    publish.set_make_current(true);
    Send(&TieringStub::PublishModel, publish, "admin");
    crm::v1::PublishModelRequest later;  // published, not made current
    *later.mutable_model() = ThresholdModel("fy27");
    Send(&TieringStub::PublishModel, later, "admin");
    crm::v1::SetCurrentModelRequest set;
    set.set_version("default-1");
    Send(&TieringStub::SetCurrentModel, set, "admin");
    set.set_version("fy26");
    Send(&TieringStub::SetCurrentModel, set, "admin");
    crm::v1::PublishTierPoliciesRequest policies;
    *policies.mutable_policies() = DefaultTierPolicies();
    policies.mutable_policies()->set_version("p-2027");
    Send(&TieringStub::PublishTierPolicies, policies, "admin");

    // Alpha: 15 + 15 + 3.5 = 33.5 → B; Beta: nothing entered → C; Gamma: every entered
    // factor at the top, 82 → S.
    Enter(ids[0], {InputOf("last_year_revenue", 300), InputOf("last_year_profit", 30)});
    Enter(ids[0], {InputOf("strategic_fit", 4)});
    Enter(ids[2], {InputOf("last_year_revenue", 300), InputOf("last_year_profit", 30),
                   InputOf("forecast_revenue", 300), InputOf("payment_record", 5),
                   InputOf("share_of_wallet", 70), InputOf("product_importance", 5),
                   InputOf("industry_influence", 5), InputOf("growth_prospects", 5),
                   InputOf("loss_impact", 5), InputOf("strategic_fit", 5)});
    // Runs evaluate the customers the projection has learnt are registered from the
    // registry's events (tiering's own inputs events may come back first).
    ASSERT_TRUE(crm::testing::WaitFor([&] {
      for (const std::string& id : ids) {
        auto row = harness_.store().GetRow(customers::kKnownCustomersTable, id);
        crm::internal::KnownCustomer known;
        if (!row.ok() || !row->has_value() || !known.ParseFromString(**row) ||
            !known.registered()) {
          return false;
        }
      }
      return true;
    }));
    Run("first");
    // Gamma's explicit inputs all at the bottom: 32 → B, two tiers down from S.
    Enter(ids[2], {InputOf("last_year_revenue", 0), InputOf("last_year_profit", 0),
                   InputOf("forecast_revenue", 0), InputOf("payment_record", 0),
                   InputOf("share_of_wallet", 0)});
    Run("second");
  }
};

TEST_F(TieringRebuildTest, RebuiltFromItsTopicTheStoreIsTheSame) {
  RecordEveryKindOfCommand();
  ExpectRebuiltTheSame();
}

TEST_F(TieringRebuildTest, AnInterruptedRebuildStartedAgainEndsTheSame) {
  RecordEveryKindOfCommand();
  ExpectInterruptedRebuildTheSame(/*fail_at=*/4);
}

TEST_F(TieringRebuildTest, ReadModelsRecomputedFromItsLogAreTheSame) {
  RecordEveryKindOfCommand();
  ExpectRecomputedTheSame(/*fail_at=*/4);
}

}  // namespace
}  // namespace crm::tiering::testing
