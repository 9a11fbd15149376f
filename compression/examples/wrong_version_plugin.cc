// Test fixture: a library that exports the entry point of a future plugin API (v2), which this
// nocsim must refuse with a clear message instead of calling it.
extern "C" int nocsim_codec_plugin_v2(const void*) {
  return 0;
}
