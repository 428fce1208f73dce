"""The evaluation harness: the whole pipeline on labelled worlds (`make eval`)."""
