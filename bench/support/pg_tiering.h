// The PostgreSQL side of the evaluation-run benchmark: a throwaway cluster of Debian's
// postgresql package under a directory, the same customers' inputs in one table, and the
// same scores and percentile tiers computed by one SQL statement into a table.
//
// The statement is generated from the scoring model: a CASE per factor picks the level
// (the highest whose min_input the input reaches; missing inputs the lowest), points ×
// weight / 100 are summed per value group in factor order and the groups added, as
// crm::tiering::Score does, so that the doubles and thus the ties are the same. Tiers
// follow crm::tiering::TiersByShares: rank() gives tied customers the better position,
// cut-offs are the shares of the population rounded half up.
//
// Driven through psql (no client library): the cluster listens on a Unix socket in its
// directory only. As root, every command runs as the package's "postgres" user.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "crm/v1/tiering.pb.h"

namespace crm::bench {

// One customer's inputs by the model's factor order; nullopt: missing.
struct CustomerInputRow {
  std::string customer_id;
  std::string region;
  std::vector<std::optional<double>> values;
};

struct PgResult {
  double seconds = 0;
  long long tier_s = 0, tier_a = 0, tier_b = 0, tier_c = 0;
};

class PgTiering {
 public:
  explicit PgTiering(std::string dir) : dir_(std::move(dir)) {
    for (const auto& entry : std::filesystem::directory_iterator(
             "/usr/lib/postgresql", std::filesystem::directory_options::skip_permission_denied,
             ignored_)) {
      if (std::filesystem::exists(entry.path() / "bin/initdb")) bin_ = entry.path() / "bin";
    }
  }
  ~PgTiering() {
    if (started_)
      Shell(absl::StrCat(Bin("pg_ctl"), " -D ", dir_, "/data -m immediate stop >/dev/null"));
  }

  bool Available() const { return !bin_.empty(); }

  // Creates and starts the cluster and loads the inputs (not timed).
  void Load(const crm::v1::ScoringModel& model, const std::vector<CustomerInputRow>& rows) {
    std::filesystem::create_directories(dir_);
    if (geteuid() == 0) Shell(absl::StrCat("chown postgres ", dir_));
    Require(
        Shell(absl::StrCat(Bin("initdb"), " -D ", dir_, "/data -U postgres -A trust >/dev/null")),
        "initdb");
    // Durable like the store's synced appends; memory enough for the sort.
    Require(
        Shell(absl::StrCat(Bin("pg_ctl"), " -D ", dir_, "/data -l ", dir_, "/log -w -o \"-k ", dir_,
                           " -c listen_addresses='' -c work_mem=512MB -c "
                           "max_wal_size=4GB -c shared_buffers=1GB\" start >/dev/null")),
        "pg_ctl start");
    started_ = true;
    std::vector<std::string> columns = {"customer_id text primary key", "region text"};
    for (int f = 0; f < model.factors_size(); ++f)
      columns.push_back(absl::StrCat("f", f, " float8"));
    Require(Psql(absl::StrCat("CREATE TABLE inputs (", absl::StrJoin(columns, ", "), ");")),
            "create table");
    FILE* copy = popen(PsqlCommand("\\copy inputs FROM pstdin WITH (FORMAT csv)").c_str(), "w");
    for (const CustomerInputRow& row : rows) {
      std::string line = absl::StrCat(row.customer_id, ",", row.region);
      for (const auto& value : row.values) {
        absl::StrAppend(&line, ",", value ? absl::StrFormat("%.17g", *value) : "");
      }
      std::fprintf(copy, "%s\n", line.c_str());
    }
    Require(pclose(copy) == 0, "copy");
    Require(Psql("VACUUM ANALYZE inputs;"), "analyze");
  }

