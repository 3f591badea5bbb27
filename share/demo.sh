#!/bin/sh
# share/demo.sh - the main job on an example store, for `make demo`.
# Makes a store in a temporary folder, registers a few tickets as the
# desk would, corrects one, shows one and lists them all.
set -eu
: "${SD_BIN:?}"
PATH=$SD_BIN:$PATH
store=$(mktemp -d "${TMPDIR:-/tmp}/sd-demo.XXXXXX")
export SD_STORE=$store SD_AGENT=ana

say() { printf '\n$ %s\n' "$*"; "$@"; }

say sd-init --example --name "Mesa de servicios TI" "$store"
say sd-new -t incident -s "La impresora del piso 3 no imprime" -r "Pedro Ruiz" \
	-c hardware/printer --email pedro.ruiz@example.org --channel phone \
	-u high -i medium -m "Atasco de papel en la bandeja 2; reiniciada sin éxito."
say sd-new -t request -s "Crear cuenta de correo para contratista" -r "Laura Méndez" \
	-c access/account --email laura.mendez@example.org --channel web
say sd-new -t incident -s "VPN se desconecta cada 10 minutos" -r "Jorge Díaz" \
	-c network/vpn --channel chat -u medium -i high
say sd-update SD-3 --email jorge.diaz@example.org -m "Correo confirmado por chat."
say sd-assign SD-1 --me
say sd-solve SD-1 -m "Se retiró el papel atascado y se limpió el rodillo."
say sd-close SD-1 --rating 5 -m "Funciona, gracias."
say sd-escalate SD-3 -m "El túnel se reinicia; revisar MTU en el concentrador."
SD_AGENT=carmen say sd-approve SD-2 --role boss
say sd-show --history SD-1
say sd-list
say sd-list --open --format tsv --fields id,status,priority,due_response
say sd-report --by status
# The same desk in Spanish, through the front command.
printf '\n$ LANG=es_CO.UTF-8 sd list --open\n'
env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=es_CO.UTF-8 sd list --open
printf '\nThe store is %s; try: cd %s && git log --stat\n' "$store" "$store"
