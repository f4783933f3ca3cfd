/* Files that hold personal data (exports, reject files): readable by their owner alone,
 * whatever the umask or the mode an earlier file of the same name had. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/banned.h"

FILE *cli_file_create_private(const char *what, const char *path)
{
	bool chmod_failed = false;
	struct stat st;
	FILE *f = NULL;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) < 0 || fstat(fd, &st) != 0)
		goto out;
	/* an existing file is made private before it is emptied and written; a pipe or a
	 * device (--out /dev/stdout) is written as it is */
	if (S_ISREG(st.st_mode)) {
		if ((st.st_mode & 07777) != 0600 && fchmod(fd, 0600) != 0) {
			chmod_failed = true;
			goto out;
		}
		if (ftruncate(fd, 0) != 0)
			goto out;
	}
	f = fdopen(fd, "wb");
out:
	if (!f) {
		if (chmod_failed)
			fprintf(stderr, "telcrm: %s: cannot make '%s' private (mode 0600): %s\n",
				what, path, strerror(errno));
		else
			fprintf(stderr, "telcrm: %s: cannot write '%s': %s\n", what, path,
				strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return f;
}