  // Times the statement that scores and tiers every customer into a new results table.
  PgResult Run(const crm::v1::ScoringModel& model) {
    Require(Psql("SET client_min_messages = warning; DROP TABLE IF EXISTS results;"), "drop");
    const std::string output =
        Capture(PsqlCommand(absl::StrCat("\\timing on\n", Statement(model))));
    PgResult result;
    const size_t at = output.rfind("Time: ");
    Require(at != std::string::npos, "timing");
    result.seconds = std::stod(output.substr(at + 6)) / 1000;
    const std::string counts =
        Capture(PsqlCommand("SELECT string_agg(tier || '=' || n, ' ' ORDER BY tier) FROM "
                            "(SELECT tier, count(*) AS n FROM results GROUP BY tier) t;"));
    for (auto [tier, count] : {std::pair{"S=", &result.tier_s}, std::pair{"A=", &result.tier_a},
                               std::pair{"B=", &result.tier_b}, std::pair{"C=", &result.tier_c}}) {
      const size_t found = counts.find(tier);
      if (found != std::string::npos) *count = std::stoll(counts.substr(found + 2));
    }
    return result;
  }

 private:
  // The one statement: scores, ranks, tiers, written to `results`.
  static std::string Statement(const crm::v1::ScoringModel& model) {
    std::vector<std::string> explicit_terms, implicit_terms;
    for (int f = 0; f < model.factors_size(); ++f) {
      const crm::v1::Factor& factor = model.factors(f);
      std::string level = "CASE";
      for (int l = factor.levels_size() - 1; l >= 1; --l) {
        absl::StrAppend(&level, " WHEN f", f,
                        " >= ", absl::StrFormat("%.17g", factor.levels(l).min_input()), " THEN ",
                        factor.levels(l).points());
      }
      absl::StrAppend(&level, " ELSE ", factor.levels(0).points(), " END");
      const std::string term =
          absl::StrFormat("(%s)::float8 * %.17g / 100", level, factor.weight());
      (factor.group() == crm::v1::VALUE_GROUP_EXPLICIT ? explicit_terms : implicit_terms)
          .push_back(term);
    }
    const crm::v1::PercentileShares& shares = model.shares();
    const auto cut = [](double percent) {
      return absl::StrFormat("floor(n * %.17g / 100 + 0.5)", percent);
    };
    return absl::StrCat(
        "CREATE TABLE results AS SELECT customer_id, region, total, CASE WHEN rank - 1 < ",
        cut(shares.s()), " THEN 'S' WHEN rank - 1 < ", cut(shares.s() + shares.a()),
        " THEN 'A' WHEN rank - 1 < ", cut(shares.s() + shares.a() + shares.b()),
        " THEN 'B' ELSE 'C' END AS tier FROM (SELECT customer_id, region, total, "
        "rank() OVER (ORDER BY total DESC) AS rank, count(*) OVER () AS n FROM "
        "(SELECT customer_id, region, (0::float8 + ",
        absl::StrJoin(explicit_terms, " + "), ") + (0::float8 + ",
        absl::StrJoin(implicit_terms, " + "), ") AS total FROM inputs) scored) ranked;\n");
  }

  std::string Bin(const char* name) const {
    const std::string path = (bin_ / name).string();
    return geteuid() == 0 ? absl::StrCat("runuser -u postgres -- ", path) : path;
  }
  std::string PsqlCommand(const std::string& script) const {
    const std::string file = absl::StrCat(dir_, "/script-", ++scripts_, ".sql");
    FILE* out = std::fopen(file.c_str(), "w");
    std::fputs(script.c_str(), out);
    std::fclose(out);
    if (geteuid() == 0) Shell(absl::StrCat("chown postgres ", file));
    return absl::StrCat(Bin("psql"), " -X -q -t -A -v ON_ERROR_STOP=1 -h ", dir_,
                        " -U postgres -d postgres -f ", file);
  }
  bool Psql(const std::string& script) const { return Shell(PsqlCommand(script) + " >/dev/null"); }
  static bool Shell(const std::string& command) { return std::system(command.c_str()) == 0; }
  static std::string Capture(const std::string& command) {
    FILE* pipe = popen(command.c_str(), "r");
    std::string output;
    char buffer[4096];
    while (size_t n = std::fread(buffer, 1, sizeof(buffer), pipe)) output.append(buffer, n);
    Require(pclose(pipe) == 0, command.c_str());
    return output;
  }
  static void Require(bool ok, const char* what) {
    if (ok) return;
    std::fprintf(stderr, "PostgreSQL: %s failed\n", what);
    std::abort();
  }

  std::string dir_;
  std::filesystem::path bin_;
  std::error_code ignored_;
  bool started_ = false;
  mutable int scripts_ = 0;
};

}  // namespace crm::bench
