#include <fmt/format.h>

#include <sstream>

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

std::string headline(std::size_t count, Context context) {
  std::string what = count == 1 ? "1 secret" : fmt::format("{} secrets", count);
  switch (context) {
  case Context::staged: return fmt::format("leakstop: {} in the staged changes: commit refused.", what);
  case Context::history: return fmt::format("leakstop: {} in the repository's history.", what);
  case Context::worktree: break;
  }
  return fmt::format("leakstop: {} found.", what);
}

// What to do about a secret depends on how far it has travelled.
std::string if_published(Context context) {
  switch (context) {
  case Context::staged:
    return "Not committed yet. But if this value was ever committed or pushed before, treat it as leaked: rotate it "
           "first; deleting it from the file does not take it back.";
  case Context::history:
    return "It is published in history: rotate it first, then remove it from history (git filter-repo "
           "--replace-text) and force-push; forks and clones keep the old copy.";
  case Context::worktree: break;
  }
  return "If this file was ever committed or pushed, rotate the secret: anyone with a clone has it.";
}

// path:line:column, or what stands for a path where there is none.
std::string where(const Finding& f, const Location& l) {
  if (l.path.empty() && !l.blob.empty()) {
    return fmt::format("(unreachable blob {})", l.blob.substr(0, 12));
  }
  return f.path_rule ? l.path : fmt::format("{}:{}:{}", l.path, l.line, l.column);
}

// History: where else the same secret was committed, and whether HEAD has it.
void write_history(const Finding& f, std::ostream& out) {
  if (f.still_at_head) {
    out << (*f.still_at_head ? "  still at HEAD: yes, remove it from the files too\n"
                             : "  still at HEAD: no, only in history\n");
  }
  constexpr std::size_t k_shown = 10;
  for (std::size_t i = 0; i < f.other_locations.size() && i < k_shown; ++i) {
    const Location& l = f.other_locations[i];
    out << fmt::format("  also at      {}{}\n", where(f, l),
                       l.commit ? fmt::format(" (commit {} on {})", l.commit->id.substr(0, 12), l.commit->date) : "");
  }
  if (f.other_locations.size() > k_shown) {
    out << fmt::format("  … and {} more places (--format json lists them all)\n", f.other_locations.size() - k_shown);
  }
}

void write_finding(const Finding& f, const ReportOptions& options, const Style& s, std::ostream& out) {
  const std::string place = where(f, f.location);
  out << fmt::format("{}✖ {}{}  {}{}{}  {}{}{}\n", s.red(), place, s.reset(), s.bold(), f.rule_id, s.reset(),
                     s.yellow(), to_string(f.severity), s.reset());
  out << "  " << f.description << '\n';
  if (!f.path_rule) {
    out << fmt::format("  secret       {}\n", shown_secret(f, options.show_secrets));
  }
  out << fmt::format("  fingerprint  {}\n", f.fingerprint);
  if (f.location.commit) {
    const CommitInfo& c = *f.location.commit;
    out << fmt::format("  introduced   {} by {} <{}> on {}: {}\n", c.id.substr(0, 12), c.author, c.email, c.date, c.summary);
  }
  write_history(f, out);
  if (!f.remediation.empty()) {
    out << "  what to do:\n";
    std::istringstream lines(f.remediation);
    int n = 0;
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty()) {
        out << fmt::format("    {}. {}\n", ++n, line);
      }
    }
  }
  out << '\n';
}

void write_next_steps(Context context, const Style& s, std::ostream& out) {
  out << s.bold() << "Next steps" << s.reset() << '\n';
  out << "  • " << if_published(context) << '\n';
  if (context == Context::staged) {
    out << "  • Take the value out of the file (read it from the environment or a secret manager), then `git add` the "
           "file again. To unstage a file: git restore --staged <path>; to stop tracking it: git rm --cached <path>.\n";
  }
  out << "  • False positive? Put `leakstop:allow` in a comment on that line, allowlist the path or disable the rule "
         "in .leakstop.toml, or add its fingerprint to .leakstopignore.\n";
  if (context == Context::staged) {
    out << "  • To commit anyway, deliberately and once: git commit --no-verify\n";
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
    out << s.red() << headline(findings.size(), m_options.context) << s.reset() << "\n\n";
    for (const Finding& f : findings) {
      write_finding(f, m_options, s, out);
    }
    write_next_steps(m_options.context, s, out);
  }

private:
  ReportOptions m_options;
};

} // namespace

std::unique_ptr<Reporter> make_text_reporter(const ReportOptions& options) {
  return std::make_unique<TextReporter>(options);
}

} // namespace leakstop::report
