#include "rules/toml_read.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>
#include <utility>

#include "core/error.hpp"

namespace leakstop::rules {

std::string where(const std::string& file, const toml::node& node) {
  const auto& src = node.source();
  if (src.begin.line == 0) {
    return file + ": ";
  }
  return fmt::format("{}:{}: ", file, src.begin.line);
}

TomlReader::TomlReader(std::string file, std::string context, std::string key_label)
  : m_file(std::move(file)), m_context(std::move(context)), m_key_label(std::move(key_label)) {}

void TomlReader::fail(const toml::node& at, std::string_view reason) const {
  throw ConfigError(fmt::format("{}{}{}", where(m_file, at), m_context, reason));
}

std::string TomlReader::label(std::string_view key) const {
  return fmt::format(fmt::runtime(m_key_label), key);
}

const toml::node* TomlReader::typed(const toml::table& t, std::string_view key, bool (*is)(const toml::node&),
                                    std::string_view what) const {
  const toml::node* node = t.get(key);
  if (node && !is(*node)) {
    fail(*node, fmt::format("{} must be {}", label(key), what));
  }
  return node;
}

std::optional<std::string> TomlReader::string(const toml::table& t, std::string_view key) const {
  const toml::node* node = typed(t, key, [](const toml::node& n) { return n.is_string(); }, "a string");
  return node ? std::optional<std::string>(*node->value<std::string_view>()) : std::nullopt;
}

std::vector<std::string> TomlReader::strings(const toml::table& t, std::string_view key) const {
  std::vector<std::string> out;
  const toml::node* node = typed(t, key, [](const toml::node& n) { return n.is_array(); }, "an array of strings");
  if (!node) {
    return out;
  }
  for (const toml::node& item : *node->as_array()) {
    if (!item.is_string()) {
      fail(item, fmt::format("{} must hold only strings", label(key)));
    }
    out.emplace_back(*item.value<std::string_view>());
  }
  return out;
}

std::optional<std::int64_t> TomlReader::integer(const toml::table& t, std::string_view key) const {
  const toml::node* node = typed(t, key, [](const toml::node& n) { return n.is_integer(); }, "an integer");
  return node ? node->value_exact<std::int64_t>() : std::nullopt;
}

std::optional<double> TomlReader::number(const toml::table& t, std::string_view key) const {
  const toml::node* node = typed(t, key, [](const toml::node& n) { return n.is_number(); }, "a number");
  return node ? node->value<double>() : std::nullopt;
}

std::optional<bool> TomlReader::boolean(const toml::table& t, std::string_view key) const {
  const toml::node* node = typed(t, key, [](const toml::node& n) { return n.is_boolean(); }, "true or false");
  return node ? node->value<bool>() : std::nullopt;
}

const toml::table* TomlReader::table(const toml::table& t, std::string_view key) const {
  const toml::node* node = typed(t, key, [](const toml::node& n) { return n.is_table(); }, "a table");
  return node ? node->as_table() : nullptr;
}

std::vector<const toml::table*> TomlReader::tables(const toml::table& t, std::string_view key, Single single) const {
  std::vector<const toml::table*> out;
  const toml::node* node = t.get(key);
  if (!node) {
    return out;
  }
  if (const toml::table* one = node->as_table(); one && single == Single::allowed) {
    out.push_back(one);
  } else if (const toml::array* many = node->as_array()) {
    for (const toml::node& item : *many) {
      if (!item.is_table()) {
        fail(item, fmt::format("{} must hold tables", label(key)));
      }
      out.push_back(item.as_table());
    }
  } else {
    fail(*node, fmt::format("{} must be {}", label(key), single == Single::allowed ? "a table" : "an array of tables"));
  }
  return out;
}

std::optional<std::uint64_t> TomlReader::byte_size(const toml::table& t, std::string_view key) const {
  const toml::node* node = t.get(key);
  if (!node) {
    return std::nullopt;
  }
  std::optional<std::uint64_t> bytes;
  if (node->is_integer() && *node->value_exact<std::int64_t>() > 0) {
    bytes = static_cast<std::uint64_t>(*node->value_exact<std::int64_t>());
  } else if (node->is_string()) {
    bytes = parse_byte_size(*node->value<std::string_view>());
  }
  if (!bytes || *bytes == 0) {
    fail(*node, fmt::format("{} must be a positive integer of bytes or a size with a unit (\"5MB\", \"512KiB\"; "
                            "KB = 1000, KiB = 1024 bytes)",
                            label(key)));
  }
  return bytes;
}

void TomlReader::only_keys(const toml::table& t, std::initializer_list<std::string_view> known,
                           std::string_view what) const {
  for (const auto& [key, node] : t) {
    if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
      fail(node, fmt::format("{}unknown key '{}'", what.empty() ? "" : fmt::format("{}: ", what), key.str()));
    }
  }
}

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
  };
  text = trim(text);
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data()) {
    return std::nullopt;
  }
  std::string unit(trim(text.substr(static_cast<std::size_t>(end - text.data()))));
  std::transform(unit.begin(), unit.end(), unit.begin(), [](unsigned char c) { return std::tolower(c); });
  static constexpr std::array<std::pair<std::string_view, std::uint64_t>, 7> k_units = {{
    {"b", 1},
    {"kb", 1000},
    {"mb", 1000 * 1000},
    {"gb", 1000 * 1000 * 1000},
    {"kib", 1024},
    {"mib", 1024 * 1024},
    {"gib", 1024 * 1024 * 1024},
  }};
  for (const auto& [name, factor] : k_units) {
    if (unit == name) {
      if (value > std::numeric_limits<std::uint64_t>::max() / factor) {
        return std::nullopt;
      }
      return value * factor;
    }
  }
  return std::nullopt;
}

} // namespace leakstop::rules
