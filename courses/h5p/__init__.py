"""H5P packages: check an uploaded ``.h5p`` file, store it once per content hash, play it.

- ``validation``: pure checks on the zip, before anything is written.
- ``services``: storing and removing packages (unpacked under ``h5p/<sha256>/``).
- ``fixtures``: deterministic test packages built from ``testcontent/``.
"""
