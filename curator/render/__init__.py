"""Presentation of reading lists: Markdown, README regions, terminal tables and JSON records."""
