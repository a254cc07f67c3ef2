// repos.txt: parsing, names and mirror folder names.

#include "core/encoding.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "core/secret.hpp"
#include "core/url.hpp"
#include "sources/mirror.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <map>

namespace leakstop::sources {
namespace {

constexpr std::size_t k_max_name = 200;
constexpr std::array<std::string_view, 5> k_schemes = {"https", "http", "ssh", "git", "file"};

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) {
      ++i;
    }
    std::size_t start = i;
    if (i < line.size() && line[i] == '#') {
      break;  // a comment, to the end of the line
    }
    while (i < line.size() && !is_space(line[i])) {
      ++i;
    }
    if (i > start) {
      out.push_back(line.substr(start, i - start));
    }
  }
  return out;
}

} // namespace

std::string repo_url_problem(std::string_view url) {
  if (url.empty()) {
    return "empty URL";
  }
  std::string scheme = url_scheme(url);
  std::size_t sep = url.find("://");
  if (sep != std::string_view::npos) {
    if (std::find(k_schemes.begin(), k_schemes.end(), scheme) == k_schemes.end()) {
      return fmt::format("unsupported scheme '{}' (use https, http, ssh, git, file or a local path)",
                         printable(url.substr(0, sep)));
    }
    std::string_view rest = url.substr(sep + 3);
    std::size_t slash = rest.find('/');
    if (scheme == "file") {
      return slash == 0 && rest.size() > 1 ? "" : "a file:// URL needs an absolute path (file:///srv/repo.git)";
    }
    std::string_view host = rest.substr(0, slash);
    host = host.substr(host.rfind('@') == std::string_view::npos ? 0 : host.rfind('@') + 1);
    if (host.empty() || slash == std::string_view::npos || slash + 1 >= rest.size()) {
      return "a URL needs a host and a path";
    }
    return "";
  }
  if (scheme == "ssh") {
    std::string_view path = url.substr(url.find(':') + 1);
    return path.empty() ? "an scp-like URL needs a path after ':'" : "";
  }
  return url.front() == '-' ? "looks like an option, not a URL or a path" : "";
}

std::string repo_name_problem(std::string_view name) {
  if (name.empty()) {
    return "empty name";
  }
  if (name.size() > k_max_name) {
    return fmt::format("name longer than {} bytes", k_max_name);
  }
  bool allowed = std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("._-/:@+").find(c) != std::string_view::npos;
  });
  if (!allowed || name.find("..") != std::string_view::npos || name.front() == '-') {
    return fmt::format("bad name '{}' (letters, digits and . _ - / : @ + only, no '..')", printable(name));
  }
  return "";
}

namespace {

std::string sanitized(std::string_view text, std::size_t limit) {
  std::string out;
  for (char c : text) {
    bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
    char next = keep ? c : '_';
    // No "..", no runs of '_', and nothing hidden (no leading '.').
    if ((next == '_' || next == '.') && (out.empty() || out.back() == '_' || out.back() == '.')) {
      continue;
    }
    out += next;
  }
  while (!out.empty() && (out.back() == '_' || out.back() == '.')) {
    out.pop_back();
  }
  return out.substr(0, limit);
}

} // namespace

std::string default_repo_name(std::string_view url) {
  std::string stripped = strip_userinfo(url);
  std::string_view rest = stripped;
  std::string scheme = url_scheme(rest);
  if (std::size_t sep = rest.find("://"); sep != std::string_view::npos) {
    rest.remove_prefix(sep + 3);
  } else if (scheme == "ssh") {
    rest.remove_prefix(rest.find('@') == std::string_view::npos ? 0 : rest.find('@') + 1);
  }
  while (!rest.empty() && rest.back() == '/') {
    rest.remove_suffix(1);
  }
  if (rest.size() > 4 && rest.substr(rest.size() - 4) == ".git") {
    rest.remove_suffix(4);
  }
  if (scheme.empty() || scheme == "file") {
    rest = rest.substr(rest.rfind('/') == std::string_view::npos ? 0 : rest.rfind('/') + 1);
  }
  std::string name;
  for (char c : rest) {
    bool allowed = std::isalnum(static_cast<unsigned char>(c)) || std::string_view("._-/:@+").find(c) != std::string_view::npos;
    if (c == '.' && !name.empty() && name.back() == '.') {
      continue;  // never ".."
    }
    name += allowed ? c : '_';
  }
  while (!name.empty() && (name.front() == '-' || name.front() == '.')) {
    name.erase(0, 1);
  }
  return name.empty() ? "repository" : name.substr(0, k_max_name);
}

std::string mirror_folder_name(std::string_view url) {
  std::string stripped = strip_userinfo(url);
  std::string_view rest = stripped;
  if (std::size_t sep = rest.find("://"); sep != std::string_view::npos) {
    rest.remove_prefix(sep + 3);
  }
  std::string base = sanitized(rest, 64);
  return (base.empty() ? "repo" : base) + "-" + sha256_hex(stripped).substr(0, 12);
}

std::size_t shard_of(std::string_view url, std::size_t shards) {
  std::uint64_t hash = std::stoull(sha256_hex(strip_userinfo(url)).substr(0, 16), nullptr, 16);
  return static_cast<std::size_t>(hash % shards);
}

std::vector<RepoEntry> parse_repo_list(std::string_view text, std::string_view source,
                                       const std::filesystem::path& base_dir) {
  std::vector<RepoEntry> out;
  std::map<std::string, std::size_t> names, urls;
  std::size_t number = 0;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++number;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    auto fail = [&](const std::string& what) {
      throw ConfigError(fmt::format("{}:{}: {}", source, number, what));
    };
    if (std::any_of(line.begin(), line.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\t'; })) {
      fail("control character in line");
    }
    std::vector<std::string_view> fields = fields_of(line);
    if (fields.empty()) {
      continue;
    }
    if (fields.size() > 2) {
      fail(fmt::format("expected a URL and an optional name, found {} fields", fields.size()));
    }
    if (std::string problem = repo_url_problem(fields[0]); !problem.empty()) {
      fail(fmt::format("{}: {}", printable(strip_userinfo(fields[0])), problem));
    }
    RepoEntry entry{std::string(fields[0]), "", number};
    if (url_scheme(entry.url).empty()) {
      entry.url = (base_dir / entry.url).lexically_normal().string();
    }
    entry.name = fields.size() == 2 ? std::string(fields[1]) : default_repo_name(entry.url);
    if (std::string problem = repo_name_problem(entry.name); !problem.empty()) {
      fail(problem);
    }
    if (auto [it, fresh] = names.emplace(entry.name, number); !fresh) {
      fail(fmt::format("name '{}' is already used on line {}", printable(entry.name), it->second));
    }
    if (auto [it, fresh] = urls.emplace(strip_userinfo(entry.url), number); !fresh) {
      fail(fmt::format("{} is already listed on line {}", printable(it->first), it->second));
    }
    out.push_back(std::move(entry));
  }
  return out;
}

std::vector<RepoEntry> read_repo_list(const std::filesystem::path& file) {
  std::string text = *read_config_file(file, IfMissing::error);
  std::filesystem::path base = std::filesystem::absolute(file).parent_path();
  return parse_repo_list(text, file.string(), base);
}

} // namespace leakstop::sources
