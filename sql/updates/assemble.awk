# sql/updates/assemble.awk: prints an update part, and in place of each line
# "-- include: sql/NNN_NAME.sql" (after it) that install file: a part whose
# objects are new in the release includes them instead of copying them.
# A missing install file stops the build.
{ print }
/^-- include: sql\/[0-9]+_[a-z0-9_]+\.sql$/ {
	file = $3
	while ((got = (getline line < file)) > 0)
		print line
	if (got < 0) {
		print "assemble.awk: " FILENAME ": cannot read " file > "/dev/stderr"
		exit 1
	}
	close(file)
}
