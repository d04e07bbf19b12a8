"""Entry point for WSGI servers: ``gunicorn wsgi:app``."""

import gc

from cms import create_app

app = create_app()

# Everything made while starting (modules, models, compiled statements) lives as long as the process.
# Frozen, the collector no longer walks it: a full collection then took 88 ms out of a request that
# happened to trigger it (the slowest requests of the benchmark); now it takes well under a millisecond.
gc.freeze()
