#pragma once
// The bad-input matrix's fixture (test_bad_input.cpp, test_bad_input_git.cpp):
// corrupt and hostile repositories, configuration files that are not
// files, odd bytes in paths and commits, and bad command lines, each through
// the real binary on a real repository. Every case states the exit code and
// the words one line of its message must hold (README.md: 0 clean,
// 1 findings, 2 usage or configuration, 3 repository or internal).
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
#include "sample_rules.hpp"

namespace leakstop::test::bad_input {

namespace fs = std::filesystem;

// AddressSanitizer reserves terabytes of address space: no `ulimit -v` then.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool k_sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool k_sanitized = true;
#else
inline constexpr bool k_sanitized = false;
#endif
#else
inline constexpr bool k_sanitized = false;
#endif

inline const std::string k_stripe = "sk_live_51wmo9u2gu2dKBuYXsM8h8PfPr8MNMEh";
inline const std::string k_rule = "stripe.live-secret-key";

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

inline std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
    s.pop_back();
  }
  return s;
}

// The exit code is `rc`, and one line of the output holds every one of `words`.
inline void check_exit(const RunResult& r, int rc, std::initializer_list<std::string> words) {
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
inline void patch(const fs::path& file, std::streamoff offset, const std::string& bytes) {
  fs::permissions(file, fs::perms::owner_write, fs::perm_options::add);
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(offset);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A key committed and packed into one pack, for the pack cases.
inline void pack_a_key(Repo& repo) {
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt && git commit -q -m key && git repack -adq");
}

// Writes a loose blob whose header claims 4 GiB + 16 bytes and which holds
// 45 (a key); returns its id.
inline std::string forge_4gib_blob(const Repo& repo) {
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

inline const char* const k_demo_rule = leakstop::test::k_token_rule;

} // namespace leakstop::test::bad_input
