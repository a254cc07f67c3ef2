#pragma once
// A workspace for `leakstop org` tests: real repositories under up/, made by
// the real `git`, scanned by the real binary into a store under store/.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "git_fixture.hpp"

namespace leakstop::test {

// Shaped like live Stripe keys (the shipped rules find them); made up.
inline const std::string k_stripe_a = "sk_live_4Tq8Wm2Zr6Yb1Xn5Kc9Vd3Hf7Jg0Lp2S";
inline const std::string k_stripe_b = "sk_live_8Rj3Nv7Bq1Mz5Xw9Kt2Hs6Fd0Gc4Lp7Y";
inline const std::string k_stripe_c = "sk_live_2Gh7Kq9Wd4Zx1Cv6Bn3Mt8Ry5Pf0Ls7J";

// A workspace: upstream repositories under up/, the store under store/.
// The GitRepo only isolates git and leakstop from this machine's settings.
class Org {
public:
  std::filesystem::path up(const std::string& name) const { return m_ws.tmp() / "up" / name; }
  std::filesystem::path store() const { return m_ws.tmp() / "store"; }
  std::filesystem::path base() const { return m_ws.tmp(); }

  // A repository up/<name> with one commit of `file` holding `content`.
  void make_repo(const std::string& name, const std::string& file, const std::string& content) const {
    std::filesystem::create_directories(up(name));
    must(up(name), "git init -q -b main . && git config commit.gpgsign false");
    commit(name, file, content);
  }
  void commit(const std::string& name, const std::string& file, const std::string& content) const {
    std::ofstream(up(name) / file, std::ios::binary | std::ios::trunc) << content;
    must(up(name), "git add -A && git commit -q -m " + quote("change " + file));
  }
  void repos(const std::string& lines) const { std::ofstream(base() / "repos.txt", std::ios::binary) << lines; }

  // `leakstop org <args>` with stdout and stderr together.
  RunResult org(const std::string& args) const { return run_in(base(), quote(LEAKSTOP_TEST_BIN) + " org " + args); }
  RunResult scan(const std::string& extra = "") const {
    return org("scan --repos repos.txt --store store --threads 2 " + extra);
  }
  // `org report --format json`, validated against docs/report-schema.json.
  nlohmann::json report(const std::string& store_dir = "store") const {
    RunResult r = run_in(base(), quote(LEAKSTOP_TEST_BIN) + " org report --format json --store " + quote(store_dir) +
                                   " 2>/dev/null >report.json");
    REQUIRE(r.rc == 0);
    RunResult valid = validate("report.json", "org_report");
    INFO(valid.out);
    REQUIRE(valid.rc == 0);
    return nlohmann::json::parse(GitRepo::read_bytes(base() / "report.json"));
  }

  // tests/tools/validate_json.py: `file` (relative to base()) against
  // docs/report-schema.json, read as `shape` (org_report, org-jsonl, audit-log...).
  RunResult validate(const std::string& file, const std::string& shape) const {
    return run_in(base(), quote(LEAKSTOP_PYTHON3) + " " +
                              quote(std::string(LEAKSTOP_SOURCE_DIR) + "/tests/tools/validate_json.py") + " " +
                              quote(std::string(LEAKSTOP_SOURCE_DIR) + "/docs/report-schema.json") + " " +
                              quote(file) + " " + shape);
  }

private:
  static void must(const std::filesystem::path& dir, const std::string& command) {
    RunResult r = run_in(dir, command);
    if (r.rc != 0) {
      throw std::runtime_error(command + ": " + r.out);
    }
  }
  GitRepo m_ws;
};

} // namespace leakstop::test
