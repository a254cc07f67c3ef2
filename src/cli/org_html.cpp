#include "cli/org_html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/dates.hpp"
#include "core/encoding.hpp"
#include "core/secret.hpp"

namespace leakstop::cli {
namespace {

constexpr std::string_view k_style = R"css(
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1a1a1a;background:#fff}
h1{font-size:1.5em;margin:0 0 .3em}h2{font-size:1.15em;margin:1.6em 0 .4em}
.meta{color:#555;margin:.2em 0}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid #ccc;padding:.25em .45em;text-align:left;vertical-align:top}
th{background:#eef0f3;white-space:nowrap}
th.sort{cursor:pointer}th.sort:after{content:" \2195";color:#999}
th[aria-sort=ascending]:after{content:" \2191";color:#000}th[aria-sort=descending]:after{content:" \2193";color:#000}
tbody tr:nth-child(even){background:#f8f9fa}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.mono,code{font-family:ui-monospace,monospace;font-size:12px}
.path{word-break:break-all;min-width:12em}
.st{font-weight:600;border-radius:3px;padding:0 .3em;white-space:nowrap}
.st-new{background:#fde2e1;color:#9b1c1c}.st-reopened{background:#fde8c8;color:#8a4b00}
.st-open{background:#fff3bf;color:#6b5200}.st-resolved{background:#e3f1e6;color:#1d5e2c}
.sev-critical,.sev-high{color:#9b1c1c;font-weight:600}
.small{color:#555;font-size:12px}
.nw,.st,td.sev{white-space:nowrap}
.fail{color:#9b1c1c}
form{margin:.5em 0;display:flex;flex-wrap:wrap;gap:.4em 1em;align-items:center}
label{white-space:nowrap}
)css";

// Sorting by any column of a table.sortable (a cell's data-k, if any, is its
// numeric key), and the filters of the findings table: the form is hidden
// until this runs, so a reader without JavaScript sees no dead controls.
constexpr std::string_view k_script = R"js(
(function () {
  'use strict';
  function key(cell) {
    var k = cell.getAttribute('data-k');
    return k === null ? cell.textContent.trim().toLowerCase() : Number(k);
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      th.classList.add('sort');
      th.tabIndex = 0;
      function sort() {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          var c = (typeof x === 'number' && typeof y === 'number') ? x - y : String(x).localeCompare(String(y));
          return ascending ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); }
      });
    });
  });
  var form = document.getElementById('filters');
  var table = document.getElementById('findings');
  if (!form || !table) { return; }
  var shown = document.getElementById('shown');
  function statusMatches(row, want) {
    if (want === '') { return true; }
    if (want === 'untriaged') { return row.dataset.triage === ''; }
    if (want === 'triaged') { return row.dataset.triage !== ''; }
    return row.dataset.status === want;
  }
  function ageMatches(row, range) {
    if (range === '') { return true; }
    var bounds = range.split('-'), age = Number(row.dataset.age);
    return (bounds[0] === '' || age >= Number(bounds[0])) && (bounds[1] === '' || age < Number(bounds[1]));
  }
  function apply() {
    var f = form.elements, n = 0, rows = table.tBodies[0].rows;
    Array.prototype.forEach.call(rows, function (row) {
      var ok = (f.repo.value === '' || row.dataset.repo === f.repo.value) &&
               (f.rule.value === '' || row.dataset.rule === f.rule.value) &&
               statusMatches(row, f.status.value) && ageMatches(row, f.age.value);
      row.hidden = !ok;
      if (ok) { n++; }
    });
    shown.textContent = n + ' of ' + rows.length + ' locations shown';
  }
  form.hidden = false;
  form.addEventListener('change', apply);
  form.addEventListener('reset', function () { setTimeout(apply, 0); });
  apply();
})();
)js";

// For text and for quoted attribute values alike.
std::string escape(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default: out += c;
    }
  }
  return out;
}

// What came from a repository or the store: shown unambiguously (control
// bytes, invalid UTF-8, bidi overrides escaped, as on a terminal), then
// escaped for HTML.
std::string text(std::string_view in) {
  return escape(printable(in));
}

// 'sha256-BASE64' of `body`, as a Content-Security-Policy source.
std::string csp_hash(std::string_view body) {
  static constexpr std::string_view k_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string hex = sha256_hex(body);
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t chunk = static_cast<unsigned char>(bytes[i]) << 16;
    chunk |= i + 1 < bytes.size() ? static_cast<unsigned char>(bytes[i + 1]) << 8 : 0;
    chunk |= i + 2 < bytes.size() ? static_cast<unsigned char>(bytes[i + 2]) : 0;
    for (std::size_t j = 0; j < 4; ++j) {
      out += i + j <= bytes.size() ? k_alphabet[(chunk >> (18 - 6 * j)) & 63] : '=';
    }
  }
  return "'sha256-" + out + "'";
}

struct Counts {
  std::size_t fresh = 0, open = 0, reopened = 0, resolved = 0, triaged = 0;
  std::size_t total() const { return fresh + open + reopened + resolved + triaged; }
  // As org scan counts them: a triaged finding counts as triaged only.
  void add(const store::StoredFinding& f) {
    if (f.triage != store::Triage::none) {
      ++triaged;
      return;
    }
    switch (f.status) {
    case store::Status::fresh: ++fresh; break;
    case store::Status::open: ++open; break;
    case store::Status::reopened: ++reopened; break;
    case store::Status::resolved: ++resolved; break;
    }
  }
};

// Untriaged first, then the most urgent status.
int rank(const store::StoredFinding& f) {
  constexpr std::array<int, 4> k_by_status = {0, 2, 3, 1};  // fresh, open, resolved, reopened
  return (f.triage != store::Triage::none ? 4 : 0) + k_by_status[static_cast<std::size_t>(f.status)];
}

// Days since the location's commit (the first sighting when it has no date).
std::int64_t exposure_days(const store::StoredFinding& f, const store::StoredLocation* l, std::int64_t now) {
  std::optional<std::int64_t> since = l ? parse_date(l->date, now) : std::nullopt;
  if (!since) {
    since = parse_date(f.first_seen, now);
  }
  return since ? std::max<std::int64_t>(0, (now - *since) / 86400) : 0;
}

// A date as a sortable cell: the day shown, the full time on hover.
std::string date_cell(std::string_view iso, std::int64_t now) {
  const std::optional<std::int64_t> when = parse_date(iso, now);
  return fmt::format("<td class=\"nw\" data-k=\"{}\" title=\"{}\">{}</td>", when.value_or(0), text(iso),
                     text(iso.substr(0, 10)));
}

std::string age_text(std::int64_t days) {
  if (days >= 365) {
    return fmt::format("{} days ({:.1f} years)", days, static_cast<double>(days) / 365.25);
  }
  return fmt::format("{} day{}", days, days == 1 ? "" : "s");
}

void write_summary(std::ostream& out, const std::vector<store::StoredFinding>& findings,
                   const std::vector<store::RepositoryInfo>& repositories, const std::vector<store::RunInfo>& runs,
                   std::int64_t now) {
  Counts all;
  for (const store::StoredFinding& f : findings) {
    all.add(f);
  }
  const std::size_t failing = std::count_if(repositories.begin(), repositories.end(),
                                            [](const store::RepositoryInfo& r) { return !r.last_error.empty(); });
  out << fmt::format("<p class=\"meta\">Generated {}Z. ", iso8601_utc(now));
  if (!runs.empty()) {
    const store::RunInfo& run = runs.back();
    out << fmt::format("Latest run: #{}, started {}, {} {}; {} repositories closed, {} blobs read. ", run.id,
                       text(run.started), text(store::to_string(run.status)),
                       run.finished.empty() ? "" : "at " + text(run.finished), run.repositories_closed,
                       run.blobs_scanned);
  }
  out << fmt::format("{} runs in the store.</p>\n", runs.size());
  out << fmt::format("<p id=\"totals\"><strong>{} findings</strong>: {} new, {} reopened, {} open, {} resolved, {} "
                     "triaged. <strong>{} repositories</strong>, {} failing.</p>\n",
                     findings.size(), all.fresh, all.reopened, all.open, all.resolved, all.triaged,
                     repositories.size(), failing);
}

void write_repositories(std::ostream& out, const std::vector<store::StoredFinding>& findings,
                        const std::vector<store::RepositoryInfo>& repositories) {
  std::map<std::string, Counts> counts;
  for (const store::RepositoryInfo& r : repositories) {
    counts[r.name];
  }
  for (const store::StoredFinding& f : findings) {
    std::set<std::string> in;
    for (const store::StoredLocation& l : f.locations) {
      if (in.insert(l.repository).second) {
        counts[l.repository].add(f);
      }
    }
  }
  std::map<std::string, const store::RepositoryInfo*> info;
  for (const store::RepositoryInfo& r : repositories) {
    info[r.name] = &r;
  }
  out << "<h2 id=\"repositories-heading\">Repositories</h2>\n<div class=\"scroll\"><table id=\"repositories\" "
         "class=\"sortable\">\n<thead><tr><th>Repository</th><th>URL</th><th>Findings</th><th>New</th><th>Reopened</th>"
         "<th>Open</th><th>Resolved</th><th>Triaged</th><th>Last fetch</th><th>Fetch</th></tr></thead>\n<tbody>\n";
  for (const auto& [name, c] : counts) {
    const store::RepositoryInfo* r = info.count(name) ? info[name] : nullptr;
    out << fmt::format("<tr data-repo=\"{0}\"><td>{0}</td><td class=\"mono\">{1}</td>", text(name),
                       r ? text(r->url) : "");
    for (std::size_t n : {c.total(), c.fresh, c.reopened, c.open, c.resolved, c.triaged}) {
      out << fmt::format("<td class=\"n\" data-k=\"{0}\">{0}</td>", n);
    }
    const bool failed = r && !r->last_error.empty();
    out << fmt::format("<td>{}</td><td{}>{}</td></tr>\n", r ? text(r->last_fetch) : "",
                       failed ? " class=\"fail\"" : "", failed ? "failed" : r ? "ok" : "");
  }
  out << "</tbody></table></div>\n";
}

void write_failing(std::ostream& out, const std::vector<store::RepositoryInfo>& repositories) {
  out << "<h2 id=\"failing-heading\">Failing repositories</h2>\n";
  std::string rows;
  for (const store::RepositoryInfo& r : repositories) {
    if (!r.last_error.empty()) {
      rows += fmt::format("<tr><td>{}</td><td class=\"mono\">{}</td><td>{}</td><td class=\"fail\">{}</td></tr>\n",
                          text(r.name), text(r.url), text(r.last_fetch), text(r.last_error));
    }
  }
  if (rows.empty()) {
    out << "<p>None: every repository's last fetch succeeded.</p>\n";
    return;
  }
  out << "<div class=\"scroll\"><table id=\"failing\"><thead><tr><th>Repository</th><th>URL</th><th>Last attempt</th>"
         "<th>Error</th></tr></thead>\n<tbody>\n"
      << rows << "</tbody></table></div>\n";
}

void write_filters(std::ostream& out, const std::vector<store::StoredFinding>& findings,
                   const std::vector<store::RepositoryInfo>& repositories) {
  std::set<std::string> repos, rules;
  for (const store::RepositoryInfo& r : repositories) {
    repos.insert(r.name);
  }
  for (const store::StoredFinding& f : findings) {
    rules.insert(f.rule_id);
    for (const store::StoredLocation& l : f.locations) {
      repos.insert(l.repository);
    }
  }
  const auto options = [](const std::set<std::string>& values) {
    std::string s = "<option value=\"\">all</option>";
    for (const std::string& v : values) {
      s += fmt::format("<option value=\"{0}\">{0}</option>", text(v));
    }
    return s;
  };
  out << "<form id=\"filters\" hidden>\n"
      << fmt::format("<label>Repository <select name=\"repo\">{}</select></label>\n", options(repos))
      << fmt::format("<label>Rule <select name=\"rule\">{}</select></label>\n", options(rules))
      << "<label>Status <select name=\"status\"><option value=\"\">all</option><option value=\"untriaged\">untriaged"
         "</option><option value=\"new\">new</option><option value=\"reopened\">reopened</option><option "
         "value=\"open\">open</option><option value=\"resolved\">resolved</option><option value=\"triaged\">triaged"
         "</option></select></label>\n"
      << "<label>Exposed <select name=\"age\"><option value=\"\">any time</option><option value=\"-7\">under a week"
         "</option><option value=\"-30\">under 30 days</option><option value=\"-90\">under 90 days</option><option "
         "value=\"90-\">90 days or more</option><option value=\"365-\">a year or more</option></select></label>\n"
      << "<button type=\"reset\">Clear</button> <span id=\"shown\"></span>\n</form>\n"
      << "<noscript><p class=\"small\">Sorting and filtering need JavaScript; the tables are complete without it."
         "</p></noscript>\n";
}

void write_finding_row(std::ostream& out, const store::StoredFinding& f, const store::StoredLocation* l,
                       std::int64_t now) {
  const std::string status(store::to_string(f.status));
  const std::string triage(store::to_string(f.triage));
  const std::int64_t age = exposure_days(f, l, now);
  out << fmt::format("<tr data-repo=\"{}\" data-rule=\"{}\" data-status=\"{}\" data-triage=\"{}\" data-age=\"{}\">",
                     l ? text(l->repository) : "", text(f.rule_id), status, triage, age);
  out << fmt::format("<td data-k=\"{}\"><span class=\"st st-{}\">{}</span></td>", rank(f), status, status);
  out << "<td>";
  if (f.triage != store::Triage::none) {
    out << fmt::format("<strong>{}</strong><div class=\"small\">by {} at {}</div>", triage, text(f.triage_by),
                       text(f.triage_at));
    if (!f.triage_note.empty()) {
      out << fmt::format("<div class=\"small note\">{}</div>", text(f.triage_note));
    }
  }
  if (f.moved_after_triage) {
    out << "<div class=\"fail\">seen in a new place since</div>";
  }
  out << "</td>";
  out << fmt::format("<td class=\"mono\">{0}</td><td class=\"sev sev-{1}\" data-k=\"{2}\">{1}</td>", text(f.rule_id),
                     to_string(f.severity), static_cast<int>(f.severity));
  out << fmt::format("<td class=\"mono\">{}</td><td class=\"mono fp\">{}</td>", text(f.preview), text(f.fingerprint));
  if (l) {
    out << fmt::format("<td>{}</td><td class=\"mono path\">{}:{}{}</td>", text(l->repository), text(l->path), l->line,
                       l->at_head ? "<div class=\"small\">at a head</div>" : "");
    out << fmt::format("<td class=\"mono\" title=\"{}\">{}</td><td>{}</td>{}", text(l->commit),
                       text(l->commit.substr(0, 12)), text(l->author), date_cell(l->date, now));
  } else {
    out << "<td></td><td></td><td></td><td></td><td data-k=\"0\"></td>";
  }
  out << fmt::format("{}{}<td class=\"nw\" data-k=\"{}\">{}</td></tr>\n", date_cell(f.first_seen, now),
                     date_cell(f.last_seen, now), age, age_text(age));
}

void write_findings(std::ostream& out, const std::vector<store::StoredFinding>& findings, std::int64_t now) {
  std::vector<const store::StoredFinding*> order;
  for (const store::StoredFinding& f : findings) {
    order.push_back(&f);
  }
  std::stable_sort(order.begin(), order.end(), [](auto* a, auto* b) { return rank(*a) < rank(*b); });
  out << "<div class=\"scroll\"><table id=\"findings\" class=\"sortable\">\n<thead><tr><th>Status</th><th>Triage</th>"
         "<th>Rule</th><th>Severity</th><th>Secret (redacted)</th><th>Fingerprint</th><th>Repository</th>"
         "<th>Path:line</th><th>Commit</th><th>Author</th><th>Date</th><th>First seen</th><th>Last seen</th>"
         "<th>Exposed for</th></tr></thead>\n<tbody>\n";
  for (const store::StoredFinding* f : order) {
    if (f->locations.empty()) {
      write_finding_row(out, *f, nullptr, now);
    }
    for (const store::StoredLocation& l : f->locations) {
      write_finding_row(out, *f, &l, now);
    }
  }
  out << "</tbody></table></div>\n";
}

} // namespace

