package bundle

// regShFunctions are the helpers and the checks before the first step.
const regShFunctions = `
die() {
  printf 'register.sh: %s\n' "$*" >&2
  exit 1
}

# failed STEP CODE stops the script, naming the step.
failed() {
  die "step '$1' failed (exit $2). Fix the cause and run this script again: finished steps are skipped or repeated harmlessly."
}

# run STEP ARG... prints the Tentacle command line with the API key masked,
# runs it with each argument its own word, and stops if it fails.
run() {
  local step=$1 arg quoted shown=()
  shift
  for arg in "$@"; do
    if [[ $arg == "$OCTOPUS_API_KEY" ]]; then
      shown+=('API-***')
    else
      printf -v quoted '%q' "$arg"
      shown+=("$quoted")
    fi
  done
  printf '==> %s\n    Tentacle %s\n' "$step" "${shown[*]}"
  "$TENTACLE" "$@" || failed "$step" "$?"
}

# read_trusted OUTPUT reads the trusted servers from show-configuration's
# output, whether the setting is printed as a JSON array or as a string
# holding one. It sets:
#   ours      addresses of this cluster's polling entries (the plan's
#             thumbprint), in lower case
#   ours_ids  their subscription ids
#   trusted   those of ours under the plan's subscription id
#   others    addresses of every other server's entries, as Tentacle has
#             them (clear-trusted-servers --keep compares them exactly)
#   addressless  how many entries have no address (listening trusts)
read_trusted() {
  local flat=${1//\\\"/\"} entry thumb address id
  flat=${flat//[[:space:]]/}
  ours=() ours_ids=() trusted=() others=() addressless=0
  shopt -s nocasematch
  while [[ $flat =~ \{(\"thumbprint\"[^{}]*)\}(.*) ]]; do
    entry=${BASH_REMATCH[1]} flat=${BASH_REMATCH[2]}
    thumb='' address='' id=''
    [[ $entry =~ \"thumbprint\":\"([^\"]*)\" ]] && thumb=${BASH_REMATCH[1],,}
    [[ $entry =~ \"address\":\"([^\"]*)\" ]] && address=${BASH_REMATCH[1]}
    [[ $entry =~ \"subscriptionid\":\"([^\"]*)\" ]] && id=${BASH_REMATCH[1],,}
    if [[ -z $address ]]; then
      addressless=$((addressless + 1))
    elif [[ $thumb != "${THUMBPRINT,,}" ]]; then
      others+=("$address")
    elif [[ $entry =~ \"communicationstyle\":(2|\"tentacleactive\")(,|$) ]]; then
      ours+=("${address,,}") ours_ids+=("$id")
      [[ $id == "${SUBSCRIPTION_ID,,}" ]] && trusted+=("${address,,}")
    fi
  done
  shopt -u nocasematch
  return 0
}

# trusts ADDRESS: the Tentacle polls ADDRESS under the plan's subscription id.
trusts() {
  local a
  for a in ${trusted[@]+"${trusted[@]}"}; do
    [[ $a == "${1,,}" ]] && return 0
  done
  return 1
}

# trusted_by_plan ADDRESS: the plan lists ADDRESS.
trusted_by_plan() {
  local a
  for a in "${ADDRESSES[@]}"; do
    [[ ${a,,} == "${1,,}" ]] && return 0
  done
  return 1
}

command -v -- "$TENTACLE" >/dev/null ||
  die "Tentacle not found at $TENTACLE: install the Tentacle package, or set TENTACLE to its path"

if [[ -z ${OCTOPUS_API_KEY:-} ]]; then
  [[ -t 0 ]] || die 'set OCTOPUS_API_KEY to an Octopus API key, or run this script in a terminal to be asked for it'
  read -rsp "Octopus API key for $SERVER (input hidden): " OCTOPUS_API_KEY
  printf '\n' >&2
  [[ -n $OCTOPUS_API_KEY ]] || die 'no API key given'
fi
# Tentacle gets the key as an argument; keep it out of the environment of
# the commands this script runs.
export -n OCTOPUS_API_KEY
`
