"""The end-to-end benchmark behind ``make bench`` / ``manage.py bench``.

procs: the page server and Celery worker processes, their CPU and memory from /proc;
pipeline: the rounds through the worker and their correctness checks;
inproc: one check's CPU in this process, split into fetch() and the rest;
report: the text table and docs/benchmarks.md.
"""
