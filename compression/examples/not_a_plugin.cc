// Test fixture: a valid shared library without the plugin entry point.
extern "C" int nocsim_something_else() {
  return 42;
}
