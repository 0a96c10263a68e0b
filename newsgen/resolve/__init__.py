"""Identity: name normalisation, editable registries, grouping articles into events."""
