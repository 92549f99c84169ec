"""Indicators: typed identifiers (containers, vessels, plates, drones, ...) that tie reports
together across ports, with their normalisation, validation and paste-to-extract.

This package is a pure library for now: no models, no views. `types.REGISTRY` maps each kind
to its type; `extract.extract(text)` proposes the indicators found in pasted text.
"""
