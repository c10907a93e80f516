// crmctl: a command-line client for every RPC of the backend. Requests are JSON (the
// proto3 JSON mapping); answers are printed for people (values by path, lists as tables;
// see readable.h), or with --json as JSON and with --text as protobuf text.
//
// Exit codes: 0 when the call succeeded; the gRPC status code (1..16: 3 INVALID_ARGUMENT,
// 5 NOT_FOUND, 6 ALREADY_EXISTS, 7 PERMISSION_DENIED, 9 FAILED_PRECONDITION,
// 14 UNAVAILABLE, …) when it failed, with the status and its message (which names the
// field) on stderr; 64 for a wrong command line and 65 for a request that is not JSON of
// the method's request type.
//
//   crmctl registry                         # lists the registry's methods
//   crmctl registry RegisterCustomer '{"summary": {"legal_name": "Acme", "region": "emea"}}'
//   echo '{"customer_id": "cus_…"}' | crmctl --json registry GetCustomer -
//   crmctl engagement GetCoverage '{"customer_id": "cus_…", "window_days": 30}'
//   crmctl satisfaction GetNps '{"scope": {"region": "emea"}}'
//   crmctl tiering PreviewEvaluation '{"customer_id": "cus_…", "fiscal_year": 2026}'
//   crmctl demo --seed=7 --customers=2000   # a synthetic organisation, through the APIs
//   crmctl report --html=report.html        # tier pyramid, NPS per tier, overdue, churn
//
// A request with a request_id field gets a fresh UUID when it has none, so a command typed
// twice is two commands; pass "request_id" yourself to retry one safely.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "crm/base/ids.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/settings.h"
#include "crm/security/transport.h"
#include "crm/v1/engagement.grpc.pb.h"
#include "crm/v1/registry.grpc.pb.h"
#include "crm/v1/satisfaction.grpc.pb.h"
#include "crm/v1/tiering.grpc.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/impl/codegen/client_unary_call.h"
#include "grpcpp/impl/codegen/rpc_method.h"
#include "readable.h"
#include "whole_system_commands.h"

