#include <fmt/format.h>

#include <sstream>

#include "core/encoding.hpp"
#include "report/formats.hpp"

namespace leakstop::report {
namespace {

struct Style {
  bool on;
  std::string red() const { return on ? "\x1b[1;31m" : ""; }
  std::string yellow() const { return on ? "\x1b[33m" : ""; }
  std::string bold() const { return on ? "\x1b[1m" : ""; }
  std::string dim() const { return on ? "\x1b[2m" : ""; }
  std::string reset() const { return on ? "\x1b[0m" : ""; }
};

// Staged findings HEAD already holds (pre-commit's --all-files scans whole
// files): committed before, so no longer "not committed yet".
std::size_t already_committed(const std::vector<Finding>& findings) {
  return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(),
                                                [](const Finding& f) { return f.still_at_head.value_or(false); }));
}

std::string headline(const std::vector<Finding>& findings, Context context) {
  const std::size_t count = findings.size();
  std::string what = count == 1 ? "1 secret" : fmt::format("{} secrets", count);
  switch (context) {
  case Context::staged:
    if (const std::size_t committed = already_committed(findings)) {
      return fmt::format("leakstop: {} in the staged files, {} of them already committed: commit refused.", what,
                         committed == count ? "all" : std::to_string(committed));
    }
    return fmt::format("leakstop: {} in the staged changes: commit refused.", what);
  case Context::push: return fmt::format("leakstop: {} in the commits being pushed: push refused.", what);
  case Context::history: return fmt::format("leakstop: {} in the repository's history.", what);
  case Context::worktree: break;
  }
  return fmt::format("leakstop: {} found.", what);
}

// path:line:column, or what stands for a path where there is none. Paths,
// like authors and commit messages, come from the repository: they are
// shown through printable(), so that no escape sequence, bidi control or
// newline in them reaches the terminal.
std::string where(const Finding& f, const Location& l) {
  if (l.path.empty() && !l.blob.empty()) {
    return fmt::format("(unreachable blob {})", l.blob.substr(0, 12));
  }
  std::string path = printable(l.path);
  return f.path_rule ? path : fmt::format("{}:{}:{}", path, l.line, l.column);
}

// History: where else the same secret was committed, and whether HEAD has it.
void write_history(const Finding& f, Context context, std::ostream& out) {
  if (context == Context::staged) {
    if (f.still_at_head.value_or(false)) {
      out << "  (already committed) HEAD has this secret at this path: rotate it\n";
    }
  } else if (f.still_at_head) {
    out << (*f.still_at_head ? "  still at HEAD: yes, remove it from the files too\n"
                             : "  still at HEAD: no, only in history\n");
  }
  constexpr std::size_t k_shown = 10;
  for (std::size_t i = 0; i < f.other_locations.size() && i < k_shown; ++i) {
    const Location& l = f.other_locations[i];
    out << fmt::format("  also at      {}{}\n", where(f, l),
                       l.commit ? fmt::format(" (commit {} on {})", l.commit->id.substr(0, 12), printable(l.commit->date))
                                : "");
  }
  if (f.other_locations.size() > k_shown) {
    out << fmt::format("  … and {} more places (--format json lists them all)\n", f.other_locations.size() - k_shown);
  }
}

void write_finding(const Finding& f, const ReportOptions& options, const Style& s, std::ostream& out) {
  const std::string place = where(f, f.location);
  // Rule ids, descriptions, links and remediation may come from the
  // repository's own .leakstop.toml: escaped like everything it holds.
  out << fmt::format("{}✖ {}{}  {}{}{}  {}{}{}\n", s.red(), place, s.reset(), s.bold(), printable(f.rule_id),
                     s.reset(), s.yellow(), to_string(f.severity), s.reset());
  out << "  " << printable(f.description) << '\n';
  if (!f.path_rule) {
    out << fmt::format("  secret       {}\n", printable(shown_secret(f, options.show_secrets)));
  }
  if (!f.decoded.empty()) {
    out << fmt::format("  decoded      {}\n", printable(f.decoded));
  }
  out << fmt::format("  fingerprint  {}\n", f.fingerprint);
  if (f.location.commit) {
    const CommitInfo& c = *f.location.commit;
    out << fmt::format("  introduced   {} by {} <{}> on {}: {}\n", c.id.substr(0, 12), printable(c.author),
                       printable(c.email), printable(c.date), printable(c.summary));
  }
  write_history(f, options.context, out);
  if (!f.remediation.empty()) {
    out << "  what to do:\n";
    std::istringstream lines(f.remediation);
    int n = 0;
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty()) {
        out << fmt::format("    {}. {}\n", ++n, printable(line));
      }
    }
  }
  if (!f.link.empty()) {
    out << fmt::format("  see          {}{}\n", f.link_title.empty() ? "" : printable(f.link_title) + ": ",
                       printable(f.link));
  }
  out << '\n';
}

