"""Common measures the network agrees, each organisation's self-assessment, and the network view."""
