#include "core/secret.hpp"

#include <mbedtls/sha256.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "core/error.hpp"

namespace leakstop {

std::string redact(std::string_view secret) {
  std::size_t shown = std::min<std::size_t>(12, secret.size() / 3);
  if (secret.size() >= 6 && shown < 2) {
    shown = 2;
  }
  std::string out(secret.substr(0, shown));
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') {
      c = ' ';
    }
  }
  return out + "…";
}

// NOTE: mbedTLS, already loaded by libgit2, rather than OpenSSL, whose
// first use reads openssl.cnf: 1-2 ms a hook run does not need to pay.
std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, 32> digest{};
  if (mbedtls_sha256_ret(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data(), 0) != 0) {
    throw RepoError("SHA-256 failed");
  }
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(digest.size() * 2);
  for (std::size_t i = 0; i < digest.size(); ++i) {
    out.push_back(k_hex[digest[i] >> 4]);
    out.push_back(k_hex[digest[i] & 15]);
  }
  return out;
}

std::string fingerprint(std::string_view rule_id, std::string_view secret, std::string_view path_or_empty) {
  std::string material;
  material.append(rule_id).push_back('\0');
  material.append(secret).push_back('\0');
  material.append(path_or_empty);
  return sha256_hex(material).substr(0, 32);
}

double shannon_entropy(std::string_view s) {
  if (s.empty()) {
    return 0.0;
  }
  std::array<std::size_t, 256> counts{};
  for (unsigned char c : s) {
    ++counts[c];
  }
  double entropy = 0.0;
  const double n = static_cast<double>(s.size());
  for (std::size_t c : counts) {
    if (c != 0) {
      double p = static_cast<double>(c) / n;
      entropy -= p * std::log2(p);
    }
  }
  return entropy;
}

} // namespace leakstop
