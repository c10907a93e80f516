#include "crm/runtime/partition_router.h"

#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "crm/kafka/partitioner.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/grpc_status.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"

namespace crm::runtime {
namespace {

std::string BytesOf(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

grpc::ByteBuffer BufferOf(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

// What a forwarded call keeps of the caller's: its deadline, its credentials and its
// correlation id; transport headers stay behind. The headers that claim an identity
// (x-crm-principal, -role, -regions) pass only when `pass_claimed_identity`: a task's
// in-process server has no transport to verify a token, so a claimed identity would be
// taken as it stands there.
void CarryOver(const grpc::GenericCallbackServerContext& from, bool pass_claimed_identity,
               grpc::ClientContext& to) {
  to.set_deadline(from.deadline());
  for (const auto& [key, value] : from.client_metadata()) {
    const std::string_view name(key.data(), key.size());
    const bool claims_identity =
        name == kPrincipalHeader || name == kRoleHeader || name == kRegionsHeader;
    if (name == "authorization" || (name.starts_with("x-crm-") && !claims_identity) ||
        (claims_identity && pass_claimed_identity)) {
      to.AddMetadata(std::string(name), std::string(value.data(), value.size()));
    }
  }
}

// One call through the router: read the request, forward it to one partition's task or to
// all of them, write back the reply. Deletes itself when gRPC is done with it.
class RoutedCall final : public grpc::ServerGenericBidiReactor {
 public:
  RoutedCall(grpc::GenericCallbackServerContext* context, const PartitionRouter::Resolved* route,
             const std::vector<std::unique_ptr<grpc::GenericStub>>& partitions,
             bool pass_claimed_identity)
      : context_(*context),
        route_(route),
        partitions_(partitions),
        pass_claimed_identity_(pass_claimed_identity) {
    if (route_ == nullptr) {
      Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                          absl::StrCat("no route for ", context->method())));
      return;
    }
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the call carried no request"));
      return;
    }
    const auto partition_count = static_cast<int32_t>(partitions_.size());
    switch (route_->kind) {
      case Route::Kind::kByKey: {
        absl::StatusOr<std::string> key =
            ReadStringField(BytesOf(request_), route_->key_field_number);
        if (!key.ok()) {
          Finish(ToGrpcStatus(key.status()));
          return;
        }
        // A request without its key goes to partition 0, whose checks name the field.
        Forward({key->empty() ? 0 : kafka::KeyPartition(*key, partition_count)});
        return;
      }
      case Route::Kind::kSettings:
        Forward({kafka::KeyPartition(route_->settings_key, partition_count)});
        return;
      case Route::Kind::kAcrossPartitions: {
        std::vector<int32_t> all(partitions_.size());
        for (int32_t p = 0; p < partition_count; ++p) all[p] = p;
        Forward(all);
        return;
      }
    }
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
    for (const auto& call : calls_) call->TryCancel();
  }

  void OnDone() override { delete this; }

 private:
  // Asks each of `targets` and answers once all have: the one reply, or the merger's of
  // all of them; the first failure otherwise.
  void Forward(const std::vector<int32_t>& targets) {
    replies_.resize(targets.size());
    statuses_.resize(targets.size());
    remaining_.store(targets.size());
    std::vector<grpc::ClientContext*> calls;
    {
      absl::MutexLock lock(&mu_);
      for (size_t i = 0; i < targets.size(); ++i) {
        calls_.push_back(std::make_unique<grpc::ClientContext>());
        CarryOver(context_, pass_claimed_identity_, *calls_.back());
        if (cancelled_) calls_.back()->TryCancel();
        calls.push_back(calls_.back().get());
      }
    }
    for (size_t i = 0; i < targets.size(); ++i) {
      partitions_[targets[i]]->UnaryCall(calls[i], std::string(context_.method()),
                                         grpc::StubOptions(), &request_, &replies_[i],
                                         [this, i](grpc::Status status) {
                                           statuses_[i] = std::move(status);
                                           if (remaining_.fetch_sub(1) == 1) Answer();
                                         });
    }
  }

  void Answer() {
    for (const grpc::Status& status : statuses_) {
      if (!status.ok()) {
        Finish(status);
        return;
      }
    }
    if (route_->kind != Route::Kind::kAcrossPartitions) {
      StartWriteAndFinish(&replies_.front(), grpc::WriteOptions(), grpc::Status::OK);
      return;
    }
    std::vector<std::string> replies;
    replies.reserve(replies_.size());
    for (const grpc::ByteBuffer& reply : replies_) replies.push_back(BytesOf(reply));
    absl::StatusOr<std::string> merged = (*route_->merger)(BytesOf(request_), replies);
    if (!merged.ok()) {
      Finish(ToGrpcStatus(merged.status()));
      return;
    }
    merged_ = BufferOf(*merged);
    StartWriteAndFinish(&merged_, grpc::WriteOptions(), grpc::Status::OK);
  }

  const grpc::GenericCallbackServerContext& context_;
  const PartitionRouter::Resolved* route_;
  const std::vector<std::unique_ptr<grpc::GenericStub>>& partitions_;
  const bool pass_claimed_identity_;
  grpc::ByteBuffer request_;
  std::vector<grpc::ByteBuffer> replies_;
  std::vector<grpc::Status> statuses_;
  std::atomic<size_t> remaining_{0};
  grpc::ByteBuffer merged_;
  absl::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::unique_ptr<grpc::ClientContext>> calls_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

absl::StatusOr<std::unique_ptr<PartitionRouter>> PartitionRouter::Create(
    std::vector<RoutedService> services,
    const std::vector<std::shared_ptr<grpc::Channel>>& partitions, RouterOptions options) {
  if (partitions.empty()) return absl::InvalidArgumentError("a router needs a partition");
  std::unique_ptr<PartitionRouter> router(new PartitionRouter());
  router->options_ = options;
  router->services_ = std::move(services);
  for (const std::shared_ptr<grpc::Channel>& channel : partitions) {
    router->partitions_.push_back(std::make_unique<grpc::GenericStub>(channel));
  }
  for (const RoutedService& routed : router->services_) {
    if (absl::Status fits = CheckRoutes(*routed.service, routed.routes); !fits.ok()) return fits;
    for (const auto& [name, route] : routed.routes) {
      Resolved resolved{.kind = route.kind, .settings_key = routed.settings_key};
      const google::protobuf::MethodDescriptor& method = *routed.service->FindMethodByName(name);
      if (route.kind == Route::Kind::kByKey) {
        resolved.key_field_number = method.input_type()->FindFieldByName(route.key_field)->number();
      }
      if (route.kind == Route::Kind::kAcrossPartitions) {
        const auto merger = routed.mergers.find(name);
        if (merger == routed.mergers.end()) {
          return absl::FailedPreconditionError(
              absl::StrCat(name, " is routed across partitions but has no merger"));
        }
        resolved.merger = &merger->second;
      }
      router->methods_.emplace(absl::StrCat("/", routed.service->full_name(), "/", name),
                               std::move(resolved));
    }
  }
  return router;
}

grpc::ServerGenericBidiReactor* PartitionRouter::CreateReactor(
    grpc::GenericCallbackServerContext* context) {
  const auto method = methods_.find(context->method());
  return new RoutedCall(context, method == methods_.end() ? nullptr : &method->second, partitions_,
                        options_.pass_claimed_identity);
}

}  // namespace crm::runtime
