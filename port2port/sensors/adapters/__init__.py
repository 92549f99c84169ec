"""Source formats of sensor events, one module each behind one registry."""
