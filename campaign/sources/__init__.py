"""Sources and articles: where coverage is fetched from, and what was stored once."""
