"""Shared knowledge: articles on inspections, access control, drones, cameras and more, with versions, proposals, comments and search."""
