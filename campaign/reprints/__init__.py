"""Reprint groups: MinHash signatures, linking copies across outlets, regrouping."""
