// The decoders (base64, percent, hex, escapes) over any blob, layer upon
// layer as the Scanner runs them, checking that every span stays inside
// the text it describes.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "engine/decoder.hpp"

namespace {

void check_spans(const leakstop::engine::DecodedText& layer, std::size_t content_size) {
  for (const leakstop::engine::DecodedSpan& span : layer.spans) {
    if (span.begin > span.end || span.end > layer.text.size() || span.origin_begin > span.origin_end ||
        span.origin_end > content_size) {
      std::abort();
    }
    if (layer.span_of(span.begin, span.end) == nullptr) {
      std::abort();
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace leakstop::engine;
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  DecodedText layers[2];
  std::size_t budget = 1 << 20;
  const DecodedText* previous = nullptr;
  for (int depth = 0; depth < 3; ++depth) {
    DecodedText& layer = layers[depth % 2];
    layer.clear();
    decode_layer(previous ? std::string_view(previous->text) : content, previous, budget, layer);
    check_spans(layer, size);
    if (layer.spans.empty()) {
      break;
    }
    previous = &layer;
  }
  return 0;
}
