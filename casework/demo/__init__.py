"""The demo organisation: a realistic, deterministic caseload for trying Casework out.

``casework demo`` builds it; nothing here runs on ``migrate``.
"""
