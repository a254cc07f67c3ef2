// The bad-input matrix: corrupt and hostile repositories, configuration
// files that are not files, odd bytes in paths and commits, and bad command
// lines, each through the real binary on a real repository. Every case states
// the exit code and the words its one-line message must hold (README.md:
// 0 clean, 1 findings, 2 usage or configuration, 3 repository or internal).
//
// Each command runs under `timeout`, so that a case which hangs fails instead
// of hanging CI; the ones that could allocate without bound also run under
// `ulimit -v`. A case tagged [!mayfail] states the required behaviour that
// needs code this branch may not change (see the tag's comment).
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include "git_fixture.hpp"

using leakstop::test::GitRepo;
using leakstop::test::quote;
using leakstop::test::RunResult;
namespace fs = std::filesystem;

namespace {

// AddressSanitizer reserves terabytes of address space: no `ulimit -v` then.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool k_sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool k_sanitized = true;
#else
constexpr bool k_sanitized = false;
#endif
#else
constexpr bool k_sanitized = false;
#endif

const std::string k_stripe = "sk_live_51wmo9u2gu2dKBuYXsM8h8PfPr8MNMEh";
const std::string k_rule = "stripe.live-secret-key";

// A repository with one clean commit, its own compiled-rules cache, and
// only Stripe's rules (compiled in a fraction of a second, so that the
// timeouts below measure hangs, not a cold cache on a busy machine).
class Repo : public GitRepo {
public:
  Repo() {
    fs::create_directories(tmp() / "rules");
    fs::copy_file(fs::path(LEAKSTOP_TEST_RULES_DIR) / "stripe.toml", tmp() / "rules" / "stripe.toml");
    ::setenv("LEAKSTOP_RULES_DIR", (tmp() / "rules").c_str(), 1);
    ::setenv("LEAKSTOP_CACHE_DIR", (tmp() / "cache").c_str(), 1);
    write("README", "hello\n");
    must("git add README && git commit -q -m init");
  }

  // leakstop `args` in `dir` (default: the repository), under a timeout and,
  // given `memory_kb`, a limit on its address space.
  RunResult ls(const std::string& args, const fs::path& dir = {}, int memory_kb = 0) const {
    std::string limit = memory_kb && !k_sanitized ? "ulimit -v " + std::to_string(memory_kb) + " && " : "";
    return leakstop::test::run_in(dir.empty() ? root() : dir,
                                  limit + "timeout -k 5 30 " + quote(leakstop::test::leakstop_bin()) + " " + args);
  }

  // As nobody: root is not denied by permission bits. CI runs as root;
  // anyone else is denied as themselves.
  RunResult ls_unprivileged(const std::string& args) const {
    std::string drop = ::geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
    return run(drop + "timeout -k 5 30 " + quote(leakstop::test::leakstop_bin()) + " " + args);
  }

  std::string object_file(const std::string& id) const { return ".git/objects/" + id.substr(0, 2) + "/" + id.substr(2); }

  // The only pack, after `git repack -ad`; `ext` is "pack" or "idx".
  fs::path only_pack(const std::string& ext) const {
    for (const auto& entry : fs::directory_iterator(root() / ".git/objects/pack")) {
      if (entry.path().extension() == "." + ext) {
        return entry.path();
      }
    }
    throw std::runtime_error("no ." + ext + " file");
  }
};

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
    s.pop_back();
  }
  return s;
}

// The exit code is `rc`, and one line of the output holds every one of `words`.
void check_exit(const RunResult& r, int rc, std::initializer_list<std::string> words) {
  INFO("output:\n" << r.out);
  CHECK(r.rc == rc);
  bool found = false;
  std::istringstream lines(r.out);
  for (std::string line; !found && std::getline(lines, line);) {
    found = true;
    for (const std::string& word : words) {
      found = found && line.find(word) != std::string::npos;
    }
  }
  std::string wanted;
  for (const std::string& word : words) {
    wanted += "[" + word + "] ";
  }
  INFO("one line must hold: " << wanted);
  CHECK(found);
}

