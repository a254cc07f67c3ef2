#include "core/file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "core/error.hpp"

namespace leakstop {

namespace {

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
// It changes nothing for a regular file.
constexpr int k_open_flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;

std::string_view file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

} // namespace

std::optional<std::string> read_config_file(const std::filesystem::path& file, IfMissing if_missing) {
  const std::string name = file.string();
  int fd = ::open(file.c_str(), k_open_flags);
  if (fd < 0) {
    int error = errno;
    struct stat link {};
    if (error == ENOENT && ::lstat(file.c_str(), &link) != 0 && if_missing == IfMissing::absent) {
      return std::nullopt;  // nothing there (a dangling symbolic link is something)
    }
    if (error == ELOOP) {
      throw ConfigError(name + ": cannot read: a loop of symbolic links");
    }
    if (error == ENOENT && ::lstat(file.c_str(), &link) == 0) {
      throw ConfigError(name + ": cannot read: a symbolic link to nothing");
    }
    throw ConfigError(name + ": cannot read: " + std::strerror(error));
  }
  auto closer = [](const int* p) { ::close(*p); };
  std::unique_ptr<const int, decltype(closer)> guard(&fd, closer);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    throw ConfigError(name + ": cannot read: " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    throw ConfigError(name + ": cannot read: " + std::string(file_kind(st.st_mode)) + ", not a regular file");
  }
  const std::string too_large = name + ": cannot read: larger than the limit of " +
                                std::to_string(k_max_config_file_size) + " bytes (1 MiB) for a configuration file";
  if (static_cast<std::uint64_t>(st.st_size) > k_max_config_file_size) {
    throw ConfigError(too_large);
  }
  // Read up to one byte past the limit: the file may grow while we read it.
  std::string out(static_cast<std::size_t>(st.st_size) + 1, '\0');
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      throw ConfigError(name + ": cannot read: " + std::strerror(errno));
    }
    if (n == 0) {
      break;
    }
    done += static_cast<std::size_t>(n);
    if (done > k_max_config_file_size) {
      throw ConfigError(too_large);
    }
    if (done == out.size()) {
      out.resize(out.size() + 4096);  // it grew: keep reading up to the limit
    }
  }
  out.resize(done);
  return out;
}

std::optional<std::string> read_whole_file(const std::filesystem::path& file) {
  int fd = ::open(file.c_str(), k_open_flags);
  if (fd < 0) {
    return std::nullopt;
  }
  auto closer = [](const int* p) { ::close(*p); };
  std::unique_ptr<const int, decltype(closer)> guard(&fd, closer);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    return std::nullopt;
  }
  std::string out;
  out.resize(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0) {
      return std::nullopt;
    }
    if (n == 0) {
      out.resize(done);  // the file shrank while we read it
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  return out;
}

std::optional<MappedFile> MappedFile::open(const std::filesystem::path& file) {
  int fd = ::open(file.c_str(), k_open_flags);
  if (fd < 0) {
    return std::nullopt;
  }
  struct stat st {};
  void* data = MAP_FAILED;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    data = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  }
  ::close(fd);
  if (data == MAP_FAILED) {
    return std::nullopt;
  }
  return MappedFile(data, static_cast<std::size_t>(st.st_size));
}

MappedFile::MappedFile(MappedFile&& other) noexcept : m_data(other.m_data), m_size(other.m_size) {
  other.m_data = nullptr;
  other.m_size = 0;
}

MappedFile::~MappedFile() {
  if (m_data) {
    ::munmap(m_data, m_size);
  }
}

} // namespace leakstop
