// The bad-input matrix (ctest -R bad-input), part two: packs and objects,
// content, bytes from the repository, and repository shapes. See bad_input.hpp.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "bad_input.hpp"

using leakstop::test::GitRepo;
using leakstop::test::quote;
using leakstop::test::RunResult;
using namespace leakstop::test::bad_input;
namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// Packs and objects
// ---------------------------------------------------------------------------

// A pack or index that git would refuse is named, with what is wrong with
// it, and the scan exits 3 (not only "object not found" for a commit).

TEST_CASE("bad-input: corrupt pack: bad header") {
  Repo repo;
  pack_a_key(repo);
  const fs::path pack = repo.only_pack("pack");
  patch(pack, 0, "PACX");
  check_exit(repo.ls("history"), 3, {pack.filename().string()});
}

TEST_CASE("bad-input: corrupt pack: wrong object count") {
  Repo repo;
  pack_a_key(repo);
  const fs::path pack = repo.only_pack("pack");
  patch(pack, 8, std::string("\x00\x00\x01\x00", 4));  // 256 objects, where the index has 6
  check_exit(repo.ls("history"), 3, {pack.filename().string()});
}

TEST_CASE("bad-input: corrupt pack: truncated") {
  Repo repo;
  pack_a_key(repo);
  const fs::path pack = repo.only_pack("pack");
  fs::resize_file(pack, fs::file_size(pack) / 2);
  check_exit(repo.ls("history"), 3, {pack.filename().string()});
}

TEST_CASE("bad-input: corrupt pack: falling fanout in the .idx") {
  Repo repo;
  pack_a_key(repo);
  const fs::path idx = repo.only_pack("idx");
  // Fanout entry 0x10 (after the 8-byte header) far above the ones after it.
  patch(idx, 8 + 4 * 0x10, std::string("\x00\x00\x00\xff", 4));
  check_exit(repo.ls("history"), 3, {idx.filename().string()});
}

TEST_CASE("bad-input: truncated loose object (history)", "[!mayfail]") {
  // [!mayfail]: libgit2 1.5's loose-object reader spins forever on a
  // truncated zlib stream, and history reads loose blobs through it
  // (src/sources/blob_reader.cpp, not to be changed on this branch).
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt && git commit -q -m key");
  const std::string blob = trimmed(repo.must("git rev-parse HEAD:k.txt"));
  const fs::path file = repo.root() / repo.object_file(blob);
  fs::permissions(file, fs::perms::owner_write, fs::perm_options::add);
  fs::resize_file(file, fs::file_size(file) / 2);
  check_exit(repo.ls("history"), 3, {blob});
}

TEST_CASE("bad-input: truncated loose object (staged)") {
  // staged reads loose blobs itself (sources/staged.cpp), not through libgit2.
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt");
  const std::string blob = trimmed(repo.must("git rev-parse :k.txt"));
  const fs::path file = repo.root() / repo.object_file(blob);
  fs::permissions(file, fs::perms::owner_write, fs::perm_options::add);
  fs::resize_file(file, fs::file_size(file) / 2);
  check_exit(repo.ls("staged"), 3, {"k.txt", blob, "truncated"});
}

TEST_CASE("bad-input: corrupt loose object") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt && git commit -q -m key");
  const std::string blob = trimmed(repo.must("git rev-parse HEAD:k.txt"));
  patch(repo.root() / repo.object_file(blob), 0, std::string(16, '\x5a'));
  check_exit(repo.ls("history"), 3, {"object " + blob});
}

TEST_CASE("bad-input: corrupt loose object (staged)") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt");
  const std::string blob = trimmed(repo.must("git rev-parse :k.txt"));
  patch(repo.root() / repo.object_file(blob), 0, std::string(16, '\x5a'));
  check_exit(repo.ls("staged"), 3, {"k.txt", blob, "corrupt loose object"});
}

