// Hostile repositories (issue 11): what a repository controls (names,
// authors, messages, rule text, file layout, its HEAD) can neither forge
// leakstop's output, run code through the hook, nor silence a scan. Each
// case runs the real binary on a real repository (bad_input.hpp's Repo:
// Stripe's rules only, so that it starts fast).
#include "bad_input.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

using namespace leakstop::test;
using namespace leakstop::test::bad_input;

namespace {

// Bytes a terminal acts on: C0 but newline, DEL, and the first byte of a
// C1 control in UTF-8 followed by one.
bool has_terminal_control(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7f) {
      return true;
    }
    if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xa0 &&
        static_cast<unsigned char>(text[i + 1]) >= 0x80) {
      return true;
    }
  }
  return false;
}

// Every line of `text` that holds `word`.
std::vector<std::string> lines_with(const std::string& text, const std::string& word) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find(word) != std::string::npos) {
      out.push_back(line);
    }
  }
  return out;
}

std::string base64(const std::string& in) {
  static constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) {
      out += k_alphabet[(v >> shift) & 63];
    }
  }
  REQUIRE(i == in.size());  // callers pass a multiple of 3 bytes: no padding to get right
  return out;
}

} // namespace

// ---------------------------------------------------------------------------
// Output that cannot be forged
// ---------------------------------------------------------------------------

TEST_CASE("hostile: escape sequences in paths, authors and messages reach the terminal escaped") {
  Repo repo;
  // ESC[2J clears the screen, ESC[1A ESC[2K erases the line above, OSC 8
  // makes a link, a newline splits a finding, U+202E reverses text.
  const std::string name = "clear\x1b[2J\nsplit\u202etxt.exe";
  repo.write(name, "key=" + k_stripe + "\n");
  repo.must("git add -A && GIT_AUTHOR_NAME=" + quote("Eve\x1b[1A\x1b[2K") + " GIT_AUTHOR_EMAIL=" +
            quote("eve@\x1b]8;;https://evil.example\x07x") + " git commit -q -m " +
            quote("fix\x1b[8m hidden\xc2\x9b" "31m"));
  RunResult r = repo.ls("history");
  INFO(r.out);
  CHECK(r.rc == 1);
  CHECK_FALSE(has_terminal_control(r.out));
  CHECK(r.out.find("\u202e") == std::string::npos);
  CHECK_THAT(r.out, Catch::Contains("clear\\x1b[2J\\nsplit\\u202etxt.exe:1:5"));
  CHECK_THAT(r.out, Catch::Contains("by Eve\\x1b[1A\\x1b[2K <eve@\\x1b]8;;https://evil.example\\x07x>"));
  CHECK_THAT(r.out, Catch::Contains(": fix\\x1b[8m hidden\\u009b31m"));
  // JSON stays exact: the name as git has it.
  repo.ls("history --report ../r.json");
  CHECK(nlohmann::json::parse(GitRepo::read_bytes(repo.tmp() / "r.json"))[0]["path"] == name);
}

TEST_CASE("hostile: a .leakstop.toml rule cannot print escape sequences either") {
  Repo repo;
  repo.write(".leakstop.toml", R"([[rule]]
id = "evil.rule"
description = "Looks \u001b[2Jharmless"
severity = "high"
regex = '''(zz_[a-z]{12})'''
keywords = ["zz_"]
remediation = "Step one\u001b[1A\u001b[2K"
link = "https://x.example/\u001b]8;;"
)");
  repo.write("a.txt", "v = zz_qmxvtrpwkdjh\n");
  RunResult r = repo.ls("scan a.txt");
  INFO(r.out);
  CHECK(r.rc == 1);
  CHECK_FALSE(has_terminal_control(r.out));
  CHECK_THAT(r.out, Catch::Contains("Looks \\x1b[2Jharmless"));
  CHECK_THAT(r.out, Catch::Contains("1. Step one\\x1b[1A\\x1b[2K"));
  CHECK_THAT(r.out, Catch::Contains("https://x.example/\\x1b]8;;"));
}

