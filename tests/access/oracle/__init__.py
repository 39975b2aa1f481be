"""The access oracle: for each URL pattern of the service, who may do what, by app.

Written out by hand from the service's "Who does what" rules (docs/access.md) and the docstrings of the scoping modules; it
never calls them, so a scoping function that drifts from the rules is caught rather than copied.
``tests/access/test_matrix.py`` assembles the modules' tables into one and checks it.
"""
