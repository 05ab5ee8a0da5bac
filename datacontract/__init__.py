"""The data contract as data: the extract's tables, columns, types and codes."""
