// Prometheus metrics: counters, gauges and histograms with labels, kept in a Registry and
// rendered in the text exposition format (version 0.0.4) for /metrics.
//
//   crm::metrics::Registry registry;
//   auto& appended = registry.AddCounter("crm_events_appended_total", "Events appended.", {});
//   appended.Get({}).Increment();
//   auto& rpcs = registry.AddCounter("crm_grpc_requests_total", "RPCs handled.",
//                                    {"method", "code"});
//   rpcs.Get({"/crm.v1.Registry/GetCustomer", "OK"}).Increment();
//   registry.AddGaugeCallback("crm_outbox_depth", "Events waiting.", [&] { return depth(); });
//   std::string text = registry.Render();
//
// Thread-safe: families may be added and metrics updated from any thread. Updates are
// lock-free atomics; a metric's label set is created under the family's mutex on first use
// and then lives as long as the registry, so references to it stay valid.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace crm::metrics {

// A value that only goes up.
class Counter {
 public:
  void Increment(double by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// A value that goes up and down.
class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double by) { value_.fetch_add(by, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Counts observations into cumulative buckets with upper bounds (`le`), and their sum.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);
  const std::vector<double>& bounds() const { return bounds_; }
  // Observations <= bounds()[i]; the last element counts all (+Inf).
  std::vector<uint64_t> CumulativeCounts() const;
  double Sum() const { return sum_.load(std::memory_order_relaxed); }
  uint64_t Count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // one per bound, plus +Inf
  std::atomic<double> sum_{0};
  std::atomic<uint64_t> count_{0};
};

// Buckets for latencies in seconds, from 100 µs to 10 s.
std::vector<double> LatencyBuckets();

// All the metrics of one name, one per set of label values.
template <typename Metric>
class Family {
 public:
  Family(std::vector<std::string> label_names, std::function<std::unique_ptr<Metric>()> make)
      : label_names_(std::move(label_names)), make_(std::move(make)) {}

  // The metric with these label values (in the order of the family's label names).
  Metric& Get(const std::vector<std::string>& label_values);

  const std::vector<std::string>& label_names() const { return label_names_; }
  // Calls `visit(label values, metric)` for each metric, in label order.
  void ForEach(
      const std::function<void(const std::vector<std::string>&, const Metric&)>& visit) const;

 private:
  std::vector<std::string> label_names_;
  std::function<std::unique_ptr<Metric>()> make_;
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> metrics_;
};

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Adding a name twice returns the first family (its help and labels must match).
  Family<Counter>& AddCounter(const std::string& name, const std::string& help,
                              std::vector<std::string> label_names);
  Family<Gauge>& AddGauge(const std::string& name, const std::string& help,
                          std::vector<std::string> label_names);
  Family<Histogram>& AddHistogram(const std::string& name, const std::string& help,
                                  std::vector<std::string> label_names, std::vector<double> bounds);
  // A gauge without labels whose value is read from `read` at each scrape.
  void AddGaugeCallback(const std::string& name, const std::string& help,
                        std::function<double()> read);

  // A counter without labels whose value is read from `read` at each scrape (for counts
  // another component keeps).
  void AddCounterCallback(const std::string& name, const std::string& help,
                          std::function<double()> read);

  // Every metric in the Prometheus text format, families in name order.
  std::string Render() const;

 private:
  struct Entry;
  Entry& Add(const std::string& name, const std::string& help, const char* type);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Entry>> entries_;
};

}  // namespace crm::metrics