// Overwrites `bytes.size()` bytes of `file` at `offset`, in place.
void patch(const fs::path& file, std::streamoff offset, const std::string& bytes) {
  fs::permissions(file, fs::perms::owner_write, fs::perm_options::add);
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(offset);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A key committed and packed into one pack, for the pack cases.
void pack_a_key(Repo& repo) {
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt && git commit -q -m key && git repack -adq");
}

// Writes a loose blob whose header claims 4 GiB + 16 bytes and which holds
// 45 (a key); returns its id.
std::string forge_4gib_blob(const Repo& repo) {
  repo.write("../big.py", R"PY(
import sys, zlib, hashlib, os
raw = b"blob 4294967312\0key=" + sys.argv[1].encode() + b"\n"
oid = hashlib.sha1(raw).hexdigest()
os.makedirs(".git/objects/" + oid[:2], exist_ok=True)
open(".git/objects/" + oid[:2] + "/" + oid[2:], "wb").write(zlib.compress(raw))
print(oid)
)PY");
  return trimmed(repo.must(std::string(LEAKSTOP_PYTHON3) + " ../big.py " + k_stripe));
}

const char* k_demo_rule = R"([[rule]]
id = "demo.token"
description = "Demo token"
severity = "high"
regex = '''\b(dmo_[a-zA-Z0-9]{20})\b'''
keywords = ["dmo_"]
remediation = "Rotate it."
examples = ["t = dmo_q8Zr2LmX0pW4nT7yB3cV", "dmo_Kd9sQ2mZ7xW1vB4nR8tY"]
negative_examples = ["dmo_short", "xmo_q8Zr2LmX0pW4nT7yB3cV"]
)";

} // namespace

// ---------------------------------------------------------------------------
// Command lines
// ---------------------------------------------------------------------------

TEST_CASE("bad-input: unknown option") {
  Repo repo;
  check_exit(repo.ls("staged --bogus"), 2, {"--bogus"});
}

TEST_CASE("bad-input: unknown command") {
  Repo repo;
  check_exit(repo.ls("frobnicate"), 2, {"frobnicate"});
}

TEST_CASE("bad-input: negative --max-file-size") {
  Repo repo;
  check_exit(repo.ls("staged --max-file-size -1"), 2, {"--max-file-size"});
}

TEST_CASE("bad-input: --decode-depth out of range") {
  Repo repo;
  check_exit(repo.ls("staged --decode-depth 9"), 2, {"--decode-depth", "9"});
}

TEST_CASE("bad-input: bad revision range") {
  Repo repo;
  check_exit(repo.ls("history nosuchref..HEAD"), 2, {"bad revision", "nosuchref"});
}

TEST_CASE("bad-input: bad --since date") {
  Repo repo;
  check_exit(repo.ls("history --since garbage"), 2, {"--since", "garbage"});
}

TEST_CASE("bad-input: no HOME") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt");
  // No cache directory can be named: the rules are compiled, and the scan goes on.
  RunResult r = repo.run("env -u HOME -u LEAKSTOP_CACHE_DIR -u XDG_CACHE_HOME timeout -k 5 30 " +
                         quote(leakstop::test::leakstop_bin()) + " staged");
  check_exit(r, 1, {"k.txt:1:5", k_rule});
}

TEST_CASE("bad-input: no HOME for install --global") {
  Repo repo;
  RunResult r = repo.run("env -u HOME -u XDG_CONFIG_HOME timeout -k 5 30 " + quote(leakstop::test::leakstop_bin()) +
                         " install --global");
  check_exit(r, 3, {"global git config", "HOME is not set"});
}

TEST_CASE("bad-input: not inside a repository") {
  Repo repo;
  check_exit(repo.ls("staged", repo.tmp()), 3, {"not inside a git repository"});
}

// ---------------------------------------------------------------------------
// Configuration files: .leakstop.toml, .leakstopignore, rule files, baselines
// ---------------------------------------------------------------------------

TEST_CASE("bad-input: .leakstop.toml with malformed TOML") {
  Repo repo;
  repo.write(".leakstop.toml", "[allowlist\n");
  check_exit(repo.ls("staged"), 2, {".leakstop.toml:1", "invalid TOML"});
}

TEST_CASE("bad-input: .leakstop.toml with an unknown key") {
  Repo repo;
  repo.write(".leakstop.toml", "disabled_rules = []\nbogus = 1\n");
  check_exit(repo.ls("staged"), 2, {".leakstop.toml", "unknown key 'bogus'"});
}

TEST_CASE("bad-input: .leakstop.toml symlinked to /dev/zero") {
  Repo repo;
  repo.must("ln -s /dev/zero .leakstop.toml");
  check_exit(repo.ls("staged", {}, 2'000'000), 2, {".leakstop.toml", "a device, not a regular file"});
}

TEST_CASE("bad-input: .leakstop.toml symlinked to a FIFO") {
  Repo repo;
  repo.must("mkfifo ../fifo && ln -s ../fifo .leakstop.toml");
  check_exit(repo.ls("staged"), 2, {".leakstop.toml", "a FIFO, not a regular file"});
}

TEST_CASE("bad-input: .leakstop.toml over 1 MiB") {
  Repo repo;
  repo.write(".leakstop.toml", "# " + std::string(1024 * 1024, 'x') + "\n");
  check_exit(repo.ls("staged"), 2, {".leakstop.toml", "larger than the limit", "1 MiB"});
}

TEST_CASE("bad-input: .leakstop.toml in a symlink loop") {
  Repo repo;
  repo.must("ln -s loop .leakstop.toml && ln -s .leakstop.toml loop");
  check_exit(repo.ls("staged"), 2, {".leakstop.toml", "loop of symbolic links"});
}

