// The paging loop: pages, rate limits, status errors, and the bounds on
// what an API hands back.

#include "hosting/paging.hpp"

#include "core/dates.hpp"
#include "core/error.hpp"
#include "core/url.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>
#include <thread>

namespace leakstop::hosting {
namespace {

constexpr std::size_t k_max_pages = 10000;
constexpr std::size_t k_max_depth = 64;
constexpr std::size_t k_max_url = 2048;
constexpr std::chrono::seconds k_default_429_wait{60};
constexpr std::chrono::seconds k_max_wait{366 * 24 * 3600};

std::optional<std::int64_t> integer(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

const std::string* header(const Response& response, const char* name) {
  auto it = response.headers.find(name);
  return it == response.headers.end() ? nullptr : &it->second;
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The service's own explanation ({"message": ...} on both, {"error": ...}
// on some GitLab answers), short; empty if there is none. Error messages
// are escaped where they are printed (main).
std::string service_message(const std::string& body) {
  nlohmann::json json = nlohmann::json::parse(body, nullptr, false);
  for (const char* key : {"message", "error"}) {
    if (json.is_object() && json.contains(key) && json[key].is_string()) {
      std::string text = json[key].get<std::string>().substr(0, 200);
      return ": " + text;
    }
  }
  return "";
}

[[noreturn]] void status_error(const Response& response, const ListOptions& options, const PageRequest& request,
                               const std::string& url) {
  const long status = response.status;
  const std::string message = service_message(response.body);
  if (status == 401) {
    throw RepoError(fmt::format("{}: HTTP 401, authentication failed{} ({})", request.what, message,
                                options.token.empty() ? "set " + options.token_name
                                                      : "check the token in " + options.token_name));
  }
  if (status == 404) {
    throw RepoError(fmt::format("{}: not found (HTTP 404 at {}){}", request.what, strip_userinfo(url),
                                message));
  }
  if (status >= 300 && status < 400) {
    const std::string* location = header(response, "location");
    throw RepoError(fmt::format("{}: HTTP {} redirect to {}, not followed (give the final address with --api-url)",
                                request.what, status, location ? strip_userinfo(*location) : "nowhere"));
  }
  throw RepoError(fmt::format("{}: HTTP {} at {}{}", request.what, status, strip_userinfo(url), message));
}

bool same_origin(const UrlParts& a, const UrlParts& b) {
  return a.ok && b.ok && a.scheme == b.scheme && a.host == b.host && a.port == b.port;
}

bool depth_within(const std::string& body, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (char c : body) {
    if (in_string) {
      escaped = !escaped && c == '\\';
      in_string = escaped || c != '"';
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) {
        return false;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

} // namespace

std::string next_link(std::string_view link_header) {
  // Entries are separated by commas outside <...>; each is <url> then ;params.
  while (!link_header.empty()) {
    const std::size_t open = link_header.find('<');
    const std::size_t close = link_header.find('>', open);
    if (open == std::string_view::npos || close == std::string_view::npos) {
      return "";
    }
    const std::string_view url = link_header.substr(open + 1, close - open - 1);
    std::string_view params = link_header.substr(close + 1);
    const std::size_t next_entry = params.find('<');
    params = params.substr(0, next_entry);
    std::string lowered(params);
    std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) { return std::tolower(c); });
    lowered.erase(std::remove(lowered.begin(), lowered.end(), ' '), lowered.end());
    if (lowered.find("rel=\"next\"") != std::string::npos || lowered.find("rel=next;") != std::string::npos ||
        lowered.find("rel=next,") != std::string::npos ||
        (lowered.size() >= 8 && lowered.substr(lowered.size() - 8) == "rel=next")) {
      return std::string(url);
    }
    link_header = next_entry == std::string_view::npos ? std::string_view() : link_header.substr(close + 1 + next_entry);
  }
  return "";
}

std::string with_query_param(const std::string& url, std::string_view name, std::string_view value) {
  const std::size_t hash = url.find('#');
  const std::string base = url.substr(0, hash);
  const std::size_t question = base.find('?');
  std::string out = base.substr(0, question);
  std::string query = question == std::string::npos ? "" : base.substr(question + 1);
  std::string rebuilt;
  bool replaced = false;
  std::size_t start = 0;
  while (start <= query.size() && !query.empty()) {
    std::size_t end = query.find('&', start);
    std::string pair = query.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (pair.substr(0, pair.find('=')) == name) {
      pair = fmt::format("{}={}", name, value);
      replaced = true;
    }
    if (!pair.empty()) {
      rebuilt += (rebuilt.empty() ? "" : "&") + pair;
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  if (!replaced) {
    rebuilt += fmt::format("{}{}={}", rebuilt.empty() ? "" : "&", name, value);
  }
  return out + "?" + rebuilt;
}

std::optional<RateWait> rate_limit(const Response& response, std::int64_t now) {
  if (response.status != 403 && response.status != 429) {
    return std::nullopt;
  }
  RateWait wait;
  wait.status = response.status;
  auto finish = [&](std::int64_t seconds, const char* name) {
    // A reset a year away or more is as good as never; the clamp keeps the
    // sums and the date printed from overflowing on a hostile header.
    wait.wait = std::chrono::seconds(std::clamp<std::int64_t>(seconds, 1, k_max_wait.count()));
    wait.until = now + wait.wait.count();
    wait.header = name;
    return wait;
  };
  if (const std::string* retry = header(response, "retry-after")) {
    if (std::optional<std::int64_t> seconds = integer(*retry)) {
      return finish(*seconds, "retry-after");
    }
  }
  for (const auto& [remaining_name, reset_name] : {std::pair{"x-ratelimit-remaining", "x-ratelimit-reset"},
                                                   std::pair{"ratelimit-remaining", "ratelimit-reset"}}) {
    const std::string* remaining = header(response, remaining_name);
    const std::string* reset = header(response, reset_name);
    std::optional<std::int64_t> at = reset ? integer(*reset) : std::nullopt;
    if (at && (response.status == 429 || (remaining && *remaining == "0"))) {
      return finish(*at - now, reset_name);
    }
  }
  if (response.status == 429) {
    return finish(k_default_429_wait.count(), "no reset header: the default");
  }
  return std::nullopt;
}

nlohmann::json parse_page(const std::string& body, const std::string& what, std::size_t page) {
  if (!depth_within(body, k_max_depth)) {
    throw RepoError(fmt::format("{}: page {}: bad JSON: nested deeper than {}", what, page, k_max_depth));
  }
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& e) {
    throw RepoError(fmt::format("{}: page {}: bad JSON: {}", what, page, e.what()));
  }
}

void check_api_url(const std::string& api_url) {
  const UrlParts parts = parse_url(api_url);
  if (!parts.ok || (parts.scheme != "https" && parts.scheme != "http")) {
    throw ConfigError(fmt::format("--api-url '{}': expected an https:// URL", strip_userinfo(api_url)));
  }
  if (!parts.user.empty() || strip_userinfo(api_url) != api_url) {
    throw ConfigError("--api-url must not carry credentials: put the token in GITHUB_TOKEN or GITLAB_TOKEN");
  }
  if (parts.scheme == "http" && !is_loopback(parts.host)) {
    throw ConfigError(fmt::format("--api-url '{}': plain http is refused (only 127.0.0.1, localhost and ::1 may use "
                                  "it); use https",
                                  api_url));
  }
}

std::string api_base(Service service, const ListOptions& options) {
  std::string api = options.api_url.empty() ? default_api_url(service) : options.api_url;
  while (!api.empty() && api.back() == '/') {
    api.pop_back();
  }
  check_api_url(api);
  return api;
}

void for_each_page(HttpClient& http, const ListOptions& options, const PageRequest& request,
                   const std::function<void(const nlohmann::json& page, std::size_t number)>& on_page) {
  const UrlParts origin = parse_url(request.first_url);
  std::vector<std::string> headers = request.headers;
  if (!options.token.empty()) {
    headers.push_back("Authorization: Bearer " + options.token);
  }
  std::chrono::seconds waited{0};
  std::set<std::string> seen;
  std::string url = request.first_url;
  std::size_t number = 0;
  while (!url.empty()) {
    if (++number > k_max_pages) {
      throw RepoError(fmt::format("{}: more than {} pages", request.what, k_max_pages));
    }
    seen.insert(url);
    Response response;
    try {
      response = http.get(url, headers);
    } catch (const RepoError& e) {
      throw RepoError(fmt::format("{}: {}", request.what, e.what()));
    }
    if (std::optional<RateWait> wait = rate_limit(response, unix_now())) {
      if (waited + wait->wait > options.max_rate_wait) {
        throw RepoError(fmt::format("{}: rate limited (HTTP {}) until {}, {} s away ({}): past --max-rate-wait "
                                    "({} s in all, {} s waited); run later or raise it",
                                    request.what, wait->status, iso8601_utc(wait->until) + "Z", wait->wait.count(),
                                    wait->header, options.max_rate_wait.count(), waited.count()));
      }
      if (options.on_wait) {
        options.on_wait(*wait);
      }
      std::this_thread::sleep_for(wait->wait);
      waited += wait->wait;
      --number;
      continue;
    }
    if (response.status != 200) {
      status_error(response, options, request, url);
    }
    on_page(parse_page(response.body, request.what, number), number);

    const std::string* link = header(response, "link");
    std::string next = link ? next_link(*link) : "";
    const std::string* next_page = request.x_next_page ? header(response, "x-next-page") : nullptr;
    if (next.empty() && next_page && !next_page->empty()) {
      if (!integer(*next_page)) {
        throw RepoError(fmt::format("{}: page {}: bad X-Next-Page '{}'", request.what, number,
                                    next_page->substr(0, 40)));
      }
      next = with_query_param(request.first_url, "page", *next_page);
    }
    if (!next.empty()) {
      if (next.size() > k_max_url || !same_origin(origin, parse_url(next))) {
        throw RepoError(fmt::format("{}: page {}: the next page's URL '{}' leaves {}://{}: refused", request.what,
                                    number, strip_userinfo(next.substr(0, 200)), origin.scheme,
                                    origin.host));
      }
      if (seen.count(next) != 0) {
        throw RepoError(fmt::format("{}: page {}: the next page is one already read (a loop)", request.what, number));
      }
    }
    url = next;
  }
}

void Collector::add(const std::string& where, const std::string& name, const std::string& url) {
  auto fail = [&](const std::string& what) {
    throw RepoError(fmt::format("{}: repository '{}': {}", where, name.substr(0, 200), what));
  };
  const std::string scheme = url_scheme(url);
  if (url.size() > k_max_url) {
    fail(fmt::format("clone URL longer than {} bytes", k_max_url));
  }
  if (std::any_of(url.begin(), url.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; })) {
    fail(fmt::format("clone URL '{}' holds a space or a control character", strip_userinfo(url)));
  }
  if (scheme != "https" && scheme != "http" && scheme != "git" && scheme != "ssh") {
    fail(fmt::format("clone URL '{}' is not a remote URL (https, http, git or ssh)", strip_userinfo(url)));
  }
  if (url.find("://") != std::string::npos && strip_userinfo(url) != url) {
    fail(fmt::format("clone URL '{}' carries credentials", strip_userinfo(url)));
  }
  if (std::string problem = sources::repo_url_problem(url); !problem.empty()) {
    fail(fmt::format("clone URL '{}': {}", url, problem));
  }
  if (!sources::repo_name_problem(name).empty()) {
    fail("bad name (letters, digits and . _ - / : @ + only, no '..', at most 200 bytes)");
  }
  if (!m_urls.insert(url).second) {
    return;  // listed on an earlier page that shifted
  }
  if (auto [it, fresh] = m_url_of_name.emplace(name, url); !fresh) {
    fail(fmt::format("name listed twice, with two clone URLs ('{}' and '{}')", it->second, url));
  }
  m_listing.entries.push_back({url, name, 0});
}

Listing list_repositories(HttpClient& http, const ListOptions& options, const PageRequest& request,
                          const std::function<ApiRepository(const nlohmann::json& object, const std::string& where)>& read) {
  Collector collector;
  Listing& listing = collector.listing();
  for_each_page(http, options, request, [&](const nlohmann::json& page, std::size_t number) {
    const std::string where = fmt::format("{}, page {}", request.what, number);
    if (!page.is_array()) {
      throw RepoError(where + ": expected a JSON array of repositories");
    }
    ++listing.pages;
    for (const nlohmann::json& object : page) {
      if (!object.is_object()) {
        throw RepoError(where + ": a repository that is not a JSON object");
      }
      const ApiRepository repo = read(object, where);
      if (repo.archived && !options.include_archived) {
        ++listing.archived_skipped;
      } else if (repo.fork && !options.include_forks) {
        ++listing.forks_skipped;
      } else {
        collector.add(where, repo.name, repo.clone_url);
      }
    }
  });
  return std::move(listing);
}

std::string string_field(const nlohmann::json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) {
    throw RepoError(fmt::format("{}: a repository without a string '{}'", where, key));
  }
  return it->get<std::string>();
}

bool bool_field(const nlohmann::json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    return false;
  }
  if (!it->is_boolean()) {
    throw RepoError(fmt::format("{}: '{}' is not true or false", where, key));
  }
  return it->get<bool>();
}

} // namespace leakstop::hosting
