// The pre-push hook end to end: a real bare remote, `leakstop install
// --hook pre-push` and real `git push`es. Every commit being pushed is
// scanned, not only the final state.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "git_fixture.hpp"
#include "report_checks.hpp"

using leakstop::test::GitRepo;
using leakstop::test::quote;

namespace {

const std::string k_stripe = "sk_live_51wmo9u2gu2dKBuYXsM8h8PfPr8MNMEh";

std::string remote_head(const GitRepo& repo, const std::string& branch = "main") {
  return repo.must("git --git-dir=../remote.git rev-parse " + branch);
}

// One pushed commit on main, a bare remote "origin", and the hook.
std::string make_pushed(GitRepo& repo) {
  repo.write("README", "hello\n");
  repo.must("git add . && git commit -q -m init");
  repo.must("git init -q --bare ../remote.git && git remote add origin ../remote.git && git push -q origin main");
  repo.must(quote(leakstop::test::leakstop_bin()) + " install --hook pre-push");
  return remote_head(repo);
}

std::string short_head(const GitRepo& repo) {
  return repo.must("git rev-parse HEAD").substr(0, 12);
}

} // namespace

TEST_CASE("a pre-push over three commits catches a secret added in the first and removed in the third") {
  GitRepo repo;
  const std::string before = make_pushed(repo);
  repo.write("a.cfg", "key=" + k_stripe + "\n");
  repo.must("git add a.cfg && git commit -q -m 'add key'");
  const std::string first = short_head(repo);
  repo.write("README", "hello\nmore\n");
  repo.must("git commit -q -a -m two");
  repo.must("git rm -q a.cfg && git commit -q -m 'remove key'");
  CHECK(repo.must("git ls-tree -r --name-only HEAD") == "README\n");  // the final state is clean

  auto r = repo.run("git push origin main");
  CHECK(r.rc != 0);
  CHECK_THAT(r.out, Catch::Contains("leakstop: 1 secret in the commits being pushed: push refused."));
  CHECK_THAT(r.out, Catch::Contains("a.cfg:1:5") && Catch::Contains("stripe.live-secret-key"));
  CHECK_THAT(r.out, Catch::Contains("introduced   " + first + " by Test Author <author@example.org>"));
  CHECK_THAT(r.out, Catch::Contains("git rebase -i " + first + "~1") && Catch::Contains("git push --no-verify"));
  CHECK_THAT(r.out, !Catch::Contains(k_stripe));
  CHECK(remote_head(repo) == before);
}

TEST_CASE("pre-push: clean commits pass, and commits already on the remote are not scanned again") {
  GitRepo repo;
  make_pushed(repo);
  repo.write("a.txt", "clean\n");
  repo.must("git add . && git commit -q -m clean");
  CHECK(repo.run("git push -q origin main").rc == 0);
  CHECK(remote_head(repo) == repo.must("git rev-parse HEAD"));

  // A secret pushed deliberately once does not block every later push.
  repo.write("legacy.cfg", "key=" + k_stripe + "\n");
  repo.must("git add . && git commit -q -m legacy && git push -q --no-verify origin main");
  repo.write("b.txt", "clean\n");
  repo.must("git add . && git commit -q -m later");
  CHECK(repo.run("git push -q origin main").rc == 0);

  // A new branch: only the commits the remote does not have are scanned.
  repo.must("git checkout -q -b topic");
  repo.write("c.txt", "clean\n");
  repo.must("git add . && git commit -q -m topic");
  CHECK(repo.run("git push -q origin topic").rc == 0);
  repo.write("d.txt", "key=" + k_stripe + "x\n");
  repo.must("git add . && git commit -q -m leak");
  repo.must("git checkout -q -b topic2");
  auto r = repo.run("git push origin topic2");
  CHECK(r.rc != 0);
  CHECK_THAT(r.out, Catch::Contains("d.txt:1:5"));
  CHECK(repo.run("git push -q origin --delete topic").rc == 0);  // a deletion pushes no commit
}

TEST_CASE("pre-push --format json: findings carry their commit") {
  GitRepo repo;
  const std::string before = make_pushed(repo);
  repo.write("k.txt", "x\nkey=" + k_stripe + "\n");
  repo.must("git add . && git commit -q -m 'add key'");
  const std::string head = repo.must("git rev-parse HEAD").substr(0, 40);
  auto r = repo.run("printf '%s\\n' " + quote("refs/heads/main " + head + " refs/heads/main " + before.substr(0, 40)) +
                    " | " + quote(leakstop::test::leakstop_bin()) + " pre-push origin ../remote.git --format json");
  CHECK(r.rc == 1);
  leakstop::test::require_valid_json_report(repo, r.out);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.size() == 1);
  CHECK(j[0]["commit"] == head);
  CHECK(j[0]["author"] == "Test Author");
  CHECK(j[0]["email"] == "author@example.org");
  CHECK(j[0]["summary"] == "add key");
  CHECK(j[0]["line"] == 2);
}

TEST_CASE("pre-push: an existing hook still runs with git's ref list, and uninstall restores it") {
  GitRepo repo;
  repo.write("README", "hello\n");
  repo.must("git add . && git commit -q -m init");
  repo.must("git init -q --bare ../remote.git && git remote add origin ../remote.git");
  repo.write(".git/hooks/pre-push", "#!/bin/sh\ncat > \"$(git rev-parse --git-dir)/previous-stdin\"\necho \"$1\" > "
                                    "\"$(git rev-parse --git-dir)/previous-args\"\n");
  repo.must("chmod +x .git/hooks/pre-push");
  const std::string original = repo.read(".git/hooks/pre-push");
  repo.must(quote(leakstop::test::leakstop_bin()) + " install --hook pre-push");
  CHECK(repo.run("git push -q origin main").rc == 0);
  const std::string head = repo.must("git rev-parse HEAD").substr(0, 40);
  CHECK(repo.read(".git/previous-stdin") == "refs/heads/main " + head + " refs/heads/main " + std::string(40, '0') + "\n");
  CHECK(repo.read(".git/previous-args") == "origin\n");
  repo.must(quote(leakstop::test::leakstop_bin()) + " install --hook pre-push --uninstall");
  CHECK(repo.read(".git/hooks/pre-push") == original);
}

TEST_CASE("the pre-push hook fails closed when leakstop is missing") {
  GitRepo repo;
  make_pushed(repo);
  std::string hook = repo.read(".git/hooks/pre-push");
  hook.replace(hook.find("leakstop_bin='"), 14, "leakstop_bin='/nonexistent");
  repo.write(".git/hooks/pre-push", hook);
  repo.write("a.txt", "clean\n");
  repo.must("git add . && git commit -q -m clean");
  auto r = repo.run("PATH=/usr/bin:/bin git push origin main");
  CHECK(r.rc != 0);
  CHECK_THAT(r.out, Catch::Contains("not installed") && Catch::Contains("git push --no-verify"));
}