TEST_CASE("bad-input: missing object (history)") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt && git commit -q -m key");
  const std::string blob = trimmed(repo.must("git rev-parse HEAD:k.txt"));
  fs::remove(repo.root() / repo.object_file(blob));
  check_exit(repo.ls("history"), 3, {blob, "not found"});
}

TEST_CASE("bad-input: missing object (staged)") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt");
  const std::string blob = trimmed(repo.must("git rev-parse :k.txt"));
  fs::remove(repo.root() / repo.object_file(blob));
  check_exit(repo.ls("staged"), 3, {"k.txt", "cannot read staged blob", blob});
}

TEST_CASE("bad-input: HEAD names a missing commit (staged)") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt");
  fs::remove(repo.root() / repo.object_file(trimmed(repo.must("git rev-parse HEAD"))));
  // Not an unborn branch: taking it for one would scan every file as new.
  check_exit(repo.ls("staged"), 3, {"cannot read HEAD"});
}

TEST_CASE("bad-input: corrupt index") {
  Repo repo;
  repo.write(".git/index", "DIRC garbage, not an index");
  check_exit(repo.ls("staged"), 3, {"cannot read the index"});
}

TEST_CASE("bad-input: over-long delta chain") {
  Repo repo;
  // A pack of one blob at the end of a 10,000-delta chain (git writes at
  // most 4,095), indexed by git itself.
  const std::string script = R"PY(
import sys, zlib, hashlib, struct
depth, key = 10000, sys.argv[1]
def header(kind, size):
    out = []; c = (kind << 4) | (size & 15); size >>= 4
    while size:
        out.append(c | 0x80); c = size & 127; size >>= 7
    out.append(c); return bytes(out)
def varint(n):
    out = []
    while True:
        c = n & 127; n >>= 7
        if not n:
            out.append(c); return bytes(out)
        out.append(c | 0x80)
def offset(n):
    out = [n & 127]; n >>= 7
    while n:
        n -= 1; out.insert(0, 0x80 | (n & 127)); n >>= 7
    return bytes(out)
body = bytearray(b"PACK" + struct.pack(">II", 2, depth + 1))
previous = b"version 0\n"; base = len(body)
body += header(3, len(previous)) + zlib.compress(previous)
for i in range(1, depth + 1):
    data = (("key=%s\n" % key) if i == depth else "version %d\n" % i).encode()
    delta = varint(len(previous)) + varint(len(data)) + bytes([len(data)]) + data
    here = len(body)
    body += header(6, len(delta)) + offset(here - base) + zlib.compress(delta)
    base, previous = here, data
body += hashlib.sha1(body).digest()
sys.stdout.buffer.write(body)
)PY";
  repo.write("../chain.py", script);
  repo.must(std::string(LEAKSTOP_PYTHON3) + " ../chain.py " + k_stripe + " > ../chain.pack && git index-pack --stdin < ../chain.pack");
  const std::string blob = trimmed(repo.must("printf 'key=%s\\n' " + k_stripe + " | git hash-object --stdin"));
  repo.must("git update-index --add --cacheinfo 100644," + blob + ",k.txt && git commit -q -m chain");
  check_exit(repo.ls("history"), 3, {blob, "delta chain too long"});
}

TEST_CASE("bad-input: tree 10,000 levels deep") {
  Repo repo;
  std::string path;
  for (int i = 0; i < 10000; ++i) {
    path += "a/";
  }
  path += "k.txt";
  const std::string content = "key=" + k_stripe + "\n";
  repo.write("../deep.fi", "commit refs/heads/main\ncommitter C <c@example.org> 1700000000 +0000\ndata 4\ndeep\n"
                           "from refs/heads/main^0\nM 100644 inline " + path + "\ndata " +
                             std::to_string(content.size()) + "\n" + content + "\n");
  repo.must("git fast-import --quiet < ../deep.fi");
  // Deeper than git's core.maxTreeDepth: not walked, and said so (exit 3).
  check_exit(repo.ls("history", {}, 4'000'000), 3, {"nested more than 4096 deep"});
}

