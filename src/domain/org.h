/*
 * Org units: HQ → province → city → hall/team. Each unit has a short stable code that is
 * also its id (HQ, GD, GD-GZ, GD-GZ-H01) and a materialised path (/HQ/GD/GD-GZ/) that
 * scopes everything the unit owns. Units are created, renamed, moved and closed, never
 * deleted, so audit rows and owned records always name a real unit. A resource of the
 * layer (resource.h): /api/v1/org-units.
 */
#ifndef CRM_ORG_H
#define CRM_ORG_H

#include "domain/resource.h"

struct org_unit {
	RES_HEAD; /* row.id: the code; row.org_path: the unit's path */
	const char *name;
	const char *kind; /* hq, province, city, hall, team */
	const char *parent_id;
	const char *status; /* active, closed */
};

/* Create: id (the code: A-Z, 0-9 and '-'), name, kind and parentId; a province sits under
 * HQ, a city under a province, a hall or team under a city (a team also under a hall),
 * never under a closed unit. Update: name, parentId (a move, carried to every unit
 * below), status ("closed" closes a unit with no active unit under it, "active"
 * reopens). */
extern const struct res_desc org_unit_res;

#endif
