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

// --- Hostile packs: what fuzzing found (tests/fuzz), and git's own checks ---

namespace {

// A repository of three commits packed by git, its .idx and .pack read whole.
struct PackedRepo {
  GitRepo repo;
  std::string idx;
  std::string pack;

  PackedRepo() {
    for (int n = 0; n < 3; ++n) {
      repo.write("a.txt", lines(50, "version " + std::to_string(n) + " line "));
      repo.must("git add . && git commit -q -m c" + std::to_string(n));
    }
    repo.must("git repack -a -d -q");
    const std::string name = repo.must("cd .git/objects/pack && ls *.idx");
    idx = GitRepo::read_bytes(repo.root() / ".git/objects/pack" / name.substr(0, name.size() - 1));
    pack = GitRepo::read_bytes(repo.root() / ".git/objects/pack" / (name.substr(0, name.size() - 5) + ".pack"));
  }

  // Pack::open on `idx_bytes` and `pack_bytes` written beside each other.
  std::unique_ptr<sources::Pack> open(const std::string& idx_bytes, const std::string& pack_bytes) const {
    std::ofstream(repo.tmp() / "p.idx", std::ios::binary | std::ios::trunc) << idx_bytes;
    std::ofstream(repo.tmp() / "p.pack", std::ios::binary | std::ios::trunc) << pack_bytes;
    return sources::Pack::open(repo.tmp() / "p.idx");
  }
};

void put_be32(std::string& bytes, std::size_t at, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) {
    bytes[at + static_cast<std::size_t>(i)] = static_cast<char>(value >> (24 - 8 * i));
  }
}

// A reproducer kept in the fuzz seeds: its parts, as fuzz_util.hpp splits them.
std::vector<std::string> fuzz_input(const std::string& target, const std::string& name) {
  const std::string bytes = GitRepo::read_bytes(std::filesystem::path(LEAKSTOP_SOURCE_DIR) / "tests/fuzz/corpus" / target / name);
  REQUIRE_FALSE(bytes.empty());
  std::vector<std::string> parts;
  const std::string separator = "\n#LSFUZZ#\n";
  std::size_t start = 0;
  for (std::size_t at; (at = bytes.find(separator, start)) != std::string::npos; start = at + separator.size()) {
    parts.push_back(bytes.substr(start, at - start));
  }
  parts.push_back(bytes.substr(start));
  return parts;
}

} // namespace

TEST_CASE("Pack::open checks the index as git does: fan-out, size, object count, checksum, offsets") {
  PackedRepo packed;
  REQUIRE(packed.open(packed.idx, packed.pack));
  const std::uint32_t count = static_cast<std::uint32_t>((packed.idx.size() - 1032 - 40) / 28);
  SECTION("the fan-out must rise") {
    std::string idx = packed.idx;
    put_be32(idx, 8 + 4 * 0x10, count + 1);
    CHECK_FALSE(packed.open(idx, packed.pack));
  }
  SECTION("the size must fit the object count") {
    CHECK_FALSE(packed.open(packed.idx.substr(0, packed.idx.size() - 1), packed.pack));
    CHECK_FALSE(packed.open(packed.idx + std::string(8 * count, '\0'), packed.pack));
  }
  SECTION("the pack must hold as many objects as the index lists") {
    std::string pack = packed.pack;
    put_be32(pack, 8, count + 1);
    CHECK_FALSE(packed.open(packed.idx, pack));
  }
  SECTION("the pack must be the one the index was made for") {
    std::string pack = packed.pack;
    pack.back() = static_cast<char>(pack.back() ^ 1);
    CHECK_FALSE(packed.open(packed.idx, pack));
  }
  SECTION("every object must start inside the pack") {
    // fuzz_pack: an offset past the pack's end made PackPlan::build throw
    // std::out_of_range, which ended the whole scan.
    const std::vector<std::string> parts = fuzz_input("pack", "regress-offset-past-end");
    REQUIRE(parts.size() == 2);
    CHECK_FALSE(packed.open(parts[0], parts[1]));
    std::string idx = packed.idx;
    put_be32(idx, 1032 + 24 * count, static_cast<std::uint32_t>(packed.pack.size()));
    CHECK_FALSE(packed.open(idx, packed.pack));
    put_be32(idx, 1032 + 24 * count, 4);  // inside the pack's header
    CHECK_FALSE(packed.open(idx, packed.pack));
  }
}

TEST_CASE("Inflater: a size the data cannot inflate to is refused before it is allocated") {
  // fuzz_pack_entry: a blob header declaring 40 GiB before 7 bytes of zlib
  // data; the 40 GiB allocation aborted the scan.
  const std::string entry = "\x9b\xff\xff\xff\xff\x09\x78\x9c\x2b\x29\x4a\x4d\x55";
  auto h = sources::Pack::parse_header(entry, 100);
  REQUIRE(h);
  CHECK(h->size == 0x9fffffffbull);
  sources::Inflater inflater;
  sources::Buffer out;
  CHECK_FALSE(inflater.inflate(std::string_view(entry).substr(h->length), h->size, out));
  // Over 4 GiB, where zlib's counters (uInt) would have truncated the size.
  CHECK_FALSE(inflater.inflate(std::string_view(entry).substr(h->length), (std::uint64_t{1} << 32) + 5, out));
  // Real data still inflates, to exactly its size and no more.
  const std::string hello("\x78\x9c\xcb\x48\xcd\xc9\xc9\x07\x00\x06\x2c\x02\x15", 13);  // zlib("hello")
  REQUIRE(inflater.inflate(hello, 5, out));
  CHECK(out.view() == "hello");
  CHECK_FALSE(inflater.inflate(hello, 4, out));
  CHECK_FALSE(inflater.inflate(hello, 6, out));
}

TEST_CASE("apply_delta: a result size its instructions do not produce is refused before it is allocated") {
  // fuzz_delta: a delta declaring a result of 2.9 GB and holding no
  // instruction; the result buffer was allocated at the declared size.
  const std::string base(67, 'b');
  const std::string delta = "\x43\xcc\xff\xff\xff\x0a";
  CHECK(sources::delta_result_size(delta) == 0xafffffcc);
  sources::Buffer out;
  CHECK_FALSE(sources::apply_delta(base, delta, out));
  // An insert, then a copy of the whole base: 2 + 67 bytes exactly.
  const std::string good = std::string("\x43\x45\x02XY\x90\x43", 7);
  REQUIRE(sources::apply_delta(base, good, out));
  CHECK(out.view() == "XY" + base);
}

TEST_CASE("revisions: one grammar, as git reads it", "[sources][revisions]") {
  using leakstop::sources::RevisionSpec;
  using leakstop::sources::parse_revision;
  auto check = [](const std::string& spec, RevisionSpec::Kind kind, const std::string& from, const std::string& to) {
    const RevisionSpec r = parse_revision(spec);
    CHECK(r.kind == kind);
    CHECK(r.from == from);
    CHECK(r.to == to);
  };
  check("main", RevisionSpec::Kind::include, "", "main");
  check("^v1.0", RevisionSpec::Kind::exclude, "", "v1.0");
  check("main..feature", RevisionSpec::Kind::range, "main", "feature");
  check("HEAD~5..", RevisionSpec::Kind::range, "HEAD~5", "HEAD");
  check("..feature", RevisionSpec::Kind::range, "HEAD", "feature");
  check("a...b", RevisionSpec::Kind::symmetric, "a", "b");
  check("...b", RevisionSpec::Kind::symmetric, "HEAD", "b");
}
