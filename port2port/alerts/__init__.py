"""Alerts: rules that turn sensor events into alerts, and their delivery to the right people."""
