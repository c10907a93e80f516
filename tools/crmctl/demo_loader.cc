#include "demo_loader.h"

#include <atomic>
#include <functional>
#include <map>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "crm/base/status_macros.h"
#include "crm/calendar/calendar.h"
#include "progress.h"

namespace crm::crmctl {
namespace {

// Surveys ask at most this many customers each (the satisfaction service's limit).
constexpr size_t kCustomersPerSurvey = 10'000;

crm::v1::CalendarDate DaysAgo(int days) {
  return CalendarDateOf(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) - days);
}

// Runs `step(i)` for i in [0, count) on `workers` threads, advancing a progress bar;
// stops handing out work at the first failure, which it returns.
absl::Status ParallelFor(const std::string& label, size_t count, int workers,
                         const std::function<absl::Status(size_t)>& step) {
  Progress progress(label, static_cast<int64_t>(count));
  std::atomic<size_t> next{0};
  absl::Mutex mutex;
  absl::Status first_failure;
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&] {
      for (size_t i = next++; i < count && !failed.load(); i = next++) {
        if (absl::Status status = step(i); !status.ok()) {
          absl::MutexLock lock(&mutex);
          if (first_failure.ok()) first_failure = status;
          failed.store(true);
          return;
        }
        progress.Advance();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  return first_failure;
}

// The ids the services assigned, by the organisation's indexes.
struct AssignedIds {
  std::vector<std::string> customers;
  std::vector<std::vector<std::string>> persons;
};

class Loader {
 public:
  Loader(const DemoOrganisation& organisation, const ServiceClients& clients, int workers)
      : organisation_(organisation), clients_(clients), workers_(workers) {
    ids_.customers.resize(organisation.customers.size());
    ids_.persons.resize(organisation.customers.size());
  }

  absl::StatusOr<DemoLoadResult> Load() {
    const size_t n = organisation_.customers.size();
    RETURN_IF_ERROR(ParallelFor("registry", n, workers_, [&](size_t i) { return Archive(i); }));
    RETURN_IF_ERROR(ParallelFor("engagement", n, workers_, [&](size_t i) { return Engage(i); }));
    // Tiering evaluates the year's inputs; in the months that follow some customers are
    // lost or fall away, and satisfaction hears from the rest; a second evaluation closes
    // the year. Events of the lifecycle changes reach tiering while satisfaction works.
    RETURN_IF_ERROR(PublishModel());
    RETURN_IF_ERROR(ParallelFor("tiering inputs", n, workers_, [&](size_t i) {
      return RecordInputs(i, organisation_.customers[i].inputs, "inputs");
    }));
    RETURN_IF_ERROR(ParallelFor("tiering catches up", n, workers_,
                                [&](size_t i) { return AwaitTieringKnows(i); }));
    ASSIGN_OR_RETURN(crm::v1::EvaluationRun first, Evaluate(1));
    RETURN_IF_ERROR(ParallelFor("losses", n, workers_, [&](size_t i) { return Turn(i); }));
    ASSIGN_OR_RETURN(std::vector<std::string> surveys, CreateSurveys());
    RETURN_IF_ERROR(
        ParallelFor("satisfaction", n, workers_, [&](size_t i) { return Listen(i, surveys[i]); }));
    ASSIGN_OR_RETURN(crm::v1::EvaluationRun second, Evaluate(2));
    absl::MutexLock lock(&mutex_);
    result_.first_run = std::move(first);
    result_.second_run = std::move(second);
    return result_;
  }

 private:
  std::string RequestId(std::string_view what, size_t i, size_t j = 0) const {
    return absl::StrCat("demo-", organisation_.seed, "-", std::string(what), "-", i, "-", j);
  }
  void Count(int64_t DemoLoadResult::*counter, int64_t by = 1) {
    absl::MutexLock lock(&mutex_);
    result_.*counter += by;
  }

  // Registry: the customer, its finance and supplier view, its decision chain.
  absl::Status Archive(size_t i) {
    const DemoCustomer& customer = organisation_.customers[i];
    crm::v1::RegisterCustomerRequest register_request;
    register_request.set_request_id(RequestId("register", i));
    crm::v1::CustomerSummary& summary = *register_request.mutable_summary();
    summary.set_legal_name(customer.legal_name);
    summary.set_region(customer.region);
    summary.set_country_code(customer.country_code);
    summary.set_industry(customer.industry);
    summary.set_owner_id(customer.owner_id);
    register_request.set_status(crm::v1::LIFECYCLE_STATUS_ACTIVE);
    ASSIGN_OR_RETURN(
        auto registered,
        clients_.Call(*clients_.registry, &RegistryStub::RegisterCustomer, register_request));
    const std::string& id = ids_.customers[i] = registered.customer_id();

    crm::v1::UpdateSectionRequest finance;
    finance.set_request_id(RequestId("finance", i));
    finance.set_customer_id(id);
    crm::v1::FinanceYear& year = *finance.mutable_update()->mutable_finance();
    year.set_fiscal_year(organisation_.fiscal_year - 1);
    year.mutable_revenue()->set_currency_code("EUR");
    year.mutable_revenue()->set_minor_units(customer.revenue_millions * 100'000'000);
    year.mutable_profit()->set_currency_code("EUR");
    year.mutable_profit()->set_minor_units(customer.profit_millions * 100'000'000);
    RETURN_IF_ERROR(
        clients_.Call(*clients_.registry, &RegistryStub::UpdateSection, finance).status());

    crm::v1::UpdateSectionRequest suppliers;
    suppliers.set_request_id(RequestId("suppliers", i));
    suppliers.set_customer_id(id);
    crm::v1::SupplierViewSection& view = *suppliers.mutable_update()->mutable_supplier_view();
    view.set_supplier_count(customer.supplier_count);
    view.set_our_wallet_share_basis_points(customer.wallet_share_percent * 100);
    RETURN_IF_ERROR(
        clients_.Call(*clients_.registry, &RegistryStub::UpdateSection, suppliers).status());

    for (size_t p = 0; p < customer.persons.size(); ++p) {
      const DemoPerson& person = customer.persons[p];
      crm::v1::AddKeyPersonRequest add;
      add.set_request_id(RequestId("person", i, p));
      add.set_customer_id(id);
      crm::v1::KeyPerson& key_person = *add.mutable_person();
      key_person.set_name(person.name);
      key_person.set_title(person.title);
      key_person.set_department(person.department);
      key_person.set_level(person.level);
      key_person.set_role(person.role);
      key_person.set_influence(person.influence);
      key_person.set_stance(person.stance);
      if (person.reports_to >= 0) key_person.set_reports_to(ids_.persons[i][person.reports_to]);
      key_person.set_relationship_owner_id(customer.owner_id);
      ASSIGN_OR_RETURN(auto added,
                       clients_.Call(*clients_.registry, &RegistryStub::AddKeyPerson, add));
      ids_.persons[i].push_back(added.person_id());
    }
    Count(&DemoLoadResult::customers);
    Count(&DemoLoadResult::persons, static_cast<int64_t>(customer.persons.size()));
    return absl::OkStatus();
  }

  // Engagement: a year of touchpoints and the assessments of the key persons.
  absl::Status Engage(size_t i) {
    const DemoCustomer& customer = organisation_.customers[i];
    for (size_t t = 0; t < customer.touchpoints.size(); ++t) {
      const DemoTouchpoint& touchpoint = customer.touchpoints[t];
      crm::v1::LogTouchpointRequest log;
      log.set_request_id(RequestId("touchpoint", i, t));
      log.set_customer_id(ids_.customers[i]);
      crm::v1::TouchpointFacts& facts = *log.mutable_facts();
      facts.set_type(touchpoint.type);
      facts.set_layer(touchpoint.layer);
      *facts.mutable_date() = DaysAgo(touchpoint.days_ago);
      for (int person : touchpoint.persons) facts.add_person_ids(ids_.persons[i][person]);
      crm::v1::EmployeePresence& owner = *facts.add_employees();
      owner.set_employee_id(customer.owner_id);
      owner.set_role("account_manager");
      RETURN_IF_ERROR(
          clients_.Call(*clients_.engagement, &EngagementStub::LogTouchpoint, log).status());
    }
    for (size_t a = 0; a < customer.assessments.size(); ++a) {
      const DemoAssessment& assessment = customer.assessments[a];
      crm::v1::RecordAssessmentRequest record;
      record.set_request_id(RequestId("assessment", i, a));
      crm::v1::RelationshipAssessment& entry = *record.mutable_assessment();
      entry.set_customer_id(ids_.customers[i]);
      entry.set_person_id(ids_.persons[i][assessment.person]);
      *entry.mutable_assessed_on() = DaysAgo(assessment.days_ago);
      entry.mutable_brand_acceptance()->set_score(assessment.scores[0]);
      entry.mutable_event_participation()->set_score(assessment.scores[1]);
      entry.mutable_information_sharing()->set_score(assessment.scores[2]);
      entry.mutable_willingness_to_advise()->set_score(assessment.scores[3]);
      entry.mutable_project_support()->set_score(assessment.scores[4]);
      entry.mutable_competitive_attitude()->set_score(assessment.scores[5]);
      RETURN_IF_ERROR(
          clients_.Call(*clients_.engagement, &EngagementStub::RecordAssessment, record).status());
    }
    Count(&DemoLoadResult::touchpoints, static_cast<int64_t>(customer.touchpoints.size()));
    Count(&DemoLoadResult::assessments, static_cast<int64_t>(customer.assessments.size()));
    return absl::OkStatus();
  }

  // Satisfaction: this year's relationship survey of each region (in parts of at most
  // kCustomersPerSurvey customers); the survey of each customer, by index.
  absl::StatusOr<std::vector<std::string>> CreateSurveys() {
    std::map<std::string, std::vector<size_t>> by_region;
    for (size_t i = 0; i < organisation_.customers.size(); ++i) {
      by_region[organisation_.customers[i].region].push_back(i);
    }
    std::vector<std::string> survey_of(organisation_.customers.size());
    for (const auto& [region, members] : by_region) {
      for (size_t start = 0; start < members.size(); start += kCustomersPerSurvey) {
        crm::v1::CreateSurveyRequest create;
        create.set_request_id(RequestId(absl::StrCat("survey-", region), start));
        create.set_title(
            absl::StrCat("Relationship survey ", organisation_.fiscal_year, " ", region,
                         start > 0 ? absl::StrCat(" part ", start / kCustomersPerSurvey + 1) : ""));
        create.set_kind(crm::v1::SURVEY_KIND_RELATIONSHIP);
        const size_t end = std::min(members.size(), start + kCustomersPerSurvey);
        for (size_t k = start; k < end; ++k) create.add_customer_ids(ids_.customers[members[k]]);
        *create.mutable_opens_on() = DaysAgo(30);
        *create.mutable_closes_on() = DaysAgo(-30);
        ASSIGN_OR_RETURN(auto created, clients_.Call(*clients_.satisfaction,
                                                     &SatisfactionStub::CreateSurvey, create));
        for (size_t k = start; k < end; ++k) survey_of[members[k]] = created.survey().survey_id();
      }
    }
    return survey_of;
  }

  // Satisfaction: the answers (a detractor's issue opens by itself) and the issues raised.
  absl::Status Listen(size_t i, const std::string& survey_id) {
    const DemoCustomer& customer = organisation_.customers[i];
    for (size_t a = 0; a < customer.answers.size(); ++a) {
      crm::v1::RecordResponseRequest answer;
      answer.set_request_id(RequestId("answer", i, a));
      answer.set_survey_id(survey_id);
      answer.set_customer_id(ids_.customers[i]);
      answer.set_person_id(ids_.persons[i][customer.answers[a].person]);
      answer.set_score(customer.answers[a].score);
      answer.set_channel(crm::v1::RESPONSE_CHANNEL_WEB);
      RETURN_IF_ERROR(
          clients_.Call(*clients_.satisfaction, &SatisfactionStub::RecordResponse, answer)
              .status());
    }
    for (size_t k = 0; k < customer.issues.size(); ++k) {
      const DemoIssue& issue = customer.issues[k];
      crm::v1::RaiseIssueRequest raise;
      raise.set_request_id(RequestId("issue", i, k));
      raise.set_customer_id(ids_.customers[i]);
      raise.set_person_id(ids_.persons[i][issue.person]);
      raise.set_category(issue.category);
      raise.set_severity(issue.severity);
      raise.set_text(issue.text);
      ASSIGN_OR_RETURN(auto raised,
                       clients_.Call(*clients_.satisfaction, &SatisfactionStub::RaiseIssue, raise));
      if (!issue.resolved) continue;
      crm::v1::AcknowledgeIssueRequest acknowledge;
      acknowledge.set_request_id(RequestId("acknowledge", i, k));
      acknowledge.set_issue_id(raised.issue().issue_id());
      RETURN_IF_ERROR(
          clients_.Call(*clients_.satisfaction, &SatisfactionStub::AcknowledgeIssue, acknowledge)
              .status());
      crm::v1::ResolveIssueRequest resolve;
      resolve.set_request_id(RequestId("resolve", i, k));
      resolve.set_issue_id(raised.issue().issue_id());
      resolve.set_resolution("Fixed and explained to the customer");
      RETURN_IF_ERROR(
          clients_.Call(*clients_.satisfaction, &SatisfactionStub::ResolveIssue, resolve).status());
    }
    Count(&DemoLoadResult::answers, static_cast<int64_t>(customer.answers.size()));
    Count(&DemoLoadResult::issues, static_cast<int64_t>(customer.issues.size()));
    return absl::OkStatus();
  }

  // Tiering: the current model published again as this demo's version, made current.
  absl::Status PublishModel() {
    ASSIGN_OR_RETURN(auto current, clients_.Call(*clients_.tiering, &TieringStub::GetModel,
                                                 crm::v1::GetModelRequest()));
    const std::string version = absl::StrCat("demo-", organisation_.seed);
    if (current.model().version() == version) return absl::OkStatus();
    crm::v1::PublishModelRequest publish;
    publish.set_request_id(RequestId("model", 0));
    *publish.mutable_model() = current.model();
    publish.mutable_model()->set_version(version);
    publish.set_make_current(true);
    return clients_.Call(*clients_.tiering, &TieringStub::PublishModel, publish).status();
  }

  absl::Status RecordInputs(size_t i, const std::vector<std::pair<std::string, double>>& inputs,
                            std::string_view what) {
    crm::v1::RecordInputsRequest record;
    record.set_request_id(RequestId(what, i));
    record.set_customer_id(ids_.customers[i]);
    record.set_fiscal_year(organisation_.fiscal_year);
    for (const auto& [factor, value] : inputs) {
      crm::v1::FactorInput& input = *record.add_inputs();
      input.set_factor_id(factor);
      input.set_value(value);
    }
    return clients_.Call(*clients_.tiering, &TieringStub::RecordInputs, record).status();
  }

  // An evaluation covers the customers tiering has heard of from the registry's events,
  // which arrive a little after the registration. A preview shows whether it has: the
  // relationship's length, derived from the registration, is no longer missing.
  absl::Status AwaitTieringKnows(size_t i) {
    crm::v1::PreviewEvaluationRequest preview;
    preview.set_customer_id(ids_.customers[i]);
    preview.set_fiscal_year(organisation_.fiscal_year);
    const absl::Time give_up = absl::Now() + absl::Seconds(60);
    for (;;) {
      ASSIGN_OR_RETURN(auto answer,
                       clients_.Call(*clients_.tiering, &TieringStub::PreviewEvaluation, preview));
      bool told = true;  // a model without the factor cannot tell: go on
      for (const auto& factor : answer.score_card().factors()) {
        if (factor.factor_id() == "relationship_length") told = !factor.missing();
      }
      if (told) return absl::OkStatus();
      if (absl::Now() > give_up) {
        return absl::DeadlineExceededError(absl::StrCat("tiering has not heard of customer ",
                                                        ids_.customers[i], " within a minute"));
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
  }

  absl::StatusOr<crm::v1::EvaluationRun> Evaluate(int number) {
    crm::v1::RunEvaluationRequest run;
    run.set_request_id(RequestId("run", static_cast<size_t>(number)));
    run.set_run_id(
        absl::StrCat("demo-", organisation_.seed, "-fy", organisation_.fiscal_year, "-", number));
    run.set_fiscal_year(organisation_.fiscal_year);
    Progress progress(absl::StrCat("evaluation ", number), 1);
    ASSIGN_OR_RETURN(auto evaluated,
                     clients_.Call(*clients_.tiering, &TieringStub::RunEvaluation, run));
    progress.Advance();
    return evaluated.run();
  }

  // After the first evaluation: some customers are lost (with or without a churn reason
  // on record), some see their business fall away.
  absl::Status Turn(size_t i) {
    const DemoCustomer& customer = organisation_.customers[i];
    if (customer.turn == DemoTurn::kCollapses) {
      std::vector<std::pair<std::string, double>> fallen = customer.inputs;
      for (auto& [factor, value] : fallen) value = factor == "payment_record" ? value : 0;
      return RecordInputs(i, fallen, "collapse");
    }
    if (customer.turn != DemoTurn::kChurns) return absl::OkStatus();
    crm::v1::ChangeLifecycleRequest churn;
    churn.set_request_id(RequestId("churn", i));
    churn.set_customer_id(ids_.customers[i]);
    churn.set_status(crm::v1::LIFECYCLE_STATUS_CHURNED);
    churn.set_reason("Did not renew the frame contract");
    RETURN_IF_ERROR(
        clients_.Call(*clients_.registry, &RegistryStub::ChangeLifecycle, churn).status());
    if (!customer.churn_reason_recorded) return absl::OkStatus();
    crm::v1::RecordChurnReasonRequest reason;
    reason.set_request_id(RequestId("churn-reason", i));
    reason.set_customer_id(ids_.customers[i]);
    reason.set_category(customer.churn_category);
    reason.set_text("Retrospective with the account team");
    return clients_.Call(*clients_.satisfaction, &SatisfactionStub::RecordChurnReason, reason)
        .status();
  }

  const DemoOrganisation& organisation_;
  const ServiceClients& clients_;
  const int workers_;
  AssignedIds ids_;
  absl::Mutex mutex_;
  DemoLoadResult result_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace

absl::StatusOr<DemoLoadResult> LoadDemoOrganisation(const DemoOrganisation& organisation,
                                                    const ServiceClients& clients,
                                                    int parallel_calls) {
  return Loader(organisation, clients, std::max(parallel_calls, 1)).Load();
}

}  // namespace crm::crmctl
