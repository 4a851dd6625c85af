#!/usr/bin/env bash
# An order from creation to closed through the API, with each gate refusing when tried too early.
# Start the demo first (`make demo`), then: bash scripts/api-walk.sh   (PORT=8000 by default)
set -u
API=http://127.0.0.1:${PORT:-8000}/api/v1
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
token() { curl -s -X POST $API/auth/token -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"gendan-demo\"}" | json 'd["token"]'; }
MERCH=$(token merch); FIN=$(token finance); MGR=$(token manager); PROD=$(token production); WH=$(token warehouse); DRV=$(token driver)
act() { curl -s -X POST "$API/orders/$N/actions/$2" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "${3:-{\}}"; }
N=$(curl -s -X POST $API/orders -H "Authorization: Bearer $MERCH" -H 'Content-Type: application/json' -d '{
  "customer": "EXP001", "contract_date": "2026-11-25", "delivery_date": "2026-12-30", "incoterm": "FOB",
  "lines": [{"product": "BC-101", "quantity": 100, "unit_price": "12.50"},
            {"product": "FN-101", "quantity": 10, "unit_price": "300"},
            {"product": "BC-202", "quantity": 40, "unit_price": "8.80"}]}' | json 'd["number"]')
echo "order $N"
echo "release too early:"; act $MERCH release | json 'd["code"], d["message"]'
act $MERCH submit | json 'd["status"]'
act $FIN sign_finance | json 'd["status"]'
act $MGR sign_manager | json 'd["status"]'
echo "release before the deposit:"; act $MERCH release | json 'd["code"], d["message"]'
act $MERCH request_deposit | json 'd["status"], d["deposit_due"]'
echo "over-payment:"; act $FIN confirm_deposit '{"amount": "99999"}' | json 'd["code"], d["message"]'
act $FIN confirm_deposit '{"amount": "1380.60", "reference": "TT-001"}' | json 'd["status"]'
act $MERCH release | json 'd["status"], [n["number"] for n in d["production_notices"]]'
echo "ship too early:"; act $WH ship | json 'd["code"], d["message"]'
act $PROD complete_production | json 'd["status"]'
act $MERCH request_balance | json 'd["status"], d["balance_due"]'
act $FIN confirm_balance | json 'd["status"]'
act $MERCH issue_shipping_notice | json 'd["status"], d["shipping_notices"][0]["copies"]'
echo "ship without the outbound slip:"; act $WH ship | json 'd["code"], d["message"]'
act $FIN issue_outbound_slip | json 'd["shipping_notices"][0]["outbound_slip"]'
act $WH issue_delivery_note | json 'd["shipping_notices"][0]["delivery_note"]["number"]'
act $WH ship | json 'd["status"]'
act $DRV deliver '{"received_by": "Anna", "proof_reference": "POD-778"}' | json 'd["status"], "prices visible to the driver:", "total_amount" in d'
curl -s $API/orders/$N -H "Authorization: Bearer $MERCH" | json 'd["status"], d["paid_amount"], d["total_amount"], len(d["timeline"])'
