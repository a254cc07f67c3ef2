// `leakstop history` end to end: real repositories with secrets planted in
// known commits, scanned by the real binary.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <sstream>

#include "git_fixture.hpp"

using leakstop::test::GitRepo;
using leakstop::test::quote;

namespace {

const std::string k_s1 = "sk_live_51wmo9u2gu2dKBuYXsM8h8PfPr8MNMEh";
const std::string k_s2 = "sk_live_7Hq2ZpX9vK3mN8rT5wY1bC4dF6gJ0LsA";
const std::string k_s3 = "sk_live_Qz8Wv3Rt6Yp1Ks9Lm4Nb7Xc2Fg5Hj0Da";
const std::string k_s4 = "sk_live_Ab3Cd5Ef7Gh9Ij2Kl4Mn6Op8Qr1St3Uv";
const std::string k_s5 = "sk_live_Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe";
const std::string k_s6 = "sk_live_Mp4Qr8St2Uv6Wx0Yz3Ab7Cd1Ef5Gh9Ij2";
const std::string k_s7 = "sk_live_Nk7Lm1Op5Qr9St3Uv7Wx1Yz5Ab9Cd3Ef7";
const std::string k_s8 = "sk_live_Ht6Gf2Ed8Cb4Az0Yx6Wv2Ut8Sr4Qp0On6";
const std::string k_s9 = "sk_live_Vb5Nm3Lk1Jh9Gf7Ds5Aq3Zw1Xe9Cr7Tv5";

std::string filler(int lines, const std::string& word) {
  std::string out;
  for (int i = 1; i <= lines; ++i) {
    out += word + " line " + std::to_string(i) + " of text that stays the same across versions\n";
  }
  return out;
}

// Commits what is staged as `author`, on `day` of January 2024; returns the id.
std::string commit_as(const GitRepo& repo, const std::string& author, int day, const std::string& message,
                      const std::string& extra = "") {
  const std::string date = "2024-01-" + std::string(day < 10 ? "0" : "") + std::to_string(day) + "T09:15:00+01:00";
  repo.must("GIT_AUTHOR_NAME=" + author + " GIT_AUTHOR_EMAIL=" + author + "@example.org GIT_AUTHOR_DATE=" + date +
            " GIT_COMMITTER_DATE=" + date + " git commit -q " + extra + " -m " + quote(message));
  std::string id = repo.must("git rev-parse HEAD");
  return id.substr(0, id.size() - 1);
}

// The history of the acceptance list: a secret added, modified, deleted
// again, renamed, on an unmerged branch, on a tag only, and in a merge.
std::map<std::string, std::string> plant_history(GitRepo& repo) {
  std::map<std::string, std::string> c;
  repo.write("filler.txt", filler(300, "filler"));
  repo.write("README", filler(100, "readme"));
  repo.must("git add .");
  c["base"] = commit_as(repo, "Carol", 1, "base");
  repo.write("config/app.yml", "a: 1\nstripe: " + k_s1 + "\n");
  repo.must("git add .");
  c["added"] = commit_as(repo, "Alice", 2, "add app config");
  repo.write("README", "readme\nintro\ntoken = " + k_s2 + "\n" + filler(100, "readme"));
  repo.must("git add .");
  c["modified"] = commit_as(repo, "Bob", 3, "document the token");
  repo.write("README", "readme\nintro\ntoken = " + k_s2 + "\n" + filler(100, "readme") + "more\n");
  repo.must("git add .");
  c["modified_again"] = commit_as(repo, "Carol", 4, "more docs");
  repo.write("secrets.txt", "x\n" + k_s3 + "\n");
  repo.must("git add .");
  c["deleted_added"] = commit_as(repo, "Dave", 5, "add secrets");
  repo.must("git rm -q secrets.txt");
  c["deleted"] = commit_as(repo, "Dave", 6, "remove secrets");
  repo.write("old.cfg", "# cfg\nkey=" + k_s4 + "\n" + filler(50, "cfg"));
  repo.must("git add .");
  c["renamed_added"] = commit_as(repo, "Erin", 7, "add old cfg");
  repo.must("git mv old.cfg new.cfg");
  c["renamed"] = commit_as(repo, "Frank", 8, "rename cfg");
  repo.must("git checkout -q -b feature");
  repo.write("feature.txt", "f=" + k_s5 + "\n");
  repo.must("git add .");
  c["side"] = commit_as(repo, "Grace", 9, "feature work");
  repo.must("git checkout -q main && git checkout -q --detach");
  repo.write("tagged.txt", "t=" + k_s6 + "\n");
  repo.must("git add .");
  c["tag_only"] = commit_as(repo, "Heidi", 10, "tagged only");
  repo.must("git tag v-secret && git checkout -q main");
  repo.must("git checkout -q -b topic");
  repo.write("topic.txt", "k=" + k_s8 + "\n");
  repo.write("merge.txt", "topic side\n");
  repo.must("git add .");
  c["topic"] = commit_as(repo, "Ivan", 11, "topic");
  repo.must("git checkout -q main");
  repo.write("merge.txt", "main side\n");
  repo.must("git add .");
  c["main_side"] = commit_as(repo, "Judy", 12, "main side");
  repo.run("git merge -q topic");  // conflicts on merge.txt
  repo.write("merge.txt", "resolved\nkey=" + k_s7 + "\n");
  repo.must("git add merge.txt");
  c["merge"] = commit_as(repo, "Mallory", 13, "merge topic");
  return c;
}

nlohmann::json history_json(const GitRepo& repo, const std::string& args = "") {
  auto r = repo.leakstop("history --format json --show-secrets " + args + " 2>&1 >../out.json");
  INFO("leakstop history " << args << "\n" << r.out);
  REQUIRE(r.rc == 1);
  r.out = GitRepo::read_bytes(repo.tmp() / "out.json");
  return nlohmann::json::parse(r.out);
}

std::map<std::string, nlohmann::json> by_secret(const nlohmann::json& findings) {
  std::map<std::string, nlohmann::json> out;
  for (const auto& f : findings) {
    out[f["secret"].get<std::string>()] = f;
  }
  return out;
}

} // namespace

