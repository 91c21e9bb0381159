"""Importers: records published elsewhere -> draft meeting files for an editor to finish.

An importer never invents: what it cannot place it keeps in the draft's text and
lists in a review report, and what only an editor can know is listed to fill in.
"""
