"""A demo factory: workers, rules, a year of history, a catalogue and orders in every state."""