TEST_CASE("history: each secret with the commit that introduced it, its author and whether HEAD has it") {
  GitRepo repo;
  auto c = plant_history(repo);
  auto found = by_secret(history_json(repo));
  REQUIRE(found.size() == 8);

  const auto& added = found[k_s1];
  CHECK(added["path"] == "config/app.yml");
  CHECK(added["line"] == 2);
  CHECK(added["column"] == 9);
  CHECK(added["commit"] == c["added"]);
  CHECK(added["author"] == "Alice");
  CHECK(added["email"] == "Alice@example.org");
  CHECK(added["date"] == "2024-01-02T09:15:00+01:00");
  CHECK(added["summary"] == "add app config");
  CHECK(added["still_at_head"] == true);
  CHECK(added["rule_id"] == "stripe.live-secret-key");

  // Edited again later: still introduced by the first commit that had it.
  CHECK(found[k_s2]["path"] == "README");
  CHECK(found[k_s2]["line"] == 3);
  CHECK(found[k_s2]["commit"] == c["modified"]);
  CHECK(found[k_s2]["author"] == "Bob");
  CHECK(found[k_s2]["still_at_head"] == true);

  CHECK(found[k_s3]["path"] == "secrets.txt");
  CHECK(found[k_s3]["commit"] == c["deleted_added"]);
  CHECK(found[k_s3]["still_at_head"] == false);

  // Renamed: one finding, the first path first, the new path as another location.
  const auto& renamed = found[k_s4];
  CHECK(renamed["path"] == "old.cfg");
  CHECK(renamed["commit"] == c["renamed_added"]);
  CHECK(renamed["author"] == "Erin");
  CHECK(renamed["still_at_head"] == true);
  REQUIRE(renamed["locations"].size() == 2);
  CHECK(renamed["locations"][0]["path"] == "old.cfg");
  CHECK(renamed["locations"][0]["at_head"] == false);
  CHECK(renamed["locations"][1]["path"] == "new.cfg");
  CHECK(renamed["locations"][1]["line"] == 2);
  CHECK(renamed["locations"][1]["commit"] == c["renamed"]);
  CHECK(renamed["locations"][1]["author"] == "Frank");
  CHECK(renamed["locations"][1]["at_head"] == true);

  CHECK(found[k_s5]["path"] == "feature.txt");
  CHECK(found[k_s5]["commit"] == c["side"]);
  CHECK(found[k_s5]["author"] == "Grace");
  CHECK(found[k_s5]["still_at_head"] == false);

  CHECK(found[k_s6]["path"] == "tagged.txt");
  CHECK(found[k_s6]["commit"] == c["tag_only"]);
  CHECK(found[k_s6]["still_at_head"] == false);

  // Brought in by the topic branch, not by the merge that took it.
  CHECK(found[k_s8]["commit"] == c["topic"]);
  CHECK(found[k_s8]["author"] == "Ivan");
  CHECK(found[k_s8]["still_at_head"] == true);

  // Written while resolving a conflict: the merge introduced it.
  CHECK(found[k_s7]["path"] == "merge.txt");
  CHECK(found[k_s7]["line"] == 2);
  CHECK(found[k_s7]["commit"] == c["merge"]);
  CHECK(found[k_s7]["author"] == "Mallory");
  CHECK(found[k_s7]["still_at_head"] == true);

  for (const auto& [secret, f] : found) {
    CHECK(f["locations"][0]["blob"].get<std::string>().size() == 40);
  }
}

