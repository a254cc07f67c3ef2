#pragma once
// libcurl, opened with dlopen the first time a command needs it. Linked, it
// brings some 25 shared libraries (GnuTLS, Kerberos, LDAP, RTMP, ...) into
// every process: the loader maps and relocates them and runs their
// constructors before main, which cost each hook run more than the scan of
// a typical commit (docs/performance.md). Only the organisation commands
// that list a GitHub organisation or GitLab group speak HTTP.
//
// The table is process-wide, like libcurl's own global state: loaded once,
// immutable after, safe to use from any thread.

#include <curl/curl.h>

namespace leakstop::hosting {

struct CurlLibrary {
  decltype(&::curl_global_init) global_init;
  decltype(&::curl_global_cleanup) global_cleanup;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_perform) easy_perform;
  decltype(&::curl_easy_getinfo) easy_getinfo;
  decltype(&::curl_easy_reset) easy_reset;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
  decltype(&::curl_url) url;
  decltype(&::curl_url_set) url_set;
  decltype(&::curl_url_get) url_get;
  decltype(&::curl_url_cleanup) url_cleanup;
  decltype(&::curl_free) free;
};

// libcurl's functions, loading libcurl.so.4 on the first call. Throws
// RepoError naming the library and what failed when it cannot be loaded or
// lacks one of them (the library stays unloaded, so a later call retries).
const CurlLibrary& curl_library();

} // namespace leakstop::hosting