TEST_CASE("bad-input: 4 GiB+ size in an object header (staged)") {
  Repo repo;
  const std::string blob = forge_4gib_blob(repo);
  repo.must("git update-index --add --cacheinfo 100644," + blob + ",huge.txt");
  // Never read: the size in its header is over the limit, which says so.
  check_exit(repo.ls("staged", {}, 2'000'000), 0, {"huge.txt", "not scanned", "4294967312 bytes"});
}

TEST_CASE("bad-input: 4 GiB+ size in an object header (staged, limit above it)") {
  Repo repo;
  const std::string blob = forge_4gib_blob(repo);
  repo.must("git update-index --add --cacheinfo 100644," + blob + ",huge.txt");
  // Read, and found corrupt before anything is allocated for it.
  check_exit(repo.ls("staged --max-file-size 5000000000", {}, 2'000'000), 3, {"huge.txt", blob, "4294967312"});
}

TEST_CASE("bad-input: 4 GiB+ size in an object header (history, limit above it)", "[!mayfail]") {
  // [!mayfail]: history reads the blob through libgit2 (blob_reader.cpp, not
  // to be changed on this branch), which believes the header and inflates
  // toward 4 GiB. The object is corrupt: exit 3 naming it, at once.
  Repo repo;
  const std::string blob = forge_4gib_blob(repo);
  repo.must("git update-index --add --cacheinfo 100644," + blob + ",huge.txt && git commit -q -m huge");
  check_exit(repo.ls("history --max-file-size 5000000000", {}, 2'000'000), 3, {blob, "4294967312"});
}

// ---------------------------------------------------------------------------
// Content
// ---------------------------------------------------------------------------

TEST_CASE("bad-input: huge file over the size limit") {
  Repo repo;
  repo.write("big.txt", std::string(11 * 1024 * 1024, 'z') + "\nkey=" + k_stripe + "\n");
  repo.must("git add big.txt");
  check_exit(repo.ls("staged"), 0, {"big.txt", "not scanned", "size limit of 10485760 bytes"});
}

TEST_CASE("bad-input: 10 MB single line") {
  Repo repo;
  repo.write("line.txt", std::string(10'000'000, 'q') + " key=" + k_stripe + "\n");
  repo.must("git add line.txt");
  check_exit(repo.ls("staged"), 1, {"line.txt:1:10000006", k_rule});
}

TEST_CASE("bad-input: binary file with an embedded key") {
  Repo repo;
  repo.write("blob.bin", std::string("\x7f" "ELF\0\0\0", 7) + "key=" + k_stripe + std::string(64, '\0'));
  repo.must("git add blob.bin");
  check_exit(repo.ls("staged"), 0, {"blob.bin", "not scanned: binary file"});
}

// ---------------------------------------------------------------------------
// Bytes from the repository in paths, authors and messages: found, and shown
// escaped, never raw on the terminal.
// ---------------------------------------------------------------------------

namespace {

// Stages a key at `path` (raw bytes) and runs `leakstop staged`.
RunResult stage_key_at(Repo& repo, const std::string& path) {
  repo.write(path, "key=" + k_stripe + "\n");
  repo.must("git add -- " + quote(path));
  return repo.ls("staged");
}

} // namespace

TEST_CASE("bad-input: newline in a path") {
  Repo repo;
  RunResult r = stage_key_at(repo, "new\nline.txt");
  check_exit(r, 1, {"new\\nline.txt:1:5", k_rule});
  CHECK_THAT(r.out, !Catch::Contains("new\nline"));
}