TEST_CASE("hostile: a C1 control the escape decoder makes in a secret is shown escaped") {
  Repo repo;
  // unescape turns `\u009b` (and `\e`, `\x1b`) into real control bytes; a
  // secret found in the decoded text and printed must not carry them.
  repo.write(".leakstop.toml", R"([[rule]]
id = "demo.pw"
description = "Password"
severity = "high"
regex = '''pw=([^\s"\\]{8,40})'''
keywords = ["pw="]
)");
  repo.write("a.js", R"(s = "pw=\u009b31mq8Zr2LmX0pW4";)" "\n");
  RunResult r = repo.ls("scan a.js --show-secrets");
  INFO(r.out);
  CHECK(r.rc == 1);
  CHECK_FALSE(has_terminal_control(r.out));
  CHECK_THAT(r.out, Catch::Contains("secret       \\u009b31mq8Zr2LmX0pW4"));
  CHECK_THAT(r.out, Catch::Contains("decoded      escape"));
}

TEST_CASE("hostile: CSV cells that a spreadsheet would run are neutralised, and JSON stays exact") {
  Repo repo;
  const std::string name = "=HYPERLINK(\"http-evil\",\"x\").txt";
  repo.write(name, "key=" + k_stripe + "\n");
  // Another key: history reports one secret once, wherever it is.
  repo.write("+1.txt", "key=" + k_stripe.substr(0, k_stripe.size() - 4) + "Qz7w\n");
  repo.must("git add -A && GIT_AUTHOR_NAME=" + quote("@SUM(1+1)") + " git commit -q -m " + quote("-2+3"));
  RunResult csv = repo.ls("history --format csv");
  INFO(csv.out);
  CHECK(csv.rc == 1);
  // Quoted (it holds quotes and a comma), the formula made text by a ' first.
  CHECK_THAT(csv.out, Catch::Contains("\"'=HYPERLINK(\"\"http-evil\"\",\"\"x\"\").txt\""));
  CHECK_THAT(csv.out, Catch::Contains(",'+1.txt,"));
  CHECK_THAT(csv.out, Catch::Contains(",'@SUM(1+1),"));
  for (const std::string& line : lines_with(csv.out, "stripe")) {
    CHECK(line.find(",=") == std::string::npos);
    CHECK(line.find(",+") == std::string::npos);
    CHECK(line.find(",@") == std::string::npos);
  }
  repo.ls("history --report ../r.json");
  auto findings = nlohmann::json::parse(GitRepo::read_bytes(repo.tmp() / "r.json"));
  std::vector<std::string> paths;
  for (const auto& f : findings) {
    paths.push_back(f["path"].get<std::string>());
    CHECK(f["author"] == "@SUM(1+1)");
  }
  std::sort(paths.begin(), paths.end());
  CHECK(paths == std::vector<std::string>{"+1.txt", name});
}

TEST_CASE("hostile: CSV escapes control bytes in names, as the text report does") {
  Repo repo;
  repo.write("a\x1b[2Jb.txt", "key=" + k_stripe + "\n");
  RunResult csv = repo.ls("scan --format csv .");
  INFO(csv.out);
  CHECK(csv.rc == 1);
  CHECK(csv.out.find('\x1b') == std::string::npos);
  CHECK_THAT(csv.out, Catch::Contains(",a\\x1b[2Jb.txt,"));
}

TEST_CASE("hostile: JUnit names and messages, shown by CI to people, are escaped too") {
  Repo repo;
  repo.write("rev\u202etxt.exe", "key=" + k_stripe + "\n");
  RunResult r = repo.ls("scan --format junit --report ../r.xml .");
  REQUIRE(r.rc == 1);
  const std::string xml = GitRepo::read_bytes(repo.tmp() / "r.xml");
  INFO(xml);
  CHECK_THAT(xml, Catch::Contains("name=\"rev\\u202etxt.exe:1:5\""));
  CHECK_THAT(xml, Catch::Contains(">rev\\u202etxt.exe:1:5\nfingerprint: "));
  // Only the file attribute, which tools match against the checkout, keeps the name.
  CHECK(xml.find("\u202e") == xml.find("file=\"rev") + 9);
}

