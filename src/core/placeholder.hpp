#pragma once
// Values that only look like secrets: template variables, masks and the
// sample values documentation is full of. Dropping them is what keeps a
// blocking hook from crying wolf.

#include <string_view>

namespace leakstop {

// True when `secret` is a placeholder: masks (xxxx, ****), template or
// environment references (${VAR}, {{ var }}, <your-key>, %s, $(cmd)),
// sample words (example, dummy, changeme, your_...), runs of one character,
// or long runs of an ascending sequence (0123456, abcdefg).
bool looks_like_placeholder(std::string_view secret);

// Known sample credentials published in providers' documentation.
bool is_documentation_sample(std::string_view secret);

} // namespace leakstop
