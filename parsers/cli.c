/*
 * cli - the FortiGate CLI stream layer.  (placeholder: being written)
 */
#include "config.h"

#include "cli.h"