// ---------------------------------------------------------------------------
// The hook script quotes the install path
// ---------------------------------------------------------------------------

TEST_CASE("hostile: the hook runs leakstop from a path with spaces, quotes, $ and backticks") {
  Repo repo;
  // A directory name that, pasted unquoted or double-quoted into sh, would
  // split, expand $HOME and run `touch pwned`.
  const fs::path dir = repo.tmp() / "it's a \"dir\" $HOME `touch pwned` $(touch pwned2)";
  fs::create_directories(dir);
  const fs::path bin = dir / "leakstop";
  fs::copy_file(leakstop_bin(), bin);
  repo.must(quote(bin.string()) + " install");
  const std::string hook = repo.read(".git/hooks/pre-commit");
  CHECK_THAT(hook, Catch::Contains("leakstop_bin='" + repo.tmp().string() +
                                   "/it'\\''s a \"dir\" $HOME `touch pwned` $(touch pwned2)/leakstop'\n"));
  // A secret: the hook ran that very binary (not one on PATH: there is none)
  // and refused the commit.
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt");
  RunResult refused = repo.run("PATH=/usr/bin:/bin git commit -q -m key");
  INFO(refused.out);
  CHECK(refused.rc == 1);
  CHECK_THAT(refused.out, Catch::Contains(k_rule));
  CHECK_THAT(refused.out, Catch::Contains("commit refused"));
  // Clean: the commit goes through, and nothing in the path ran.
  repo.must("git rm -q --cached k.txt");
  repo.write("clean.txt", "hello\n");
  repo.must("git add clean.txt");
  RunResult passed = repo.run("PATH=/usr/bin:/bin git commit -q -m clean");
  INFO(passed.out);
  CHECK(passed.rc == 0);
  CHECK(trimmed(repo.must("git log -1 --format=%s")) == "clean");
  for (const fs::path& where : {repo.root(), repo.tmp(), dir}) {
    CHECK_FALSE(fs::exists(where / "pwned"));
    CHECK_FALSE(fs::exists(where / "pwned2"));
  }
}

// ---------------------------------------------------------------------------
// Strict configuration
// ---------------------------------------------------------------------------

TEST_CASE("hostile: max_file_size = true is an error, not a 1-byte limit") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt");
  repo.write(".leakstop.toml", "\nmax_file_size = true\n");
  check_exit(repo.ls("staged"), 2, {".leakstop.toml:2:", "max_file_size", "must be a positive integer of bytes"});
}

TEST_CASE("hostile: every .leakstop.toml key is typed, and the message names file, line, key and type") {
  struct Case {
    std::string text;
    std::vector<std::string> words;
  };
  for (const Case& c : std::vector<Case>{
         {"max_file_size = \"big\"\n", {".leakstop.toml:1:", "max_file_size must be", "\"5MB\""}},
         {"max_file_size = 1.5\n", {".leakstop.toml:1:", "max_file_size must be"}},
         {"max_file_size = [1]\n", {".leakstop.toml:1:", "max_file_size must be"}},
         {"max_file_size = \"5\"\n", {".leakstop.toml:1:", "max_file_size must be", "unit"}},
         {"max_file_size = \"1.5GB\"\n", {".leakstop.toml:1:", "max_file_size must be"}},
         {"disabled_rules = \"x\"\n", {".leakstop.toml:1:", "disabled_rules must be an array of strings"}},
         {"disabled_rules = [1]\n", {".leakstop.toml:1:", "disabled_rules must hold only strings"}},
         {"allowlist = 1\n", {".leakstop.toml:1:", "allowlist must be a table"}},
         {"[allowlist]\npaths = \"x\"\n", {".leakstop.toml:2:", "allowlist.paths must be an array of strings"}},
         {"[allowlist]\npath = [\"x\"]\n", {".leakstop.toml:2:", "[allowlist]: unknown key 'path'"}},
         {"rule = 1\n", {".leakstop.toml:1:", "rule must be an array of tables"}},
         {"rule = [1]\n", {".leakstop.toml:1:", "rule must hold tables"}},
       }) {
    Repo repo;
    repo.write(".leakstop.toml", c.text);
    INFO(c.text);
    RunResult r = repo.ls("scan README");
    CHECK(r.rc == 2);
    bool found = false;
    for (const std::string& line : lines_with(r.out, ".leakstop.toml")) {
      found = found || std::all_of(c.words.begin(), c.words.end(),
                                   [&](const std::string& w) { return line.find(w) != std::string::npos; });
    }
    INFO(r.out);
    CHECK(found);
  }
}

