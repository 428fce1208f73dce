"""Pytest plugins of the suite, registered by `pytest_plugins` in tests/conftest.py: the fixtures
and helpers several test folders share, so no test module imports another."""
