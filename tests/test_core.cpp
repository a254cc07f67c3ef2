#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <unistd.h>

#include "core/audit_log.hpp"
#include "core/dates.hpp"
#include "core/error.hpp"
#include "core/encoding.hpp"
#include "core/placeholder.hpp"
#include "core/secret.hpp"
#include "core/validators.hpp"

using namespace leakstop;

TEST_CASE("redact shows at most a third of the secret, never more than 12 bytes") {
  CHECK(redact("sk_live_51wmo9u2gu2dKBuYXsM8h8PfPr8MNMEh") == "sk_live_51wm…");
  CHECK(redact("hunter2pass") == "hun…");
  CHECK(redact("abc") == "a…");
}

TEST_CASE("fingerprint depends on rule and secret, not on where it was found") {
  auto a = fingerprint("stripe.live-secret-key", "sk_live_1", "");
  CHECK(a == fingerprint("stripe.live-secret-key", "sk_live_1", ""));
  CHECK(a != fingerprint("stripe.live-secret-key", "sk_live_2", ""));
  CHECK(a != fingerprint("stripe.test-secret-key", "sk_live_1", ""));
  CHECK(a.size() == 32);
  CHECK(a.find("sk_live") == std::string::npos);
}

TEST_CASE("sha256 matches the published test vector") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("shannon entropy") {
  CHECK(shannon_entropy("aaaa") == Approx(0.0));
  CHECK(shannon_entropy("abcd") == Approx(2.0));
  CHECK(shannon_entropy("") == Approx(0.0));
}

