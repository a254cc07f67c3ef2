#pragma once
// Credentials never leave the process: every URL that is shown, stored or
// put in an error message goes through these first. A clone URL may carry
// `user:token@` (https) and libgit2 may echo the URL in its messages.

#include <string>
#include <string_view>

namespace leakstop {

// `url` without its userinfo: "https://user:tok@host/x" -> "https://host/x".
// scp-like "user@host:path" keeps a plain user name (it is no secret, ssh
// needs it) but loses "user:password@". Anything else is returned as is.
std::string strip_userinfo(std::string_view url);

// `text` (an error message, a log line) with the userinfo of every
// "scheme://user@host" in it removed.
std::string scrub_userinfo(std::string_view text);

// The scheme of `url` in lower case ("https", "ssh", "git", "file"), "ssh"
// for scp-like "user@host:path", empty for a local path.
std::string url_scheme(std::string_view url);

} // namespace leakstop
