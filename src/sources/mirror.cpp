// Bare mirrors fetched with libgit2: credentials, stale locks, prune.

#include "sources/mirror.hpp"

#include "core/error.hpp"
#include "core/url.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string_view>
#include <unistd.h>

namespace leakstop::sources {
namespace fs = std::filesystem;

namespace {

using Remote = std::unique_ptr<git_remote, GitFree<git_remote_free>>;

// The payload of the fetch's callbacks: what the credentials callback needs
// and what it refused, and the caller's progress callback.
struct Credentials {
  std::string token;
  std::string token_variable;
  int calls = 0;
  std::string refusal;  // set when the callback refuses: the clearer message
  const std::function<bool(const git_indexer_progress&)>* progress = nullptr;
};

int credentials_callback(git_credential** out, const char* url, const char* user_from_url, unsigned int allowed,
                         void* payload) {
  auto& state = *static_cast<Credentials*>(payload);
  // libgit2 asks again after each rejection; a few asks cover ssh's user
  // name then key, more means the server keeps saying no.
  if (++state.calls > 3) {
    state.refusal = "authentication failed";
    return GIT_EAUTH;
  }
  std::string user = user_from_url && *user_from_url ? user_from_url : "";
  if (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
    if (state.token.empty()) {
      state.refusal = fmt::format("authentication required and ${} is not set", state.token_variable);
      return GIT_EAUTH;
    }
    if (url_scheme(url ? url : "") != "https") {
      state.refusal = fmt::format("refusing to send ${} over plain http; use https", state.token_variable);
      return GIT_EAUTH;
    }
    if (user.empty()) {
      const char* env = std::getenv("LEAKSTOP_GIT_USER");
      user = env && *env ? env : "x-access-token";
    }
    return git_credential_userpass_plaintext_new(out, user.c_str(), state.token.c_str());
  }
  if (user.empty()) {
    user = "git";
  }
  if (allowed & GIT_CREDENTIAL_SSH_KEY) {
    return git_credential_ssh_key_from_agent(out, user.c_str());
  }
  if (allowed & GIT_CREDENTIAL_USERNAME) {
    return git_credential_username_new(out, user.c_str());
  }
  state.refusal = "the server asks for a kind of authentication leakstop does not offer";
  return GIT_EAUTH;
}

bool has_password(std::string_view url) {
  std::size_t sep = url.find("://");
  if (sep == std::string_view::npos) {
    return false;
  }
  std::string_view authority = url.substr(sep + 3, url.find('/', sep + 3) - (sep + 3));
  std::size_t at = authority.rfind('@');
  return at != std::string_view::npos && authority.substr(0, at).find(':') != std::string_view::npos;
}

Repository open_or_create(const fs::path& dir, bool& created) {
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE, nullptr) == 0) {
    return Repository(raw);
  }
  // Also what a run killed during the first clone left half made.
  check(git_repository_init(&raw, dir.c_str(), 1), "cannot create mirror " + dir.string());
  created = true;
  return Repository(raw);
}

constexpr const char* k_mirror_refspec = "+refs/*:refs/*";

bool fetches_everything(const git_remote* remote) {
  for (std::size_t i = 0; i < git_remote_refspec_count(remote); ++i) {
    if (std::string_view(git_refspec_string(git_remote_get_refspec(remote, i))) == k_mirror_refspec) {
      return true;
    }
  }
  return false;
}

Remote origin(git_repository* repo, const std::string& stripped) {
  git_remote* raw = nullptr;
  int rc = git_remote_lookup(&raw, repo, "origin");
  Remote remote(raw);
  if (rc == GIT_ENOTFOUND) {
    check(git_remote_create_with_fetchspec(&raw, repo, "origin", stripped.c_str(), k_mirror_refspec),
          "cannot add remote origin");
    return Remote(raw);
  }
  check(rc, "cannot read remote origin");
  bool changed = false;
  if (const char* configured = git_remote_url(remote.get()); !configured || configured != stripped) {
    check(git_remote_set_url(repo, "origin", stripped.c_str()), "cannot set the URL of origin");
    changed = true;
  }
  // libgit2 writes the remote's URL and its refspec one after the other: a
  // run killed in between left a remote that fetches nothing, and every
  // later run found the repository empty.
  if (!fetches_everything(remote.get())) {
    check(git_remote_add_fetch(repo, "origin", k_mirror_refspec), "cannot set what origin fetches");
    changed = true;
  }
  if (changed) {
    check(git_remote_lookup(&raw, repo, "origin"), "cannot read remote origin");
    remote.reset(raw);
  }
  return remote;
}

void follow_default_branch(git_repository* repo, git_remote* remote) {
  git_buf branch = GIT_BUF_INIT;
  if (git_remote_default_branch(&branch, remote) == 0) {
    git_repository_set_head(repo, branch.ptr);  // an empty upstream has none: keep ours
  }
  git_buf_dispose(&branch);
}

