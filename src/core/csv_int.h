/*
 * What csv.c shows its tests alone: a reader with smaller limits, so that a fuzzer with
 * small inputs reaches block boundaries, buffer growth and over-long records.
 */
#ifndef CRM_CSV_INT_H
#define CRM_CSV_INT_H

#include <stddef.h>
#include <stdio.h>

struct csv_reader;

/* As csv_reader_new(), reading block bytes at a time (at least 4) and taking records of at
 * most record_max bytes (1 to CSV_RECORD_MAX). */
struct csv_reader *csv__reader_new_limits(FILE *f, size_t block, size_t record_max);

#endif
