"""The HR web console at ``/admin``: server-rendered pages over the ledger's use cases."""
