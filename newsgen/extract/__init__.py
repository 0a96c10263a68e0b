"""Extraction: spaCy doc -> records. One module per field, each a pure function of the context."""
