/* The progress bar long commands (demo, import, export) draw on a terminal. */
#include <stdio.h>

#include "cli/cli.h"
#include "core/banned.h"

void cli_progress(const char *what, double fraction, const char *detail, int last)
{
	int width = 40, fill;

	if (fraction < 0)
		fraction = 0;
	if (fraction > 1)
		fraction = 1;
	fill = (int)(fraction * width);
	fprintf(stderr, "\r  %s [%.*s%*s] %3d%% %s", what, fill,
		"########################################", width - fill, "", (int)(fraction * 100),
		detail);
	if (last)
		fputc('\n', stderr);
	fflush(stderr);
}
