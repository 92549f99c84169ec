"""Working groups: a sharing group with a coordinator and a space (articles, measures under discussion, meetings)."""
