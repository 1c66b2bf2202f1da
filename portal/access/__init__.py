"""Least privilege across borders: the access policy table, the caller's view of a record, requests
for access and break-glass access (issue 14)."""
