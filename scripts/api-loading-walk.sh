#!/usr/bin/env bash
# The container loading through the API: plan the demo's waiting shipping notices into a 40HQ,
# wait for the worker, count wall by wall with one carton missing (closing refused), correct the
# count, close, and record a counting error found later.
# Start the demo first (`make demo`, which runs a worker), then: bash scripts/api-loading-walk.sh
set -u
API=http://127.0.0.1:${PORT:-8000}/api/v1
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
token() { curl -s -X POST $API/auth/token -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"gendan-demo\"}" | json 'd["token"]'; }
MERCH=$(token merch); WH=$(token warehouse)
post() { curl -s -X POST "$API$2" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3"; }
get() { curl -s "$API$2" -H "Authorization: Bearer $1"; }
NOTICES=$(python3 - "$API" "$MERCH" <<'PY'
import json, sys, urllib.request
api, token = sys.argv[1], sys.argv[2]
# the demo's export orders whose shipping notices wait for their container
numbers = []
for po in ("PO-CNTR-1", "PO-CNTR-2"):
    req = urllib.request.Request(f"{api}/orders?q={po}", headers={"Authorization": f"Bearer {token}"})
    for order in json.load(urllib.request.urlopen(req))["items"]:
        req = urllib.request.Request(f"{api}/orders/{order['number']}", headers={"Authorization": f"Bearer {token}"})
        numbers += [n["number"] for n in json.load(urllib.request.urlopen(req))["shipping_notices"] if n["status"] == "issued"]
print(json.dumps(numbers))
PY
)
echo "shipping notices: $NOTICES"
P=$(post $MERCH /loading/plans "{\"notices\": $NOTICES, \"container_type\": \"40HQ\", \"time_limit_s\": 5}" | json 'd["number"]')
echo "plan $P requested; the worker plans it:"
for _ in $(seq 1 60); do
  S=$(get $MERCH /loading/plans/$P | json 'd["status"], round(d["progress"] * 100)')
  echo "  $S"; case "$S" in done*|failed*) break;; esac; sleep 1
done
get $MERCH /loading/plans/$P | json '[(c["type_code"], c["volume_utilisation"], c["cartons"], len(c["walls"])) for c in d["containers"]], "left behind:", d["left_behind"]'
get $MERCH /loading/plans/$P | json 'd["containers"][0]["walls"][0]["text_zh"]'
WALLS=$(get $WH /loading/plans/$P | json 'json.dumps([(w["number"], w["count"]) for w in d["containers"][0]["walls"]])')
echo "counting every wall, wall 1 one carton short:"
python3 - "$WALLS" <<'PY' | while read -r W C; do post $WH /loading/plans/$P/counts "{\"container\": 1, \"wall\": $W, \"counted\": $C}" >/dev/null; done
import json, sys
for n, count in json.loads(sys.argv[1]):
    print(n, count - 1 if n == 1 else count)
PY
echo "close with a difference:"; post $WH /loading/plans/$P/close '{}' | json 'd["code"], d["message"]'
FIRST=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])[0][1])" "$WALLS")
post $WH /loading/plans/$P/counts "{\"container\": 1, \"wall\": 1, \"counted\": $FIRST}" | json '"recount matches:", d["matches"]'
post $WH /loading/plans/$P/close '{}' | json 'd["loading_status"], d["closed_by"]'
echo "a counting error found at the customer's:"
post $MERCH /loading/counting-errors "{\"plan\": \"$P\", \"person\": \"warehouse\", \"product\": \"BC-101\", \"source\": \"customer_receipt\", \"expected\": 400, \"actual\": 399, \"note\": \"客户收货少一箱\"}" | json 'd["person"], d["difference"], d["penalty"], d["currency"]'
