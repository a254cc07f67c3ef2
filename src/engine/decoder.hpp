#pragma once
// Finding text hidden by an encoding, so that the rules can see it: base64
// (Kubernetes Secret `data:` values, `Authorization: Basic`, data URIs,
// Docker `auths`), percent-encoding (query strings), hex, and backslash or
// unicode escapes in string literals. Internal to leakstop_engine.
//
// Cheap passes find candidate spans by their shape: runs of 16 or more
// base64 characters (engine/base64_runs.hpp, vectorised: code is mostly
// such characters), and words holding `%XX` or a backslash escape (memchr).
// A span is decoded only when its decoded bytes look like text, which turns
// away the hashes, identifiers and binary blobs that share the shape. Each
// decoded span is laid out in one buffer as
//
//   <up to 80 bytes of its line before it> <decoded bytes> <up to 32 after> '\n'
//
// so that rules which need a key name before the value (`password: ...`)
// still see it, and the Scanner runs every rule over the whole buffer in one
// Hyperscan pass. A finding counts only when its secret lies inside the
// decoded bytes; it is reported at the encoded span in the original blob.
// Decoding repeats on the decoded bytes up to a depth (base64 inside
// base64: a `.dockerconfigjson` value), within a byte budget per blob.
// A run of base64 or hex of any length is decoded while it fits the
// budget: each run is decoded once, so the cost stays linear in the blob
// and the memory within the budget. One that does not fit, and whose first
// KiB decodes to text, stops decoding there; the offset is recorded.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leakstop::engine {

struct DecodeOptions {
  // Layers of decoding: 0 turns it off; 2 reaches base64 inside base64.
  int depth = 2;
  // Bytes of decoded text (context included) per blob, all layers together.
  // Past it, the rest of the blob is not decoded.
  // NOTE: over /usr/include and /usr/share (488 MB of text, 32,692 files)
  // decoding produced 3.8 MB in all, and 172 KiB at most for one file
  // (highlight.min.js): no file came near the budget.
  std::size_t max_bytes = 4 * 1024 * 1024;
};

// One decoded span in a DecodedText.
struct DecodedSpan {
  std::size_t begin = 0;  // its decoded bytes are text[begin, end)
  std::size_t end = 0;
  std::size_t origin_begin = 0;  // the outermost encoded span, in the blob
  std::size_t origin_end = 0;
  std::string how;  // encodings, outermost first: "base64", "percent>base64"
};

struct DecodedText {
  std::string text;
  std::vector<DecodedSpan> spans;  // in increasing order of begin
  // Where in the blob the budget ran out: encoded text that looked worth
  // decoding from this offset on was not decoded. Never silent: the
  // Scanner reports it (Scanner::decode_stopped_at).
  std::optional<std::size_t> stopped_at;

  // The span whose decoded bytes hold all of [begin, end), or nullptr.
  const DecodedSpan* span_of(std::size_t begin, std::size_t end) const;
  void clear();
};

// Appends to `out` every encoded span found in `text`: anywhere when
// `within` is null (the blob itself), else only inside the decoded bytes of
// `within`'s spans (`text` is then `within->text`), whose origins the new
// spans inherit. Stops when `budget` (bytes, decremented) runs out.
void decode_layer(std::string_view text, const DecodedText* within, std::size_t& budget, DecodedText& out);

} // namespace leakstop::engine
