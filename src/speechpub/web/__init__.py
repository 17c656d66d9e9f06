"""`speechpub serve`: a local web app over a workspace folder (see app.py)."""
