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

// --- Pack files: the formats the history reader parses itself ---------------

#include "sources/pack.hpp"
#include "sources/object_reader.hpp"

TEST_CASE("apply_delta: copies from the base and inserted bytes, sizes checked") {
  const std::string base = "0123456789abcdef";
  // base size 16, result size 9; copy offset 4 length 3 ("456"); insert "XY";
  // copy offset 10 length 4 ("abcd").
  const std::string delta = std::string("\x10\x09", 2) + std::string("\x91\x04\x03", 3) + "\x02XY" +
                            std::string("\x91\x0a\x04", 3);
  sources::Buffer out;
  REQUIRE(sources::apply_delta(base, delta, out));
  CHECK(out.view() == "456XYabcd");
  CHECK(sources::delta_result_size(delta) == 9u);
  // The declared base size must match, copies stay inside the base, and the
  // result has exactly the declared size.
  CHECK_FALSE(sources::apply_delta(base.substr(1), delta, out));
  CHECK_FALSE(sources::apply_delta(base, std::string("\x10\x09", 2) + std::string("\x91\x0f\x03", 3), out));
  CHECK_FALSE(sources::apply_delta(base, std::string("\x10\x0a", 2) + std::string("\x91\x04\x03", 3) + "\x02XY" +
                                           std::string("\x91\x0a\x04", 3), out));
  CHECK_FALSE(sources::apply_delta(base, std::string("\x10\x01\x00", 3), out));  // opcode 0 is reserved
}

TEST_CASE("pack object headers: type, size and the base of a delta") {
  // A blob of 300 bytes: type 3, size 300 = 0b1_0010_1100 -> 0xbc, 0x12.
  auto blob = sources::Pack::parse_header(std::string("\xbc\x12", 2), 1000);
  REQUIRE(blob);
  CHECK(blob->type == sources::PackType::blob);
  CHECK(blob->size == 300);
  CHECK(blob->length == 2);
  // An offset delta of 5 bytes whose base is 200 bytes back: the distance
  // is ((0 + 1) << 7) + 72, the bytes 0x80 and 0x48.
  auto delta = sources::Pack::parse_header(std::string("\x65\x80\x48", 3), 1000);
  REQUIRE(delta);
  CHECK(delta->type == sources::PackType::ofs_delta);
  CHECK(delta->size == 5);
  CHECK(delta->base_offset == 800);
  CHECK(delta->length == 3);
  CHECK_FALSE(sources::Pack::parse_header(std::string("\x65\x80\x48", 3), 100));  // base before the pack
  CHECK_FALSE(sources::Pack::parse_header(std::string("\xbc", 1), 0));            // truncated
}

TEST_CASE("trees: entries parsed, and ordered as git orders them") {
  const std::string id(20, '\x11');
  const std::string raw = "100644 a.txt" + std::string(1, '\0') + id + "40000 a" + std::string(1, '\0') + id +
                          "160000 sub" + std::string(1, '\0') + id;
  std::vector<sources::TreeEntry> entries;
  REQUIRE(sources::parse_tree(raw, entries));
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].name == "a.txt");
  CHECK(entries[0].mode == GIT_FILEMODE_BLOB);
  CHECK(entries[1].name == "a");
  CHECK(entries[1].is_tree());
  CHECK(entries[2].mode == GIT_FILEMODE_COMMIT);
  // "a.txt" sorts before the tree "a" (compared as "a/"), and a blob "a"
  // before both; a blob and a tree of the same name are different entries.
  sources::TreeEntry blob_a{"a", nullptr, GIT_FILEMODE_BLOB};
  CHECK(sources::compare_entries(entries[0], entries[1]) < 0);
  CHECK(sources::compare_entries(blob_a, entries[0]) < 0);
  CHECK(sources::compare_entries(blob_a, entries[1]) != 0);
  CHECK_FALSE(sources::parse_tree("100644 x" + std::string(1, '\0') + "short", entries));
}
