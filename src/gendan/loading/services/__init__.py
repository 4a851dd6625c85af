"""Every write of loading, one module per topic: ``plans`` (request and compute a loading
plan), ``counts`` (the count check and closing the loading), ``counting_errors`` (the register)
and ``container_types`` (master data)."""
