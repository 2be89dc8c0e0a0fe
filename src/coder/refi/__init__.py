"""REFI-QDA exchange (.qdpx projects, .qdc codebooks): three rooms and what they share.

- ``read``: opening a file without trusting it (``safe_zip``), parsing its XML safely
  (``xml_parser``) into a ``RefiDocument`` (``package``). Knows nothing of coder's store.
- ``load``: a read document as a new coder project: names made fit (``names``), the codebook
  (``codebook_draft``, ``variables``), positions onto coder's text (``positions``,
  ``excerpt_index``), notes as memos (``notes``), built in a hidden folder (``staging``) through
  the store's import paths (``store_writer``, ``document_loader``); ``project_import`` runs it all.
- ``write``: a project as ``.qdpx`` or its codebook as ``.qdc`` (``export``), streamed element by
  element (``xml_writer``, ``project_xml``, ``codes_xml``, ``cases_xml``) with stable GUIDs
  (``ids``) from one read of the project (``snapshot``).
- shared: ``document`` (the read model) and ``description`` (the data line coder adds to
  descriptions, written by ``write`` and read back by ``load``); ``xsd/`` the REFI-QDA schemas.

Nothing is imported here, so importing a submodule stays cheap.
"""
