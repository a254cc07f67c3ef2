// The scanning pipeline's parts, each on its own: rule identity,
// suppression, the "new in this change" judgement, history grouping,
// thresholds, .env names, and a whole Pipeline over blobs built here.
// No git process is needed: files are real, blobs are made in memory.
#include <catch2/catch.hpp>

#include <fstream>

#include "core/error.hpp"
#include "core/secret.hpp"
#include "git_fixture.hpp"
#include "sample_rules.hpp"
#include "scan/change.hpp"
#include "scan/dotenv.hpp"
#include "scan/history_findings.hpp"
#include "scan/pipeline.hpp"
#include "scan/suppress.hpp"

namespace fs = std::filesystem;
using namespace leakstop;
using leakstop::test::TempDir;

namespace {

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

Finding finding(const std::string& rule, const std::string& secret, const std::string& path, std::uint32_t line) {
  Finding f;
  f.rule_id = rule;
  f.secret = secret;
  f.fingerprint = fingerprint(rule, secret, "");
  f.location.path = path;
  f.location.line = line;
  return f;
}

// A scan with only the sample token rule, cached in `dir`.
scan::ScanOptions token_rule_options(const TempDir& dir) {
  write(dir.path() / "rules" / "token.toml", test::k_token_rule);
  scan::ScanOptions options;
  options.rules_dir = (dir.path() / "rules").string();
  options.cache_dir = (dir.path() / "cache").string();
  return options;
}

sources::SourceBlob blob_of(const std::string& path, std::string_view content) {
  sources::SourceBlob blob;
  blob.path = path;
  blob.content = content;
  blob.size = content.size();
  return blob;
}

constexpr const char* k_token = "dmo_q8Zr2LmX0pW4nT7yB3cV";

} // namespace

TEST_CASE("rules identity: every input counts, the same inputs agree, a repository config is no part", "[scan][rules]") {
  const std::string base = scan::rules_identity("digest", nullptr);
  CHECK(scan::rules_identity("digest", nullptr) == base);
  CHECK(scan::rules_identity("other", nullptr) != base);
  rules::GitleaksConfig gitleaks;
  gitleaks.text = "title = 'x'";
  CHECK(scan::rules_identity("digest", &gitleaks) != base);
  CHECK(scan::rules_identity("", &gitleaks) != scan::rules_identity("digest", &gitleaks));
}

TEST_CASE("suppressions: .leakstopignore, .gitleaksignore and a baseline", "[scan][suppress]") {
  TempDir dir;
  const Finding ignored = finding("demo.token", "dmo_aaaaaaaaaaaaaaaaaaaa", "a.txt", 3);
  const Finding by_gitleaks = finding("demo.token", "dmo_bbbbbbbbbbbbbbbbbbbb", "config/b.env", 7);
  const Finding baselined = finding("demo.token", "dmo_cccccccccccccccccccc", "c.txt", 1);
  const Finding reported = finding("demo.token", "dmo_dddddddddddddddddddd", "d.txt", 1);
  write(dir.path() / ".leakstopignore", "# reviewed\n" + ignored.fingerprint + "  # a test key\nffff0000\n");
  write(dir.path() / ".gitleaksignore", "config/b.env:demo.token:7\nnot a fingerprint\n");
  std::ostringstream baseline;
  scan::write_baseline({baselined}, baseline);
  write(dir.path() / "baseline.json", baseline.str());

  scan::Suppressions suppressions(dir.path(), (dir.path() / "baseline.json").string());
  CHECK(suppressions.judge(ignored) == scan::Suppressions::Verdict::ignored);
  CHECK(suppressions.judge(by_gitleaks) == scan::Suppressions::Verdict::ignored);
  CHECK(suppressions.judge(baselined) == scan::Suppressions::Verdict::baselined);
  CHECK(suppressions.judge(reported) == scan::Suppressions::Verdict::report);
  CHECK(suppressions.unused() ==
        std::vector<std::string>{".leakstopignore:3: ffff0000", ".gitleaksignore:2: not a fingerprint"});
}

TEST_CASE("suppressions: a file that is no baseline is named", "[scan][suppress]") {
  TempDir dir;
  write(dir.path() / "baseline.json", "{\"version\": 1}");
  CHECK_THROWS_AS(scan::Suppressions(fs::path(), (dir.path() / "baseline.json").string()), ConfigError);
  CHECK_THROWS_WITH(scan::read_baseline(dir.path() / "missing.json"), Catch::Contains("missing.json"));
}

TEST_CASE("the change judgement: only a secret the earlier version lacked is new", "[scan][change]") {
  int reads = 0;
  std::function<std::string_view()> earlier = [&reads] {
    ++reads;
    return std::string_view("key = dmo_old\n");
  };
  scan::PreviousVersion previous(earlier);
  CHECK(reads == 0);  // nothing read until a finding asks
  CHECK(previous.had("dmo_old"));
  CHECK_FALSE(previous.had("dmo_new"));
  CHECK(reads == 1);  // read once, however many findings ask

  std::function<std::string_view()> new_file;
  scan::PreviousVersion none(new_file);
  CHECK_FALSE(none.had("dmo_old"));
}

