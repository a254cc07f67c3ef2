#pragma once
// Whether a staged finding is already committed: pre-commit's --all-files
// hands whole files to `leakstop staged FILE...`, and a secret HEAD already
// holds needs rotating, not just unstaging.
//
// Thread-safety: `repo` is used by one thread at a time.

#include <vector>

#include "core/types.hpp"

struct git_repository;

namespace leakstop::scan {

// Sets Finding::still_at_head to true on each of `findings` whose secret
// HEAD's version of its path holds (the rest are left unset). Without a
// HEAD commit (a fresh repository) nothing is committed.
void mark_already_committed(git_repository* repo, std::vector<Finding>& findings);

} // namespace leakstop::scan
