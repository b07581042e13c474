"""The benchmark: every main page at organisation scale, through a real production server.

`make bench` or `python -m bench --help`. See docs/performance.md.
"""