TEST_CASE("bad-input: .leakstop.toml unreadable (permission denied)") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt");
  repo.write(".leakstop.toml", "disabled_rules = [\"" + k_rule + "\"]\n");
  // Let nobody in (the temporary directories are 0700), and trust the
  // repository (libgit2 refuses one owned by another user).
  repo.must("chmod 000 .leakstop.toml && chmod -R a+rX,a+w " + quote(repo.tmp().string()) +
            " && chmod 000 .leakstop.toml && git config --global --add safe.directory '*'");
  RunResult r = repo.ls_unprivileged("staged");
  check_exit(r, 2, {".leakstop.toml", "Permission denied"});
}

TEST_CASE("bad-input: .leakstopignore symlinked to /dev/zero", "[!mayfail]") {
  // [!mayfail]: .leakstopignore is read in src/cli/suppress.cpp (std::getline
  // on an ifstream), which this branch may not change; it must go through
  // read_config_file (src/core/file.cpp).
  Repo repo;
  repo.must("ln -s /dev/zero .leakstopignore");
  check_exit(repo.ls("staged", {}, 2'000'000), 2, {".leakstopignore", "a device, not a regular file"});
}

TEST_CASE("bad-input: .leakstopignore symlinked to a FIFO", "[!mayfail]") {
  // [!mayfail]: as above; today it blocks opening the FIFO until the timeout.
  Repo repo;
  repo.must("mkfifo ../fifo && ln -s ../fifo .leakstopignore");
  check_exit(repo.ls("staged"), 2, {".leakstopignore", "a FIFO, not a regular file"});
}

TEST_CASE("bad-input: malformed .leakstopignore lines suppress nothing and are listed") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt");
  repo.write(".leakstopignore", "not-a-fingerprint\n# comment\n8391fb97 extra words\n");
  RunResult r = repo.ls("staged --report-unused-ignores");
  check_exit(r, 1, {"k.txt:1:5", k_rule});
  check_exit(r, 1, {".leakstopignore:1", "not-a-fingerprint"});
  check_exit(r, 1, {".leakstopignore:3", "8391fb97"});
}

TEST_CASE("bad-input: rule file with malformed TOML") {
  Repo repo;
  repo.write("bad.toml", "[[rule]\nid = 1\n");
  check_exit(repo.ls("staged --rule-file bad.toml"), 2, {"bad.toml:1", "invalid TOML"});
}

TEST_CASE("bad-input: rule file symlinked to /dev/zero") {
  Repo repo;
  repo.must("ln -s /dev/zero zero.toml");
  check_exit(repo.ls("staged --rule-file zero.toml", {}, 2'000'000), 2, {"zero.toml", "a device, not a regular file"});
}

TEST_CASE("bad-input: rule file symlinked to a FIFO") {
  Repo repo;
  repo.must("mkfifo ../fifo && ln -s ../fifo fifo.toml");
  check_exit(repo.ls("staged --rule-file fifo.toml"), 2, {"fifo.toml", "a FIFO, not a regular file"});
}

TEST_CASE("bad-input: rule file unreadable (permission denied)") {
  Repo repo;
  repo.write("secret.toml", k_demo_rule);
  repo.must("chmod -R a+rX,a+w " + quote(repo.tmp().string()) + " && chmod 000 secret.toml");
  RunResult r = repo.ls_unprivileged("scan --rule-file secret.toml README");
  check_exit(r, 2, {"secret.toml", "Permission denied"});
}

TEST_CASE("bad-input: rule whose Hyperscan compile blows up") {
  Repo repo;
  // Within RE2's limits (40 x 20 repeats), past what Hyperscan will build.
  repo.write("blowup.toml", R"([[rule]]
id = "demo.blowup"
description = "Pathological"
severity = "high"
regex = '''(dmo(?:[a-z]{1,20}\d){40})'''
keywords = ["dmo"]
remediation = "Rotate it."
)");
  check_exit(repo.ls("staged --rule-file blowup.toml"), 2, {"blowup.toml:1", "demo.blowup", "Pattern is too large"});
}

TEST_CASE("bad-input: malformed JSON baseline") {
  Repo repo;
  repo.write("bad.json", "{\"version\": 1, \"findings\": [");
  check_exit(repo.ls("staged --baseline bad.json"), 2, {"bad.json", "not a leakstop baseline"});
}

TEST_CASE("bad-input: baseline symlinked to a FIFO") {
  Repo repo;
  repo.must("mkfifo ../fifo && ln -s ../fifo fifo.json");
  check_exit(repo.ls("staged --baseline fifo.json"), 2, {"fifo.json", "cannot read baseline file"});
}

