// The codec of one fuzz target (NOCSIM_FUZZ_CODEC is set per target by CMakeLists.txt).
#ifndef NOCSIM_FUZZ_CODEC
#error "build with -DNOCSIM_FUZZ_CODEC=\"<codec>\""
#endif

extern "C" const char* nocsim_fuzz_codec_name() {
  return NOCSIM_FUZZ_CODEC;
}
