#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <vector>

#include "core/error.hpp"
#include "core/file.hpp"
#include "sources/sources.hpp"

namespace leakstop::sources {
namespace fs = std::filesystem;

namespace {

// The git work tree a path lies in, for honouring its ignore rules.
struct IgnoreContext {
  Repository repo;
  fs::path workdir;

  static std::optional<IgnoreContext> find(const fs::path& path) {
    git_repository* raw = nullptr;
    fs::path start = fs::is_directory(path) ? path : path.parent_path();
    if (start.empty()) {
      start = ".";
    }
    if (git_repository_open_ext(&raw, start.c_str(), 0, nullptr) != 0) {
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

void emit_file(const fs::path& path, const WorktreeOptions& options, const BlobSink& sink) {
  SourceBlob blob;
  blob.path = shown_path(path);
  std::error_code ec;
  blob.size = fs::file_size(path, ec);
  if (ec) {
    blob.skip = Skip::unreadable;
    blob.skip_reason = ec.message();
    sink(blob);
    return;
  }
  if (blob.size > options.max_file_size) {
    blob.skip = Skip::too_large;
    sink(blob);
    return;
  }
  // NOTE: reading through an istreambuf_iterator took a third of
  // `leakstop scan`'s time over /usr/include and /usr/share (488 MB).
  std::optional<std::string> read = read_whole_file(path);
  if (!read) {
    blob.skip = Skip::unreadable;
    blob.skip_reason = "read failed";
    sink(blob);
    return;
  }
  const std::string& content = *read;
  blob.size = content.size();
  if (looks_binary(content)) {
    blob.skip = Skip::binary;
  } else {
    blob.content = content;
  }
  sink(blob);
}

// A directory the walk could not open or read to the end: an error the
// scan reports (and exits 3 for) after scanning everything else.
void emit_unwalked(const fs::path& dir, const std::error_code& ec, std::string_view what, const BlobSink& sink) {
  SourceBlob blob;
  blob.path = shown_path(dir);
  blob.skip = Skip::unreadable;
  blob.skip_reason = fmt::format("{} (a directory: {})", ec.message(), what);
  sink(blob);
}

// Depth first, one directory_iterator per directory, so that a directory
// that cannot be read (no permission, an I/O error) is reported and the
// walk goes on: recursive_directory_iterator ends at the first error, and
// skip_permission_denied passes over a directory without a word.
void walk_directory(const fs::path& root, const IgnoreContext* ignore, const WorktreeOptions& options,
                    const BlobSink& sink) {
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
      emit_unwalked(dir, ec, "nothing in it was scanned", sink);
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
        emit_file(entry.path(), options, sink);
      }
    }
    if (ec) {
      emit_unwalked(dir, ec, "the rest of it was not scanned", sink);
    }
    pending.insert(pending.end(), subdirs.rbegin(), subdirs.rend());
  }
}

void emit_stdin(const WorktreeOptions& options, const BlobSink& sink) {
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
  sink(blob);
}

} // namespace

void enumerate_paths(const LibGit2& libgit2, const std::vector<std::string>& paths, const WorktreeOptions& options,
                     const BlobSink& sink) {
  libgit2.ready();
  for (const std::string& arg : paths) {
    if (arg == "-") {
      emit_stdin(options, sink);
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
      walk_directory(path, ignore ? &*ignore : nullptr, options, sink);
    } else if (!ec && fs::is_regular_file(status)) {
      emit_file(path, options, sink);  // named explicitly: scanned even if ignored
    } else {
      SourceBlob blob;
      blob.path = path.generic_string();
      blob.skip = Skip::unreadable;
      blob.skip_reason = ec ? ec.message() : "not a regular file or a directory";
      sink(blob);
    }
  }
}

} // namespace leakstop::sources
