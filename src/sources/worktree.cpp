#include <fmt/format.h>

#include <filesystem>
#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <vector>

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/parallel.hpp"
#include "sources/sources.hpp"

namespace leakstop::sources {
namespace fs = std::filesystem;

namespace {

// The git work tree a path lies in, for honouring its ignore rules.
struct IgnoreContext {
  Repository repo;
  fs::path workdir;

  static std::optional<IgnoreContext> find(const fs::path& path) {
    const fs::path root = find_worktree_root(path.empty() ? fs::path(".") : path, GitEnv::ignore);
    git_repository* raw = nullptr;
    if (root.empty() || git_repository_open_ext(&raw, root.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0) {
      return std::nullopt;
    }
    Repository repo(raw);
    const char* workdir = git_repository_workdir(repo.get());
    if (!workdir) {
      return std::nullopt;
    }
    return IgnoreContext{std::move(repo), fs::weakly_canonical(workdir)};
  }

  bool ignored(const fs::path& path) const {
    std::error_code ec;
    fs::path relative = fs::weakly_canonical(path, ec).lexically_relative(workdir);
    if (ec || relative.empty() || *relative.begin() == "..") {
      return false;
    }
    int ignored = 0;
    if (git_ignore_path_is_ignored(&ignored, repo.get(), relative.generic_string().c_str()) != 0) {
      return false;
    }
    return ignored == 1;
  }
};

std::string shown_path(const fs::path& path) {
  std::string out = path.generic_string();
  if (out.rfind("./", 0) == 0) {
    out.erase(0, 2);
  }
  return out;
}

Flow emit_file(const fs::path& path, const WorktreeOptions& options, const BlobSink& sink) {
  SourceBlob blob;
  blob.path = shown_path(path);
  std::error_code ec;
  blob.size = fs::file_size(path, ec);
  if (ec) {
    blob.skip = Skip::unreadable;
    blob.skip_reason = ec.message();
    return sink(blob);
  }
  if (blob.size > options.max_file_size) {
    blob.skip = Skip::too_large;
    return sink(blob);
  }
  // NOTE: reading through an istreambuf_iterator took a third of
  // `leakstop scan`'s time over /usr/include and /usr/share (488 MB).
  std::optional<std::string> read = read_whole_file(path);
  if (!read) {
    blob.skip = Skip::unreadable;
    blob.skip_reason = "read failed";
    return sink(blob);
  }
  const std::string& content = *read;
  blob.size = content.size();
  if (looks_binary(content)) {
    blob.skip = Skip::binary;
  } else {
    blob.content = content;
  }
  return sink(blob);
}

// What a walk meets, in order: files to read, and blobs with nothing to
// read (stdin, a directory that cannot be walked, what is no file).
struct Visit {
  std::function<Flow(const fs::path&)> file;
  BlobSink ready;
};

// A directory the walk could not open or read to the end: an error the
// scan reports (and exits 3 for) after scanning everything else.
Flow emit_unwalked(const fs::path& dir, const std::error_code& ec, std::string_view what, const BlobSink& sink) {
  SourceBlob blob;
  blob.path = shown_path(dir);
  blob.skip = Skip::unreadable;
  blob.skip_reason = fmt::format("{} (a directory: {})", ec.message(), what);
  return sink(blob);
}

// Depth first, one directory_iterator per directory, so that a directory
// that cannot be read (no permission, an I/O error) is reported and the
// walk goes on: recursive_directory_iterator ends at the first error, and
// skip_permission_denied passes over a directory without a word.
Flow walk_directory(const fs::path& root, const IgnoreContext* ignore, const Visit& visit) {
  std::vector<fs::path> pending{root};
  while (!pending.empty()) {
    const fs::path dir = std::move(pending.back());
    pending.pop_back();
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
      if (dir == root) {
        throw RepoError(fmt::format("{}: cannot read directory: {}", root.string(), ec.message()));
      }
      if (emit_unwalked(dir, ec, "nothing in it was scanned", visit.ready) == Flow::stop) {
        return Flow::stop;
      }
      continue;
    }
    std::vector<fs::path> subdirs;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      const fs::directory_entry& entry = *it;
      std::error_code type_ec;
      if (entry.is_symlink(type_ec)) {
        continue;
      }
      if (entry.is_directory(type_ec)) {
        if (entry.path().filename() != ".git" && !(ignore && ignore->ignored(entry.path()))) {
          subdirs.push_back(entry.path());
        }
        continue;
      }
      if (ignore && ignore->ignored(entry.path())) {
        continue;
      }
      // An entry whose type cannot be read (gone, an I/O error) is not
      // passed over: emit_file reports why it cannot be read.
      if (entry.is_regular_file(type_ec) || type_ec) {
        if (visit.file(entry.path()) == Flow::stop) {
          return Flow::stop;
        }
      }
    }
    if (ec && emit_unwalked(dir, ec, "the rest of it was not scanned", visit.ready) == Flow::stop) {
      return Flow::stop;
    }
    pending.insert(pending.end(), subdirs.rbegin(), subdirs.rend());
  }
  return Flow::next;
}

Flow emit_stdin(const WorktreeOptions& options, const BlobSink& sink) {
  std::string content((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  SourceBlob blob;
  blob.path = "<stdin>";
  blob.size = content.size();
  if (blob.size > options.max_file_size) {
    blob.skip = Skip::too_large;
  } else if (looks_binary(content)) {
    blob.skip = Skip::binary;
  } else {
    blob.content = content;
  }
  return sink(blob);
}

// Every path named, in order: "-" (stdin) and what is neither a file nor
// a directory go to `visit.ready`, files named or found to `visit.file`.
void walk_paths(const std::vector<std::string>& paths, const WorktreeOptions& options, const Visit& visit) {
  for (const std::string& arg : paths) {
    if (arg == "-") {
      if (emit_stdin(options, visit.ready) == Flow::stop) {
        return;
      }
      continue;
    }
    fs::path path(arg);
    std::error_code ec;
    fs::file_status link = fs::symlink_status(path, ec);
    if (ec || !fs::exists(link)) {
      throw RepoError(fmt::format("{}: no such file or directory", arg));
    }
    // Named explicitly, a symbolic link is followed (as grep does); what it
    // leads to, or what is named, must be a file or a directory: anything
    // else (a FIFO, a device, a link loop) is an error, never a silent pass.
    fs::file_status status = fs::status(path, ec);
    if (!ec && fs::is_directory(status)) {
      std::optional<IgnoreContext> ignore = IgnoreContext::find(path);
      if (walk_directory(path, ignore ? &*ignore : nullptr, visit) == Flow::stop) {
        return;
      }
    } else if (!ec && fs::is_regular_file(status)) {
      if (visit.file(path) == Flow::stop) {  // named explicitly: scanned even if ignored
        return;
      }
    } else {
      SourceBlob blob;
      blob.path = path.generic_string();
      blob.skip = Skip::unreadable;
      blob.skip_reason = ec ? ec.message() : "not a regular file or a directory";
      if (visit.ready(blob) == Flow::stop) {
        return;
      }
    }
  }
}

} // namespace

void enumerate_paths(const LibGit2& libgit2, const std::vector<std::string>& paths, const WorktreeOptions& options,
                     const BlobSink& sink) {
  libgit2.ready();
  walk_paths(paths, options, {[&](const fs::path& file) { return emit_file(file, options, sink); }, sink});
}

void enumerate_paths(const LibGit2& libgit2, const std::vector<std::string>& paths, const WorktreeOptions& options,
                     unsigned threads, const OrderedBlobSink& sink) {
  libgit2.ready();
  // The walk hands over, as worker 0, what needs no reading; files wait,
  // each with its place in the order.
  struct File {
    fs::path path;
    std::size_t order;
  };
  std::vector<File> files;
  std::size_t order = 0;
  std::atomic<bool> stop{false};
  walk_paths(paths, options,
             {[&](const fs::path& file) {
                files.push_back({file, order++});
                return Flow::next;
              },
              [&](const SourceBlob& blob) {
                const Flow flow = sink(0, order++, blob);
                if (flow == Flow::stop) {
                  stop = true;
                }
                return flow;
              }});
  std::atomic<std::size_t> next{0};
  const auto workers = static_cast<unsigned>(std::clamp<std::size_t>(files.size(), 1, std::max(1u, threads)));
  run_parallel(workers, [&](unsigned worker) {
    try {
      for (std::size_t i = next++; i < files.size() && !stop; i = next++) {
        auto one = [&](const SourceBlob& blob) { return sink(worker, files[i].order, blob); };
        if (emit_file(files[i].path, options, one) == Flow::stop) {
          stop = true;
        }
      }
    } catch (...) {
      stop = true;  // the others stop too; run_parallel rethrows
      throw;
    }
  });
}

} // namespace leakstop::sources
