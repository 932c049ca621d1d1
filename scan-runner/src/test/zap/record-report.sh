#!/usr/bin/env bash
# Records ../resources/reports/zap-2.9.0-core-report.json: a report written by OWASP ZAP itself.
#
# ZAP's scan rules and its current report add-on are not on Maven Central (only its core is), so
# this runs ZAP 2.9.0's core (the last release whose core still writes the traditional JSON
# report), lets ZAP send the requests itself, raises alerts on those messages through ZAP's API,
# and saves what ZAP's own report generator writes. It needs Java 17, Maven, curl and a running
# demo target:
#
#   java -cp demo-target/target/classes io.ventiapi.demotarget.DemoTargetMain   # prints target + out-of-scope port
#   scan-runner/src/test/zap/record-report.sh http://127.0.0.1:PORT OUT_OF_SCOPE_PORT
#
# Then update TARGET in ReportImportersTest to the recorded target. Every request goes to 127.0.0.1.
set -euo pipefail
target=${1:?the demo target, e.g. http://127.0.0.1:43733}
other_port=${2:?the demo target out-of-scope server port}
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../resources/reports/zap-2.9.0-core-report.json"
work=$(mktemp -d)
trap 'kill "${zap_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

cat > "$work/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>local</groupId><artifactId>zap-core</artifactId><version>1</version>
<dependencies><dependency><groupId>org.zaproxy</groupId><artifactId>zap</artifactId><version>2.9.0</version></dependency></dependencies>
</project>
POM
(cd "$work" && mvn -B -q dependency:copy-dependencies -DoutputDirectory=lib)

port=18090
java -Xmx512m \
  --add-exports java.xml/com.sun.org.apache.xerces.internal.parsers=ALL-UNNAMED \
  --add-exports java.xml/com.sun.org.apache.xerces.internal.util=ALL-UNNAMED \
  -cp "$work/lib/*" org.zaproxy.zap.ZAP -daemon -host 127.0.0.1 -port $port -dir "$work/home" \
  -config api.disablekey=true -config start.checkForUpdates=false -config start.checkAddonUpdates=false \
  > "$work/zap.log" 2>&1 &
zap_pid=$!
zap=http://127.0.0.1:$port
for _ in $(seq 1 90); do curl -sf "$zap/JSON/core/view/version/" >/dev/null && break; sleep 1; done

# ZAP sends each request itself and keeps it in its history.
access() { curl -sf -G "$zap/JSON/core/action/accessUrl/" --data-urlencode "url=$1" >/dev/null; }
access "$target/api/products"
access "$target/api/v2/catalog"
access "$target/api/products/search?q=x'"
access "$target/api/files/..%2F..%2Fetc%2Fpasswd"
access "$target/actuator/env"
access "http://127.0.0.1:$other_port/"

message_id() { # the id of ZAP's history entry for a URL
  curl -sf -G "$zap/JSON/core/view/messages/" --data-urlencode "baseurl=$1" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["messages"][0]["id"])'
}
# alert URL NAME RISK CONFIDENCE CWE WASC PARAM ATTACK EVIDENCE DESCRIPTION SOLUTION
alert() {
  curl -sf -G "$zap/JSON/alert/action/addAlert/" \
    --data-urlencode "messageId=$(message_id "$1")" --data-urlencode "name=$2" \
    --data-urlencode "riskId=$3" --data-urlencode "confidenceId=$4" \
    --data-urlencode "cweId=$5" --data-urlencode "wascId=$6" --data-urlencode "param=$7" \
    --data-urlencode "attack=$8" --data-urlencode "evidence=$9" --data-urlencode "description=${10}" \
    --data-urlencode "solution=${11}" --data-urlencode "otherInfo=" --data-urlencode "references=" >/dev/null
}
server_leak='The web/application server is leaking version information via the "Server" HTTP response header.'
alert "$target/api/products" 'Server Leaks Version Information via "Server" HTTP Response Header Field' 1 3 200 13 '' '' 'Jetty(9.4.43.v20210629)' "$server_leak" 'Configure the server to suppress the "Server" header or provide generic details.'
alert "$target/api/v2/catalog" 'Server Leaks Version Information via "Server" HTTP Response Header Field' 1 3 200 13 '' '' 'Jetty(9.4.43.v20210629)' "$server_leak" 'Configure the server to suppress the "Server" header or provide generic details.'
alert "$target/api/products" 'X-Content-Type-Options Header Missing' 1 2 693 15 'X-Content-Type-Options' '' '' 'The Anti-MIME-Sniffing header X-Content-Type-Options was not set to nosniff.' 'Ensure that the application/web server sets the Content-Type header appropriately, and that it sets the X-Content-Type-Options header to nosniff for all web pages.'
alert "$target/api/products/search?q=x'" 'Application Error Disclosure' 2 2 200 13 '' '' 'java.lang.NumberFormatException' 'This page contains an error/warning message that may disclose sensitive information like the location of the file that produced the unhandled exception.' 'Review the source code of this page. Implement custom error pages.'
alert "$target/api/files/..%2F..%2Fetc%2Fpasswd" 'Path Traversal' 3 2 22 33 'fileName' '../../etc/passwd' 'root:x:0:0:root' 'The Path Traversal attack technique allows an attacker access to files, directories, and commands that potentially reside outside the web document root directory.' 'Validate all input; use an allow list of acceptable inputs.'
alert "$target/actuator/env" 'Spring Actuator Information Leak' 2 1 215 13 '' '' 'propertySources' 'Spring Actuator for Health is enabled and may reveal sensitive information about this application.' 'Disable the Health Actuators and other actuators, or restrict them to administrative users.'
alert "http://127.0.0.1:$other_port/" 'Path Traversal' 3 3 22 33 'file' '../../etc/passwd' '' 'An alert on another site than the target.' 'Not ours to report.'

curl -sf "$zap/OTHER/core/other/jsonreport/" | python3 -m json.tool --indent 2 > "$out"
echo "wrote $out"
