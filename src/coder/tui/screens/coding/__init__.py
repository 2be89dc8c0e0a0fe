"""The coding screen's rooms, one mixin each, put together in ``coding_screen.CodingScreen``.

- ``base``: the state every part shares (session, span, suggestions) and the drawing;
- ``navigation``: moving between excerpts and the reviewed marks;
- ``coding_actions``: toggling codes (hotkeys, the tree), undo and redo;
- ``span_mode``: selecting part of an excerpt to code;
- ``suggestion_actions``: accepting and rejecting the model's suggestions;
- ``workers``: everything that runs off the UI thread (loading, suggesting, retraining);
- ``dialogs``: memo, rating and search dialogs, and going home.
"""
