"""Turning loaded pages into one clean document: headers, footers, hyphenation, repaired diacritics, pages."""