TEST_CASE("bad-input: invalid UTF-8 in a path") {
  Repo repo;
  RunResult r = stage_key_at(repo, "bad\xff\xc3utf8.txt");
  check_exit(r, 1, {"bad\\xff\\xc3utf8.txt:1:5", k_rule});
  CHECK_THAT(r.out, !Catch::Contains("\xff"));
}

TEST_CASE("bad-input: ESC in a path") {
  Repo repo;
  RunResult r = stage_key_at(repo, "esc\x1b[31mred.txt");
  check_exit(r, 1, {"esc\\x1b[31mred.txt:1:5", k_rule});
  CHECK_THAT(r.out, !Catch::Contains("\x1b"));
}

TEST_CASE("bad-input: bidi control in a path") {
  Repo repo;
  RunResult r = stage_key_at(repo, "bidi\u202etxt.exe");
  check_exit(r, 1, {"bidi\\u202etxt.exe:1:5", k_rule});
  CHECK_THAT(r.out, !Catch::Contains("\u202e"));
}

TEST_CASE("bad-input: NUL in a path (a tree entry cut short)") {
  Repo repo;
  // Tree entries end their names with NUL: a name holding one leaves the
  // rest of the entry misread, and the tree malformed.
  repo.write("k.txt", "key=" + k_stripe + "\n");
  const std::string blob = trimmed(repo.must("git hash-object -w k.txt"));
  repo.write("../tree.py", R"PY(
import sys
oid = bytes.fromhex(sys.argv[1])
sys.stdout.buffer.write(b"100644 a\0b.txt\0" + oid)
)PY");
  const std::string tree = trimmed(
    repo.must(std::string(LEAKSTOP_PYTHON3) + " ../tree.py " + blob + " | git hash-object -t tree -w --literally --stdin"));
  const std::string commit = trimmed(repo.must("git commit-tree -p HEAD -m nul " + tree));
  repo.must("git update-ref refs/heads/main " + commit);
  check_exit(repo.ls("history"), 3, {tree, "malformed tree"});
}

TEST_CASE("bad-input: ESC in an author name") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt && git commit -q -m key --author=" + quote("Evil \x1b[31mName <evil@example.org>"));
  RunResult r = repo.ls("history");
  check_exit(r, 1, {"by Evil \\x1b[31mName <evil@example.org>"});
  CHECK_THAT(r.out, !Catch::Contains("\x1b"));
}

TEST_CASE("bad-input: ESC and bidi controls in a commit message") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt && git commit -q -m " + quote("clear \x1b[2J then \u202e reversed"));
  RunResult r = repo.ls("history");
  check_exit(r, 1, {"clear \\x1b[2J then \\u202e reversed"});
  CHECK_THAT(r.out, !Catch::Contains("\x1b") && !Catch::Contains("\u202e"));
}

// ---------------------------------------------------------------------------
// Repository shapes
// ---------------------------------------------------------------------------

TEST_CASE("bad-input: symlink loops in the work tree") {
  Repo repo;
  repo.must("ln -s loop-b loop-a && ln -s loop-a loop-b && ln -s . self && mkdir d && ln -s .. d/up");
  repo.write("d/k.txt", "key=" + k_stripe + "\n");
  check_exit(repo.ls("scan ."), 1, {"d/k.txt:1:5", k_rule});
  repo.must("git add -A");
  check_exit(repo.ls("staged"), 1, {"d/k.txt:1:5", k_rule});
}

TEST_CASE("bad-input: a FIFO named to scan") {
  Repo repo;
  repo.must("mkfifo pipe");
  check_exit(repo.ls("scan pipe"), 3, {"pipe", "cannot read", "not a regular file or a directory"});
}

TEST_CASE("bad-input: a symlink loop named to scan") {
  Repo repo;
  repo.must("ln -s loop-b loop-a && ln -s loop-a loop-b");
  check_exit(repo.ls("scan loop-a"), 3, {"loop-a", "cannot read", "symbolic links"});
}

