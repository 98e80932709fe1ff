"""Stage 1, the ground everything stands on: the errors every stage raises, limits on
hostile input, bounded file reads and safe writes, folder walks, YAML loading that
remembers file:line, and the shape of every key in rule and data files."""
