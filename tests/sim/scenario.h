/*
 * scenario.h - the scenario file loader (scenario.c).  The declarations
 * live in device.h beside the model they build; this header exists so the
 * loader has the usual module header.
 */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include "device.h"

#endif
