/*
 * Time-ordered unique ids: UUID version 7 (RFC 9562) — 48 bits of milliseconds, then
 * random bits, with a counter so ids made in one millisecond by one process still sort in
 * creation order. Text form: 36 lower-case characters.
 */
#ifndef CRM_ID_H
#define CRM_ID_H

#define ID_LEN 36

/* Writes a new id and its NUL into buf (ID_LEN + 1 bytes). Thread-safe. */
void id_new(char buf[ID_LEN + 1]);

struct arena;
/* A new id allocated in the arena. */
char *id_new_in(struct arena *a);

#endif
