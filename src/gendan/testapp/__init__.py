"""An app of the test settings only: it contributes to every extension point the way a real
capability will (a condition, an order kind, a Today section, a cockpit panel, a permission,
an event kind), proving they work without touching orders, accounts or timeline."""
