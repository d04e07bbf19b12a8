"""Load benchmark for the Content API: data sets, gunicorn under wrk, and RESULTS.md (``make bench``)."""
