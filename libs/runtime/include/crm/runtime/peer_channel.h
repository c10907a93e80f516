// The channel a service opens to another service (engagement, satisfaction and tiering ask
// the registry of customers their projection lacks yet).
//
// gRPC's default reconnect backoff grows to two minutes, so after the peer restarts (a
// rolling update, a crash) calls could fail as UNAVAILABLE long after it is back. This
// channel retries its connection at most a second apart; with `wait_for_ready` on a call,
// a call made meanwhile waits for the peer up to its deadline instead of failing at once.
#pragma once

#include <memory>
#include <string>

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace crm::runtime {

inline std::shared_ptr<grpc::Channel> PeerChannel(
    const std::string& address, const std::shared_ptr<grpc::ChannelCredentials>& credentials) {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 1000);
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  // GRPC_ARG_MIN_RECONNECT_BACKOFF_MS stays at its default: it is also the time a connection
  // attempt is given, and with a second, TLS connections to a peer that was down never
  // came up again (the secured end-to-end test shows it).
  return grpc::CreateCustomChannel(address, credentials, arguments);
}

}  // namespace crm::runtime
