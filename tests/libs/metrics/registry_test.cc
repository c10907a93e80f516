#include "crm/metrics/registry.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace crm::metrics {
namespace {

using ::testing::HasSubstr;

TEST(Registry, RendersCountersWithEscapedLabels) {
  Registry registry;
  auto& family = registry.AddCounter("crm_things_total", "Things.\nDone.", {"kind"});
  family.Get({"a \"quoted\"\\ value"}).Increment(2);
  family.Get({"plain"}).Increment();
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("# HELP crm_things_total Things.\\nDone.\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE crm_things_total counter\n"));
  EXPECT_THAT(text, HasSubstr("crm_things_total{kind=\"a \\\"quoted\\\"\\\\ value\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("crm_things_total{kind=\"plain\"} 1\n"));
}

TEST(Registry, HistogramBucketsAreCumulative) {
  Registry registry;
  auto& histogram = registry.AddHistogram("crm_wait_seconds", "Waits.", {}, {0.1, 1}).Get({});
  histogram.Observe(0.05);
  histogram.Observe(0.5);
  histogram.Observe(5);
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("crm_wait_seconds_bucket{le=\"0.1\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("crm_wait_seconds_bucket{le=\"1\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("crm_wait_seconds_bucket{le=\"+Inf\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("crm_wait_seconds_count 3\n"));
  EXPECT_THAT(text, HasSubstr("crm_wait_seconds_sum 5.55"));
}

TEST(Registry, CallbacksAreReadAtEachRender) {
  Registry registry;
  double depth = 3;
  registry.AddGaugeCallback("crm_depth", "Depth.", [&] { return depth; });
  EXPECT_THAT(registry.Render(), HasSubstr("crm_depth 3\n"));
  depth = 7;
  EXPECT_THAT(registry.Render(), HasSubstr("crm_depth 7\n"));
}

TEST(Registry, ANameKeepsOneTypeAndOneFamily) {
  Registry registry;
  auto& first = registry.AddCounter("crm_x_total", "X.", {"a"});
  auto& again = registry.AddCounter("crm_x_total", "X.", {"a"});
  EXPECT_EQ(&first, &again);
  EXPECT_THROW(registry.AddGauge("crm_x_total", "X.", {}), std::invalid_argument);
  EXPECT_THROW(first.Get({"1", "2"}), std::invalid_argument);
}

}  // namespace
}  // namespace crm::metrics
