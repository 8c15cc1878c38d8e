"""The product version, read by packaging, the ledger's /health and the kiosk's heartbeat."""

__version__ = "0.1.0"
