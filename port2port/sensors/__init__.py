"""Sensors: drone detectors, AI cameras and access control, their zones, credentials and events."""
