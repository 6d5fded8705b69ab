# SPDX-License-Identifier: GPL-2.0
#
# rust_bond: the developer front end (build, test, demo). The module's Kbuild
# rules are in ./Kbuild, which Kbuild reads in preference to this file.

SHELL := /bin/bash
# Steps share the kernel build dirs and the VM: never run them in parallel.
.NOTPARALLEL:
TOOLS := $(CURDIR)/tools
# Default kernel: the cached test kernel (built on demand). KDIR=... for another.
KDIR ?=
KERNEL ?= bench
DRIVER ?= rust_bond
PYTEST_ARGS ?=
DEMO_DRIVER ?= rust_bond

.PHONY: all module setup kernels kernel-test kernel-bench check check-host check-vm \
	check-vm-run check-vm-bench check-full intree demo bench selftests fmt clippy clean help

all: module

help:
	@echo "make            build rust_bond.ko against the test kernel (KDIR=... for another tree)"
	@echo "make demo       set up, build, boot a VM and walk through an active-backup bond"
	@echo "                with rust_bond (DEMO_DRIVER=bonding for the C driver)"
	@echo "make bench      pktgen throughput and failover latency, bonding.ko vs rust_bond.ko,"
	@echo "                on the bench kernel (BENCH_ROUNDS, BENCH_SECS, BENCH_FAILOVER)"
	@echo "make check      host unit tests, in-tree build, VM tests (debug kernel + bond scenarios on the bench kernel)"
	@echo "make selftests DRIVER=bonding|rust_bond KERNEL=bench|test"
	@echo "                the kernel's bonding selftests against DRIVER"
	@echo "make check-full everything (VM tests + selftests for both drivers) on the debug kernel"
	@echo "make intree     build rust_bond inside the kernel tree (drivers/net/rust_bond)"
	@echo "make clippy     build with CLIPPY=1;  make fmt  rustfmt the sources"

setup:
	$(TOOLS)/setup

kernel-test kernel-bench: kernel-%: setup
	$(TOOLS)/build-kernel $*

kernels: kernel-test kernel-bench

module: setup
	@kdir="$(KDIR)"; [ -n "$$kdir" ] || kdir=$$($(TOOLS)/build-kernel test) && \
	$(TOOLS)/build-module "$$kdir" && echo "built $(CURDIR)/rust_bond.ko against $$kdir"

clippy: setup
	@kdir="$(KDIR)"; [ -n "$$kdir" ] || kdir=$$($(TOOLS)/build-kernel test) && \
	touch rust_bond_main.rs && $(TOOLS)/build-module "$$kdir" CLIPPY=1

fmt: setup
	@. $(TOOLS)/common.sh && rustfmt --config-path "$$(rb_kernel_src)/.rustfmt.toml" \
		$$(git ls-files '*.rs')

# tools/check times each stage and prints the table at the end.
CHECK_STAGES := setup kernels check-host intree check-vm check-vm-bench check-vm-run
check:
	$(TOOLS)/check $(CHECK_STAGES)

check-host:
	$(TOOLS)/check-host

# The debug kernel (KASAN, lockdep, kmemleak) watches rust_bond's code: the
# tests that are not bond scenarios (the layer through rdummy, the module),
# then the debug_smoke bond scenarios against rust_bond alone (C's side is
# the bench kernel's job, which compares every scenario with C).
# (pytest's 5 is "no test selected", which PYTEST_ARGS may cause in one half.)
check-vm: kernel-test
	$(TOOLS)/vm-run --kernel test --timeout 3000 -- sh -c '$(TOOLS)/vm-tests -m "not bond" $(PYTEST_ARGS); \
		t=$$?; RB_TEST_DRIVERS=rust_bond $(TOOLS)/vm-tests -m "bond and debug_smoke" $(PYTEST_ARGS); \
		b=$$?; exit $$(( (t != 0 && t != 5) || (b != 0 && b != 5) ))'

