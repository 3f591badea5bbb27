# tests/completion.sh - the stores the completion tests complete from,
# sourced by tests/cmd/completion*.t after tests/lib.sh: the same store and
# agents for bash, zsh and fish.  Sets SD_STORE, $other, $agents (the
# example's agents) and $desk (those of group desk), and makes $T/nostore
# and $T/dirs for the tests of directories.

# A second store, elsewhere, with a space in its name, its own prefix, one
# more category and channels continued on indented lines.
other="$T/other store"
mkstore "$other" --prefix OT
cat >"$T/editor" <<'EOF'
#!/bin/sh
case $1 in
*escalation.ini)
	printf '\n[telecom]\nlevel1 = desk\nlevel2 = network\nlevel3 = telco\n' >>"$1" ;;
*sd.ini)
	sed -i 's/^channels = .*/channels = phone, email ; the usual ones\n    fax,\n  radio/' "$1" ;;
esac
EOF
chmod +x "$T/editor"
VISUAL=$T/editor SD_AGENT=carmen sd-edit escalation.ini >/dev/null &&
	VISUAL=$T/editor SD_AGENT=carmen sd-edit sd.ini >/dev/null 2>&1 &&
	sd-new -t incident -s "Radio link down" -r Pedro >/dev/null 2>&1 ||
	{ echo "Bail out! cannot set up the second store"; exit 1; }

# The store: SD-1 new, SD-2 rejected, SD-3 suspended (pushed from a clone:
# what the completion sees, not how sd got there).
mkstore
for t in "Printer jams" "New laptop" "VPN drops"; do
	sd-new -t incident -s "$t" -r Pedro >/dev/null 2>&1 || { echo "Bail out! sd-new failed"; exit 1; }
done
{
	git clone -q "$SD_STORE" "$T/clone" &&
	sed -i 's/^status = .*/status = rejected/' "$T/clone/tickets/000/SD-2.ini" &&
	sed -i 's/^status = .*/status = suspended/' "$T/clone/tickets/000/SD-3.ini" &&
	git -C "$T/clone" -c user.name=Test -c user.email=test@example.org commit -qam "statuses" &&
	git -C "$T/clone" push -q origin HEAD &&
	sd-list >/dev/null
} >/dev/null 2>&1 || { echo "Bail out! cannot set statuses"; exit 1; }
mkdir -p "$T/nostore/sub" "$T/dirs/alpha" "$T/dirs/beta" && : >"$T/dirs/afile"

# The example's agents, and those of group desk (SD-1's), as agents.ini has them.
agents=$(sed -n 's/^\[agent \(.*\)\]$/\1/p' "$SD_STORE/agents.ini" | sort | tr '\n' ' ' | sed 's/ $//')
desk=$(awk '/^\[/ { a = "" } /^\[agent / { a = substr($0, 8); sub(/\].*/, "", a) }
	a != "" && /^groups *=/ && /[=, ]desk *(,|$)/ { print a }' "$SD_STORE/agents.ini" | sort |
	tr '\n' ' ' | sed 's/ $//')
case " $desk " in *" ana "*" luis "*) ;; *) echo "Bail out! no agents of group desk: $desk"; exit 1 ;; esac
