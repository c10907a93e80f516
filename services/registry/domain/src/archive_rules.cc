#include "crm/registry/archive_rules.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "crm/base/field_errors.h"

namespace crm::registry {
namespace {

constexpr size_t kMaxLegalName = 200;
constexpr size_t kMaxShortName = 100;
constexpr size_t kMaxFreeText = 200;
constexpr size_t kMaxTeam = 50;

// Full-width punctuation common in Chinese legal names: （）【】，。、·
bool IsFullWidthPunctuation(std::string_view text, size_t at, size_t* length) {
  static constexpr std::string_view kMarks[] = {"（", "）", "【", "】", "，", "。", "、", "·"};
  for (std::string_view mark : kMarks) {
    if (text.substr(at, mark.size()) == mark) {
      *length = mark.size();
      return true;
    }
  }
  return false;
}

bool IsRegionCode(std::string_view region) {
  if (region.empty() || region.size() > 32) return false;
  for (char c : region) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '-') {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string NormalizeLegalName(std::string_view legal_name) {
  std::string out;
  out.reserve(legal_name.size());
  bool pending_space = false;
  for (size_t i = 0; i < legal_name.size();) {
    const auto c = static_cast<unsigned char>(legal_name[i]);
    size_t mark_length = 0;
    if (absl::ascii_isspace(c)) {
      pending_space = !out.empty();
      ++i;
    } else if (c < 0x80 && absl::ascii_ispunct(c)) {
      ++i;
    } else if (c >= 0x80 && IsFullWidthPunctuation(legal_name, i, &mark_length)) {
      i += mark_length;
    } else {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(static_cast<char>(absl::ascii_tolower(c)));
      ++i;
    }
  }
  return out;
}

absl::Status ValidateSummary(const crm::v1::CustomerSummary& summary) {
  if (NormalizeLegalName(summary.legal_name()).empty()) {
    return Invalid("summary.legal_name", "is required");
  }
  if (Utf8Length(summary.legal_name()) > kMaxLegalName) {
    return Invalid("summary.legal_name",
                   absl::StrCat("is longer than ", kMaxLegalName, " characters"));
  }
  if (Utf8Length(summary.short_name()) > kMaxShortName) {
    return Invalid("summary.short_name",
                   absl::StrCat("is longer than ", kMaxShortName, " characters"));
  }
  if (!IsRegionCode(summary.region())) {
    return Invalid("summary.region", "is required: a lower-case code of a-z, 0-9 and '-'");
  }
  const std::string& country = summary.country_code();
  if (!country.empty() && (country.size() != 2 || !absl::ascii_isupper(country[0]) ||
                           !absl::ascii_isupper(country[1]))) {
    return Invalid("summary.country_code", "must be an ISO 3166-1 alpha-2 code such as \"CN\"");
  }
  for (const auto& [field, value] :
       {std::pair<std::string_view, const std::string*>{"summary.industry", &summary.industry()},
        {"summary.segment", &summary.segment()},
        {"summary.external_id", &summary.external_id()},
        {"summary.owner_id", &summary.owner_id()}}) {
    if (Utf8Length(*value) > kMaxFreeText) {
      return Invalid(field, absl::StrCat("is longer than ", kMaxFreeText, " characters"));
    }
  }
  // Names and ids become parts of index keys, which a NUL separates; no control character
  // belongs in them anyway.
  for (const auto& [field, value] : {std::pair<std::string_view, const std::string*>{
                                         "summary.legal_name", &summary.legal_name()},
                                     {"summary.external_id", &summary.external_id()},
                                     {"summary.owner_id", &summary.owner_id()},
                                     {"summary.industry", &summary.industry()}}) {
    if (std::any_of(value->begin(), value->end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
      return Invalid(field, "must not hold control characters");
    }
  }
  if (summary.team_member_ids_size() > static_cast<int>(kMaxTeam)) {
    return Invalid("summary.team_member_ids", absl::StrCat("has more than ", kMaxTeam, " members"));
  }
  for (const std::string& member : summary.team_member_ids()) {
    if (member.empty() || member.size() > kMaxFreeText) {
      return Invalid("summary.team_member_ids", "holds an empty or too long id");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckLifecycleTransition(crm::v1::LifecycleStatus from, crm::v1::LifecycleStatus to,
                                      std::string_view reason) {
  using crm::v1::LifecycleStatus;
  if (!crm::v1::LifecycleStatus_IsValid(to) || to == crm::v1::LIFECYCLE_STATUS_UNSPECIFIED) {
    return Invalid("status", "must be PROSPECT, ACTIVE, DORMANT or CHURNED");
  }
  auto allowed = [&] {
    switch (from) {
      case crm::v1::LIFECYCLE_STATUS_PROSPECT:
        return to == crm::v1::LIFECYCLE_STATUS_ACTIVE || to == crm::v1::LIFECYCLE_STATUS_CHURNED;
      case crm::v1::LIFECYCLE_STATUS_ACTIVE:
        return to == crm::v1::LIFECYCLE_STATUS_DORMANT || to == crm::v1::LIFECYCLE_STATUS_CHURNED;
      case crm::v1::LIFECYCLE_STATUS_DORMANT:
        return to == crm::v1::LIFECYCLE_STATUS_ACTIVE || to == crm::v1::LIFECYCLE_STATUS_CHURNED;
      case crm::v1::LIFECYCLE_STATUS_CHURNED:
        return to == crm::v1::LIFECYCLE_STATUS_ACTIVE;
      default:
        return false;
    }
  };
  if (!allowed()) {
    return absl::FailedPreconditionError(absl::StrCat("a customer cannot move from ",
                                                      crm::v1::LifecycleStatus_Name(from), " to ",
                                                      crm::v1::LifecycleStatus_Name(to)));
  }
  if (to == crm::v1::LIFECYCLE_STATUS_CHURNED &&
      absl::StripAsciiWhitespace(absl::string_view(reason.data(), reason.size())).empty()) {
    return Invalid("reason", "is required when a customer churns");
  }
  return absl::OkStatus();
}

}  // namespace crm::registry
