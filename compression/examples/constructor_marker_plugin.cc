// Test fixture: a library whose static constructor writes a marker file (named by
// $NOCSIM_TEST_PLUGIN_MARKER) the moment it is mapped. It proves a refused plugin is never opened:
// its code would run before nocsim could look for an entry point.
#include <cstdio>
#include <cstdlib>

namespace {
__attribute__((constructor)) void leave_marker() {
  const char* path = std::getenv("NOCSIM_TEST_PLUGIN_MARKER");
  if (path == nullptr) return;
  if (std::FILE* f = std::fopen(path, "w")) {
    std::fputs("constructor ran\n", f);
    std::fclose(f);
  }
}
}  // namespace

extern "C" int nocsim_marker_plugin_is_not_a_codec_plugin() {
  return 0;
}
