#!/usr/bin/env bash
# apt-get install PACKAGE... for the servers and the browser the tests start, one install at a
# time across the project's scripts: scripts/test.sh runs the service tests beside the rest of the
# suite (whose browser tests may install Chromium), and two apt-get processes at once fail on
# dpkg's lock. Waits for the other installs (flock), then installs what is asked.
# Exit 0: installed; 3: apt-get failed (no package repository reachable, or not root).
set -uo pipefail
exec 9>"${TMPDIR:-/tmp}/census-apt-install.lock"
flock 9
export DEBIAN_FRONTEND=noninteractive
# Another program's apt (unattended upgrades) is waited for too, up to 10 minutes.
APT=(apt-get -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends)
"${APT[@]}" install "$@" || { "${APT[@]}" update && "${APT[@]}" install "$@"; } || exit 3
