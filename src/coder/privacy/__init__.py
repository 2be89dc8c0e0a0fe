"""Pseudonymisation: detect identifying words, keep the key apart, rewrite the project's text.

Pure logic lives here (detection, the key and its file, placeholders, offset re-mapping); the
database side is ``coder.store.privacy``; the review screen is in ``coder.tui.screens``.
"""
