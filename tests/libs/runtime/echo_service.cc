#include "echo_service.h"

#include "absl/time/clock.h"
#include "crm/runtime/grpc_status.h"

namespace crm::testing {

grpc::Status EchoServiceImpl::Echo(grpc::ServerContext*,
                                   const crm::testing::v1::EchoRequest* request,
                                   crm::testing::v1::EchoResponse* response) {
  if (request->message().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "message must not be empty");
  }
  if (request->delay_ms() > 0) {
    if (on_delayed_) on_delayed_();
    absl::SleepFor(absl::Milliseconds(request->delay_ms()));
  }
  if (store_ != nullptr) {
    crm::testing::v1::NoteRecorded note;
    note.set_text(request->message());
    eventstore::AppendRequest append{.stream_id = "echo", .customer_id = "cus_echo"};
    append.events.push_back(eventstore::NewEvent::From(note));
    append.topic = topic_;
    auto result = store_->Append(std::move(append));
    if (!result.ok()) return runtime::ToGrpcStatus(result.status());
  }
  response->set_message(request->message());
  return grpc::Status::OK;
}

}  // namespace crm::testing
