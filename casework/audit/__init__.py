"""The hash-chained audit trail and the access log: the bottom of the stack above accounts.

Every app above writes here (``trail.audit_record``, ``access.access_record``); this app
imports nothing of theirs. The tables keep the names they had under ``governance``, so no
row moved when the app was split out and ``casework audit verify`` holds across the move.
"""
