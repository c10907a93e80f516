#include "support/rebuilt_stores.h"

#include "crm/v1/common.pb.h"
#include "gtest/gtest.h"

namespace crm::testing {

StoreContents ContentsOf(const eventstore::EventStore& store,
                         std::span<const std::string_view> tables) {
  StoreContents contents;
  std::map<std::string, bool> streams;
  std::vector<std::string> request_ids;
  EXPECT_TRUE(store
                  .ScanLog(1,
                           [&](uint64_t, std::string_view bytes) {
                             contents.log.emplace_back(bytes);
                             crm::v1::EventEnvelope envelope;
                             EXPECT_TRUE(envelope.ParseFromArray(bytes.data(), bytes.size()));
                             streams[envelope.metadata().stream_id()] = true;
                             if (request_ids.empty() ||
                                 request_ids.back() != envelope.metadata().request_id()) {
                               request_ids.push_back(envelope.metadata().request_id());
                             }
                             return true;
                           })
                  .ok());
  for (const auto& [stream, _] : streams) {
    auto head = store.LoadHead(stream);
    EXPECT_TRUE(head.ok()) << head.status();
    if (head.ok()) contents.heads[stream] = {head->version, head->state};
  }
  for (std::string_view table : tables) {
    auto& rows = contents.tables[std::string(table)];
    EXPECT_TRUE(store
                    .VisitRows(table, "", "",
                               [&](std::string_view key, std::string_view value) {
                                 rows.emplace(key, value);
                                 return true;
                               })
                    .ok());
  }
  for (const std::string& request_id : request_ids) {
    if (request_id.empty()) continue;
    auto found = store.FindRequest(request_id);
    EXPECT_TRUE(found.ok()) << found.status();
    if (found.ok() && found->has_value()) contents.replies[request_id] = (*found)->response;
  }
  return contents;
}

void ExpectSameContents(const StoreContents& rebuilt, const StoreContents& original) {
  EXPECT_EQ(rebuilt.log.size(), original.log.size());
  EXPECT_TRUE(rebuilt.log == original.log) << "the logs differ";
  EXPECT_EQ(rebuilt.heads.size(), original.heads.size());
  for (const auto& [stream, head] : original.heads) {
    auto found = rebuilt.heads.find(stream);
    EXPECT_TRUE(found != rebuilt.heads.end() && found->second == head)
        << "the head of " << stream << " differs";
  }
  for (const auto& [table, rows] : original.tables) {
    auto found = rebuilt.tables.find(table);
    ASSERT_TRUE(found != rebuilt.tables.end()) << table;
    EXPECT_EQ(found->second.size(), rows.size()) << "rows in table " << table;
    EXPECT_TRUE(found->second == rows) << "table " << table << " differs";
  }
  EXPECT_EQ(rebuilt.replies.size(), original.replies.size()) << "request ids kept";
  for (const auto& [request_id, reply] : original.replies) {
    auto found = rebuilt.replies.find(request_id);
    EXPECT_TRUE(found != rebuilt.replies.end() && found->second == reply)
        << "the reply to " << request_id << " differs";
  }
}

}  // namespace crm::testing
