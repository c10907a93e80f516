#include "crm/log/logger.h"

#include "gtest/gtest.h"

namespace crm::log {
namespace {

TEST(JsonEscape, EscapesWhatWouldBreakAJsonString) {
  EXPECT_EQ(JsonEscape("plain"), "plain");
  EXPECT_EQ(JsonEscape("say \"hi\""), "say \\\"hi\\\"");
  EXPECT_EQ(JsonEscape("a\\b"), "a\\\\b");
  EXPECT_EQ(JsonEscape("line\nnext\ttab\r"), "line\\nnext\\ttab\\r");
  EXPECT_EQ(JsonEscape(std::string("\x01", 1)), "\\u0001");
  EXPECT_EQ(JsonEscape("客户"), "客户");  // UTF-8 passes through
}

TEST(Logger, OneLoggerPerComponentAndLevelsApplyToAll) {
  auto relay = Get("test-relay");
  EXPECT_EQ(Get("test-relay").get(), relay.get());
  ASSERT_TRUE(SetLevel("warn"));
  EXPECT_EQ(relay->level(), spdlog::level::warn);
  EXPECT_EQ(Get("test-other")->level(), spdlog::level::warn);
  EXPECT_FALSE(SetLevel("loud"));
  ASSERT_TRUE(SetLevel("info"));
}

}  // namespace
}  // namespace crm::log
