#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/hook_script.hpp"
#include "core/encoding.hpp"
#include "scan/paths.hpp"
#include "core/error.hpp"
#include "core/file.hpp"

namespace leakstop::cli {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_marker = "# leakstop-hook:";
constexpr std::string_view k_previous_suffix = ".leakstop-previous";

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// In a global hooks directory git no longer runs a repository's own hooks,
// so ours runs them after it passes (a pre-push hook hands on git's list
// of refs, which it read from stdin).
constexpr std::string_view k_chain_local =
  "local_hook=\"$(git rev-parse --git-common-dir)/hooks/pre-commit\"\n"
  "if [ -x \"$local_hook\" ]; then\n"
  "  exec \"$local_hook\" \"$@\"\n"
  "fi";
constexpr std::string_view k_chain_local_pre_push =
  "local_hook=\"$(git rev-parse --git-common-dir)/hooks/pre-push\"\n"
  "if [ -x \"$local_hook\" ]; then\n"
  "  printf '%s\\n' \"$refs\" | \"$local_hook\" \"$@\"\n"
  "  exit $?\n"
  "fi";

enum class ChainLocal { no, yes };

// `text` as one POSIX sh word: in single quotes, where nothing is special
// but the quote itself, written '\''. A path holding spaces, quotes, `$`
// or backticks then stays one path and never runs as code.
std::string sh_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    out += c == '\'' ? std::string_view("'\\''") : std::string_view(&c, 1);
  }
  return out + "'";
}

std::string hook_script(const std::string& hook, ChainLocal chain) {
  const bool push = hook == "pre-push";
  std::string script =
    replace_all(push ? k_pre_push_template : k_pre_commit_template, "@LEAKSTOP_BIN@",
                sh_quote(scan::executable_path().string()));
  std::string_view chain_local = push ? k_chain_local_pre_push : k_chain_local;
  return replace_all(script, "# @CHAIN_LOCAL@", chain == ChainLocal::yes ? chain_local : "");
}

bool is_ours(const fs::path& hook) {
  return read_whole_file(hook).value_or("").find(k_marker) != std::string::npos;
}

std::string config_string(git_config* config, const char* name) {
  git_buf buf = GIT_BUF_INIT;
  std::string value;
  if (git_config_get_string_buf(&buf, config, name) == 0) {
    value.assign(buf.ptr, buf.size);
  }
  git_buf_dispose(&buf);
  return value;
}

fs::path expand_home(const std::string& path) {
  const char* home = std::getenv("HOME");
  if (path.rfind("~/", 0) == 0 && home) {
    return fs::path(home) / path.substr(2);
  }
  return path;
}

// The directory git runs this repository's hooks from (core.hooksPath aware).
fs::path repository_hooks_dir(git_repository* repo) {
  git_config* raw = nullptr;
  sources::check(git_repository_config_snapshot(&raw, repo), "cannot read git config");
  sources::Config config(raw);
  std::string hooks_path = config_string(config.get(), "core.hooksPath");
  const char* workdir = git_repository_workdir(repo);
  fs::path base = workdir ? fs::path(workdir) : fs::path(git_repository_path(repo));
  if (!hooks_path.empty()) {
    fs::path p = expand_home(hooks_path);
    return p.is_absolute() ? p : base / p;
  }
  return fs::path(git_repository_commondir(repo)) / "hooks";
}

void write_hook(const fs::path& dir, const std::string& name, const std::string& script) {
  fs::create_directories(dir);
  fs::path hook = dir / name;
  fs::path previous = dir / (name + std::string(k_previous_suffix));
  std::error_code ec;
  if (fs::exists(hook, ec) && !is_ours(hook)) {
    if (fs::exists(previous, ec)) {
      throw RepoError(fmt::format("{} and {} both exist: move one away first", hook.string(), previous.string()));
    }
    fs::rename(hook, previous);
    std::cout << fmt::format("leakstop: kept the existing hook as {}; it runs after leakstop passes\n", printable(previous.string()));
  }
  fs::path tmp = dir / (name + ".leakstop-tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << script;
    if (!out) {
      throw RepoError(fmt::format("{}: cannot write hook", tmp.string()));
    }
  }
  fs::permissions(tmp, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                         fs::perms::others_exec);
  fs::rename(tmp, hook);
  std::cout << fmt::format("leakstop: installed {}\n", printable(hook.string()));
}

