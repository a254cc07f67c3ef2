#include <catch2/catch.hpp>

#include <map>

#include "git_fixture.hpp"
#include "sources/sources.hpp"

using namespace leakstop;
using leakstop::test::GitRepo;

namespace {

struct Seen {
  sources::SourceBlob blob;
  std::string content;
  std::string previous;  // what previous_content() returned, if set
  bool has_previous = false;
};

std::map<std::string, Seen> staged(const GitRepo& repo, sources::StagedOptions options = {}) {
  sources::LibGit2 libgit2;
  sources::Repository handle = sources::open_repository(libgit2, repo.root().string());
  std::map<std::string, Seen> out;
  sources::enumerate_staged(handle.get(), options, [&](const sources::SourceBlob& b) {
    Seen s{b, std::string(b.content), "", static_cast<bool>(b.previous_content)};
    if (b.previous_content) {
      s.previous = std::string(b.previous_content());
    }
    s.blob.content = {};
    s.blob.previous_content = nullptr;
    out[b.path] = s;
  });
  return out;
}

std::string lines(int n, const std::string& word) {
  std::string out;
  for (int i = 1; i <= n; ++i) {
    out += word + std::to_string(i) + "\n";
  }
  return out;
}

} // namespace

TEST_CASE("first commit: every staged file, whole") {
  GitRepo repo;
  repo.write("a.txt", "alpha\n");
  repo.write("dir/b.txt", "beta\n");
  repo.must("git add .");
  auto seen = staged(repo);
  REQUIRE(seen.size() == 2);
  CHECK(seen["a.txt"].content == "alpha\n");
  CHECK_FALSE(seen["a.txt"].has_previous);
  CHECK(seen["dir/b.txt"].blob.change == sources::Change::added);
}

TEST_CASE("a modified file reports the staged content, and HEAD's version on demand") {
  GitRepo repo;
  repo.write("f.txt", lines(10, "line"));
  repo.must("git add . && git commit -q -m base");
  std::string changed = lines(10, "line");
  changed.replace(changed.find("line3\n"), 6, "new3\n");
  changed += "added11\nadded12\n";
  repo.write("f.txt", changed);
  repo.must("git add f.txt");
  repo.write("f.txt", "working tree differs from the index\n");
  auto seen = staged(repo);
  REQUIRE(seen.size() == 1);
  const auto& f = seen["f.txt"];
  CHECK(f.content == changed);
  CHECK(f.blob.change == sources::Change::modified);
  REQUIRE(f.has_previous);
  CHECK(f.previous == lines(10, "line"));
}

TEST_CASE("deletions are not reported, a pure rename adds nothing to scan") {
  GitRepo repo;
  repo.write("gone.txt", "bye\n");
  repo.write("old name.txt", lines(20, "content"));
  repo.must("git add . && git commit -q -m base");
  repo.must("git rm -q gone.txt && git mv 'old name.txt' 'new name.txt'");
  auto seen = staged(repo);
  REQUIRE(seen.size() == 1);
  const auto& r = seen["new name.txt"];
  CHECK(r.blob.change == sources::Change::renamed);
  CHECK(r.blob.old_path == "old name.txt");
  CHECK_FALSE(r.has_previous);
  CHECK(r.content.empty());
}

TEST_CASE("binary, oversized, symlink and submodule entries are skipped with a reason") {
  GitRepo repo;
  repo.write("bin.dat", std::string("PK\0\0binary", 10));
  repo.write("big.txt", std::string(5000, 'a') + "\n");
  repo.must("ln -s bin.dat link && git add .");
  repo.must("git update-index --add --cacheinfo 160000,4b825dc642cb6eb9a060e54bf8d69288fbee4904,sub");
  sources::StagedOptions options;
  options.max_file_size = 1000;
  auto seen = staged(repo, options);
  CHECK(seen["bin.dat"].blob.skip == sources::Skip::binary);
  CHECK(seen["big.txt"].blob.skip == sources::Skip::too_large);
  CHECK(seen["big.txt"].blob.size == 5001);
  CHECK(seen["link"].blob.skip == sources::Skip::symlink);
  CHECK(seen["sub"].blob.skip == sources::Skip::submodule);
}

TEST_CASE("non-ASCII and spaced paths come through as git spells them") {
  GitRepo repo;
  repo.write("répertoire/fichier été.txt", "x\n");
  repo.must("git add .");
  auto seen = staged(repo);
  CHECK(seen.count("répertoire/fichier été.txt") == 1);
}

TEST_CASE("worktree walk honours .gitignore and never enters .git") {
  GitRepo repo;
  repo.write(".gitignore", "ignored/\n*.log\n");
  repo.write("kept.txt", "k\n");
  repo.write("ignored/x.txt", "i\n");
  repo.write("debug.log", "l\n");
  std::vector<std::string> paths;
  sources::LibGit2 libgit2;
  sources::enumerate_paths(libgit2, {repo.root().string()}, {}, [&](const sources::SourceBlob& b) {
    paths.push_back(std::filesystem::path(b.path).filename().string());
  });
  std::sort(paths.begin(), paths.end());
  CHECK(paths == std::vector<std::string>{".gitignore", "kept.txt"});
}
