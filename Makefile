# Lode — build, test and run. `make demo` and `make test` are the README's two commands.
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# One set of flags for every build, so `make test` and `make demo` share one release build.
SWIFT_FLAGS := -c release -Xswiftc -enable-testing
TEST_FLAGS := $(SWIFT_FLAGS)
VENV := .venv
PY := $(VENV)/bin/python
DEB_PACKAGES := pkg-config libopenblas-dev libgdal-dev gdal-bin libzmq3-dev libreadline-dev \
                libcairo2-dev fonts-dejavu-core python3-venv chromium libc6-dev-arm64-cross
PY_TEST_TOOLS := -r scripts/requirements-test.txt

.PHONY: deps deps-debian deps-python build test test-portable test-swift test-python demo bench bench-kernel paper clean fuzz

# Idempotent: installs only what is missing, so a second run takes seconds.
deps: deps-debian deps-python

deps-debian:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

deps-python: $(VENV)/.stamp

$(VENV)/.stamp: scripts/requirements-test.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q $(PY_TEST_TOOLS)
	touch $@

build: deps-debian
	swift build $(SWIFT_FLAGS) --product lode

test: deps
	swift build $(TEST_FLAGS) --build-tests
	swift test $(TEST_FLAGS) --skip-build
	# A short fuzz pass: the committed corpora replayed through both fuzz harnesses.
	$$(swift build $(SWIFT_FLAGS) --show-bin-path)/LodeFuzz stdlib/*.lode Tests/LodeScriptTests/Fixtures/*.lode >/dev/null
	$$(swift build $(SWIFT_FLAGS) --show-bin-path)/LodeLibraryFuzz Tests/FuzzCorpus/library/* >/dev/null
	@if ls tests/*.py >/dev/null 2>&1; then \
	  LODE_BIN=$$(swift build $(SWIFT_FLAGS) --show-bin-path)/lode $(PY) -m pytest -q tests; \
	fi
	$(MAKE) --no-print-directory test-portable

# The portable path, without a second build: the build is already baseline x86-64 (no CPU flag;
# scripts/portable_check.py shows it from the compilers and the object files, and compiles the C
# kernels for aarch64), so the numeric tests and a short pipeline run under LODE_CPU=portable
# run what a CPU without AVX2 runs. Needs the release build of `make test`.
PORTABLE_TESTS := LodeTensorTests|LodeNNTests.ModelParityTests|LodeNNTests.FusedKernelTests|LodeGeoTests.IDWTests
test-portable:
	$(PY) scripts/portable_check.py $$(swift build $(SWIFT_FLAGS) --show-bin-path)
	LODE_CPU=portable swift test $(TEST_FLAGS) --skip-build --filter '$(PORTABLE_TESTS)'
	@rm -rf out/portable-run; mkdir -p out; \
	LODE_CPU=portable $$(swift build $(SWIFT_FLAGS) --show-bin-path)/lode run examples/workflow.lode \
	  folder=out/portable-run quick=true > out/portable-run.log 2>&1 || { tail -30 out/portable-run.log; exit 1; }; \
	if grep -q "LODE_CPU" out/portable-run.log; then grep "LODE_CPU" out/portable-run.log; exit 1; fi; \
	test -s out/portable-run/report.md && echo "portable: the quick workflow ran under LODE_CPU=portable"

# Scale-out onto PyTorch (python/lode_torch, docs/scale.md): the torch CPU wheel and the package
# in the test venv, then Lode's export -> torchrun (2 processes, gloo) -> Lode's load and map.
# torch's CPU-only build (no CUDA libraries to download): this machine's pip finds it through its
# configured find-links; elsewhere PyTorch's CPU wheel index, and failing that PyPI's torch (with CUDA).
TORCH_REQUIREMENT := torch==2.13.0+cpu
.PHONY: test-torch
test-torch: deps
	swift build $(SWIFT_FLAGS) --product lode
	$(PY) -m pip install -q "$(TORCH_REQUIREMENT)" \
	  || $(PY) -m pip install -q --index-url https://download.pytorch.org/whl/cpu torch \
	  || $(PY) -m pip install -q torch
	$(PY) -m pip install -q ./python/lode_torch
	LODE_TORCH_TESTS=1 LODE_BIN=$$(swift build $(SWIFT_FLAGS) --show-bin-path)/lode $(PY) -m pytest -q tests/test_lode_torch.py

demo: deps build
	$$(swift build $(SWIFT_FLAGS) --show-bin-path)/lode demo

# The paper's sizes (paper survey, paper models, 50 epochs): about half a day on two cores. It
# says its estimate (from timed steps of each model) before it starts, and an ETA as it trains.
paper: deps build
	$$(swift build $(SWIFT_FLAGS) --show-bin-path)/lode demo --preset paper

bench: deps build
	scripts/bench.sh

# Kernel start and round-trip times beside ipykernel (from the test venv).
bench-kernel: deps build
	LODE_BIN=$$(swift build $(SWIFT_FLAGS) --show-bin-path)/lode $(PY) scripts/bench_kernel.py

clean:
	rm -rf .build $(VENV) out

# libFuzzer over parse + evaluate (docs/language.md); FUZZ_SECONDS of fuzzing from the stdlib
# and test fixtures as seed corpus.
FUZZ_SECONDS ?= 300
fuzz:
	swift build -c release --product LodeFuzz -Xswiftc -sanitize=fuzzer -Xswiftc -DLODE_FUZZING --scratch-path .build-fuzz
	mkdir -p out/fuzz-corpus out/fuzz-artifacts
	cp stdlib/*.lode Tests/LodeScriptTests/Fixtures/*.lode out/fuzz-corpus/
	.build-fuzz/release/LodeFuzz out/fuzz-corpus -max_total_time=$(FUZZ_SECONDS) -max_len=2048 -artifact_prefix=out/fuzz-artifacts/
	# The library fuzzer: a full session with the domain commands and small built-in data.
	swift build -c release --product LodeLibraryFuzz -Xswiftc -sanitize=fuzzer -Xswiftc -DLODE_FUZZING --scratch-path .build-fuzz
	mkdir -p out/library-corpus
	cp Tests/FuzzCorpus/library/* out/library-corpus/
	.build-fuzz/release/LodeLibraryFuzz out/library-corpus Tests/FuzzCorpus/library -max_total_time=$(FUZZ_SECONDS) -max_len=2048 -timeout=20 -rss_limit_mb=3072 -artifact_prefix=out/fuzz-artifacts/
