"""Readers: bytes of one format -> a Document (text, lines, and where the table cells are).

`nianbao.readers.dispatch.read` sniffs the format and calls the reader for it.
"""
