/*
 * cli - the FortiGate CLI stream layer.  (placeholder: being written)
 */
#ifndef CLI_H
#define CLI_H

#include "util.h"

#endif