TEST_CASE("bad-input: a symlink named to scan is followed") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("ln -s k.txt link");
  check_exit(repo.ls("scan link"), 1, {"link:1:5", k_rule});
}

TEST_CASE("bad-input: submodule without checkout") {
  GitRepo other;  // first: each GitRepo sets the environment, and Repo's must win
  Repo repo;
  other.write("f", "x\n");
  other.must("git add f && git commit -q -m sub");
  const std::string head = trimmed(other.must("git rev-parse HEAD"));
  // A gitlink and .gitmodules, but nothing cloned or checked out.
  repo.write(".gitmodules", "[submodule \"mod\"]\n\tpath = mod\n\turl = " + other.root().string() + "\n");
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git update-index --add --cacheinfo 160000," + head + ",mod && git add .gitmodules k.txt");
  check_exit(repo.ls("staged"), 1, {"k.txt:1:5", k_rule});
  repo.must("git commit -q --no-verify -m sub");
  check_exit(repo.ls("scan ."), 1, {"k.txt:1:5", k_rule});
  check_exit(repo.ls("history"), 1, {"not scanned: 1 submodule entries"});
}

TEST_CASE("bad-input: .git file worktree (git worktree add)") {
  Repo repo;
  repo.must("git worktree add -q ../linked");
  const fs::path linked = repo.tmp() / "linked";
  REQUIRE(fs::is_regular_file(linked / ".git"));
  std::ofstream(linked / "n.txt") << "key=" + k_stripe + "\n";
  leakstop::test::run_in(linked, "git add n.txt");
  check_exit(repo.ls("staged", linked), 1, {"n.txt:1:5", k_rule});
  check_exit(repo.ls("scan .", linked), 1, {"n.txt:1:5", k_rule});
  leakstop::test::run_in(linked, "git commit -q --no-verify -m key");
  check_exit(repo.ls("history", linked), 1, {"n.txt:1:5", k_rule});
}

TEST_CASE("bad-input: shallow clone") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt && git commit -q -m key && echo more >> README && git commit -q -am more");
  repo.must("git clone -q --depth 1 file://" + repo.root().string() + " ../shallow");
  const fs::path shallow = repo.tmp() / "shallow";
  REQUIRE(fs::exists(shallow / ".git" / "shallow"));
  check_exit(repo.ls("history", shallow), 1, {"k.txt:1:5", k_rule});
}

TEST_CASE("bad-input: bare clone") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt && git commit -q -m key");
  repo.must("git clone -q --bare . ../bare.git");
  const fs::path bare = repo.tmp() / "bare.git";
  check_exit(repo.ls("history", bare), 1, {"k.txt:1:5", k_rule});
  check_exit(repo.ls("staged", bare), 3, {"bare repository"});
}

TEST_CASE("bad-input: empty repository") {
  Repo repo;
  repo.must("git init -q ../empty");
  const fs::path empty = repo.tmp() / "empty";
  check_exit(repo.ls("history", empty), 0, {"no commits"});
  RunResult staged = repo.ls("staged", empty);
  CHECK(staged.rc == 0);
  CHECK(staged.out.empty());
  std::ofstream(empty / "k.txt") << "key=" + k_stripe + "\n";
  leakstop::test::run_in(empty, "git add k.txt");
  check_exit(repo.ls("staged", empty), 1, {"k.txt:1:5", k_rule});
}

TEST_CASE("bad-input: partial clone (blob:none)") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt && git commit -q -m key && git rm -q k.txt && git commit -q -m gone");
  const std::string blob = trimmed(repo.must("git rev-parse HEAD~1:k.txt"));
  repo.must("git config uploadpack.allowFilter true");
  repo.must("git clone -q --filter=blob:none file://" + repo.root().string() + " ../partial");
  const fs::path partial = repo.tmp() / "partial";
  // The old blob was never fetched: the scan says which, and exits 3.
  check_exit(repo.ls("history", partial), 3, {blob, "not found"});
}
