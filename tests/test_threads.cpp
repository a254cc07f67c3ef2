// `scan` and `staged` on several threads (--threads): the same output,
// byte for byte, whatever the number of threads; the secrets planted are
// the ones found. Real files, a real repository, the built binary.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "git_fixture.hpp"

using leakstop::test::GitRepo;
using leakstop::test::quote;
using leakstop::test::RunResult;

namespace {

using Place = std::pair<std::string, int>;  // path, line

// Made-up values of the documented shapes, from a fixed seed.
class Maker {
public:
  std::string alnum(std::size_t n) {
    static const std::string k_chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
      out += k_chars[m_random() % k_chars.size()];
    }
    return out;
  }
  std::string stripe() { return "sk_live_" + alnum(28); }

  // About `lines` lines of prose-like text, and, when `secret` is set, the
  // secret on line `at` (1-based).
  std::string text(int lines, const std::string& secret = "", int at = 0) {
    std::string out;
    for (int line = 1; line <= lines; ++line) {
      if (line == at) {
        out += "stripe_key = \"" + secret + "\"\n";
      } else {
        out += "value_" + std::to_string(line) + " = compute(" + std::to_string(m_random() % 100000) + ", options);\n";
      }
    }
    return out;
  }

private:
  std::mt19937 m_random{20261202};
};

// Stripe findings of a JSON report, as (path, line).
std::set<Place> stripe_places(const std::string& json) {
  std::set<Place> out;
  for (const auto& f : nlohmann::json::parse(json)) {
    if (f.at("rule_id") == "stripe.live-secret-key") {
      out.emplace(f.at("path").get<std::string>(), f.at("line").get<int>());
    }
  }
  return out;
}

// Runs `command` with --threads 1, 4 and none, text and JSON, and checks
// that stdout and stderr are byte-identical across them. Returns the JSON
// report of the one-thread run.
std::string same_whatever_the_threads(const GitRepo& repo, const std::string& command) {
  std::string reference_json;
  for (const std::string format : {"text", "json"}) {
    std::string reference_out, reference_err;
    for (const std::string threads : {"--threads 1", "--threads 4", ""}) {
      INFO(command << " --format " << format << " " << threads);
      RunResult r = repo.leakstop(command + " --format " + format + " " + threads + " >out.txt 2>err.txt");
      CHECK(r.rc == 1);
      const std::string out = repo.read("out.txt");
      const std::string err = repo.read("err.txt");
      if (threads == "--threads 1") {
        reference_out = out;
        reference_err = err;
        if (format == "json") {
          reference_json = out;
        }
      } else {
        CHECK(out == reference_out);
        CHECK(err == reference_err);
      }
    }
  }
  repo.must("rm -f out.txt err.txt");
  return reference_json;
}

} // namespace

TEST_CASE("threads: scan DIR reports the same, byte for byte, on 1 thread or several", "[threads]") {
  GitRepo repo;
  Maker make;
  std::set<Place> planted;
  for (int d = 0; d < 12; ++d) {
    for (int f = 0; f < 25; ++f) {
      const std::string path = "tree/d" + std::to_string(d) + "/f" + std::to_string(f) + ".txt";
      const int lines = 40 + (d * 25 + f) % 60;
      if ((d * 25 + f) % 6 == 0) {
        const int at = 1 + (d + f) % lines;
        repo.write(path, make.text(lines, make.stripe(), at));
        planted.emplace(path, at);
      } else {
        repo.write(path, make.text(lines));
      }
    }
  }
  // Diagnostics of every kind, from all over the tree: binary files, files
  // over the size limit; and an ignored file whose secret is not reported.
  for (int d = 0; d < 12; d += 3) {
    repo.write("tree/d" + std::to_string(d) + "/blob.bin", std::string("\0\1\2binary", 9) + make.stripe());
    repo.write("tree/d" + std::to_string(d) + "/large.txt", make.text(2000, make.stripe(), 3));
  }
  repo.write(".gitignore", "ignored.txt\n");
  repo.write("tree/d5/ignored.txt", make.text(10, make.stripe(), 2));

  const std::string json = same_whatever_the_threads(repo, "scan tree --max-file-size 20000 --verbose");
  CHECK(stripe_places(json) == planted);
  const std::string err = repo.leakstop("scan tree --max-file-size 20000 --verbose --threads 4 2>&1 >/dev/null").out;
  CHECK(err.find("tree/d9/blob.bin") != std::string::npos);
  CHECK(err.find("tree/d9/large.txt") != std::string::npos);
}

TEST_CASE("threads: staged reports the same, byte for byte, on 1 thread or several", "[threads]") {
  GitRepo repo;
  Maker make;
  // Committed: 100 files of about 8 KB, every tenth with a secret.
  std::vector<std::string> old_secret(100);
  for (int i = 0; i < 100; ++i) {
    if (i % 10 == 0) {
      old_secret[i] = make.stripe();
    }
    repo.write("base/f" + std::to_string(i) + ".txt", make.text(200, old_secret[i], 7));
  }
  repo.must("git add -A && git commit -q -m base");

  // Staged, over 1 MB in all: 60 files changed (a new secret in some, the
  // old one kept, which is not new) and 120 new ones.
  std::set<Place> planted;
  std::vector<std::string> new_paths;
  for (int i = 0; i < 60; ++i) {
    const std::string path = "base/f" + std::to_string(i) + ".txt";
    std::string content = make.text(200, old_secret[i], 7);
    if (i % 4 == 1) {
      content += "stripe_key_2 = \"" + make.stripe() + "\"\n";
      planted.emplace(path, 201);
    }
    repo.write(path, content);
  }
  for (int i = 0; i < 120; ++i) {
    const std::string path = "new/d" + std::to_string(i % 8) + "/n" + std::to_string(i) + ".txt";
    new_paths.push_back(path);
    if (i % 5 == 0) {
      const int at = 1 + i % 200;
      repo.write(path, make.text(200, make.stripe(), at));
      planted.emplace(path, at);
    } else {
      repo.write(path, make.text(200));
    }
  }
  repo.write("new/data.bin", std::string("\0\0binary", 8));
  repo.must("git add -A");
  REQUIRE(repo.must("git diff --cached --numstat | wc -l").find("181") != std::string::npos);

  const std::string json = same_whatever_the_threads(repo, "staged");
  CHECK(stripe_places(json) == planted);

  // The pre-commit framework's way: the named files, in full.
  std::string named;
  std::set<Place> planted_new;
  for (const std::string& path : new_paths) {
    named += " " + quote(path);
  }
  for (const Place& p : planted) {
    if (p.first.rfind("new/", 0) == 0) {
      planted_new.insert(p);
    }
  }
  CHECK(stripe_places(same_whatever_the_threads(repo, "staged" + named)) == planted_new);
}

TEST_CASE("threads: --threads takes a number of threads from 1", "[threads]") {
  GitRepo repo;
  repo.write("a.txt", "nothing here\n");
  for (const std::string command : {"scan . --threads 0", "scan . --threads many", "staged --threads 0",
                                    "staged --threads -2", "baseline create --threads 0"}) {
    INFO(command);
    RunResult r = repo.leakstop(command);
    CHECK(r.rc == 2);
    CHECK(r.out.find("--threads") != std::string::npos);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
  }
}
