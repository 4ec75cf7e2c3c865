# opensstp: a thin wrapper around CMake.  Two trees:
#   build/        release: gcc, optimised, warnings fatal          (make)
#   build-check/  clang with ASan+UBSan, unit tests, fuzz targets  (make check)
# make check builds both and tests the second (and the first's seccomp).

BUILD		?= build
CHECK_BUILD	?= build-check
JOBS		?= $(shell nproc)
MAKEFLAGS	+= --no-print-directory
# make fuzz: seconds per target (all targets run, $(JOBS) at a time)
FUZZ_TIME	?= 600
# make check: seconds per fuzz target smoke run
FUZZ_SMOKE_SECONDS ?= 4

.PHONY: all deps check fuzz tests-list demo format clean

all:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release \
	    -DCMAKE_C_COMPILER=gcc >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

deps:
	@tools/deps.sh
	@tests/interop/deps.sh

$(CHECK_BUILD)/CMakeCache.txt:
	@cmake -S . -B $(CHECK_BUILD) -DCMAKE_BUILD_TYPE=Debug \
	    -DCMAKE_C_COMPILER=clang -DOPENSSTP_SANITIZE=ON \
	    -DOPENSSTP_FUZZ=ON >/dev/null

check-build: $(CHECK_BUILD)/CMakeCache.txt
	@cmake --build $(CHECK_BUILD) -j $(JOBS)

# The release tree too: one case runs it with the seccomp filter enforcing
# (the sanitizer build's only logs).
check: deps
	@$(MAKE) --no-print-directory check-build
	@$(MAKE) --no-print-directory all
	@FUZZ_SMOKE_SECONDS=$(FUZZ_SMOKE_SECONDS) \
	    RELEASE_BUILD=$(abspath $(BUILD)) tests/run-tests.sh $(CHECK_BUILD)

tests-list:
	@$(MAKE) --no-print-directory check-build >/dev/null
	@tests/run-tests.sh $(CHECK_BUILD) --list

fuzz: deps
	@$(MAKE) --no-print-directory check-build
	@FUZZ_TIME=$(FUZZ_TIME) JOBS=$(JOBS) tools/fuzz.sh $(CHECK_BUILD)

# make interop: opensstp against third-party peers (SoftEther, sstpc...)
# in network namespaces, as root; make check runs the same cases.
.PHONY: interop check-build
interop: deps
	@$(MAKE) --no-print-directory check-build
	@tests/interop/run.sh $(CHECK_BUILD)

# make demo: the VPN end to end in two network namespaces (as root).
demo: deps all
	@tools/demo.sh $(BUILD)

# make bench: build the release tree, then (as root) its micro-benchmarks,
# this machine's ceilings, opensstp and the peers' VPNs in network
# namespaces, one after the other; one table, and the results in
# bench/results/ (bench/README.md).  QUICK=1: shorter, about 4 minutes.
QUICK		?= 0
.PHONY: bench
bench: all
	@QUICK=$(QUICK) bench/run.sh $(BUILD)

# make profile: where one saturated session spends its time on each side
# (perf record of both ends while iperf3 runs through the tunnel, as
# root); reports and folded stacks in bench/results/profile-DATE/.
.PHONY: profile
profile: all
	@bench/profile.sh $(BUILD)

format:
	@git ls-files --cached --others --exclude-standard '*.c' '*.h' | \
	    xargs clang-format -i

clean:
	@rm -rf $(BUILD) $(CHECK_BUILD)
