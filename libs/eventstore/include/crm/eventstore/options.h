// How an EventStore is opened.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "crm/base/clock.h"
#include "crm/eventstore/store_resources.h"

namespace crm::eventstore {

struct StoreOptions {
  // Directory of the RocksDB database; created when missing.
  std::string path;
  // Sync the write-ahead log before acknowledging an append (default). Off: an append
  // survives a crash of the process but not of the machine.
  bool sync = true;
  // Region stamped on every event.
  std::string region = "local";
  // Producing service, stamped as "crm/<service>/<region>" in every event's source.
  std::string service = "test";
  // Most appends gathered into one synced write (group commit).
  size_t max_group_size = 1024;
  // RocksDB block cache, in bytes, when the store has one of its own (`shared` unset).
  size_t block_cache_bytes = 256u << 20;
  // The block cache and write-buffer budget shared with the process's other stores; unset,
  // the store has a cache of its own and no budget beyond its own write buffers.
  std::shared_ptr<StoreResources> shared;
  // Time source for occurred_at; defaults to the system clock.
  const Clock* clock = nullptr;
  // Acknowledge a command only once Kafka has its events: the command path waits until the
  // relay has published them (EventStore::WaitForPublished). Off: once they are in the
  // store, and a lost volume loses what the relay had not published yet.
  bool acknowledge_when_published = false;
  // Longest a command then waits for its events to be published before it answers
  // UNAVAILABLE (the events stay recorded; a retry with its request id waits again).
  absl::Duration publication_timeout = absl::Seconds(10);
};

}  // namespace crm::eventstore