// Returns true when a hook of ours was removed.
bool remove_hook(const fs::path& dir, const std::string& name) {
  fs::path hook = dir / name;
  fs::path previous = dir / (name + std::string(k_previous_suffix));
  std::error_code ec;
  if (!fs::exists(hook, ec) || !is_ours(hook)) {
    std::cout << fmt::format("leakstop: no leakstop hook at {}: nothing to remove\n", printable(hook.string()));
    return false;
  }
  fs::remove(hook);
  if (fs::exists(previous, ec)) {
    fs::rename(previous, hook);
    std::cout << fmt::format("leakstop: removed the leakstop hook and restored the previous {}\n", printable(hook.string()));
  } else {
    std::cout << fmt::format("leakstop: removed {}\n", printable(hook.string()));
  }
  return true;
}

sources::Config global_config() {
  git_buf buf = GIT_BUF_INIT;
  fs::path file;
  if (git_config_find_global(&buf) == 0) {
    file = std::string(buf.ptr, buf.size);
  } else if (const char* home = std::getenv("HOME")) {
    file = fs::path(home) / ".gitconfig";
  }
  git_buf_dispose(&buf);
  if (file.empty()) {
    throw RepoError("cannot locate the global git config: HOME is not set");
  }
  git_config* raw = nullptr;
  sources::check(git_config_open_ondisk(&raw, file.c_str()), "cannot open " + file.string());
  return sources::Config(raw);
}

fs::path default_global_hooks_dir() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    return fs::path(xdg) / "leakstop" / "hooks";
  }
  const char* home = std::getenv("HOME");
  if (!home) {
    throw RepoError("cannot choose a global hooks directory: HOME is not set");
  }
  return fs::path(home) / ".config" / "leakstop" / "hooks";
}

// Compiling the rules takes seconds; do it now rather than in the first commit.
void warm_rules_cache(git_repository* repo) {
  const char* workdir = repo ? git_repository_workdir(repo) : nullptr;
  std::cout << "leakstop: compiling the rules (only after an install or a rules change)..." << std::flush;
  scan::Pipeline warm(scan::ScanOptions{}, workdir ? fs::path(workdir) : fs::path());
  std::cout << " done\n";
}

int install_global(const InstallOptions& options) {
  sources::Config config = global_config();
  std::string current = config_string(config.get(), "core.hooksPath");
  fs::path ours = default_global_hooks_dir();
  fs::path dir = current.empty() ? ours : expand_home(current);
  if (options.uninstall) {
    remove_hook(dir, options.hook);
    std::error_code ec;
    if (dir == ours && (fs::is_empty(dir, ec) || !fs::exists(dir, ec))) {
      git_config_delete_entry(config.get(), "core.hooksPath");
      std::cout << "leakstop: unset the global core.hooksPath\n";
    }
    return 0;
  }
  write_hook(dir, options.hook, hook_script(options.hook, ChainLocal::yes));
  warm_rules_cache(nullptr);
  if (current.empty()) {
    sources::check(git_config_set_string(config.get(), "core.hooksPath", dir.c_str()), "cannot set core.hooksPath");
    std::cout << fmt::format("leakstop: set the global core.hooksPath to {}; repositories' own pre-commit hooks still run\n",
                             printable(dir.string()));
  }
  return 0;
}

} // namespace

int cmd_install(const sources::LibGit2& git, const InstallOptions& options) {
  git.ready();
  if (options.hook != "pre-commit" && options.hook != "pre-push") {
    throw ConfigError(fmt::format("--hook {}: pre-commit or pre-push", options.hook));
  }
  if (options.global) {
    return install_global(options);
  }
  sources::Repository repo = sources::open_repository(git, ".");
  fs::path dir = repository_hooks_dir(repo.get());
  if (options.uninstall) {
    remove_hook(dir, options.hook);
  } else {
    write_hook(dir, options.hook, hook_script(options.hook, ChainLocal::no));
    warm_rules_cache(repo.get());
  }
  return 0;
}

bool hook_installed(git_repository* repo, const std::string& hook) {
  return is_ours(repository_hooks_dir(repo) / hook);
}

} // namespace leakstop::cli
