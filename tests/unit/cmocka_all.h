/* Includes cmocka with the headers it expects before it. */
#ifndef CRM_TEST_CMOCKA_H
#define CRM_TEST_CMOCKA_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#endif
