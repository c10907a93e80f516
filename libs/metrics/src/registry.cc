#include "crm/metrics/registry.h"

#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace crm::metrics {

struct Registry::Entry {
  std::string help;
  std::string type;
  std::unique_ptr<Family<Counter>> counters;
  std::unique_ptr<Family<Gauge>> gauges;
  std::unique_ptr<Family<Histogram>> histograms;
  std::function<double()> callback;
};

namespace {

std::string EscapeLabelValue(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string EscapeHelp(const std::string& help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return absl::StrFormat("%.0f", value);
  }
  // The shortest of 15 or 17 significant digits that reads back as the same double.
  std::string shorter = absl::StrFormat("%.15g", value);
  if (std::strtod(shorter.c_str(), nullptr) == value) return shorter;
  return absl::StrFormat("%.17g", value);
}

// {a="1",b="2"} with an optional extra label (for histogram buckets); empty when none.
std::string Labels(const std::vector<std::string>& names, const std::vector<std::string>& values,
                   const std::string& extra_name = "", const std::string& extra_value = "") {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    absl::StrAppend(&out, out.empty() ? "" : ",", names[i], "=\"", EscapeLabelValue(values[i]),
                    "\"");
  }
  if (!extra_name.empty()) {
    absl::StrAppend(&out, out.empty() ? "" : ",", extra_name, "=\"", extra_value, "\"");
  }
  return out.empty() ? out : absl::StrCat("{", out, "}");
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::Observe(double value) {
  size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::CumulativeCounts() const {
  std::vector<uint64_t> counts(bounds_.size() + 1);
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    counts[i] = running;
  }
  return counts;
}

std::vector<double> LatencyBuckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
}

template <typename Metric>
Metric& Family<Metric>::Get(const std::vector<std::string>& label_values) {
  if (label_values.size() != label_names_.size()) {
    throw std::invalid_argument("metric label values do not match the family's label names");
  }
  std::lock_guard lock(mu_);
  auto& slot = metrics_[label_values];
  if (slot == nullptr) slot = make_();
  return *slot;
}

template <typename Metric>
void Family<Metric>::ForEach(
    const std::function<void(const std::vector<std::string>&, const Metric&)>& visit) const {
  std::lock_guard lock(mu_);
  for (const auto& [labels, metric] : metrics_) visit(labels, *metric);
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

Registry::Registry() = default;
Registry::~Registry() = default;

Registry::Entry& Registry::Add(const std::string& name, const std::string& help, const char* type) {
  auto& slot = entries_[name];
  if (slot == nullptr) {
    slot = std::make_unique<Entry>();
    slot->help = help;
    slot->type = type;
  } else if (slot->type != type) {
    throw std::invalid_argument(absl::StrCat("metric ", name, " registered with two types"));
  }
  return *slot;
}

Family<Counter>& Registry::AddCounter(const std::string& name, const std::string& help,
                                      std::vector<std::string> label_names) {
  std::lock_guard lock(mu_);
  Entry& entry = Add(name, help, "counter");
  if (!entry.counters) {
    entry.counters = std::make_unique<Family<Counter>>(std::move(label_names),
                                                       [] { return std::make_unique<Counter>(); });
  }
  return *entry.counters;
}

Family<Gauge>& Registry::AddGauge(const std::string& name, const std::string& help,
                                  std::vector<std::string> label_names) {
  std::lock_guard lock(mu_);
  Entry& entry = Add(name, help, "gauge");
  if (!entry.gauges) {
    entry.gauges = std::make_unique<Family<Gauge>>(std::move(label_names),
                                                   [] { return std::make_unique<Gauge>(); });
  }
  return *entry.gauges;
}

Family<Histogram>& Registry::AddHistogram(const std::string& name, const std::string& help,
                                          std::vector<std::string> label_names,
                                          std::vector<double> bounds) {
  std::lock_guard lock(mu_);
  Entry& entry = Add(name, help, "histogram");
  if (!entry.histograms) {
    entry.histograms = std::make_unique<Family<Histogram>>(
        std::move(label_names),
        [bounds = std::move(bounds)] { return std::make_unique<Histogram>(bounds); });
  }
  return *entry.histograms;
}

void Registry::AddGaugeCallback(const std::string& name, const std::string& help,
                                std::function<double()> read) {
  std::lock_guard lock(mu_);
  Entry& entry = Add(name, help, "gauge");
  entry.callback = std::move(read);
}

void Registry::AddCounterCallback(const std::string& name, const std::string& help,
                                  std::function<double()> read) {
  std::lock_guard lock(mu_);
  Entry& entry = Add(name, help, "counter");
  entry.callback = std::move(read);
}

std::string Registry::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [metric_name, entry] : entries_) {
    // A plain reference, which the lambdas below may capture (clang 14 does not capture
    // structured bindings).
    const std::string& name = metric_name;
    absl::StrAppend(&out, "# HELP ", name, " ", EscapeHelp(entry->help), "\n# TYPE ", name, " ",
                    entry->type, "\n");
    if (entry->callback) {
      absl::StrAppend(&out, name, " ", FormatValue(entry->callback()), "\n");
    }
    if (entry->counters) {
      const auto& names = entry->counters->label_names();
      entry->counters->ForEach([&](const std::vector<std::string>& values, const Counter& c) {
        absl::StrAppend(&out, name, Labels(names, values), " ", FormatValue(c.Value()), "\n");
      });
    }
    if (entry->gauges) {
      const auto& names = entry->gauges->label_names();
      entry->gauges->ForEach([&](const std::vector<std::string>& values, const Gauge& g) {
        absl::StrAppend(&out, name, Labels(names, values), " ", FormatValue(g.Value()), "\n");
      });
    }
    if (entry->histograms) {
      const auto& names = entry->histograms->label_names();
      entry->histograms->ForEach([&](const std::vector<std::string>& values, const Histogram& h) {
        const std::vector<uint64_t> counts = h.CumulativeCounts();
        for (size_t i = 0; i < h.bounds().size(); ++i) {
          absl::StrAppend(&out, name, "_bucket",
                          Labels(names, values, "le", absl::StrCat(h.bounds()[i])), " ", counts[i],
                          "\n");
        }
        absl::StrAppend(&out, name, "_bucket", Labels(names, values, "le", "+Inf"), " ",
                        counts.back(), "\n");
        absl::StrAppend(&out, name, "_sum", Labels(names, values), " ", FormatValue(h.Sum()), "\n");
        absl::StrAppend(&out, name, "_count", Labels(names, values), " ", counts.back(), "\n");
      });
    }
  }
  return out;
}

}  // namespace crm::metrics
