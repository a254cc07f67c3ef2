// The store's blob bookkeeping: marking blobs scanned in batches of 1,000 (a
// repository's worth) and asking is_blob_scanned for each, as an incremental
// run does before reading a blob. Built and run by bench/store.sh.
#include "store/store.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

using namespace leakstop::store;

namespace {

// Object ids are uniformly distributed: so are these.
std::string object_id(unsigned n) {
  char buffer[41];
  std::snprintf(buffer, sizeof buffer, "%08x%032x", n * 2654435761u, n);
  return buffer;
}

double ms(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

} // namespace

int main(int argc, char** argv) {
  const unsigned count = argc > 2 ? static_cast<unsigned>(std::stoul(argv[2])) : 200000;
  std::filesystem::path dir = argc > 1 ? argv[1] : "store-bench";
  std::filesystem::remove_all(dir);
  Store store = Store::open(dir);
  const std::string digest(64, 'd');
  std::vector<std::string> ids;
  for (unsigned i = 0; i < count; ++i) {
    ids.push_back(object_id(i));
  }
  auto t0 = std::chrono::steady_clock::now();
  RunId run = store.begin_run(digest);
  RepoId repo = store.add_repository("bench", "/bench");
  for (unsigned i = 0; i < count; i += 1000) {
    auto end = ids.begin() + std::min<std::ptrdiff_t>(i + 1000, count);
    store.record_findings(run, repo, {}, std::vector<std::string>(ids.begin() + i, end));
  }
  auto t1 = std::chrono::steady_clock::now();
  unsigned hits = 0;
  for (const std::string& id : ids) {
    hits += store.is_blob_scanned(id, digest) ? 1 : 0;
  }
  for (unsigned i = 0; i < count; ++i) {
    hits += store.is_blob_scanned(object_id(i + count), digest) ? 1 : 0;
  }
  auto t2 = std::chrono::steady_clock::now();
  std::printf("blobs %u: mark %.0f ms (%.1f us/blob), is_blob_scanned %.2f us (hits %u of %u), db %ju KiB\n", count,
              ms(t0, t1), ms(t0, t1) * 1000 / count, ms(t1, t2) * 1000 / (2.0 * count), hits, 2 * count,
              static_cast<std::uintmax_t>(std::filesystem::file_size(dir / "leakstop.db") / 1024));
  return hits == count ? 0 : 1;
}
