"""Scoring extractions against hand-labelled gold."""