TEST_CASE("hostile: max_file_size takes a unit: KB = 1000 bytes, KiB = 1024") {
  Repo repo;
  // 1,500 bytes: over 1KB and 1KiB, under 2KB.
  const std::string padding(1500 - 4 - k_stripe.size() - 1, '#');
  repo.write("k.txt", padding + "key=" + k_stripe + "\n");
  REQUIRE(fs::file_size(repo.root() / "k.txt") == 1500);
  for (const char* limit : {"\"1KB\"", "\"1 KiB\"", "1499"}) {
    repo.write(".leakstop.toml", std::string("max_file_size = ") + limit + "\n");
    RunResult r = repo.ls("scan k.txt");
    INFO(limit << "\n" << r.out);
    CHECK(r.rc == 0);
    CHECK_THAT(r.out, Catch::Contains("over the size limit"));
  }
  for (const char* limit : {"\"2KB\"", "\"2kib\"", "\"1MB\"", "1500"}) {
    repo.write(".leakstop.toml", std::string("max_file_size = ") + limit + "\n");
    RunResult r = repo.ls("scan k.txt");
    INFO(limit << "\n" << r.out);
    CHECK(r.rc == 1);
    CHECK_THAT(r.out, Catch::Contains(k_rule));
  }
}

TEST_CASE("hostile: a gitleaks configuration's extend and useDefault are typed too") {
  Repo repo;
  repo.write("gl.toml", "[extend]\nuseDefault = \"yes\"\n");
  check_exit(repo.ls("scan --config gl.toml README"), 2, {"gl.toml:2:", "'useDefault' must be true or false"});
  repo.write("gl.toml", "extend = 1\n");
  check_exit(repo.ls("scan --config gl.toml README"), 2, {"gl.toml:1:", "'extend' must be a table"});
}

// ---------------------------------------------------------------------------
// Nothing skipped silently
// ---------------------------------------------------------------------------

