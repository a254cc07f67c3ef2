#include "engine/hyperscan.hpp"

#include <fmt/format.h>

#include <cctype>
#include <climits>
#include <cstdlib>

#include "core/error.hpp"

namespace leakstop::engine {

void check_hs(hs_error_t rc, std::string_view what) {
  if (rc != HS_SUCCESS) {
    throw RepoError(fmt::format("Hyperscan: {}: error {}", what, rc));
  }
}

namespace {

hs_platform_info_t platform_of(CpuTarget target) {
  hs_platform_info_t info{};
  if (target == CpuTarget::native) {
    check_hs(hs_populate_platform(&info), "populate platform");
  } else {
    info.tune = HS_TUNE_FAMILY_GENERIC;
    info.cpu_features = 0;
  }
  return info;
}

} // namespace

HsCompileResult compile_block_database(const std::vector<HsPattern>& patterns, CpuTarget target) {
  std::vector<const char*> expressions;
  std::vector<unsigned int> flags;
  std::vector<unsigned int> ids;
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    expressions.push_back(patterns[i].expression.c_str());
    flags.push_back(patterns[i].flags);
    ids.push_back(static_cast<unsigned int>(i));
  }
  HsCompileResult result;
  const hs_platform_info_t platform = platform_of(target);
  hs_database_t* db = nullptr;
  hs_compile_error_t* raw_error = nullptr;
  hs_error_t rc = hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                                   static_cast<unsigned int>(patterns.size()), HS_MODE_BLOCK, &platform, &db, &raw_error);
  HsCompileError error(raw_error);
  result.database.reset(db);
  if (rc != HS_SUCCESS) {
    result.failed_index = error ? error->expression : -1;
    result.message = error && error->message ? error->message : fmt::format("error {}", rc);
  }
  return result;
}

std::string escaped_literal(std::string_view literal) {
  std::string out;
  out.reserve(literal.size() * 4);
  for (unsigned char c : literal) {
    if (std::isalnum(c) != 0 && c < 0x80) {
      out.push_back(static_cast<char>(c));  // as written, so that HS_FLAG_CASELESS applies plainly
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  return out;
}

std::string widen_repeats(std::string_view pattern) {
  std::string out;
  out.reserve(pattern.size());
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      out.append(pattern.substr(i, 2));
      ++i;
      continue;
    }
    if (in_class) {
      in_class = c != ']';
      out.push_back(c);
      continue;
    }
    if (c == '[') {
      in_class = true;
      out.push_back(c);
      // A ']' right after '[' or '[^' is a literal.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') {
        out.push_back(pattern[++i]);
      }
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') {
        out.push_back(pattern[++i]);
      }
      continue;
    }
    if (c == '{') {
      std::size_t close = pattern.find('}', i);
      std::size_t comma = pattern.find(',', i);
      if (close != std::string_view::npos && comma != std::string_view::npos && comma < close && comma > i + 1) {
        std::string_view low = pattern.substr(i + 1, comma - i - 1);
        std::string_view high = pattern.substr(comma + 1, close - comma - 1);
        auto digits = [](std::string_view s) {
          return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos && s.size() < 6;
        };
        if (digits(low) && digits(high)) {
          const bool group = i > 0 && pattern[i - 1] == ')';
          if (std::stoul(std::string(high)) > (group ? 2UL : 16UL)) {
            out.push_back('{');
            out.append(low);
            out.append(",}");
            i = close;
            continue;
          }
        }
      }
    }
    out.push_back(c);
  }
  return out;
}

std::optional<unsigned int> max_match_width(const HsPattern& pattern) {
  hs_expr_info_t* raw_info = nullptr;
  hs_compile_error_t* raw_error = nullptr;
  hs_error_t rc = hs_expression_info(pattern.expression.c_str(), pattern.flags, &raw_info, &raw_error);
  HsCompileError error(raw_error);
  std::unique_ptr<hs_expr_info_t, decltype(&std::free)> info(raw_info, &std::free);
  if (rc != HS_SUCCESS || !info || info->max_width == UINT_MAX) {
    return std::nullopt;
  }
  return info->max_width;
}

std::string serialize(const hs_database_t* db) {
  char* raw = nullptr;
  std::size_t length = 0;
  check_hs(hs_serialize_database(db, &raw, &length), "serialize database");
  std::unique_ptr<char, decltype(&std::free)> bytes(raw, &std::free);
  return std::string(bytes.get(), length);
}

HsDatabase deserialize(std::string_view bytes) {
  hs_database_t* db = nullptr;
  if (hs_deserialize_database(bytes.data(), bytes.size(), &db) != HS_SUCCESS) {
    return nullptr;
  }
  // The cache key names the CPU features, so a database built for another
  // CPU is never found here; allocating scratch would catch it anyway.
  return HsDatabase(db);
}

std::string platform_key(CpuTarget target) {
  const hs_platform_info_t info = platform_of(target);
  return fmt::format("hs={};tune={};cpu={:x}", hs_version(), info.tune, info.cpu_features);
}

HsScratch allocate_scratch(std::initializer_list<const hs_database_t*> dbs) {
  HsScratch scratch;
  for (const hs_database_t* db : dbs) {
    if (db) {
      hs_scratch_t* raw = scratch.release();
      hs_error_t rc = hs_alloc_scratch(db, &raw);
      scratch.reset(raw);
      check_hs(rc, "allocate scratch");
    }
  }
  return scratch;
}

} // namespace leakstop::engine
