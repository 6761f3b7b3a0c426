#!/usr/bin/env bash
# Stand-in for a change pack's change/update-tentacle.sh, for the rollout
# tests only (the real one comes from `server change`). It moves a Tentacle
# from lb.example.com:10943,10944 to lb.example.com:10943,10945 the way
# the real script does: poll-server --reuse-server-thumbprint for each new
# address (no API key), clear-trusted-servers --keep the new list, then one
# JSON line as its result.
set -euo pipefail
tentacle="${TENTACLE:-/opt/octopus/tentacle/Tentacle}"
instance="${TENTACLE_INSTANCE:-Tentacle}"
new=(https://lb.example.com:10943 https://lb.example.com:10945)

addresses() {
  "$tentacle" show-configuration --instance "$instance" | grep -o '"Address": *"[^"]*"' | sed 's/.*"\(https*:[^"]*\)"/\1/' | sort -u
}

before="$(addresses)"
for address in "${new[@]}"; do
  "$tentacle" poll-server --instance "$instance" --reuse-server-thumbprint --server-comms-address "$address" >/dev/null
done
keep="$(IFS=,; echo "${new[*]}")"
"$tentacle" clear-trusted-servers --instance "$instance" --keep "$keep" >/dev/null
after="$(addresses)"

list() { # the lines of $1 not in $2, as a JSON array
  comm -23 <(printf '%s\n' "$1" | sed '/^$/d') <(printf '%s\n' "$2" | sed '/^$/d') | sed 's/.*/"&"/' | paste -sd, -
}
printf '{"ok":true,"added":[%s],"removed":[%s]}\n' "$(list "$after" "$before")" "$(list "$before" "$after")"
