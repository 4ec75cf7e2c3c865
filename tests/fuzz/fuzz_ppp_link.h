/*
 * Shared driver of the two PPP endpoint fuzz targets: a link of one role
 * is fed arbitrary frames, time passing and hang-ups, either from scratch
 * (Establish phase) or after a real in-memory negotiation with a peer of
 * the other role brought it to the Network phase with IPCP and IPv6CP up
 * (the first input byte chooses).  Invariants are checked after every
 * step; a violation abort()s.
 */
#ifndef OPENSSTP_FUZZ_PPP_LINK_H
#define OPENSSTP_FUZZ_PPP_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "ppp/mschap.h"

void fuzz_ppp_link_run(enum ppp_role role, const uint8_t *data, size_t size);

#endif
