// `leakstop org report --format html` opened in a real browser: a real store
// made by a real `org scan` of real repositories, one of them hostile, the
// page rendered by headless Chromium (Debian's `chromium`), its screenshot
// taken and its DOM read back after the page's own script ran.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <regex>
#include <set>

#include "git_fixture.hpp"
#include "org_fixture.hpp"

using namespace leakstop::test;  // NOLINT: the fixtures' names
namespace fs = std::filesystem;

namespace {

// A path whose script, were it markup, would retitle the page.
const std::string k_script_dir = "<script>document.title='pwned'<";
const std::string k_script_path = k_script_dir + "/script>";  // <script>document.title='pwned'</script>
const std::string k_hostile = "\"'<>&";

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

// Headless Chromium on a local file with a throw-away profile, bounded in
// time. Fails the test, saying what to install, when there is none.
RunResult chromium(const fs::path& dir, const std::string& args) {
  RunResult which = run_in(dir, "command -v chromium");
  if (which.rc != 0) {
    FAIL("chromium is not installed: ./install.sh --test installs it (Debian package chromium)");
  }
  return run_in(dir, "timeout 120 chromium --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage "
                     "--no-first-run --disable-extensions --disable-background-networking --user-data-dir=" +
                         quote((dir / "chromium-profile").string()) + " " + args);
}

std::string regex_escape(const std::string& s) {
  return std::regex_replace(s, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)");
}

// Width and height from a PNG's IHDR chunk; {0, 0} if it is not a PNG.
std::pair<std::uint32_t, std::uint32_t> png_size(const std::string& png) {
  if (png.size() < 24 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 || png.compare(12, 4, "IHDR") != 0) {
    return {0, 0};
  }
  const auto be32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      v = v << 8 | static_cast<unsigned char>(png[at + i]);
    }
    return v;
  };
  return {be32(16), be32(20)};
}

} // namespace

