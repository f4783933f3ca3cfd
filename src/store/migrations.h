/* Numbered schema migrations compiled into the binary (generated migrations.c). */
#ifndef CRM_MIGRATIONS_H
#define CRM_MIGRATIONS_H

struct migration {
	int version; /* from the file name NNNN_name.sql */
	const char *name;
	const char *sql;
};

/* SQLite's (migrations/NNNN_*.sql) and PostgreSQL's (migrations/pg/NNNN_*.sql): the same versions,
 * each bringing both to the same schema in its dialect. */
extern const struct migration migrations[];
extern const int migrations_count;
extern const struct migration pg_migrations[];
extern const int pg_migrations_count;

#endif
