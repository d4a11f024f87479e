"""Cutting a clean document into stored chunks along its headings, sentence-aware, with heading paths."""
