"""Reading and writing files: YAML (``yamlio``), catalogue files in every supported format
(``readers``), exports (``export``), and the safe reads and writes they all go through
(``safefile``)."""
