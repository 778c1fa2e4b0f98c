# SPDX-License-Identifier: ISC
# tests/sim: fgtsim, the FortiGate CLI simulator served over real SSH.
# Included by the top Makefile.am.  The transport half (fgtsim.c,
# sshd.*, session.*, sbuf.c, log.*) and the device half (scenario.c,
# device.*, render.*, ikedebug.c) meet at sim.h.

SIM_TRANSPORT_SOURCES = \
	tests/sim/sim.h \
	tests/sim/fgtsim.c \
	tests/sim/sshd.c tests/sim/sshd.h \
	tests/sim/session.c tests/sim/session.h \
	tests/sim/log.c tests/sim/log.h \
	tests/sim/sbuf.c
SIM_DEVICE_SOURCES = \
	tests/sim/scenario.c \
	tests/sim/device.c tests/sim/device.h \
	tests/sim/render.c tests/sim/render.h \
	tests/sim/ikedebug.c

# Plain `make` builds it: the demo needs it, not only the tests; make
# install puts it where `fgtop --demo` looks (src/demo.c).
fgtsimdir = $(libexecdir)/fgtop
fgtsim_PROGRAMS = tests/sim/fgtsim
scenariosdir = $(pkgdatadir)/scenarios
scenarios_DATA = tests/sim/scenarios/demo.scn \
	tests/sim/scenarios/faults.scn tests/sim/scenarios/hub.scn \
	tests/sim/scenarios/multivdom.scn \
	tests/sim/scenarios/walkthrough.scn
tests_sim_fgtsim_SOURCES = $(SIM_TRANSPORT_SOURCES) $(SIM_DEVICE_SOURCES)
tests_sim_fgtsim_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/sim
tests_sim_fgtsim_CFLAGS = $(AM_CFLAGS) $(LIBSSH_CFLAGS)
tests_sim_fgtsim_LDADD = $(FGTOP_LIBS) $(LIBSSH_LIBS) -lm

EXTRA_DIST += tests/sim/scenarios tests/sim/README

if HAVE_CMOCKA
SIM_TESTS = tests/sim/test_device tests/sim/test_fgtsim \
	tests/sim/test_diagnose_faults
check_PROGRAMS += $(SIM_TESTS)
TESTS += $(SIM_TESTS)
endif
# In-process: the model and its output, no SSH.
tests_sim_test_device_SOURCES = tests/sim/test_device.c \
	$(SIM_DEVICE_SOURCES) tests/sim/sbuf.c tests/sim/sim.h
tests_sim_test_device_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/tests/sim
tests_sim_test_device_LDADD = $(TEST_LDADD) -lm
# End to end: runs the built tests/sim/fgtsim and logs in over SSH.
tests_sim_test_fgtsim_SOURCES = tests/sim/test_fgtsim.c \
	$(SIM_DEVICE_SOURCES) tests/sim/sbuf.c tests/sim/sim.h
tests_sim_test_fgtsim_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/tests/sim
tests_sim_test_fgtsim_CFLAGS = $(AM_CFLAGS) $(LIBSSH_CFLAGS)
tests_sim_test_fgtsim_LDADD = $(TEST_LDADD) $(LIBSSH_LIBS) -lm
# The diagnosis of each faults.scn tunnel from its rendered outputs.
tests_sim_test_diagnose_faults_SOURCES = tests/sim/test_diagnose_faults.c \
	$(SIM_DEVICE_SOURCES) tests/sim/sbuf.c tests/sim/sim.h
tests_sim_test_diagnose_faults_CPPFLAGS = $(TEST_CPPFLAGS) \
	-I$(top_srcdir)/tests/sim
tests_sim_test_diagnose_faults_LDADD = $(TEST_LDADD) -lm

# fgtop --once / --watch-json end to end against fgtsim; expectations
# come from the same scenarios loaded into the device model in process.
if HAVE_CMOCKA
check_PROGRAMS += tests/test_engine
TESTS += tests/test_engine
endif
tests_test_engine_SOURCES = tests/test_engine.c \
	$(SIM_DEVICE_SOURCES) tests/sim/sbuf.c tests/sim/sim.h
tests_test_engine_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
tests_test_engine_LDADD = $(TEST_LDADD) $(JANSSON_LIBS) -lm

# The journal: the writer with a given clock, then fgtop against fgtsim
# across a restart, and `fgtop journal`.
if HAVE_CMOCKA
check_PROGRAMS += tests/test_journal
TESTS += tests/test_journal
endif
tests_test_journal_SOURCES = tests/test_journal.c \
	$(SIM_DEVICE_SOURCES) tests/sim/sbuf.c tests/sim/sim.h
tests_test_journal_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(LIBUV_CFLAGS)
tests_test_journal_LDADD = $(TEST_LDADD) $(JANSSON_LIBS) $(LIBUV_LIBS) -lm

# fgtop route|trace|sniff|debug against fgtsim; its log is the witness.
if HAVE_CMOCKA
check_PROGRAMS += tests/test_tools
TESTS += tests/test_tools
endif
tests_test_tools_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(LIBSSH_CFLAGS) \
	$(LIBUV_CFLAGS)
tests_test_tools_LDADD = $(TEST_LDADD) $(JANSSON_LIBS) $(LIBSSH_LIBS) \
	$(LIBUV_LIBS) -lm

# fgtop export and the incident bundle against fgtsim, opened with tar.
if HAVE_CMOCKA
check_PROGRAMS += tests/test_bundle
TESTS += tests/test_bundle
endif
tests_test_bundle_SOURCES = tests/test_bundle.c \
	$(SIM_DEVICE_SOURCES) tests/sim/sbuf.c tests/sim/sim.h
tests_test_bundle_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
tests_test_bundle_LDADD = $(TEST_LDADD) $(JANSSON_LIBS) -lm

# What a scenario means over time, for the shell tests (test_replay.sh).
check_PROGRAMS += tests/sim/scnstate
tests_sim_scnstate_SOURCES = tests/sim/scnstate.c \
	$(SIM_DEVICE_SOURCES) tests/sim/sbuf.c tests/sim/sim.h
tests_sim_scnstate_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/sim
tests_sim_scnstate_LDADD = $(FGTOP_LIBS) -lm