// The commit to start rewriting from: the first one a finding names.
std::string first_commit(const std::vector<Finding>& findings) {
  for (const Finding& f : findings) {
    if (f.location.commit) {
      return f.location.commit->id.substr(0, 12);
    }
  }
  return "<commit>";
}

// What to do about a secret depends on how far it has travelled.
void write_next_steps(const std::vector<Finding>& findings, Context context, const Style& s, std::ostream& out) {
  out << s.bold() << "Next steps" << s.reset() << '\n';
  switch (context) {
  case Context::staged:
    if (already_committed(findings) > 0) {
      out << "  • Already committed: HEAD holds the secrets marked (already committed) above. Rotate them first: "
             "anyone with a clone has them. Then replace each value with a reference and commit the fix.\n";
      if (already_committed(findings) == findings.size()) {
        break;
      }
    }
    out << "  • Not committed yet. Replace the value with a reference (read it from the environment or a secret "
           "manager), `git add` the file again and commit again. To unstage a file instead: git restore --staged "
           "<path>; to stop tracking it: git rm --cached <path>.\n";
    out << "  • If this value was ever committed or pushed before, treat it as leaked: rotate it first; deleting it "
           "from the file does not take it back.\n";
    break;
  case Context::push:
    out << "  • It is in local commits that are not pushed yet: rewrite them before pushing. git rebase -i "
        << first_commit(findings)
        << "~1, mark each commit named above as `edit`, remove the secret, then git add -A && git commit --amend "
           "--no-edit && git rebase --continue, and push again.\n";
    out << "  • Rotate it if in doubt: if it was ever pushed elsewhere, shared or pasted, it is leaked.\n";
    break;
  case Context::history:
    out << "  • It is published: rotate it first. Rewriting history does not take it back from clones, forks and "
           "caches.\n";
    out << "  • Then remove it from history: put one line per secret in replacements.txt, "
           "literal:<secret>==>REMOVED (leakstop ... --show-secrets prints them), and run:\n"
           "      git filter-repo --replace-text replacements.txt\n"
           "      git push --force --all && git push --force --tags\n"
           "    Everyone must re-clone; ask your host to purge cached views and pull-request refs.\n";
    break;
  case Context::worktree:
    out << "  • If this file was ever committed or pushed, rotate the secret: anyone with a clone has it.\n";
    break;
  }
  out << "  • False positive? Put `leakstop:allow` in a comment on that line, allowlist the path or disable the rule "
         "in .leakstop.toml, or add its fingerprint to .leakstopignore.\n";
  if (context == Context::staged) {
    out << "  • To commit anyway, deliberately and once: git commit --no-verify\n";
  } else if (context == Context::push) {
    out << "  • To push anyway, deliberately and once: git push --no-verify\n";
  }
}

class TextReporter : public Reporter {
public:
  explicit TextReporter(const ReportOptions& options) : m_options(options) {}

  void write(const std::vector<Finding>& findings, const Summary&, std::ostream& out) override {
    if (findings.empty()) {
      return;
    }
    Style s{m_options.color == Color::on};
    out << s.red() << headline(findings, m_options.context) << s.reset() << "\n\n";
    for (const Finding& f : findings) {
      write_finding(f, m_options, s, out);
    }
    write_next_steps(findings, m_options.context, s, out);
  }

private:
  ReportOptions m_options;
};

} // namespace

std::unique_ptr<Reporter> make_text_reporter(const ReportOptions& options) {
  return std::make_unique<TextReporter>(options);
}

} // namespace leakstop::report
