#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "engine/base64_runs.hpp"

using namespace leakstop;

namespace {

using Runs = std::vector<std::pair<std::size_t, std::size_t>>;

bool is_base64(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
         c == '_' || c == '-';
}

// Byte by byte: every maximal run of at least 16 base64 characters.
Runs runs_by_hand(const std::string& text, std::size_t begin, std::size_t end) {
  Runs out;
  for (std::size_t i = begin; i < end;) {
    if (!is_base64(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < end && is_base64(text[j])) {
      ++j;
    }
    if (j - i >= engine::k_min_base64_run) {
      out.emplace_back(i, j);
    }
    i = j;
  }
  return out;
}

Runs runs_found(const std::string& text, std::size_t begin, std::size_t end) {
  Runs out;
  engine::for_each_base64_run(text, begin, end, [&](std::size_t b, std::size_t e) {
    out.emplace_back(b, e);
    return e;
  });
  return out;
}

} // namespace

TEST_CASE("every byte value is classified as base64 or not, as the alphabet says") {
  // Each byte value once in a run of 16, at every offset of a 64-byte block.
  for (int c = 0; c < 256; ++c) {
    for (std::size_t at = 0; at < 80; at += 7) {
      std::string text(300, 'A');
      text[at + 100] = static_cast<char>(c);
      const Runs expected = runs_by_hand(text, 0, text.size());
      REQUIRE(expected.size() == (is_base64(static_cast<char>(c)) ? 1u : 2u));
      REQUIRE(runs_found(text, 0, text.size()) == expected);
    }
  }
}

TEST_CASE("runs of every length at every offset, and regions starting mid-run, are found exactly") {
  std::mt19937 random(20261202);
  const std::string alphabet = "ab+/_-Z09 .:=\"\n\x80\xff";
  for (int round = 0; round < 3000; ++round) {
    std::string text(std::uniform_int_distribution<std::size_t>(0, 700)(random), ' ');
    // Runs of base64 of random lengths (around 16, and long), between other bytes.
    for (std::size_t i = 0; i < text.size();) {
      const std::size_t length = std::uniform_int_distribution<std::size_t>(0, round % 3 == 0 ? 300 : 40)(random);
      for (std::size_t k = 0; k < length && i < text.size(); ++k, ++i) {
        text[i] = "AZaz09+/_-Qx"[std::uniform_int_distribution<int>(0, 11)(random)];
      }
      if (i < text.size()) {
        text[i++] = alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(random)];
      }
    }
    const std::size_t begin = text.empty() ? 0 : std::uniform_int_distribution<std::size_t>(0, text.size() / 4)(random);
    const std::size_t end = std::uniform_int_distribution<std::size_t>(begin, text.size())(random);
    INFO("round " << round << " begin " << begin << " end " << end);
    REQUIRE(runs_found(text, begin, end) == runs_by_hand(text, begin, end));
  }
}

TEST_CASE("the callback decides where the search goes on, and can stop it") {
  std::string text = std::string(40, 'a') + "==" + std::string(20, 'b') + " " + std::string(200, 'c') + " " +
                     std::string(30, 'd');
  Runs seen;
  engine::for_each_base64_run(text, 0, text.size(), [&](std::size_t b, std::size_t e) {
    seen.emplace_back(b, e);
    while (e < text.size() && text[e] == '=') {
      ++e;  // past the padding, as the decoder goes on: the next run starts right there
    }
    return e;
  });
  REQUIRE(seen == runs_by_hand(text, 0, text.size()));
  seen.clear();
  engine::for_each_base64_run(text, 0, text.size(), [&](std::size_t b, std::size_t e) {
    seen.emplace_back(b, e);
    return seen.size() == 3 ? text.size() : e;
  });
  REQUIRE(seen.size() == 3);
}
