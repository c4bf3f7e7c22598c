#!/usr/bin/env bash
# A throwaway Samba AD domain controller on loopback for the directory tests and benchmark.
# Everything lives under STATE_DIR; nothing in /etc is changed. Needs root (ports 88, 389, 636)
# and the Debian packages samba samba-ad-dc samba-ad-provision ldb-tools krb5-user winbind.
#
#   scripts/directory-dc.sh up STATE_DIR      provision, start, add the test users, get their tickets
#   scripts/directory-dc.sh stop STATE_DIR    stop the DC by its PID (and every process it started)
#   (pieces: provision, start, setup, tickets)
#   scripts/directory-dc.sh last-set STATE_DIR USER FILETIME   pwdLastSet as if changed then
#   scripts/directory-dc.sh passwd STATE_DIR USER              a new password now, and a new ticket
#
# Ports are fixed (KDC 88, LDAP 389, LDAPS 636, DNS 10053), so one DC runs at a time. The client
# side uses STATE_DIR/krb5.conf and one credential cache per user: STATE_DIR/ccache.<user>.
# With WATCH_PID set, the DC is stopped (and STATE_DIR removed) when that process ends, even if it
# never calls stop.
set -euo pipefail

cmd=${1:?usage: directory-dc.sh up|provision|start|setup|tickets|stop|last-set|passwd STATE_DIR}
STATE=${2:?state directory missing}
mkdir -p "$STATE"
STATE=$(cd "$STATE" && pwd)
DC=$STATE/dc
CONF=$DC/etc/smb.conf
PIDFILE=$STATE/samba.pid
REALM=CORP.EXAMPLE.TEST
WORKGROUP=CORP
DNSDOMAIN=corp.example.test
DCHOST=dc1.$DNSDOMAIN
DNSPORT=10053
ADMINPW='AdminPassw0rd!'
# Test users only: the product never sees a password; kinit gets it on stdin here.
USERPW='Passw0rd!Dc-Test1'
# grace belongs to the engine tests (test/directory/hybridEngine.test.ts), which change her
# password and last change; the reader tests leave her alone, so both can share one DC.
USERS="alice bob carol dave erin frank grace"
# desk01: a shared desk account made by hand, with no userPrincipalName (only its sAMAccountName),
# whose password expires in 10 days: the logon of a shared computer (test/directory/sharedComputer).
USERS="$USERS desk01"

export KRB5_CONFIG=$STATE/krb5.conf

now() { date +%s%N; }
since() { local ms=$((($(now) - $1) / 1000000)); printf '%d.%01d s' $((ms / 1000)) $((ms % 1000 / 100)); }

write_conf() {
  mkdir -p "$DC"/{etc,run,log,cache,state,lock,ncalrpc,winbindd}
  cat >"$CONF" <<CONF
[global]
	netbios name = DC1
	workgroup = $WORKGROUP
	realm = $REALM
	server role = active directory domain controller
	interfaces = lo
	bind interfaces only = yes
	server services = ldap, cldap, kdc, rpc, drepl, kcc, winbindd, dns
	dcerpc endpoint servers = -winreg -srvsvc
	disable netbios = yes
	dns port = $DNSPORT
	dns forwarder =
	ldap server require strong auth = yes
	private dir = $DC/private
	state directory = $DC/state
	cache directory = $DC/cache
	lock directory = $DC/lock
	pid directory = $DC/run
	ncalrpc dir = $DC/ncalrpc
	winbindd socket directory = $DC/winbindd
	binddns dir = $DC/bind-dns
	log file = $DC/log/log.%m
	logging = file
	log level = 1
	idmap_ldb:use rfc2307 = yes

[sysvol]
	path = $DC/state/sysvol
	read only = No

[netlogon]
	path = $DC/state/sysvol/$DNSDOMAIN/scripts
	read only = No
CONF
  # No DNS canonicalisation: ldap@dc1.corp.example.test is used verbatim, the KDC is on loopback.
  cat >"$KRB5_CONFIG" <<KRB
[libdefaults]
	default_realm = $REALM
	dns_lookup_realm = false
	dns_lookup_kdc = false
	rdns = false
	dns_canonicalize_hostname = false
[realms]
	$REALM = {
		kdc = 127.0.0.1
	}
[domain_realm]
	.$DNSDOMAIN = $REALM
	$DNSDOMAIN = $REALM
KRB
}

