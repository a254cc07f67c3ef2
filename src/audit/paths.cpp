#include "audit/paths.hpp"

#include <algorithm>
#include <cctype>
#include <vector>


namespace leakstop::audit {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::vector<std::string> components(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    if (end > start) {
      out.push_back(lower(path.substr(start, end - start)));
    }
    start = end + 1;
  }
  return out;
}

std::string canonical(std::string_view token, const CheckData& data) {
  for (const auto& [alias, name] : data.environments) {
    if (token == alias) {
      return std::string(name);
    }
  }
  return "";
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// "values-prod.yaml" with prefix "values-" -> "prod"; "" when the name does
// not start with `prefix` or has no extension.
std::string token_after(std::string_view name, std::string_view prefix) {
  if (!starts_with(name, prefix)) {
    return "";
  }
  std::string_view rest = name.substr(prefix.size());
  std::size_t dot = rest.find('.');
  return dot == std::string_view::npos ? "" : std::string(rest.substr(0, dot));
}

std::string environment_of_name(const std::string& name, const CheckData& data) {
  if (starts_with(name, ".env.")) {
    std::string_view rest = std::string_view(name).substr(5);
    return canonical(rest.substr(0, rest.find('.')), data);
  }
  for (std::string_view prefix : {"values-", "values.", "application-", "appsettings.", "terraform."}) {
    if (std::string env = canonical(token_after(name, prefix), data); !env.empty()) {
      return env;
    }
  }
  if (ends_with(name, ".tfvars")) {
    return canonical(name.substr(0, name.find('.')), data);
  }
  return "";
}

} // namespace

std::string_view base_name(std::string_view path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string environment_of(std::string_view path, const CheckData& data) {
  std::vector<std::string> parts = components(path);
  if (parts.empty()) {
    return "";
  }
  if (std::string env = environment_of_name(parts.back(), data); !env.empty()) {
    return env;
  }
  const std::string& name = parts.back();
  std::string stem = name.substr(0, name.find('.'));
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    const std::string& dir = parts[i];
    bool config_dir = dir == "config" || dir == "settings" || dir == "environments" || dir == "conf";
    // config/prod.json, config/environments/production.rb, settings/dev.py
    if (config_dir && i + 2 == parts.size() && name.find('.') != std::string::npos) {
      if (std::string env = canonical(stem, data); !env.empty()) {
        return env;
      }
    }
    // overlays/prod/..., k8s/staging/..., environments/dev/...
    if (std::find(data.environment_parents.begin(), data.environment_parents.end(), dir) !=
        data.environment_parents.end()) {
      if (std::string env = canonical(parts[i + 1], data); !env.empty() && i + 2 < parts.size()) {
        return env;
      }
    }
  }
  return "";
}

bool is_test_path(std::string_view path, const CheckData& data) {
  std::vector<std::string> parts = components(path);
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (std::find(data.test_dirs.begin(), data.test_dirs.end(), parts[i]) != data.test_dirs.end()) {
      return true;
    }
  }
  if (parts.empty()) {
    return false;
  }
  const std::string& name = parts.back();
  std::string stem = name.substr(0, name.rfind('.'));
  // FooTest.java, FooTests.cs: the case tells "Test" from "latest".
  std::string_view original = base_name(path);
  std::string_view original_stem = original.substr(0, original.rfind('.'));
  return starts_with(name, "test_") || ends_with(stem, "_test") || ends_with(stem, "_spec") ||
         ends_with(stem, ".test") || ends_with(stem, ".spec") || ends_with(original_stem, "Test") ||
         ends_with(original_stem, "Tests");
}

bool is_env_example(std::string_view path, const CheckData& data) {
  std::string name = lower(base_name(path));
  if (!starts_with(name, ".env")) {
    return false;
  }
  for (std::string_view suffix : data.env_example_suffixes) {
    if (ends_with(name, suffix)) {
      return true;
    }
  }
  return false;
}

bool is_env_file(std::string_view path, const CheckData& data) {
  std::string name = lower(base_name(path));
  return (name == ".env" || starts_with(name, ".env.")) && !is_env_example(path, data);
}

std::string variable_for(std::string_view rule_id) {
  std::string out;
  for (unsigned char c : rule_id) {
    out.push_back(std::isalnum(c) ? static_cast<char>(std::toupper(c)) : '_');
  }
  return out.empty() ? "SECRET" : out;
}

std::string env_read_example(std::string_view path, std::string_view variable) {
  std::string name = lower(base_name(path));
  std::string v(variable);
  auto ext = [&](std::initializer_list<std::string_view> exts) {
    return std::any_of(exts.begin(), exts.end(), [&](std::string_view e) { return ends_with(name, e); });
  };
  if (ext({".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx"})) {
    return "process.env." + v;
  }
  if (ext({".py"})) {
    return "os.environ[\"" + v + "\"]";
  }
  if (ext({".go"})) {
    return "os.Getenv(\"" + v + "\")";
  }
  if (ext({".rb", ".rake"}) || name == "gemfile" || name == "rakefile") {
    return "ENV[\"" + v + "\"]";
  }
  if (ext({".java", ".kt", ".kts", ".scala", ".groovy"})) {
    return "System.getenv(\"" + v + "\")";
  }
  if (ext({".php"})) {
    return "getenv('" + v + "')";
  }
  if (ext({".cs"})) {
    return "Environment.GetEnvironmentVariable(\"" + v + "\")";
  }
  if (ext({".rs"})) {
    return "std::env::var(\"" + v + "\")";
  }
  if (ext({".sh", ".bash", ".zsh"})) {
    return "\"${" + v + "}\"";
  }
  return "";
}

} // namespace leakstop::audit