TEST_CASE("bad-input: malformed gitleaks configuration") {
  Repo repo;
  repo.write("gitleaks.toml", "[[rules]\nid = \"x\"\n");
  check_exit(repo.ls("staged --config gitleaks.toml"), 2, {"gitleaks.toml:1", "invalid TOML"});
}

// ---------------------------------------------------------------------------
// The compiled-rules cache
// ---------------------------------------------------------------------------

namespace {

// Stages a key, fills the cache, then lets `spoil` do its worst to every
// cache file: the scan must still find the key (a bad cache is rebuilt).
void check_cache_survives(const std::string& spoil) {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt");
  REQUIRE(repo.ls("staged --cache-dir ../c").rc == 1);
  repo.must("cd ../c && for f in *; do " + spoil + "; done");
  check_exit(repo.ls("staged --cache-dir ../c", {}, 2'000'000), 1, {"k.txt:1:5", k_rule});
  check_exit(repo.ls("staged --cache-dir ../c"), 1, {"k.txt:1:5", k_rule});
}

} // namespace

TEST_CASE("bad-input: corrupt rules cache") {
  check_cache_survives("head -c 4096 /dev/urandom > \"$f\"");
}

TEST_CASE("bad-input: truncated rules cache") {
  check_cache_survives("truncate -s $(($(stat -c %s \"$f\") / 2)) \"$f\"");
}

TEST_CASE("bad-input: rules cache replaced by a FIFO") {
  check_cache_survives("rm \"$f\" && mkfifo \"$f\"");
}

TEST_CASE("bad-input: rules cache replaced by a symlink to /dev/zero") {
  check_cache_survives("rm \"$f\" && ln -s /dev/zero \"$f\"");
}

TEST_CASE("bad-input: --cache-dir that is a file") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt");
  check_exit(repo.ls("staged --cache-dir README"), 1, {"k.txt:1:5", k_rule});
}

TEST_CASE("bad-input: stale rules cache (a rule file edited in place, its mtime put back)") {
  Repo repo;
  const fs::path rules = repo.tmp() / "demo-rules";
  fs::create_directories(rules);
  const fs::path file = rules / "demo.toml";
  std::ofstream(file) << k_demo_rule;
  repo.write("a.txt", "t = dmo_q8Zr2LmX0pW4nT7yB3cV\n");
  repo.write("b.txt", "t = dmx_q8Zr2LmX0pW4nT7yB3cV\n");
  const std::string args = "scan --rules " + quote(rules.string()) + " a.txt b.txt";
  check_exit(repo.ls(args), 1, {"a.txt:1:5", "demo.token"});
  // Same size, same inode, same modification time: only the change time
  // (which nothing but the clock sets) and the content differ.
  const auto mtime = fs::last_write_time(file);
  std::string text = GitRepo::read_bytes(file);
  for (std::size_t at = text.find("dmo_"); at != std::string::npos; at = text.find("dmo_", at)) {
    text[at + 2] = 'x';
  }
  patch(file, 0, text);
  fs::last_write_time(file, mtime);
  RunResult r = repo.ls(args);
  check_exit(r, 1, {"b.txt:1:5", "demo.token"});
  CHECK_THAT(r.out, !Catch::Contains("a.txt:1:5"));
}

// ---------------------------------------------------------------------------
// Packs and objects
// ---------------------------------------------------------------------------

// [!mayfail] on the four pack cases: the pack reader (src/sources/pack*.cpp)
// is being hardened by another helper and may not be changed on this branch.
// Today each exits 3, but blames the commit ("object not found") instead of
// naming the pack or index that is wrong.

TEST_CASE("bad-input: corrupt pack: bad header", "[!mayfail]") {
  Repo repo;
  pack_a_key(repo);
  const fs::path pack = repo.only_pack("pack");
  patch(pack, 0, "PACX");
  check_exit(repo.ls("history"), 3, {pack.filename().string()});
}

TEST_CASE("bad-input: corrupt pack: wrong object count", "[!mayfail]") {
  Repo repo;
  pack_a_key(repo);
  const fs::path pack = repo.only_pack("pack");
  patch(pack, 8, std::string("\x00\x00\x01\x00", 4));  // 256 objects, where the index has 6
  check_exit(repo.ls("history"), 3, {pack.filename().string()});
}

TEST_CASE("bad-input: corrupt pack: truncated", "[!mayfail]") {
  Repo repo;
  pack_a_key(repo);
  const fs::path pack = repo.only_pack("pack");
  fs::resize_file(pack, fs::file_size(pack) / 2);
  check_exit(repo.ls("history"), 3, {pack.filename().string()});
}

TEST_CASE("bad-input: corrupt pack: falling fanout in the .idx", "[!mayfail]") {
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
  check_exit(repo.ls("history", {}, 4'000'000), 1, {"a/a/a/k.txt:1:5", k_rule});
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
