"""Stage 3, the words the program knows, read from the shipped rules/ folder (or a
user's rule folders): the layout patterns of rules/layout.yaml, the table catalogue
of tables.yaml, the 政府收支分类科目 of rules/classification/, the publication profiles
of rules/profiles/, and where the shipped folder is."""
