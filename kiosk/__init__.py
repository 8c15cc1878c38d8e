"""The kiosk application core: config, local store, services, badge verification. No Qt."""