provision() {
  [ -e "$PIDFILE" ] && { echo "a DC is running from $STATE (pid $(cat "$PIDFILE")): stop it first" >&2; exit 1; }
  rm -rf "$DC"
  write_conf
  local t; t=$(now)
  env -u KRB5_CONFIG samba-tool domain provision -s "$CONF" --targetdir="$DC" \
    --realm=$REALM --domain=$WORKGROUP --server-role=dc --host-name=dc1 --host-ip=127.0.0.1 \
    --dns-backend=SAMBA_INTERNAL --use-rfc2307 --adminpass="$ADMINPW" >"$STATE/provision.log" 2>&1 \
    || { tail -20 "$STATE/provision.log" >&2; exit 1; }
  write_conf # provision rewrites smb.conf
  echo "provisioned in $(since "$t")"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

srv_answers() {
  node -e "const r=new (require('dns').promises.Resolver)({timeout:300,tries:1});r.setServers(['127.0.0.1:$DNSPORT']);r.resolveSrv('_ldap._tcp.dc._msdcs.$DNSDOMAIN').then(()=>process.exit(0),()=>process.exit(1))"
}

start() {
  if [ -e "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    echo "already running, pid $(cat "$PIDFILE")"; return
  fi
  for port in 88 389 636 $DNSPORT; do
    port_open $port && { echo "port $port is in use: another DC or directory is running" >&2; exit 1; }
  done
  write_conf
  local t; t=$(now)
  # Foreground (-F) so that its PID is ours to stop; the DC never sees the client's Kerberos setup.
  env -u KRB5_CONFIG -u KRB5CCNAME samba -F -s "$CONF" -l "$DC/log" --debug-stdout -d 1 \
    >"$STATE/samba.out" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  if [ -n "${WATCH_PID:-}" ]; then
    # Stops the DC when the test process ends without stopping it (killed, crashed).
    (trap '' HUP; while kill -0 "$WATCH_PID" 2>/dev/null && [ -e "$PIDFILE" ]; do sleep 1; done
     [ -e "$PIDFILE" ] && "$0" stop "$STATE" >/dev/null 2>&1 && rm -rf "$STATE") \
      </dev/null >/dev/null 2>&1 &
  fi
  for _ in $(seq 1 600); do
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { echo "samba died:" >&2; tail -30 "$STATE/samba.out" >&2; rm -f "$PIDFILE"; exit 1; }
    if port_open 88 && port_open 389 && srv_answers; then
      echo "DC ready (KDC, LDAP, DNS) in $(since "$t"), pid $(cat "$PIDFILE")"; return
    fi
    sleep 0.1
  done
  echo "the DC did not become ready in 60 s" >&2; exit 1
}

descendants() { # from /proc, so that procps need not be installed
  local kids
  kids=$(grep -H '^PPid:' /proc/[0-9]*/status 2>/dev/null |
    awk -F'[/:\t ]+' -v p="$1" '$NF==p{print $3}')
  for k in $kids; do echo "$k"; descendants "$k"; done
}

stop() {
  [ -e "$PIDFILE" ] || { echo "no DC running from $STATE"; return; }
  local pid t tree left
  pid=$(cat "$PIDFILE"); t=$(now)
  tree="$pid $(descendants "$pid" | tr '\n' ' ')"
  alive() { local l=""; for p in $tree; do kill -0 "$p" 2>/dev/null && l="$l $p"; done; echo "$l"; }
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do [ -z "$(alive)" ] && break; sleep 0.1; done
  left=$(alive)
  if [ -n "$left" ]; then
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null || true
    sleep 0.3
  fi
  rm -f "$PIDFILE"
  left=$(alive)
  [ -z "$left" ] || { echo "processes left: $left" >&2; exit 1; }
  echo "DC stopped (pid $pid and its $(($(wc -w <<<"$tree") - 1)) children) in $(since "$t")"
}

ST() { env -u KRB5_CONFIG -u KRB5CCNAME samba-tool "$@" -s "$CONF" >/dev/null; }

# pwdLastSet to a given FILETIME, through the local database (a Samba-private control lets any
# value be written, like a password set on that date).
set_pwd_last_set() {
  local user=$1 filetime=$2 dn
  dn=$(ldbsearch -H "$DC/private/sam.ldb" "(sAMAccountName=$user)" dn | sed -n 's/^dn: //p')
  printf 'dn: %s\nchangetype: modify\nreplace: pwdLastSet\npwdLastSet: %s\n' "$dn" "$filetime" |
    ldbmodify -H "$DC/private/sam.ldb" --controls="local_oid:1.3.6.1.4.1.7165.4.3.20:0" >/dev/null
}

# Removes the userPrincipalName samba-tool gives every user it creates (USER@dns domain).
remove_upn() {
  local user=$1 dn
  dn=$(ldbsearch -H "$DC/private/sam.ldb" "(sAMAccountName=$user)" dn | sed -n 's/^dn: //p')
  printf 'dn: %s\nchangetype: modify\ndelete: userPrincipalName\n' "$dn" |
    ldbmodify -H "$DC/private/sam.ldb" >/dev/null
}

days_ago_filetime() { echo $(( ($(date +%s) - $1 * 86400 + 11644473600) * 10000000 )); }

setup() {
  local t; t=$(now)
  ST domain passwordsettings set --max-pwd-age=90 --min-pwd-age=0
  for user in $USERS; do ST user create "$user" "$USERPW"; done
  ST user setexpiry bob --noexpiry                                        # never expires
  ST domain passwordsettings pso create short-pso 10 --max-pwd-age=30 --min-pwd-age=0
  ST domain passwordsettings pso apply short-pso carol                    # fine-grained 30 days
  set_pwd_last_set alice "$(days_ago_filetime 60)"                        # 30 days left
  ST user setpassword frank --newpassword="$USERPW-2"                     # just changed
  set_pwd_last_set desk01 "$(days_ago_filetime 80)"                       # 10 days left
  remove_upn desk01                                                       # no userPrincipalName
  # Provision gives a loopback DC no A record and no ldap/ service names (samba_spnupdate is not
  # run here); the reader needs both: SRV -> dc1 -> 127.0.0.1, and ldap@dc1... for Kerberos.
  ST dns add 127.0.0.1 $DNSDOMAIN dc1 A 127.0.0.1 -U "Administrator%$ADMINPW"
  # (ldap/127.0.0.1 lets the benchmark's ldapsearch -N bind to ldap://127.0.0.1 by address)
  for spn in ldap/$DCHOST ldap/DC1 ldap/$DCHOST/$DNSDOMAIN ldap/$DCHOST/$WORKGROUP ldap/127.0.0.1; do
    ST spn add "$spn" 'DC1$'
  done
  # A domain whose only DC does not answer (port 3899 on loopback: the tests keep a listener with
  # a full accept queue there), and one with no SRV record at all (nosrv.corp.example.test).
  ST dns add 127.0.0.1 $DNSDOMAIN hole A 127.0.0.1 -U "Administrator%$ADMINPW"
  ST dns add 127.0.0.1 $DNSDOMAIN _ldap._tcp.dc._msdcs.hole SRV "hole.$DNSDOMAIN 3899 0 100" \
    -U "Administrator%$ADMINPW"
  echo "users and records set up in $(since "$t")"
}

tickets() {
  local t; t=$(now)
  # (again from a fresh state, so that tickets can be run twice)
  set_pwd_last_set dave "$(days_ago_filetime 0)"
  set_pwd_last_set erin "$(days_ago_filetime 0)"
  for user in $USERS; do
    local pw=$USERPW
    [ "$user" = frank ] && pw="$USERPW-2"
    printf '%s\n' "$pw" | KRB5CCNAME="FILE:$STATE/ccache.$user" kinit "$user@$REALM" >/dev/null
  done
  # dave and erin also hold the DC's service ticket, as a laptop does after the user's last read;
  # erin-tgt has only her logon ticket. Then dave must change his password now, and erin's expired
  # 10 days ago: the tickets stay valid, the KDC hands out no new ones.
  cp "$STATE/ccache.erin" "$STATE/ccache.erin-tgt"
  for user in dave erin; do
    KRB5CCNAME="FILE:$STATE/ccache.$user" kvno "ldap/$DCHOST@$REALM" >/dev/null
  done
  set_pwd_last_set dave 0
  set_pwd_last_set erin "$(days_ago_filetime 100)"
  echo "tickets for $USERS in $(since "$t")"
}

# A new password for USER now (as the user would change it), then a ticket with it. Each call
# gives a new password (the domain keeps a password history).
change_password() {
  local user=${1:?user missing} pw
  pw="$USERPW-$(date +%s%N)"
  ST user setpassword "$user" --newpassword="$pw"
  printf '%s\n' "$pw" | KRB5CCNAME="FILE:$STATE/ccache.$user" kinit "$user@$REALM" >/dev/null
  echo "password of $user changed, new ticket taken"
}

case "$cmd" in
  up) provision; start; setup; tickets ;;
  last-set) set_pwd_last_set "${3:?user missing}" "${4:?FILETIME missing}" ;;
  passwd) change_password "${3:-}" ;;
  provision) provision ;;
  start) start ;;
  setup) setup ;;
  tickets) tickets ;;
  stop) stop ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