TEST_CASE("placeholders are recognised") {
  for (const char* p : {"xxxxxxxxxxxx", "${API_KEY}", "{{ api_key }}", "<your-api-key>", "changeme123", "my_example_key",
                        "dummy-token-value", "your_token_here", "********", "%s", "$(cat key)", "aaaaaaaaaaaaaa",
                        "0123456789abcdef", "sk_live_…"}) {
    INFO(p);
    CHECK(looks_like_placeholder(p));
  }
  for (const char* real : {"sk_live_51wmo9u2gu2dKBuYXsM8h8PfPr8MNMEh", "UHazNdwAM0d5Neoz69rEiRYimLnLslYlQde9NBgr",
                           "9f8a7c6e5d4b3a2f1e0d9c8b7a6f5e4d"}) {
    INFO(real);
    CHECK_FALSE(looks_like_placeholder(real));
  }
  CHECK(is_documentation_sample("AKIAIOSFODNN7EXAMPLE"));
  CHECK(is_documentation_sample(
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzb21lIjoicGF5bG9hZCJ9.4twFt5NiznN84AWoo1d7KO1T_yoc0Z6XOpOVswacPZg"));
  CHECK_FALSE(is_documentation_sample("AKIAIOSFODNN7EXAMPLF"));
}

TEST_CASE("crc32-base62 validator accepts GitHub-style checksums only") {
  CHECK(validate_secret(Validator::crc32_base62, "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"));
  CHECK_FALSE(validate_secret(Validator::crc32_base62, "ghp_zcvvXYBgshBLRUXpL6Oj8HBfwvqW3C2ty0kH"));
  CHECK_FALSE(validate_secret(Validator::crc32_base62, "ghp_short"));
}

TEST_CASE("jwt validator wants a JSON header with alg") {
  CHECK(validate_secret(Validator::jwt, "eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiMTIzNCIsICJuYW1lIjogIngifQ."
                                        "q22MAXP8UonqyN30zQFRgT19FkXibi9yuvrVrAJFU8G"));
  CHECK_FALSE(validate_secret(Validator::jwt, "eyJub3RqdXN0.eyJhIjoxfQ.abc"));
  CHECK_FALSE(validate_secret(Validator::jwt, "not.a.jwt"));
}

TEST_CASE("luhn") {
  CHECK(validate_secret(Validator::luhn, "4539578763621486"));
  CHECK_FALSE(validate_secret(Validator::luhn, "4539578763621487"));
}

TEST_CASE("base64 decodes standard and URL-safe alphabets") {
  CHECK(base64_decode("aGVsbG8=").value() == "hello");
  CHECK(base64_decode("aGVsbG8").value() == "hello");
  CHECK(base64_decode("-_8").value() == "\xfb\xff");
  CHECK_FALSE(base64_decode("a$b=").has_value());
}

TEST_CASE("hex_decode takes pairs of hex digits in either case") {
  CHECK(hex_decode("676870") == std::optional<std::string>("ghp"));
  CHECK(hex_decode("4A4b") == std::optional<std::string>("JK"));
  CHECK_FALSE(hex_decode("676"));
  CHECK_FALSE(hex_decode("67zz"));
}

TEST_CASE("percent_decode decodes %XX and keeps everything else") {
  CHECK(percent_decode("a%2Fb%3d%3D+c") == "a/b==+c");
  CHECK(percent_decode("100%") == "100%");
  CHECK(percent_decode("%zz%4") == "%zz%4");
}

TEST_CASE("unescape reads C, JSON, JavaScript and Python escapes") {
  CHECK(unescape(R"(\x67\x68p_)") == "ghp_");
  CHECK(unescape(R"(\u0067hp \u{1F600})") == "ghp \xF0\x9F\x98\x80");
  CHECK(unescape(R"(\U00000041\101\n\t\"\\\/)") == "AA\n\t\"\\/");
  CHECK(unescape(R"(https:\/\/a)") == "https://a");
  // Unknown and malformed escapes stay as they are.
  CHECK(unescape(R"(\d+\q\x\u12)") == R"(\d+\q\x\u12)");
}

TEST_CASE("printable escapes what a terminal would act on, and keeps printable UTF-8") {
  CHECK(printable("src/main.c") == "src/main.c");
  CHECK(printable("naïve файл 文件.txt") == "naïve файл 文件.txt");
  CHECK(printable("a\nb\rc\td") == "a\\nb\\rc\\td");
  CHECK(printable("esc\x1b[31mred\x7f") == "esc\\x1b[31mred\\x7f");
  CHECK(printable(std::string("nul\0x", 5)) == "nul\\x00x");
  CHECK(printable("bidi\u202etxt.exe\u2066\u200f") == "bidi\\u202etxt.exe\\u2066\\u200f");
  CHECK(printable("line\u2028sep") == "line\\u2028sep");
  CHECK(printable("c1\xc2\x9b" "31m") == "c1\\u009b31m");             // CSI as a C1 control
  CHECK(printable("bad\xff\xc3") == "bad\\xff\\xc3");                   // not UTF-8, and cut short
  CHECK(printable("\xc0\xaf") == "\\xc0\\xaf");                         // overlong '/'
  CHECK(printable("\xed\xa0\x80") == "\\xed\\xa0\\x80");                // a surrogate
  CHECK(printable("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");       // past U+10FFFF
  CHECK(printable("\xf0\x9f\x94\x91 key") == "\xf0\x9f\x94\x91 key");  // an emoji stays
}

TEST_CASE("dates: one ISO 8601 formatter", "[core][dates]") {
  CHECK(leakstop::iso8601_utc(0) == "1970-01-01T00:00:00");
  CHECK(leakstop::iso8601_utc(1706692500) == "2024-01-31T09:15:00");
  CHECK(leakstop::iso8601_with_offset(1706692500, 60) == "2024-01-31T10:15:00+01:00");
  CHECK(leakstop::iso8601_with_offset(1706692500, -330) == "2024-01-31T03:45:00-05:30");
}

TEST_CASE("dates: the forms --since takes", "[core][dates]") {
  const std::int64_t now = 1706692500;  // 2024-01-31T09:15:00Z
  CHECK(leakstop::parse_date("@1700000000", now) == 1700000000);
  CHECK(leakstop::parse_date("2024-01-31", now) == 1706659200);
  CHECK(leakstop::parse_date("2024-01-31T09:15:00", now) == now);
  CHECK(leakstop::parse_date("2024-01-31 09:15", now) == now);
  CHECK(leakstop::parse_date("2024-01-31T09:15:00Z", now) == now);
  CHECK(leakstop::parse_date("2024-01-31T10:15:00+01:00", now) == now);
  CHECK(leakstop::parse_date("2024-01-31T10:15:00+0100", now) == now);
  CHECK(leakstop::parse_date("2024-01-31T08:15:00-01", now) == now);
  CHECK(leakstop::parse_date("2 days ago", now) == now - 2 * 86400);
  CHECK(leakstop::parse_date("1 week ago", now) == now - 604800);
  for (const char* bad : {"", "yesterday", "2024-13-01", "2024-01-32", "2024-01-31T25:00", "2024-01-31+1", "3 fortnights ago",
                          "@12x", "2024-01-31 junk"}) {
    CHECK_FALSE(leakstop::parse_date(bad, now).has_value());
  }
}

TEST_CASE("printable: zero-width characters, the BOM and every bidi control are escaped") {
  CHECK(printable("a\u200bb\u200cc\u200dd") == "a\\u200bb\\u200cc\\u200dd");
  CHECK(printable("word\u2060joiner\ufeff") == "word\\u2060joiner\\ufeff");
  CHECK(printable("\u061c\u200e\u202a\u202b\u202c\u202d\u2067\u2068\u2069") ==
        "\\u061c\\u200e\\u202a\\u202b\\u202c\\u202d\\u2067\\u2068\\u2069");
  // Every C1 control, not only CSI; and the code points around them stay.
  CHECK(printable("\xc2\x80\xc2\x85\xc2\x9f\xc2\xa0") == "\\u0080\\u0085\\u009f\xc2\xa0");
}

TEST_CASE("printable: a backslash is doubled, so that an escape always stands for a byte") {
  // A file really named `a\x1b` must not read as one holding ESC.
  CHECK(printable("a\\x1b") == "a\\\\x1b");
  CHECK(printable("a\x1b") == "a\\x1b");
  CHECK(printable("C:\\dir") == "C:\\\\dir");
}

TEST_CASE("printable: what unescape makes of an escaped ESC never reaches the output as ESC") {
  const std::string decoded = unescape(R"(\e[2J\u202e\x9b)");
  CHECK(decoded.find('\x1b') != std::string::npos);
  const std::string shown = printable(decoded);
  for (unsigned char c : shown) {
    CHECK((c >= 0x20 && c < 0x7f));
  }
  CHECK(shown == "\\x1b[2J\\u202e\\x9b");
}

TEST_CASE("audit log record: one JSON line in the documented order, userinfo stripped", "[audit-log]") {
  // Designated initialisers: member-wise assignment of short literals trips
  // GCC 12's -Wmaybe-uninitialized at -O2.
  const AuditRecord r{.time = 1717243200,  // 2024-06-01T12:00:00Z
                      .action = "history",
                      .actor = "ci",
                      .repository = "https://bot:tok3n@git.example.org/acme/shop.git",
                      .result = audit_result(1),
                      .exit_code = 1,
                      .findings = 3,
                      .files_scanned = 120};
  CHECK(audit_log_line(r) ==
        "{\"time\":\"2024-06-01T12:00:00Z\",\"action\":\"history\",\"actor\":\"ci\",\"repository\":"
        "\"https://git.example.org/acme/shop.git\",\"result\":\"findings\",\"exit_code\":1,\"findings\":3,"
        "\"files_scanned\":120}\n");
  CHECK(audit_result(0) == "clean");
  CHECK(audit_result(2) == "error");
  CHECK(audit_result(3) == "error");
}

TEST_CASE("audit log: appends line after line, and an unwritable file is a ConfigError naming it", "[audit-log]") {
  char dir_template[] = "/tmp/leakstop-core-XXXXXX";
  REQUIRE(::mkdtemp(dir_template));
  const std::filesystem::path dir = dir_template;
  append_audit_log(dir / "log.jsonl", "{\"n\":1}\n");
  append_audit_log(dir / "log.jsonl", "{\"n\":2}\n");
  std::ifstream in(dir / "log.jsonl");
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == "{\"n\":1}\n{\"n\":2}\n");
  CHECK_THROWS_AS(append_audit_log(dir / "missing" / "log.jsonl", "x\n"), ConfigError);
  CHECK_THROWS_WITH(append_audit_log(dir / "missing" / "log.jsonl", "x\n"), Catch::Contains("missing/log.jsonl"));
  std::filesystem::remove_all(dir);
}
