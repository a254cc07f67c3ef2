#include "engine/rules_cache.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <future>

#include "rules/rule_codec.hpp"

namespace leakstop::engine {
namespace fs = std::filesystem;

namespace {

// Bump when the layout or the matching semantics change.
constexpr std::string_view k_cache_version = "leakstop-rules-cache 7\n";
constexpr std::string_view k_link_magic = "leakstop-rules-link 1\n";

void put_section(std::string& out, std::string_view bytes) {
  auto size = static_cast<std::uint64_t>(bytes.size());
  out.append(reinterpret_cast<const char*>(&size), sizeof size);
  out.append(bytes);
}

std::optional<std::string_view> take_section(std::string_view& in) {
  std::uint64_t size = 0;
  if (in.size() < sizeof size) {
    return std::nullopt;
  }
  std::memcpy(&size, in.data(), sizeof size);
  in.remove_prefix(sizeof size);
  if (in.size() < size) {
    return std::nullopt;
  }
  std::string_view section = in.substr(0, size);
  in.remove_prefix(size);
  return section;
}

} // namespace

std::string_view cache_format_version() {
  return k_cache_version;
}

std::string encode_cache(const std::vector<rules::Rule>& rules, const std::vector<std::size_t>& lookback,
                         std::initializer_list<const hs_database_t*> databases) {
  std::string out(k_cache_version);
  std::string widths;
  for (std::size_t v : lookback) {
    auto value = static_cast<std::uint32_t>(v);
    widths.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  put_section(out, widths);
  put_section(out, rules::encode_rules(rules));
  for (const hs_database_t* db : databases) {
    put_section(out, db ? serialize(db) : std::string());
  }
  return out;
}

std::optional<CachedRules> decode_cache(std::string_view in) {
  if (in.substr(0, k_cache_version.size()) != k_cache_version) {
    return std::nullopt;
  }
  in.remove_prefix(k_cache_version.size());
  auto widths = take_section(in);
  auto encoded = take_section(in);
  auto content = take_section(in);
  auto scoped = take_section(in);
  auto paths = take_section(in);
  if (!widths || !encoded || !content || !scoped || !paths ||
      widths->size() % sizeof(std::uint32_t) != 0) {
    return std::nullopt;
  }
  CachedRules cached;
  // Hyperscan copies and checks its 2 MB of databases on another core while
  // this one decodes the rules: a hook run waits for both, and in a small
  // repository libgit2 is done with the index by then.
  auto databases = std::async(std::launch::async, [&] {
    auto load = [](std::string_view bytes, HsDatabase& out) { return bytes.empty() || (out = deserialize(bytes)); };
    return load(*content, cached.content) && load(*scoped, cached.scoped) && load(*paths, cached.paths);
  });
  auto rules = rules::decode_rules(*encoded);
  if (!databases.get() || !rules || rules->size() * sizeof(std::uint32_t) != widths->size()) {
    return std::nullopt;
  }
  cached.rules = std::move(*rules);
  cached.lookback.reserve(widths->size() / sizeof(std::uint32_t));
  for (std::size_t i = 0; i < widths->size(); i += sizeof(std::uint32_t)) {
    std::uint32_t v = 0;
    std::memcpy(&v, widths->data() + i, sizeof v);
    cached.lookback.push_back(v);
  }
  return cached;
}

std::string encode_cache_link(const fs::path& target) {
  return std::string(k_link_magic) + target.string();
}

std::optional<fs::path> cache_link_target(std::string_view bytes) {
  if (bytes.substr(0, k_link_magic.size()) != k_link_magic || bytes.size() > k_link_magic.size() + 4096) {
    return std::nullopt;
  }
  return fs::path(std::string(bytes.substr(k_link_magic.size())));
}

bool write_cache_file(const fs::path& file, const std::string& bytes) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  fs::path tmp = file;
  tmp += fmt::format(".{}.tmp", ::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out || !out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())) || !out.flush()) {
      fs::remove(tmp, ec);
      return false;
    }
  }
  fs::rename(tmp, file, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

} // namespace leakstop::engine
