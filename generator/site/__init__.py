"""The MkDocs adapter: the only code that knows about the site builder.

A port to another site builder (ProperDocs runs this unchanged; Zensical runs no
MkDocs plugins) replaces this folder alone: the pages, data files, search records
and the HTML post-processing (``csp``, ``theme_markup``, ``generator.sanitise``)
are plain functions the adapter only calls.
"""