# The kernel's bonding selftests that need no mode rust_bond lacks (the
# others need 802.3ad, balance-tlb or balance-alb: Documentation/testing.rst),
# bond_options.sh's active-backup prio cases under the MII monitor and its
# arp_validate cases (its prio() also loops over modes 5 and 6), and the
# bonding cases of the net suite. SELFTESTS_FULL_ONLY runs in check-full
# only, to keep make check in its 45 minutes (testing.rst, "Budget"): the
# prio cases under the ARP and NS monitors (2 x 120 s; the same selection
# as prio_miimon's, with the monitors' failover compared with C by
# test_arpmon_failover_and_back and test_nsmon_failover_and_back) and
# num_grat_arp (test_gratuitous_arps_after_failover compares the count of
# gratuitous ARPs after a failover with C).
SELFTESTS_CI ?= bond-arp-interval-causes-panic.sh bond-eth-type-change.sh \
	bond-lladdr-target.sh mode-1-recovery-updelay.sh mode-2-recovery-updelay.sh \
	bond_options.sh:prio_miimon=active-backup,arp_validate \
	net/rtnetlink.sh:kci_test_enslave_bonding net/vlan_hw_filter.sh
SELFTESTS_FULL_ONLY ?= \
	bond_options.sh:prio_arp=active-backup,prio_ns=active-backup,num_grat_arp

# The non-debug kernel: every bond differential scenario, both drivers, then
# (unless PYTEST_ARGS selects tests) SELFTESTS_CI against rust_bond, unmodified.
check-vm-bench: kernel-bench
ifeq ($(strip $(PYTEST_ARGS)),)
	$(TOOLS)/vm-run --kernel bench --timeout 5400 -- sh -c '$(TOOLS)/vm-tests -m bond; t=$$?; \
		$(TOOLS)/selftests rust_bond $(SELFTESTS_CI); s=$$?; exit $$((t || s))'
else
	$(TOOLS)/vm-run --kernel bench --timeout 3000 -- $(TOOLS)/vm-tests -m bond $(PYTEST_ARGS)
endif

# tools/vm-run's own contract (exit status, planted WARNING): two bench boots.
check-vm-run: kernel-bench
	@. $(TOOLS)/common.sh && PYTHONDONTWRITEBYTECODE=1 \
		python -m pytest -p no:cacheprovider -q tests/host

check-full: setup check-host intree kernel-test
	$(TOOLS)/vm-run --kernel test --timeout 10800 -- \
		sh -c 'RB_REFERENCE=live $(TOOLS)/vm-tests $(PYTEST_ARGS); t=$$?; \
		$(TOOLS)/selftests bonding; s1=$$?; $(TOOLS)/selftests rust_bond; s2=$$?; \
		$(TOOLS)/selftests rust_bond $(SELFTESTS_CI) $(SELFTESTS_FULL_ONLY); s3=$$?; \
		exit $$((t || s1 || s2 || s3))'

intree: kernel-test
	$(TOOLS)/build-intree

demo: setup kernel-test
	$(TOOLS)/vm-run --kernel test --timeout 1800 -- env DEMO_DRIVER=$(DEMO_DRIVER) $(TOOLS)/demo

# A benchmark, not a test: prints a table (see Documentation/testing.rst).
# BENCH_* variables from the environment are passed to the guest.
bench: setup kernel-bench
	$(TOOLS)/vm-run --kernel bench --timeout 2400 -- \
		env $$(env | grep '^BENCH_[A-Z_]*=' | tr '\n' ' ') $(TOOLS)/bench

selftests: setup kernel-$(KERNEL)
	$(TOOLS)/vm-run --kernel $(KERNEL) --timeout 14400 -- $(TOOLS)/selftests $(DRIVER)

clean:
	rm -f *.o *.ko *.mod *.mod.c *.mod.o .*.cmd modules.order Module.symvers *.rmeta \
		net/bindings_generated.rs
	find . -name '*.o' -o -name '.*.cmd' -o -name '*.d' | grep -v '^./.git/' | xargs rm -f
