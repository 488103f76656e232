#!/bin/sh
# Stands in for Prisma's native schema engine where none is installed (offline machines).
# casebook applies its migrations itself at start-up, so only `prisma generate` and
# `prisma studio` are needed, and neither runs the engine.
echo "Prisma's schema engine is not installed here. casebook applies prisma/migrations itself at start-up;" >&2
echo "to author a migration, see 'Database and migrations' in README.md." >&2
exit 1