TEST_CASE("history: identical output whatever the thread count, loose or packed") {
  GitRepo repo;
  plant_history(repo);
  auto one = repo.leakstop("history --threads 1 --format json 2>/dev/null");
  auto two = repo.leakstop("history --threads 2 --format json 2>/dev/null");
  CHECK(one.rc == 1);
  CHECK(two.rc == 1);
  CHECK(one.out == two.out);
  auto text_one = repo.leakstop("history --threads 1 2>/dev/null");
  auto text_two = repo.leakstop("history --threads 2 2>/dev/null");
  CHECK(text_one.out == text_two.out);
  // Packed with deltas (and packed refs), read by the pack reader.
  repo.must("git gc -q && git repack -q -a -d -f --depth=10 --window=20 && git pack-refs --all");
  CHECK_THAT(repo.must("git count-objects -v"), Catch::Contains("\npacks: 1\n"));
  auto packed = repo.leakstop("history --threads 2 --format json 2>/dev/null");
  CHECK(packed.out == one.out);
}

TEST_CASE("history: a shallow clone and a bare mirror") {
  GitRepo repo;
  auto c = plant_history(repo);
  auto original = repo.leakstop("history --format json 2>/dev/null");

  repo.must("git clone -q --mirror . ../mirror.git");
  auto mirror = leakstop::test::run_in(repo.tmp(), quote(leakstop::test::leakstop_bin()) + " history --format json mirror.git 2>/dev/null");
  CHECK(mirror.rc == 1);
  CHECK(mirror.out == original.out);

  repo.must("git clone -q --depth 1 file://" + repo.root().string() + " ../shallow");
  auto r = leakstop::test::run_in(repo.tmp() / "shallow", quote(leakstop::test::leakstop_bin()) +
                                                              " history --format json --show-secrets 2>../err.txt");
  CHECK(r.rc == 1);
  CHECK(GitRepo::read_bytes(repo.tmp() / "err.txt").find("error") == std::string::npos);
  auto found = by_secret(nlohmann::json::parse(r.out));
  // One commit, the boundary: everything in its tree is attributed to it.
  CHECK(found.size() == 5);
  for (const std::string& secret : {k_s1, k_s2, k_s4, k_s7, k_s8}) {
    CHECK(found[secret]["commit"] == c["merge"]);
    CHECK(found[secret]["still_at_head"] == true);
  }
}

