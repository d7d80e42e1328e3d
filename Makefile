# sriovm build. `make` builds build/sriovm; `make check` runs every test;
# `make demo` boots the demo guest. See README.md.

CC	?= gcc
BUILD	?= build
SAN	?=
V	?=
Q	:= $(if $(V),,@)

WARN	:= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	   -Wno-unused-parameter -Wformat=2 -Wvla
CFLAGS	?= -O2 -g
# Linux's UAPI headers of one kernel version, before the host's (older)
# ones: vendor/linux-uapi/VERSION, refreshed by scripts/update-uapi-headers.
UAPI	:= -Ivendor/linux-uapi
CFLAGS	+= -std=c11 -D_GNU_SOURCE -pthread -Isrc $(UAPI) $(WARN) -MMD -MP
LDLIBS	+= -pthread
# libslirp (-netdev user), included as <slirp/libslirp.h>. Not through
# pkg-config: its .pc requires glib's development files, which the header
# does not need.
SLIRP_CFLAGS :=
SLIRP_LIBS := -lslirp
CFLAGS	+= $(SLIRP_CFLAGS)
LDLIBS	+= $(SLIRP_LIBS)

ifeq ($(SAN),1)
CFLAGS	+= -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS	+= -fsanitize=address,undefined
endif

SRCS	:= $(shell find src -name '*.c' | sort)
OBJS	:= $(SRCS:%.c=$(BUILD)/obj/%.o)
LIBOBJS	:= $(filter-out $(BUILD)/obj/src/main.o,$(OBJS))

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%)

.PHONY: fuzz-build all unit check check-slow check-unit check-guest deps guest rig demo bench fuzz clean

all: $(BUILD)/sriovm

$(BUILD)/sriovm: $(OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libsriovm.a: $(LIBOBJS)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/unit/%: tests/unit/%.c $(BUILD)/libsriovm.a
	@mkdir -p $(dir $@)
	@echo "  TEST-CC $<"
	$(Q)$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(BUILD)/libsriovm.a -lcmocka $(LDLIBS)

unit: $(UNIT_BINS)

# Benchmark programs (bench/*.c), run by the bench/ scripts.
$(BUILD)/bench/%: bench/%.c $(BUILD)/libsriovm.a
	@mkdir -p $(dir $@)
	@echo "  BENCH-CC $<"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libsriovm.a $(LDLIBS)

# Installs (idempotently) the Debian packages the build and the tests need.
deps:
	@tests/kit/deps.sh

check-unit: unit
	@tests/kit/build-iasl.sh
	@tests/harness/run-unit $(UNIT_BINS)

# Guest kit: Debian kernel + busybox initramfs (and the rig's L1 kit).
guest:
	@tests/kit/build-guest.sh

rig: guest
	@tests/kit/build-rig.sh

# run-guest-tests, demo and the benchmarks build the guest kit themselves.
check-guest: all
	@tests/harness/run-guest-tests

# Not in make check (about an hour in the rig): 255 VFs on sriovm and
# QEMU 11.1, and 100 SR-IOV enable/disable cycles on sriovm.
check-slow: all
	SRIOVM_SLOW=1 SRIOVM_VMMS="sriovm qemu11" tests/harness/run-guest-tests

# The whole suite: packages, build, unit tests (plain and ASan/UBSan),
# bad input (with and without KVM), fuzzing, one guest case from a copy of
# the checkout under /tmp, guest scenarios on sriovm and on QEMU (natively
# or in the rig).
# run-bad-input boots nothing but takes the guest kit's kernel and initrd,
# hence `make guest` here (run-guest-tests checks it again: seconds).
check: deps
	tests/harness/check-layers
	$(MAKE) all unit
	$(MAKE) BUILD=build/asan SAN=1 all unit
	$(MAKE) fuzz-build
	$(MAKE) guest
	tests/kit/build-iasl.sh
	tests/harness/run-unit $(UNIT_BINS)
	tests/harness/run-unit $(UNIT_BINS:$(BUILD)/%=build/asan/%)
	tests/harness/run-bad-input $(BUILD)/sriovm build/asan/sriovm
	tests/harness/run-fuzz 20 $(FUZZ_BINS)
	tests/harness/run-path-check
	tests/harness/run-guest-tests

# Fuzz targets: tests/fuzz/fuzz_*.c, libFuzzer with ASan/UBSan, all of src/
# built by clang with coverage. `make fuzz` runs each for FUZZ_TIME seconds;
# make check runs them briefly (FUZZ_TIME=20).
FUZZ_BUILD := build/fuzz
FUZZ_CFLAGS := -O1 -g -std=c11 -D_GNU_SOURCE -pthread -Isrc $(UAPI) $(WARN) -MMD -MP \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer $(SLIRP_CFLAGS)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_OBJS := $(LIBOBJS:$(BUILD)/obj/%=$(FUZZ_BUILD)/obj/%)
FUZZ_TIME ?= 300

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  FUZZ-CC $<"
	$(Q)clang-14 $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/libsriovm.a: $(FUZZ_OBJS)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/libsriovm.a
	@echo "  FUZZ-LD $@"
	$(Q)clang-14 $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/libsriovm.a $(SLIRP_LIBS) -pthread

fuzz-build: $(FUZZ_BINS)

fuzz: deps fuzz-build
	@tests/harness/run-fuzz $(FUZZ_TIME) $(FUZZ_BINS)

# The demo script installs and builds what it needs itself, after saying
# where the guest will run and how long it will take.
demo:
	@tests/harness/demo

bench: deps all
	@bench/boot
	@bench/net
	@bench/iommu
	@bench/sriov

clean:
	rm -rf $(BUILD)

-include $(OBJS:.o=.d) $(FUZZ_OBJS:.o=.d) $(UNIT_BINS:=.d) $(FUZZ_BINS:=.d)
