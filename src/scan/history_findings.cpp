#include "scan/history_findings.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace leakstop::scan {

bool HitTable::earlier(const Hit& a, const Hit& b) {
  // Blob indexes follow object ids, so ties break the same way every run.
  return std::tie(a.commit, a.blob, a.finding.location.line, a.finding.location.column) <
         std::tie(b.commit, b.blob, b.finding.location.line, b.finding.location.column);
}

void HitTable::keep(Hit hit) {
  std::string key = hit.finding.fingerprint;
  key.push_back('\0');
  key.append(std::to_string(hit.path));
  auto [it, added] = m_hits.try_emplace(std::move(key), std::move(hit));
  if (added) {
    return;
  }
  Hit& kept = it->second;
  const bool at_head = kept.at_head || hit.at_head;
  if (earlier(hit, kept)) {
    kept = std::move(hit);
  }
  kept.at_head = at_head;
}

void HitTable::add(Finding f, std::size_t blob_index, const sources::Introduction& introduction, bool at_head) {
  keep(Hit{std::move(f), blob_index, introduction.path, introduction.commit, at_head});
}

void HitTable::merge(HitTable&& other) {
  for (auto& [key, hit] : other.m_hits) {
    keep(std::move(hit));
  }
  other.m_hits.clear();
}

HistoryNames names_of(const sources::History& history, git_repository* repo) {
  HistoryNames names;
  names.path = [&history](std::uint32_t path) { return history.path(path); };
  names.commit = [&history, repo](std::uint32_t commit) -> std::optional<CommitInfo> {
    return history.describe(repo, commit);
  };
  names.blob_id = [&history](std::size_t blob) { return sources::oid_hex(history.blob(blob)); };
  return names;
}

std::vector<Finding> HitTable::findings(const HistoryNames& names) && {
  std::map<std::string, std::vector<Hit*>> by_secret;  // ordered: the output does not depend on hashing
  for (auto& [key, hit] : m_hits) {
    by_secret[hit.finding.fingerprint].push_back(&hit);
  }
  std::map<std::uint32_t, std::optional<CommitInfo>> commits;
  auto describe = [&](std::uint32_t commit) -> std::optional<CommitInfo> {
    if (commit == sources::k_no_commit) {
      return std::nullopt;
    }
    auto it = commits.find(commit);
    if (it == commits.end()) {
      it = commits.emplace(commit, names.commit(commit)).first;
    }
    return it->second;
  };
  auto path_of = [&](const Hit* h) {
    return h->path == sources::k_no_path ? std::string_view() : names.path(h->path);
  };
  auto location_of = [&](Hit* h) {
    Location l = h->finding.location;
    l.path = std::string(path_of(h));
    l.commit = describe(h->commit);
    l.blob = names.blob_id(h->blob);
    l.at_head = h->at_head;
    return l;
  };
  std::vector<Finding> out;
  for (auto& [fingerprint, hits] : by_secret) {
    std::sort(hits.begin(), hits.end(), [&](const Hit* a, const Hit* b) {
      return std::make_tuple(a->commit, path_of(a), a->finding.location.line) <
             std::make_tuple(b->commit, path_of(b), b->finding.location.line);
    });
    Location first = location_of(hits.front());
    Finding f = std::move(hits.front()->finding);
    f.location = std::move(first);
    f.still_at_head = false;
    for (std::size_t i = 0; i < hits.size(); ++i) {
      if (i > 0) {
        f.other_locations.push_back(location_of(hits[i]));
      }
      f.still_at_head = *f.still_at_head || hits[i]->at_head;
    }
    out.push_back(std::move(f));
  }
  m_hits.clear();
  return out;
}

} // namespace leakstop::scan