TEST_CASE("history: a corrupt object is named, the scan goes on, exit 3") {
  GitRepo repo;
  repo.write("a.txt", "key=" + k_s1 + "\n");
  repo.write("b.txt", "key=" + k_s2 + "\n");
  repo.must("git add . && git commit -q -m two");
  std::string blob = repo.must("git rev-parse HEAD:b.txt");
  blob.pop_back();
  const auto object = repo.root() / ".git" / "objects" / blob.substr(0, 2) / blob.substr(2);
  std::filesystem::permissions(object, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
  std::ofstream(object, std::ios::binary | std::ios::trunc) << "this is not zlib data";

  auto r = repo.leakstop("history --format json --show-secrets 2>../err.txt");
  CHECK(r.rc == 3);
  const std::string err = GitRepo::read_bytes(repo.tmp() / "err.txt");
  CHECK_THAT(err, Catch::Contains("leakstop: error: " + blob));
  CHECK_THAT(err, Catch::Contains("1 unreadable"));
  auto found = by_secret(nlohmann::json::parse(r.out));
  CHECK(found.size() == 1);
  CHECK(found.count(k_s1) == 1);
}

TEST_CASE("history: a corrupt object in a pack is named too") {
  GitRepo repo;
  repo.write("a.txt", "key=" + k_s1 + "\n");
  repo.write("b.txt", "key=" + k_s2 + "\n" + filler(200, "b"));
  repo.must("git add . && git commit -q -m two && git gc -q");
  std::string blob = repo.must("git rev-parse HEAD:b.txt");
  blob.pop_back();
  // verify-pack: <id> <type> <size> <size in pack> <offset>; break a byte in
  // the middle of the blob's zlib data.
  std::istringstream line(repo.must("git verify-pack -v .git/objects/pack/*.idx | grep ^" + blob));
  std::string id, type;
  std::uint64_t size = 0, packed = 0, offset = 0;
  line >> id >> type >> size >> packed >> offset;
  REQUIRE(packed > 20);
  repo.must("f=$(ls .git/objects/pack/*.pack) && chmod u+w $f && printf '\\377\\377\\377\\377' | dd of=$f bs=1 seek=" +
            std::to_string(offset + packed / 2) + " conv=notrunc status=none");
  auto r = repo.leakstop("history --format json --show-secrets 2>../err.txt");
  CHECK(r.rc == 3);
  CHECK_THAT(GitRepo::read_bytes(repo.tmp() / "err.txt"), Catch::Contains("leakstop: error: " + blob + ": object " + blob));
  auto found = by_secret(nlohmann::json::parse(r.out));
  CHECK(found.size() == 1);
  CHECK(found.count(k_s1) == 1);
}

TEST_CASE("history: ranges, --since and --all-objects") {
  GitRepo repo;
  auto c = plant_history(repo);
  // The merge and the topic commit it brought in, as `git log HEAD~1..HEAD`.
  auto last = by_secret(history_json(repo, "HEAD~1..HEAD"));
  CHECK(last.size() == 2);
  CHECK(last.count(k_s7) == 1);
  CHECK(last.count(k_s8) == 1);
  // What the topic branch adds to main as it was before the merge.
  auto topic = by_secret(history_json(repo, c["main_side"] + "..topic"));
  CHECK(topic.size() == 1);
  CHECK(topic.count(k_s8) == 1);
  auto recent = by_secret(history_json(repo, "--since 2024-01-08T08:00:00Z"));
  CHECK(recent.size() == 5);  // renamed (new.cfg), side, tag only, topic, merge
  CHECK(recent[k_s4]["path"] == "new.cfg");
  CHECK(recent[k_s4]["commit"] == c["renamed"]);

  repo.must("printf 'lost=%s\\n' " + k_s9 + " | git hash-object -w --stdin");
  CHECK(by_secret(history_json(repo)).count(k_s9) == 0);
  auto all = by_secret(history_json(repo, "--all-objects"));
  REQUIRE(all.count(k_s9) == 1);
  CHECK(all[k_s9]["path"] == "");
  CHECK(all[k_s9].count("commit") == 0);
  CHECK(all[k_s9]["still_at_head"] == false);

  auto bad = repo.leakstop("history no-such-branch..HEAD");
  CHECK(bad.rc == 2);
  CHECK_THAT(bad.out, Catch::Contains("bad revision 'no-such-branch'"));
  CHECK(repo.leakstop("history --since yesterday-ish").rc == 2);
}

TEST_CASE("history: tags on trees and blobs, submodules, LFS pointers, big and binary blobs") {
  GitRepo repo;
  repo.write("a.txt", "clean\n");
  repo.write("pointer.bin", "version https://git-lfs.github.com/spec/v1\noid sha256:" + std::string(64, 'a') +
                                "\nsize 12345\n");
  repo.write("big.txt", std::string(3000, 'x') + "\nkey=" + k_s1 + "\n");
  repo.write("image.png", std::string("\x89PNG\0\0", 6) + "key=" + k_s2);
  repo.must("git add . && git update-index --add --cacheinfo 160000,4b825dc642cb6eb9a060e54bf8d69288fbee4904,sub");
  repo.must("git commit -q -m files");
  repo.must("blob=$(printf 'k=%s\\n' " + k_s3 + " | git hash-object -w --stdin) && "
            "tree=$(printf '100644 blob %s\\tleak.txt\\n' $blob | git mktree) && "
            "GIT_COMMITTER_NAME=Tagger git tag -a tree-tag -m 'a tree of keys' $tree");
  repo.must("git tag blob-tag $(printf 'k=%s\\n' " + k_s4 + " | git hash-object -w --stdin)");

  auto r = repo.leakstop("history --max-file-size 2000 --format json --show-secrets 2>../err.txt");
  CHECK(r.rc == 1);
  auto found = by_secret(nlohmann::json::parse(r.out));
  CHECK(found.size() == 2);
  CHECK(found[k_s3]["path"] == "leak.txt");
  CHECK_THAT(found[k_s3]["summary"].get<std::string>(), Catch::Contains("refs/tags/tree-tag") && Catch::Contains("a tree of keys"));
  CHECK(found[k_s4]["path"] == "refs/tags/blob-tag");
  const std::string err = GitRepo::read_bytes(repo.tmp() / "err.txt");
  CHECK_THAT(err, Catch::Contains("1 binary, 1 Git LFS pointers"));
  CHECK_THAT(err, Catch::Contains("1 over the size limit"));
  CHECK_THAT(err, Catch::Contains("1 submodule entries"));
  CHECK_THAT(err, Catch::Contains("over the size limit of 2000 bytes") && Catch::Contains("big.txt"));
  CHECK(err.find('\r') == std::string::npos);  // no progress bar when piped
}

TEST_CASE("history: every kind of ref, the stash and remote-tracking refs included") {
  GitRepo repo;
  repo.write("a.txt", "clean\n");
  repo.must("git add . && git commit -q -m base");
  repo.must("git clone -q . ../clone");
  repo.must("git checkout -q -b pushed");
  repo.write("remote.txt", "k=" + k_s1 + "\n");
  repo.must("git add . && git commit -q -m remote && git checkout -q main");
  const auto clone = repo.tmp() / "clone";
  leakstop::test::run_in(clone, "git fetch -q origin");
  leakstop::test::run_in(clone, "printf 'k=%s\\n' " + k_s2 + " > a.txt && git stash -q");
  leakstop::test::run_in(clone, "git notes add -m 'k=" + k_s3 + "' HEAD");
  auto r = leakstop::test::run_in(clone, quote(leakstop::test::leakstop_bin()) + " history --format json --show-secrets 2>/dev/null");
  CHECK(r.rc == 1);
  auto found = by_secret(nlohmann::json::parse(r.out));
  CHECK(found.size() == 3);
  CHECK(found[k_s1]["path"] == "remote.txt");
  CHECK(found[k_s2]["path"] == "a.txt");
  CHECK(found[k_s2]["still_at_head"] == false);
  CHECK(found.count(k_s3) == 1);  // a note is a blob on refs/notes/commits
}

TEST_CASE("history: progress on a terminal only") {
  GitRepo repo;
  plant_history(repo);
  CHECK(repo.leakstop("history").out.find('\r') == std::string::npos);
  // script(1) runs the command on a pseudo-terminal.
  auto r = repo.run("script -qec " + quote(quote(leakstop::test::leakstop_bin()) + " history") + " /dev/null");
  CHECK_THAT(r.out, Catch::Contains("\rleakstop: blobs 0/") && Catch::Contains(" MB/s ") && Catch::Contains("ETA"));
  CHECK_THAT(r.out, Catch::Contains("8 secrets in the repository's history"));
}

TEST_CASE("history: an empty repository, and the text report") {
  GitRepo repo;
  auto empty = repo.leakstop("history");
  CHECK(empty.rc == 0);
  CHECK_THAT(empty.out, Catch::Contains("no commits"));
  plant_history(repo);
  auto r = repo.leakstop("history 2>/dev/null");
  CHECK(r.rc == 1);
  CHECK_THAT(r.out, Catch::Contains("8 secrets in the repository's history"));
  CHECK_THAT(r.out, Catch::Contains("old.cfg:2:5") && Catch::Contains("also at      new.cfg:2:5 (commit "));
  CHECK_THAT(r.out, Catch::Contains("still at HEAD: no, only in history"));
  CHECK_THAT(r.out, Catch::Contains("by Erin <Erin@example.org> on 2024-01-07T09:15:00+01:00: add old cfg"));
  CHECK(r.out.find(k_s1) == std::string::npos);
}

TEST_CASE("history: a tree nested deeper than git allows is named, the rest is scanned, exit 3") {
  GitRepo repo;
  // 4,100 directories deep: past git's core.maxTreeDepth (4096), where the
  // recursive walk stops instead of running out of stack.
  std::string deep;
  for (int i = 0; i < 4100; ++i) {
    deep += "d/";
  }
  const std::string top = "key=" + k_s1 + "\n";
  const std::string bottom = "key=" + k_s2 + "\n";
  std::ofstream(repo.tmp() / "import.txt", std::ios::binary)
    << "commit refs/heads/main\ncommitter A <a@example.org> 1704096900 +0100\ndata 4\ndeep\n"
    << "M 100644 inline top.txt\ndata " << top.size() << "\n" << top << "\n"
    << "M 100644 inline " << deep << "bottom.txt\ndata " << bottom.size() << "\n" << bottom << "\n";
  repo.must("git fast-import --quiet < ../import.txt");
  auto r = repo.leakstop("history --format json --show-secrets 2>../err.txt");
  CHECK(r.rc == 3);
  CHECK_THAT(GitRepo::read_bytes(repo.tmp() / "err.txt"), Catch::Contains("nested more than 4096 deep"));
  auto found = by_secret(nlohmann::json::parse(r.out));
  CHECK(found.size() == 1);
  CHECK(found.count(k_s1) == 1);
}

TEST_CASE("history: a tree that contains itself is named, not walked forever, exit 3") {
  GitRepo repo;
  repo.write("top.txt", "key=" + k_s1 + "\n");
  repo.write("sub/b.txt", "key=" + k_s2 + "\n");
  repo.must("git add . && git commit -q -m two && git repack -a -d -q");
  const std::string root = repo.must("git rev-parse HEAD^{tree}");
  const std::string sub = repo.must("git rev-parse HEAD:sub");
  // Point the index's entry for sub/ at the root tree's data: the pack
  // reader does not hash what it reads, so sub/ now holds sub/ again.
  const std::string idx = repo.must("ls .git/objects/pack/*.idx");
  const std::string offsets = repo.must("git verify-pack -v " + idx.substr(0, idx.size() - 1) + " | grep '^" +
                                        root.substr(0, root.size() - 1) + "'");
  std::istringstream fields(offsets);
  std::string id, type;
  std::uint64_t size = 0, packed = 0, offset = 0;
  fields >> id >> type >> size >> packed >> offset;
  REQUIRE(offset > 0);
  repo.must("chmod u+w .git/objects/pack/*.idx");
  const auto idx_file = repo.root() / idx.substr(0, idx.size() - 1);
  std::string bytes = GitRepo::read_bytes(idx_file);
  const std::uint32_t count = static_cast<std::uint32_t>((bytes.size() - 1032 - 40) / 28);
  std::uint32_t position = count;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::string hex;
    for (std::size_t k = 0; k < 20; ++k) {
      const auto c = static_cast<unsigned char>(bytes[1032 + std::size_t{i} * 20 + k]);
      hex += "0123456789abcdef"[c >> 4];
      hex += "0123456789abcdef"[c & 15];
    }
    if (hex + "\n" == sub) {
      position = i;
    }
  }
  REQUIRE(position < count);
  for (int k = 0; k < 4; ++k) {
    bytes[1032 + 24 * std::size_t{count} + 4 * std::size_t{position} + static_cast<std::size_t>(k)] = static_cast<char>(offset >> (24 - 8 * k));
  }
  std::ofstream(idx_file, std::ios::binary | std::ios::trunc) << bytes;
  auto r = repo.leakstop("history --format json --show-secrets 2>../err.txt");
  CHECK(r.rc == 3);
  CHECK_THAT(GitRepo::read_bytes(repo.tmp() / "err.txt"), Catch::Contains("it contains itself"));
  auto found = by_secret(nlohmann::json::parse(r.out));
  CHECK(found.count(k_s1) == 1);
}
