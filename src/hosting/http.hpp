#pragma once
// HTTP GET through libcurl, for the hosting services' REST APIs. Everything
// a server sends is untrusted: bodies and headers are bounded, redirects are
// not followed (a redirect could carry the token elsewhere), only http and
// https are spoken, TLS is always verified (the system's CA store), and
// every transfer has a connect timeout and a floor on its speed.

#include "hosting/curl_library.hpp"

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace leakstop::hosting {

// Keeps libcurl initialised (curl_global_init is not thread-safe: construct
// one in the command, before any client). Not copyable.
class Curl {
public:
  Curl();
  ~Curl();
  Curl(const Curl&) = delete;
  Curl& operator=(const Curl&) = delete;
};

struct CurlFree {
  void operator()(CURL* p) const { curl_library().easy_cleanup(p); }
  void operator()(CURLU* p) const { curl_library().url_cleanup(p); }
  void operator()(curl_slist* p) const { curl_library().slist_free_all(p); }
};
using Easy = std::unique_ptr<CURL, CurlFree>;
using UrlHandle = std::unique_ptr<CURLU, CurlFree>;
using HeaderList = std::unique_ptr<curl_slist, CurlFree>;

// A URL's parts as libcurl parses them (scheme and host in lower case, the
// port filled in from the scheme). `ok` false when it does not parse.
struct UrlParts {
  bool ok = false;
  std::string scheme, host, port, user;
};
UrlParts parse_url(const std::string& url);

// 127.0.0.1, localhost or ::1: where plain http cannot be overheard.
bool is_loopback(const std::string& host);

struct Response {
  long status = 0;
  std::map<std::string, std::string> headers;  // names in lower case; the last of a repeated header
  std::string body;
};

struct HttpOptions {
  std::string user_agent = "leakstop";
  std::size_t max_body = std::size_t{32} << 20;  // bytes, after decompression
  std::chrono::seconds connect_timeout{30};
  std::chrono::seconds total_timeout{300};
  // A transfer slower than 1 KiB/s for this long is abandoned.
  std::chrono::seconds stall_timeout{60};
};

// One connection cache for a series of GETs (HTTP keep-alive across pages).
// Thread-safety: one thread at a time. Not copyable.
class HttpClient {
public:
  HttpClient(const Curl& curl, HttpOptions options);
  // The response, whatever its status. Throws RepoError naming the URL
  // (without userinfo) when no response came: DNS, connection, TLS,
  // timeout, a body or header block over its bound.
  Response get(const std::string& url, const std::vector<std::string>& headers);

private:
  HttpOptions m_options;
  Easy m_easy;
};

} // namespace leakstop::hosting
