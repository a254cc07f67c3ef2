#pragma once
// Finding runs of base64 characters fast: the decoder's hot loop, since
// code and prose are mostly letters and digits. Internal to leakstop_engine.

#include <cstddef>
#include <functional>
#include <string_view>

namespace leakstop::engine {

// Runs shorter than this are never looked at.
constexpr std::size_t k_min_base64_run = 16;

// Calls `on_run(b, e)`, in order, for every maximal run text[b, e) of
// base64 characters ([A-Za-z0-9+/_-]) of at least k_min_base64_run bytes
// inside text[begin, end); `on_run` returns where to go on from (at least
// e), or `end` to stop.
void for_each_base64_run(std::string_view text, std::size_t begin, std::size_t end,
                         const std::function<std::size_t(std::size_t, std::size_t)>& on_run);

} // namespace leakstop::engine
