"""The headless core that plays a timeline: the session engine, its clock, and the loop that drives it.

Nothing here draws, speaks or records: the views, speech and history consume
the session's events at the edge.
"""
