// libcurl behind HttpClient: bounded reads, no redirects, verified TLS.

#include "hosting/http.hpp"

#include "core/error.hpp"
#include "core/url.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace leakstop::hosting {
namespace {

constexpr std::size_t k_max_header_bytes = 256 << 10;

// What the callbacks fill, and why they stopped a transfer.
struct Transfer {
  Response response;
  std::size_t max_body = 0;
  std::size_t header_bytes = 0;
  std::string overflow;  // non-empty: a bound was hit
};

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

extern "C" std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (t->response.body.size() + n > t->max_body) {
    t->overflow = fmt::format("response body over {} MiB", t->max_body >> 20);
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  t->response.body.append(data, n);
  return n;
}

extern "C" std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  t->header_bytes += n;
  if (t->header_bytes > k_max_header_bytes) {
    t->overflow = fmt::format("response headers over {} KiB", k_max_header_bytes >> 10);
    return 0;
  }
  std::string_view line(data, n);
  if (line.substr(0, 5) == "HTTP/") {
    t->response.headers.clear();  // a new response (after 100 Continue, or a proxy's CONNECT)
    return n;
  }
  const std::size_t colon = line.find(':');
  if (colon != std::string_view::npos && colon > 0) {
    t->response.headers[lower(trimmed(line.substr(0, colon)))] = std::string(trimmed(line.substr(colon + 1)));
  }
  return n;
}

void set(CURL* easy, CURLoption option, auto value) {
  if (CURLcode rc = curl_library().easy_setopt(easy, option, value); rc != CURLE_OK) {
    throw RepoError(fmt::format("libcurl: cannot set option {}: {}", static_cast<int>(option), curl_library().easy_strerror(rc)));
  }
}

} // namespace

Curl::Curl() {
  if (CURLcode rc = curl_library().global_init(CURL_GLOBAL_DEFAULT); rc != CURLE_OK) {
    throw RepoError(fmt::format("libcurl: cannot initialise: {}", curl_library().easy_strerror(rc)));
  }
}

Curl::~Curl() {
  curl_library().global_cleanup();
}

UrlParts parse_url(const std::string& url) {
  UrlParts parts;
  UrlHandle handle(curl_library().url());
  if (!handle || curl_library().url_set(handle.get(), CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
    return parts;
  }
  auto part = [&](CURLUPart which, unsigned flags, std::string& out) {
    char* text = nullptr;
    if (curl_library().url_get(handle.get(), which, &text, flags) == CURLUE_OK && text != nullptr) {
      out = text;
    }
    curl_library().free(text);
  };
  part(CURLUPART_SCHEME, 0, parts.scheme);
  part(CURLUPART_HOST, 0, parts.host);
  part(CURLUPART_PORT, CURLU_DEFAULT_PORT, parts.port);
  part(CURLUPART_USER, 0, parts.user);
  parts.scheme = lower(parts.scheme);
  parts.host = lower(parts.host);
  parts.ok = !parts.scheme.empty() && !parts.host.empty();
  return parts;
}

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]" || host == "::1";
}

HttpClient::HttpClient(const Curl& /*curl*/, HttpOptions options)
  : m_options(std::move(options)), m_easy(curl_library().easy_init()) {
  if (!m_easy) {
    throw RepoError("libcurl: cannot create a transfer handle");
  }
}

Response HttpClient::get(const std::string& url, const std::vector<std::string>& headers) {
  CURL* easy = m_easy.get();
  curl_library().easy_reset(easy);  // keeps the connection cache, forgets the last request's options
  HeaderList list;
  for (const std::string& h : headers) {
    curl_slist* grown = curl_library().slist_append(list.get(), h.c_str());
    if (grown == nullptr) {
      throw RepoError("libcurl: out of memory for request headers");
    }
    static_cast<void>(list.release());
    list.reset(grown);
  }
  Transfer transfer;
  transfer.max_body = m_options.max_body;
  char error[CURL_ERROR_SIZE] = {};
  set(easy, CURLOPT_URL, url.c_str());
  set(easy, CURLOPT_HTTPGET, 1L);
  set(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  set(easy, CURLOPT_FOLLOWLOCATION, 0L);
  set(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  set(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  set(easy, CURLOPT_NOSIGNAL, 1L);
  set(easy, CURLOPT_USERAGENT, m_options.user_agent.c_str());
  set(easy, CURLOPT_HTTPHEADER, list.get());
  set(easy, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl decodes; the bound applies to the decoded body
  set(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(m_options.max_body));
  set(easy, CURLOPT_CONNECTTIMEOUT, static_cast<long>(m_options.connect_timeout.count()));
  set(easy, CURLOPT_TIMEOUT, static_cast<long>(m_options.total_timeout.count()));
  set(easy, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  set(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(m_options.stall_timeout.count()));
  set(easy, CURLOPT_WRITEFUNCTION, on_body);
  set(easy, CURLOPT_WRITEDATA, &transfer);
  set(easy, CURLOPT_HEADERFUNCTION, on_header);
  set(easy, CURLOPT_HEADERDATA, &transfer);
  set(easy, CURLOPT_ERRORBUFFER, error);

  const CURLcode rc = curl_library().easy_perform(easy);
  set(easy, CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr));  // `error` goes out of scope
  if (rc != CURLE_OK) {
    std::string why = !transfer.overflow.empty() ? transfer.overflow
                      : rc == CURLE_FILESIZE_EXCEEDED ? fmt::format("response body over {} MiB", m_options.max_body >> 20)
                      : error[0] != '\0'              ? std::string(error)
                                                      : std::string(curl_library().easy_strerror(rc));
    throw RepoError(fmt::format("GET {}: {}", strip_userinfo(url), scrub_userinfo(why)));
  }
  curl_library().easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &transfer.response.status);
  return std::move(transfer.response);
}

} // namespace leakstop::hosting
