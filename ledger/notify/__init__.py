"""Sending notifications: SMTP settings, the messages' words, each channel's wire format."""
