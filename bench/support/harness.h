// What every benchmark here shares: timing concurrent workers, latency percentiles, the
// median of repeated runs, and printing a result table. Each benchmark runs the bare
// baseline in the same process and run and reports the ratio, since absolute figures
// drift on shared machines.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace crm::bench {

// The benchmarks' command line: "--name=value" arguments, each with a default.
class Flags {
 public:
  Flags(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
      std::string arg = argv[i];
      const size_t eq = arg.find('=');
      if (arg.starts_with("--") && eq != std::string::npos) {
        values_.emplace_back(arg.substr(2, eq - 2), arg.substr(eq + 1));
      }
    }
  }
  int Int(const std::string& name, int fallback) const {
    const std::string* value = Find(name);
    return value == nullptr ? fallback : std::stoi(*value);
  }
  std::string String(const std::string& name, const std::string& fallback) const {
    const std::string* value = Find(name);
    return value == nullptr ? fallback : *value;
  }

 private:
  const std::string* Find(const std::string& name) const {
    for (const auto& [key, value] : values_) {
      if (key == name) return &value;
    }
    return nullptr;
  }
  std::vector<std::pair<std::string, std::string>> values_;
};

struct RunResult {
  double ops_per_second = 0;
  double p50_us = 0;
  double p99_us = 0;
};

// Runs `threads` workers for `duration`; each calls `op(thread index, iteration)` in a
// loop and the time of every call is recorded.
inline RunResult RunConcurrent(int threads, std::chrono::milliseconds duration,
                               const std::function<void(int, uint64_t)>& op) {
  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> latencies(threads);
  std::vector<std::thread> workers;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      auto& mine = latencies[t];
      mine.reserve(1 << 16);
      for (uint64_t i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        const auto before = std::chrono::steady_clock::now();
        op(t, i);
        const std::chrono::duration<double, std::micro> took =
            std::chrono::steady_clock::now() - before;
        mine.push_back(took.count());
      }
    });
  }
  std::this_thread::sleep_for(duration);
  stop.store(true);
  for (auto& worker : workers) worker.join();
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  std::vector<double> all;
  for (auto& mine : latencies) all.insert(all.end(), mine.begin(), mine.end());
  std::sort(all.begin(), all.end());
  RunResult result;
  if (all.empty()) return result;
  result.ops_per_second = static_cast<double>(all.size()) / elapsed.count();
  result.p50_us = all[all.size() / 2];
  result.p99_us = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  return result;
}

// The options of the benchmarks that process a fixed number of events.
struct EventRunOptions {
  int events = 0;
  int runs = 3;
  std::string dir = "/tmp";
};

// --events=N (default `default_events`), --runs=N (3), --dir=PATH (/tmp).
inline EventRunOptions ParseEventRunOptions(int argc, char** argv, int default_events) {
  const Flags flags(argc, argv);
  EventRunOptions options;
  options.events = flags.Int("events", default_events);
  options.runs = flags.Int("runs", options.runs);
  options.dir = flags.String("dir", options.dir);
  return options;
}

inline double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// The per-field median of several runs.
inline RunResult MedianOf(const std::vector<RunResult>& runs) {
  std::vector<double> ops, p50, p99;
  for (const RunResult& r : runs) {
    ops.push_back(r.ops_per_second);
    p50.push_back(r.p50_us);
    p99.push_back(r.p99_us);
  }
  return {Median(ops), Median(p50), Median(p99)};
}

}  // namespace crm::bench
