"""Helpers shared by the tests (not tests themselves): subprocesses, configuration, projects.

Tests import these as ``support.<module>`` (``tests/`` is on pytest's ``pythonpath``); no test
module imports another test module.
"""
