// Items 1 and 2: secrets belong in the environment, and the files that
// hold the environment belong outside git.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>

#include "audit/items.hpp"
#include "audit/paths.hpp"
#include "core/placeholder.hpp"

namespace leakstop::audit {
namespace {

struct EnvLine {
  std::uint32_t line;
  std::string key;
  std::string value;
};

// KEY=VALUE lines of a dotenv file: `export ` and quotes dropped, comments
// and blank lines skipped.
std::vector<EnvLine> parse_env(std::string_view text) {
  std::vector<EnvLine> out;
  std::uint32_t number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    start = end == std::string_view::npos ? text.size() : end + 1;
    ++number;
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      line.remove_prefix(1);
    }
    if (line.substr(0, 7) == "export ") {
      line.remove_prefix(7);
    }
    std::size_t eq = line.find('=');
    if (line.empty() || line.front() == '#' || eq == std::string_view::npos) {
      continue;
    }
    std::string_view value = line.substr(eq + 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    out.push_back({number, std::string(line.substr(0, eq)), std::string(value)});
  }
  return out;
}

bool real_value(std::string_view value) { return !value.empty() && !looks_like_placeholder(value); }

bool secret_name(std::string_view key) {
  for (std::string_view word : {"key", "secret", "token", "password", "passwd", "pwd", "credential", "private", "auth"}) {
    if (contains_nocase(key, word)) {
      return true;
    }
  }
  return false;
}

// "<description> committed at HEAD". Rule descriptions are written for
// the hook ("... staged for commit") or for any scan ("... committed");
// that wording is replaced, not repeated, keeping what follows a colon.
std::string committed_at_head(std::string_view description) {
  for (std::string_view wording : {std::string_view(" staged for commit"), std::string_view(" committed")}) {
    std::size_t at = description.find(wording);
    std::size_t after = at == std::string_view::npos ? at : at + wording.size();
    if (at != std::string_view::npos && (after == description.size() || description[after] == ':')) {
      return fmt::format("{} committed at HEAD{}", description.substr(0, at), description.substr(after));
    }
  }
  return fmt::format("{} committed at HEAD", description);
}

// The names the root .gitignore should cover, each with a path that
// probes whether the repository's rules already do.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> k_ignore_lines = {{
  {".env", ".env"}, {".env.local", ".env.local"}, {".env.*.local", ".env.development.local"},
  {".env.production", ".env.production"},
}};

} // namespace

Item check_keys_in_env(const AuditInput& input) {
  Item item = make_item("keys-in-env", "API keys are read from environment variables, not committed");
  for (const Finding& f : input.head_findings) {
    std::string example = env_read_example(f.location.path, variable_for(f.rule_id));
    std::string detail = committed_at_head(f.description.empty() ? f.rule_id : f.description);
    if (!example.empty()) {
      detail += fmt::format("; read it from the environment instead: {}", example);
    } else if (is_env_file(f.location.path, input.data)) {
      detail += "; keep this file out of git (see env-ignored)";
    }
    item.evidence.push_back(evidence_of(f, detail));
  }
  conclude(item, Status::fail);
  for (const Finding& f : input.suppressed_findings) {
    item.evidence.push_back(evidence_of(f, fmt::format("{} suppressed by the repository's configuration", f.rule_id)));
  }
  if (item.status == Status::pass && !input.suppressed_findings.empty()) {
    item.status = Status::warn;
  }
  item.remedy = "Move each secret into an environment variable or a secret manager and read it from there; "
                "then rotate it, since it stays in the repository's history.";
  return item;
}

Item check_env_ignored(const AuditInput& input) {
  Item item = make_item("env-ignored", ".env files are ignored by git, and only examples are committed");
  for (const TrackedFile& file : input.tracked) {
    bool example = is_env_example(file.path, input.data);
    if (!example && !is_env_file(file.path, input.data)) {
      continue;
    }
    for (const EnvLine& line : parse_env(read_bounded(file))) {
      if (!real_value(line.value) || (example && !secret_name(line.key))) {
        continue;
      }
      Evidence e;
      e.path = file.path;
      e.line = line.line;
      e.detail = example ? fmt::format("an example file with a real-looking value for {}: leave it empty", line.key)
                         : fmt::format("{} has a value in a tracked environment file: git rm --cached {}",
                                       line.key, file.path);
      item.evidence.push_back(std::move(e));
    }
  }
  std::vector<std::string_view> missing;
  for (const auto& [pattern, probe] : k_ignore_lines) {
    if (!input.is_ignored || !input.is_ignored(std::string(probe))) {
      missing.push_back(pattern);
    }
  }
  std::string lines = fmt::format("{}", fmt::join(missing, "\n"));
  if (input.root_env_exists && (!input.is_ignored || !input.is_ignored(".env"))) {
    Evidence e;
    e.path = ".env";
    e.detail = fmt::format("not ignored by the repository's ignore rules: add to .gitignore: {}",
                           fmt::join(missing, " "));
    item.evidence.push_back(std::move(e));
  }
  conclude(item, Status::fail);
  item.remedy = "Keep real values out of git: `git rm --cached` each tracked environment file, rotate what it held, "
                "and commit an .env.example with empty values instead.";
  if (!missing.empty()) {
    item.remedy += "\nAdd these lines to the .gitignore at the repository's root:\n" + lines;
  }
  return item;
}

} // namespace leakstop::audit