TEST_CASE("org report --format html: every repository and finding, hostile names as text, in headless Chromium",
          "[org][html]") {
  Org o;
  // alpha: a secret in a plain file and one under a path that is markup.
  o.make_repo("alpha", "key.txt", "stripe " + k_stripe_a + "\n");
  fs::create_directories(o.up("alpha") / k_script_dir);
  std::ofstream(o.up("alpha") / k_script_path, std::ios::binary) << "token = " << k_stripe_b << "\n";
  REQUIRE(run_in(o.up("alpha"), "git add -A && git commit -q -m script").rc == 0);
  // A repository whose directory (so its URL) and author hold "'<>&; the
  // author's commit is written by hand, since git refuses < > in names.
  const std::string weird = "we" + k_hostile + "ird";
  o.make_repo(weird, "README", "hello\n");
  std::ofstream(o.up(weird) / "deploy.env", std::ios::binary) << "STRIPE=" << k_stripe_c << "\n";
  const std::string author = "Eve " + k_hostile;
  RunResult hostile_commit = run_in(
      o.up(weird), "git add -A && tree=$(git write-tree) && parent=$(git rev-parse HEAD) && "
                   "printf 'tree %s\\nparent %s\\nauthor %s <eve@example.org> 1700000000 +0000\\n"
                   "committer Eve <eve@example.org> 1700000000 +0000\\n\\nhostile author\\n' \"$tree\" \"$parent\" " +
                       quote(author) +
                       " > commit.txt && id=$(git hash-object --literally -t commit -w commit.txt) && "
                       "git update-ref refs/heads/main \"$id\" && rm commit.txt");
  INFO(hostile_commit.out);
  REQUIRE(hostile_commit.rc == 0);
  o.make_repo("clean", "README", "nothing to see\n");
  const std::string missing = "file:///nonexistent/<script>document.title='pwned2'</script>";
  o.repos(fmt::format("file://{} alpha\n{}\nfile://{} clean\n{} gone\n", o.up("alpha").string(),
                      o.up(weird).string(), o.up("clean").string(), missing));
  RunResult scan = o.scan();
  INFO(scan.out);
  REQUIRE(scan.rc == 3);  // "gone" failed

  nlohmann::json report = o.report();
  // Triage one, with a note that is markup too.
  const std::string note = "<img src=x onerror=\"document.title='pwned3'\"> rotated & revoked";
  const std::string triaged = report["findings"][0]["fingerprint"];
  REQUIRE(o.org("triage " + triaged + " --status rotated --store store --note " + quote(note)).rc == 0);
  report = o.report();

  // Distinct findings per repository and every fingerprint, from the JSON report.
  std::map<std::string, std::set<std::string>> per_repository;
  std::size_t rows = 0;
  for (const auto& r : report["repositories"]) {
    per_repository[r["name"]];
  }
  for (const auto& f : report["findings"]) {
    for (const auto& l : f["locations"]) {
      per_repository[l["repository"]].insert(f["fingerprint"]);
      ++rows;
    }
  }
  REQUIRE(per_repository.size() == 4);
  CHECK(per_repository["alpha"].size() >= 2);
  CHECK(per_repository["clean"].empty());
  CHECK(per_repository["gone"].empty());

  RunResult html = o.org("report --format html --store store > report.html");
  INFO(html.out);
  REQUIRE(html.rc == 0);
  const std::string page = GitRepo::read_bytes(o.base() / "report.html");
  for (const std::string& secret : {k_stripe_a, k_stripe_b, k_stripe_c}) {
    CHECK(page.find(secret) == std::string::npos);
  }
  CHECK(occurrences(page, "<script") == 1);
  CHECK_THAT(page, Catch::Contains("Content-Security-Policy"));
  CHECK(page.find("http://") == std::string::npos);  // nothing to fetch
  CHECK(page.find("https://") == std::string::npos);

  const fs::path file = o.base() / "report.html";
  RunResult shot = chromium(o.base(), "--window-size=1400,1000 --screenshot=" + quote((o.base() / "shot.png").string()) +
                                          " " + quote("file://" + file.string()) + " 2>chromium-shot.log");
  INFO(shot.out << GitRepo::read_bytes(o.base() / "chromium-shot.log"));
  REQUIRE(shot.rc == 0);
  const std::string png = GitRepo::read_bytes(o.base() / "shot.png");
  CHECK(png_size(png) == std::pair<std::uint32_t, std::uint32_t>{1400, 1000});
  CHECK(png.size() > 20000);  // a blank page of that size compresses to a few KB
  if (const char* keep = std::getenv("LEAKSTOP_KEEP_SCREENSHOT")) {
    fs::copy_file(o.base() / "shot.png", keep, fs::copy_options::overwrite_existing);
  }

  RunResult dump = chromium(o.base(), "--dump-dom " + quote("file://" + file.string()) + " >dom.html 2>chromium-dom.log");
  INFO(dump.out << GitRepo::read_bytes(o.base() / "chromium-dom.log"));
  REQUIRE(dump.rc == 0);
  const std::string dom = GitRepo::read_bytes(o.base() / "dom.html");
  REQUIRE_THAT(dom, Catch::Contains("</table>"));

  // Nothing injected: the one script the page has, no image, the title
  // untouched, every hostile string shown as text.
  CHECK(occurrences(dom, "<script") == 1);
  CHECK(occurrences(dom, "<img") == 0);
  CHECK_THAT(dom, Catch::Contains("<title>leakstop organisation report</title>"));
  CHECK(dom.find("pwned</title>") == std::string::npos);
  CHECK_THAT(dom, Catch::Contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;:1"));
  CHECK_THAT(dom, Catch::Contains("&lt;script&gt;document.title='pwned2'&lt;/script&gt;"));  // URL and its error
  CHECK_THAT(dom, Catch::Contains("&lt;img src=x onerror=\"document.title='pwned3'\"&gt; rotated &amp; revoked"));
  CHECK_THAT(dom, Catch::Contains("Eve \"'&lt;&gt;&amp; &lt;eve@example.org&gt;"));
  CHECK_THAT(dom, Catch::Contains("we\"'&lt;&gt;&amp;ird"));

  // The page's own script ran (the CSP admits it): the filters are shown
  // and count every location.
  CHECK_THAT(dom, Catch::Contains(fmt::format("{0} of {0} locations shown", rows)));
  CHECK(dom.find("<form id=\"filters\" hidden") == std::string::npos);

  // Every repository with its count of findings, every fingerprint.
  for (const auto& [name, fingerprints] : per_repository) {
    const std::regex row("<tr data-repo=\"" + regex_escape(name) + "\"><td>" + regex_escape(name) +
                         "</td><td class=\"mono\">[^<]*</td><td class=\"n\" data-k=\"([0-9]+)\">([0-9]+)</td>");
    std::smatch m;
    INFO(name);
    REQUIRE(std::regex_search(dom, m, row));
    CHECK(m[2].str() == std::to_string(fingerprints.size()));
  }
  for (const auto& f : report["findings"]) {
    CHECK_THAT(dom, Catch::Contains(f["fingerprint"].get<std::string>()));
  }
  CHECK(occurrences(dom, "<tr data-repo=") == per_repository.size() + rows);
  CHECK_THAT(dom, Catch::Contains("<td class=\"fail\">failed</td>"));
  CHECK_THAT(dom, Catch::Contains(" years)</td>"));  // Eve's commit of 2023, exposed since
}
