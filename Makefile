# Thin wrapper over CMake so that the README's two commands work on a fresh Debian machine:
# each target installs what is missing (tools/setup.sh), configures, builds, then acts.
JOBS ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build-asan
CMAKE_FLAGS ?=

.PHONY: all setup build demo test asan asan-suite bench fuzz format clean

all: build

setup:
	@bash tools/setup.sh

$(BUILD)/build.ninja: | setup
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: setup $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# The main study (see README "Run a study").
demo: build
	bash tools/demo.sh $(BUILD)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer with GCC, asserts on. -O1 -g1
# (line tables only) still gives file:line in every report and compiles in 60% of the time of
# -O2 -g. Run before every push (CI runs only the fuzzers under the sanitizers); tools/fuzz.sh
# --suite is the same suite from the clang fuzz build.
# File by file (no unity batches, which every other build uses): this checks that each source
# includes what it uses and that no two files of a folder define the same file-local name.
asan: setup
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DNOCSIM_SANITIZE=ON -DNOCSIM_BENCH=OFF -DCMAKE_UNITY_BUILD=OFF
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	@$(MAKE) --no-print-directory asan-suite

# The suite in an already built sanitizer build dir: `asan` above, and tools/fuzz.sh --suite in
# its clang build (ASAN_BUILD=build-fuzz).
asan-suite:
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 NOCSIM_SANITIZED=1 ctest --output-on-failure -j $(JOBS)

bench: build
	$(BUILD)/tools/nocsim bench

# libFuzzer targets of the codec decoders and the input readers, 15 s each (tools/fuzz.sh; needs clang).
fuzz: setup
	bash tools/fuzz.sh

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
