#pragma once
// The on-disk form of compiled rules. Internal to leakstop_engine.
//
// Layout: a version line, then length-prefixed sections: the lookback of
// every rule, the rules themselves (rules/rule_codec.hpp), and the
// serialized content (regexes and keywords), scoped-content and path
// databases (any may be empty).

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/hyperscan.hpp"
#include "rules/rule.hpp"

namespace leakstop::engine {

struct CachedRules {
  std::vector<rules::Rule> rules;
  std::vector<std::size_t> lookback;
  HsDatabase content;
  HsDatabase scoped;
  HsDatabase paths;
};

// The layout's version line: part of every cache entry's name.
std::string_view cache_format_version();

// `databases`: content, scoped, paths (each may be null).
std::string encode_cache(const std::vector<rules::Rule>& rules, const std::vector<std::size_t>& lookback,
                         std::initializer_list<const hs_database_t*> databases);

// nullopt when `bytes` is not a cache this build and CPU can use.
std::optional<CachedRules> decode_cache(std::string_view bytes);

// A cache entry that names another (an install's precompiled rules).
std::string encode_cache_link(const std::filesystem::path& target);
// The file a link entry names; nullopt when `bytes` is no link.
std::optional<std::filesystem::path> cache_link_target(std::string_view bytes);

// Writes `bytes` atomically (temporary file and rename); false when it
// cannot. A cache that cannot be written only costs the next run time.
bool write_cache_file(const std::filesystem::path& file, const std::string& bytes);

} // namespace leakstop::engine