namespace {

using google::protobuf::Message;
using google::protobuf::ServiceDescriptor;

constexpr int kUsageError = 64;      // sysexits' EX_USAGE
constexpr int kBadRequestData = 65;  // EX_DATAERR

enum class Format { kReadable, kJson, kText };

struct Options {
  std::string address;
  Format format = Format::kReadable;
  std::string principal;
  std::string role;
  std::string correlation_id;
  int timeout_seconds = 30;
  // TLS and the bearer token (crm/security/transport.h).
  crm::security::ClientSecurity security;
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  crm::crmctl::WholeSystemOptions whole_system;
};

// The services crmctl knows, by the short name used on the command line.
const std::map<std::string, const ServiceDescriptor*>& Services() {
  static const auto* services = new std::map<std::string, const ServiceDescriptor*>{
      {"registry", crm::v1::RegisterCustomerRequest::descriptor()->file()->FindServiceByName(
                       "RegistryService")},
      {"engagement",
       crm::v1::LogTouchpointRequest::descriptor()->file()->FindServiceByName("EngagementService")},
      {"satisfaction", crm::v1::RecordResponseRequest::descriptor()->file()->FindServiceByName(
                           "SatisfactionService")},
      {"tiering",
       crm::v1::RecordInputsRequest::descriptor()->file()->FindServiceByName("TieringService")},
  };
  return *services;
}

int Usage() {
  std::fprintf(stderr,
               "usage: crmctl [--addr=HOST:PORT] [--json|--text] [--principal=ID] [--role=ROLE]\n"
               "              [--correlation_id=ID] [--timeout_seconds=N]\n"
               "              [--tls_ca_file=PEM] [--token_file=FILE] SERVICE [METHOD [JSON|-]]\n"
               "       crmctl demo [--seed=N] [--customers=N] [--parallel=N] [--fiscal_year=Y]\n"
               "       crmctl report [--html=FILE] [--fiscal_year=Y]\n"
               "services:");
  for (const auto& [name, service] : Services()) std::fprintf(stderr, " %s", name.c_str());
  std::fprintf(stderr,
               "\nThe address defaults to CRM_<SERVICE>_ADDR or 127.0.0.1:<service port>;\n"
               "the caller to CRM_PRINCIPAL and CRM_ROLE (default: the user, admin), which\n"
               "only services running with --auth=off believe. Against services with\n"
               "authentication on, name their CA (--tls_ca_file or CRM_TLS_CA_FILE) and a\n"
               "bearer token (--token_file, CRM_TOKEN_FILE or CRM_TOKEN); CRM_TLS_CERT_FILE\n"
               "and CRM_TLS_KEY_FILE give a client certificate for mutual TLS.\n"
               "Exit codes: 0 done; 1..16 the call's gRPC status code; 64 usage; 65 a request\n"
               "that is not JSON of the method's request.\n");
  return kUsageError;
}

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

std::string DefaultAddress(const std::string& service) {
  std::string upper = service;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto& ports = crm::runtime::ServicePorts();
  auto port = ports.find(service);
  return EnvOr(absl::StrCat("CRM_", upper, "_ADDR").c_str(),
               absl::StrCat("127.0.0.1:", port == ports.end() ? 0 : port->second));
}

void ListMethods(const ServiceDescriptor& service) {
  for (int i = 0; i < service.method_count(); ++i) {
    const auto* method = service.method(i);
    std::printf("%-24s %s → %s\n", method->name().c_str(), method->input_type()->name().c_str(),
                method->output_type()->name().c_str());
  }
}

std::string ReadRequestText(const std::string& argument) {
  if (argument != "-") return argument;
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

int Call(const Options& options, const ServiceDescriptor& service, const std::string& method_name,
         const std::string& request_text) {
  const auto* method = service.FindMethodByName(method_name);
  if (method == nullptr) {
    std::fprintf(stderr, "crmctl: %s has no method %s; its methods:\n", service.name().c_str(),
                 method_name.c_str());
    ListMethods(service);
    return kUsageError;
  }
  const Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(method->input_type());
  std::unique_ptr<Message> request(prototype->New());
  google::protobuf::util::JsonParseOptions parse;
  if (auto parsed = google::protobuf::util::JsonStringToMessage(
          request_text.empty() ? "{}" : request_text, request.get(), parse);
      !parsed.ok()) {
    std::fprintf(stderr, "crmctl: the request is not a %s in JSON: %s\n",
                 method->input_type()->full_name().c_str(), std::string(parsed.message()).c_str());
    return kBadRequestData;
  }
  if (const auto* field = method->input_type()->FindFieldByName("request_id");
      field != nullptr && field->type() == google::protobuf::FieldDescriptor::TYPE_STRING &&
      request->GetReflection()->GetString(*request, field).empty()) {
    request->GetReflection()->SetString(request.get(), field, crm::NewUuid());
  }

  auto channel = grpc::CreateChannel(options.address, options.credentials);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(options.timeout_seconds));
  context.AddMetadata(crm::runtime::kPrincipalHeader, options.principal);
  context.AddMetadata(crm::runtime::kRoleHeader, options.role);
  if (!options.correlation_id.empty()) {
    context.AddMetadata(crm::runtime::kCorrelationHeader, options.correlation_id);
  }
  const std::string path = absl::StrCat("/", service.full_name(), "/", method->name());
  grpc::internal::RpcMethod rpc(path.c_str(), grpc::internal::RpcMethod::NORMAL_RPC, channel);
  std::unique_ptr<Message> response(google::protobuf::MessageFactory::generated_factory()
                                        ->GetPrototype(method->output_type())
                                        ->New());
  grpc::Status status = grpc::internal::BlockingUnaryCall<Message, Message>(
      channel.get(), rpc, &context, *request, response.get());
  if (!status.ok()) {
    // gRPC's codes are absl's.
    std::fprintf(
        stderr, "crmctl: %s: %s\n",
        absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())).c_str(),
        status.error_message().c_str());
    return static_cast<int>(status.error_code());
  }
  std::string out;
  if (options.format == Format::kReadable) {
    out = crm::crmctl::Readable(*response);
  } else if (options.format == Format::kJson) {
    google::protobuf::util::JsonPrintOptions print;
    print.preserve_proto_field_names = true;
    print.add_whitespace = true;
    (void)google::protobuf::util::MessageToJsonString(*response, &out, print);
  } else {
    google::protobuf::TextFormat::Printer printer;
    printer.SetUseUtf8StringEscaping(true);
    printer.PrintToString(*response, &out);
  }
  std::fputs(out.c_str(), stdout);
  if (!out.empty() && out.back() != '\n') std::fputc('\n', stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  options.principal = EnvOr("CRM_PRINCIPAL", EnvOr("USER", "crmctl"));
  options.role = EnvOr("CRM_ROLE", "admin");
  options.security = {.ca_file = EnvOr("CRM_TLS_CA_FILE", ""),
                      .cert_file = EnvOr("CRM_TLS_CERT_FILE", ""),
                      .key_file = EnvOr("CRM_TLS_KEY_FILE", ""),
                      .token = EnvOr("CRM_TOKEN", ""),
                      .token_file = EnvOr("CRM_TOKEN_FILE", "")};
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value_of = [&](const std::string& flag) -> const char* {
      return arg.rfind(flag + "=", 0) == 0 ? argv[i] + flag.size() + 1 : nullptr;
    };
    if (arg == "--json") {
      options.format = Format::kJson;
    } else if (arg == "--text") {
      options.format = Format::kText;
    } else if (const char* v = value_of("--addr")) {
      options.address = v;
    } else if (const char* v = value_of("--principal")) {
      options.principal = v;
    } else if (const char* v = value_of("--role")) {
      options.role = v;
    } else if (const char* v = value_of("--correlation_id")) {
      options.correlation_id = v;
    } else if (const char* v = value_of("--timeout_seconds")) {
      options.timeout_seconds = std::atoi(v);
    } else if (const char* v = value_of("--tls_ca_file")) {
      options.security.ca_file = v;
    } else if (const char* v = value_of("--token_file")) {
      options.security.token_file = v;
      options.security.token.clear();
    } else if (const char* v = value_of("--seed")) {
      options.whole_system.seed = std::strtoull(v, nullptr, 10);
    } else if (const char* v = value_of("--customers")) {
      options.whole_system.customers = std::atoi(v);
    } else if (const char* v = value_of("--parallel")) {
      options.whole_system.parallel_calls = std::atoi(v);
    } else if (const char* v = value_of("--fiscal_year")) {
      options.whole_system.fiscal_year = std::atoi(v);
    } else if (const char* v = value_of("--html")) {
      options.whole_system.html_path = v;
    } else if (arg == "--help" || arg == "-h") {
      Usage();
      return 0;
    } else if (arg.rfind("--", 0) == 0) {
      std::fprintf(stderr, "crmctl: unknown flag %s\n", arg.c_str());
      return Usage();
    } else {
      args.push_back(arg);
    }
  }
  if (args.empty() || args.size() > 3) return Usage();
  auto credentials = crm::security::ChannelCredentialsFor(options.security);
  if (!credentials.ok()) {
    std::fprintf(stderr, "crmctl: %s\n", std::string(credentials.status().message()).c_str());
    return kUsageError;
  }
  options.credentials = *credentials;
  if (args[0] == "demo" || args[0] == "report") {
    if (args.size() != 1) return Usage();
    options.whole_system.address_of = DefaultAddress;
    options.whole_system.principal = options.principal;
    options.whole_system.role = options.role;
    options.whole_system.credentials = options.credentials;
    if (args[0] == "demo") {
      if (options.whole_system.customers < 1 || options.whole_system.parallel_calls < 1) {
        std::fprintf(stderr, "crmctl: --customers and --parallel must be at least 1\n");
        return kUsageError;
      }
      return crm::crmctl::RunDemo(options.whole_system);
    }
    return crm::crmctl::RunReport(options.whole_system);
  }
  auto service = Services().find(args[0]);
  if (service == Services().end()) {
    std::fprintf(stderr, "crmctl: unknown service %s\n", args[0].c_str());
    return Usage();
  }
  if (args.size() == 1) {
    ListMethods(*service->second);
    return 0;
  }
  if (options.address.empty()) options.address = DefaultAddress(args[0]);
  return Call(options, *service->second, args[1], args.size() == 3 ? ReadRequestText(args[2]) : "");
}
