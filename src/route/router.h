/*
 * router: route one inv record against the ledger (DESIGN.md step 2).
 *
 * The part of `reskontra route` that `reskontra run` shares: given an
 * inv record (formats/records.md), find the earlier decision for the
 * same input record or make a new one with route_decide() (route.h),
 * looking up the customers table, the invoice's earlier assignments and
 * its payments, and store it in the ledger (ledger/assign.h) -- on the
 * ledger's connection, inside whatever transaction the caller holds.
 *
 * Ownership: router_new() borrows conf, the ledger and the assign
 * handle, which must outlive the router; router_free() frees only the
 * router.
 */
#ifndef RESKONTRA_ROUTER_H
#define RESKONTRA_ROUTER_H

#include "base/config.h"
#include "base/date.h"
#include "base/diag.h"
#include "base/record.h"
#include "ledger/assign.h"
#include "ledger/ledger.h"

struct router;

struct router *router_new(const struct config *conf, struct ledger *l,
    struct assign *a, day_t today);
void router_free(struct router *rt);

/* Route the inv record r: 0 with the decision in *x (made now or found
 * from an earlier run of the same record: same invoice number, date,
 * source and contents), -1 with d on a ledger error.  A record the ledger
 * could not store (match_inv_parse()) is rejected with ROUTE_E_UNFIT
 * before any rule is applied; when its number or date cannot key a
 * decision the rejection is not kept (x->id 0, x->invoice_no may be
 * empty: take the number from the record).  A routed invoice without a
 * supported language is warned about (standard error, or the function
 * set below) and written in Finnish. */
int router_inv(struct router *rt, const struct recin *r,
    struct assignment *x, struct diag *d);

/* Warnings go to warn(arg, d) instead of standard error, the ones that
 * need someone to act (a factoring credit note of an invoice reskontra
 * never saw) to look(arg, d); look NULL: to warn. */
void router_set_warn(struct router *rt, void (*warn)(void *arg,
    const struct diag *d), void (*look)(void *arg, const struct diag *d),
    void *arg);

/* Whether the service type routes invoices (amili, kassavirta,
 * op-laskulaina, factoring). */
int router_service_routes(enum service_type t);

#endif
