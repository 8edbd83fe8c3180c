"""Exports of the store for other tools: FollowTheMoney entities (ftm.py) and flat CSV
tables (csv.py)."""
