/* SPDX-License-Identifier: ISC */
/*
 * render.h - what each command prints (render.c).  The declarations live
 * in device.h beside the model they read; output goes to a struct sbuf the
 * caller owns.
 */
#ifndef SIM_RENDER_H
#define SIM_RENDER_H

#include "device.h"

#endif
