#include "section_rules.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "crm/base/field_errors.h"
#include "crm/base/status_macros.h"

namespace crm::registry::internal {
namespace {

constexpr size_t kMaxText = 4000;
constexpr size_t kMaxNotes = 20000;
constexpr int kMaxItems = 100;
constexpr int kBasisPoints = 10000;

absl::Status CheckText(std::string_view field, const std::string& text, size_t limit = kMaxText) {
  if (Utf8Length(text) > limit) {
    return Invalid(field, absl::StrCat("is longer than ", limit, " characters"));
  }
  return absl::OkStatus();
}

absl::Status CheckMoney(std::string_view field, const crm::v1::Money& money,
                        std::string& currency) {
  if (money.currency_code().empty() && money.minor_units() == 0) return absl::OkStatus();
  const std::string& code = money.currency_code();
  if (code.size() != 3 || !absl::ascii_isupper(code[0]) || !absl::ascii_isupper(code[1]) ||
      !absl::ascii_isupper(code[2])) {
    return Invalid(absl::StrCat(std::string(field), ".currency_code"),
                   "must be an ISO 4217 code such as \"CNY\"");
  }
  if (!currency.empty() && currency != code) {
    return Invalid(absl::StrCat(std::string(field), ".currency_code"),
                   absl::StrCat("must be ", currency, " like the other amounts of the year"));
  }
  currency = code;
  return absl::OkStatus();
}

absl::Status ValidateEnvironment(const crm::v1::EnvironmentSection& s) {
  for (const auto& [field, text] :
       {std::pair<const char*, const std::string*>{"environment.macro_environment",
                                                   &s.macro_environment()},
        {"environment.industry_environment", &s.industry_environment()},
        {"environment.customer_environment", &s.customer_environment()},
        {"environment.competition", &s.competition()},
        {"environment.ourselves", &s.ourselves()},
        {"environment.entry_barriers", &s.entry_barriers()},
        {"environment.threat_of_substitutes", &s.threat_of_substitutes()},
        {"environment.bargaining_power", &s.bargaining_power()},
        {"environment.rivalry", &s.rivalry()}}) {
    RETURN_IF_ERROR(CheckText(field, *text));
  }
  if (s.competitors_size() > kMaxItems) {
    return Invalid("environment.competitors",
                   absl::StrCat("has more than ", kMaxItems, " entries"));
  }
  int total = 0;
  for (int i = 0; i < s.competitors_size(); ++i) {
    const std::string field = absl::StrCat("environment.competitors[", i, "]");
    const crm::v1::CompetitorPresence& c = s.competitors(i);
    if (c.name().empty()) return Invalid(field + ".name", "is required");
    if (c.share_basis_points() < 0 || c.share_basis_points() > kBasisPoints) {
      return Invalid(field + ".share_basis_points", "must be from 0 to 10000");
    }
    total += c.share_basis_points();
  }
  if (total > kBasisPoints) {
    return Invalid("environment.competitors", "shares add up to more than 10000 basis points");
  }
  return absl::OkStatus();
}

absl::Status ValidateStrategy(const crm::v1::StrategySection& s) {
  RETURN_IF_ERROR(CheckText("strategy.ceo_focus", s.ceo_focus()));
  RETURN_IF_ERROR(CheckText("strategy.business_strategy", s.business_strategy()));
  RETURN_IF_ERROR(CheckText("strategy.public_relations_strategy", s.public_relations_strategy()));
  if (s.pain_points_size() > kMaxItems) {
    return Invalid("strategy.pain_points", absl::StrCat("has more than ", kMaxItems, " entries"));
  }
  for (int i = 0; i < s.pain_points_size(); ++i) {
    const std::string field = absl::StrCat("strategy.pain_points[", i, "]");
    if (s.pain_points(i).title().empty()) return Invalid(field + ".title", "is required");
    if (s.pain_points(i).severity() < 1 || s.pain_points(i).severity() > 5) {
      return Invalid(field + ".severity", "must be from 1 to 5");
    }
    RETURN_IF_ERROR(CheckText(field + ".description", s.pain_points(i).description()));
  }
  return absl::OkStatus();
}

absl::Status ValidateFinance(const crm::v1::FinanceYear& f) {
  if (f.fiscal_year() < 1900 || f.fiscal_year() > 2200) {
    return Invalid("finance.fiscal_year", "must be a year from 1900 to 2200");
  }
  std::string currency;
  RETURN_IF_ERROR(CheckMoney("finance.revenue", f.revenue(), currency));
  RETURN_IF_ERROR(CheckMoney("finance.profit", f.profit(), currency));
  RETURN_IF_ERROR(CheckMoney("finance.relevant_spend", f.relevant_spend(), currency));
  RETURN_IF_ERROR(CheckMoney("finance.net_profit", f.net_profit(), currency));
  RETURN_IF_ERROR(CheckMoney("finance.service_cost", f.service_cost(), currency));
  return absl::OkStatus();
}

absl::Status ValidateSwot(const crm::v1::SwotSection& s) {
  for (const auto& [field, items] :
       {std::pair<const char*, const google::protobuf::RepeatedPtrField<std::string>*>{
            "swot.strengths", &s.strengths()},
        {"swot.weaknesses", &s.weaknesses()},
        {"swot.opportunities", &s.opportunities()},
        {"swot.threats", &s.threats()}}) {
    if (items->size() > kMaxItems) {
      return Invalid(field, absl::StrCat("has more than ", kMaxItems, " entries"));
    }
    for (const std::string& item : *items) {
      if (item.empty()) return Invalid(field, "holds an empty entry");
      RETURN_IF_ERROR(CheckText(field, item));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateSupplierView(const crm::v1::SupplierViewSection& s) {
  RETURN_IF_ERROR(CheckText("supplier_view.selection_criteria", s.selection_criteria()));
  if (s.supplier_count() < 0 || s.supplier_count() > 1000) {
    return Invalid("supplier_view.supplier_count", "must be from 0 to 1000");
  }
  if (s.our_wallet_share_basis_points() < 0 || s.our_wallet_share_basis_points() > kBasisPoints) {
    return Invalid("supplier_view.our_wallet_share_basis_points", "must be from 0 to 10000");
  }
  if (s.competitor_positions_size() > kMaxItems) {
    return Invalid("supplier_view.competitor_positions",
                   absl::StrCat("has more than ", kMaxItems, " entries"));
  }
  for (int i = 0; i < s.competitor_positions_size(); ++i) {
    if (s.competitor_positions(i).supplier().empty()) {
      return Invalid(absl::StrCat("supplier_view.competitor_positions[", i, "].supplier"),
                     "is required");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateSection(const crm::v1::ArchiveSectionUpdated& update) {
  using Section = crm::v1::ArchiveSectionUpdated;
  switch (update.section_case()) {
    case Section::kEnvironment:
      return ValidateEnvironment(update.environment());
    case Section::kStrategy:
      return ValidateStrategy(update.strategy());
    case Section::kFinance:
      return ValidateFinance(update.finance());
    case Section::kOrganisation:
      for (const auto& [field, text] :
           {std::pair<const char*, const std::string*>{"organisation.structure",
                                                       &update.organisation().structure()},
            {"organisation.procurement_pattern", &update.organisation().procurement_pattern()},
            {"organisation.procurement_process", &update.organisation().procurement_process()}}) {
        if (absl::Status s = CheckText(field, *text); !s.ok()) return s;
      }
      return absl::OkStatus();
    case Section::kSwot:
      return ValidateSwot(update.swot());
    case Section::kSupplierView:
      return ValidateSupplierView(update.supplier_view());
    case Section::kNotes:
      return CheckText("notes", update.notes(), kMaxNotes);
    case Section::SECTION_NOT_SET:
      break;
  }
  return Invalid("section", "must name the section to update");
}

absl::Status ValidateKeyDate(const crm::v1::KeyDate& date) {
  if (date.title().empty()) return Invalid("date.title", "is required");
  if (Utf8Length(date.title()) > 200) return Invalid("date.title", "is longer than 200 characters");
  if (date.month() < 1 || date.month() > 12) return Invalid("date.month", "must be from 1 to 12");
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (date.day() < 1 || date.day() > kDays[date.month() - 1]) {
    return Invalid("date.day", absl::StrCat("must be a day of month ", date.month()));
  }
  if (date.year() != 0) {
    if (date.year() < 1900 || date.year() > 2200) {
      return Invalid("date.year", "must be 0 (every year) or a year from 1900 to 2200");
    }
    const bool leap = (date.year() % 4 == 0 && date.year() % 100 != 0) || date.year() % 400 == 0;
    if (date.month() == 2 && date.day() == 29 && !leap) {
      return Invalid("date.day", absl::StrCat(date.year(), " has no 29 February"));
    }
  }
  if (date.remind_days_before() < 0 || date.remind_days_before() > 365) {
    return Invalid("date.remind_days_before", "must be from 0 to 365");
  }
  return absl::OkStatus();
}

absl::Status ValidateProfile(const crm::v1::PersonalProfile& profile) {
  struct Text {
    const char* field;
    const std::string& value;
    size_t limit;
  };
  const Text texts[] = {{"profile.gender", profile.gender(), 50},
                        {"profile.education", profile.education(), 1000},
                        {"profile.home_address", profile.home_address(), 500},
                        {"profile.family", profile.family(), 2000},
                        {"profile.religion", profile.religion(), 100}};
  for (const Text& text : texts) {
    if (Utf8Length(text.value) > text.limit) {
      return Invalid(text.field, absl::StrCat("is longer than ", text.limit, " characters"));
    }
  }
  if (profile.birth_year() != 0 && (profile.birth_year() < 1900 || profile.birth_year() > 2200)) {
    return Invalid("profile.birth_year", "must be 0 (unknown) or a year from 1900 to 2200");
  }
  const std::pair<const char*, const google::protobuf::RepeatedPtrField<std::string>*> lists[] = {
      {"profile.hobbies", &profile.hobbies()}, {"profile.taboos", &profile.taboos()}};
  for (const auto& [field, items] : lists) {
    if (items->size() > 50) return Invalid(field, "has more than 50 items");
    for (int i = 0; i < items->size(); ++i) {
      if (Utf8Length(items->Get(i)) > 200) {
        return Invalid(absl::StrCat(field, "[", i, "]"), "is longer than 200 characters");
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace crm::registry::internal