TEST_CASE("hostile: a key inside a 96 KB base64 blob is found") {
  Repo repo;
  std::string text;
  for (int i = 0; text.size() < 72'000; ++i) {
    text += "line " + std::to_string(100000 + i) + " of a long configuration file, nothing secret here\n";
  }
  text += "stripe_key = " + k_stripe + "\n";
  text.resize(text.size() / 3 * 3 + (text.size() % 3 ? 3 : 0), '\n');
  const std::string encoded = base64(text);
  REQUIRE(encoded.size() > 96'000);
  repo.write("blob.yml", "data: " + encoded + "\n");
  RunResult r = repo.ls("scan blob.yml");
  INFO(r.out.substr(0, 2000));
  CHECK(r.rc == 1);
  CHECK_THAT(r.out, Catch::Contains(k_rule));
  CHECK_THAT(r.out, Catch::Contains("decoded      base64"));
}

TEST_CASE("hostile: a directory the walk cannot read is an error, after the rest is scanned") {
  Repo repo;
  repo.write("open/k.txt", "key=" + k_stripe + "\n");
  repo.write("closed/inner/k.txt", "key=" + k_stripe + "\n");
  repo.must("chmod -R a+rX,a+w " + quote(repo.tmp().string()) + " && chmod 000 closed/inner" +
            " && git config --global --add safe.directory '*'");
  RunResult r = repo.ls_unprivileged("scan .");
  INFO(r.out);
  CHECK(r.rc == 3);
  CHECK_THAT(r.out, Catch::Contains("open/k.txt:1:5"));
  check_exit(r, 3, {"closed/inner", "Permission denied", "nothing in it was scanned"});
  repo.must("chmod 755 closed/inner");
}

// ---------------------------------------------------------------------------
// Honest context: a HEAD that cannot be read
// ---------------------------------------------------------------------------

TEST_CASE("hostile: staged with HEAD's commit object gone is exit 3, not 'not committed yet'") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt && git commit -q -m key");
  repo.write("b.txt", "b\n");
  repo.must("git add b.txt");
  const std::string head = trimmed(repo.must("git rev-parse HEAD"));
  SECTION("deleted") {
    fs::remove(repo.root() / repo.object_file(head));
  }
  SECTION("corrupt") {
    const fs::path file = repo.root() / repo.object_file(head);
    fs::permissions(file, fs::perms::owner_write, fs::perm_options::add);
    std::ofstream(file, std::ios::binary | std::ios::trunc) << "not zlib at all";
  }
  RunResult r = repo.ls("staged");
  check_exit(r, 3, {"cannot read HEAD"});
  CHECK(r.out.find("Not committed yet") == std::string::npos);
  CHECK(r.out.find(k_rule) == std::string::npos);
  // The pre-commit framework's form, with the files named.
  check_exit(repo.ls("staged k.txt b.txt"), 3, {"cannot read HEAD"});
}

TEST_CASE("hostile: an unborn HEAD (a fresh repository) is not an error") {
  Repo repo;
  const fs::path fresh = repo.tmp() / "fresh";
  fs::create_directories(fresh);
  run_in(fresh, "git init -q -b main .");
  std::ofstream(fresh / "k.txt") << "key=" << k_stripe << "\n";
  run_in(fresh, "git add k.txt");
  RunResult r = repo.ls("staged", fresh);
  INFO(r.out);
  CHECK(r.rc == 1);
  CHECK_THAT(r.out, Catch::Contains("Not committed yet"));
}

// ---------------------------------------------------------------------------
// Unknown commands and options
// ---------------------------------------------------------------------------

TEST_CASE("hostile: unknown commands and options name themselves, exit 2") {
  Repo repo;
  check_exit(repo.ls("bogus"), 2, {"unknown command 'bogus'"});
  check_exit(repo.ls("--bogus"), 2, {"unknown option '--bogus'"});
  check_exit(repo.ls("orgs --help"), 2, {"unknown command 'orgs'"});
  check_exit(repo.ls("scan --bogus README"), 2, {"unknown option '--bogus'"});
  // The listing of commands, on a bare `leakstop` as after an unknown one.
  for (const char* args : {"", "bogus"}) {
    RunResult r = repo.ls(args);
    INFO(args << "\n" << r.out);
    CHECK(r.rc == 2);
    for (const char* command : {"scan", "staged", "history", "install", "baseline", "rules", "pre-push"}) {
      CHECK_FALSE(lines_with(r.out, std::string("  ") + command).empty());
    }
  }
}

TEST_CASE("hostile: an error message quoting the repository's config is escaped") {
  Repo repo;
  // TOML lets a quoted key hold any character; the message names the key.
  repo.write(".leakstop.toml", "\"x\\u001b[2J\\u202e\" = 1\n");
  RunResult r = repo.ls("scan README");
  INFO(r.out);
  check_exit(r, 2, {".leakstop.toml:1:", "unknown key 'x\\x1b[2J\\u202e'"});
  CHECK_FALSE(has_terminal_control(r.out));
}
