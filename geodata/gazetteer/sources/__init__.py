"""Readers of the gazetteer's sources, one module per source; only ``build`` combines them."""