void fetch(const std::string& url, const fs::path& dir, const MirrorOptions& options, MirrorResult& result) {
  std::string stripped = strip_userinfo(url);
  if (url_scheme(url) == "http" && has_password(url)) {
    throw RepoError("refusing to send the password in the URL over plain http; use https");
  }
  if (fs::exists(dir)) {
    result.stale_locks_removed = remove_stale_locks(dir, options.stale_before);
  }
  Repository repo = open_or_create(dir, result.created);
  Remote remote = origin(repo.get(), stripped);
  if (url != stripped) {
    check(git_remote_set_instance_url(remote.get(), url.c_str()), "cannot use the URL");
  }
  const char* token = std::getenv(options.token_variable.c_str());
  Credentials credentials{token ? token : "", options.token_variable, 0, "", nullptr};
  git_fetch_options fetch_options = GIT_FETCH_OPTIONS_INIT;
  fetch_options.prune = GIT_FETCH_PRUNE;
  fetch_options.callbacks.credentials = credentials_callback;
  fetch_options.callbacks.payload = &credentials;
  credentials.progress = &options.progress;
  if (options.progress) {
    fetch_options.callbacks.transfer_progress = [](const git_indexer_progress* stats, void* payload) {
      return (*static_cast<Credentials*>(payload)->progress)(*stats) ? 0 : GIT_EUSER;
    };
  }
  int rc = git_remote_fetch(remote.get(), nullptr, &fetch_options, "leakstop mirror");
  if (rc == GIT_EUSER) {
    throw RepoError(fmt::format("fetch {}: cancelled", stripped));
  }
  if (rc < 0 && !credentials.refusal.empty()) {
    throw RepoError(fmt::format("fetch {}: {}", stripped, credentials.refusal));
  }
  check(rc, "fetch " + stripped);
  follow_default_branch(repo.get(), remote.get());
}

} // namespace

fs::file_time_type MirrorOptions::process_start_time() {
  // Field 22 of /proc/self/stat: start time in clock ticks of CLOCK_BOOTTIME
  // (fields counted after the command name, which may hold spaces).
  // NOTE: /proc/stat's btime is in whole seconds: a start computed from it
  // could fall up to a second early, and a lock a run killed a moment
  // before this one started then looked fresh and failed the fetch. The
  // age of this process on the boot clock, taken from the wall clock now,
  // is right to a tick.
  std::ifstream stat_file("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
  }
  const auto now = std::chrono::system_clock::now();
  timespec boot_now{};
  char* end = nullptr;
  const double ticks = field.empty() ? -1.0 : std::strtod(field.c_str(), &end);
  if (ticks < 0 || end == field.c_str() || ::clock_gettime(CLOCK_BOOTTIME, &boot_now) != 0) {
    return std::chrono::file_clock::from_sys(now);
  }
  // Rounded up to the next tick: what a killed run left just before this
  // one started is older still; this run has fetched nothing in its first
  // tick.
  const double started = (ticks + 1.0) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  const double age = static_cast<double>(boot_now.tv_sec) + static_cast<double>(boot_now.tv_nsec) / 1e9 - started;
  const auto start = now - std::chrono::duration_cast<std::chrono::system_clock::duration>(
                             std::chrono::duration<double>(std::max(age, 0.0)));
  return std::chrono::file_clock::from_sys(start);
}

std::size_t remove_stale_locks(const fs::path& dir, fs::file_time_type before) {
  std::size_t removed = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const fs::path& path = it->path();
    std::string name = path.filename().string();
    // Loose objects are never locks; objects/pack holds the temporary packs.
    if (it->is_directory() && path.parent_path().filename() == "objects" && name != "pack") {
      it.disable_recursion_pending();
      continue;
    }
    bool candidate = name.ends_with(".lock") || name.starts_with("tmp_pack_") || name.starts_with("tmp_idx_");
    std::error_code time_ec;
    if (candidate && it->is_regular_file() && it->last_write_time(time_ec) < before && !time_ec &&
        fs::remove(path, time_ec)) {
      ++removed;
    }
  }
  return removed;
}

MirrorResult update_mirror(const LibGit2& libgit2, const std::string& url, const fs::path& dir,
                           const MirrorOptions& options) {
  libgit2.ready();
  MirrorResult result;
  try {
    fetch(url, dir, options, result);
  } catch (const std::exception& e) {
    result.error = scrub_userinfo(e.what());
  }
  return result;
}

std::unordered_set<std::string> blobs_at_branch_tips(git_repository* repo) {
  struct Walk {
    std::unordered_set<std::string> blobs;
    std::unordered_set<git_oid, OidHash, OidEqual> trees;
  } walk;
  git_reference_iterator* raw_iterator = nullptr;
  check(git_reference_iterator_glob_new(&raw_iterator, repo, "refs/heads/*"), "cannot list branches");
  std::unique_ptr<git_reference_iterator, GitFree<git_reference_iterator_free>> iterator(raw_iterator);
  git_reference* raw_ref = nullptr;
  while (git_reference_next(&raw_ref, iterator.get()) == 0) {
    Reference ref(raw_ref);
    git_object* raw_tree = nullptr;
    if (git_reference_peel(&raw_tree, ref.get(), GIT_OBJECT_TREE) != 0) {
      continue;  // a branch pointing at no commit: nothing at its head
    }
    Object tree(raw_tree);
    if (!walk.trees.insert(*git_object_id(tree.get())).second) {
      continue;  // the same tree as another branch
    }
    auto visit = [](const char*, const git_tree_entry* entry, void* payload) -> int {
      auto& w = *static_cast<Walk*>(payload);
      const git_oid* id = git_tree_entry_id(entry);
      switch (git_tree_entry_type(entry)) {
      case GIT_OBJECT_TREE: return w.trees.insert(*id).second ? 0 : 1;  // 1: seen, skip its subtree
      case GIT_OBJECT_BLOB: w.blobs.insert(oid_hex(*id)); return 0;
      default: return 0;
      }
    };
    check(git_tree_walk(reinterpret_cast<git_tree*>(tree.get()), GIT_TREEWALK_PRE, visit, &walk), "cannot read tree");
  }
  return std::move(walk.blobs);
}

} // namespace leakstop::sources
