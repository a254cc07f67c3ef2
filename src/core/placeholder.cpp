#include "core/placeholder.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace leakstop {
namespace {

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// NOTE: in a random 40-character base62 key a run of 6 equal characters
// occurs with probability ~1e-9, and of a 6-step ascending sequence ~1e-8:
// these tests cost no recall on real keys.
bool has_repeated_run(std::string_view s, std::size_t length) {
  std::size_t run = 1;
  for (std::size_t i = 1; i < s.size(); ++i) {
    run = s[i] == s[i - 1] ? run + 1 : 1;
    if (run >= length) {
      return true;
    }
  }
  return false;
}

bool has_ascending_run(std::string_view lower, std::size_t length) {
  std::size_t run = 1;
  for (std::size_t i = 1; i < lower.size(); ++i) {
    bool step = std::isalnum(static_cast<unsigned char>(lower[i])) && lower[i] == lower[i - 1] + 1;
    run = step ? run + 1 : 1;
    if (run >= length) {
      return true;
    }
  }
  return false;
}

constexpr std::array k_markers = {
  std::string_view("xxxx"),     std::string_view("****"),       std::string_view("…"),
  std::string_view("..."),      std::string_view("${"),         std::string_view("{{"),
  std::string_view("}}"),       std::string_view("$("),         std::string_view("%s"),
  std::string_view("%("),       std::string_view("changeme"),   std::string_view("change_me"),
  std::string_view("change-me"),std::string_view("example"),    std::string_view("dummy"),
  std::string_view("your_"),    std::string_view("your-"),      std::string_view("yourkey"),
  std::string_view("yourtoken"),std::string_view("yoursecret"), std::string_view("yourpass"),
  std::string_view("placeholder"), std::string_view("replace_me"), std::string_view("replaceme"),
  std::string_view("redacted"), std::string_view("insert_"),    std::string_view("notarealkey"),
  std::string_view("not_a_real"), std::string_view("fake_"),    std::string_view("_fake"),
  std::string_view("sample"),   std::string_view("lorem"),      std::string_view("secret_here"),
  std::string_view("key_here"), std::string_view("token_here"), std::string_view("<"),
  std::string_view(">"),
};

} // namespace

bool looks_like_placeholder(std::string_view secret) {
  const std::string lower = lowercase(secret);
  for (std::string_view marker : k_markers) {
    if (lower.find(marker) != std::string::npos) {
      return true;
    }
  }
  if (!lower.empty() && (lower.front() == '$' || lower.front() == '%')) {
    return true;
  }
  return has_repeated_run(lower, 6) || has_ascending_run(lower, 7);
}

bool is_documentation_sample(std::string_view secret) {
  // Exact values printed in providers' and libraries' documentation, which
  // READMEs, tutorials and tests copy by the thousand. They open nothing.
  // Published *private keys* (test fixtures) are not here: a published key
  // is a compromised key, and a repository that uses one should hear of it.
  static constexpr std::array k_samples = {
    // AWS, "Managing access keys": sample access key id and secret key.
    std::string_view("AKIAIOSFODNN7EXAMPLE"),
    std::string_view("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    // RFC 6749 (OAuth 2.0), sections 4.2.2 and 5.1: the sample access and
    // refresh tokens, copied into OAuth libraries' docstrings and tests.
    std::string_view("2YotnFZFEjr1zCsicMWpAA"),
    std::string_view("tGzv3JOkF0XG5Qx2TlKWIA"),
    // jwt.io's debugger default token (HS256, "John Doe").
    std::string_view("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2"
                     "MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"),
    // PyJWT's README: jwt.encode({"some": "payload"}, "secret").
    std::string_view("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzb21lIjoicGF5bG9hZCJ9.4twFt5NiznN84AWoo1d7KO1T_yoc0Z6XOpOVswacPZg"),
  };
  return std::find(k_samples.begin(), k_samples.end(), secret) != k_samples.end();
}

} // namespace leakstop
