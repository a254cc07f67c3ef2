#include "hosting/curl_library.hpp"

#include <dlfcn.h>

#include <fmt/format.h>

#include "core/error.hpp"

namespace leakstop::hosting {
namespace {

// Debian's libcurl4 (what libcurl4-openssl-dev builds against).
constexpr const char* k_soname = "libcurl.so.4";

template <typename Function>
void load(void* handle, const char* name, Function& out) {
  void* symbol = ::dlsym(handle, name);
  if (symbol == nullptr) {
    throw RepoError(fmt::format("{} has no {}: install Debian's libcurl4", k_soname, name));
  }
  out = reinterpret_cast<Function>(symbol);
}

CurlLibrary open_library() {
  // Never closed: libcurl keeps global state until the process ends.
  void* handle = ::dlopen(k_soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    throw RepoError(fmt::format("cannot load {} ({}): install Debian's libcurl4 to list organisations over HTTP",
                                k_soname, why ? why : "unknown reason"));
  }
  CurlLibrary lib{};
  load(handle, "curl_global_init", lib.global_init);
  load(handle, "curl_global_cleanup", lib.global_cleanup);
  load(handle, "curl_easy_strerror", lib.easy_strerror);
  load(handle, "curl_easy_init", lib.easy_init);
  load(handle, "curl_easy_setopt", lib.easy_setopt);
  load(handle, "curl_easy_perform", lib.easy_perform);
  load(handle, "curl_easy_getinfo", lib.easy_getinfo);
  load(handle, "curl_easy_reset", lib.easy_reset);
  load(handle, "curl_easy_cleanup", lib.easy_cleanup);
  load(handle, "curl_slist_append", lib.slist_append);
  load(handle, "curl_slist_free_all", lib.slist_free_all);
  load(handle, "curl_url", lib.url);
  load(handle, "curl_url_set", lib.url_set);
  load(handle, "curl_url_get", lib.url_get);
  load(handle, "curl_url_cleanup", lib.url_cleanup);
  load(handle, "curl_free", lib.free);
  return lib;
}

} // namespace

const CurlLibrary& curl_library() {
  // A static's initialisation is thread-safe, and one that throws is tried
  // again on the next call.
  static const CurlLibrary library = open_library();
  return library;
}

} // namespace leakstop::hosting
