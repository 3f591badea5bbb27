#!/bin/sh
# generate.sh TEMPLATE - a completion made from TEMPLATE and the table of
# sd.bash, on stdout.  Run by make: `sh completions/generate.sh
# completions/_sd.in >build/completions/_sd`, and the same for sd.fish.in.
#
# The table is every _sd_set, _sd_command and _sd_describe line of sd.bash,
# with the lines that continue it (a line ending in a backslash goes on).  In
# TEMPLATE a line reading @TABLE@ becomes the table, and @PROGRAMS@ the
# names of the programs, in the table's order, separated by spaces.

set -eu

template=${1:?usage: generate.sh TEMPLATE}
table=$(dirname "$0")/sd.bash
[ -r "$template" ] || { echo "generate.sh: cannot read $template" >&2; exit 66; }
[ -r "$table" ] || { echo "generate.sh: cannot read $table" >&2; exit 66; }

awk -v table="$table" '
	BEGIN {
		while ((getline line <table) > 0) {
			if (line ~ /^_sd_(set|command|describe)[ \t]/) {
				on = 1
				if (line ~ /^_sd_command/) {
					split(line, f, /[ \t]+/)
					progs = progs (progs == "" ? "" : " ") f[2]
				}
			}
			if (on)
				rows = rows line "\n"
			if (on && line !~ /\\$/)
				on = 0
		}
		close(table)
		if (progs == "") {
			print "generate.sh: no _sd_command line in " table >"/dev/stderr"
			exit 65
		}
	}
	$0 == "@TABLE@" { printf "%s", rows; next }
	{ gsub(/@PROGRAMS@/, progs); print }
' "$template"
