/* Numbered schema migrations compiled into the binary (generated migrations.c). */
#ifndef CRM_MIGRATIONS_H
#define CRM_MIGRATIONS_H

struct migration {
	int version; /* from the file name NNNN_name.sql */
	const char *name;
	const char *sql;
};

extern const struct migration migrations[];
extern const int migrations_count;

#endif
