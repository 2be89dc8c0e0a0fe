"""``coder serve``: the coding app in a browser, behind a token, loading nothing from outside.

The server (aiohttp, via textual-serve) imports no textual: each browser connection runs the
app in its own process (``coder.tui.web_session``).
"""
