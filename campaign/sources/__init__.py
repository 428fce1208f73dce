"""Sources: the registry of where coverage is fetched from, its admin pages, adding a source
by URL, the allowed local hosts and the address guard."""
