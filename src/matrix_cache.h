/*
 * matrix_cache.h: the one cache of risk matrices (size, appetite, and per
 * cell the level row, its rank and its review interval), shared by
 * isms.risk_level(), isms.within_appetite(), isms.risk_review_interval(),
 * the next-review trigger and the register's write trigger.
 */
#ifndef ISMS_MATRIX_CACHE_H
#define ISMS_MATRIX_CACHE_H

#include "pg_isms.h"

#include "utils/timestamp.h"

/* Matrix ids are at most 63 characters (CHECK on isms.risk_matrix.id). */
#define ISMS_MATRIX_ID_MAX 63

typedef struct IsmsMatrix
{
	char		id[ISMS_MATRIX_ID_MAX + 1];
	bool		exists;			/* the isms.risk_matrix row was found */
	int			size;
	int			appetite;
	/* Per cell, at (likelihood - 1) * size + (impact - 1): */
	Datum	   *level;			/* the isms.risk_level row; 0 = unmapped */
	int		   *rank;
	bool	   *has_every;		/* the level has a review interval */
	Interval   *every;
} IsmsMatrix;

/*
 * The matrix named id as the active snapshot sees it (read through SPI on
 * the first call under a snapshot, then kept while the same snapshot is
 * active).  Never NULL: exists is false for an unknown id (or one longer
 * than ISMS_MATRIX_ID_MAX).  The result is valid until the next call.
 */
extern const IsmsMatrix *isms_matrix(const char *id);

/* The cell index of a packed score, or -1 when the score lies outside m. */
extern int	isms_matrix_cell(const IsmsMatrix *m, int32 packed);

#endif							/* ISMS_MATRIX_CACHE_H */
