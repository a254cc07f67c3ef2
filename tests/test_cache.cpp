// The compiled-rules cache: the install's precompiled rules, a cache that
// cannot be written, `leakstop cache info` and `cache clear` (issue 10).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "git_fixture.hpp"

using leakstop::test::GitRepo;
using leakstop::test::quote;
namespace fs = std::filesystem;

namespace {
const std::string k_stripe = "sk_live_51wmo9u2gu2dKBuYXsM8h8PfPr8MNMEh";

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

// Sizes of the files in `dir` (none when it does not exist).
std::vector<std::uintmax_t> file_sizes(const fs::path& dir) {
  std::vector<std::uintmax_t> sizes;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    sizes.push_back(it->file_size());
  }
  return sizes;
}

// Installs this build into a prefix under `repo`'s temp dir: the install
// step compiles the shipped rules into share/leakstop/cache.
fs::path install(const GitRepo& repo) {
  const fs::path prefix = repo.tmp() / "prefix";
  const fs::path build = fs::path(leakstop::test::leakstop_bin()).parent_path();
  auto r = repo.run("cmake --install " + quote(build.string()) + " --prefix " + quote(prefix.string()));
  INFO(r.out);
  REQUIRE(r.rc == 0);
  REQUIRE(file_sizes(prefix / "share/leakstop/cache").size() == 1);
  return prefix;
}
} // namespace

TEST_CASE("an install's precompiled rules: a fresh cache starts without a compile, a corrupt one compiles once") {
  GitRepo repo;
  repo.write("a.txt", "key=" + k_stripe + "\n");
  const fs::path prefix = install(repo);
  const fs::path cache = repo.tmp() / "fresh-home-cache";
  const std::string scan =
    "env -u LEAKSTOP_RULES_DIR LEAKSTOP_CACHE_DIR=" + quote(cache.string()) + " " + quote((prefix / "bin/leakstop").string()) + " scan a.txt";
  SECTION("intact: the per-user cache only links to it") {
    for (int run = 0; run < 2; ++run) {
      auto r = repo.run(scan);
      INFO(r.out);
      CHECK(r.rc == 1);
      CHECK_THAT(r.out, Catch::Contains("stripe.live-secret-key") && !Catch::Contains("note:"));
    }
    // A compile would have written the whole database (megabytes) here.
    const auto sizes = file_sizes(cache);
    REQUIRE(sizes.size() == 1);
    CHECK(sizes[0] < 4096);
  }
  SECTION("corrupt: one notice, one compile, then the per-user cache") {
    for (const auto& entry : fs::directory_iterator(prefix / "share/leakstop/cache")) {
      std::ofstream(entry.path(), std::ios::binary | std::ios::trunc) << "garbage";
    }
    auto first = repo.run(scan);
    INFO(first.out);
    CHECK(first.rc == 1);
    CHECK(occurrences(first.out, "compiling them once") == 1);
    const auto sizes = file_sizes(cache);
    REQUIRE(sizes.size() == 1);
    CHECK(sizes[0] > 100000);
    auto second = repo.run(scan);
    CHECK(second.rc == 1);
    CHECK_THAT(second.out, !Catch::Contains("note:"));
  }
}

TEST_CASE("a cache directory that cannot be written: rules compiled in memory, said once") {
  GitRepo repo;
  repo.write("a.txt", "key=" + k_stripe + "\n");
  repo.write("not-a-dir", "x\n");
  auto r = repo.leakstop("scan --cache-dir " + quote((repo.root() / "not-a-dir" / "cache").string()) + " a.txt");
  INFO(r.out);
  CHECK(r.rc == 1);
  CHECK_THAT(r.out, Catch::Contains("stripe.live-secret-key"));
  CHECK(occurrences(r.out, "rules compiled in memory") == 1);
}

TEST_CASE("cache info names the cache and its size, cache clear empties it") {
  GitRepo repo;
  repo.write("a.txt", "key=" + k_stripe + "\n");
  const fs::path cache = repo.tmp() / "cache";
  const std::string dir = " --cache-dir " + quote(cache.string());
  CHECK(repo.leakstop("scan" + dir + " a.txt").rc == 1);
  REQUIRE(file_sizes(cache).size() == 1);
  auto info = repo.leakstop("cache info" + dir);
  INFO(info.out);
  CHECK(info.rc == 0);
  CHECK_THAT(info.out, Catch::Contains(cache.string() + " (1 files") && !Catch::Contains("not cached yet"));
  auto clear = repo.leakstop("cache clear" + dir);
  CHECK(clear.rc == 0);
  CHECK_THAT(clear.out, Catch::Contains("removed 1 files"));
  CHECK(file_sizes(cache).empty());
  CHECK_THAT(repo.leakstop("cache info" + dir).out, Catch::Contains("(0 files") && Catch::Contains("not cached yet"));
}
