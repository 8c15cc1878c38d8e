"""The central points ledger: the source of truth for balances, orders and the catalogue."""