TEST_CASE("history grouping: one finding per secret, its earliest commit first", "[scan][history]") {
  const git_oid blob{};
  scan::HitTable first_worker;
  scan::HitTable second_worker;
  // The same secret at two paths and three commits, split over two workers.
  first_worker.add(finding("demo.token", k_token, "", 4), 0, {blob, 1, 5}, false);
  second_worker.add(finding("demo.token", k_token, "", 2), 1, {blob, 1, 2}, false);
  second_worker.add(finding("demo.token", k_token, "", 9), 2, {blob, 0, 7}, true);
  first_worker.add(finding("demo.token", "dmo_zzzzzzzzzzzzzzzzzzzz", "", 1), 3, {blob, 0, 3}, false);
  first_worker.merge(std::move(second_worker));

  scan::HistoryNames names;
  const std::vector<std::string> paths = {"app/config.py", "deploy/env.sh"};
  names.path = [&](std::uint32_t p) { return std::string_view(paths.at(p)); };
  names.commit = [](std::uint32_t c) {
    CommitInfo info;
    info.id = "commit-" + std::to_string(c);
    return std::optional<CommitInfo>(info);
  };
  names.blob_id = [](std::size_t b) { return "blob-" + std::to_string(b); };
  std::vector<Finding> found = std::move(first_worker).findings(names);

  REQUIRE(found.size() == 2);
  const Finding& token = found[0].secret == k_token ? found[0] : found[1];
  CHECK(token.location.path == "deploy/env.sh");  // commit 2 came first
  CHECK(token.location.commit->id == "commit-2");
  CHECK(token.location.line == 2);
  CHECK(token.location.blob == "blob-1");
  REQUIRE(token.other_locations.size() == 1);
  CHECK(token.other_locations[0].path == "app/config.py");
  CHECK(token.other_locations[0].commit->id == "commit-7");
  CHECK(token.still_at_head == true);
  CHECK(found[0].fingerprint < found[1].fingerprint);  // ordered whatever the threads did
}

TEST_CASE("thresholds: severity and confidence, and names that are neither", "[scan][filters]") {
  scan::FindingThreshold threshold("high", "medium");
  Finding f;
  f.severity = Severity::critical;
  f.confidence = Confidence::medium;
  CHECK(threshold.passes(f));
  f.severity = Severity::medium;
  CHECK_FALSE(threshold.passes(f));
  f.severity = Severity::high;
  f.confidence = Confidence::low;
  CHECK_FALSE(threshold.passes(f));
  CHECK_THROWS_AS(scan::FindingThreshold("urgent", "low"), ConfigError);
  CHECK_THROWS_AS(scan::FindingThreshold("low", "certain"), ConfigError);
}

TEST_CASE(".env names: secrets by convention, templates not", "[scan][dotenv]") {
  for (const char* name : {".env", ".env.local", "config/.env.production", "a/b/.env.staging.local"}) {
    CHECK(scan::is_dotenv_name(name));
  }
  for (const char* name : {".env.example", "config/.env.sample", ".env.template", ".env.dist", ".envrc", "env", "x.env"}) {
    CHECK_FALSE(scan::is_dotenv_name(name));
  }
}

TEST_CASE("pipeline: a blob's secret is found, suppressed, or not new", "[scan][pipeline]") {
  TempDir dir;
  const scan::ScanOptions options = token_rule_options(dir);
  const std::string text = std::string("token = ") + k_token + "\n";

  scan::Pipeline first(options, fs::path());
  first.scan(blob_of("deploy.sh", text));
  scan::ScanResult result = std::move(first).finish();
  REQUIRE(result.findings.size() == 1);
  CHECK(result.findings[0].rule_id == "demo.token");
  CHECK(result.findings[0].secret == k_token);
  CHECK(result.findings[0].location.line == 1);
  CHECK(result.summary.files_scanned == 1);
  CHECK_FALSE(result.has_errors());

  SECTION("a change that keeps an existing secret adds nothing") {
    scan::Pipeline pipeline(options, fs::path());
    const std::string moved = "# moved\n" + text;  // outlives the blob, which only views it
    sources::SourceBlob blob = blob_of("deploy.sh", moved);
    blob.change = sources::Change::modified;
    blob.previous_content = [&text] { return std::string_view(text); };
    pipeline.scan(blob);
    CHECK(std::move(pipeline).finish().findings.empty());
  }
  SECTION("the work tree's .leakstopignore suppresses it, and it is used") {
    write(dir.path() / "tree" / ".leakstopignore", result.findings[0].fingerprint + "\n");
    scan::Pipeline pipeline(options, dir.path() / "tree");
    pipeline.scan(blob_of("deploy.sh", text));
    scan::ScanResult suppressed = std::move(pipeline).finish();
    CHECK(suppressed.findings.empty());
    CHECK(suppressed.unused_ignores.empty());
  }
  SECTION("below --min-severity it is not reported") {
    scan::ScanOptions critical = options;
    critical.min_severity = "critical";
    scan::Pipeline pipeline(critical, fs::path());
    pipeline.scan(blob_of("deploy.sh", text));
    CHECK(std::move(pipeline).finish().findings.empty());
  }
  SECTION("an unreadable blob is an error diagnostic naming it") {
    scan::Pipeline pipeline(options, fs::path());
    sources::SourceBlob blob = blob_of("broken.txt", "");
    blob.skip = sources::Skip::unreadable;
    blob.skip_reason = "corrupt object";
    pipeline.scan(blob);
    scan::ScanResult broken = std::move(pipeline).finish();
    CHECK(broken.has_errors());
    REQUIRE(broken.summary.diagnostics.size() == 1);
    CHECK(broken.summary.diagnostics[0].path == "broken.txt");
    CHECK_THAT(broken.summary.diagnostics[0].message, Catch::Contains("corrupt object"));
  }
}
