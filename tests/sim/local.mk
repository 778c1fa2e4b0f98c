# tests/sim: fgtsim, the FortiGate CLI simulator.  (placeholder: being written)
