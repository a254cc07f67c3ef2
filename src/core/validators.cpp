#include "core/validators.hpp"

#include <zlib.h>

#include <cctype>
#include <cstdint>
#include <string>

#include "core/encoding.hpp"

namespace leakstop {
namespace {

// GitHub and npm tokens: prefix_ + payload + 6 base62 digits (0-9A-Za-z)
// encoding the CRC32 of the payload.
bool valid_crc32_base62(std::string_view secret) {
  std::size_t underscore = secret.find('_');
  if (underscore == std::string_view::npos || secret.size() < underscore + 1 + 7) {
    return false;
  }
  std::string_view payload = secret.substr(underscore + 1, secret.size() - underscore - 1 - 6);
  std::string_view check = secret.substr(secret.size() - 6);
  std::uint64_t encoded = 0;
  for (char c : check) {
    int digit = 0;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'A' && c <= 'Z') {
      digit = c - 'A' + 10;
    } else if (c >= 'a' && c <= 'z') {
      digit = c - 'a' + 36;
    } else {
      return false;
    }
    encoded = encoded * 62 + static_cast<std::uint64_t>(digit);
  }
  uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(payload.data()), static_cast<uInt>(payload.size()));
  return encoded == crc;
}

bool valid_jwt(std::string_view secret) {
  std::size_t dot1 = secret.find('.');
  if (dot1 == std::string_view::npos) {
    return false;
  }
  std::size_t dot2 = secret.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos) {
    return false;
  }
  auto header = base64_decode(secret.substr(0, dot1));
  auto payload = base64_decode(secret.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!header || !payload) {
    return false;
  }
  auto starts_object = [](const std::string& s) {
    for (char c : s) {
      if (!std::isspace(static_cast<unsigned char>(c))) {
        return c == '{';
      }
    }
    return false;
  };
  return starts_object(*header) && header->find("\"alg\"") != std::string::npos && starts_object(*payload);
}

bool valid_luhn(std::string_view secret) {
  int sum = 0;
  int digits = 0;
  bool double_it = false;
  for (auto it = secret.rbegin(); it != secret.rend(); ++it) {
    if (!std::isdigit(static_cast<unsigned char>(*it))) {
      continue;
    }
    int d = *it - '0';
    if (double_it) {
      d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    }
    sum += d;
    double_it = !double_it;
    ++digits;
  }
  return digits >= 12 && sum % 10 == 0;
}

} // namespace

std::optional<Validator> parse_validator(std::string_view name) {
  if (name == "crc32-base62") return Validator::crc32_base62;
  if (name == "jwt") return Validator::jwt;
  if (name == "luhn") return Validator::luhn;
  return std::nullopt;
}

bool validate_secret(Validator v, std::string_view secret) {
  switch (v) {
  case Validator::none: return true;
  case Validator::crc32_base62: return valid_crc32_base62(secret);
  case Validator::jwt: return valid_jwt(secret);
  case Validator::luhn: return valid_luhn(secret);
  }
  return false;
}

} // namespace leakstop
