"""The article archive: articles stored once under canonical URLs, and their search."""
