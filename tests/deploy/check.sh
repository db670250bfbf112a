#!/bin/sh
# The deployment samples in samples/deploy/ (README there): the systemd
# units parse (systemd-analyze verify, when the machine has it), the
# Kubernetes objects are well-formed YAML with the keys the README
# promises (python3 with yaml, when there is one; else the keys are
# looked for as text), and the configuration in the ConfigMap is one
# `reskontra run` accepts.  A missing tool is said and skipped: it is
# not a defect of the samples.
#
# Usage: RESKONTRA=path sh tests/deploy/check.sh
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${RESKONTRA:=$top/reskontra}"
dir=$top/samples/deploy
scratch=$(mktemp -d "${TMPDIR:-/tmp}/reskontra-deploy.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM
fail=0 pass=0 skip=0

bad() { printf 'FAIL deploy: %s\n' "$*" >&2; fail=$((fail + 1)); }
ok() { pass=$((pass + 1)); }
skipped() { printf 'skip deploy: %s\n' "$*" >&2; skip=$((skip + 1)); }

# Keys as text: these hold whatever the tools below can or cannot run.
need() {
	file=$1
	shift
	for key; do
		grep -q "^[[:space:]]*$key" "$dir/$file" || bad "$file: no '$key'"
	done
}
need 'reskontra@.service' 'Type=oneshot' 'User=reskontra' \
    'ProtectSystem=strict' 'ReadWritePaths=/srv/reskontra/%i' \
    'PrivateTmp=yes' 'NoNewPrivileges=yes' \
    'ExecStart=/usr/local/bin/reskontra run -q /srv/reskontra/%i'
need 'reskontra@.timer' 'OnCalendar=\*:0/5' 'WantedBy=timers.target'
need cronjob.yaml 'kind: CronJob' 'schedule: "\*/5 \* \* \* \*"' \
    'concurrencyPolicy: Forbid' 'persistentVolumeClaim:' \
    'claimName: reskontra-acme-spool' 'runAsNonRoot: true' \
    'allowPrivilegeEscalation: false' 'resources:' 'limits:'
[ "$fail" = 0 ] && ok

# systemd: an instance of each template, the binary this build made.
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir "$scratch/units"
	sed "s|/usr/local/bin/reskontra|$RESKONTRA|" \
	    "$dir/reskontra@.service" >"$scratch/units/reskontra@acme.service"
	cp "$dir/reskontra@.timer" "$scratch/units/reskontra@acme.timer"
	# verify also reports on units it pulls in from the host; only
	# lines about ours count.
	(cd "$scratch/units" && SYSTEMD_LOG_LEVEL=warning systemd-analyze \
	    verify --man=no reskontra@acme.service reskontra@acme.timer) \
	    >"$scratch/verify" 2>&1
	if grep "reskontra@" "$scratch/verify" >&2; then
		bad "systemd-analyze verify: see above"
	else
		ok
	fi
else
	skipped "no systemd-analyze on this machine; the units are not verified"
fi

# YAML: well-formed, the keys in their places, the ConfigMap's
# configuration accepted by a run on an empty spool.
if command -v python3 >/dev/null 2>&1 &&
    python3 -c 'import yaml' >/dev/null 2>&1; then
	if python3 - "$dir/cronjob.yaml" "$scratch" <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
kinds = {d["kind"]: d for d in docs}
cj = kinds["CronJob"]["spec"]
assert cj["schedule"] == "*/5 * * * *", cj["schedule"]
assert cj["concurrencyPolicy"] == "Forbid"
pod = cj["jobTemplate"]["spec"]["template"]["spec"]
assert pod["securityContext"]["runAsNonRoot"] is True
assert pod["securityContext"]["runAsUser"] != 0
c = pod["containers"][0]
assert c["securityContext"]["allowPrivilegeEscalation"] is False
assert c["resources"]["limits"] and c["resources"]["requests"]
claim = [v for v in pod["volumes"] if "persistentVolumeClaim" in v][0]
assert claim["persistentVolumeClaim"]["claimName"] == \
    kinds["PersistentVolumeClaim"]["metadata"]["name"]
spool = [m for m in c["volumeMounts"] if m["name"] == claim["name"]][0]
assert c["command"][-1] == spool["mountPath"], c["command"]
# the local date is Finnish; the spool is made once, by the init Job
assert any(e["name"] == "TZ" for e in c["env"]), c.get("env")
init = kinds["Job"]["spec"]["template"]["spec"]["containers"][0]
assert "--init" in init["command"] and init["command"][-1] == "/spool"
for name, text in kinds["ConfigMap"]["data"].items():
    open(sys.argv[2] + "/" + name, "w").write(text)
PY
	then
		mkdir "$scratch/spool"
		if "$RESKONTRA" run -q --init -c "$scratch/reskontra.conf" \
		    "$scratch/spool"; then
			ok
		else
			bad "the ConfigMap's configuration: exit $?"
		fi
	else
		bad "cronjob.yaml: not what the README says"
	fi
else
	skipped "no python3 with yaml; cronjob.yaml checked as text only"
fi

if [ "$skip" -gt 0 ]; then
	echo "deploy: $pass passed, $fail failed, $skip skipped"
else
	echo "deploy: $pass passed, $fail failed"
fi
[ "$fail" = 0 ]