void write_org_html(std::ostream& out, const std::vector<store::StoredFinding>& findings,
                    const std::vector<store::RepositoryInfo>& repositories, const std::vector<store::RunInfo>& runs,
                    std::int64_t now) {
  // No source may be fetched; the one script and style sheet are admitted
  // by hash, so nothing injected could run even if escaping failed.
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << fmt::format("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src {}; "
                     "style-src {}; img-src 'none'; form-action 'none'; base-uri 'none'\">\n",
                     csp_hash(k_script), csp_hash(k_style))
      << "<meta name=\"referrer\" content=\"no-referrer\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>leakstop organisation report</title>\n<style>" << k_style << "</style>\n</head>\n<body>\n"
      << "<h1>leakstop organisation report</h1>\n";
  write_summary(out, findings, repositories, runs, now);
  write_repositories(out, findings, repositories);
  write_failing(out, repositories);
  out << "<h2 id=\"findings-heading\">Findings</h2>\n<p class=\"small\">One row per place a secret was found. Secrets "
         "are shown redacted; the fingerprint names one in <code>leakstop org triage</code>. A resolved secret is "
         "still in the history: it stays exposed until rotated.</p>\n";
  write_filters(out, findings, repositories);
  write_findings(out, findings, now);
  out << "<script>" << k_script << "</script>\n</body>\n</html>\n";
}

} // namespace leakstop::cli
