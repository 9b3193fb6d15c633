"""Input layer: project paths, analysis settings, instruments, data contract, readers,
validation, datasets and the article's published values."""
