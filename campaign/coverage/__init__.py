"""Coverage: which article reports which planned event, why, and what an officer decided."""
