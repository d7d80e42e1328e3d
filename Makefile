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
CFLAGS	+= -std=c11 -D_GNU_SOURCE -pthread -Isrc $(WARN) -MMD -MP
LDLIBS	+= -pthread

ifeq ($(SAN),1)
CFLAGS	+= -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS	+= -fsanitize=address,undefined
endif

SRCS	:= $(shell find src -name '*.c' | sort)
OBJS	:= $(SRCS:%.c=$(BUILD)/obj/%.o)
LIBOBJS	:= $(filter-out $(BUILD)/obj/src/main.o,$(OBJS))

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%)

.PHONY: all unit check check-unit check-guest deps guest rig demo bench fuzz clean

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

# Installs (idempotently) the Debian packages the build and the tests need.
deps:
	@tests/kit/deps.sh

check-unit: unit
	@tests/harness/run-unit $(UNIT_BINS)

# Guest kit: Debian kernel + busybox initramfs (and the rig's L1 kit).
guest:
	@tests/kit/build-guest.sh

rig: guest
	@tests/kit/build-rig.sh

check-guest: all guest
	@tests/harness/run-guest-tests

# The whole suite: packages, build, unit tests (plain and ASan/UBSan),
# guest scenarios on sriovm and on QEMU (natively or in the rig).
check: deps
	$(MAKE) all unit
	$(MAKE) BUILD=build/asan SAN=1 all unit
	$(MAKE) guest
	tests/harness/run-unit $(UNIT_BINS)
	tests/harness/run-unit $(UNIT_BINS:$(BUILD)/%=build/asan/%)
	tests/harness/run-bad-input $(BUILD)/sriovm build/asan/sriovm
	tests/harness/run-guest-tests

demo: deps all guest
	@tests/harness/demo

bench: deps all guest
	@bench/boot

clean:
	rm -rf $(BUILD)

-include $(OBJS:.o=.d)
