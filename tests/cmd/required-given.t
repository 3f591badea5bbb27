#!/bin/sh
# `[lifecycle] required` lists urgency and impact: they must be given, not
# defaulted.  They are the desk's to set (lib/complete.c): a ticket
# without them is new, not pending-info, its urgency and impact empty
# until sd-update sets them, its priority that of medium meanwhile.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore

export SD_AGENT=carmen

# A store that does not require them: -u and -i default to medium, as
# always (share/sla.ini: medium.medium = 3).
new_ticket
is "$(fields $made status urgency impact priority)" "new|medium|medium|3" \
	"not required: medium and medium, priority 3"
plain=$made

edit_config sd.ini 's/^required = .*/required = category, requester_email, urgency, impact/'
grep -q '^required = category, requester_email, urgency, impact$' "$SD_STORE/sd.ini" ||
	bail "sd.ini does not require urgency and impact"

# Required and not given: empty, and the ticket is new (the desk's to
# classify, never the requester's to complete).  Priority from
# medium.medium = 3; due dates as for any priority-3 incident: response
# 1bh -> 11:00, resolution 3bd -> Thursday 10:00.
new_ticket
none=$made
is "$(fields $none status urgency impact priority due_response due_resolution)" \
	"new|||3|2026-11-23T11:00:00-05:00|2026-11-26T10:00:00-05:00" \
	"required, not given: both empty, new, priority 3, due dates running"
is "$(file_field $none urgency)|$(file_field $none impact)" "|" "the file says them empty"
is "$(jget SD-$none 'd["urgency"] + "/" + d["impact"]')" "/" "json: empty strings"
# sd-show, for people, names what is still the desk's to set.
run sd-show SD-$none
like "$T/out" "^  to classify +urgency impact\$" "sd-show: to classify: urgency impact"
run env LC_ALL=es_CO.UTF-8 LANGUAGE=es sd-show SD-$none
like "$T/out" "^  por clasificar +urgency impact\$" "sd-show in Spanish: por clasificar"
run sd-show SD-$plain
ok $(! grep -q "to classify" "$T/out"; echo $?) "sd-show: nothing to classify on a complete ticket"

# Required, one given: that one is kept, the other empty; high.medium = 2.
new_ticket -u high
one=$made
is "$(fields $one status urgency impact priority)" "new|high||2" \
	"urgency given, impact not: high and empty, priority 2 (high.medium)"
new_ticket -u medium -i medium
is "$(fields $made urgency impact priority)" "medium|medium|3" \
	"given as medium: said so in the file"
given=$made

# sd-list shows them empty; --priority filters on the computed priority.
run sd-list --fields id,urgency,impact,priority --format csv --priority 3
is "$(tr -d '\r' <"$T/out")" "id,urgency,impact,priority
SD-$plain,medium,medium,3
SD-$none,,,3
SD-$given,medium,medium,3" "sd-list: the empty values, priority 3 for each"

# sd-fsck: an empty urgency is a valid value, the priority the matrix's.
expect 0 "sd-fsck clean with empty urgency and impact" sd-fsck
clean "store clean"

# sd-update completes it: high.high = 1, response 1bh, resolution 4bh
# from Monday 10:00 -> 14:00.  Still new (no move), one event "changed".
export SD_NOW=2026-11-23T10:30:00-05:00
expect 0 "sd-update --urgency --impact" sd-update --urgency high --impact high SD-$none
is "$(fields $none status urgency impact priority due_resolution)" \
	"new|high|high|1|2026-11-23T14:00:00-05:00" "completed: priority 1, due date follows"
run sd-show SD-$none
ok $(! grep -q "to classify" "$T/out"; echo $?) "sd-show: nothing left to classify"
is "$(last_event SD-$none | python3 -c 'import json,sys; e=json.load(sys.stdin); print(e["action"], e["changed"], "to" in e)')" \
	"update urgency impact False" "the event: an update of urgency and impact, no move"
expect 0 "sd-update --impact alone" sd-update --impact low SD-$one
is "$(fields $one urgency impact priority)" "high|low|3" "high.low = 3"

# An empty value given is refused, as ever (64), and changes nothing.
b=$(head_id)
expect 64 "sd-update --urgency '' refused" sd-update --urgency "" SD-$one
is "$(head_id)" "$b" "nothing changed"
expect 64 "sd-new -u '' refused" sd-new -t incident -s x -r y -c network/vpn \
	--email y@example.org -u ""
is "$(head_id)" "$b" "nothing registered"

# sd-edit may empty one (not given after all: medium for the priority);
# a word other than high, medium or low it refuses (65), changing nothing.
SD_SED='s/^impact = low$/impact =/' EDITOR=$T/wf-editor expect 0 "sd-edit empties impact" \
	sd-edit SD-$one
is "$(fields $one urgency impact priority)" "high||2" "impact empty again: high.medium = 2"
b=$(head_id)
SD_SED='s/^urgency = high$/urgency = urgent/' EDITOR=$T/wf-editor expect 65 \
	"sd-edit: urgency 'urgent' refused" sd-edit SD-$one
like "$T/err" "urgency must be high, medium or low" "says what urgency may hold"
unchanged "$b" "the refused edit"
expect 0 "sd-fsck clean after the edits" sd-fsck

# The reports do not care: the same figures as before for every priority.
run sd-report --by priority --format csv
like "$T/out" "^1,1,1," "report: SD-$none counts at priority 1"

done_testing
