#include "request_parse_errors.h"

#include <algorithm>
#include <deque>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "crm/log/logger.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/stubs/logging.h"

namespace crm::runtime::internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using grpc::experimental::InterceptionHookPoints;

// The full name of the last string field that failed UTF-8 validation while this thread
// parsed a message, as protobuf's log line named it.
thread_local std::optional<std::string> last_invalid_utf8_field;

// Protobuf 3.21 writes: String field 'crm.v1.CustomerSummary.legal_name' contains invalid
// UTF-8 data when parsing a protocol buffer. ...
std::optional<std::string> InvalidUtf8FieldOf(std::string_view message) {
  constexpr std::string_view kStart = "String field '";
  constexpr std::string_view kParsing = "contains invalid UTF-8 data when parsing";
  const size_t start = message.find(kStart);
  if (start == std::string_view::npos || message.find(kParsing) == std::string_view::npos) {
    return std::nullopt;
  }
  const size_t name = start + kStart.size();
  const size_t end = message.find('\'', name);
  if (end == std::string_view::npos) return std::nullopt;
  return std::string(message.substr(name, end - name));
}

void HandleProtobufLog(google::protobuf::LogLevel level, const char* filename, int line,
                       const std::string& message) {
  if (std::optional<std::string> field = InvalidUtf8FieldOf(message)) {
    last_invalid_utf8_field = std::move(field);
    // The caller's mistake, answered with INVALID_ARGUMENT: no error of ours.
    crm::log::Get("protobuf")->debug("{} ({}:{})", message, filename, line);
    return;
  }
  auto logger = crm::log::Get("protobuf");
  switch (level) {
    case google::protobuf::LOGLEVEL_INFO:
      logger->info("{} ({}:{})", message, filename, line);
      break;
    case google::protobuf::LOGLEVEL_WARNING:
      logger->warn("{} ({}:{})", message, filename, line);
      break;
    default:
      logger->error("{} ({}:{})", message, filename, line);
      break;
  }
}

// "/crm.v1.Registry/RegisterCustomer" -> the request type's descriptor, if it is known.
const Descriptor* RequestTypeOf(std::string_view method) {
  if (method.starts_with('/')) method.remove_prefix(1);
  std::string name(method);
  std::replace(name.begin(), name.end(), '/', '.');
  const auto* found = google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(name);
  return found == nullptr ? nullptr : found->input_type();
}

class RequestParseErrorsInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit RequestParseErrorsInterceptor(std::string method) : method_(std::move(method)) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // No message: the request arrived but did not parse.
      std::optional<std::string> field = std::exchange(last_invalid_utf8_field, std::nullopt);
      if (methods->GetRecvMessage() == nullptr) parse_error_ = ParseError(field);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS) &&
        parse_error_.has_value() && methods->GetSendStatus().error_code() == grpc::INTERNAL) {
      methods->ModifySendStatus(grpc::Status(grpc::INVALID_ARGUMENT, *parse_error_));
    }
    methods->Proceed();
  }

 private:
  std::string ParseError(const std::optional<std::string>& field) const {
    const Descriptor* request = RequestTypeOf(method_);
    const std::string type = request == nullptr ? std::string("request") : request->full_name();
    if (!field.has_value()) return absl::StrCat("the request is not a valid ", type);
    return absl::StrCat(FieldPathOf(type, *field), " must be valid UTF-8");
  }

  std::string method_;
  std::optional<std::string> parse_error_;
};

}  // namespace

void CaptureProtobufLogs() {
  static std::once_flag once;
  std::call_once(once, [] { google::protobuf::SetLogHandler(&HandleProtobufLog); });
}

std::string FieldPathOf(const std::string& request_type, const std::string& field_full_name) {
  const Descriptor* root =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(request_type);
  if (root == nullptr) return field_full_name;
  std::deque<std::pair<const Descriptor*, std::string>> pending = {{root, ""}};
  std::vector<const Descriptor*> seen = {root};
  while (!pending.empty()) {
    auto [type, prefix] = pending.front();
    pending.pop_front();
    for (int i = 0; i < type->field_count(); ++i) {
      const FieldDescriptor* field = type->field(i);
      std::string path = prefix.empty() ? field->name() : absl::StrCat(prefix, ".", field->name());
      if (field->full_name() == field_full_name) return path;
      const Descriptor* child = field->message_type();
      if (child != nullptr && std::find(seen.begin(), seen.end(), child) == seen.end()) {
        seen.push_back(child);
        pending.emplace_back(child, path);
      }
    }
  }
  return field_full_name;
}

grpc::experimental::Interceptor* RequestParseErrorsFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RequestParseErrorsInterceptor(info->method());
}

}  // namespace crm::runtime::internal
